/**
 * The attention mask of one session, as row descriptions rather than an L×L matrix.
 *
 * Row j (a query) may attend to column i (a key) when
 *   - i ≤ j (causal; rows are sorted by time), and i = j only if `self` is set;
 *   - t_j − t_i ≤ windowMs when a window is set, i.e. i ≥ lo[j];
 *   - with a DAG: i = j, or there is an edge i → j (i is a DAG predecessor of j).
 * Without a DAG the allowed columns of row j are the range [lo[j], hi(j)] with hi(j) = j or j − 1; with a DAG
 * they are the sorted list pred[predPtr[j] .. predPtr[j+1]) (already clipped to ≥ lo[j]) plus j when `self`.
 */
import type { Dag } from '../graph/index.js';

export interface AttentionMask {
  n: number;
  /** Row j sees no column below lo[j] (causal + time window). */
  lo: Int32Array;
  /** Row j may attend to itself. */
  self: boolean;
  /** CSR of DAG predecessors per row (sorted, deduplicated, ≥ lo[j]); null when no DAG mask is used. */
  predPtr: Int32Array | null;
  pred: Int32Array | null;
}

/**
 * Build the mask for `n` time-sorted nodes. Throws on a DAG of the wrong size, an edge that does not point
 * forward (i < j), or an index out of range.
 */
export function buildMask(
  n: number,
  tMs: Float64Array,
  options: { windowMs: number | null; selfAttention: boolean; dag?: Dag | null },
): AttentionMask {
  const lo = new Int32Array(n);
  if (options.windowMs !== null) {
    let first = 0;
    for (let j = 0; j < n; j++) {
      while (tMs[j] - tMs[first] > options.windowMs) first++;
      lo[j] = first;
    }
  }
  let predPtr: Int32Array | null = null;
  let pred: Int32Array | null = null;
  const dag = options.dag;
  if (dag) {
    if (dag.n !== n) throw new Error(`dag.n is ${dag.n}, but the session has ${n} nodes`);
    if (dag.src.length !== dag.dst.length) {
      throw new Error(`dag.src has ${dag.src.length} entries but dag.dst has ${dag.dst.length}`);
    }
    const m = dag.src.length;
    const count = new Int32Array(n + 1);
    for (let e = 0; e < m; e++) {
      const s = dag.src[e];
      const d = dag.dst[e];
      if (!(s >= 0 && s < n && d >= 0 && d < n))
        throw new Error(`dag edge ${e} (${s}→${d}) is out of range [0, ${n})`);
      if (s >= d)
        throw new Error(`dag edge ${e} (${s}→${d}) does not point forward in time order (needs src < dst)`);
      if (s >= lo[d]) count[d + 1]++;
    }
    for (let j = 0; j < n; j++) count[j + 1] += count[j];
    const fill = count.slice(0, n);
    const raw = new Int32Array(count[n]);
    for (let e = 0; e < m; e++) {
      const d = dag.dst[e];
      if (dag.src[e] >= lo[d]) raw[fill[d]++] = dag.src[e];
    }
    // Sort and deduplicate each row (edges are usually already sorted by src).
    predPtr = new Int32Array(n + 1);
    pred = new Int32Array(raw.length);
    let k = 0;
    for (let j = 0; j < n; j++) {
      const row = raw.subarray(count[j], count[j + 1]).sort();
      for (let r = 0; r < row.length; r++) if (r === 0 || row[r] !== row[r - 1]) pred[k++] = row[r];
      predPtr[j + 1] = k;
    }
    pred = pred.slice(0, k);
  }
  return { n, lo, self: options.selfAttention, predPtr, pred };
}

/** Number of allowed columns of row j. */
export function allowedCount(mask: AttentionMask, j: number): number {
  const selfCount = mask.self ? 1 : 0;
  if (mask.predPtr) return mask.predPtr[j + 1] - mask.predPtr[j] + selfCount;
  return j - mask.lo[j] + selfCount;
}

/** Total allowed (row, column) pairs: the work a mask-aware kernel must do per head. */
export function allowedPairs(mask: AttentionMask): number {
  let total = 0;
  for (let j = 0; j < mask.n; j++) total += allowedCount(mask, j);
  return total;
}

/** Allowed columns of row j in ascending order (allocates; for tests and the reference kernel's clarity). */
export function allowedColumns(mask: AttentionMask, j: number): Int32Array {
  const out = new Int32Array(allowedCount(mask, j));
  let k = 0;
  if (mask.predPtr && mask.pred) {
    for (let p = mask.predPtr[j]; p < mask.predPtr[j + 1]; p++) out[k++] = mask.pred[p];
  } else {
    for (let i = mask.lo[j]; i < j; i++) out[k++] = i;
  }
  if (mask.self) out[k] = j;
  return out;
}

/** Dense membership test (O(log deg) for DAG rows); used by the element-wise masking of `flash`. */
export function isAllowed(mask: AttentionMask, j: number, i: number): boolean {
  if (i > j || i < mask.lo[j]) return false;
  if (i === j) return mask.self;
  if (!mask.predPtr || !mask.pred) return true;
  let a = mask.predPtr[j];
  let b = mask.predPtr[j + 1] - 1;
  while (a <= b) {
    const mid = (a + b) >> 1;
    const v = mask.pred[mid];
    if (v === i) return true;
    if (v < i) a = mid + 1;
    else b = mid - 1;
  }
  return false;
}
