/**
 * Float64 reference of `kmeans` (kmeans.ts), written over plain `number[][]` straight from the algorithm's
 * definition, for tests: same seeding rule, same draws from the same generators, same tie and empty-cluster
 * rules, so it must give the same assignments and (to rounding) the same centroids.
 */
import { Rng, deriveSeed } from '../stats/index.js';

export interface KMeansReferenceResult {
  centroids: number[][];
  assign: number[];
  inertia: number;
}

function sq(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let x = 0; x < a.length; x++) s += (a[x] - b[x]) ** 2;
  return s;
}

function argminCentroid(p: readonly number[], cs: readonly number[][]): number {
  let best = 0;
  for (let j = 1; j < cs.length; j++) if (sq(p, cs[j]) < sq(p, cs[best])) best = j;
  return best;
}

function seedsOf(points: readonly number[][], k: number, rng: Rng): number[] {
  const n = points.length;
  const seeds = [rng.int(n)];
  while (seeds.length < k) {
    const w = points.map((p) => Math.min(...seeds.map((s) => sq(p, points[s]))));
    const total = w.reduce((a, b) => a + b, 0);
    let pick = -1;
    if (total > 0) {
      const u = rng.float() * total;
      let cum = 0;
      for (let i = 0; i < n && pick < 0; i++) {
        cum += w[i];
        if (cum > u) pick = i;
      }
      for (let i = n - 1; i >= 0 && pick < 0; i--) if (w[i] > 0) pick = i;
    } else pick = rng.int(n);
    seeds.push(pick);
  }
  return seeds;
}

function run(
  points: readonly number[][],
  k: number,
  seeds: number[],
  maxIter: number,
  tolAbs: number,
): KMeansReferenceResult {
  const n = points.length;
  let cs = seeds.map((s) => [...points[s]]);
  let assign: number[] = new Array(n).fill(-1);
  let stopping = false;
  for (let it = 0; it < maxIter; it++) {
    const next = points.map((p) => argminCentroid(p, cs));
    const changed = next.some((c, i) => c !== assign[i]);
    assign = next;
    if (!changed || stopping) break;
    const dist = points.map((p, i) => sq(p, cs[assign[i]]));
    for (let j = 0; j < k; j++) {
      const size = (c: number) => assign.filter((a) => a === c).length;
      if (size(j) > 0) continue;
      let far = -1;
      for (let i = 0; i < n; i++) if (size(assign[i]) > 1 && (far < 0 || dist[i] > dist[far])) far = i;
      if (far < 0) continue;
      assign[far] = j;
      dist[far] = 0;
    }
    const old = cs;
    cs = cs.map((c, j) => {
      const members = points.filter((_, i) => assign[i] === j);
      if (members.length === 0) return c;
      return c.map((_, x) => members.reduce((s, p) => s + p[x], 0) / members.length);
    });
    if (sq(cs.flat(), old.flat()) <= tolAbs) stopping = true;
  }
  const inertia = points.reduce((s, p, i) => s + sq(p, cs[assign[i]]), 0);
  return { centroids: cs, assign, inertia };
}

/**
 * Reference k-means: `nInit` restarts (default 4), `maxIter` Lloyd steps (default 100), stop rule `tol`
 * (default 1e-4 × the mean column variance, as in kmeans.ts), lowest inertia wins.
 */
export function kmeansReference(
  points: readonly number[][],
  k: number,
  seed: number,
  nInit = 4,
  maxIter = 100,
  tol = 1e-4,
): KMeansReferenceResult {
  const n = points.length;
  const d = points[0].length;
  let varSum = 0;
  for (let x = 0; x < d; x++) {
    const mean = points.reduce((s, p) => s + p[x], 0) / n;
    varSum += points.reduce((s, p) => s + (p[x] - mean) ** 2, 0) / n;
  }
  const tolAbs = tol * (varSum / d);
  let best: KMeansReferenceResult | null = null;
  for (let r = 0; r < nInit; r++) {
    const res = run(points, k, seedsOf(points, k, new Rng(deriveSeed(seed, r))), maxIter, tolAbs);
    if (best === null || res.inertia < best.inertia) best = res;
  }
  return best!;
}
