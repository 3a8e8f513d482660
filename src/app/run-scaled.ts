/**
 * `runPipeline` (src/pipeline/run.ts) with its two expensive stages on an executor: per-session discovery and
 * the motif null batches. Every other stage is the serial code; the result equals `runPipeline`'s (timings
 * aside). The lead wires this behind `--workers N` / `--redis`.
 */
import { runPipeline, type PipelineOptions, type PipelineResult } from './index.js';
import type { Session } from '../session/index.js';
import { discoverSessionsParallel } from '../scale/index.js';
import { mineMotifsParallel } from '../scale/index.js';
import { parseWorkers, serialExecutor, threadPoolExecutor, defaultWorkers } from '../scale/index.js';
import type { ScaleExecutor } from '../scale/index.js';

/** `--workers N`: 1 runs in this thread (no pool), N > 1 on N worker threads. Default: every core. */
export function executorForWorkers(workers: number = defaultWorkers()): ScaleExecutor {
  return parseWorkers(workers) === 1 ? serialExecutor() : threadPoolExecutor(workers);
}

/** The whole pipeline with discovery and motif nulls run by `executor` (closed by the caller). */
export function runPipelineScaled(
  sessions: readonly Session[],
  opts: PipelineOptions,
  executor: ScaleExecutor,
  workers = 1,
): Promise<PipelineResult> {
  return runPipeline(sessions, {
    ...opts,
    stages: {
      discover: (s, o) => discoverSessionsParallel(s, executor, { ...o, workers }),
      mine: (s, o) => mineMotifsParallel(s, executor, o),
    },
  });
}
