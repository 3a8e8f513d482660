/**
 * `ironforge run` as a library call: read the inputs, run the pipeline (serial, on worker threads or on a
 * queue), build the manifest and the dashboard, and write the run directory through its owner
 * (store/run-dir.ts). The CLI only parses flags into a RunConfig, calls `executeRun` and prints the report.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { UsageError } from '../core/index.js';
import { confluenceSessionColumns, confluenceStats, confluenceWindowColumns } from '../confluence/index.js';
import { barsToSessions } from '../detect/index.js';
import { patternAssignmentColumns, patternColumns } from '../patterns/index.js';
import { renderDashboard } from '../report/index.js';
import { parseRedisAddress, queueExecutor } from '../scale/index.js';
import type { Session } from '../session/index.js';
import {
  assertWritableRunsDir,
  attentionColumns,
  canaryPaths,
  embeddingColumns,
  loadWeights,
  motifColumns,
  readBars,
  readCanaryJson,
  readSessions,
  runDirPath,
  sessionToShard,
  writeRunDir,
  type IngestResult,
  type RunContents,
} from '../store/index.js';
import { toJson } from '../validation/index.js';
import { canaryFigures, dashboardData } from './dashboard-data.js';
import { bundledSampleDir, packageRoot } from './paths.js';
import type { RunConfig } from './run-config.js';
import { executorForWorkers, runPipelineScaled } from './run-scaled.js';
import type { PipelineResult, RunStage } from './run.js';

export interface RunHooks {
  /** Progress of a stage (done/total units). */
  onProgress?: (stage: RunStage, done: number, total: number) => void;
  /** Input files that could not be read (the rest of the batch goes on). */
  onInputError?: (message: string) => void;
}

export interface RunReport {
  /** The run folder written. */
  dir: string;
  manifest: RunManifest;
  sessions: readonly Session[];
  ingest: Pick<IngestResult, 'failures' | 'warnings'>;
  result: PipelineResult;
  seconds: number;
}

export interface RunManifest {
  kind: 'ironforge.run';
  version: 1;
  runId: string;
  createdAt: string;
  seed: number;
  versions: Record<string, string>;
  config: Record<string, unknown>;
  inputs: {
    sessions: number;
    failed: { file: string; error: string }[];
    warnings: number;
    files: { session: string; file: string; sha256: string | null }[];
  };
  outputs: { motifsTested: number; promoted: number; patterns: number; validation: unknown };
  timings: { stage: string; ms: number }[];
}

