/**
 * Distributed execution on BullMQ (Redis). The producer (`queueExecutor`) stores each context once under a
 * Redis key, enqueues one job per task with a deterministic job id (`<runId>-<call>-<task>`), and waits for
 * all of them; `ironforge worker` processes (`startQueueWorker`) consume the jobs. Results are merged in task
 * order, so the output equals the serial one.
 *
 * Fault tolerance: a worker killed mid-job stops renewing its lock; BullMQ's stalled-job check moves the job
 * back to the wait list and another worker runs it again. A task's job id is fixed, so a retried or resumed
 * task never yields a second result. Resume: call the producer again with the same runId and inputs; finished
 * jobs are kept (removeOnComplete: false) and reused, failed ones are retried.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { ConnectionOptions, Job, Queue as BullQueue, Worker as BullWorker } from 'bullmq';
import type { Redis as RedisClient } from 'ioredis';
import { decodeValue, encodeValue } from './codec.js';
import {
  hasContext,
  runScaleTask,
  type ScaleContext,
  type ScaleExecutor,
  type ScaleTask,
  type ScaleTaskResult,
} from './tasks.js';
import { assertRedisReachable } from './redis-server.js';

// BullMQ and ioredis are loaded on first use: every `ironforge` command imports this module through scale/'s
// door, and loading them took ~0.8 s of CPU at start-up that only --redis runs and `ironforge worker` need.
const requireLazily = createRequire(import.meta.url);
const bullmq = (): { Queue: typeof BullQueue; Worker: typeof BullWorker } =>
  requireLazily('bullmq') as { Queue: typeof BullQueue; Worker: typeof BullWorker };
const ioredis = (): { Redis: typeof RedisClient } =>
  requireLazily('ioredis') as { Redis: typeof RedisClient };

export const DEFAULT_QUEUE = 'ironforge-scale';

export interface RedisAddress {
  host: string;
  port: number;
}

/** Job payload: where the context is, and the task (codec-encoded). */
interface JobData {
  contextKey: string;
  task: string;
}

function connectionOf(a: RedisAddress): ConnectionOptions {
  if (!a.host || !Number.isInteger(a.port) || a.port < 1 || a.port > 65535)
    throw new Error(`redis address must be host + port 1..65535, got ${a.host}:${a.port}`);
  return { host: a.host, port: a.port, maxRetriesPerRequest: null, connectTimeout: 5000 };
}

/**
 * Connection errors of ioredis/BullMQ arrive as 'error' events, again on every reconnect attempt; without a
 * listener ioredis prints "[ioredis] Unhandled error event" each time. This listener keeps the last one (the
 * caller reports it once, with the address) and says each distinct message at most once through `log`.
 */
function errorSink(log?: (message: string) => void): {
  listener: (e: Error) => void;
  last: () => Error | null;
} {
  let last: Error | null = null;
  const seen = new Set<string>();
  return {
    listener: (e: Error) => {
      last = e;
      if (log && !seen.has(e.message)) {
        seen.add(e.message);
        log(e.message);
      }
    },
    last: () => last,
  };
}

/** The plain ioredis client beside BullMQ's own connections: fail fast (3 retries, 5 s), errors to `onError`. */
function plainClient(addr: { host: string; port: number }, onError: (e: Error) => void): RedisClient {
  const client = new (ioredis().Redis)({
    host: addr.host,
    port: addr.port,
    maxRetriesPerRequest: 3,
    connectTimeout: 5000,
  });
  client.on('error', onError);
  return client;
}

/** Parse `host:port` (or just `port`), e.g. "127.0.0.1:6390". */
export function parseRedisAddress(s: string): RedisAddress {
  const m = /^(?:(.+):)?(\d+)$/.exec(s.trim());
  if (!m) throw new Error(`redis address must be host:port, got "${s}"`);
  return { host: m[1] ?? '127.0.0.1', port: Number(m[2]) };
}

function validId(name: string, v: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(v))
    throw new Error(`${name} may hold only letters, digits, _ . -; got "${v}"`);
  return v;
}

