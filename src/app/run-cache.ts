/**
 * What `ironforge run` keeps in the stage cache (store/stage-cache.ts) and under which key: the per-session
 * and per-file work whose result depends only on that session's (or file's) input and the settings below.
 * Everything global (motif mining, patterns, confluence, validation, evaluation) is recomputed every run.
 *
 *   ingest    per bar file: bars, calendar split, detector events and sessions — key: the file's bytes, its
 *             path (sessions name their source file), the time zone
 *   discover  per session: features, DAG, embeddings, attention — key: the session (sessionDigest), the
 *             encoder's weights and input scaler, the kernel that will run for its size
 *   shard     per session: the encoded shard files — key: the session and the shard stamp
 *
 * Every key also holds RUN_CACHE_SCHEMA, the ironforge version and the Node/V8 versions (float results of the
 * math functions may change with V8), so an upgrade never reads a stale entry. A change of the computation
 * without a version bump must bump RUN_CACHE_SCHEMA.
 */
import type { Bars, EventColumns, SessionSegments } from '../detect/index.js';
import type { DiscoveredSession, DiscoverOptions } from '../discover/index.js';
import type { Session } from '../session/index.js';
import {
  contentKey,
  encodeTypedBytes,
  type EncodedShard,
  StageCache,
  typedBytesCodec,
  typedStage,
  type TypedStage,
} from '../store/index.js';
import { resolveKernelName, type KernelName } from '../tgat/index.js';

/** Cache lookups in flight at once. */
export const LOOKUP_GROUP = 32;

/** `f` over `xs`, `group` calls in flight at a time, results in order. */
export async function mapGroups<X, Y>(
  xs: readonly X[],
  group: number,
  f: (x: X) => Promise<Y>,
): Promise<Y[]> {
  const out: Y[] = [];
  for (let i = 0; i < xs.length; i += group) out.push(...(await Promise.all(xs.slice(i, i + group).map(f))));
  return out;
}

/** Bump when what a stage computes changes without an ironforge version bump (old entries then miss). */
export const RUN_CACHE_SCHEMA = '1';

/** The versions every key holds. */
export function cacheVersionTag(ironforgeVersion: string): string {
  return `ironforge ${ironforgeVersion}; node ${process.versions.node}; v8 ${process.versions.v8}; schema ${RUN_CACHE_SCHEMA}`;
}

/** What the ingest stage of one bar file produces (everything `executeRun` keeps of it). */
export interface IngestEntry {
  bars: Bars;
  segments: SessionSegments;
  events: EventColumns;
  sessions: Session[];
}

/** The per-session discovery result, without the session itself (the caller has it). */
type DiscoverEntry = Omit<DiscoveredSession, 'session'>;

/** The typed stages of a run's cache (all of them hold nothing when the cache is off). */
export interface RunCacheStages {
  ingest: TypedStage<IngestEntry>;
  discover: TypedStage<DiscoverEntry>;
  shard: TypedStage<EncodedShard>;
  version: string;
}

export function runCacheStages(cache: StageCache | null, ironforgeVersion: string): RunCacheStages {
  return {
    ingest: typedStage(cache, 'ingest', typedBytesCodec<IngestEntry>()),
    discover: typedStage(cache, 'discover', typedBytesCodec<DiscoverEntry>()),
    shard: typedStage(cache, 'shard', typedBytesCodec<EncodedShard>()),
    version: cacheVersionTag(ironforgeVersion),
  };
}

const digests = new WeakMap<Session, string>();

/**
 * A digest of a session's whole content (every field: a session that differs in anything misses), computed
 * once per session object (discover and shard keys both hold it).
 */
/**
 * Sets the digest of a session derived from a bar file: the file's ingest key (its bytes, path, zone and the
 * versions) and the session id determine the session entirely, and cost nothing next to hashing its JSON.
 */
export function rememberBarSessionDigest(session: Session, ingestKeyOfFile: string): void {
  digests.set(session, contentKey('bar session', ingestKeyOfFile, session.id));
}

export function sessionDigest(session: Session): string {
  let d = digests.get(session);
  if (d === undefined) {
    d = contentKey('session', JSON.stringify(session));
    digests.set(session, d);
  }
  return d;
}

/** Key of one bar file's ingest. */
export function ingestKey(stages: RunCacheStages, path: string, fileSha256: string, tz: string): string {
  return contentKey('ingest', stages.version, path, tz, fileSha256);
}

/** Key of one session's shard. */
export function shardKey(stages: RunCacheStages, session: Session, stamp: string): string {
  return contentKey('shard', stages.version, stamp, sessionDigest(session));
}

/**
 * `discover` with each session's result taken from the cache when present. The missing sessions are computed
 * by `compute` in chunks of `chunk` sessions and each chunk's results are stored as soon as it finishes, so a
 * run killed half-way keeps the finished chunks. The result is `compute(sessions, opts)`'s, in input order.
 */
export function cachedDiscover(
  stages: RunCacheStages,
  compute: (sessions: readonly Session[], opts: DiscoverOptions) => Promise<DiscoveredSession[]>,
  chunk: number,
): (sessions: readonly Session[], opts: DiscoverOptions) => Promise<DiscoveredSession[]> {
  return async (sessions, opts) => {
    const encoder = contentKey(
      opts.weights ? encodeTypedBytes(opts.weights) : `seeded ${opts.seed ?? ''}`,
      opts.inputScaler ? encodeTypedBytes(opts.inputScaler) : 'no input scaler',
      JSON.stringify([
        opts.config ?? null,
        opts.dagConfig ?? null,
        opts.dagBuilder ?? null,
        opts.dagMask ?? null,
      ]),
    );
    const kernel = (s: Session) =>
      resolveKernelName(
        (opts.kernel ?? 'auto') as KernelName,
        s.events.length,
        opts.dagMask === false ? 'causal' : 'dag',
      );
    const keys = sessions.map((s) =>
      contentKey('discover', stages.version, encoder, kernel(s), sessionDigest(s)),
    );
    const out: (DiscoveredSession | null)[] = new Array(sessions.length).fill(null);
    const missing: number[] = [];
    // lookups overlapped in groups (one by one, the awaits dominate on a busy machine; all at once could run
    // out of file descriptors with thousands of sessions)
    const hits = await mapGroups(keys, LOOKUP_GROUP, (k) => stages.discover.get(k));
    for (let i = 0; i < sessions.length; i++) {
      const hit = hits[i];
      if (hit) out[i] = { session: sessions[i], ...hit };
      else missing.push(i);
    }
    let done = sessions.length - missing.length;
    opts.onSession?.(done, sessions.length);
    for (let c = 0; c < missing.length; c += chunk) {
      const idx = missing.slice(c, c + chunk);
      const got = await compute(
        idx.map((i) => sessions[i]),
        { ...opts, onSession: (d) => opts.onSession?.(done + d, sessions.length) },
      );
      for (let k = 0; k < idx.length; k++) {
        const { session: _session, ...entry } = got[k];
        out[idx[k]] = got[k];
        await stages.discover.put(keys[idx[k]], entry);
      }
      done += idx.length;
    }
    return out as DiscoveredSession[];
  };
}
