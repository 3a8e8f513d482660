/**
 * `ironforge canary`: the release benchmark (SPEC stage 10). Measures, writes canary.json + canary.md, prints
 * the gate table (or, with --json, canary.json), and exits 1 when a gate fails (2 on bad flags or usage).
 */
import type { Command } from 'commander';
import { access } from 'node:fs/promises';
import { constants } from 'node:fs';
import { FlagError } from '../../canary/index.js';
import { fmtMs, fmtPct, fmtX } from '../../canary/index.js';
import { renderMarkdown } from '../../canary/index.js';
import { runCanary, type CanaryPreset } from '../../canary/index.js';
import type { CanaryResult } from '../../canary/index.js';
import { DEFAULT_RUNS_DIR, DEFAULT_SEED, UsageError, usageError } from '../../core/index.js';
import { canaryPaths, readCanaryJson, writeCanaryOutputs } from '../../store/index.js';
import { stageProgress } from '../progress.js';
import { seedFlag } from '../inputs.js';
import { formatTable, parsePositiveInt, printJson, say } from '../output.js';

interface CanaryCliOptions {
  sessions: number;
  strict?: boolean;
  seed: number;
  baseline?: string;
  out?: string;
  runs: string;
  json?: boolean;
  sample?: string;
  trials?: number;
  warmup?: number;
  pipelineTrials?: number;
  nulls?: number;
  motifSeeds?: number;
  markdown?: boolean;
  lengths?: number[];
  progress: boolean;
  quiet?: boolean;
}

function parseLengths(v: string): number[] {
  const xs = v.split(',').map((x) => Number(x.trim()));
  if (xs.length === 0 || xs.some((x) => !Number.isInteger(x) || x < 2 || x > 65_536)) {
    throw new Error(`--lengths must be comma-separated integers in [2, 65536], got "${v}"`);
  }
  return [...new Set(xs)].sort((a, b) => a - b);
}

