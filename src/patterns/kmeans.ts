/**
 * Seeded k-means (Lloyd) with k-means++ seeding (Arthur & Vassilvitskii 2007) over row-major typed arrays.
 * Inputs may be float32; every distance, sum and mean is accumulated in float64, so results do not depend on
 * the input's storage precision beyond the values themselves.
 *
 * Determinism: restart r draws from its own generator `new Rng(deriveSeed(seed, r))`; ties in nearest-centroid
 * assignment go to the lower centroid index; an empty cluster takes the point farthest from its centroid (ties
 * → lower point index) among clusters with more than one member; the best restart is the lowest inertia (ties
 * → earlier restart). Same data + seed ⇒ identical assignments and centroids.
 * `kmeansReference` (kmeans-reference.ts) is the plain-array float64 oracle of this module; the distances come
 * from the blocked kernels of distance-kernels.ts, equal bit for bit to one-at-a-time sums.
 */
import { Rng, deriveSeed } from '../stats/index.js';
import { assignNearest, dist2, lowerToRow } from './distance-kernels.js';

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

/** k-means++ seeding: the chosen row indices, in draw order. */
export function kmeansPlusPlusSeeds(data: Matrix, n: number, d: number, k: number, rng: Rng): Int32Array {
  checkInput(data, n, d, k);
  const seeds = new Int32Array(k);
  const minD2 = new Float64Array(n);
  seeds[0] = rng.int(n);
  lowerToRow(data, n, d, seeds[0], minD2, true);
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
    lowerToRow(data, n, d, pick, minD2, false);
  }
  return seeds;
}

/**
 * Distance bounds that let a Lloyd pass skip rows whose nearest centroid provably did not change (Hamerly 2010,
 * "Making k-means even faster"): upper[i] ≥ the distance from row i to its centroid, lower[i] ≤ its distance to
 * every other centroid. After the centroids move, upper grows by its centroid's shift and lower shrinks by the
 * largest shift of another centroid (triangle inequality). A row is skipped only when upper + slack < max(lower,
 * half the distance from its centroid to the nearest other centroid): then in exact arithmetic its centroid is
 * nearer than any other by more than the slack, and the slack (1e-8 × the largest row norm) dwarfs the rounding
 * of the computed distances and of the bounds' updates (≈ 1e-16 × that norm per operation), so the full scan's
 * float comparison would pick the same centroid: the assignments, and from them every sum, centroid and
 * iteration count, are those of the plain scan, bit for bit. Rows not skipped are scanned exactly as before.
 */
const BOUND_SLACK = 1e-8;
const BOUND_REFRESH = 1000;

function lloyd(
  data: Matrix,
  n: number,
  d: number,
  k: number,
  seeds: Int32Array,
  maxIter: number,
  tolAbs: number,
  slack: number,
): Omit<KMeansResult, 'k'> {
  const centroids = new Float64Array(k * d);
  for (let j = 0; j < k; j++) for (let x = 0; x < d; x++) centroids[j * d + x] = data[seeds[j] * d + x];
  const assign = new Int32Array(n).fill(-1);
  const dist = new Float64Array(n);
  const second = new Float64Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const shiftOf = new Float64Array(k);
  const half = new Float64Array(k);
  const sizes = new Int32Array(k);
  const sums = new Float64Array(k * d);
  const dirty = new Uint8Array(k);
  const start = new Int32Array(k + 1);
  const members = new Int32Array(n);
  let iterations = 0;
  let converged = false;
  let stopping = false;
  let boundsValid = false;
  while (iterations < maxIter) {
    iterations++;
    let changed = 0;
    if (boundsValid) {
      for (let j = 0; j < k; j++) {
        let m = Infinity;
        for (let c = 0; c < k; c++) if (c !== j) m = Math.min(m, dist2(centroids, j, centroids, c, d));
        half[j] = 0.5 * Math.sqrt(m);
      }
    }
    for (let i = 0; i < n; i++) {
      if (boundsValid) {
        const own = assign[i];
        const bound = Math.max(half[own], lower[i]);
        if (upper[i] + slack < bound) continue;
        const u = Math.sqrt(dist2(data, i, centroids, own, d));
        upper[i] = u;
        if (u + slack < bound) continue;
      }
      const best = assignNearest(data, i, centroids, k, d, dist, second);
      upper[i] = Math.sqrt(dist[i]);
      lower[i] = Math.sqrt(second[i]);
      if (assign[i] !== best) {
        changed++;
        if (assign[i] >= 0) dirty[assign[i]] = 1;
        dirty[best] = 1;
      }
      assign[i] = best;
    }
    if (changed === 0 || stopping) {
      converged = true;
      break;
    }
    // Only clusters that gained or lost a row are summed again: the others have the same members as in the
    // last update, so their sums (members in row order) would come out the same bits.
    sizes.fill(0);
    for (let i = 0; i < n; i++) sizes[assign[i]]++;
    membersByCluster(assign, n, k, sizes, start, members);
    for (let j = 0; j < k; j++)
      if (dirty[j]) sumMembers(data, d, members, start[j], start[j + 1], sums, j * d);
    dirty.fill(0);
    let moved = false;
    for (let j = 0; j < k; j++) {
      if (sizes[j] > 0) continue;
      // The farthest-point rule reads every row's distance to its centroid: skipped rows have none yet.
      if (!moved) for (let i = 0; i < n; i++) dist[i] = dist2(data, i, centroids, assign[i], d);
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
      shiftOf[j] = 0;
      if (sizes[j] === 0) continue;
      let own = 0;
      for (let x = 0; x < d; x++) {
        const v = sums[j * d + x] / sizes[j];
        const delta = v - centroids[j * d + x];
        shift += delta * delta;
        own += delta * delta;
        centroids[j * d + x] = v;
      }
      shiftOf[j] = Math.sqrt(own);
    }
    if (shift <= tolAbs) stopping = true;
    // A moved row changed centroid outside the scan, so its bounds are stale: scan every row next time. Every
    // BOUND_REFRESH iterations too, so the bounds' rounding drift (≈ 1e-16 × the row norms per update) stays far
    // below the slack however large maxIter is.
    boundsValid = !moved && iterations % BOUND_REFRESH !== 0;
    if (boundsValid) {
      let top = 0; // the largest shift, its centroid, and the largest shift of any other centroid
      for (let j = 1; j < k; j++) if (shiftOf[j] > shiftOf[top]) top = j;
      let next = 0;
      for (let j = 0; j < k; j++) if (j !== top) next = Math.max(next, shiftOf[j]);
      for (let i = 0; i < n; i++) {
        const own = assign[i];
        upper[i] += shiftOf[own];
        lower[i] -= own === top ? next : shiftOf[top];
      }
    }
  }
  sizes.fill(0);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    sizes[assign[i]]++;
    inertia += dist2(data, i, centroids, assign[i], d);
  }
  return { centroids, assign, sizes, inertia, iterations, converged };
}

