/**
 * "Moments like this one": given a session and a time, the event that describes the session at that time is
 * the latest event at or before it (a causal encoder's embedding of that event has seen everything up to then;
 * among events sharing that time, the last one in session order). The answer is the k rows of OTHER sessions
 * nearest to it by cosine distance 1 − cos(u, v) of their embeddings (float64 accumulation), ties → lower row.
 *
 * Rows with an all-zero embedding have no direction; they are given distance 1 (orthogonal) and a zero query is
 * an error.
 */
import { parseClock, wallClockToUtcMs } from '../session/index.js';
import { wallClock } from './clock.js';
import { eventRefOf, type EmbeddingTable, type EventRef } from './embeddings.js';

export interface MomentRef extends EventRef {
  row: number;
}

export interface SimilarMoment extends MomentRef {
  rank: number;
  /** Cosine distance in [0, 2]. */
  distance: number;
  /** Pattern id of the row when a pattern assignment was given. */
  pattern?: number;
}

export interface SimilarOptions {
  /** At most this many results from any one session (default: no limit). */
  maxPerSession?: number;
  /** Row → pattern id, to label results (e.g. `PatternSet.assign`). */
  patternOf?: Int32Array;
}

export interface SimilarResult {
  query: MomentRef & { pattern?: number };
  moments: SimilarMoment[];
}

function refOf(table: EmbeddingTable, row: number): MomentRef {
  return { row, ...eventRefOf(table, row) };
}

/**
 * UTC ms of a query time: a number is taken as epoch ms; a string `HH:MM[:SS]` is a wall clock on the session's
 * date (`table.sessionDates`) in the table's zone.
 */
export function resolveQueryTime(table: EmbeddingTable, sessionId: string, at: number | string): number {
  if (typeof at === 'number') {
    if (!Number.isFinite(at))
      throw new Error(`similar: time must be finite epoch ms or HH:MM[:SS], got ${at}`);
    return at;
  }
  if (parseClock(at) === null) throw new Error(`similar: time "${at}" is not HH:MM or HH:MM:SS`);
  const date = table.sessionDates.get(sessionId);
  if (!date)
    throw new Error(
      `similar: the date of session ${sessionId} is unknown, so a clock time cannot be placed; pass epoch ms`,
    );
  return wallClockToUtcMs(date, at, table.zone);
}

/** The row describing `sessionId` at time `at` (see the module comment). Throws when none exists. */
export function findMoment(table: EmbeddingTable, sessionId: string, at: number | string): number {
  const s = table.sessionIds.indexOf(sessionId);
  if (s < 0)
    throw new Error(
      `similar: session "${sessionId}" is not in the embeddings (${table.sessionIds.length} sessions)`,
    );
  const t = resolveQueryTime(table, sessionId, at);
  let best = -1;
  let first = -1;
  for (let r = 0; r < table.n; r++) {
    if (table.sessionIndex[r] !== s) continue;
    if (
      first < 0 ||
      table.t[r] < table.t[first] ||
      (table.t[r] === table.t[first] && table.nodeId[r] < table.nodeId[first])
    )
      first = r;
    if (table.t[r] > t) continue;
    if (
      best < 0 ||
      table.t[r] > table.t[best] ||
      (table.t[r] === table.t[best] && table.nodeId[r] > table.nodeId[best])
    )
      best = r;
  }
  if (best < 0) {
    const shown = typeof at === 'string' ? at : new Date(at).toISOString();
    throw new Error(
      `similar: session ${sessionId} has no event at or before ${shown} (first event at ${wallClock(table.t[first], table.zone).clock})`,
    );
  }
  return best;
}

/** Float64 L2 norm of each row. */
export function rowNorms(table: EmbeddingTable): Float64Array {
  const { n, dim, vectors } = table;
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let x = 0; x < dim; x++) s += vectors[r * dim + x] * vectors[r * dim + x];
    out[r] = Math.sqrt(s);
  }
  return out;
}

/** Cosine distance of every row to row `q` (float64); zero-norm rows get 1. */
export function cosineDistancesTo(table: EmbeddingTable, q: number, norms = rowNorms(table)): Float64Array {
  const { n, dim, vectors } = table;
  const nq = norms[q];
  if (!(nq > 0))
    throw new Error(`similar: the query embedding (row ${q}) is all zeros; cosine distance is undefined`);
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    if (!(norms[r] > 0)) {
      out[r] = 1;
      continue;
    }
    let dot = 0;
    for (let x = 0; x < dim; x++) dot += vectors[q * dim + x] * vectors[r * dim + x];
    const cos = Math.min(1, Math.max(-1, dot / (nq * norms[r])));
    out[r] = 1 - cos;
  }
  return out;
}

/**
 * The k moments of other sessions nearest to `sessionId` at `at` (epoch ms or `HH:MM[:SS]` wall clock).
 * Rows of the query session are never returned.
 */
export function similarMoments(
  table: EmbeddingTable,
  sessionId: string,
  at: number | string,
  k = 5,
  opts: SimilarOptions = {},
): SimilarResult {
  if (!Number.isInteger(k) || k < 1) throw new Error(`similar: k must be a positive integer, got ${k}`);
  const maxPer = opts.maxPerSession ?? Infinity;
  if (!(maxPer >= 1)) throw new Error(`similar: maxPerSession must be ≥ 1, got ${maxPer}`);
  if (opts.patternOf && opts.patternOf.length !== table.n)
    throw new Error(`similar: patternOf has ${opts.patternOf.length} rows, the table ${table.n}`);
  const q = findMoment(table, sessionId, at);
  const dist = cosineDistancesTo(table, q);
  const qs = table.sessionIndex[q];
  const before = (a: number, b: number) => dist[a] < dist[b] || (dist[a] === dist[b] && a < b);
  let candidates: number[];
  if (maxPer === Infinity) {
    // Bounded insertion: the k best rows in order, O(n·k) worst case, no sort of all n rows.
    candidates = [];
    for (let r = 0; r < table.n; r++) {
      if (table.sessionIndex[r] === qs) continue;
      if (candidates.length === k && !before(r, candidates[k - 1])) continue;
      let pos = candidates.length === k ? k - 1 : candidates.length;
      while (pos > 0 && before(r, candidates[pos - 1])) {
        candidates[pos] = candidates[pos - 1];
        pos--;
      }
      candidates[pos] = r;
    }
  } else {
    candidates = [];
    for (let r = 0; r < table.n; r++) if (table.sessionIndex[r] !== qs) candidates.push(r);
    candidates.sort((a, b) => dist[a] - dist[b] || a - b);
  }
  const perSession = new Map<number, number>();
  const moments: SimilarMoment[] = [];
  for (const r of candidates) {
    if (moments.length >= k) break;
    const s = table.sessionIndex[r];
    const used = perSession.get(s) ?? 0;
    if (used >= maxPer) continue;
    perSession.set(s, used + 1);
    const m: SimilarMoment = { ...refOf(table, r), rank: moments.length + 1, distance: dist[r] };
    if (opts.patternOf) m.pattern = opts.patternOf[r];
    moments.push(m);
  }
  const query: SimilarResult['query'] = refOf(table, q);
  if (opts.patternOf) query.pattern = opts.patternOf[q];
  return { query, moments };
}
