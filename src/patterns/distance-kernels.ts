/**
 * Squared-Euclidean distance kernels shared by k-means (kmeans.ts) and the silhouette (silhouette.ts), blocked
 * four distances at a time.
 *
 * Why blocked: one squared distance is a chain of dependent float64 additions (s += v·v, d times), so a loop that
 * finishes one distance before starting the next waits on the adder's latency at every step. Four distances
 * computed side by side are four independent chains the CPU overlaps, about 2–3× the throughput in V8.
 *
 * Why the results do not change by a bit: each distance is still accumulated alone, from 0, over x = 0..d−1 in
 * order, as (a − b)² with the same operands (JavaScript never fuses a multiply-add), so every distance equals
 * the one-at-a-time value exactly; comparisons then run in the same index order with the same tie rules.
 * test/patterns-kmeans.test.ts checks this bit for bit against the scalar code kept in
 * test/helpers/kmeans-scalar.ts.
 */

type Matrix = Float32Array | Float64Array;

/** Squared Euclidean distance between row i of `a` and row j of `b` (float64 accumulation, x ascending). */
export function dist2(a: Matrix, i: number, b: Matrix, j: number, d: number): number {
  let s = 0;
  const p = i * d;
  const q = j * d;
  for (let x = 0; x < d; x++) {
    const v = a[p + x] - b[q + x];
    s += v * v;
  }
  return s;
}

/**
 * The centroid nearest to row i (ties → lower index; the first centroid is kept when every distance is NaN);
 * its squared distance goes to out[i] and the smallest squared distance to any other centroid to second[i]
 * (Infinity when k = 1; equal to out[i] on a tie). The one assignment rule of Lloyd's iterations and of
 * nearestCentroid.
 */
export function assignNearest(
  data: Matrix,
  i: number,
  cent: Float64Array,
  k: number,
  d: number,
  out: Float64Array,
  second: Float64Array,
): number {
  const a = i * d;
  let best = 0;
  let bestD = 0;
  let secondD = Infinity;
  let j = 0;
  for (; j + 4 <= k; j += 4) {
    const b0 = j * d;
    const b1 = b0 + d;
    const b2 = b1 + d;
    const b3 = b2 + d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let x = 0; x < d; x++) {
      const v = data[a + x];
      const t0 = v - cent[b0 + x];
      const t1 = v - cent[b1 + x];
      const t2 = v - cent[b2 + x];
      const t3 = v - cent[b3 + x];
      s0 += t0 * t0;
      s1 += t1 * t1;
      s2 += t2 * t2;
      s3 += t3 * t3;
    }
    if (j === 0) bestD = s0;
    else if (s0 < bestD) {
      secondD = bestD;
      bestD = s0;
      best = j;
    } else if (s0 < secondD) secondD = s0;
    if (s1 < bestD) {
      secondD = bestD;
      bestD = s1;
      best = j + 1;
    } else if (s1 < secondD) secondD = s1;
    if (s2 < bestD) {
      secondD = bestD;
      bestD = s2;
      best = j + 2;
    } else if (s2 < secondD) secondD = s2;
    if (s3 < bestD) {
      secondD = bestD;
      bestD = s3;
      best = j + 3;
    } else if (s3 < secondD) secondD = s3;
  }
  for (; j < k; j++) {
    const s = dist2(data, i, cent, j, d);
    if (j === 0) bestD = s;
    else if (s < bestD) {
      secondD = bestD;
      bestD = s;
      best = j;
    } else if (s < secondD) secondD = s;
  }
  out[i] = bestD;
  second[i] = secondD;
  return best;
}

/**
 * For every row i of `data` (n rows), out[i] = min(out[i], dist2(row i, row p)) — or the distance itself when
 * `init` — with rows taken four at a time (k-means++ seeding: each row's distance to the nearest seed so far).
 */
export function lowerToRow(
  data: Matrix,
  n: number,
  d: number,
  p: number,
  out: Float64Array,
  init: boolean,
): void {
  const q = p * d;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a0 = i * d;
    const a1 = a0 + d;
    const a2 = a1 + d;
    const a3 = a2 + d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let x = 0; x < d; x++) {
      const c = data[q + x];
      const t0 = data[a0 + x] - c;
      const t1 = data[a1 + x] - c;
      const t2 = data[a2 + x] - c;
      const t3 = data[a3 + x] - c;
      s0 += t0 * t0;
      s1 += t1 * t1;
      s2 += t2 * t2;
      s3 += t3 * t3;
    }
    if (init || s0 < out[i]) out[i] = s0;
    if (init || s1 < out[i + 1]) out[i + 1] = s1;
    if (init || s2 < out[i + 2]) out[i + 2] = s2;
    if (init || s3 < out[i + 3]) out[i + 3] = s3;
  }
  for (; i < n; i++) {
    const s = dist2(data, i, data, p, d);
    if (init || s < out[i]) out[i] = s;
  }
}

/**
 * Row-major n×n Euclidean distances (float64; the diagonal is 0), each pair computed once (i < j, four j at a
 * time) and written to both halves. Memory n²·8 bytes: meant for subsamples.
 */
export function pairwiseDistances(data: Matrix, n: number, d: number): Float64Array {
  if (data.length !== n * d)
    throw new Error(`pairwiseDistances: data has ${data.length} values, expected ${n * d}`);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const a = i * d;
    let j = i + 1;
    for (; j + 4 <= n; j += 4) {
      const b0 = j * d;
      const b1 = b0 + d;
      const b2 = b1 + d;
      const b3 = b2 + d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let x = 0; x < d; x++) {
        const v = data[a + x];
        const t0 = v - data[b0 + x];
        const t1 = v - data[b1 + x];
        const t2 = v - data[b2 + x];
        const t3 = v - data[b3 + x];
        s0 += t0 * t0;
        s1 += t1 * t1;
        s2 += t2 * t2;
        s3 += t3 * t3;
      }
      const r0 = Math.sqrt(s0);
      const r1 = Math.sqrt(s1);
      const r2 = Math.sqrt(s2);
      const r3 = Math.sqrt(s3);
      out[i * n + j] = r0;
      out[i * n + j + 1] = r1;
      out[i * n + j + 2] = r2;
      out[i * n + j + 3] = r3;
      out[j * n + i] = r0;
      out[(j + 1) * n + i] = r1;
      out[(j + 2) * n + i] = r2;
      out[(j + 3) * n + i] = r3;
    }
    for (; j < n; j++) {
      const r = Math.sqrt(dist2(data, i, data, j, d));
      out[i * n + j] = r;
      out[j * n + i] = r;
    }
  }
  return out;
}
