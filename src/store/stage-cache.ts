/**
 * The stage cache: per-session results of a run's stages on disk, keyed by a content hash of what produced
 * them, so a re-run over a folder that grew by one day recomputes one day (README "Incremental runs").
 *
 *   <cache>/                         `run --cache DIR` (default `<runs>/.cache`; `--no-cache`: none)
 *     <stage>/<k0k1>/<key>.bin        one entry: a stage's result for one input (k0k1: the key's first 2 hex)
 *
 * An entry is self-checking, so a torn, truncated or bit-flipped file is recomputed, never trusted:
 *
 *   bytes 0..7    magic "IFGCACHE"
 *   bytes 8..11   entry format (uint32 LE, ENTRY_FORMAT)
 *   bytes 12..15  header length H (uint32 LE)
 *   bytes 16..47  SHA-256 of everything after byte 47 (header and payload)
 *   bytes 48..    header: UTF-8 JSON {stage, key, bytes}, then the payload (`bytes` long)
 *
 * Writes are atomic (temp file in the same folder, fsync, rename: io/atomic.ts), so a run killed at any
 * point (kill -9) leaves each entry either absent or complete; a re-run reuses the complete ones. Entries are
 * written by one process per key at a time in practice; two writers of one key write the same bytes (the key
 * hashes the input), and the rename makes the last one win whole.
 *
 * The cache stores bytes. `typedStage` puts a codec in front (`typedBytesCodec` for structured values with
 * typed arrays, or any encode/decode pair), so any stage — also one added later, such as a per-session motif
 * mining result — gets a typed get/put without a new file format.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/index.js';
import { decodeTypedBytes, encodeTypedBytes } from './typed-bytes.js';

const MAGIC = 'IFGCACHE';
/** Bump when the entry layout above changes (old entries then read as absent). */
export const ENTRY_FORMAT = 1;
const PREFIX = 48;

/** Folder name of the default cache inside the runs directory (hidden: `status` and `listRuns` skip it). */
export const DEFAULT_CACHE_FOLDER = '.cache';

/** The default cache of a runs directory: `<runs>/.cache`. */
export function defaultCacheDir(runsDir: string): string {
  return join(runsDir, DEFAULT_CACHE_FOLDER);
}

/** What a cache did during one run (for the CLI's summary; not in the manifest, which must not depend on it). */
export interface StageCacheStats {
  hits: number;
  misses: number;
  /** Entries found but failing the check (torn, truncated, foreign): recomputed and overwritten. */
  corrupt: number;
  writes: number;
}

/**
 * A content key: SHA-256 (hex) of the parts, each length-prefixed so that ('ab','c') and ('a','bc') differ.
 * Callers put in everything the stage's result depends on: input bytes, config, seed, versions.
 */
export function contentKey(...parts: readonly (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) {
    const bytes = typeof p === 'string' ? Buffer.from(p, 'utf8') : p;
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(bytes.length));
    h.update(len);
    h.update(bytes);
  }
  return h.digest('hex');
}

const STAGE_NAME = /^[a-z][a-z0-9-]{0,39}$/;
const KEY = /^[0-9a-f]{16,128}$/;

function checkName(stage: string, key: string): void {
  if (!STAGE_NAME.test(stage))
    throw new Error(`stage cache: a stage name is lowercase letters, digits and '-'; got "${stage}"`);
  if (!KEY.test(key)) throw new Error(`stage cache: a key is 16–128 hex digits (contentKey); got "${key}"`);
}

/** The bytes of one entry file (see the module comment). */
export function encodeCacheEntry(stage: string, key: string, payload: Uint8Array): Uint8Array {
  const header = Buffer.from(JSON.stringify({ stage, key, bytes: payload.length }), 'utf8');
  const out = new Uint8Array(PREFIX + header.length + payload.length);
  out.set(Buffer.from(MAGIC, 'latin1'), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, ENTRY_FORMAT, true);
  view.setUint32(12, header.length, true);
  out.set(header, PREFIX);
  out.set(payload, PREFIX + header.length);
  out.set(createHash('sha256').update(out.subarray(PREFIX)).digest(), 16);
  return out;
}

/**
 * The payload of an entry file, or why it cannot be trusted (wrong magic or format, lengths that do not add
 * up, a checksum that does not match, or an entry of another stage or key).
 */