/** Rows grouped by cluster, ascending within each: cluster j's rows are members[start[j] .. start[j + 1]). */
function membersByCluster(
  assign: Int32Array,
  n: number,
  k: number,
  sizes: Int32Array,
  start: Int32Array,
  members: Int32Array,
): void {
  start[0] = 0;
  for (let j = 0; j < k; j++) start[j + 1] = start[j] + sizes[j];
  const fill = start.slice(0, k);
  for (let i = 0; i < n; i++) members[fill[assign[i]]++] = i;
}

/**
 * out[at + x] = Σ data[row·d + x] over rows = members[from..to), summed from 0 in that (ascending row) order —
 * the bits of a scatter over rows 0..n−1 into per-cluster sums — with eight, then four columns side by side in
 * registers (independent chains) instead of one read-modify-write through memory per value.
 */
function sumMembers(
  data: Matrix,
  d: number,
  members: Int32Array,
  from: number,
  to: number,
  out: Float64Array,
  at: number,
): void {
  let x = 0;
  for (; x + 8 <= d; x += 8) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    let s7 = 0;
    for (let m = from; m < to; m++) {
      const o = members[m] * d + x;
      s0 += data[o];
      s1 += data[o + 1];
      s2 += data[o + 2];
      s3 += data[o + 3];
      s4 += data[o + 4];
      s5 += data[o + 5];
      s6 += data[o + 6];
      s7 += data[o + 7];
    }
    out[at + x] = s0;
    out[at + x + 1] = s1;
    out[at + x + 2] = s2;
    out[at + x + 3] = s3;
    out[at + x + 4] = s4;
    out[at + x + 5] = s5;
    out[at + x + 6] = s6;
    out[at + x + 7] = s7;
  }
  for (; x + 4 <= d; x += 4) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let m = from; m < to; m++) {
      const o = members[m] * d + x;
      s0 += data[o];
      s1 += data[o + 1];
      s2 += data[o + 2];
      s3 += data[o + 3];
    }
    out[at + x] = s0;
    out[at + x + 1] = s1;
    out[at + x + 2] = s2;
    out[at + x + 3] = s3;
  }
  for (; x < d; x++) {
    let s = 0;
    for (let m = from; m < to; m++) s += data[members[m] * d + x];
    out[at + x] = s;
  }
}

/** Largest Euclidean row norm (NaN when a value is NaN): the scale of the bounds' slack in `lloyd`. */
function maxRowNorm(data: Matrix, n: number, d: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let x = 0; x < d; x++) s += data[i * d + x] * data[i * d + x];
    if (!(s <= m)) m = s; // NaN sticks: no row is ever skipped then
  }
  return Math.sqrt(m);
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
  const slack = BOUND_SLACK * maxRowNorm(data, n, d);
  let best: Omit<KMeansResult, 'k'> | null = null;
  for (let r = 0; r < nInit; r++) {
    const rng = new Rng(deriveSeed(seed, r));
    const seeds = kmeansPlusPlusSeeds(data, n, d, k, rng);
    const res = lloyd(data, n, d, k, seeds, maxIter, tolAbs, slack);
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
  const second = new Float64Array(n);
  for (let i = 0; i < n; i++) assign[i] = assignNearest(data, i, centroids, k, d, out, second);
  return { assign, dist2: out };
}
