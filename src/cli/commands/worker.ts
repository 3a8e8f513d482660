/** `ironforge worker`: consume discovery and null-batch jobs of distributed runs from a BullMQ queue. */
import type { Command } from 'commander';
import { UsageError } from '../../core/index.js';
import { DEFAULT_QUEUE, parseRedisAddress } from '../../scale/index.js';
import { runWorkerProcess } from '../../scale/index.js';

interface Opts {
  redis: string;
  queue: string;
  lockMs: string;
  concurrency: string;
}

const int = (flag: string, v: string, min: number): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`${flag} must be an integer ≥ ${min}; got "${v}"`);
  return n;
};

export function register(program: Command): void {
  program
    .command('worker')
    .description(
      'run jobs of distributed runs (discovery chunks, null batches) from a Redis queue until stopped',
    )
    .option('--redis <host:port>', 'Redis address', '127.0.0.1:6379')
    .option('--queue <name>', 'queue name', DEFAULT_QUEUE)
    .option('--lock-ms <ms>', 'job lock; a killed worker’s job is retried after about this long', '30000')
    .option('--concurrency <n>', 'jobs at once in this process', '1')
    .action(async (o: Opts) => {
      let redis;
      try {
        redis = parseRedisAddress(o.redis);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      await runWorkerProcess(
        {
          redis,
          queue: o.queue,
          lockDurationMs: int('--lock-ms', o.lockMs, 100),
          concurrency: int('--concurrency', o.concurrency, 1),
        },
        (line) => process.stdout.write(`${line}\n`),
      );
    });
}
