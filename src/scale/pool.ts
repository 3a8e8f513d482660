/**
 * Worker-thread executor on piscina. The worker file is resolved next to this module: `pool-worker.ts` when
 * running from source under tsx (worker threads inherit tsx's loader through execArgv), `pool-worker.js` in
 * the compiled dist/.
 */
import { availableParallelism } from 'node:os';
import { serialize } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { PoolMessage } from './pool-worker.js';
import type { ScaleExecutor, ScaleTaskResult } from './tasks.js';

export { serialExecutor } from './tasks.js';

/** Default worker count: every core the process may use. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/** Check a `--workers` value: an integer ≥ 1. */
export function parseWorkers(v: unknown): number {
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
    throw new Error(`workers must be an integer ≥ 1, got ${String(v)}`);
  return n;
}

/** Path of the worker entry matching how this module itself was loaded (.ts source or .js build). */
export function poolWorkerPath(): string {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return fileURLToPath(new URL(`./pool-worker${ext}`, import.meta.url));
}

/** Tasks handed to each worker ahead of time (see the pool options below). */
const IN_FLIGHT_PER_WORKER = 6;

/** An executor running tasks on `workers` threads; results come back in task order. */
export function threadPoolExecutor(workers: number = defaultWorkers()): ScaleExecutor {
  parseWorkers(workers);
  const pool = new Piscina<PoolMessage, ScaleTaskResult>({
    filename: poolWorkerPath(),
    minThreads: workers,
    maxThreads: workers,
    // Six tasks in flight per worker: a worker that finishes one starts the next at once, instead of idling
    // until this thread (which also runs the run's serial phases: observing, k-means, statistics) is free to
    // dispatch it; with two, a worker still ran dry for ~0.3 s while this thread observed the control's motifs.
    // Tasks are synchronous, so a worker still runs one at a time; results wait in its message queue either way.
    concurrentTasksPerWorker: IN_FLIGHT_PER_WORKER,
    idleTimeout: 60_000,
  });
  // Tasks reach piscina in submission order, at most `window` at a time: piscina's own queue does not keep the
  // order across calls, and the run submits the real data's null batches before the control's, so that the real
  // run finishes first and its statistics, validation and dashboard inputs are worked out on this thread while
  // the workers still count the control's nulls (instead of after the last batch of both). Which worker runs a
  // task changes no result.
  const window = workers * IN_FLIGHT_PER_WORKER;
  const waiting: (() => void)[] = [];
  let inFlight = 0;
  const submit = (msg: PoolMessage): Promise<ScaleTaskResult> =>
    new Promise<ScaleTaskResult>((resolve, reject) => {
      const start = (): void => {
        inFlight++;
        pool
          .run(msg)
          .then(resolve, reject)
          .finally(() => {
            inFlight--;
            waiting.shift()?.();
          });
      };
      if (inFlight < window) start();
      else waiting.push(start);
    });
  return {
    name: `threads×${workers}`,
    run: (contextId, context, tasks, onTaskDone, opts) => {
      // Serialized once per call into shared memory (structured-cloning the context into every task message cost
      // the main thread ~1 s per sample run and grew with the sessions × tasks); workers cache it by id.
      const bytes = serialize(context);
      const shared = new SharedArrayBuffer(bytes.byteLength);
      new Uint8Array(shared).set(bytes);
      return Promise.all(
        tasks.map((task, i) =>
          submit({ contextId, context: shared, task }).then((r: ScaleTaskResult) => {
            onTaskDone?.(i, r);
            return opts?.keep === false ? null : r;
          }),
        ),
      );
    },
    close: () => pool.destroy(),
  };
}
