// The patterns stage's fast paths (blocked distances, Hamerly bounds, sums of changed clusters only, silhouette by
// cluster lists) against the scalar code they replaced (test/helpers/kmeans-scalar.ts): identical bits, not close
// values — the run's outputs must not change.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../src/stats/random.js';
import { kmeans, kmeansPlusPlusSeeds } from '../src/patterns/kmeans.js';
import { pairwiseDistances, silhouetteFromDistances } from '../src/patterns/silhouette.js';
import {
  scalarKmeans,
  scalarPairwiseDistances,
  scalarSeeds,
  scalarSilhouette,
} from './helpers/kmeans-scalar.js';

type Matrix = Float32Array | Float64Array;

/** Overlapping blobs (many rows near a boundary, so assignments flip for many iterations). */
function overlapping(
  seed: number,
  n: number,
  d: number,
  groups: number,
  scale = 1,
  offset = 0,
): Float64Array {
  const rng = new Rng(seed);
  const centres = Array.from({ length: groups }, () => Array.from({ length: d }, () => rng.normal()));
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = centres[rng.int(groups)];
    for (let x = 0; x < d; x++) out[i * d + x] = offset + scale * (c[x] + 0.9 * rng.normal());
  }
  return out;
}

function assertSameBits(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++)
    if (!Object.is(a[i], b[i])) assert.fail(`${what}[${i}]: ${a[i]} vs scalar ${b[i]}`);
}

function assertSameFit(data: Matrix, n: number, d: number, k: number, seed: number, opts = {}): void {
  const o = { nInit: 4, maxIter: 100, tol: 1e-4, ...opts };
  const fast = kmeans(data, n, d, { k, seed, ...o });
  const ref = scalarKmeans(data, n, d, k, seed, o.nInit, o.maxIter, o.tol);
  const what = `n ${n} d ${d} k ${k} seed ${seed} ${JSON.stringify(opts)}`;
  assertSameBits(fast.assign, ref.assign, `${what} assign`);
  assertSameBits(fast.centroids, ref.centroids, `${what} centroids`);
  assertSameBits(fast.sizes, ref.sizes, `${what} sizes`);
  assert.ok(Object.is(fast.inertia, ref.inertia), `${what} inertia ${fast.inertia} vs ${ref.inertia}`);
  assert.equal(fast.iterations, ref.iterations, `${what} iterations`);
  assert.equal(fast.converged, ref.converged, `${what} converged`);
}

describe('k-means fast paths equal the scalar code bit for bit', () => {
  test('overlapping blobs, k = 1..13, float64 and float32, several widths', () => {
    for (const [n, d] of [
      [300, 45],
      [157, 7],
      [64, 3],
    ]) {
      const x = overlapping(n + d, n, d, 6);
      for (let k = 1; k <= 13; k++) {
        assertSameFit(x, n, d, k, 1000 + k);
        assertSameFit(Float32Array.from(x), n, d, k, 2000 + k);
      }
    }
  });

  test('stop rules: tol = 0 (exact fixed point), a maxIter that stops mid-run, one restart', () => {
    const x = overlapping(9, 400, 12, 8);
    for (const k of [5, 9, 12]) {
      assertSameFit(x, 400, 12, k, 7, { tol: 0 });
      assertSameFit(x, 400, 12, k, 7, { maxIter: 3 });
      assertSameFit(x, 400, 12, k, 7, { nInit: 1, tol: 0, maxIter: 1000 });
    }
  });

  test('far from the origin and at large scale (the bounds slack follows the row norms)', () => {
    for (const [scale, offset] of [
      [1e6, 0],
      [1, 1e6],
      [1e-6, 0],
      [1e-3, 1],
    ]) {
      const x = overlapping(31, 250, 6, 5, scale, offset);
      for (const k of [3, 7, 11]) assertSameFit(x, 250, 6, k, 5, { tol: 0 });
    }
  });

  test('ties and duplicates: rows exactly between two centroids, repeated rows, empty clusters refilled', () => {
    // 1-d points on a lattice: many rows are equidistant from two centroids (ties → lower index)
    const lattice = Float64Array.from({ length: 60 }, (_, i) => i % 7);
    for (let k = 1; k <= 7; k++) assertSameFit(lattice, 60, 1, k, 3 + k, { tol: 0 });
    // few distinct rows, k up to their number and beyond the seeds' reach: clusters go empty and are refilled
    const rng = new Rng(4);
    const few = new Float64Array(80 * 2);
    const points = [
      [0, 0],
      [0, 0.5],
      [3, 3],
      [3, 3.5],
      [8, 0],
    ];
    for (let i = 0; i < 80; i++) {
      const p = points[rng.int(points.length)];
      few[i * 2] = p[0];
      few[i * 2 + 1] = p[1];
    }
    for (let k = 1; k <= 5; k++) assertSameFit(few, 80, 2, k, 11 + k, { tol: 0 });
    const zeros = new Float64Array(20 * 3);
    assertSameFit(zeros, 20, 3, 4, 1);
  });

  test('a non-finite value: no row is skipped, the result is the scalar one', () => {
    const x = overlapping(2, 120, 4, 3);
    x[17] = NaN;
    assertSameFit(x, 120, 4, 3, 9);
    x[17] = Infinity;
    assertSameFit(x, 120, 4, 3, 9);
  });

  test('k-means++ seeds (blocked distances) are the scalar seeds', () => {
    const x = overlapping(5, 203, 9, 4);
    for (const k of [1, 2, 6, 13]) {
      const fast = kmeansPlusPlusSeeds(x, 203, 9, k, new Rng(k));
      const ref = scalarSeeds(x, 203, 9, k, new Rng(k));
      assertSameBits(fast, ref, `seeds k ${k}`);
    }
  });
});

describe('distance matrix and silhouette fast paths equal the scalar code bit for bit', () => {
  test('pairwise distances for n = 1..13 and 101 rows (every remainder of the 4-wide blocks)', () => {
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 101]) {
      const x = overlapping(n, n, 5, 3);
      assertSameBits(pairwiseDistances(x, n, 5), scalarPairwiseDistances(x, n, 5), `n ${n}`);
      const f = Float32Array.from(x);
      assertSameBits(pairwiseDistances(f, n, 5), scalarPairwiseDistances(f, n, 5), `float32 n ${n}`);
    }
  });

  test('silhouette (mean and per row), including singletons and empty clusters', () => {
    for (const n of [2, 5, 7, 8, 61, 200]) {
      const x = overlapping(n + 1, n, 4, 3);
      const dist = pairwiseDistances(x, n, 4);
      const rng = new Rng(n);
      for (const k of [2, 3, 6, 9]) {
        const assign = Int32Array.from({ length: n }, () => rng.int(Math.max(1, k - 1))); // cluster k−1 empty
        if (n > 2) assign[n - 1] = k - 1; // … unless n > 2: then a singleton
        const fast = silhouetteFromDistances(dist, n, assign, k);
        const ref = scalarSilhouette(dist, n, assign, k);
        assertSameBits([fast.mean, ...(Number.isNaN(fast.mean) ? [] : fast.perRow)], ref, `n ${n} k ${k}`);
      }
    }
  });
});
