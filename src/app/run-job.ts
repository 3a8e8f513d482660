/**
 * `ironforge run` as a library call: read the inputs, run the pipeline (serial, on worker threads or on a
 * queue), build the manifest and the dashboard, and write the run directory through its owner
 * (store/run-dir.ts). The CLI only parses flags into a RunConfig, calls `executeRun` and prints the report.
 */
import { readFile, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { UsageError, type Column } from '../core/index.js';
import { preflightRunConfig } from './run-preflight.js';
import {
  calibrateConfluence,
  confluenceSessionColumns,
  confluenceStats,
  confluenceWindowColumns,
  confluenceWindowLabels,
  type ConfluenceCalibration,
  type ConfluenceWindowRow,
} from '../confluence/index.js';
import { type Bars, type EventColumns, ingestBarSeries, type SessionSegments } from '../detect/index.js';
import {
  familyOccurrencesOf,
  runFamilyOccurrences,
  type RunFamilyOccurrences,
} from './family-occurrences.js';
import { evalSeriesFromBars, evaluate, type EvaluationResult } from '../evaluate/index.js';
import { patternAssignmentColumns, patternColumns } from '../patterns/index.js';
import { preloadCharts, renderDashboard, type RunInfo } from '../report/index.js';
import { parseRedisAddress, queueExecutor } from '../scale/index.js';
import type { Session } from '../session/index.js';
import {
  assertWritableRunsDir,
  attentionColumns,
  canaryPaths,
  embeddingColumns,
  evaluationColumns,
  evaluationJson,
  motifColumns,
  readBars,
  readCanaryJson,
  readSessions,
  runDirPath,
  sessionToShard,
  writeRunDir,
  defaultCacheDir,
  encodeShard,
  fileSha256,
  StageCache,
  type EncodedShard,
  type StageCacheStats,
  type IngestFailure,
  type IngestResult,
  type RunContents,
} from '../store/index.js';
import { toJson } from '../validation/index.js';
import { canaryFigures, dashboardData } from './dashboard-data.js';
import { evidenceView } from './evidence-data.js';
import { bundledSampleDir, packageRoot } from './paths.js';
import { chooseEncoder } from './encoder.js';
import type { RunConfig } from './run-config.js';
import { executorForWorkers, runPipelineScaled } from './run-scaled.js';
import { ShardPrefetch } from './shard-prefetch.js';
import type { PipelineResult, RunStage } from './run.js';
import {
  cachedDiscover,
  ingestKey,
  LOOKUP_GROUP,
  mapGroups,
  rememberBarSessionDigest,
  runCacheStages,
  shardKey,
  type IngestEntry,
  type RunCacheStages,
} from './run-cache.js';

export interface RunHooks {
  /** Progress of a stage (done/total units). */
  onProgress?: (stage: RunStage, done: number, total: number) => void;
  /** Input files that could not be read (the rest of the batch goes on). */
  onInputError?: (message: string) => void;
  /** Something the run decided for the user (e.g. a weights file it could not use and what it used instead). */
  onWarning?: (message: string) => void;
}

export interface RunReport {
  /** The run folder written. */
  dir: string;
  /** What the stage cache did (null with --no-cache); kept out of the manifest, which must not depend on it. */
  cache: ({ dir: string } & StageCacheStats) | null;
  /**
   * Time to write the run folder (after the manifest, so not in its timings): `shardsMs` of it producing the
   * sessions' encoded shards (from the cache or the encoder), `writeMs` the whole write.
   */
  output: { shardsMs: number; writeMs: number };
  manifest: RunManifest;
  sessions: readonly Session[];
  ingest: Pick<IngestResult, 'failures' | 'warnings'>;
  result: PipelineResult;
  evaluation: EvaluationResult[];
  confluenceCalibration: RunConfluenceCalibration[];
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
  outputs: {
    motifsTested: number;
    promoted: number;
    patterns: number;
    validation: unknown;
    evaluation: unknown;
  };
  timings: { stage: string; ms: number }[];
}

/** The run header's context: what the data is (instrument, date range, sessions), how it was run, versions. */
function runContext(
  sessions: readonly Session[],
  manifest: RunManifest,
  files: readonly { file: string }[],
  how: Pick<RunInfo, 'nullModel' | 'nulls' | 'encoder' | 'patternFeatures'>,
): RunInfo {
  const dates = sessions.map((s) => s.date).sort();
  const symbols = [...new Set(sessions.map((s) => s.symbol))].sort();
  const instrument = symbols.join(', ');
  const range = dates.length ? { first: dates[0], last: dates[dates.length - 1] } : undefined;
  const byType: Record<string, number> = {};
  for (const s of sessions) byType[s.type] = (byType[s.type] ?? 0) + 1;
  const fileList = [...new Set(files.map((f) => f.file))];
  return {
    title: range ? `${instrument} ${range.first} … ${range.last}` : `ironforge run ${manifest.runId}`,
    date: manifest.runId,
    instrument,
    ...(range ? { dataRange: range } : {}),
    sessionsByType: byType,
    versions: manifest.versions,
    inputFiles: fileList.length,
    inputFileList: fileList,
    ...how,
    timings: manifest.timings,
    clockZone: 'ET',
  };
}

/** Conversion timestamp written into every shard of a run: fixed so that reruns are byte-identical. */
export const SHARD_STAMP = 'run';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** SHA-256 of a file's bytes (streamed), at most once per run: the ingest cache key and the manifest both need it. */
type FileHasher = (path: string) => Promise<string>;

function fileHasher(): FileHasher {
  const seen = new Map<string, Promise<string>>();
  return (path) => {
    let hash = seen.get(path);
    if (!hash) seen.set(path, (hash = fileSha256(path)));
    return hash;
  };
}

/** A bar file's ingest key and its cached entry (null when absent). */
async function lookupIngest(
  file: string,
  tz: string,
  stages: RunCacheStages,
  hashFile: FileHasher,
): Promise<{ key: string; hit: IngestEntry | null }> {
  const key = ingestKey(stages, file, await hashFile(file), tz);
  return { key, hit: await stages.ingest.get(key) };
}

/** One bar file read and run through the detectors (its cache entry looked up already, or no cache). */
async function ingestBarFile(
  file: string,
  tz: string,
  stages: RunCacheStages | null,
  cached: { key: string; hit: IngestEntry | null } | null,
): Promise<IngestEntry> {
  const key = cached?.key ?? null;
  if (cached?.hit) {
    for (const s of cached.hit.sessions) rememberBarSessionDigest(s, cached.key);
    return cached.hit;
  }
  const read = await readBars(file, { tz });
  const ingest = ingestBarSeries(read.bars, { tz, sourceFile: file });
  const entry = {
    bars: read.bars,
    segments: ingest.segments,
    events: ingest.events,
    sessions: ingest.sessions,
  };
  // a file without sessions is refused below; nothing worth keeping
  if (stages && key && entry.sessions.length > 0) {
    await stages.ingest.put(key, entry);
    for (const s of entry.sessions) rememberBarSessionDigest(s, key);
  }
  return entry;
}

/** Sessions detected in OHLCV bar files (causal detectors, default session calendar), and the bars. */
async function sessionsFromBars(
  files: readonly string[],
  tz: string,
  stages: RunCacheStages | null = null,
  hashFile: FileHasher = fileHasher(),
): Promise<{ sessions: Session[]; bars: BarInput[] }> {
  const out: Session[] = [];
  const bars: BarInput[] = [];
  // every file's cache entry first, overlapped in groups (hashing and reading), then the misses computed
  const cached = stages
    ? await mapGroups(files, LOOKUP_GROUP, (f) => lookupIngest(f, tz, stages, hashFile))
    : null;
  for (const [i, file] of files.entries()) {
    const ingest = await ingestBarFile(file, tz, stages, cached?.[i] ?? null);
    const sessions = ingest.sessions;
    if (sessions.length === 0)
      throw new UsageError(`${file}: no bars fall inside any session window of the calendar`);
    out.push(...sessions);
    bars.push({ file, bars: ingest.bars, segments: ingest.segments, events: ingest.events });
  }
  return { sessions: out, bars };
}

/** One bar file of a run: its bars feed the detectors (sessions) and the evaluation. */
export interface BarInput {
  file: string;
  bars: Bars;
  /** The calendar split and the causal detector events of `bars` (computed once, for sessions and evaluation). */
  segments: SessionSegments;
  events: EventColumns;
}

/** The session inputs of a run: the given files (default: the bundled sample) plus sessions from bars. */
export async function loadRunInputs(
  cfg: Pick<RunConfig, 'inputs' | 'bars' | 'barZone'>,
  hooks: RunHooks = {},
  stages: RunCacheStages | null = null,
  hashFile: FileHasher = fileHasher(),
): Promise<{ sessions: Session[]; ingest: Pick<IngestResult, 'failures' | 'warnings'>; bars: BarInput[] }> {
  const { sessions: fromBars, bars } = await sessionsFromBars(cfg.bars, cfg.barZone, stages, hashFile);
  if (fromBars.length && cfg.inputs.length === 0) {
    const kept = withoutSplitSessions(fromBars, cfg.barZone);
    for (const f of kept.failures) hooks.onInputError?.(f.error);
    if (kept.sessions.length === 0) throw new UsageError(`no usable sessions: ${kept.failures[0].error}`);
    return { sessions: kept.sessions, ingest: { failures: kept.failures, warnings: [] }, bars };
  }
  const paths = cfg.inputs.length ? cfg.inputs : [bundledSampleDir()];
  const r = await readSessions(paths);
  for (const f of r.failures) hooks.onInputError?.(f.error);
  if (r.sessions.length === 0 && fromBars.length === 0)
    throw new UsageError(
      `no usable sessions in ${paths.join(', ')}${r.failures.length ? ` (${r.failures.length} failed)` : ''}`,
    );
  const kept = withoutSplitSessions([...r.sessions, ...fromBars], cfg.barZone);
  for (const f of kept.failures) hooks.onInputError?.(f.error);
  if (kept.sessions.length === 0) throw new UsageError(`no usable sessions: ${kept.failures[0].error}`);
  return {
    sessions: kept.sessions,
    ingest: { ...r, failures: [...r.failures, ...kept.failures] },
    bars,
  };
}

/**
 * Sessions whose id more than one input produced are left out, each reported with the files it came from: on
 * bars this is a session window that crosses the cut between two files (each holds part of it, detected without
 * the other's bars), and mining needs one session per id. Never an abort: the other sessions go on.
 */
export function withoutSplitSessions(
  sessions: readonly Session[],
  zone: string,
): { sessions: Session[]; failures: IngestFailure[] } {
  const byId = new Map<string, Session[]>();
  for (const s of sessions) {
    const list = byId.get(s.id);
    if (list) list.push(s);
    else byId.set(s.id, [s]);
  }
  const failures: IngestFailure[] = [];
  for (const [id, list] of byId) {
    if (list.length < 2) continue;
    const files = [...new Set(list.map((s) => s.sourceFile))];
    failures.push({
      file: files.join(', '),
      error:
        `session ${id} comes from ${list.length} inputs (${files.join(', ')}): its window crosses where the ` +
        `files are cut, so each holds part of it; all ${list.length} parts are left out — cut bar files between ` +
        `session windows (e.g. at 18:30 ${zone}: no default window is open from 18:15 to 19:00) or pass one file`,
    });
  }
  return { sessions: sessions.filter((s) => byId.get(s.id)!.length === 1), failures };
}

/** The calibrated confluence of one bar file: its sessions' windows against CONFLUENCE_OUTCOME, walk-forward. */
export interface RunConfluenceCalibration {
  source: string;
  calibration: ConfluenceCalibration;
}

/**
 * The evaluate stage of a run: one evaluation per bar file (records carry no bars: none), and the confluence
 * windows of that file's sessions calibrated walk-forward on the same series. A file that fails is reported
 * and the others go on.
 */
function evaluateRunBars(
  bars: readonly BarInput[],
  windows: readonly ConfluenceWindowRow[],
  sessions: readonly Session[],
  families: readonly RunFamilyOccurrences[],
  cfg: Pick<RunConfig, 'barZone' | 'seed'>,
  hooks: RunHooks,
): {
  results: EvaluationResult[];
  calibrations: RunConfluenceCalibration[];
  failures: { file: string; error: string }[];
} {
  const results: EvaluationResult[] = [];
  const calibrations: RunConfluenceCalibration[] = [];
  const failures: { file: string; error: string }[] = [];
  bars.forEach(({ file, bars: b, segments, events }, i) => {
    hooks.onProgress?.('evaluate', i, bars.length);
    try {
      const series = evalSeriesFromBars(b, { tz: cfg.barZone, source: file, detected: { segments, events } });
      // the run's motif families fire when an occurrence completes; they were mined on all of these sessions
      // (in-sample — the result says so: FamilySignalInfo.inSample), never selected by what price did next
      const r = evaluate(series, {
        seed: cfg.seed,
        tz: cfg.barZone,
        ...(families.length > 0 ? { motifFamilies: familyOccurrencesOf(families, file) } : {}),
      });
      // said, not silently dropped: this needs per-fold refitting, which the run does not do yet
      r.skipped.push({
        signal: 'pattern:*',
        reason:
          'pattern assignments are not evaluated: the centroids are fitted on all sessions of the run (look-ahead)',
      });
      results.push(r);
      const ids = new Set(sessions.filter((s) => s.sourceFile === file).map((s) => s.id));
      const mine = windows.filter((w) => ids.has(w.session_id));
      const calibration = calibrateConfluence(mine, confluenceWindowLabels(series, mine), {
        bootstrap: { seed: cfg.seed },
      });
      calibrations.push({ source: file, calibration });
    } catch (e) {
      failures.push({ file, error: `${file}: evaluate: ${(e as Error).message}` });
      hooks.onInputError?.(`${file}: evaluate: ${(e as Error).message}`);
    }
  });
  if (bars.length > 0) hooks.onProgress?.('evaluate', bars.length, bars.length);
  return { results, calibrations, failures };
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

/**
 * Each session's encoded shard, one at a time: from the stage cache, else encoded (and kept there). `clock.ms`
 * gathers the time spent producing them (bench/pipeline.ts reads it).
 */
export async function* encodedShards(
  sessions: readonly Session[],
  stages: RunCacheStages | null,
  clock: { ms: number },
  ahead?: ShardPrefetch,
): AsyncGenerator<{ sessionId: string; encoded: EncodedShard }> {
  for (const s of sessions) {
    const t0 = performance.now();
    const encoded = ahead?.take(s) ?? (await produceShard(s, stages));
    clock.ms += performance.now() - t0; // producing the shard (cache or encoder), not writing the run folder
    yield { sessionId: s.id, encoded };
  }
}

/** One session's encoded shard: from the stage cache, else encoded (and kept there). */
async function produceShard(s: Session, stages: RunCacheStages | null): Promise<EncodedShard> {
  const key = stages ? shardKey(stages, s, SHARD_STAMP) : null;
  let encoded = stages && key ? await stages.shard.get(key) : null;
  if (!encoded) {
    encoded = encodeShard(sessionToShard(s, { conversionTimestamp: SHARD_STAMP }));
    if (stages && key) await stages.shard.put(key, encoded);
  }
  return encoded;
}

/** The files of a run, encoded: shards lazily, tables as columns, documents as text. */
function runContents(
  stages: RunCacheStages | null,
  shardClock: { ms: number },
  ahead: ShardPrefetch,
  sessions: readonly Session[],
  result: PipelineResult,
  manifest: RunManifest,
  dashboard: string,
  evaluation: readonly EvaluationResult[],
  calibrations: readonly RunConfluenceCalibration[],
): RunContents {
  // the calibrated probability beside each window's raw (descriptive) score; NaN where none
  const windowColumns = (): Column[] => {
    const calibratedOf = new Map<string, number | null>();
    for (const c of calibrations)
      for (const w of c.calibration.windows)
        calibratedOf.set(`${w.session_id}@${w.window_start}`, w.calibrated);
    const columns = confluenceWindowColumns(result.confluence.windows);
    if (calibrations.length > 0)
      columns.push({
        name: 'calibrated',
        type: 'float64',
        values: Float64Array.from(
          result.confluence.windows,
          (w) => calibratedOf.get(`${w.session_id}@${w.window_start}`) ?? NaN,
        ),
      });
    return columns;
  };
  return {
    evaluation:
      evaluation.length > 0
        ? { table: evaluationColumns(evaluation), json: evaluationJson(evaluation) }
        : null,
    shards: encodedShards(sessions, stages, shardClock, ahead),
    // each table built when its file is written and dropped after (store/run-dir.ts): one at a time in memory
    tables: {
      embeddings: () => embeddingColumns(result.discovered),
      attention: () => attentionColumns(result.discovered),
      patterns: () => patternColumns(result.patterns),
      assignments: () => patternAssignmentColumns(result.embeddings, result.patterns),
      motifs: () => motifColumns(result.motifs.results),
      confluenceScores: () => confluenceSessionColumns(result.confluence.sessions),
      confluenceWindows: windowColumns,
    },
    confluenceStats: toJson({
      config: result.confluence.config,
      components: result.confluence.components,
      sessions: confluenceStats(result.confluence.sessions),
      windows: confluenceStats(result.confluence.windows),
      calibration:
        calibrations.length === 0
          ? 'descriptive only: the calibrated score needs bars (run --bars FILE)'
          : calibrations.map(({ source, calibration: c }) => ({
              source,
              outcome: c.outcomeDoc,
              method: c.method,
              walkForward: c.walkForward,
              folds: c.folds.map(({ calibrator: _calibrator, ...f }) => f),
              reliability: c.reliability,
              brier: c.brier,
            })),
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
  await preflightRunConfig(cfg); // every flag that names a file or a server, checked before any work
  const versions = await packageVersions();
  const cache = cfg.cache
    ? new StageCache(cfg.cacheDir ?? defaultCacheDir(cfg.runsDir), (path, problem) =>
        hooks.onWarning?.(`stage cache entry ${path}: ${problem}`),
      )
    : null;
  const stages = cache ? runCacheStages(cache, versions.ironforge) : null;
  const hashFile = fileHasher();
  const tIngest = performance.now();
  const { sessions: inputSessions, ingest: read, bars } = await loadRunInputs(cfg, hooks, stages, hashFile);
  const ingestMs = performance.now() - tIngest;
  const encoder = chooseEncoder(cfg.weightsFile, cfg.seed);
  if (encoder.fallback) hooks.onWarning?.(`encoder: ${encoder.fallback}`);
  const weights = encoder.weights;
  const patternFeatures =
    cfg.patternFeatures !== 'auto' ? cfg.patternFeatures : encoder.earnedItsPlace ? 'embeddings' : 'hand';
  const patternWhy =
    cfg.patternFeatures !== 'auto'
      ? `--pattern-features ${cfg.patternFeatures}`
      : encoder.earnedItsPlace
        ? 'the encoder beat the best baseline on its test dates (provenance)'
        : 'no encoder has beaten the best baseline on held-out dates (README "The encoder"): patterns use the causal hand features';
  const motifs = { sizes: cfg.motifSizes, nulls: cfg.nulls, nullModel: cfg.nullModel };
  const executor = cfg.redis
    ? queueExecutor({ redis: parseRedisAddress(cfg.redis), runId: `run-${runId}-${cfg.seed}` })
    : executorForWorkers(cfg.workers);
  const shardsAhead = new ShardPrefetch((s) => produceShard(s, stages));
  let result: PipelineResult;
  try {
    result = await runPipelineScaled(
      inputSessions,
      {
        seed: cfg.seed,
        kernel: cfg.kernel,
        weights,
        inputScaler: encoder.inputScaler,
        patternFeatures,
        motifs,
        splitDate: cfg.splitDate ?? undefined,
        controls: cfg.controls,
        onProgress: hooks.onProgress,
        // this thread is idle while the workers count nulls: load the charts, encode the shards ahead
        whileMining: () => {
          preloadCharts();
          shardsAhead.start(inputSessions);
        },
        // finished chunks of sessions reach the cache as they finish: a killed run keeps them
        wrapDiscover: stages
          ? (compute) => cachedDiscover(stages, compute, Math.max(16, 8 * cfg.workers))
          : undefined,
      },
      executor,
      cfg.workers,
    );
  } finally {
    shardsAhead.stop(); // the rest are encoded as they are written (and none after a failure)
    await executor.close();
  }
  // sessions a stage left out join the input failures: named on stderr, in the manifest, and the run exits 1
  const sessions = result.sessions;
  const stageFailures = result.faults.map((f) => ({
    file: f.file,
    error: `${f.file}: ${f.stage}: ${f.field} = ${f.value}; session ${f.session} left out (the other sessions go on)`,
  }));
  for (const f of stageFailures) hooks.onInputError?.(f.error);
  const ingest = { ...read, failures: [...read.failures, ...stageFailures] };
  const tEval = performance.now();
  const families = bars.length > 0 ? runFamilyOccurrences(result) : [];
  const evaluation = evaluateRunBars(bars, result.confluence.windows, sessions, families, cfg, hooks);
  if (bars.length > 0) result.timings.push({ stage: 'evaluate', ms: performance.now() - tEval });
  const canaryJson = await readCanary(cfg);
  // each source file hashed once (bar files already were, for their ingest key) and one at a time: a bar file is
  // the source of thousands of sessions, and a folder may hold thousands of files — opening them all at once ran
  // out of file handles and memory
  const hashOf = new Map<string, string | null>();
  const files = [];
  for (const s of sessions) {
    let hash = hashOf.get(s.sourceFile);
    if (hash === undefined) {
      hash = (await stat(s.sourceFile)).isFile() ? await hashFile(s.sourceFile) : null;
      hashOf.set(s.sourceFile, hash);
    }
    files.push({ session: s.id, file: relative(process.cwd(), s.sourceFile), sha256: hash });
  }
  const kernelsRun = [...new Set(result.discovered.map((d) => d.kernel))];
  const manifest: RunManifest = {
    kind: 'ironforge.run',
    version: 1,
    runId,
    createdAt: new Date().toISOString(),
    seed: cfg.seed,
    versions,
    config: {
      kernel: cfg.kernel,
      kernelsRun,
      motifs,
      patterns: { k: result.patterns.k, features: patternFeatures, why: patternWhy },
      splitDate: result.validation.status === 'done' ? result.validation.split.splitDate : null,
      weights: encoder.file ?? `seeded (${cfg.seed})`,
      encoder: {
        source: encoder.source,
        file: encoder.file,
        provenance: encoder.provenance,
        fallback: encoder.fallback,
      },
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
      evaluation:
        bars.length === 0
          ? { skipped: 'no bars: the evaluation needs --bars (session records carry no bar data)' }
          : {
              files: evaluation.results.map((r) => ({ source: r.source, ...r.headline })),
              failed: evaluation.failures,
            },
    },
    timings: [{ stage: 'ingest', ms: ingestMs }, ...result.timings].map((t) => ({
      stage: t.stage,
      ms: Math.round(t.ms),
    })),
  };
  const html = renderDashboard(
    dashboardData(
      result,
      {
        ...runContext(sessions, manifest, files, {
          nullModel: String(cfg.nullModel),
          nulls: cfg.nulls,
          encoder: encoder.file ? `${encoder.source}: ${encoder.file}` : encoder.source,
          patternFeatures: `${patternFeatures} (k = ${result.patterns.k})`,
        }),
        seed: cfg.seed,
        kernel: kernelsRun.join(', '),
      },
      canaryFigures(canaryJson),
      // the dashboard shows the first bar file's evaluation; a run on records says the evaluation needs bars
      evaluation.results[0] ?? null,
      evaluation.calibrations,
      bars, // the chart's candles
      evidenceView(
        result,
        bars.length === 0 ? null : (evaluation.results[0] ?? undefined), // undefined: the evaluation failed
      ),
    ),
  );
  const shardClock = { ms: shardsAhead.ms };
  const tWrite = performance.now();
  await writeRunDir(
    dir,
    runContents(
      stages,
      shardClock,
      shardsAhead,
      sessions,
      result,
      manifest,
      html,
      evaluation.results,
      evaluation.calibrations,
    ),
  );
  return {
    dir,
    cache: cache ? { dir: cache.dir, ...cache.stats } : null,
    output: { shardsMs: shardClock.ms, writeMs: performance.now() - tWrite },
    manifest,
    sessions,
    ingest,
    result,
    evaluation: evaluation.results,
    confluenceCalibration: evaluation.calibrations,
    seconds: (performance.now() - t0) / 1000,
  };
}
