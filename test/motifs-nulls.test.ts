import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { jitterBuffers, jitterSession, shuffleKinds, swapEdgeTargets } from '../src/motifs/index.js';
import { Rng } from '../src/stats/random.js';
import { randomDag, randomKinds } from './motifs-fixtures.js';

function degrees(n: number, src: Int32Array, dst: Int32Array): { out: number[]; inn: number[] } {
  const out = new Array<number>(n).fill(0);
  const inn = new Array<number>(n).fill(0);
  for (let e = 0; e < src.length; e++) {
    out[src[e]]++;
    inn[dst[e]]++;
  }
  return { out, inn };
}

describe('null model transforms', () => {
  test('edge swap keeps every in/out degree, stays forward (acyclic) and simple, and rewires edges', () => {
    const rng = new Rng(21);
    for (let trial = 0; trial < 20; trial++) {
      const n = 20 + rng.int(40);
      const dag = randomDag(rng, n, 0.3, 6);
      const dst = dag.dst.slice();
      const accepted = swapEdgeTargets(dag.src, dst, dag.rowPtr, dst.length, 10 * dst.length, rng);
      assert.ok(accepted > 0, `trial ${trial}: no swap accepted`);
      assert.deepEqual(degrees(n, dag.src, dst), degrees(n, dag.src, dag.dst));
      const seen = new Set<string>();
      let changed = 0;
      const before = new Set(Array.from(dag.src, (s, e) => `${s},${dag.dst[e]}`));
      for (let e = 0; e < dst.length; e++) {
        assert.ok(dag.src[e] < dst[e], 'edge must stay forward');
        const k = `${dag.src[e]},${dst[e]}`;
        assert.ok(!seen.has(k), `duplicate edge ${k}`);
        seen.add(k);
        if (!before.has(k)) changed++;
      }
      assert.ok(changed > 0);
    }
  });

  test('edge swap is reproducible from the seed', () => {
    const dag = randomDag(new Rng(1), 40, 0.3, 5);
    const a = dag.dst.slice();
    const b = dag.dst.slice();
    swapEdgeTargets(dag.src, a, dag.rowPtr, a.length, 200, new Rng(77));
    swapEdgeTargets(dag.src, b, dag.rowPtr, b.length, 200, new Rng(77));
    assert.deepEqual(a, b);
  });

  test('kind shuffle is a permutation of the kinds', () => {
    const rng = new Rng(2);
    const kind = randomKinds(rng, 200);
    const out = shuffleKinds(kind, new Uint8Array(200), new Rng(3));
    assert.deepEqual([...out].sort(), [...kind].sort());
    assert.notDeepEqual(out, kind);
    assert.deepEqual(shuffleKinds(kind, new Uint8Array(200), new Rng(3)), out);
  });

  test('time jitter: sorted output, bounded moves, events keep their kind and price', () => {
    const rng = new Rng(4);
    const n = 300;
    const t = new Float64Array(n);
    const price = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      t[i] = 1.75e12 + i * 60_000;
      price[i] = 20_000 + i;
    }
    const kind = randomKinds(rng, n);
    const buf = jitterBuffers(n);
    const order = jitterSession(t, price, kind, 300_000, new Rng(5), buf);
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      Array.from({ length: n }, (_, i) => i),
    );
    let moved = 0;
    for (let i = 0; i < n; i++) {
      if (i > 0) assert.ok(buf.t[i] >= buf.t[i - 1]);
      const j = order[i];
      assert.ok(Math.abs(buf.t[i] - t[j]) <= 300_000);
      assert.equal(buf.kind[i], kind[j]);
      assert.equal(buf.price[i], price[j]);
      if (j !== i) moved++;
    }
    assert.ok(moved > n / 2, 'a ±5 min jitter of 1-min spaced events must reorder most of them');
  });
});
