/**
 * Batch ingest: files and directories in, sessions out. One bad file never aborts the batch: it becomes a
 * `failure` with a message naming the file, field and value, and the others are read.
 *
 * Session identity is `<TYPE>_<date>` with the full type (NY_AM ≠ NY_PM). Where both `enhanced_` and
 * `enhanced_rel_` files exist for a session, the `rel` variant is read; other duplicates (e.g. a `_FRESH` copy)
 * are reported as warnings and the first in sorted path order wins.
 *
 * Files from the wild: a file larger than `maxBytes` is refused (a failure naming its size and the limit) before
 * it is read; two files with the same session content (the same events, whatever their names or dates say) are
 * flagged with the hash of their normalised events and the later one in path order is left out of the batch; the
 * labels that fell to a fallback rule come back as the `vocabulary` report.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { DEFAULT_SESSION_MAX_BYTES } from '../core/index.js';
import { parseEnhancedRecord, type EnhancedReadOptions } from '../session/index.js';
import { fallbackVocabulary, type VocabularyMiss } from '../session/index.js';
import { IngestError } from '../session/index.js';
import { parseSessionFileName, type SessionFileName } from '../session/index.js';
import type { Session } from '../session/index.js';
import { readShard } from './shard.js';
import { parseSessionJson, SESSION_JSON_FORMAT } from './session-json.js';
import { sessionFromShard } from './session-shard.js';

export interface IngestFailure {
  file: string;
  error: string;
}

export interface IngestResult {
  sessions: Session[];
  failures: IngestFailure[];
  /** Warnings of the sessions read (each prefixed with its file) plus batch-level notes. */
  warnings: string[];
  /** Files passed over on purpose (superseded variant, duplicate), with the reason. */
  skipped: { file: string; reason: string }[];
  /** Labels that fell to a fallback rule (no rule over their own words), with counts and files. */
  vocabulary: VocabularyMiss[];
}

export interface IngestOptions extends EnhancedReadOptions {
  /** Keep sessions whose broken values were repaired (Session.faults) instead of leaving them out. */
  keepFaulty?: boolean;
  /** Largest session JSON file read, in bytes (default DEFAULT_SESSION_MAX_BYTES); larger files are refused. */
  maxBytes?: number;
}

function showBytes(n: number): string {
  return n >= 1024 * 1024
    ? `${(n / (1024 * 1024)).toFixed(1)} MiB`
    : n >= 1024
      ? `${(n / 1024).toFixed(1)} KiB`
      : `${n} B`;
}

/**
 * Hash of a session's normalised events (wall clock, price, kind, section, label; sorted), independent of the
 * file name, date and type, so the same content under two names is recognised.
 */
