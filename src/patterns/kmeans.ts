/**
 * Seeded k-means (Lloyd) with k-means++ seeding (Arthur & Vassilvitskii 2007) over row-major typed arrays.
 * Inputs may be float32; every distance, sum and mean is accumulated in float64, so results do not depend on
 * the input's storage precision beyond the values themselves.
 *
 * Determinism: restart r draws from its own generator `new Rng(deriveSeed(seed, r))`; ties in nearest-centroid
 * assignment go to the lower centroid index; an empty cluster takes the point farthest from its centroid (ties
 * → lower point index) among clusters with more than one member; the best restart is the lowest inertia (ties
 * → earlier restart). Same data + seed ⇒ identical assignments and centroids.
 * `kmeansReference` (kmeans-reference.ts) is the plain-array float64 oracle of this module.
 */
import { Rng, deriveSeed } from '../stats/index.js';

export interface KMeansOptions {
  k: number;
  seed: number;
  /**
   * Independent k-means++ restarts; the lowest inertia wins. Default 4: k-means++ bounds the expected cost
   * within O(log k) of optimal, but a single draw can still land in a poor local minimum; a few restarts make
   * that unlikely at small cost (each restart is one more Lloyd run).
   */
  nInit?: number;
  /** Lloyd iterations per restart (default 100; it stops earlier, see `tol`). */
  maxIter?: number;
  /**
   * Stop when the summed squared centroid shift of an update is ≤ tol × the mean per-dimension variance of the
   * data (then one last assignment to the final centroids), or when no assignment changes. Default 1e-4
   * (scikit-learn's default and definition): on large inputs a few boundary rows can keep flipping for dozens
   * of iterations that no longer move the centroids measurably. 0 = run to an exact fixed point.
   */
  tol?: number;
}

export interface KMeansResult {
  k: number;
  /** Row-major k×d centroids (float64 means of their members). */
  centroids: Float64Array;
  /** Row → cluster 0..k-1. */
  assign: Int32Array;
  /** Members per cluster. */
  sizes: Int32Array;
  /** Sum of squared Euclidean distances of rows to their centroid. */
  inertia: number;
  /** Lloyd iterations of the winning restart. */
  iterations: number;
  /** Whether the winning restart stopped by convergence (no change, or shift ≤ tol) rather than at maxIter. */
  converged: boolean;
}

type Matrix = Float32Array | Float64Array;

function checkInput(data: Matrix, n: number, d: number, k: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`kmeans: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(d) || d < 1) throw new Error(`kmeans: d must be a positive integer, got ${d}`);
  if (data.length !== n * d)
    throw new Error(`kmeans: data has ${data.length} values, expected n×d = ${n * d}`);
  if (!Number.isInteger(k) || k < 1 || k > n)
    throw new Error(`kmeans: k must be an integer in 1..n (${n}), got ${k}`);
}

/** Squared Euclidean distance between row i of `data` and row j of `cent` (float64 accumulation). */
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

/**
 * The centroid nearest to row i (ties → lower index); its squared distance goes to dist[i]. The one
 * assignment rule of Lloyd's iterations and of nearestCentroid.
 */
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

/** k-means++ seeding: the chosen row indices, in draw order. */
export function kmeansPlusPlusSeeds(data: Matrix, n: number, d: number, k: number, rng: Rng): Int32Array {
  checkInput(data, n, d, k);
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
      // Rounding can leave u ≥ the final cumulative sum: take the last row with positive weight.
      if (pick < 0) for (let i = n - 1; i >= 0 && pick < 0; i--) if (minD2[i] > 0) pick = i;
    } else pick = rng.int(n); // every row coincides with a seed: fewer distinct rows than k
    seeds[j] = pick;
    for (let i = 0; i < n; i++) {
      const v = dist2(data, i, data, pick, d);
      if (v < minD2[i]) minD2[i] = v;
    }
  }
  return seeds;
}

function lloyd(
  data: Matrix,
  n: number,
  d: number,
  k: number,
  seeds: Int32Array,
  maxIter: number,
  tolAbs: number,
): Omit<KMeansResult, 'k'> {
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
      if (far < 0) continue; // every cluster is a singleton or empty: nothing to move (k > distinct rows)
      sizes[assign[far]]--;
      assign[far] = j;
      sizes[j] = 1;
      dist[far] = 0;
      moved = true;
    }
    // Recompute the sums from scratch after a move (rather than subtracting) so the means are summed in row
    // order, exactly as without a move.
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

/** Mean over dimensions of the population variance of each column (float64, two passes). */
export function meanVariance(data: Matrix, n: number, d: number): number {
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

/** Seeded k-means++ / Lloyd clustering of n rows of width d (see the module comment for the rules). */
export function kmeans(data: Matrix, n: number, d: number, opts: KMeansOptions): KMeansResult {
  const { k, seed } = opts;
  checkInput(data, n, d, k);
  const nInit = opts.nInit ?? 4;
  const maxIter = opts.maxIter ?? 100;
  const tol = opts.tol ?? 1e-4;
  if (!(tol >= 0 && Number.isFinite(tol)))
    throw new Error(`kmeans: tol must be a finite number ≥ 0, got ${tol}`);
  const tolAbs = tol * meanVariance(data, n, d);
  if (!Number.isInteger(nInit) || nInit < 1)
    throw new Error(`kmeans: nInit must be a positive integer, got ${nInit}`);
  if (!Number.isInteger(maxIter) || maxIter < 1)
    throw new Error(`kmeans: maxIter must be a positive integer, got ${maxIter}`);
  let best: Omit<KMeansResult, 'k'> | null = null;
  for (let r = 0; r < nInit; r++) {
    const rng = new Rng(deriveSeed(seed, r));
    const seeds = kmeansPlusPlusSeeds(data, n, d, k, rng);
    const res = lloyd(data, n, d, k, seeds, maxIter, tolAbs);
    if (best === null || res.inertia < best.inertia) best = res;
  }
  return { k, ...best! };
}

/** Assigns each row to its nearest centroid (ties → lower index), with the squared distance to it. */
export function nearestCentroid(
  data: Matrix,
  n: number,
  d: number,
  centroids: Float64Array,
  k: number,
): { assign: Int32Array; dist2: Float64Array } {
  if (centroids.length !== k * d)
    throw new Error(`nearestCentroid: centroids have ${centroids.length} values, expected ${k * d}`);
  const assign = new Int32Array(n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) assign[i] = assignNearest(data, i, centroids, k, d, out);
  return { assign, dist2: out };
}
