/** `ironforge discover`: TGAT embeddings and last-layer attention per session, written as Parquet. */
import { join } from 'node:path';
import type { Command } from 'commander';
import { attentionColumns, embeddingColumns } from '../../store/index.js';
import { writeParquet } from '../../io/index.js';
import { KERNEL_NAMES, type KernelName } from '../../tgat/index.js';
import { loadSessions, seedFlag, kernelFlag } from '../inputs.js';
import { printJson, say } from '../output.js';
import { loadWeights } from '../../store/index.js';
import { discoverSessions } from '../../discover/index.js';
import { DEFAULT_SEED, DEFAULT_KERNEL } from '../../core/index.js';

interface Opts {
  out: string;
  kernel: KernelName;
  seed: number;
  weights?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('discover')
    .description('TGAT embeddings and last-layer attention (top-m predecessors) for each session')
    .argument('<paths...>', 'session JSON files, directories or shard directories')
    .requiredOption('--out <dir>', 'output directory (embeddings.parquet, attention.parquet)')
    .option('--kernel <name>', KERNEL_NAMES.join(' | '), kernelFlag, DEFAULT_KERNEL)
    .option('--seed <n>', 'seed of the weight initialisation', seedFlag, DEFAULT_SEED)
    .option('--weights <file>', 'trained weights (JSON header + binary) instead of seeded ones')
    .option('--json', 'machine-readable output')
    .action(async (paths: string[], opts: Opts) => {
      const { sessions, failures } = await loadSessions(paths);
      const weights = opts.weights ? loadWeights(opts.weights) : undefined;
      const t0 = performance.now();
      const ds = discoverSessions(sessions, { kernel: opts.kernel, seed: opts.seed, weights });
      const ms = performance.now() - t0;
      await writeParquet(join(opts.out, 'embeddings.parquet'), embeddingColumns(ds));
      await writeParquet(join(opts.out, 'attention.parquet'), attentionColumns(ds));
      const kernels = [...new Set(ds.map((d) => d.kernel))];
      const nodes = ds.reduce((a, d) => a + d.session.events.length, 0);
      if (opts.json)
        printJson({
          out: opts.out,
          sessions: ds.length,
          nodes,
          kernel: opts.kernel,
          kernelsRun: kernels,
          seed: opts.seed,
          encodeMs: ms,
          errors: failures,
        });
      else
        say(
          `${ds.length} sessions, ${nodes} events encoded with kernel ${opts.kernel} (${kernels.join(', ')}) in ${ms.toFixed(0)} ms → ${opts.out}/embeddings.parquet, attention.parquet`,
        );
      if (failures.length) process.exitCode = 1;
    });
}
