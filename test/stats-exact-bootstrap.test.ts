/** The exact bootstrap over few units (trading days) against a many-replicate Monte-Carlo bootstrap. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bootstrapRatioCI,
  enumerateResamples,
  exactBootstrapRatioCI,
  multisetCount,
  Rng,
} from '../src/stats/index.js';

test('every multiset once, probabilities sum to 1', () => {
  for (const [u, c] of [
    [1, 1],
    [2, 3],
    [3, 10],
    [6, 462],
  ]) {
    assert.equal(multisetCount(u), c);
    const e = enumerateResamples(u);
    assert.equal(e.prob.length, c);
    assert.ok(Math.abs(e.prob.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    const keys = new Set<string>();
    for (let k = 0; k < c; k++) {
      const row = Array.from(e.counts.subarray(k * u, (k + 1) * u));
      assert.equal(
        row.reduce((a, b) => a + b, 0),
        u,
      );
      keys.add(row.join());
    }
    assert.equal(keys.size, c);
  }
  // Two units: {2,0} and {0,2} with 1/4 each, {1,1} with 1/2.
  assert.deepEqual(Array.from(enumerateResamples(2).prob), [0.25, 0.5, 0.25]);
});

test('exact percentiles agree with 200,000 Monte-Carlo resamples', () => {
  const U = 6;
  const M = 20;
  const rng = new Rng(9);
  const numerator = Float64Array.from({ length: U * M }, () => rng.int(12));
  const denominator = Float64Array.from({ length: U * M }, () => 0.5 + rng.float() * 4);
  const input = { nUnits: U, nRatios: M, numerator, denominator, floor: 0.1, level: 0.9 };
  const exact = exactBootstrapRatioCI(input);
  const mc = bootstrapRatioCI({ ...input, replicates: 200_000, seed: 4 });
  for (let m = 0; m < M; m++) {
    // The MC interpolates between order statistics; the exact one takes the atom: close, not equal.
    const tol = 0.05 * Math.max(1, Math.abs(exact.high[m]));
    assert.ok(Math.abs(exact.low[m] - mc.low[m]) <= tol, `low ${m}: ${exact.low[m]} vs ${mc.low[m]}`);
    assert.ok(Math.abs(exact.high[m] - mc.high[m]) <= tol, `high ${m}: ${exact.high[m]} vs ${mc.high[m]}`);
    assert.ok(exact.low[m] <= exact.high[m]);
  }
});