export function decodeCacheEntry(
  bytes: Uint8Array,
  stage: string,
  key: string,
): { payload: Uint8Array } | { problem: string } {
  if (bytes.length < PREFIX)
    return { problem: `${bytes.length} bytes, shorter than the ${PREFIX}-byte prefix` };
  if (Buffer.from(bytes.buffer, bytes.byteOffset, 8).toString('latin1') !== MAGIC)
    return { problem: 'not a cache entry (magic)' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = view.getUint32(8, true);
  if (format !== ENTRY_FORMAT) return { problem: `entry format ${format}, expected ${ENTRY_FORMAT}` };
  const sum = createHash('sha256').update(bytes.subarray(PREFIX)).digest();
  if (!sum.equals(bytes.subarray(16, PREFIX))) return { problem: 'checksum mismatch (torn or altered)' };
  const headerLength = view.getUint32(12, true);
  let header: { stage?: unknown; key?: unknown; bytes?: unknown };
  try {
    header = JSON.parse(
      Buffer.from(bytes.buffer, bytes.byteOffset + PREFIX, headerLength).toString('utf8'),
    ) as typeof header;
  } catch {
    return { problem: 'header is not JSON' };
  }
  if (header.stage !== stage || header.key !== key)
    return { problem: `entry of ${String(header.stage)}/${String(header.key)}, not ${stage}/${key}` };
  const start = PREFIX + headerLength;
  if (header.bytes !== bytes.length - start)
    return { problem: `payload of ${bytes.length - start} bytes, header says ${String(header.bytes)}` };
  return { payload: bytes.subarray(start) };
}

/** A folder of stage entries. `get` never throws for a bad entry: it counts it and returns null. */
export class StageCache {
  readonly stats: StageCacheStats = { hits: 0, misses: 0, corrupt: 0, writes: 0 };

  constructor(
    readonly dir: string,
    /** Told about each entry that failed its check (it is then recomputed) or could not be written. */
    private readonly onProblem: (path: string, problem: string) => void = () => undefined,
  ) {}

  /** Where the entry of (stage, key) lives. */
  entryPath(stage: string, key: string): string {
    checkName(stage, key);
    return join(this.dir, stage, key.slice(0, 2), `${key}.bin`);
  }

  /** The payload stored for (stage, key), or null when there is none or it fails its check. */
  async get(stage: string, key: string): Promise<Uint8Array | null> {
    const path = this.entryPath(stage, key);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.onProblem(path, (e as Error).message);
      this.stats.misses++;
      return null;
    }
    const r = decodeCacheEntry(bytes, stage, key);
    if ('problem' in r) {
      this.invalid(path, r.problem);
      return null;
    }
    this.stats.hits++;
    return r.payload;
  }

  /**
   * Stores `payload` for (stage, key) atomically (replacing any entry there). A write that fails (full disk,
   * read-only folder) is reported through the callback and does not fail the run: the cache only saves time.
   */
  async put(stage: string, key: string, payload: Uint8Array): Promise<void> {
    const path = this.entryPath(stage, key);
    try {
      await writeFileAtomic(path, encodeCacheEntry(stage, key, payload));
      this.stats.writes++;
    } catch (e) {
      this.onProblem(path, `not written (${(e as Error).message})`);
    }
  }

  /**
   * Called when an entry passed its check but its payload could not be decoded (a codec change without a
   * version bump): counted as corrupt and removed, so it is recomputed.
   */
  async reject(stage: string, key: string, problem: string): Promise<void> {
    const path = this.entryPath(stage, key);
    this.stats.hits--;
    this.invalid(path, problem);
    await rm(path, { force: true });
  }

  private invalid(path: string, problem: string): void {
    this.stats.corrupt++;
    this.stats.misses++;
    this.onProblem(path, `${problem}; recomputed`);
  }
}

/** Bytes ⇄ a value of type T. */
export interface CacheCodec<T> {
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

/** The codec of structured values (objects, arrays, strings, numbers, typed arrays): store/typed-bytes.ts. */
export function typedBytesCodec<T>(): CacheCodec<T> {
  return { encode: (v) => encodeTypedBytes(v), decode: (b) => decodeTypedBytes<T>(b) };
}

/** One stage of a cache with its codec: typed get/put by key. */
export interface TypedStage<T> {
  readonly stage: string;
  get(key: string): Promise<T | null>;
  put(key: string, value: T): Promise<void>;
}

/** `cache`'s entries of `stage`, read and written through `codec`; a null cache gives a stage that holds nothing. */
export function typedStage<T>(cache: StageCache | null, stage: string, codec: CacheCodec<T>): TypedStage<T> {
  if (cache === null) return { stage, get: () => Promise.resolve(null), put: () => Promise.resolve() };
  return {
    stage,
    async get(key) {
      const bytes = await cache.get(stage, key);
      if (bytes === null) return null;
      try {
        return codec.decode(bytes);
      } catch (e) {
        await cache.reject(stage, key, `payload does not decode: ${(e as Error).message}`);
        return null;
      }
    },
    put: (key, value) => cache.put(stage, key, codec.encode(value)),
  };
}

/** SHA-256 (hex) of a file's bytes, read in chunks (a bar file may be large): an ingest key's input. */
export async function fileSha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}
