import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../src/stats/random.js';
import { kmeans, nearestCentroid } from '../src/patterns/kmeans.js';
import { kmeansReference } from '../src/patterns/kmeans-reference.js';
import { silhouette, silhouetteReference } from '../src/patterns/silhouette.js';
import { chooseK, subsampleRows } from '../src/patterns/select-k.js';
import { buildPatterns } from '../src/patterns/patterns.js';
import { embeddingTableFromSessions } from '../src/patterns/embeddings.js';
import { randomSession } from '../src/synthetic/index.js';

/** `k` Gaussian blobs of `per` rows in `d` dims; centres uniform in [−spread, spread]^d, sd `sd`. */
function blobs(seed: number, k: number, per: number, d: number, spread = 10, sd = 0.3) {
  const rng = new Rng(seed);
  const centres = Array.from({ length: k }, () =>
    Array.from({ length: d }, () => rng.uniform(-spread, spread)),
  );
  const n = k * per;
  const data = new Float32Array(n * d);
  const truth = new Int32Array(n);
  // Interleave blobs so cluster membership is not a contiguous range.
  for (let i = 0; i < n; i++) {
    const c = i % k;
    truth[i] = c;
    for (let x = 0; x < d; x++) data[i * d + x] = centres[c][x] + sd * rng.normal();
  }
  return { data, truth, n, d };
}

/** True when the two labelings define the same partition (a bijection between labels). */
function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((ab.get(a[i]) ?? b[i]) !== b[i] || (ba.get(b[i]) ?? a[i]) !== a[i]) return false;
    ab.set(a[i], b[i]);
    ba.set(b[i], a[i]);
  }
  return true;
}

function toRows(data: ArrayLike<number>, n: number, d: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, x) => data[i * d + x]));
}

describe('k-means++', () => {
  test('recovers four separable blobs exactly', () => {
    const { data, truth, n, d } = blobs(7, 4, 50, 8);
    const km = kmeans(data, n, d, { k: 4, seed: 42 });
    assert.ok(samePartition(km.assign, truth), 'assignment differs from the planted blobs');
    assert.deepEqual([...km.sizes].sort(), [50, 50, 50, 50]);
    assert.ok(km.converged);
  });

  test('same seed ⇒ identical assignments and centroids; inputs untouched', () => {
    const { data, n, d } = blobs(11, 5, 40, 6, 3, 1.5); // overlapping: many local minima
    const copy = Float32Array.from(data);
    const a = kmeans(data, n, d, { k: 5, seed: 3 });
    const b = kmeans(data, n, d, { k: 5, seed: 3 });
    assert.deepEqual(a.assign, b.assign);
    assert.deepEqual(a.centroids, b.centroids);
    assert.equal(a.inertia, b.inertia);
    assert.deepEqual(data, copy);
  });

  test('matches the plain-array float64 reference (assignments equal, centroids ≤ 1e-12)', () => {
    for (const [seed, k] of [
      [1, 3],
      [2, 5],
      [5, 7],
    ]) {
      const { data, n, d } = blobs(100 + seed, 4, 30, 5, 4, 1.2);
      const fast = kmeans(data, n, d, { k, seed, nInit: 3 });
      const ref = kmeansReference(toRows(data, n, d), k, seed, 3);
      assert.deepEqual([...fast.assign], ref.assign, `seed ${seed} k ${k}`);
      let maxErr = 0;
      for (let j = 0; j < k; j++)
        for (let x = 0; x < d; x++)
          maxErr = Math.max(maxErr, Math.abs(fast.centroids[j * d + x] - ref.centroids[j][x]));
      assert.ok(maxErr <= 1e-12, `centroid error ${maxErr}`);
      assert.ok(Math.abs(fast.inertia - ref.inertia) <= 1e-9 * ref.inertia);
    }
  });

  test('labels are the nearest final centroid; with tol = 0 the result is an exact Lloyd fixed point', () => {
    const { data, n, d } = blobs(55, 6, 40, 5, 3, 1.5);
    for (const tol of [1e-4, 0]) {
      const km = kmeans(data, n, d, { k: 6, seed: 8, tol });
      const { assign } = nearestCentroid(data, n, d, km.centroids, 6);
      assert.deepEqual(km.assign, assign, `tol ${tol}`);
      const ref = kmeansReference(toRows(data, n, d), 6, 8, 4, 100, tol);
      assert.deepEqual([...km.assign], ref.assign, `reference, tol ${tol}`);
      if (tol === 0) {
        for (let j = 0; j < 6; j++)
          for (let x = 0; x < d; x++) {
            let sum = 0;
            for (let i = 0; i < n; i++) if (km.assign[i] === j) sum += data[i * d + x];
            assert.ok(Math.abs(sum / km.sizes[j] - km.centroids[j * d + x]) < 1e-12);
          }
      }
    }
  });

  test('empty clusters are refilled: k equal to the number of distinct rows gives singletons', () => {
    const data = new Float64Array([0, 0, 0, 0, 5, 5, 9, 1]); // rows (0,0) twice, (5,5), (9,1)
    const km = kmeans(data, 4, 2, { k: 3, seed: 1 });
    assert.deepEqual([...km.sizes].sort(), [1, 1, 2]);
    assert.equal(km.assign[0], km.assign[1]);
    assert.equal(km.inertia, 0);
  });

  test('rejects bad k and mismatched data', () => {
    const data = new Float64Array(6);
    assert.throws(() => kmeans(data, 3, 2, { k: 4, seed: 1 }), /k must be an integer in 1\.\.n \(3\), got 4/);
    assert.throws(() => kmeans(data, 4, 2, { k: 2, seed: 1 }), /data has 6 values, expected n×d = 8/);
  });
});

