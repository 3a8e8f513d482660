/**
 * Seeded nonparametric bootstrap over units of a ratio statistic Σ num / max(Σ den, floor), for many ratios at
 * once (one per motif), with percentile confidence intervals. Units are whatever rows the caller passes:
 * sessions, or — because observations inside one trading day are dependent — days, whose rows are the sums of
 * their sessions' rows ({@link clusterRows}).
 */
import { Rng } from './random.js';

/**
 * Quantile of sorted data with linear interpolation between order statistics (R's type 7, NumPy's default):
 * h = (n − 1)·prob, result = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
 */
export function quantileSorted(sorted: ArrayLike<number>, prob: number): number {
  const n = sorted.length;
  if (n === 0) throw new Error('quantileSorted: empty sample');
  if (!(prob >= 0 && prob <= 1)) throw new Error(`quantileSorted: prob must be in [0, 1], got ${prob}`);
  const h = (n - 1) * prob;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Fewest resampling units a percentile bootstrap CI is computed from; with fewer, the CI is unavailable. */
export const MIN_BOOTSTRAP_UNITS = 3;

/** Cluster of each row (dense 0..nClusters−1, numbered by first appearance) and the number of clusters. */
export interface Clustering {
  clusterOf: Int32Array;
  nClusters: number;
}

/**
 * Clusters from labels: rows with the same label share a cluster; a row without a label (undefined or '') is
 * its own cluster. Clusters are numbered in order of first appearance, so the result depends only on the
 * input order. E.g. trading days of sessions: ['d1', 'd1', undefined, 'd2'] → [0, 0, 1, 2], 3 clusters.
 */
export function clusterByLabel(labels: readonly (string | undefined)[]): Clustering {
  const clusterOf = new Int32Array(labels.length);
  const byLabel = new Map<string, number>();
  let n = 0;
  labels.forEach((label, r) => {
    if (label === undefined || label === '') {
      clusterOf[r] = n++;
      return;
    }
    let c = byLabel.get(label);
    if (c === undefined) {
      c = n++;
      byLabel.set(label, c);
    }
    clusterOf[r] = c;
  });
  return { clusterOf, nClusters: n };
}

/**
 * Row sums by cluster: row r of the row-major nUnits × nCols matrix `rows` is added into row clusterOf[r] of
 * the returned nClusters × nCols matrix (nClusters = max(clusterOf) + 1, 0 for no rows). Used to turn
 * per-session numerator/denominator rows into per-day rows before a day-clustered bootstrap; since the
 * bootstrap statistic is a ratio of sums, summing inside a cluster keeps every full-sample figure unchanged.
 */
export function clusterRows(
  rows: Float64Array,
  nUnits: number,
  nCols: number,
  clusterOf: ArrayLike<number>,
): Float64Array {
  if (rows.length !== nUnits * nCols)
    throw new Error(
      `clusterRows: rows must have nUnits·nCols = ${nUnits * nCols} entries, got ${rows.length}`,
    );
  if (clusterOf.length !== nUnits)
    throw new Error(`clusterRows: clusterOf must have nUnits = ${nUnits} entries, got ${clusterOf.length}`);
  let nClusters = 0;
  for (let r = 0; r < nUnits; r++) {
    const c = clusterOf[r];
    if (!Number.isInteger(c) || c < 0)
      throw new Error(`clusterRows: clusterOf[${r}] = ${c} is not a cluster index ≥ 0`);
    nClusters = Math.max(nClusters, c + 1);
  }
  const out = new Float64Array(nClusters * nCols);
  for (let r = 0; r < nUnits; r++) {
    const from = r * nCols;
    const to = clusterOf[r] * nCols;
    for (let j = 0; j < nCols; j++) out[to + j] += rows[from + j];
  }
  return out;
}

export interface RatioBootstrapInput {
  /** Units (sessions, or days after {@link clusterRows}). */
  nUnits: number;
  /** Ratios (motifs). */
  nRatios: number;
  /** Row-major nUnits × nRatios numerator contributions (observed value of motif m in session s). */
  numerator: Float64Array;
  /** Row-major nUnits × nRatios denominator contributions (null mean of motif m in session s). */
  denominator: Float64Array;
  /** Floor of the denominator sum, as in lift. */
  floor: number;
  /** Bootstrap replicates (≥ 1). */
  replicates: number;
  /** Two-sided confidence level, e.g. 0.95. */
  level: number;
  seed: number;
}

/**
 * Percentile bootstrap CI of r_m = Σ_s num[s,m] / max(Σ_s den[s,m], floor): each replicate resamples the
 * units with replacement (the same resample for every motif, so motifs stay comparable), and the interval
 * is the (1−level)/2 and (1+level)/2 quantiles of the replicate ratios. Returns low/high per ratio.
 */
export function bootstrapRatioCI(input: RatioBootstrapInput): { low: Float64Array; high: Float64Array } {
  const { nUnits, nRatios, numerator, denominator, floor, replicates, level, seed } = input;
  if (!Number.isInteger(nUnits) || nUnits < 1)
    throw new Error(`bootstrap: nUnits must be ≥ 1, got ${nUnits}`);
  if (!Number.isInteger(replicates) || replicates < 1)
    throw new Error(`bootstrap: replicates must be an integer ≥ 1, got ${replicates}`);
  if (!(level > 0 && level < 1)) throw new Error(`bootstrap: level must be in (0, 1), got ${level}`);
  if (!(floor > 0)) throw new Error(`bootstrap: floor must be > 0, got ${floor}`);
  if (numerator.length !== nUnits * nRatios || denominator.length !== nUnits * nRatios)
    throw new Error(
      `bootstrap: numerator/denominator must have nUnits·nRatios = ${nUnits * nRatios} entries`,
    );
  const rng = new Rng(seed);
  // Resample weights first (replicate b draws nUnits sessions with replacement), so the motif loop below can
  // be blocked for cache locality without changing the random stream.
  const weight = new Float64Array(replicates * nUnits);
  for (let b = 0; b < replicates; b++)
    for (let k = 0; k < nUnits; k++) weight[b * nUnits + rng.int(nUnits)]++;
  // Both matrices are mostly zeros in practice (a motif occurs in few sessions; null means vanish where a
  // motif cannot form), so each session row is kept as its non-zero entries, ascending by ratio index.
  const numRows = sparseRows(numerator, nUnits, nRatios);
  const denRows = sparseRows(denominator, nUnits, nRatios);
  const low = new Float64Array(nRatios);
  const high = new Float64Array(nRatios);
  const alpha = (1 - level) / 2;
  const BLOCK = 512;
  const num = new Float64Array(BLOCK);
  const den = new Float64Array(BLOCK);
  // samples[j * replicates + b] for the ratios m0 + j of the current block.
  const samples = new Float64Array(BLOCK * replicates);
  const numAt = new Int32Array(nUnits);
  const denAt = new Int32Array(nUnits);
  const numEnd = numRows.ptr.slice(0, nUnits);
  const denEnd = denRows.ptr.slice(0, nUnits);
  for (let m0 = 0; m0 < nRatios; m0 += BLOCK) {
    const bw = Math.min(BLOCK, nRatios - m0);
    // Entry ranges of this block in every session row (cursors only move forward).
    for (let s = 0; s < nUnits; s++) {
      numAt[s] = numEnd[s];
      denAt[s] = denEnd[s];
      numEnd[s] = blockEnd(numRows.index, numRows.ptr[s + 1], numAt[s], m0 + bw);
      denEnd[s] = blockEnd(denRows.index, denRows.ptr[s + 1], denAt[s], m0 + bw);
    }
    for (let b = 0; b < replicates; b++) {
      num.fill(0, 0, bw);
      den.fill(0, 0, bw);
      for (let s = 0; s < nUnits; s++) {
        const w = weight[b * nUnits + s];
        if (w === 0) continue;
        for (let e = numAt[s]; e < numEnd[s]; e++) num[numRows.index[e] - m0] += w * numRows.value[e];
        for (let e = denAt[s]; e < denEnd[s]; e++) den[denRows.index[e] - m0] += w * denRows.value[e];
      }
      for (let j = 0; j < bw; j++) samples[j * replicates + b] = num[j] / Math.max(den[j], floor);
    }
    for (let j = 0; j < bw; j++) {
      const one = samples.subarray(j * replicates, (j + 1) * replicates).sort();
      low[m0 + j] = quantileSorted(one, alpha);
      high[m0 + j] = quantileSorted(one, 1 - alpha);
    }
  }
  return { low, high };
}

/** Non-zero entries of a row-major rows × cols matrix, CSR by row (indices ascending). */
function sparseRows(
  m: Float64Array,
  rows: number,
  cols: number,
): { ptr: Int32Array; index: Int32Array; value: Float64Array } {
  let nnz = 0;
  for (let i = 0; i < m.length; i++) if (m[i] !== 0) nnz++;
  const ptr = new Int32Array(rows + 1);
  const index = new Int32Array(nnz);
  const value = new Float64Array(nnz);
  let at = 0;
  for (let r = 0; r < rows; r++) {
    ptr[r] = at;
    for (let c = 0, off = r * cols; c < cols; c++)
      if (m[off + c] !== 0) {
        index[at] = c;
        value[at++] = m[off + c];
      }
  }
  ptr[rows] = at;
  return { ptr, index, value };
}

/** First entry position ≥ from (and < rowEnd) whose index is ≥ limit. */
function blockEnd(index: Int32Array, rowEnd: number, from: number, limit: number): number {
  let e = from;
  while (e < rowEnd && index[e] < limit) e++;
  return e;
}
