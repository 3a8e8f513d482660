/** `ironforge worker`: consume discovery and null-batch jobs of distributed runs from a BullMQ queue. */
import type { Command } from 'commander';
import { UsageError, usageError } from '../../core/index.js';
import { DEFAULT_QUEUE, parseRedisAddress, RedisUnreachableError } from '../../scale/index.js';
import { runWorkerProcess } from '../../scale/index.js';
import { printWarning } from '../exit-codes.js';

interface Opts {
  redis: string;
  queue: string;
  lockMs: string;
  concurrency: string;
  idleExit?: string;
}

const int = (flag: string, v: string, min: number): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw usageError(`must be an integer ≥ ${min}`, flag, v);
  return n;
};

export function register(program: Command): void {
  program
    .command('worker')
    .description(
      'run jobs of distributed runs (discovery chunks, null batches) from a Redis queue until SIGINT/SIGTERM or --idle-exit',
    )
    .option('--redis <host:port>', 'Redis address', '127.0.0.1:6379')
    .option('--queue <name>', 'queue name', DEFAULT_QUEUE)
    .option('--lock-ms <ms>', 'job lock; a killed worker’s job is retried after about this long', '30000')
    .option('--concurrency <n>', 'jobs at once in this process', '1')
    .option(
      '--idle-exit <seconds>',
      'exit after this many seconds without a job (default: run until stopped)',
    )
    .action(async (o: Opts) => {
      let redis;
      try {
        redis = parseRedisAddress(o.redis);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      // every flag is checked before the first connection
      const lockDurationMs = int('--lock-ms', o.lockMs, 100);
      const concurrency = int('--concurrency', o.concurrency, 1);
      const idleExitMs = o.idleExit === undefined ? null : int('--idle-exit', o.idleExit, 1) * 1000;
      try {
        await runWorkerProcess(
          { redis, queue: o.queue, lockDurationMs, concurrency, idleExitMs },
          (line) => process.stdout.write(`${line}\n`),
          (line) => printWarning(line),
        );
      } catch (e) {
        // a Redis that is not there is a bad --redis value: one line, exit 2
        if (e instanceof RedisUnreachableError) throw new UsageError(e.message);
        throw e;
      }
    });
}
