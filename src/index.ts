/**
 * ironforge — public library API. Each pipeline stage is re-exported from its folder; see README.md.
 */
export * from './session/types.js';
export {
  readSessions,
  readSessionFile,
  listSessionFiles,
  compareSessions,
  type IngestResult,
  type IngestFailure,
} from './store/sessions.js';
export { parseEnhancedRecord } from './session/enhanced.js';
export { IngestError } from './session/errors.js';
export { summarizeKinds, type KindSummary } from './session/summary.js';
export * as taxonomy from './session/taxonomy.js';
export { wallClockToUtcMs, utcMsToClock, resolveZone } from './session/time.js';
export * from './graph/index.js';
export * from './features/index.js';
export * from './tgat/index.js';
export * from './motifs/index.js';
export * as stats from './stats/index.js';
export { Rng, deriveSeed } from './stats/random.js';
export * from './store/index.js';
export * as detect from './detect/index.js';
export * as patterns from './patterns/index.js';
export * as confluence from './confluence/index.js';
export * as validation from './validation/index.js';
export * as report from './report/index.js';
export * as canary from './canary/index.js';
export { discoverSessions, type DiscoveredSession, type DiscoverOptions } from './app/discover.js';
export { runPipeline, type PipelineOptions, type PipelineResult } from './app/run.js';
export { motifSessions, dagMotifSessions } from './app/motif-input.js';
export { kernelStability, seedStability } from './app/stability.js';
export { embeddingColumns, attentionColumns, motifColumns } from './store/run-tables.js';
