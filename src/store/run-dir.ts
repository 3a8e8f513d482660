/**
 * The one owner of the run-directory layout. `ironforge run` writes a run directory through `writeRunDir`;
 * `similar --run`, `score --run`, `status`, the dashboard and the canary find what they need through
 * `openRunDir`, `runPaths`, `listRuns` and `canaryPaths`. Nothing else in ironforge spells a path inside a run.
 *
 *   <runs>/                      the runs directory (`run --out`, `status --runs`; default `runs`)
 *     <run-id>/                  one run (default id: the date it ran), replaced as a whole by `run --force`
 *       manifest.json            kind "ironforge.run", version 1: versions, seed, config, inputs, outputs, timings
 *       shards/shard_<SESSION>/  nodes/edges/node_map Parquet + meta.json (the original schema)
 *       embeddings/embeddings.parquet, embeddings/attention.parquet
 *       patterns/patterns.parquet, patterns/assignments.parquet
 *       motifs/motifs.parquet
 *       confluence/scores.parquet, confluence/windows.parquet, confluence/stats.json
 *       reports/validation.json
 *       reports/evaluation.parquet, reports/evaluation.json   only for runs on bars (`run --bars`)
 *       dashboard.html
 *     .cache/                    the stage cache (store/stage-cache.ts; `run --cache DIR` puts it elsewhere): hidden,
 *                                so `status` and `listRuns` skip it, and beside the runs so `run --force` keeps it
 *     canary/                    `ironforge canary` results (canary.json, canary.md): beside the runs, never
 *                                inside one, so `run --force` cannot delete them; `run` shows them
 */
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readParquet, writeDirAtomic, writeFileAtomic, writeParquet } from '../io/index.js';
import { UsageError, type Column } from '../core/index.js';
import { confluenceSessionColumns, confluenceWindowColumns } from '../confluence/index.js';
import { CANARY_JSON_FILE, CANARY_MD_FILE } from './canary.js';
import { writeEncodedShard, writeShard, type EncodedShard, type ShardInput } from './shard.js';

/** Paths inside one run directory, relative to it. */
export const RUN_FILES = {
  manifest: 'manifest.json',
  dashboard: 'dashboard.html',
  shards: 'shards',
  embeddings: 'embeddings/embeddings.parquet',
  attention: 'embeddings/attention.parquet',
  patterns: 'patterns/patterns.parquet',
  assignments: 'patterns/assignments.parquet',
  motifs: 'motifs/motifs.parquet',
  confluenceScores: 'confluence/scores.parquet',
  confluenceWindows: 'confluence/windows.parquet',
  confluenceStats: 'confluence/stats.json',
  validation: 'reports/validation.json',
  evaluationTable: 'reports/evaluation.parquet',
  evaluationJson: 'reports/evaluation.json',
} as const;

export type RunFileName = keyof typeof RUN_FILES;

/** The folders of a run (what `status` counts). */
export const RUN_FOLDERS = ['shards', 'embeddings', 'patterns', 'motifs', 'confluence', 'reports'] as const;

/** The manifest's identity: what `openRunDir` expects. */
export const RUN_MANIFEST_KIND = 'ironforge.run';
export const RUN_MANIFEST_VERSION = 1;

/** Name of the canary's folder in the runs directory; reserved (no run may take it as its id). */
export const CANARY_FOLDER = 'canary';

/** The shard folder of one session inside a run. */
export function shardPath(runDir: string, sessionId: string): string {
  return join(runDir, RUN_FILES.shards, `shard_${sessionId}`);
}

/** Absolute (or cwd-relative) paths of every file of the run in `runDir`. */
export function runPaths(runDir: string): Record<RunFileName, string> {
  return Object.fromEntries(
    Object.entries(RUN_FILES).map(([k, rel]) => [k, join(runDir, ...rel.split('/'))]),
  ) as Record<RunFileName, string>;
}

/** The run folder `<runs>/<runId>`; refuses ids that are not plain names or that name the canary's folder. */
export function runDirPath(runsDir: string, runId: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(runId) || runId === '.' || runId === '..')
    throw new RunDirError(`a run id may only use letters, digits, '.', '_' and '-'; got "${runId}"`);
  if (runId === CANARY_FOLDER)
    throw new RunDirError(`"${CANARY_FOLDER}" is reserved for the canary's results; choose another run id`);
  return join(runsDir, runId);
}

