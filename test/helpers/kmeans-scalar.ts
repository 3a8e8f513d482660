/**
 * The scalar typed-array k-means, pairwise distances and silhouette as they were before the blocked kernels
 * (src/patterns/distance-kernels.ts): one accumulator per distance, one distance at a time. Kept for tests as the
 * bit-exact reference: the blocked kernels sum every distance in the same order, so results must be identical
 * (Object.is per element), not merely close.
 */
import { Rng, deriveSeed } from '../../src/stats/index.js';

type Matrix = Float32Array | Float64Array;

function dist2(data: Matrix, i: number, cent: Float64Array | Matrix, j: number, d: number): number {
  let s = 0;
  const a = i * d;
  const b = j * d;
  for (let x = 0; x < d; x++) {
    const v = data[a + x] - cent[b + x];
    s += v * v;
  }
  return s;
}

function assignNearest(
  data: Matrix,
  i: number,
  cent: Float64Array,
  k: number,
  d: number,
  dist: Float64Array,
): number {
  let best = 0;
  let bestD = dist2(data, i, cent, 0, d);
  for (let j = 1; j < k; j++) {
    const v = dist2(data, i, cent, j, d);
    if (v < bestD) {
      bestD = v;
      best = j;
    }
  }
  dist[i] = bestD;
  return best;
}

export function scalarSeeds(data: Matrix, n: number, d: number, k: number, rng: Rng): Int32Array {
  const seeds = new Int32Array(k);
  const minD2 = new Float64Array(n);
  seeds[0] = rng.int(n);
  for (let i = 0; i < n; i++) minD2[i] = dist2(data, i, data, seeds[0], d);
  for (let j = 1; j < k; j++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += minD2[i];
    let pick = -1;
    if (total > 0) {
      const u = rng.float() * total;
      let cum = 0;
      for (let i = 0; i < n; i++) {
        cum += minD2[i];
        if (cum > u) {
          pick = i;
          break;
        }
      }
      if (pick < 0) for (let i = n - 1; i >= 0 && pick < 0; i--) if (minD2[i] > 0) pick = i;
    } else pick = rng.int(n);
    seeds[j] = pick;
    for (let i = 0; i < n; i++) {
      const v = dist2(data, i, data, pick, d);
      if (v < minD2[i]) minD2[i] = v;
    }
  }
  return seeds;
}

export interface ScalarKMeans {
  centroids: Float64Array;
  assign: Int32Array;
  sizes: Int32Array;
  inertia: number;
  iterations: number;
  converged: boolean;
}

function lloyd(
  data: Matrix,
  n: number,
  d: number,
  k: number,
  seeds: Int32Array,
  maxIter: number,
  tolAbs: number,
): ScalarKMeans {
  const centroids = new Float64Array(k * d);
  for (let j = 0; j < k; j++) for (let x = 0; x < d; x++) centroids[j * d + x] = data[seeds[j] * d + x];
  const assign = new Int32Array(n).fill(-1);
  const dist = new Float64Array(n);
  const sizes = new Int32Array(k);
  const sums = new Float64Array(k * d);
  let iterations = 0;
  let converged = false;
  let stopping = false;
  while (iterations < maxIter) {
    iterations++;
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const best = assignNearest(data, i, centroids, k, d, dist);
      if (assign[i] !== best) changed++;
      assign[i] = best;
    }
    if (changed === 0 || stopping) {
      converged = true;
      break;
    }
    sizes.fill(0);
    sums.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assign[i];
      sizes[c]++;
      for (let x = 0; x < d; x++) sums[c * d + x] += data[i * d + x];
    }
    let moved = false;
    for (let j = 0; j < k; j++) {
      if (sizes[j] > 0) continue;
      let far = -1;
      for (let i = 0; i < n; i++) if (sizes[assign[i]] > 1 && (far < 0 || dist[i] > dist[far])) far = i;
      if (far < 0) continue;
      sizes[assign[far]]--;
      assign[far] = j;
      sizes[j] = 1;
      dist[far] = 0;
      moved = true;
    }
    if (moved) {
      sums.fill(0);
      for (let i = 0; i < n; i++) for (let x = 0; x < d; x++) sums[assign[i] * d + x] += data[i * d + x];
    }
    let shift = 0;
    for (let j = 0; j < k; j++) {
      if (sizes[j] === 0) continue;
      for (let x = 0; x < d; x++) {
        const v = sums[j * d + x] / sizes[j];
        const delta = v - centroids[j * d + x];
        shift += delta * delta;
        centroids[j * d + x] = v;
      }
    }
    if (shift <= tolAbs) stopping = true;
  }
  sizes.fill(0);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    sizes[assign[i]]++;
    inertia += dist2(data, i, centroids, assign[i], d);
  }
  return { centroids, assign, sizes, inertia, iterations, converged };
}

function meanVariance(data: Matrix, n: number, d: number): number {
  let total = 0;
  for (let x = 0; x < d; x++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += data[i * d + x];
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (data[i * d + x] - mean) ** 2;
    total += v / n;
  }
  return total / d;
}

/** The scalar k-means (same options and rules as src/patterns/kmeans.ts). */
export function scalarKmeans(
  data: Matrix,
  n: number,
  d: number,
  k: number,
  seed: number,
  nInit = 4,
  maxIter = 100,
  tol = 1e-4,
): ScalarKMeans {
  const tolAbs = tol * meanVariance(data, n, d);
  let best: ScalarKMeans | null = null;
  for (let r = 0; r < nInit; r++) {
    const seeds = scalarSeeds(data, n, d, k, new Rng(deriveSeed(seed, r)));
    const res = lloyd(data, n, d, k, seeds, maxIter, tolAbs);
    if (best === null || res.inertia < best.inertia) best = res;
  }
  return best!;
}

/** Row-major n×n Euclidean distances, one pair at a time. */
export function scalarPairwiseDistances(data: Matrix, n: number, d: number): Float64Array {
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

/** Mean silhouette from a distance matrix, each row's per-cluster sums scattered in column order. */
export function scalarSilhouette(dist: Float64Array, n: number, assign: Int32Array, k: number): number[] {
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) sizes[assign[i]]++;
  let nonEmpty = 0;
  for (let c = 0; c < k; c++) if (sizes[c] > 0) nonEmpty++;
  if (nonEmpty < 2) return [NaN];
  const perRow: number[] = [];
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
    perRow.push(s);
    total += s;
  }
  return [total / n, ...perRow];
}
