import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { coefficientOfVariation } from '../src/canary/gates.js';
import { minCvOverIntervals, regimeFloor, speedupCeiling } from '../src/canary/regime.js';
import { Rng } from '../src/stats/random.js';

const stage = (features: number, dag: number, tgat: number, parquet: number) => ({
  features,
  dag,
  tgat,
  parquet,
});

describe('regime floor', () => {
  test('overlapping intervals reach CV 0 at a common value', () => {
    const f = minCvOverIntervals([1, 1.5, 2], [3, 4, 2.5]);
    assert.ok(f.cv < 1e-12, `cv ${f.cv}`);
    for (const x of f.at) assert.ok(Math.abs(x - f.at[0]) < 1e-12);
  });

  test('fixed points give their own CV', () => {
    const f = minCvOverIntervals([1, 3], [1, 3]);
    assert.equal(f.cv, 0.5);
    assert.deepEqual(f.at, [1, 3]);
  });

  test('hand case: one low ceiling, one high floor', () => {
    // [1, 2] and [4, 8]: the best is x = (2, 4): CV = 1/3.
    const f = minCvOverIntervals([1, 4], [2, 8]);
    assert.ok(Math.abs(f.cv - 1 / 3) < 1e-12, `cv ${f.cv}`);
    assert.deepEqual(f.at, [2, 4]);
  });

  test('no point of the intervals has a smaller CV than the floor (random search)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: 0.2, max: 10, noNaN: true }),
            fc.double({ min: 0, max: 10, noNaN: true }),
          ),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        (iv, seed) => {
          const lo = iv.map(([l]) => l);
          const hi = iv.map(([l, w]) => l + w);
          const f = minCvOverIntervals(lo, hi);
          f.at.forEach((x, k) => assert.ok(x >= lo[k] - 1e-12 && x <= hi[k] + 1e-12));
          assert.ok(Math.abs(coefficientOfVariation(f.at) - f.cv) < 1e-12);
          const rng = new Rng(seed);
          for (let s = 0; s < 300; s++) {
            const x = lo.map((l, k) => l + rng.float() * (hi[k] - l));
            assert.ok(coefficientOfVariation(x) >= f.cv - 1e-12);
          }
          // Corners too (where a box's extreme CV values sit).
          for (let mask = 0; mask < 1 << Math.min(lo.length, 6); mask++) {
            const x = lo.map((l, k) => ((mask >> k) & 1 ? hi[k] : l));
            assert.ok(coefficientOfVariation(x) >= f.cv - 1e-12);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  test('ceilings come from features plus the faster Parquet encode', () => {
    assert.equal(speedupCeiling(100, 25), 4);
    assert.throws(() => speedupCeiling(100, 0), /must be > 0/);
    const r = regimeFloor([
      {
        id: 'small',
        speedup: 0.8,
        baselineMs: 120,
        enabledStageMs: stage(5, 1, 30, 100),
        baselineStageMs: stage(6, 2, 50, 60),
      },
      {
        id: 'xl',
        speedup: 4,
        baselineMs: 260,
        enabledStageMs: stage(4, 0.5, 30, 28),
        baselineStageMs: stage(5, 3, 240, 13),
      },
    ]);
    assert.equal(r.categories[0].fixedMs, 65);
    assert.ok(Math.abs(r.categories[0].ceiling - 120 / 65) < 1e-12);
    assert.equal(r.categories[1].fixedMs, 17);
    // small can rise to its ceiling 1.846…, xl cannot drop below 4: CV = (4 − c)/(4 + c).
    const c = 120 / 65;
    assert.ok(Math.abs(r.floorCv - (4 - c) / (4 + c)) < 1e-12, `floor ${r.floorCv}`);
  });
});
