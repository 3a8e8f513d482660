/**
 * `ironforge tune`: re-measure the table `auto` uses (see tune.ts). Register with
 * `registerTuneCommand(program)` from src/cli/commands.
 *
 *   ironforge tune [--out table.json] [--json] [--write-default] [--sizes 64,128,…] [--masks causal,dag]
 *                  [--trials 15] [--warmup 3] [--backend auto|ts|wasm]
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../../core/index.js';
import type { MaskKind } from '../../tgat/index.js';
import { parseBackend } from '../../tgat/index.js';
import { DEFAULT_TUNE_SIZES, measureAutoTable, renderAutoTableModule } from '../../app/index.js';
import { writeAutoTable } from '../../store/index.js';

export const DEFAULT_TABLE_MODULE = 'src/tgat/kernels/auto-table.default.ts';

export interface TuneCliOptions {
  out?: string;
  json?: boolean;
  writeDefault?: boolean;
  sizes?: string;
  masks?: string;
  trials?: string;
  warmup?: string;
  backend?: string;
  /** How this run was invoked, recorded in the generated default-table header. */
  invokedAs?: string;
}

function positiveInt(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got '${v}'`);
  return n;
}

/** The command's body, callable without commander (also used to regenerate the default table). */
export async function runTune(
  opts: TuneCliOptions,
  log: (line: string) => void = (l) => process.stderr.write(l + '\n'),
): Promise<void> {
  const sizes = opts.sizes
    ? opts.sizes.split(',').map((s) => positiveInt('sizes', s.trim(), 0))
    : DEFAULT_TUNE_SIZES;
  const masks = (opts.masks ?? 'causal,dag').split(',').map((m) => m.trim());
  for (const m of masks)
    if (m !== 'causal' && m !== 'dag') throw new UsageError(`--masks: unknown mask '${m}' (causal, dag)`);
  let backend;
  try {
    backend = parseBackend(opts.backend ?? 'auto', '--backend');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const table = measureAutoTable({
    sizes,
    masks: masks as MaskKind[],
    trials: positiveInt('trials', opts.trials, 15),
    warmup: positiveInt('warmup', opts.warmup, 3),
    backend,
    log,
  });
  if (opts.out) writeAutoTable(opts.out, table);
  if (opts.writeDefault) {
    let src = renderAutoTableModule(table, opts.invokedAs ?? 'ironforge tune --write-default');
    try {
      // Keep the checked-in file in the repository's format when prettier is installed (a dev dependency).
      const prettier = await import('prettier');
      const cfg = (await prettier.resolveConfig(DEFAULT_TABLE_MODULE)) ?? {};
      src = await prettier.format(src, { ...cfg, parser: 'typescript' });
    } catch {
      // prettier absent: the unformatted source is still valid TypeScript
    }
    writeFileSync(DEFAULT_TABLE_MODULE, src);
  }
  if (opts.json) {
    process.stdout.write(JSON.stringify(table, null, 2) + '\n');
  } else {
    for (const e of table.entries) {
      const cols = Object.entries(e.minMs)
        .map(([k, v]) => `${k} ${v?.toFixed(3)}`)
        .join(', ');
      process.stdout.write(
        `${e.mask.padEnd(6)} n=${String(e.n).padStart(5)}  auto → ${e.best.padEnd(15)} (min ms: ${cols})\n`,
      );
    }
  }
}

export function registerTuneCommand(program: Command): void {
  program
    .command('tune')
    .description('re-measure the kernel table used by --kernel auto (full TGAT forward per kernel and size)')
    .option('--out <file>', 'write the table as JSON (use it with discover --auto-table)')
    .option('--json', 'print the table as JSON on stdout')
    .option('--write-default', `regenerate ${DEFAULT_TABLE_MODULE} (run in a source checkout)`)
    .option('--sizes <list>', `session sizes, comma-separated (default ${DEFAULT_TUNE_SIZES.join(',')})`)
    .option('--masks <list>', 'mask kinds: causal,dag (default both)')
    .option('--trials <n>', 'timed trials per kernel and size (default 15)')
    .option('--warmup <n>', 'untimed warm-up runs (default 3)')
    .option('--backend <name>', 'auto | ts | wasm (default auto)')
    .action(async (opts: TuneCliOptions) => runTune(opts));
}
