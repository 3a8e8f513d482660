/**
 * `runPipeline` (src/pipeline/run.ts) with its two expensive stages on an executor: per-session discovery and
 * the motif null batches. Every other stage is the serial code; the result equals `runPipeline`'s (timings
 * aside). The lead wires this behind `--workers N` / `--redis`.
 */
import { buildConfluenceInputs, scoreConfluence } from '../confluence/score.js';
import { embeddingTableFromSessions } from '../patterns/embeddings.js';
import { buildPatterns, patternsBySession } from '../patterns/patterns.js';
import { dagMotifMiner } from '../pipeline/miner.js';
import { dagMotifSessions } from '../pipeline/motif-input.js';
import type { PipelineOptions, PipelineResult, RunStage } from '../pipeline/run.js';
import type { Session } from '../session/types.js';
import { validateOutOfSample } from '../validation/oos.js';
import { discoverSessionsParallel } from './discover.js';
import { mineMotifsParallel } from './mine.js';
import { parseWorkers, serialExecutor, threadPoolExecutor, defaultWorkers } from './pool.js';
import type { ScaleExecutor } from './tasks.js';

/** `--workers N`: 1 runs in this thread (no pool), N > 1 on N worker threads. Default: every core. */
export function executorForWorkers(workers: number = defaultWorkers()): ScaleExecutor {
  return parseWorkers(workers) === 1 ? serialExecutor() : threadPoolExecutor(workers);
}

/** The whole pipeline with discovery and motif nulls run by `executor` (closed by the caller). */
export async function runPipelineScaled(
  sessions: readonly Session[],
  opts: PipelineOptions,
  executor: ScaleExecutor,
  workers = 1,
): Promise<PipelineResult> {
  const timings: PipelineResult['timings'] = [];
  const progress = opts.onProgress ?? (() => undefined);
  async function stage<T>(name: RunStage, fn: () => T | Promise<T>): Promise<T> {
    const t0 = performance.now();
    progress(name, 0, 1);
    const r = await fn();
    timings.push({ stage: name, ms: performance.now() - t0 });
    progress(name, 1, 1);
    return r;
  }
  const discovered = await stage('discover', () =>
    discoverSessionsParallel(sessions, executor, {
      kernel: opts.kernel,
      seed: opts.seed,
      weights: opts.weights,
      workers,
      onSession: (d, n) => progress('discover', d, n),
    }),
  );
  const motifs = await stage('motifs', () =>
    mineMotifsParallel(dagMotifSessions(sessions), executor, {
      ...opts.motifs,
      seed: opts.seed,
      onProgress: (p) => progress('motifs', p.done, p.total),
    }),
  );
  const embeddings = embeddingTableFromSessions(
    sessions,
    discovered.map((d) => d.embeddings),
  );
  const patterns = await stage('patterns', () => buildPatterns(embeddings, { seed: opts.seed }));
  const confluence = await stage('confluence', () => {
    const bySession = patternsBySession(embeddings, patterns.assign);
    const frequency = Float64Array.from(patterns.patterns, (p) => p.share);
    const inputs = buildConfluenceInputs(sessions, { patternsBySession: bySession });
    return scoreConfluence({ sessions: inputs, patternFrequency: frequency });
  });
  const validation = await stage('validation', () =>
    validateOutOfSample(sessions, dagMotifMiner(opts.motifs), {
      seed: opts.seed,
      splitDate: opts.splitDate,
      holdoutFraction: opts.holdoutFraction,
    }),
  );
  return { discovered, motifs, embeddings, patterns, confluence, validation, timings };
}
