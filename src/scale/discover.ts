/**
 * Parallel discovery: `discoverSessions` with sessions split into chunks run by an executor. Every session
 * is encoded with the same weights, so the result is the serial one, byte for byte.
 */
import type { Session } from '../session/index.js';
import { createWeights, DEFAULT_TGAT_CONFIG } from '../tgat/index.js';
import type { DiscoveredArrays, ScaleExecutor, ScaleTask } from './tasks.js';
import { DEFAULT_SEED } from '../core/index.js';
import { type DiscoverOptions, type DiscoveredSession } from '../discover/index.js';

export interface ParallelDiscoverOptions extends DiscoverOptions {
  /** Sessions per task (default: about 4 tasks per worker, at least 1 session). */
  chunkSize?: number;
  /** Tasks are spread over this many workers (only sizes the default chunks). Default 1. */
  workers?: number;
  /** Id of the cached context on the workers (default unique per call). */
  contextId?: string;
}

let calls = 0;

/** Same result as `discoverSessions(sessions, opts)`, computed by `executor`. */
export async function discoverSessionsParallel(
  sessions: readonly Session[],
  executor: ScaleExecutor,
  opts: ParallelDiscoverOptions = {},
): Promise<DiscoveredSession[]> {
  const config = { ...DEFAULT_TGAT_CONFIG, ...(opts.weights?.config ?? {}), ...(opts.config ?? {}) };
  const weights = opts.weights ?? createWeights(config, opts.seed ?? DEFAULT_SEED);
  const workers = opts.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1)
    throw new Error(`workers must be an integer ≥ 1, got ${workers}`);
  const chunk = opts.chunkSize ?? Math.max(1, Math.ceil(sessions.length / (4 * workers)));
  if (!Number.isInteger(chunk) || chunk < 1)
    throw new Error(`chunkSize must be an integer ≥ 1, got ${chunk}`);
  const tasks: ScaleTask[] = [];
  for (let i = 0; i < sessions.length; i += chunk)
    tasks.push({ kind: 'discover', first: i, sessions: sessions.slice(i, i + chunk) });
  const contextId = opts.contextId ?? `discover-${process.pid}-${++calls}-${Date.now()}`;
  let doneSessions = 0;
  const results = await executor.run(
    contextId,
    {
      kind: 'discover',
      weights,
      kernel: opts.kernel ?? 'auto',
      config: opts.config,
      dagConfig: opts.dagConfig,
      dagBuilder: opts.dagBuilder,
      dagMask: opts.dagMask,
      inputScaler: opts.inputScaler,
    },
    tasks,
    (ti) => {
      // sessions of finished tasks, as they finish (the results are merged in order below)
      doneSessions += (tasks[ti] as Extract<ScaleTask, { kind: 'discover' }>).sessions.length;
      opts.onSession?.(doneSessions, sessions.length);
    },
  );
  const out: DiscoveredSession[] = [];
  results.forEach((r, ti) => {
    const arrays = r as DiscoveredArrays[];
    const task = tasks[ti] as Extract<ScaleTask, { kind: 'discover' }>;
    if (!Array.isArray(arrays) || arrays.length !== task.sessions.length)
      throw new Error(`discover task ${ti}: expected ${task.sessions.length} sessions back`);
    arrays.forEach((a, k) => {
      out.push({ session: sessions[task.first + k], ...a });
    });
  });
  return out;
}
