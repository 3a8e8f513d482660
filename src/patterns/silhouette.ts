/**
 * Silhouette (Rousseeuw 1987) with Euclidean distance: for row i in cluster A, a(i) = mean distance to the other
 * members of A, b(i) = the smallest mean distance to the members of another non-empty cluster, and
 * s(i) = (b − a)/max(a, b); s(i) = 0 for a singleton cluster (Rousseeuw's convention) and when a = b = 0.
 * The mean over rows is the score used to choose k. Undefined (NaN) when fewer than two clusters are non-empty.
 *
 * `pairwiseDistances` + `silhouetteFromDistances` reuse one distance matrix across many clusterings of the same
 * rows (k = 2..12 in `chooseK`); `silhouetteReference` is the float64 oracle straight from the definition.
 */

type Matrix = Float32Array | Float64Array;

/** Row-major n×n Euclidean distances (float64). Memory n²·8 bytes: meant for subsamples. */
export function pairwiseDistances(data: Matrix, n: number, d: number): Float64Array {
  if (data.length !== n * d)
    throw new Error(`pairwiseDistances: data has ${data.length} values, expected ${n * d}`);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let x = 0; x < d; x++) {
        const v = data[i * d + x] - data[j * d + x];
        s += v * v;
      }
      const r = Math.sqrt(s);
      out[i * n + j] = r;
      out[j * n + i] = r;
    }
  }
  return out;
}

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
  const sumTo = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    sumTo.fill(0);
    for (let j = 0; j < n; j++) sumTo[assign[j]] += dist[i * n + j];
    const own = assign[i];
    let s = 0;
    if (sizes[own] > 1) {
      const a = sumTo[own] / (sizes[own] - 1);
      let b = Infinity;
      for (let c = 0; c < k; c++) if (c !== own && sizes[c] > 0) b = Math.min(b, sumTo[c] / sizes[c]);
      const m = Math.max(a, b);
      s = m > 0 ? (b - a) / m : 0;
    }
    perRow[i] = s;
    total += s;
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
