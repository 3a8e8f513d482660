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

/** The direct form of exactBootstrapRatioCI: every row summed unit by unit, the ratios sorted by value. */
function referenceExactCI(
  U: number,
  M: number,
  numerator: Float64Array,
  denominator: Float64Array,
  floor: number,
  level: number,
): { low: number[]; high: number[] } {
  const { counts, prob } = enumerateResamples(U);
  const R = prob.length;
  const low: number[] = [];
  const high: number[] = [];
  for (let m = 0; m < M; m++) {
    const r = new Float64Array(R);
    for (let k = 0; k < R; k++) {
      let num = 0;
      let den = 0;
      for (let u = 0; u < U; u++) {
        const w = counts[k * U + u];
        if (w === 0) continue;
        num += w * numerator[u * M + m];
        den += w * denominator[u * M + m];
      }
      r[k] = num / Math.max(den, floor);
    }
    const order = Array.from({ length: R }, (_, k) => k).sort((a, b) => r[a] - r[b] || a - b);
    let cum = 0;
    let lo = Number.NaN;
    let hi = Number.NaN;
    for (const k of order) {
      cum += prob[k];
      if (Number.isNaN(lo) && cum >= (1 - level) / 2 - 1e-12) lo = r[k];
      if (cum >= (1 + level) / 2 - 1e-12) {
        hi = r[k];
        break;
      }
    }
    low.push(lo);
    high.push(Number.isNaN(hi) ? r[order[R - 1]] : hi);
  }
  return { low, high };
}

test('prefix sums and weighted selection give the direct sum-and-sort numbers (ties, zeros, U = 1..8)', () => {
  const rng = new Rng(31);
  for (let U = 1; U <= 8; U++)
    for (const level of [0.95, 0.9, 0.5]) {
      const M = 40;
      // small integers: many exact ties among the resampled ratios, and units with nothing (0 / floor)
      const numerator = Float64Array.from({ length: U * M }, () => (rng.float() < 0.3 ? 0 : rng.int(4)));
      const denominator = Float64Array.from({ length: U * M }, () =>
        rng.float() < 0.2 ? 0 : rng.int(3) + rng.float(),
      );
      const got = exactBootstrapRatioCI({ nUnits: U, nRatios: M, numerator, denominator, floor: 0.1, level });
      const want = referenceExactCI(U, M, numerator, denominator, 0.1, level);
      assert.deepEqual(Array.from(got.low), want.low, `U=${U} level=${level} low`);
      assert.deepEqual(Array.from(got.high), want.high, `U=${U} level=${level} high`);
    }
});

test('firstDiff: each row equals the row before up to its first difference', () => {
  for (const U of [1, 2, 5, 7]) {
    const { counts, firstDiff } = enumerateResamples(U);
    const R = counts.length / U;
    assert.equal(firstDiff[0], 0);
    for (let k = 1; k < R; k++) {
      const d = firstDiff[k];
      for (let u = 0; u < d; u++) assert.equal(counts[k * U + u], counts[(k - 1) * U + u]);
      assert.notEqual(counts[k * U + d], counts[(k - 1) * U + d]);
    }
  }
});

test('ratios walked four at a time: every block remainder (M = 1..9, 41) gives the direct numbers', () => {
  const rng = new Rng(57);
  for (const U of [3, 6])
    for (const M of [1, 2, 3, 4, 5, 6, 7, 8, 9, 41]) {
      const numerator = Float64Array.from({ length: U * M }, () => (rng.float() < 0.3 ? 0 : rng.int(9)));
      const denominator = Float64Array.from({ length: U * M }, () => rng.float() * 5);
      const got = exactBootstrapRatioCI({
        nUnits: U,
        nRatios: M,
        numerator,
        denominator,
        floor: 0.05,
        level: 0.95,
      });
      const want = referenceExactCI(U, M, numerator, denominator, 0.05, 0.95);
      assert.deepEqual(Array.from(got.low), want.low, `U=${U} M=${M} low`);
      assert.deepEqual(Array.from(got.high), want.high, `U=${U} M=${M} high`);
    }
});