describe('silhouette and the choice of k', () => {
  test('silhouette equals the reference from the definition', () => {
    const { data, n, d } = blobs(21, 3, 20, 4, 2, 1);
    const km = kmeans(data, n, d, { k: 4, seed: 9 });
    const fast = silhouette(data, n, d, km.assign, 4).mean;
    const ref = silhouetteReference(toRows(data, n, d), [...km.assign]);
    assert.ok(Math.abs(fast - ref) <= 1e-12, `${fast} vs ${ref}`);
    assert.ok(fast > -1 && fast < 1);
  });

  for (const trueK of [3, 4, 6]) {
    test(`silhouette picks k = ${trueK} on ${trueK} separable blobs`, () => {
      const { data, n, d } = blobs(300 + trueK, trueK, 40, 8);
      const r = chooseK(data, n, d, { seed: 42, kMin: 2, kMax: 10 });
      assert.equal(r.k, trueK, JSON.stringify(r.scores.map((s) => [s.k, s.silhouette.toFixed(3)])));
      assert.equal(r.scores.length, 9);
      assert.ok(r.silhouette > 0.8);
      assert.match(r.criterion, /highest mean silhouette/);
    });
  }

  test('subsampling: the silhouette is computed on at most sampleSize seeded rows', () => {
    const { data, n, d } = blobs(44, 3, 200, 6);
    const r = chooseK(data, n, d, { seed: 5, sampleSize: 150, kMax: 6 });
    assert.equal(r.sampleRows, 150);
    assert.equal(r.k, 3);
    const s1 = subsampleRows(600, 150, 5);
    assert.deepEqual(s1, subsampleRows(600, 150, 5));
    assert.notDeepEqual(s1, subsampleRows(600, 150, 6));
    assert.equal(new Set(s1).size, 150);
    for (let i = 1; i < s1.length; i++) assert.ok(s1[i] > s1[i - 1]);
  });

  test('structureless data (identical rows) gives one pattern, not an arbitrary split', () => {
    const data = new Float64Array(40 * 3).fill(0.25);
    const r = chooseK(data, 40, 3, { seed: 1 });
    assert.equal(r.k, 1);
    assert.ok(Number.isNaN(r.silhouette));
  });
});