/** Fails fast (before minutes of computation) when the runs directory cannot be created or written. */
export async function assertWritableRunsDir(runsDir: string): Promise<void> {
  try {
    await mkdir(runsDir, { recursive: true });
    const probe = join(runsDir, `.write-probe-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe);
  } catch (e) {
    throw new RunDirError(
      `cannot write to the runs directory ${runsDir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

/** Where `ironforge canary` writes by default and where `run` looks for it: `<runs>/canary/`. */
export function canaryPaths(runsDir: string): { dir: string; json: string; markdown: string } {
  const dir = join(runsDir, CANARY_FOLDER);
  return { dir, json: join(dir, CANARY_JSON_FILE), markdown: join(dir, CANARY_MD_FILE) };
}

/** A run directory that is missing, foreign or of another layout; the message says what was expected and found. */
export class RunDirError extends UsageError {
  override name = 'RunDirError';
}

/** Everything a run writes, already encoded by the application layer (store only puts it on disk). */
export interface RunContents {
  /**
   * Shards, produced lazily one session at a time (a run may hold many sessions): to encode, or already
   * encoded (the stage cache keeps each session's encoded shard).
   */
  shards:
    | Iterable<{ sessionId: string; shard: ShardInput }>
    | AsyncIterable<{ sessionId: string; encoded: EncodedShard }>;
  /**
   * Tables as columns, or as a function that builds them: a function is called just before its file is written
   * and its columns are dropped after, so only one table's columns exist at a time (the embeddings and motif
   * tables of a long run are each hundreds of MB as columns).
   */
  tables: Record<
    | 'embeddings'
    | 'attention'
    | 'patterns'
    | 'assignments'
    | 'motifs'
    | 'confluenceScores'
    | 'confluenceWindows',
    Column[] | (() => Column[])
  >;
  /** JSON texts. */
  confluenceStats: string;
  validation: string;
  /** The evaluation (runs on bars only; null for runs on session records). */
  evaluation: { table: Column[]; json: string } | null;
  manifest: string;
  dashboard: string;
}

/**
 * Writes a whole run to `runDir`: built in a temporary sibling folder and renamed into place, so a crash never
 * leaves a half-written run and an existing run is replaced only when the new one is complete.
 */
export async function writeRunDir(runDir: string, contents: RunContents): Promise<void> {
  await writeDirAtomic(runDir, async (tmp) => {
    const p = runPaths(tmp);
    for await (const s of contents.shards)
      if ('encoded' in s) await writeEncodedShard(shardPath(tmp, s.sessionId), s.encoded);
      else await writeShard(shardPath(tmp, s.sessionId), s.shard);
    for (const [name, table] of Object.entries(contents.tables))
      await writeParquet(p[name as RunFileName], typeof table === 'function' ? table() : table);
    await writeFileAtomic(p.confluenceStats, contents.confluenceStats);
    await writeFileAtomic(p.validation, contents.validation);
    if (contents.evaluation) {
      await writeParquet(p.evaluationTable, contents.evaluation.table);
      await writeFileAtomic(p.evaluationJson, contents.evaluation.json);
    }
    await writeFileAtomic(p.manifest, contents.manifest);
    await writeFileAtomic(p.dashboard, contents.dashboard);
  });
}

/** What `openRunDir` returns: the checked directory, its manifest and its paths. */
export interface RunDir {
  dir: string;
  manifest: RunManifestHead;
  paths: Record<RunFileName, string>;
}

/** The fields of a manifest every reader may rely on. */
export interface RunManifestHead {
  kind: string;
  version: number;
  runId: string;
  seed: number;
  [key: string]: unknown;
}

async function kindOf(path: string): Promise<'file' | 'dir' | null> {
  return stat(path).then(
    (s) => (s.isDirectory() ? 'dir' : 'file'),
    () => null,
  );
}

async function listing(dir: string): Promise<string> {
  const names = await readdir(dir).catch(() => [] as string[]);
  if (names.length === 0) return 'an empty folder';
  const shown = names.sort().slice(0, 8).join(', ');
  return `${names.length} entr${names.length === 1 ? 'y' : 'ies'}: ${shown}${names.length > 8 ? ', …' : ''}`;
}

/**
 * Opens the run in `runDir`, checking that it is one: its manifest is an `ironforge.run` of a layout this
 * version reads, and the files in `need` exist. Throws a RunDirError saying what was expected and what was found.
 */
export async function openRunDir(runDir: string, need: readonly RunFileName[] = []): Promise<RunDir> {
  const what = await kindOf(runDir);
  if (what === null)
    throw new RunDirError(`${runDir}: no such run directory (create one with: ironforge run)`);
  if (what === 'file')
    throw new RunDirError(`${runDir} is a file; expected a run directory written by \`ironforge run\``);
  const paths = runPaths(runDir);
  let text: string;
  try {
    text = await readFile(paths.manifest, 'utf8');
  } catch {
    throw new RunDirError(
      `${runDir} is not an ironforge run directory: expected ${RUN_FILES.manifest} (kind "${RUN_MANIFEST_KIND}", ` +
        `version ${RUN_MANIFEST_VERSION}) with ${RUN_FILES.embeddings} beside it; found ${await listing(runDir)}`,
    );
  }
  let manifest: RunManifestHead;
  try {
    manifest = JSON.parse(text) as RunManifestHead;
  } catch (e) {
    throw new RunDirError(`${paths.manifest}: not valid JSON (${(e as Error).message})`);
  }
  if (manifest?.kind !== RUN_MANIFEST_KIND || manifest.version !== RUN_MANIFEST_VERSION)
    throw new RunDirError(
      `${paths.manifest}: expected kind "${RUN_MANIFEST_KIND}" version ${RUN_MANIFEST_VERSION}; found kind ` +
        `${JSON.stringify(manifest?.kind ?? null)} version ${JSON.stringify(manifest?.version ?? null)} ` +
        `(a run from another ironforge layout: re-create it with \`ironforge run\`)`,
    );
  const missing: string[] = [];
  for (const name of need) if ((await kindOf(paths[name])) !== 'file') missing.push(RUN_FILES[name]);
  if (missing.length)
    throw new RunDirError(
      `${runDir}: the run lacks ${missing.join(', ')} (expected from \`ironforge run\`; found ${await listing(runDir)})`,
    );
  return { dir: runDir, manifest, paths };
}

/** One run found in a runs directory, for `status`. */
export interface RunListing {
  run: string;
  files: Record<(typeof RUN_FOLDERS)[number], number>;
  dashboard: boolean;
  manifest: { seed?: number; createdAt?: string; sessions?: number } | null;
  /** Why the folder is not a readable run (null when it is one). */
  problem: string | null;
}

async function countFiles(dir: string): Promise<number> {
  let n = 0;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const p = join(dir, name);
    n += (await kindOf(p)) === 'dir' ? await countFiles(p) : 1;
  }
  return n;
}

/** The runs under `runsDir` (sorted by name; the canary's folder is not a run) and whether a canary exists. */
export async function listRuns(runsDir: string): Promise<{ runs: RunListing[]; canary: string | null }> {
  const names = (await readdir(runsDir).catch(() => [] as string[])).sort();
  const runs: RunListing[] = [];
  for (const run of names) {
    const dir = join(runsDir, run);
    if (run === CANARY_FOLDER || run.startsWith('.') || (await kindOf(dir)) !== 'dir') continue;
    const files = Object.fromEntries(
      await Promise.all(RUN_FOLDERS.map(async (s) => [s, await countFiles(join(dir, s))])),
    ) as RunListing['files'];
    let manifest: RunListing['manifest'] = null;
    let problem: string | null = null;
    try {
      const m = (await openRunDir(dir)).manifest as RunManifestHead & {
        createdAt?: string;
        inputs?: { sessions?: number };
      };
      manifest = { seed: m.seed, createdAt: m.createdAt, sessions: m.inputs?.sessions };
    } catch (e) {
      problem = (e as Error).message;
    }
    const dashboard = (await kindOf(runPaths(dir).dashboard)) === 'file';
    runs.push({ run, files, dashboard, manifest, problem });
  }
  const canary = canaryPaths(runsDir).json;
  return { runs, canary: (await kindOf(canary)) === 'file' ? canary : null };
}

/** `score --out DIR`: the confluence tables and stats under the same names a run uses in its confluence/ folder. */
export async function writeConfluenceOutputs(
  dir: string,
  result: {
    sessions: Parameters<typeof confluenceSessionColumns>[0];
    windows: Parameters<typeof confluenceWindowColumns>[0];
  },
  statsJson: string,
): Promise<void> {
  const names = (rel: string) => join(dir, rel.split('/').pop()!);
  await writeParquet(names(RUN_FILES.confluenceScores), confluenceSessionColumns(result.sessions));
  await writeParquet(names(RUN_FILES.confluenceWindows), confluenceWindowColumns(result.windows));
  await writeFileAtomic(names(RUN_FILES.confluenceStats), statsJson);
}

/** Parquet columns back to rows: strings as stored, numbers with NaN (the written form of null) as null. */
function rowsOf(columns: readonly Column[], n: number): Record<string, string | number | null>[] {
  const rows: Record<string, string | number | null>[] = Array.from({ length: n }, () => ({}));
  for (const c of columns)
    for (let i = 0; i < n; i++) {
      const v = (c.values as ArrayLike<string | number | bigint>)[i];
      rows[i][c.name] = typeof v === 'string' ? v : Number.isNaN(Number(v)) ? null : Number(v);
    }
  return rows;
}

/**
 * The confluence a run computed (confluence/scores.parquet, windows.parquet, stats.json): the one source that
 * the run's dashboard and `score --run DIR` both show. Window rows keep every column the run wrote (a run on
 * bars adds the calibrated probability).
 */
export async function readConfluenceOutputs(runDir: string): Promise<{
  sessions: Record<string, string | number | null>[];
  windows: Record<string, string | number | null>[];
  stats: Record<string, unknown>;
}> {
  const p = runPaths(runDir);
  const scores = await readParquet(p.confluenceScores);
  const windows = await readParquet(p.confluenceWindows);
  const stats = JSON.parse(await readFile(p.confluenceStats, 'utf8')) as Record<string, unknown>;
  return {
    sessions: rowsOf(scores.columns, scores.numRows),
    windows: rowsOf(windows.columns, windows.numRows),
    stats,
  };
}
