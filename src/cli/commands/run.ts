/**
 * `ironforge run`: the whole pipeline on the bundled sample (default) or the given paths, written to
 * `<out>/<run-id>/` (layout: src/store/run-dir.ts). Parses the flags into a RunConfig, calls `executeRun`
 * (src/app/run-job.ts) and prints the summary.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import {
  DEFAULT_BAR_ZONE,
  DEFAULT_KERNEL,
  DEFAULT_NULL_MODEL,
  DEFAULT_NULLS,
  DEFAULT_RUNS_DIR,
  DEFAULT_SEED,
} from '../../core/index.js';
import { defaultWorkers } from '../../scale/index.js';
import { DEFAULT_RUN_CONTROLS, executeRun, resolveRunConfig } from '../../app/index.js';
import { MOTIF_CONTROLS, NULL_MODELS, type MotifControl, type NullModelOption } from '../../motifs/index.js';
import { KERNEL_NAMES, type KernelName } from '../../tgat/index.js';
import { toJson } from '../../validation/index.js';
import { kernelFlag, parseChoice, seedFlag } from '../inputs.js';
import { parsePositiveInt, say } from '../output.js';
import { stageProgress } from '../progress.js';
import { nullsHint } from '../hints.js';
import { printError, printWarning } from '../exit-codes.js';

interface Opts {
  out: string;
  runId?: string;
  seed: number;
  kernel: KernelName;
  weights?: string;
  patternFeatures: 'auto' | 'embeddings' | 'hand';
  nulls: number;
  nullModel: NullModelOption;
  splitDate?: string;
  canary?: string;
  bars?: string[];
  tz: string;
  workers: number;
  redis?: string;
  force?: boolean;
  /** A folder (--cache DIR), false (--no-cache) or undefined (the default folder). */
  cache?: string | false;
  controls: string;
  progress: boolean;
  quiet?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('run')
    .description(
      'the whole pipeline: shards, embeddings, motifs, patterns, confluence, validation, dashboard',
    )
    .argument('[paths...]', 'session JSON files or directories (default: the bundled NQ sample)')
    .option('--out <dir>', 'runs directory', DEFAULT_RUNS_DIR)
    .option('--run-id <name>', 'run folder name (default: today, YYYY-MM-DD; "canary" is reserved)')
    .option('--seed <n>', 'seed of every random step', seedFlag, DEFAULT_SEED)
    .option('--kernel <name>', KERNEL_NAMES.join(' | '), kernelFlag, DEFAULT_KERNEL)
    .option(
      '--weights <file>',
      'TGAT weights (default: the shipped data/weights/tgat-sample.bin, trained on the sample; else seeded)',
    )
    .option(
      '--pattern-features <what>',
      'what the patterns cluster: auto (embeddings only if the encoder beat its baselines) | embeddings | hand',
      parseChoice('--pattern-features', ['auto', 'embeddings', 'hand'] as const),
      'auto',
    )
    .option('--nulls <n>', 'motif null replicates', parsePositiveInt('--nulls'), DEFAULT_NULLS)
    .option(
      '--null-model <m>',
      `${NULL_MODELS.join(' | ')} | all`,
      parseChoice('--null-model', [...NULL_MODELS, 'all'] as const),
      DEFAULT_NULL_MODEL,
    )
    .option(
      '--split-date <date>',
      'first holdout date of the validation (default: half the sessions by date)',
    )
    .option(
      '--bars <files...>',
      'OHLCV bar files (CSV/Parquet) to detect events in and include (see ingest-bars)',
    )
    .option('--tz <zone>', 'time zone of bar timestamps without an offset', DEFAULT_BAR_ZONE)
    .option(
      '--canary <file>',
      'canary.json to show in the dashboard (default: <out>/canary/canary.json if present)',
    )
    .option(
      '--workers <n>',
      'worker threads for discovery and motif nulls (1 = this thread; default: all cores)',
      parsePositiveInt('--workers'),
      defaultWorkers(),
    )
    .option(
      '--redis <host:port>',
      'distributed mode: discovery and null batches as BullMQ jobs for `ironforge worker`',
    )
    .option(
      '--controls <list>',
      `negative controls mined beside the real data: ${MOTIF_CONTROLS.join(', ')} (comma-separated) or none`,
      DEFAULT_RUN_CONTROLS.join(','),
    )
    .option(
      '--cache <dir>',
      'stage cache: per-session work (ingest, discovery, shards) reused by later runs (default: <out>/.cache)',
    )
    .option('--no-cache', 'compute every session again; read and write no stage cache')
    .option('--force', 'replace an existing run directory')
    .option('--no-progress', 'no progress on stderr (same as --quiet)')
    .option('--quiet', 'no progress on stderr')
    .option('--json', 'print the manifest as JSON')
    .action(async (paths: string[], opts: Opts) => {
      const cfg = resolveRunConfig({
        inputs: paths,
        bars: opts.bars ?? [],
        barZone: opts.tz,
        runsDir: opts.out,
        runId: opts.runId ?? null,
        seed: opts.seed,
        kernel: opts.kernel,
        weightsFile: opts.weights ?? null,
        patternFeatures: opts.patternFeatures,
        nulls: opts.nulls,
        nullModel: opts.nullModel,
        splitDate: opts.splitDate ?? null,
        canaryFile: opts.canary ?? null,
        workers: opts.workers,
        redis: opts.redis ?? null,
        force: Boolean(opts.force),
        cache: opts.cache !== false,
        cacheDir: typeof opts.cache === 'string' ? opts.cache : null,
        controls:
          opts.controls === 'none' ? [] : (opts.controls.split(',').map((x) => x.trim()) as MotifControl[]),
      });
      const bars = stageProgress({ quiet: !opts.progress || Boolean(opts.quiet) });
      let report;
      try {
        report = await executeRun(cfg, {
          onProgress: (stage, done, total) => bars.update(stage, done, total),
          onInputError: (message) => printError(message),
          onWarning: (message) => printWarning(message),
        });
      } finally {
        bars.stop();
      }
      const { dir, manifest, result, sessions } = report;
      if (opts.json) say(toJson({ dir, ...manifest }));
      else {
        say(
          `run ${dir} (${report.seconds.toFixed(1)} s): ${sessions.length} sessions, ${result.embeddings.n} events`,
        );
        say(
          `  motifs: ${result.motifs.testedMotifs} tested, ${manifest.outputs.promoted} PROMOTE in ${result.motifs.families?.length ?? 0} families, ${result.motifs.results.filter((m) => m.class === 'FLOOR-LIMITED').length} FLOOR-LIMITED (${cfg.nulls} ${cfg.nullModel} nulls)`,
        );
        for (const c of result.validation.controls?.controls ?? [])
          say(
            `  negative control ${c.control}: ${c.promote} PROMOTE of ${c.tested} tested (real data: ${manifest.outputs.promoted})`,
          );
        if (report.cache) {
          const c = report.cache;
          say(
            `  cache ${c.dir}: ${c.hits} reused, ${c.misses} computed${c.corrupt ? ` (${c.corrupt} damaged entries recomputed)` : ''}`,
          );
        }
        say(
          `  patterns: k = ${result.patterns.k} from ${String((report.manifest.config.patterns as { features: string }).features)} (${result.positionLeakage.summary}); confluence: ${result.confluence.sessions.length} sessions, ${result.confluence.windows.length} windows`,
        );
        const v = result.validation;
        if (v.status === 'skipped') say(`  validation skipped: ${v.reason}`);
        else {
          const b = v.replication.byClass;
          const r = (x: number | null) => (x === null ? 'n/a' : x.toFixed(2));
          say(
            `  validation (holdout from ${v.split.splitDate}): ${v.summary.replicated}/${v.summary.promoted} promoted motifs replicate (rate ${r(v.summary.replicationRate)}; PARK ${r(b.PARK.rate)}, DISCARD ${r(b.DISCARD.rate)})`,
          );
          for (const w of v.drift.warnings) say(`  drift: ${w}`);
        }
        const hint = nullsHint(result.motifs.results, cfg.nulls);
        if (hint) say(`  ${hint}`);
        say(`  dashboard: ${join(dir, 'dashboard.html')}`);
      }
      if (report.ingest.failures.length) process.exitCode = 1;
    });
}
