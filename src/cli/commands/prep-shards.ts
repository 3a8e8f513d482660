/** `ironforge prep-shards`: sessions → Parquet shards in the original schema (nodes, edges, node_map, meta.json). */
import { join } from 'node:path';
import type { Command } from 'commander';
import { writeShard } from '../../store/index.js';
import { sessionToShard } from '../../store/index.js';
import type { Compression } from '../../io/index.js';
import { UsageError } from '../../core/index.js';
import { loadSessions, parseChoice } from '../inputs.js';
import { formatTable, printJson, say } from '../output.js';
import { printError } from '../exit-codes.js';

interface Opts {
  out: string;
  compression: Compression;
  rowGroupSize: number;
  conversionTimestamp?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('prep-shards')
    .description('convert sessions into Parquet shards (original schema: nodes/edges/node_map + meta.json)')
    .argument('<paths...>', 'session JSON files or directories')
    .requiredOption('--out <dir>', 'output directory (one shard_<SESSION> folder per session)')
    .option(
      '--compression <codec>',
      'zstd | snappy | none',
      parseChoice('--compression', ['zstd', 'snappy', 'none'] as const),
      'zstd',
    )
    .option(
      '--row-group-size <n>',
      'maximum rows per row group',
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n <= 0)
          throw new UsageError(`--row-group-size must be a positive integer; got "${v}"`);
        return n;
      },
      1_048_576,
    )
    .option(
      '--conversion-timestamp <iso>',
      'time recorded in meta.json (default: now); fix it for byte-identical output',
    )
    .option('--json', 'machine-readable output')
    .action(async (paths: string[], opts: Opts) => {
      const { sessions, failures } = await loadSessions(paths);
      const stamp = opts.conversionTimestamp ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const written: { session: string; dir: string; nodes: number; edges: number }[] = [];
      const errors = failures.map((f) => f.error);
      for (const s of sessions) {
        const dir = join(opts.out, `shard_${s.id}`);
        try {
          const shard = sessionToShard(s, { conversionTimestamp: stamp });
          await writeShard(dir, shard, { compression: opts.compression, rowGroupSize: opts.rowGroupSize });
          written.push({ session: s.id, dir, nodes: shard.nodes.t.length, edges: shard.edges.src.length });
        } catch (e) {
          errors.push(`${s.sourceFile}: ${(e as Error).message}`);
          printError(`${s.sourceFile}: ${(e as Error).message}`);
        }
      }
      if (opts.json)
        printJson({
          out: opts.out,
          compression: opts.compression,
          rowGroupSize: opts.rowGroupSize,
          shards: written,
          errors,
        });
      else {
        say(
          formatTable(
            ['session', 'nodes', 'edges', 'dir'],
            written.map((w) => [w.session, w.nodes, w.edges, w.dir]),
          ),
        );
        say(
          `\n${written.length} shards written to ${opts.out} (${opts.compression}), ${errors.length} failed`,
        );
      }
      if (errors.length) process.exitCode = 1;
    });
}