export interface QueueExecutorOptions {
  redis: RedisAddress;
  /** Identifies the run; the same runId and inputs resume a run. */
  runId: string;
  queue?: string;
  /** Give up waiting after this long (default 10 min). */
  timeoutMs?: number;
  /** Poll interval of job states (default 100 ms). */
  pollMs?: number;
  /** Attempts of a job that throws (default 3). Stalls (killed workers) are governed by the workers. */
  attempts?: number;
  /** Called while waiting: tasks done so far of the current call. */
  onProgress?: (done: number, total: number) => void;
}

/** Producer side: an executor whose tasks are run by `ironforge worker` processes. */
export function queueExecutor(o: QueueExecutorOptions): ScaleExecutor {
  const runId = validId('runId', o.runId);
  const queueName = validId('queue', o.queue ?? DEFAULT_QUEUE);
  const connection = connectionOf(o.redis);
  const sink = errorSink();
  const queue = new (bullmq().Queue)<JobData, string>(queueName, { connection });
  queue.on('error', sink.listener);
  const client = plainClient(o.redis, sink.listener);
  const timeoutMs = o.timeoutMs ?? 600_000;
  const pollMs = o.pollMs ?? 100;
  let call = 0;
  let reachable = false;
  return {
    name: 'queue',
    async run(
      _contextId: string,
      context: ScaleContext,
      tasks: readonly ScaleTask[],
      onTaskDone?: (index: number, result: ScaleTaskResult) => void,
      opts?: { keep?: boolean },
    ): Promise<(ScaleTaskResult | null)[]> {
      if (!reachable) {
        // fail fast with one line instead of ioredis retrying (and complaining) forever
        await assertRedisReachable(o.redis);
        reachable = true;
      }
      const prefix = `${runId}-${call++}`;
      const contextKey = `${queueName}:ctx:${prefix}`;
      const encoded = encodeValue(context);
      const encodedTasks = tasks.map((t) => encodeValue(t));
      const digest = createHash('sha256').update(encoded).update(encodedTasks.join('\n')).digest('hex');
      const prior = await client.get(`${contextKey}:digest`);
      if (prior && prior !== digest)
        throw new Error(`run "${runId}" step ${prefix} was started with different inputs; use a new runId`);
      if (!prior) {
        await client.set(contextKey, encoded);
        await client.set(`${contextKey}:digest`, digest);
      }
      const ids = tasks.map((_, i) => `${prefix}-${i}`);
      for (let i = 0; i < tasks.length; i++) {
        const existing = await queue.getJob(ids[i]);
        if (existing) {
          if ((await existing.getState()) === 'failed') await existing.retry('failed');
          continue;
        }
        await queue.add(
          'task',
          { contextKey, task: encodedTasks[i] },
          {
            jobId: ids[i],
            attempts: o.attempts ?? 3,
            removeOnComplete: false,
            removeOnFail: false,
          },
        );
      }
      const results: (ScaleTaskResult | null)[] = new Array<ScaleTaskResult | null>(tasks.length).fill(null);
      let pending = ids.map((_, i) => i);
      const deadline = Date.now() + timeoutMs;
      while (pending.length > 0) {
        const still: number[] = [];
        for (const i of pending) {
          const job = await queue.getJob(ids[i]);
          if (!job) throw new Error(`job ${ids[i]} vanished from queue ${queueName}`);
          if (job.finishedOn && typeof job.returnvalue === 'string') {
            const result = decodeValue<ScaleTaskResult>(job.returnvalue);
            if (opts?.keep !== false) results[i] = result;
            onTaskDone?.(i, result);
            continue;
          }
          if (job.finishedOn && job.failedReason && job.attemptsMade >= (job.opts.attempts ?? 1))
            throw new Error(`job ${ids[i]} failed: ${job.failedReason}`);
          still.push(i);
        }
        pending = still;
        o.onProgress?.(tasks.length - pending.length, tasks.length);
        if (pending.length === 0) break;
        if (Date.now() > deadline)
          throw new Error(
            `queue ${queueName}: ${pending.length} of ${tasks.length} jobs unfinished after ${timeoutMs} ms`,
          );
        await new Promise((r) => setTimeout(r, pollMs));
      }
      return results;
    },
    close: async () => {
      await queue.close();
      client.disconnect();
    },
  };
}