export function sessionContentHash(s: Session): string {
  const lines = s.events.map((e) => `${e.clock}|${e.price}|${e.kind}|${e.source}|${e.label}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** A directory holding a shard (nodes.parquet + meta.json), read as one session. */
async function isShardDir(dir: string): Promise<boolean> {
  return stat(join(dir, 'nodes.parquet')).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * Expands files and directories (recursively) into the sorted list of `.json` session files and of shard
 * directories (original or ironforge Parquet shards).
 */
export async function listSessionFiles(
  paths: string[],
): Promise<{ files: string[]; shardDirs: string[]; failures: IngestFailure[] }> {
  const files: string[] = [];
  const shardDirs: string[] = [];
  const failures: IngestFailure[] = [];
  async function walk(p: string): Promise<void> {
    let st;
    try {
      st = await stat(p);
    } catch (e) {
      failures.push({
        file: p,
        error: `${p}: cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      });
      return;
    }
    if (st.isDirectory() && (await isShardDir(p))) {
      shardDirs.push(p);
    } else if (st.isDirectory()) {
      let names: string[];
      try {
        names = await readdir(p);
      } catch (e) {
        failures.push({
          file: p,
          error: `${p}: cannot list directory: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
        });
        return;
      }
      for (const n of names.sort()) {
        const child = join(p, n);
        if (n.startsWith('.')) continue;
        if (n === 'meta.json') continue;
        if (
          extname(n) === '.json' ||
          (await stat(child).then(
            (s) => s.isDirectory(),
            () => false,
          ))
        )
          await walk(child);
      }
    } else files.push(p);
  }
  for (const p of paths) await walk(p);
  return { files: [...new Set(files)].sort(), shardDirs: [...new Set(shardDirs)].sort(), failures };
}

interface Candidate {
  file: string;
  name: SessionFileName | null;
}

/** Picks one file per session: `rel` over plain, then sorted path order; the rest are reported as skipped. */
function chooseVariants(files: string[]): { chosen: Candidate[]; skipped: IngestResult['skipped'] } {
  const byKey = new Map<string, Candidate[]>();
  const chosen: Candidate[] = [];
  for (const file of files) {
    const base = basename(file);
    if (/batch/i.test(base)) continue;
    const name = parseSessionFileName(base);
    if (!name) {
      chosen.push({ file, name: null }); // identity comes from the record's metadata
      continue;
    }
    const key = `${name.type}_${name.date}`;
    const list = byKey.get(key) ?? [];
    list.push({ file, name });
    byKey.set(key, list);
  }
  const skipped: IngestResult['skipped'] = [];
  for (const list of byKey.values()) {
    list.sort((a, b) => Number(b.name!.relative) - Number(a.name!.relative) || a.file.localeCompare(b.file));
    chosen.push(list[0]);
    for (const other of list.slice(1)) {
      skipped.push({
        file: other.file,
        reason:
          other.name!.relative === list[0].name!.relative
            ? `duplicate of ${list[0].file}`
            : `superseded by ${list[0].file} (rel variant)`,
      });
    }
  }
  chosen.sort((a, b) => a.file.localeCompare(b.file));
  return { chosen, skipped };
}

/** Reads and parses one session file; throws IngestError on anything that makes it unusable. */
export async function readSessionFile(file: string, opts: IngestOptions = {}): Promise<Session> {
  const maxBytes = opts.maxBytes ?? DEFAULT_SESSION_MAX_BYTES;
  if (!(Number.isFinite(maxBytes) && maxBytes > 0))
    throw new RangeError(`maxBytes must be a positive number of bytes, got ${maxBytes}`);
  let text: string;
  try {
    const st = await stat(file);
    if (st.size > maxBytes)
      throw new IngestError(
        file,
        '',
        `file is ${showBytes(st.size)} (${st.size} bytes), over the ${showBytes(maxBytes)} (${maxBytes} bytes) limit ` +
          `for one session record (real ones are under 1 MiB); not read — raise the limit with --max-bytes if it is one`,
      );
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof IngestError) throw e;
    throw new IngestError(file, '', `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (!text.trim()) throw new IngestError(file, '', 'empty file');
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (e) {
    throw new IngestError(file, '', `malformed JSON: ${(e as Error).message}`);
  }
  if (
    record &&
    typeof record === 'object' &&
    (record as { format?: unknown }).format === SESSION_JSON_FORMAT
  ) {
    return parseSessionJson(text, file); // written by `ironforge ingest-bars --out`
  }
  return parseEnhancedRecord(record, file, parseSessionFileName(basename(file)), opts);
}

/** Reads every session under `paths`. Sessions come back sorted by (date, session order within the day). */
export async function readSessions(paths: string[], opts: IngestOptions = {}): Promise<IngestResult> {
  const { files, shardDirs, failures } = await listSessionFiles(paths.map((p) => resolve(p)));
  const { chosen, skipped } = chooseVariants(files);
  const sessions: Session[] = [];
  const warnings: string[] = [];
  const seen = new Map<string, string>();
  const byContent = new Map<string, { file: string; id: string }>();
  for (const c of chosen) {
    try {
      const s = await readSessionFile(c.file, opts);
      if (s.faults && s.faults.length > 0 && !opts.keepFaulty) {
        // fault isolation: a session with a broken value is named with every field and value and left out;
        // the rest of the batch goes on (the commands exit 1)
        const list = s.faults.map((f) => `${f.field}: ${f.value} (${f.reason})`).join('; ');
        failures.push({
          file: c.file,
          error: `${c.file}: ${list}; session left out (the other sessions go on)`,
        });
        continue;
      }
      const prior = seen.get(s.id);
      if (prior) {
        skipped.push({ file: c.file, reason: `same session ${s.id} as ${prior}` });
        continue;
      }
      const hash = sessionContentHash(s);
      const twin = byContent.get(hash);
      if (twin) {
        const reason =
          `same session content as ${twin.file} (${twin.id}; sha256 of the normalised events ${hash.slice(0, 16)}, ` +
          `${s.events.length} events) under another name/date (${s.id}); left out of the batch, ${twin.file} kept`;
        warnings.push(`${c.file}: ${reason}`);
        skipped.push({ file: c.file, reason });
        continue;
      }
      byContent.set(hash, { file: c.file, id: s.id });
      seen.set(s.id, c.file);
      sessions.push(s);
      warnings.push(...s.warnings);
    } catch (e) {
      failures.push({ file: c.file, error: e instanceof Error ? e.message : String(e) });
    }
  }
  for (const dir of shardDirs) {
    try {
      const s = sessionFromShard(await readShard(dir), dir);
      const prior = seen.get(s.id);
      if (prior) {
        skipped.push({ file: dir, reason: `same session ${s.id} as ${prior}` });
        continue;
      }
      seen.set(s.id, dir);
      sessions.push(s);
      warnings.push(...s.warnings);
    } catch (e) {
      failures.push({ file: dir, error: e instanceof Error ? e.message : String(e) });
    }
  }
  sessions.sort(compareSessions);
  return { sessions, failures, warnings, skipped, vocabulary: fallbackVocabulary(sessions) };
}

/** Chronological order: by date, then by session start time. */
export function compareSessions(a: Session, b: Session): number {
  return a.date.localeCompare(b.date) || a.startT - b.startT || a.id.localeCompare(b.id);
}