describe('buildPatterns over pooled session embeddings', () => {
  // Three planted directions: each event's embedding is a noisy copy of one of three unit directions,
  // the direction chosen by the event's kind class (so patterns have a checkable kind mix).
  const rng = new Rng(77);
  const dim = 12;
  const dirs = [0, 1, 2].map(() => {
    const v = Array.from({ length: dim }, () => rng.normal());
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
  const sessions = Array.from({ length: 6 }, (_, s) => {
    const ses = randomSession(rng, 40, { startT: Date.UTC(2025, 6, 21 + s, 13, 30) });
    return { ...ses, id: `NY_AM_2025-07-${21 + s}`, date: `2025-07-${21 + s}` };
  });
  const group = (kind: number) => (kind <= 1 ? 0 : kind <= 3 ? 1 : 2);
  const embeddings = sessions.map((s) => {
    const e = new Float32Array(s.events.length * dim);
    s.events.forEach((ev, i) => {
      const scale = 0.5 + 3 * rng.float(); // different norms: l2 normalisation must remove them
      for (let x = 0; x < dim; x++) e[i * dim + x] = scale * (dirs[group(ev.kind)][x] + 0.05 * rng.normal());
    });
    return e;
  });
  const table = embeddingTableFromSessions(sessions, embeddings, dim);
  const set = buildPatterns(table, { seed: 42, kMax: 8 });

  test('finds the three planted directions, ids ordered by size', () => {
    assert.equal(set.k, 3);
    const truth = Array.from({ length: table.n }, (_, r) => group(table.kind[r]));
    assert.ok(samePartition(set.assign, truth));
    for (let i = 1; i < set.k; i++) assert.ok(set.patterns[i - 1].size >= set.patterns[i].size);
    assert.equal(
      set.patterns.reduce((s, p) => s + p.size, 0),
      table.n,
    );
  });

  test('kind mix, hour histogram (ET), sessions and examples describe the members', () => {
    for (const p of set.patterns) {
      const members = [...set.assign.keys()].filter((r) => set.assign[r] === p.id);
      assert.equal(p.size, members.length);
      assert.equal(
        p.kindCounts.reduce((a, b) => a + b, 0),
        p.size,
      );
      assert.equal(
        p.hourHistogram.reduce((a, b) => a + b, 0),
        p.size,
      );
      // Sessions start 09:30 ET and run < 4 h in these synthetic days: no ET hour before 9.
      assert.equal(
        p.hourHistogram.slice(0, 9).reduce((a, b) => a + b, 0),
        0,
      );
      assert.ok(Math.abs(p.share - p.size / table.n) < 1e-15);
      assert.ok(Math.abs(p.rarity + Math.log(p.share)) < 1e-12);
      assert.equal(p.sessions, new Set(members.map((r) => table.sessionIndex[r])).size);
      assert.equal(p.examples.length, 5);
      const minDist = Math.min(...members.map((r) => set.distance[r]));
      assert.equal(p.examples[0].distance, minDist);
      for (let i = 1; i < 5; i++) assert.ok(p.examples[i].distance >= p.examples[i - 1].distance);
      for (const ex of p.examples) {
        const ses = sessions.find((s) => s.id === ex.sessionId)!;
        const ev = ses.events[ex.nodeId];
        assert.equal(ex.t, ev.t);
        assert.equal(ex.price, ev.price);
        assert.equal(ex.clock, ev.clock);
        assert.equal(ex.kind, ev.kind);
      }
    }
  });

  test('deterministic: same seed ⇒ identical pattern set', () => {
    const again = buildPatterns(table, { seed: 42, kMax: 8 });
    assert.deepEqual(again.assign, set.assign);
    assert.deepEqual(again.centroids, set.centroids);
    assert.deepEqual(again.patterns, set.patterns);
  });

  test('fixed k skips selection and is honoured', () => {
    const five = buildPatterns(table, { seed: 1, k: 5 });
    assert.equal(five.k, 5);
    assert.equal(five.selection, null);
    assert.equal(new Set(five.assign).size, 5);
  });
});
