/**
 * Patterns: clusters of event embeddings pooled across sessions. Each pattern is described by what can be
 * checked against the data: its size and share of all events, how many sessions it occurs in, its kind mix, its
 * time-of-day profile (hour histogram in the sessions' zone, ET for the sample) and the events nearest to its
 * centroid as examples.
 *
 * Rows are L2-normalised before clustering by default: `similarMoments` ranks by cosine distance, and on unit
 * vectors squared Euclidean distance is 2·(1 − cosine), so patterns and "moments like this one" agree on what
 * similar means. Pattern ids are ordered by size (largest first; ties → the pattern whose first row comes
 * first), so id 0 is the most common pattern.
 */
import { EVENT_KINDS, N_KINDS, type EventKindName } from '../session/index.js';
import type { Column } from '../core/index.js';
import { wallClock } from './clock.js';
import { eventRefOf, type EmbeddingTable, type EventRef } from './embeddings.js';
import { kmeans, nearestCentroid } from './kmeans.js';
import { chooseK, type ChooseKOptions, type ChooseKResult } from './select-k.js';
import { DEFAULT_SEED } from '../core/index.js';

export type Normalization = 'l2' | 'none';

export interface PatternOptions extends Omit<ChooseKOptions, 'seed'> {
  /** Default DEFAULT_SEED (core/defaults.ts). */
  seed?: number;
  /** Use this k instead of choosing it (1 ≤ k ≤ rows). */
  k?: number;
  /** Row normalisation before clustering (default 'l2'; see the module comment). */
  normalize?: Normalization;
  /** Example events per pattern, nearest to the centroid first (default 5). */
  examples?: number;
}

export interface PatternExample extends EventRef {
  /** Euclidean distance to the centroid in the clustering space. */
  distance: number;
}

export interface Pattern {
  id: number;
  size: number;
  /** size / all rows. */
  share: number;
  /** −ln(share): the information content of seeing this pattern (0 for a pattern covering every row). */
  rarity: number;
  /** Distinct sessions with at least one row in the pattern. */
  sessions: number;
  kindCounts: number[];
  kindShare: Record<EventKindName, number>;
  /** Rows per hour of day 0..23 in the table's zone. */
  hourHistogram: number[];
  /** Mean Euclidean distance of members to the centroid (cohesion; smaller = tighter). */
  meanDistance: number;
  examples: PatternExample[];
}

export interface PatternSet {
  k: number;
  seed: number;
  normalize: Normalization;
  dim: number;
  /** Rows clustered. */
  n: number;
  zone: string;
  /** How k was chosen; null when k was given. */
  selection: ChooseKResult | null;
  /** Row of the embedding table → pattern id. */
  assign: Int32Array;
  /** Row → Euclidean distance to its pattern centroid. */
  distance: Float64Array;
  /** Row-major k×dim centroids in the clustering space. */
  centroids: Float64Array;
  inertia: number;
  patterns: Pattern[];
}

/** Row-wise L2 normalisation into float64 (zero rows stay zero). */
export function l2NormalizeRows(data: Float32Array | Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let x = 0; x < d; x++) s += data[i * d + x] * data[i * d + x];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let x = 0; x < d; x++) out[i * d + x] = data[i * d + x] * inv;
  }
  return out;
}

