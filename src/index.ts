/**
 * ironforge — the public library API: every folder's door (ARCHITECTURE.md). Pure stages are re-exported
 * flat or as namespaces; the I/O wing (`store`, `io`) and the application layer (`app`) are flat.
 */
export * from './core/index.js';
export * from './session/index.js';
export * as taxonomy from './session/taxonomy.js';
export * from './graph/index.js';
export * from './features/index.js';
export * from './tgat/index.js';
export * from './discover/index.js';
export * from './motifs/index.js';
export * as stats from './stats/index.js';
export { Rng, deriveSeed } from './stats/index.js';
export * as detect from './detect/index.js';
export * as patterns from './patterns/index.js';
export * as confluence from './confluence/index.js';
export * as validation from './validation/index.js';
export * as report from './report/index.js';
export * from './io/index.js';
export * from './store/index.js';
export * from './app/index.js';
export * as canary from './canary/index.js';
export * as synthetic from './synthetic/index.js';
export * as evaluation from './evaluate/index.js';
export {
  evaluate,
  evalSeriesFromBars,
  sessionRangeOracle,
  parseRules,
  type EvaluateOptions,
  type EvaluationResult,
  type EvaluationRow,
  type OracleReport,
} from './evaluate/index.js';
// Generators that were public at the top level before they moved to synthetic/ (from tgat/ and store/).
export { syntheticShard, type SyntheticShardOptions } from './synthetic/index.js';
export { tgatFixture, windowKnnDag, T0, type TgatFixture } from './synthetic/index.js';