function parseNonNegativeInt(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be an integer ≥ 0, got "${v}"`);
    return n;
  };
}

/** The gate table and headline figures, as text. */
export function summaryText(r: CanaryResult, paths: { json: string; md: string } | null): string {
  const gates = formatTable(
    ['gate', 'measured', 'limit', 'status'],
    r.gates.map((g) => [
      g.name,
      g.measured === null
        ? (g.note ?? '-')
        : g.id === 'parity'
          ? g.measured.toExponential(2)
          : g.id === 'speedup'
            ? fmtX(g.measured)
            : g.measured.toFixed(4),
      `${g.comparator} ${g.id === 'parity' ? g.threshold.toExponential(0) : g.threshold}`,
      g.status.toUpperCase(),
    ]),
  );
  const cats = formatTable(
    ['category', 'sessions', 'events', 'baseline', 'enabled', 'speedup'],
    r.pipeline.categories.map((c) => [
      c.label,
      c.count,
      c.range,
      fmtMs(c.baselineMs),
      fmtMs(c.enabledMs),
      fmtX(c.speedup),
    ]),
  );
  return [
    ...(r.config.injected
      ? [
          `TEST-ONLY regressions injected (IRONFORGE_CANARY_INJECT=${r.config.injected}): not a release measurement`,
        ]
      : []),
    ...(r.config.thresholdsFromEnv.length
      ? [`gate thresholds from the environment: ${r.config.thresholdsFromEnv.join(', ')}`]
      : []),
    `canary ${r.config.mode} (${r.config.sessions} synthetic + ${r.config.realSessions} real sessions, seed ${r.config.seed}): ${r.verdict}, exit ${r.exitCode}`,
    '',
    cats,
    '',
    gates,
    '',
    `overall speedup ${fmtX(r.pipeline.overall.speedup)}, throughput ${r.pipeline.throughput.enabledSessionsPerSecond.toFixed(1)} sessions/s` +
      (r.pipeline.throughput.enabledSessionsPerCpuSecond !== undefined
        ? ` (${r.pipeline.throughput.enabledSessionsPerCpuSecond.toFixed(1)} per CPU-second, load aside)`
        : '') +
      `, run time ${r.totalSeconds.toFixed(1)} s`,
    `regimes below ${fmtX(r.regime.minSpeedup, 1)}: ${r.regime.below.length ? r.regime.below.join(', ') : 'none'}; CV of the size categories ${fmtPct(r.regime.cv, 1)} (reported, not gated); ceilings ${r.regime.floor.categories.map((c) => `${c.id} ${fmtX(c.ceiling)}`).join(', ')}`,
    ...(paths ? [`wrote ${paths.json} and ${paths.md}`] : []),
  ].join('\n');
}

export function register(program: Command): void {
  program
    .command('canary')
    .description(
      'release benchmark: speed, memory, parity and motif stability gates (exit 1 when a gate fails)',
    )
    .option('--sessions <n>', 'synthetic sessions in the seed scale mix', parsePositiveInt('--sessions'), 120)
    .option('--strict', 'strict gates: parity ≤ 5e-7, motif |Δlift| < 0.045 with 10 seeds and 10,000 nulls')
    .option('--seed <n>', 'seed of the corpus, weights and first null seed', seedFlag, DEFAULT_SEED)
    .option('--baseline <file>', 'previous canary.json for the regression table')
    .option('--out <dir>', 'output directory (default: <runs>/canary, where `run` finds it)')
    .option('--runs <dir>', 'runs directory whose canary/ folder receives the results', DEFAULT_RUNS_DIR)
    .option('--json', 'print canary.json to stdout instead of the summary')
    .option('--markdown', 'print canary.md to stdout instead of the summary')
    .option('--sample <dir>', 'real session JSON to calibrate on and include (default: the bundled sample)')
    .option('--trials <n>', 'timed calls per configuration in the per-L tables', parsePositiveInt('--trials'))
    .option('--warmup <n>', 'discarded warm-up calls before timing', parseNonNegativeInt('--warmup'))
    .option(
      '--pipeline-trials <n>',
      'timed pipeline runs per session and configuration',
      parsePositiveInt('--pipeline-trials'),
    )
    .option('--nulls <n>', 'null replicates per motif-mining run', parsePositiveInt('--nulls'))
    .option('--motif-seeds <n>', 'null seeds for motif stability (≥ 2)', parsePositiveInt('--motif-seeds'))
    .option(
      '--lengths <list>',
      'benchmark lengths L of the per-L tables (default 128,256,512,1024)',
      parseLengths,
    )
    .option('--no-progress', 'no progress on stderr (same as --quiet)')
    .option('--quiet', 'no progress on stderr')
    .addHelpText(
      'after',
      "\nEnvironment flags (validated; defaults = the seed report's recommended exports):\n" +
        '  IRONFORGE_ENABLE_BLOCK_SPARSE, IRONFORGE_ENABLE_TIME_BIAS_CACHE,\n' +
        '  IRONFORGE_ENABLE_TOPO_GENERATIONS, IRONFORGE_ENABLE_AMP, IRONFORGE_ENABLE_FP16 = true|false|1|0\n' +
        '  IRONFORGE_ENABLE_ZSTD_COMPRESSION = true|false|auto (default auto: per table size, the fastest Parquet\n' +
        '    configuration measured in this run; true = ZSTD, false = uncompressed direct writer)\n' +
        '  IRONFORGE_ENABLE_FLASH_ATTENTION = true|false|conditional, IRONFORGE_MONITOR_MOTIF_STABILITY = true|false\n' +
        '  IRONFORGE_MOTIF_VARIANCE_ALERT_THRESHOLD = number, IRONFORGE_DAG_BUILDER = baseline|topo|vectorized|sparse\n' +
        "Gate thresholds (override the mode's; a nonsense value is a usage error naming it):\n" +
        '  IRONFORGE_CANARY_MIN_SPEEDUP, IRONFORGE_CANARY_MIN_REGIME_SPEEDUP = speedup in (0, 1000]\n' +
        '  IRONFORGE_CANARY_MAX_PARITY = max-abs in (0, 1], IRONFORGE_CANARY_MAX_MEMORY_SHARE = share of RAM in (0, 1]\n' +
        '  IRONFORGE_CANARY_MIN_MOTIF_JACCARD, IRONFORGE_CANARY_MIN_MOTIF_TOP_OVERLAP = share in [0, 1]\n' +
        'Test-only: IRONFORGE_CANARY_INJECT plants regressions (src/canary/inject.ts) to show each gate can fail.\n',
    )
    .action(async (opts: CanaryCliOptions) => {
      const preset: Partial<CanaryPreset> = {};
      if (opts.trials !== undefined) preset.trials = opts.trials;
      if (opts.warmup !== undefined) preset.warmup = opts.warmup;
      if (opts.pipelineTrials !== undefined) preset.pipelineTrials = opts.pipelineTrials;
      if (opts.nulls !== undefined) preset.nulls = opts.nulls;
      if (opts.motifSeeds !== undefined) {
        if (opts.motifSeeds < 2) throw new UsageError(`--motif-seeds must be ≥ 2, got ${opts.motifSeeds}`);
        preset.motifSeeds = opts.motifSeeds;
      }
      // files the flags name are checked before minutes of benchmark
      if (opts.baseline) {
        try {
          await readCanaryJson(opts.baseline);
        } catch (e) {
          throw usageError(`cannot read the baseline: ${(e as Error).message}`, '--baseline', opts.baseline);
        }
      }
      if (opts.sample) {
        try {
          await access(opts.sample, constants.R_OK);
        } catch (e) {
          throw usageError(
            `cannot read the sample: ${(e as NodeJS.ErrnoException).code}`,
            '--sample',
            opts.sample,
          );
        }
      }
      const bar = stageProgress({ quiet: !opts.progress || Boolean(opts.quiet) });
      let phase = '';
      let phaseTotal = 1;
      let result: CanaryResult;
      try {
        result = await runCanary({
          sessions: opts.sessions,
          strict: !!opts.strict,
          seed: opts.seed,
          baselineFile: opts.baseline ?? null,
          sampleDir: opts.sample,
          preset,
          lengths: opts.lengths,
          onPhase: (name, total) => {
            phase = `canary ${name}`;
            phaseTotal = Math.max(total, 1);
            bar.update(phase, 0, phaseTotal);
          },
          onProgress: (done) => bar.update(phase, done, phaseTotal),
        });
      } catch (e) {
        if (e instanceof FlagError) throw new UsageError(e.message);
        if (e instanceof Error && e.message.startsWith('--')) throw new UsageError(e.message);
        throw e;
      } finally {
        bar.stop();
      }
      const outDir = opts.out ?? canaryPaths(opts.runs).dir;
      const paths = await writeCanaryOutputs(outDir, result, renderMarkdown(result));
      if (opts.json) printJson(result);
      else if (opts.markdown) process.stdout.write(renderMarkdown(result));
      else say(summaryText(result, paths));
      process.exitCode = result.exitCode;
    });
}