/** Clusters the table's rows into patterns (k chosen by `chooseK` unless given) and describes each pattern. */
export function buildPatterns(table: EmbeddingTable, opts: PatternOptions = {}): PatternSet {
  const seed = opts.seed ?? DEFAULT_SEED;
  const normalize = opts.normalize ?? 'l2';
  const nExamples = opts.examples ?? 5;
  if (normalize !== 'l2' && normalize !== 'none')
    throw new Error(`patterns: normalize must be 'l2' or 'none', got ${String(normalize)}`);
  if (!Number.isInteger(nExamples) || nExamples < 0)
    throw new Error(`patterns: examples must be an integer ≥ 0, got ${nExamples}`);
  const { n, dim } = table;
  if (n < 1) throw new Error('patterns: the embedding table has no rows');
  const data = normalize === 'l2' ? l2NormalizeRows(table.vectors, n, dim) : Float64Array.from(table.vectors);

  let selection: ChooseKResult | null = null;
  let k: number;
  if (opts.k !== undefined) {
    if (!Number.isInteger(opts.k) || opts.k < 1 || opts.k > n)
      throw new Error(`patterns: k must be an integer in 1..${n}, got ${opts.k}`);
    k = opts.k;
  } else {
    selection = chooseK(data, n, dim, { ...opts, seed });
    k = selection.k;
  }
  const km = kmeans(data, n, dim, { k, seed, nInit: opts.nInit, maxIter: opts.maxIter });

  // Renumber by size (desc), ties → earliest first row.
  const firstRow = new Int32Array(k).fill(n);
  for (let i = n - 1; i >= 0; i--) firstRow[km.assign[i]] = i;
  const order = Array.from({ length: k }, (_, j) => j).sort(
    (a, b) => km.sizes[b] - km.sizes[a] || firstRow[a] - firstRow[b],
  );
  const newId = new Int32Array(k);
  order.forEach((old, id) => (newId[old] = id));
  const centroids = new Float64Array(k * dim);
  order.forEach((old, id) => centroids.set(km.centroids.subarray(old * dim, (old + 1) * dim), id * dim));
  const assign = Int32Array.from(km.assign, (c) => newId[c]);
  const { dist2 } = nearestCentroidDistances(data, n, dim, centroids, assign);
  const distance = dist2.map(Math.sqrt);

  const patterns = describePatterns(table, assign, distance, k, nExamples);
  return {
    k,
    seed,
    normalize,
    dim,
    n,
    zone: table.zone,
    selection,
    assign,
    distance,
    centroids,
    inertia: km.inertia,
    patterns,
  };
}

function nearestCentroidDistances(
  data: Float64Array,
  n: number,
  d: number,
  centroids: Float64Array,
  assign: Int32Array,
): { dist2: Float64Array } {
  const dist2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = assign[i];
    let s = 0;
    for (let x = 0; x < d; x++) {
      const v = data[i * d + x] - centroids[c * d + x];
      s += v * v;
    }
    dist2[i] = s;
  }
  return { dist2 };
}

function describePatterns(
  table: EmbeddingTable,
  assign: Int32Array,
  distance: Float64Array,
  k: number,
  nExamples: number,
): Pattern[] {
  const { n } = table;
  const sizes = new Int32Array(k);
  const kindCounts = Array.from({ length: k }, () => new Array<number>(N_KINDS).fill(0));
  const hours = Array.from({ length: k }, () => new Array<number>(24).fill(0));
  const sessionSets = Array.from({ length: k }, () => new Set<number>());
  const distSum = new Float64Array(k);
  const membersOf: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < n; i++) {
    const c = assign[i];
    sizes[c]++;
    kindCounts[c][table.kind[i]]++;
    hours[c][wallClock(table.t[i], table.zone).hour]++;
    sessionSets[c].add(table.sessionIndex[i]);
    distSum[c] += distance[i];
    membersOf[c].push(i);
  }
  return Array.from({ length: k }, (_, c) => {
    const share = sizes[c] / n;
    const examples = membersOf[c]
      .sort((a, b) => distance[a] - distance[b] || a - b)
      .slice(0, nExamples)
      .map((r) => exampleOf(table, r, distance[r]));
    const kindShare = Object.fromEntries(
      EVENT_KINDS.map((name, kk) => [name, sizes[c] > 0 ? kindCounts[c][kk] / sizes[c] : 0]),
    ) as Record<EventKindName, number>;
    return {
      id: c,
      size: sizes[c],
      share,
      rarity: sizes[c] > 0 ? -Math.log(share) : Infinity,
      sessions: sessionSets[c].size,
      kindCounts: kindCounts[c],
      kindShare,
      hourHistogram: hours[c],
      meanDistance: sizes[c] > 0 ? distSum[c] / sizes[c] : NaN,
      examples,
    };
  });
}

function exampleOf(table: EmbeddingTable, r: number, distance: number): PatternExample {
  return { ...eventRefOf(table, r), distance };
}

