/**
 * A queue worker as its own process: `node worker-process.js --redis 127.0.0.1:6390 [--queue q]
 * [--lock-ms 30000] [--delay-ms 0]`. Runs until SIGTERM/SIGINT. Prints `ready`, then `start <jobId>` and
 * `done <jobId>` per job on stdout (tests use these lines). `ironforge worker` does the same through the CLI.
 */
import { parseRedisAddress, startQueueWorker, type QueueWorkerOptions } from './queue.js';
import { applyWasmEnv } from '../tgat/index.js';

/** Parse worker flags (shared by this entry and the CLI command). */
export function parseWorkerArgs(argv: readonly string[]): QueueWorkerOptions {
  const o: QueueWorkerOptions = { redis: { host: '127.0.0.1', port: 6379 } };
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
    else throw new Error(`unknown worker option "${a}"`);
    i++;
  }
  return o;
}

/** Run a worker until a termination signal; logs job events on stdout. */
export async function runWorkerProcess(o: QueueWorkerOptions, log: (line: string) => void): Promise<void> {
  const worker = await startQueueWorker({ ...o, onJob: (ev, id) => log(`${ev} ${id}`) });
  log('ready');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await worker.close();
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
