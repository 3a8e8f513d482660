/**
 * Silhouette (Rousseeuw 1987) with Euclidean distance: for row i in cluster A, a(i) = mean distance to the other
 * members of A, b(i) = the smallest mean distance to the members of another non-empty cluster, and
 * s(i) = (b − a)/max(a, b); s(i) = 0 for a singleton cluster (Rousseeuw's convention) and when a = b = 0.
 * The mean over rows is the score used to choose k. Undefined (NaN) when fewer than two clusters are non-empty.
 *
 * `pairwiseDistances` + `silhouetteFromDistances` reuse one distance matrix across many clusterings of the same
 * rows (k = 2..12 in `chooseK`); `silhouetteReference` is the float64 oracle straight from the definition.
 */

import { pairwiseDistances } from './distance-kernels.js';

type Matrix = Float32Array | Float64Array;

export { pairwiseDistances };

export interface SilhouetteResult {
  /** Mean of s(i) over all rows; NaN when fewer than two clusters are non-empty. */
  mean: number;
  /** s(i) per row. */
  perRow: Float64Array;
}

/** Silhouette of `assign` (values 0..k-1) given a precomputed n×n distance matrix. */
export function silhouetteFromDistances(
  dist: Float64Array,
  n: number,
  assign: Int32Array,
  k: number,
): SilhouetteResult {
  if (dist.length !== n * n)
    throw new Error(`silhouette: distance matrix has ${dist.length} values, expected ${n * n}`);
  if (assign.length !== n) throw new Error(`silhouette: assign has ${assign.length} rows, expected ${n}`);
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const c = assign[i];
    if (!(c >= 0 && c < k)) throw new Error(`silhouette: assign[${i}] = ${c} is outside 0..${k - 1}`);
    sizes[c]++;
  }
  let nonEmpty = 0;
  for (let c = 0; c < k; c++) if (sizes[c] > 0) nonEmpty++;
  const perRow = new Float64Array(n);
  if (nonEmpty < 2) return { mean: NaN, perRow: perRow.fill(NaN) };
  // Each cluster's members in ascending row order: summing row i's distances cluster by cluster over these lists
  // adds the same values in the same order as one pass over j = 0..n−1 scattering into per-cluster sums (so the
  // same bits), without a read-modify-write through memory per element.
  const start = new Int32Array(k + 1);
  for (let c = 0; c < k; c++) start[c + 1] = start[c] + sizes[c];
  const members = new Int32Array(n);
  const fill = start.slice(0, k);
  for (let j = 0; j < n; j++) members[fill[assign[j]]++] = j;
  // sumTo[q·k + c]: the distances from row i + q to cluster c's members, summed; four rows side by side (four
  // independent addition chains, see distance-kernels.ts), each in member order.
  const sumTo = new Float64Array(4 * k);
  let total = 0;
  for (let i = 0; i < n; i += 4) {
    const rows = Math.min(4, n - i);
    if (rows === 4) {
      const r0 = i * n;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      for (let c = 0; c < k; c++) {
        let t0 = 0;
        let t1 = 0;
        let t2 = 0;
        let t3 = 0;
        for (let m = start[c]; m < start[c + 1]; m++) {
          const j = members[m];
          t0 += dist[r0 + j];
          t1 += dist[r1 + j];
          t2 += dist[r2 + j];
          t3 += dist[r3 + j];
        }
        sumTo[c] = t0;
        sumTo[k + c] = t1;
        sumTo[2 * k + c] = t2;
        sumTo[3 * k + c] = t3;
      }
    } else
      for (let q = 0; q < rows; q++) {
        const row = (i + q) * n;
        for (let c = 0; c < k; c++) {
          let t = 0;
          for (let m = start[c]; m < start[c + 1]; m++) t += dist[row + members[m]];
          sumTo[q * k + c] = t;
        }
      }
    for (let q = 0; q < rows; q++) {
      const own = assign[i + q];
      const base = q * k;
      let s = 0;
      if (sizes[own] > 1) {
        const a = sumTo[base + own] / (sizes[own] - 1);
        let b = Infinity;
        for (let c = 0; c < k; c++)
          if (c !== own && sizes[c] > 0) b = Math.min(b, sumTo[base + c] / sizes[c]);
        const m = Math.max(a, b);
        s = m > 0 ? (b - a) / m : 0;
      }
      perRow[i + q] = s;
      total += s;
    }
  }
  return { mean: total / n, perRow };
}

/** Silhouette computed from the rows directly (no stored matrix). */
export function silhouette(
  data: Matrix,
  n: number,
  d: number,
  assign: Int32Array,
  k: number,
): SilhouetteResult {
  return silhouetteFromDistances(pairwiseDistances(data, n, d), n, assign, k);
}

/** Float64 reference over plain arrays, from the definition (O(n²·d), tests only). */
export function silhouetteReference(points: readonly number[][], assign: readonly number[]): number {
  const dist = (p: readonly number[], q: readonly number[]) =>
    Math.sqrt(p.reduce((s, v, x) => s + (v - q[x]) ** 2, 0));
  const clusters = [...new Set(assign)];
  if (clusters.length < 2) return NaN;
  let total = 0;
  for (let i = 0; i < points.length; i++) {
    const mine = points.filter((_, j) => j !== i && assign[j] === assign[i]);
    if (mine.length === 0) continue; // singleton: s = 0
    const a = mine.reduce((s, q) => s + dist(points[i], q), 0) / mine.length;
    const b = Math.min(
      ...clusters
        .filter((c) => c !== assign[i])
        .map((c) => {
          const other = points.filter((_, j) => assign[j] === c);
          return other.reduce((s, q) => s + dist(points[i], q), 0) / other.length;
        }),
    );
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return total / points.length;
}