/** Conversion timestamp written into every shard of a run: fixed so that reruns are byte-identical. */
const SHARD_STAMP = 'run';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Sessions detected in OHLCV bar files (causal detectors, default session calendar). */
async function sessionsFromBars(files: readonly string[], tz: string): Promise<Session[]> {
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

/** The session inputs of a run: the given files (default: the bundled sample) plus sessions from bars. */
export async function loadRunInputs(
  cfg: Pick<RunConfig, 'inputs' | 'bars' | 'barZone'>,
  hooks: RunHooks = {},
): Promise<{ sessions: Session[]; ingest: Pick<IngestResult, 'failures' | 'warnings'> }> {
  const fromBars = await sessionsFromBars(cfg.bars, cfg.barZone);
  if (fromBars.length && cfg.inputs.length === 0)
    return { sessions: fromBars, ingest: { failures: [], warnings: [] } };
  const paths = cfg.inputs.length ? cfg.inputs : [bundledSampleDir()];
  const r = await readSessions(paths);
  for (const f of r.failures) hooks.onInputError?.(f.error);
  if (r.sessions.length === 0 && fromBars.length === 0)
    throw new UsageError(
      `no usable sessions in ${paths.join(', ')}${r.failures.length ? ` (${r.failures.length} failed)` : ''}`,
    );
  return { sessions: [...r.sessions, ...fromBars], ingest: r };
}

async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

async function packageVersions(): Promise<Record<string, string>> {
  const pkg = JSON.parse(await readFile(`${packageRoot()}/package.json`, 'utf8'));
  return { ironforge: pkg.version, node: process.versions.node, ...pkg.dependencies };
}

/** The canary results the dashboard shows: `--canary FILE` (required to exist) or the runs directory's own. */
async function readCanary(cfg: RunConfig): Promise<unknown> {
  const path = cfg.canaryFile ?? canaryPaths(cfg.runsDir).json;
  try {
    return await readCanaryJson(path);
  } catch {
    if (cfg.canaryFile) throw new UsageError(`cannot read --canary ${cfg.canaryFile}`);
    return undefined; // no canary in this runs directory yet: the dashboard leaves the section out
  }
}

/** The files of a run, encoded: shards lazily, tables as columns, documents as text. */
function runContents(
  sessions: readonly Session[],
  result: PipelineResult,
  manifest: RunManifest,
  dashboard: string,
): RunContents {
  return {
    shards: (function* () {
      for (const s of sessions)
        yield { sessionId: s.id, shard: sessionToShard(s, { conversionTimestamp: SHARD_STAMP }) };
    })(),
    tables: {
      embeddings: embeddingColumns(result.discovered),
      attention: attentionColumns(result.discovered),
      patterns: patternColumns(result.patterns),
      assignments: patternAssignmentColumns(result.embeddings, result.patterns),
      motifs: motifColumns(result.motifs.results),
      confluenceScores: confluenceSessionColumns(result.confluence.sessions),
      confluenceWindows: confluenceWindowColumns(result.confluence.windows),
    },
    confluenceStats: toJson({
      config: result.confluence.config,
      components: result.confluence.components,
      sessions: confluenceStats(result.confluence.sessions),
      windows: confluenceStats(result.confluence.windows),
    }),
    validation: toJson(result.validation),
    manifest: toJson(manifest),
    dashboard,
  };
}

/** Runs the whole pipeline for `cfg` (already resolved) and writes `<runsDir>/<runId>`. */
export async function executeRun(cfg: RunConfig, hooks: RunHooks = {}): Promise<RunReport> {
  const t0 = performance.now();
  const runId = cfg.runId ?? new Date().toISOString().slice(0, 10);
  const dir = runDirPath(cfg.runsDir, runId);
  if ((await exists(dir)) && !cfg.force)
    throw new UsageError(`${dir} exists; use --force to replace it (or --run-id NAME)`);
  await assertWritableRunsDir(cfg.runsDir);
  const { sessions, ingest } = await loadRunInputs(cfg, hooks);
  const weights = cfg.weightsFile ? loadWeights(cfg.weightsFile) : undefined;
  const motifs = { sizes: cfg.motifSizes, nulls: cfg.nulls, nullModel: cfg.nullModel };
  const executor = cfg.redis
    ? queueExecutor({ redis: parseRedisAddress(cfg.redis), runId: `run-${runId}-${cfg.seed}` })
    : executorForWorkers(cfg.workers);
  let result: PipelineResult;
  try {
    result = await runPipelineScaled(
      sessions,
      {
        seed: cfg.seed,
        kernel: cfg.kernel,
        weights,
        motifs,
        splitDate: cfg.splitDate ?? undefined,
        controls: cfg.controls,
        onProgress: hooks.onProgress,
      },
      executor,
      cfg.workers,
    );
  } finally {
    await executor.close();
  }
  const canaryJson = await readCanary(cfg);
  const files = await Promise.all(
    sessions.map(async (s) => ({
      session: s.id,
      file: relative(process.cwd(), s.sourceFile),
      sha256: (await stat(s.sourceFile)).isFile() ? await sha256(s.sourceFile) : null,
    })),
  );
  const kernelsRun = [...new Set(result.discovered.map((d) => d.kernel))];
  const manifest: RunManifest = {
    kind: 'ironforge.run',
    version: 1,
    runId,
    createdAt: new Date().toISOString(),
    seed: cfg.seed,
    versions: await packageVersions(),
    config: {
      kernel: cfg.kernel,
      kernelsRun,
      motifs,
      patterns: { k: result.patterns.k },
      splitDate: result.validation.status === 'done' ? result.validation.split.splitDate : null,
      weights: cfg.weightsFile ?? `seeded (${cfg.seed})`,
    },
    inputs: { sessions: sessions.length, failed: ingest.failures, warnings: ingest.warnings.length, files },
    outputs: {
      motifsTested: result.motifs.testedMotifs,
      promoted: result.motifs.results.filter((r) => r.class === 'PROMOTE').length,
      patterns: result.patterns.k,
      validation:
        result.validation.status === 'done'
          ? result.validation.summary
          : { skipped: result.validation.reason },
    },
    timings: result.timings.map((t) => ({ stage: t.stage, ms: Math.round(t.ms) })),
  };
  const html = renderDashboard(
    dashboardData(
      result,
      {
        title: `ironforge run ${runId}`,
        date: runId,
        seed: cfg.seed,
        kernel: kernelsRun.join(', '),
        versions: manifest.versions,
        inputFiles: sessions.length,
        timings: manifest.timings,
        clockZone: 'ET',
      },
      canaryFigures(canaryJson),
    ),
  );
  await writeRunDir(dir, runContents(sessions, result, manifest, html));
  return { dir, manifest, sessions, ingest, result, seconds: (performance.now() - t0) / 1000 };
}
