/**
 * `ironforge run`: the whole pipeline on the bundled sample (default) or the given paths. Writes
 * runs/<YYYY-MM-DD>/ with shards/, embeddings/, patterns/, motifs/, confluence/, reports/validation.json,
 * manifest.json and dashboard.html. The run directory is built in a temp folder and renamed into place, so a
 * crash never leaves a half-written run; an existing run directory is replaced only with --force.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import {
  confluenceSessionColumns,
  confluenceStats,
  confluenceWindowColumns,
} from '../../confluence/index.js';
import { NULL_MODELS, type NullModelOption } from '../../motifs/index.js';
import { patternAssignmentColumns, patternColumns } from '../../patterns/index.js';
import { canaryFigures, dashboardData } from '../../app/index.js';
import type { PipelineResult } from '../../app/index.js';
import {
  defaultWorkers,
  executorForWorkers,
  parseRedisAddress,
  queueExecutor,
  runPipelineScaled,
} from '../../scale/index.js';
import { attentionColumns, embeddingColumns, motifColumns } from '../../store/index.js';
import { renderDashboard } from '../../report/index.js';
import type { Session } from '../../session/index.js';
import { writeDirAtomic, writeFileAtomic } from '../../io/index.js';
import { writeParquet } from '../../io/index.js';
import { writeShard } from '../../store/index.js';
import { sessionToShard } from '../../store/index.js';
import { KERNEL_NAMES, type KernelName } from '../../tgat/index.js';
import { toJson } from '../../validation/index.js';
import { barsToSessions } from '../../detect/index.js';
import { readBars } from '../../store/index.js';
import { UsageError } from '../errors.js';
import { loadSessions, parseChoice } from '../inputs.js';
import { parsePositiveInt, say } from '../output.js';
import { packageRoot } from '../../app/index.js';
import { stageProgress } from '../progress.js';
import { parseSeed } from '../seed.js';
import { loadWeights } from '../../store/index.js';

interface Opts {
  out: string;
  runId?: string;
  seed: number;
  kernel: KernelName;
  weights?: string;
  nulls: number;
  nullModel: NullModelOption;
  splitDate?: string;
  canary?: string;
  bars?: string[];
  tz: string;
  workers: number;
  redis?: string;
  force?: boolean;
  progress: boolean;
  json?: boolean;
}

function parseWorkersFlag(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--workers must be an integer ≥ 1; got "${v}"`);
  return n;
}

/** Fails fast (before minutes of computation) when the runs directory cannot be created or written. */
async function assertWritableDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    const probe = join(dir, `.write-probe-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe);
  } catch (e) {
    throw new UsageError(
      `cannot write to the runs directory ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

/** Sessions detected in OHLCV bar files (causal detectors, default session calendar). */
async function sessionsFromBars(files: string[], tz: string): Promise<Session[]> {
  const out: Session[] = [];
  for (const file of files) {
    const { bars } = await readBars(file, { tz });
    const sessions = barsToSessions(bars, { tz, sourceFile: file });
    if (sessions.length === 0)
      throw new UsageError(`${file}: no bars fall inside any session window of the calendar`);
    out.push(...sessions);
  }
  return out;
}

async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

async function versions(): Promise<Record<string, string>> {
  const pkg = JSON.parse(await readFile(join(packageRoot(), 'package.json'), 'utf8'));
  return { ironforge: pkg.version, node: process.versions.node, ...pkg.dependencies };
}

/** Everything of a run except timings and the creation time is a function of the inputs, seed and config. */
async function writeRun(
  dir: string,
  sessions: readonly Session[],
  result: PipelineResult,
  manifest: object,
  dashboard: string,
): Promise<void> {
  const stamp = 'run'; // conversion_timestamp of the shards: fixed so that reruns are byte-identical
  for (const s of sessions)
    await writeShard(join(dir, 'shards', `shard_${s.id}`), sessionToShard(s, { conversionTimestamp: stamp }));
  await writeParquet(join(dir, 'embeddings', 'embeddings.parquet'), embeddingColumns(result.discovered));
  await writeParquet(join(dir, 'embeddings', 'attention.parquet'), attentionColumns(result.discovered));
  await writeParquet(join(dir, 'patterns', 'patterns.parquet'), patternColumns(result.patterns));
  await writeParquet(
    join(dir, 'patterns', 'assignments.parquet'),
    patternAssignmentColumns(result.embeddings, result.patterns),
  );
  await writeParquet(join(dir, 'motifs', 'motifs.parquet'), motifColumns(result.motifs.results));
  await writeParquet(
    join(dir, 'confluence', 'scores.parquet'),
    confluenceSessionColumns(result.confluence.sessions),
  );
  await writeParquet(
    join(dir, 'confluence', 'windows.parquet'),
    confluenceWindowColumns(result.confluence.windows),
  );
  await writeFileAtomic(
    join(dir, 'confluence', 'stats.json'),
    toJson({
      config: result.confluence.config,
      components: result.confluence.components,
      sessions: confluenceStats(result.confluence.sessions),
      windows: confluenceStats(result.confluence.windows),
    }),
  );
  await writeFileAtomic(join(dir, 'reports', 'validation.json'), toJson(result.validation));
  await writeFileAtomic(join(dir, 'manifest.json'), toJson(manifest));
  await writeFileAtomic(join(dir, 'dashboard.html'), dashboard);
}

export function register(program: Command): void {
  program
    .command('run')
    .description(
      'the whole pipeline: shards, embeddings, motifs, patterns, confluence, validation, dashboard',
    )
    .argument('[paths...]', 'session JSON files or directories (default: the bundled NQ sample)')
    .option('--out <dir>', 'runs directory', 'runs')
    .option('--run-id <name>', 'run folder name (default: today, YYYY-MM-DD)')
    .option('--seed <n>', 'seed of every random step', parseSeed, 42)
    .option('--kernel <name>', KERNEL_NAMES.join(' | '), parseChoice('--kernel', KERNEL_NAMES), 'auto')
    .option('--weights <file>', 'trained TGAT weights instead of seeded ones')
    .option('--nulls <n>', 'motif null replicates', parsePositiveInt('--nulls'), 1000)
    .option(
      '--null-model <m>',
      `${NULL_MODELS.join(' | ')} | all`,
      parseChoice('--null-model', [...NULL_MODELS, 'all'] as const),
      'kind-shuffle',
    )
    .option(
      '--split-date <date>',
      'first holdout date of the validation (default: half the sessions by date)',
    )
    .option(
      '--bars <files...>',
      'OHLCV bar files (CSV/Parquet) to detect events in and include (see ingest-bars)',
    )
    .option('--tz <zone>', 'time zone of bar timestamps without an offset', 'America/New_York')
    .option(
      '--canary <file>',
      'canary.json to show in the dashboard (default: <out>/canary/canary.json if present)',
    )
    .option(
      '--workers <n>',
      'worker threads for discovery and motif nulls (1 = this thread; default: all cores)',
      parseWorkersFlag,
      defaultWorkers(),
    )
    .option(
      '--redis <host:port>',
      'distributed mode: discovery and null batches as BullMQ jobs for `ironforge worker`',
    )
    .option('--force', 'replace an existing run directory')
    .option('--no-progress', 'no progress bars')
    .option('--json', 'print the manifest as JSON')
    .action(async (paths: string[], opts: Opts) => {
      const t0 = performance.now();
      const runId = opts.runId ?? new Date().toISOString().slice(0, 10);
      if (!/^[A-Za-z0-9._-]+$/.test(runId))
        throw new UsageError(`--run-id may only use letters, digits, '.', '_' and '-'; got "${runId}"`);
      const dir = join(opts.out, runId);
      const exists = await stat(dir).then(
        () => true,
        () => false,
      );
      if (exists && !opts.force)
        throw new UsageError(`${dir} exists; use --force to replace it (or --run-id NAME)`);
      await assertWritableDir(opts.out);
      const fromBars = await sessionsFromBars(opts.bars ?? [], opts.tz);
      const ingest =
        fromBars.length && paths.length === 0
          ? { sessions: [], failures: [], warnings: [], skipped: [] }
          : await loadSessions(paths, { defaultToSample: true });
      const sessions = [...ingest.sessions, ...fromBars];
      const weights = opts.weights ? loadWeights(opts.weights) : undefined;
      const bars = stageProgress(opts.progress && Boolean(process.stderr.isTTY));
      let result: PipelineResult;
      const executor = opts.redis
        ? queueExecutor({ redis: parseRedisAddress(opts.redis), runId: `run-${runId}-${opts.seed}` })
        : executorForWorkers(opts.workers);
      try {
        result = await runPipelineScaled(
          sessions,
          {
            seed: opts.seed,
            kernel: opts.kernel,
            weights,
            motifs: { sizes: [3, 4, 5], nulls: opts.nulls, nullModel: opts.nullModel },
            splitDate: opts.splitDate,
            onProgress: (stage, done, total) => bars.update(stage, done, total),
          },
          executor,
          opts.workers,
        );
      } finally {
        bars.stop();
        await executor.close();
      }
      const canaryPath = opts.canary ?? join(opts.out, 'canary', 'canary.json');
      const canaryJson = await readFile(canaryPath, 'utf8').then(
        (t) => JSON.parse(t),
        () => undefined,
      );
      if (opts.canary && !canaryJson) throw new UsageError(`cannot read --canary ${opts.canary}`);
      const inputs = await Promise.all(
        sessions.map(async (s) => ({
          session: s.id,
          file: relative(process.cwd(), s.sourceFile),
          sha256: (await stat(s.sourceFile)).isFile() ? await sha256(s.sourceFile) : null,
        })),
      );
      const config = {
        kernel: opts.kernel,
        kernelsRun: [...new Set(result.discovered.map((d) => d.kernel))],
        motifs: { sizes: [3, 4, 5], nulls: opts.nulls, nullModel: opts.nullModel },
        patterns: { k: result.patterns.k },
        splitDate: result.validation.split.splitDate,
        weights: opts.weights ?? `seeded (${opts.seed})`,
      };
      const manifest = {
        kind: 'ironforge.run',
        version: 1,
        runId,
        createdAt: new Date().toISOString(),
        seed: opts.seed,
        versions: await versions(),
        config,
        inputs: {
          sessions: sessions.length,
          failed: ingest.failures,
          warnings: ingest.warnings.length,
          files: inputs,
        },
        outputs: {
          motifsTested: result.motifs.testedMotifs,
          promoted: result.motifs.results.filter((r) => r.class === 'PROMOTE').length,
          patterns: result.patterns.k,
          validation: result.validation.summary,
        },
        timings: result.timings.map((t) => ({ stage: t.stage, ms: Math.round(t.ms) })),
      };
      const html = renderDashboard(
        dashboardData(
          result,
          {
            title: `ironforge run ${runId}`,
            date: runId,
            seed: opts.seed,
            kernel: config.kernelsRun.join(', '),
            versions: manifest.versions,
            inputFiles: sessions.length,
            timings: manifest.timings,
            clockZone: 'ET',
          },
          canaryFigures(canaryJson),
        ),
      );
      await writeDirAtomic(dir, (tmp) => writeRun(tmp, sessions, result, manifest, html));
      const seconds = (performance.now() - t0) / 1000;
      if (opts.json) say(toJson({ dir, ...manifest }));
      else {
        const v = result.validation.summary;
        say(
          `run ${dir} (${seconds.toFixed(1)} s): ${sessions.length} sessions, ${result.embeddings.n} events`,
        );
        say(
          `  motifs: ${result.motifs.testedMotifs} tested, ${manifest.outputs.promoted} PROMOTE (${opts.nulls} ${opts.nullModel} nulls)`,
        );
        say(
          `  patterns: k = ${result.patterns.k}; confluence: ${result.confluence.sessions.length} sessions, ${result.confluence.windows.length} windows`,
        );
        say(
          `  validation (holdout from ${result.validation.split.splitDate}): ${v.replicated}/${v.promoted} promoted motifs replicate (rate ${v.replicationRate === null ? 'n/a' : v.replicationRate.toFixed(2)})`,
        );
        say(`  dashboard: ${join(dir, 'dashboard.html')}`);
      }
      if (ingest.failures.length) process.exitCode = 1;
    });
}
