/** Day-clustered bootstrap: clustering sessions by trading day, the exact row aggregation, and its effect. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapRatioCI, clusterByLabel, clusterRows, classifyMotif } from '../src/stats/index.js';

describe('day clusters', () => {
  test('clusterByLabel: same label → same cluster, unlabeled rows are their own unit, first-appearance order', () => {
    const c = clusterByLabel(['d2', 'd1', 'd2', undefined, '', 'd1', undefined]);
    assert.deepEqual([...c.clusterOf], [0, 1, 0, 2, 3, 1, 4]);
    assert.equal(c.nClusters, 5);
    assert.deepEqual(clusterByLabel([]), { clusterOf: new Int32Array(0), nClusters: 0 });
  });

  test('clusterRows sums the rows of each cluster exactly', () => {
    // 4 sessions × 3 motifs; sessions 0 and 2 on day 0, sessions 1 and 3 on day 1.
    const rows = Float64Array.from([1, 2, 3, 10, 20, 30, 0.5, 0, 4, 7, 0, 0]);
    const out = clusterRows(rows, 4, 3, [0, 1, 0, 1]);
    assert.deepEqual([...out], [1.5, 2, 7, 17, 20, 30]);
    assert.deepEqual([...clusterRows(rows, 4, 3, [2, 2, 0, 0])], [7.5, 0, 4, 0, 0, 0, 11, 22, 33]);
    assert.throws(() => clusterRows(rows, 4, 2, [0, 0, 0, 0]), /nUnits·nCols = 8/);
    assert.throws(() => clusterRows(rows, 4, 3, [0, 1]), /clusterOf must have nUnits = 4/);
    assert.throws(() => clusterRows(rows, 4, 3, [0, -1, 0, 0]), /clusterOf\[1\] = -1/);
  });

  test('three sessions of one day carrying the whole effect: the day CI is wider and lower than the session CI', () => {
    // Sessions 0–4 share day A and each shows 6 occurrences against a null mean of 1; sessions 5–12 are on
    // eight other days with obs = null mean = 1. Resampling sessions treats day A as five independent
    // confirmations; resampling days sees one.
    const days = ['A', 'A', 'A', 'A', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I'];
    const num = Float64Array.from([6, 6, 6, 6, 6, 1, 1, 1, 1, 1, 1, 1, 1]);
    const den = new Float64Array(13).fill(1);
    const base = { nRatios: 1, floor: 0.1, replicates: 4000, level: 0.95, seed: 11 };
    const bySession = bootstrapRatioCI({ ...base, nUnits: 13, numerator: num, denominator: den });
    const { clusterOf, nClusters } = clusterByLabel(days);
    assert.equal(nClusters, 9);
    const byDay = bootstrapRatioCI({
      ...base,
      nUnits: nClusters,
      numerator: clusterRows(num, 13, 1, clusterOf),
      denominator: clusterRows(den, 13, 1, clusterOf),
    });
    const wS = bySession.high[0] - bySession.low[0];
    const wD = byDay.high[0] - byDay.low[0];
    assert.ok(wD > 1.3 * wS, `day CI width ${wD} vs session ${wS}`);
    assert.ok(byDay.low[0] < bySession.low[0], `day low ${byDay.low[0]} vs session low ${bySession.low[0]}`);
    // The full-sample ratio (38 / 13) is the same either way and lies inside both.
    for (const ci of [bySession, byDay]) assert.ok(ci.low[0] < 38 / 13 && 38 / 13 < ci.high[0]);
    // The session CI would promote (low ≥ 1.5); the day CI does not.
    assert.ok(bySession.low[0] >= 1.5 && byDay.low[0] < 1.5, `${bySession.low[0]} / ${byDay.low[0]}`);
  });

  test('an unavailable CI (NaN) never promotes, and does not discard by itself', () => {
    assert.equal(classifyMotif(5, 0.001, 3), 'PROMOTE');
    assert.equal(classifyMotif(5, 0.001, NaN), 'PARK');
    assert.equal(classifyMotif(1.2, 0.001, NaN), 'DISCARD'); // lift rule
    assert.equal(classifyMotif(5, 0.2, NaN), 'DISCARD'); // q rule
  });
});