/**
 * Assigns rows of another table (e.g. new sessions) to an existing pattern set's nearest centroid, normalised
 * the same way. Returns row → pattern id.
 */
export function assignToPatterns(set: PatternSet, table: EmbeddingTable): Int32Array {
  if (table.dim !== set.dim)
    throw new Error(`patterns: table width ${table.dim} differs from the pattern set's ${set.dim}`);
  const data = set.normalize === 'l2' ? l2NormalizeRows(table.vectors, table.n, table.dim) : table.vectors;
  return nearestCentroid(data, table.n, table.dim, set.centroids, set.k).assign;
}

/**
 * Per session: event index → pattern id (−1 where the table has no row for that event). Arrays are as long as
 * the largest node id + 1, or `eventCounts.get(id)` when given (a node id beyond it is an error).
 */
export function patternsBySession(
  table: EmbeddingTable,
  assign: Int32Array,
  eventCounts?: ReadonlyMap<string, number>,
): Map<string, Int32Array> {
  if (assign.length !== table.n)
    throw new Error(`patterns: assign has ${assign.length} rows, the table ${table.n}`);
  const len = new Int32Array(table.sessionIds.length);
  for (let r = 0; r < table.n; r++)
    len[table.sessionIndex[r]] = Math.max(len[table.sessionIndex[r]], table.nodeId[r] + 1);
  const out = new Map<string, Int32Array>();
  table.sessionIds.forEach((id, s) => {
    const want = eventCounts?.get(id);
    if (want !== undefined && len[s] > want)
      throw new Error(`patterns: session ${id} has a row for node ${len[s] - 1} but only ${want} events`);
    out.set(id, new Int32Array(want ?? len[s]).fill(-1));
  });
  for (let r = 0; r < table.n; r++)
    out.get(table.sessionIds[table.sessionIndex[r]])![table.nodeId[r]] = assign[r];
  return out;
}

/** One row per pattern for Parquet: id, size, share, rarity, sessions, mean distance, kind shares, hour counts. */
export function patternColumns(set: PatternSet): Column[] {
  const p = set.patterns;
  const cols: Column[] = [
    { name: 'pattern_id', type: 'uint32', values: Uint32Array.from(p, (x) => x.id) },
    { name: 'size', type: 'int64', values: Float64Array.from(p, (x) => x.size) },
    { name: 'share', type: 'float64', values: Float64Array.from(p, (x) => x.share) },
    { name: 'rarity', type: 'float64', values: Float64Array.from(p, (x) => x.rarity) },
    { name: 'sessions', type: 'int64', values: Float64Array.from(p, (x) => x.sessions) },
    { name: 'mean_distance', type: 'float64', values: Float64Array.from(p, (x) => x.meanDistance) },
  ];
  EVENT_KINDS.forEach((name) =>
    cols.push({
      name: `kind_share_${name}`,
      type: 'float64',
      values: Float64Array.from(p, (x) => x.kindShare[name]),
    }),
  );
  for (let h = 0; h < 24; h++)
    cols.push({
      name: `hour_${String(h).padStart(2, '0')}`,
      type: 'int64',
      values: Float64Array.from(p, (x) => x.hourHistogram[h]),
    });
  return cols;
}

/** One row per event for Parquet: session_id, node_id, t, kind, pattern_id, distance to the centroid. */
export function patternAssignmentColumns(table: EmbeddingTable, set: PatternSet): Column[] {
  if (set.n !== table.n) throw new Error(`patterns: the set has ${set.n} rows, the table ${table.n}`);
  return [
    {
      name: 'session_id',
      type: 'string',
      values: Array.from(table.sessionIndex, (s) => table.sessionIds[s]),
    },
    { name: 'node_id', type: 'uint32', values: Uint32Array.from(table.nodeId) },
    { name: 't', type: 'int64', values: Float64Array.from(table.t) },
    { name: 'kind', type: 'uint8', values: Uint8Array.from(table.kind) },
    { name: 'pattern_id', type: 'uint32', values: Uint32Array.from(set.assign) },
    { name: 'distance', type: 'float64', values: Float64Array.from(set.distance) },
  ];
}
