/**
 * A queue worker as its own process: `node worker-process.js --redis 127.0.0.1:6390 [--queue q]
 * [--lock-ms 30000] [--delay-ms 0]`. Runs until SIGTERM/SIGINT. Prints `ready`, then `start <jobId>` and
 * `done <jobId>` per job on stdout (tests use these lines). `ironforge worker` does the same through the CLI.
 */
import { parseRedisAddress, startQueueWorker, type QueueWorkerOptions } from './queue.js';
import { applyWasmEnv } from '../tgat/index.js';

/** Parse worker flags (shared by this entry and the CLI command). */
export function parseWorkerArgs(argv: readonly string[]): WorkerProcessOptions {
  const o: WorkerProcessOptions = { redis: { host: '127.0.0.1', port: 6379 } };
  const int = (flag: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < min)
      throw new Error(`${flag} must be an integer ≥ ${min}, got ${String(v)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--redis') o.redis = parseRedisAddress(v ?? '');
    else if (a === '--queue') o.queue = v;
    else if (a === '--lock-ms') o.lockDurationMs = int(a, v, 100);
    else if (a === '--delay-ms') o.delayMs = int(a, v, 0);
    else if (a === '--concurrency') o.concurrency = int(a, v, 1);
    else if (a === '--idle-exit') o.idleExitMs = int(a, v, 1) * 1000;
    else throw new Error(`unknown worker option "${a}"`);
    i++;
  }
  return o;
}

export interface WorkerProcessOptions extends QueueWorkerOptions {
  /** Exit after this long without a job (none running, none started); null/undefined = run until a signal. */
  idleExitMs?: number | null;
  /** Give up on a graceful close (finishing the running job) after this long (default 10 s). */
  closeTimeoutMs?: number;
}

/**
 * Run a worker until SIGINT/SIGTERM or `idleExitMs` without work; logs `ready`, job events and `stopping
 * (<why>)` on `log`, connection errors (once each) on `warn`. Resolves to why it stopped.
 */
export async function runWorkerProcess(
  o: WorkerProcessOptions,
  log: (line: string) => void,
  warn: (line: string) => void = log,
): Promise<'signal' | 'idle'> {
  let running = 0;
  let lastActivity = Date.now();
  const worker = await startQueueWorker({
    ...o,
    onJob: (ev, id) => {
      running += ev === 'start' ? 1 : -1; // 'done' and 'failed' both end a job
      lastActivity = Date.now();
      log(`${ev} ${id}`);
    },
    onError: (m) => warn(`redis ${o.redis.host}:${o.redis.port}: ${m}`),
  });
  log('ready');
  const why = await new Promise<'signal' | 'idle'>((resolve) => {
    let timer: NodeJS.Timeout | null = null;
    const finish = (w: 'signal' | 'idle') => {
      if (timer) clearInterval(timer);
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve(w);
    };
    const onSignal = () => finish('signal');
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    const idle = o.idleExitMs;
    if (idle !== null && idle !== undefined) {
      timer = setInterval(
        () => {
          if (running <= 0 && Date.now() - lastActivity >= idle) finish('idle');
        },
        Math.max(50, Math.min(1000, Math.floor(idle / 4))),
      );
    }
  });
  log(`stopping (${why === 'idle' ? `idle for ${Math.round((o.idleExitMs ?? 0) / 1000)} s` : 'signal'})`);
  // a second signal, or a close that hangs (Redis gone mid-job), must not keep the process alive
  const closeMs = o.closeTimeoutMs ?? 10_000;
  await Promise.race([
    worker.close(),
    new Promise<void>((r) => {
      const t = setTimeout(r, closeMs);
      t.unref();
      process.once('SIGINT', () => r());
      process.once('SIGTERM', () => r());
    }),
  ]);
  return why;
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isMain) {
  const fail = (e: unknown): void => {
    process.stderr.write(`worker: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  };
  try {
    applyWasmEnv(process.env);
  } catch (e) {
    fail(e);
  }
  runWorkerProcess(parseWorkerArgs(process.argv.slice(2)), (l) => process.stdout.write(`${l}\n`)).then(
    () => process.exit(0),
    fail,
  );
}