/** Remove every job and context of a queue (tests, or starting over). */
export async function clearQueue(redis: RedisAddress, queueName = DEFAULT_QUEUE): Promise<void> {
  await assertRedisReachable(redis);
  const sink = errorSink();
  const queue = new (bullmq().Queue)(validId('queue', queueName), { connection: connectionOf(redis) });
  queue.on('error', sink.listener);
  const client = new (ioredis().Redis)({
    host: redis.host,
    port: redis.port,
    maxRetriesPerRequest: 3,
    connectTimeout: 5000,
  });
  client.on('error', sink.listener);
  try {
    await queue.obliterate({ force: true });
    let cursor = '0';
    for (let guard = 0; guard < 100_000; guard++) {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${queueName}:ctx:*`, 'COUNT', 500);
      if (keys.length) await client.del(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    await queue.close();
    client.disconnect();
  }
}

export interface QueueWorkerOptions {
  redis: RedisAddress;
  queue?: string;
  /** Jobs run at once in this process (default 1: the work is CPU-bound). */
  concurrency?: number;
  /** Lock lifetime; a killed worker's job is retried after about this long (default 30 s). */
  lockDurationMs?: number;
  /** How often stalled jobs are looked for (default lockDurationMs / 2). */
  stalledIntervalMs?: number;
  /** Fault-injection for tests: sleep this long before each job. Default 0. */
  delayMs?: number;
  /** Called when a job starts / ends (logging). */
  onJob?: (event: 'start' | 'done' | 'failed', jobId: string) => void;
  /** Called once per distinct connection error after start (e.g. the Redis went away). */
  onError?: (message: string) => void;
}

export interface QueueWorker {
  close(): Promise<void>;
}

/** Consumer side: run jobs of `queue` until closed. */
export async function startQueueWorker(o: QueueWorkerOptions): Promise<QueueWorker> {
  const queueName = validId('queue', o.queue ?? DEFAULT_QUEUE);
  const connection = connectionOf(o.redis);
  const lockDuration = o.lockDurationMs ?? 30_000;
  // a Redis that is not there is one clear error now, not a worker that waits (and logs) forever
  await assertRedisReachable(o.redis);
  const sink = errorSink(o.onError);
  const client = plainClient(o.redis, sink.listener);
  const worker = new (bullmq().Worker)<JobData, string>(
    queueName,
    async (job: Job<JobData, string>) => {
      o.onJob?.('start', job.id ?? '');
      if (o.delayMs) await new Promise((r) => setTimeout(r, o.delayMs));
      const { contextKey } = job.data;
      let context: ScaleContext | null = null;
      if (!hasContext(contextKey)) {
        const raw = await client.get(contextKey);
        if (raw === null) {
          o.onJob?.('failed', job.id ?? '');
          throw new Error(`context ${contextKey} is missing from Redis`);
        }
        context = decodeValue<ScaleContext>(raw);
      }
      let out: string;
      try {
        out = encodeValue(runScaleTask(contextKey, context, decodeValue<ScaleTask>(job.data.task)));
      } catch (e) {
        o.onJob?.('failed', job.id ?? '');
        throw e;
      }
      o.onJob?.('done', job.id ?? '');
      return out;
    },
    {
      connection,
      concurrency: o.concurrency ?? 1,
      lockDuration,
      stalledInterval: o.stalledIntervalMs ?? Math.max(500, Math.floor(lockDuration / 2)),
      maxStalledCount: 100,
    },
  );
  worker.on('error', sink.listener);
  await worker.waitUntilReady();
  return {
    close: async () => {
      await worker.close();
      client.disconnect();
    },
  };
}
