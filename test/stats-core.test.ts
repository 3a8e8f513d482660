import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CountMoments,
  CountTally,
  benjaminiHochberg,
  benjaminiHochbergReference,
  bootstrapRatioCI,
  classifyMotif,
  empiricalP,
  lift,
  quantileSorted,
  resolveThresholds,
  zScore,
  Rng,
} from '../src/stats/index.js';

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++)
    assert.ok(Math.abs(a[i] - b[i]) <= tol, `index ${i}: ${a[i]} vs ${b[i]}`);
}

describe('Benjamini–Hochberg', () => {
  test('matches hand-computed R p.adjust(p, "BH") values', () => {
    // Benjamini & Hochberg style example; hand-computed: q_(i) = min_{j≥i} 10·p_(j)/j.
    const p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216];
    close(benjaminiHochberg(p), [
      0.01,
      0.04,
      0.084,
      0.084,
      0.084,
      0.1,
      (0.074 * 10) / 7,
      0.216,
      0.216,
      0.216,
    ]);
    // Unsorted input keeps its order: p.adjust(c(0.02, 0.5, 0.001, 0.04), "BH") = 0.04 0.5 0.004 0.05333…
    close(benjaminiHochberg([0.02, 0.5, 0.001, 0.04]), [0.04, 0.5, 0.004, 0.16 / 3]);
    // p.adjust(c(0.01,0.02,0.03,0.04,0.05), "BH") = all 0.05
    close(benjaminiHochberg([0.01, 0.02, 0.03, 0.04, 0.05]), [0.05, 0.05, 0.05, 0.05, 0.05]);
    // Capped at 1, ties share a value.
    close(benjaminiHochberg([0.9, 0.9, 1]), [1, 1, 1]);
    close(benjaminiHochberg([0.03, 0.03, 0.5]), [0.045, 0.045, 0.5]);
  });

  test('NaN stays NaN and is not counted; out-of-range p throws', () => {
    const q = benjaminiHochberg([0.02, NaN, 0.5, 0.001, 0.04]);
    assert.ok(Number.isNaN(q[1]));
    close([q[0], q[2], q[3], q[4]], [0.04, 0.5, 0.004, 0.16 / 3]);
    assert.throws(() => benjaminiHochberg([0.1, 1.5]), /p\[1\] = 1.5/);
    assert.equal(benjaminiHochberg([]).length, 0);
  });

  test('equals the O(n²) definition on random vectors with ties', () => {
    const rng = new Rng(9);
    for (let t = 0; t < 50; t++) {
      const n = 1 + rng.int(60);
      const p = Array.from({ length: n }, () =>
        rng.float() < 0.3 ? Math.round(rng.float() * 10) / 10 : rng.float() ** 3,
      );
      close(benjaminiHochberg(p), benjaminiHochbergReference(p), 1e-15);
    }
  });
});

describe('p-values, lift, z, moments', () => {
  test('empirical p = (#null ≥ obs + 1)/(n + 1), never 0; bad counts throw', () => {
    assert.equal(empiricalP(0, 999), 0.001);
    assert.equal(empiricalP(999, 999), 1);
    assert.equal(empiricalP(49, 99), 0.5);
    assert.throws(() => empiricalP(0, 0), /nNulls must be an integer ≥ 1, got 0/);
    assert.throws(() => empiricalP(5, 4), /0\.\.4/);
  });

  test('lift is floored; z handles sd = 0 without NaN', () => {
    assert.equal(lift(3, 0, 0.1), 30);
    assert.equal(lift(3, 1.5, 0.1), 2);
    assert.throws(() => lift(1, 1, 0), /floor must be > 0/);
    assert.equal(zScore(5, 3, 2), 1);
    assert.equal(zScore(5, 3, 0), Infinity);
    assert.equal(zScore(1, 3, 0), -Infinity);
    assert.equal(zScore(3, 3, 0), 0);
  });

  test('CountMoments: exact sums equal a two-pass reference, any batching merges to the same bits', () => {
    const rng = new Rng(4);
    const R = 500;
    const S = 7;
    // integer null counts, one series near the 2^26 limit (x² splits across the 2^32 halves)
    const data = Array.from({ length: R }, () =>
      Array.from({ length: S }, (_, i) => (i === 6 ? 60_000_000 + rng.int(1000) : i * 1000 + rng.int(100))),
    );
    const thr = Array.from({ length: S }, (_, i) => (i === 6 ? 60_000_500 : i * 1000 + 50));
    const mo = new CountMoments(thr);
    for (const row of data) mo.push(row);
    for (let i = 0; i < S; i++) {
      const xs = data.map((r) => r[i]);
      const mean = xs.reduce((a, b) => a + b, 0) / R;
      const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (R - 1));
      assert.ok(Math.abs(mo.mean[i] - mean) <= 1e-12 * Math.max(1, mean), `mean ${i}`);
      assert.ok(Math.abs(mo.sd(i) - sd) < 1e-9 * sd, `sd ${i}: ${mo.sd(i)} vs ${sd}`);
      assert.equal(mo.atLeast[i], xs.filter((x) => x >= thr[i]).length);
    }
    // batches of 7, merged in reverse order: integer sums, so the same bits as one pass
    const merged = new CountMoments(thr);
    const parts: CountMoments[] = [];
    for (let r0 = 0; r0 < R; r0 += 7) {
      const part = new CountMoments(thr);
      for (const row of data.slice(r0, r0 + 7)) part.push(row);
      parts.push(part);
    }
    for (const p of parts.reverse()) merged.merge(p.toState());
    assert.deepEqual(Array.from(merged.mean), Array.from(mo.mean));
    for (let i = 0; i < S; i++) assert.equal(merged.sd(i), mo.sd(i));
    assert.deepEqual(Array.from(merged.subset([6, 0]).mean), [mo.mean[6], mo.mean[0]]);
    assert.throws(() => mo.push([1.5, 0, 0, 0, 0, 0, 0]), /series 0 got 1.5; exact sums need integers/);
    assert.throws(() => mo.push([0, 0, 0, 0, 0, 0, 2 ** 27]), /series 6/);
  });

  test('pushStrided: motif-major and replicate-major batches reduce to the same bits as one push per replicate', () => {
    const rng = new Rng(12);
    const S = 9;
    const R = 13;
    const stat = Array.from({ length: R }, () =>
      Array.from({ length: S }, () => (rng.int(3) === 0 ? 0 : rng.int(50))),
    );
    const sup = Array.from({ length: R }, () => Array.from({ length: S }, () => rng.int(5)));
    const thr = Array.from({ length: S }, () => 10 + rng.int(30));
    const rowMoments = new CountMoments(thr);
    const rowTally = new CountTally(thr, 2, 1);
    for (let r = 0; r < R; r++) {
      rowMoments.push(stat[r]);
      rowTally.push(stat[r], sup[r], stat[r]);
    }
    const off = 5; // a lane that does not start at 0
    for (const [ms, rs] of [
      [R, 1], // motif-major
      [1, S], // replicate-major
    ]) {
      const x = new Float64Array(off + S * R).fill(-1);
      const u = new Float64Array(off + S * R).fill(-1);
      for (let r = 0; r < R; r++)
        for (let i = 0; i < S; i++) {
          x[off + i * ms + r * rs] = stat[r][i];
          u[off + i * ms + r * rs] = sup[r][i];
        }
      const mo = new CountMoments(thr);
      mo.pushStrided(x, off, R, ms, rs);
      const ta = new CountTally(thr, 2, 1);
      ta.pushStrided(x, u, x, off, R, ms, rs);
      assert.deepEqual(mo.toState(), rowMoments.toState(), `moments ms=${ms} rs=${rs}`);
      assert.deepEqual(ta.toState(), rowTally.toState(), `tally ms=${ms} rs=${rs}`);
    }
    assert.ok(
      rowTally.selected.some((v) => v > 0 && v < R),
      'the filter both keeps and drops replicates',
    );
  });

  test('CountTally: only replicates passing the filter count, merged in any grouping to the same bits', () => {
    const rng = new Rng(8);
    const rows = Array.from({ length: 300 }, () => ({
      stat: [rng.int(9), rng.int(40)],
      support: [1 + rng.int(4), 1 + rng.int(4)],
    }));
    const one = new CountTally([4, 20], 2, 1);
    for (const r of rows) one.push(r.stat, r.support, r.stat);
    const a = new CountTally([4, 20], 2, 1);
    const b = new CountTally([4, 20], 2, 1);
    rows.forEach((r, k) => (k % 3 === 0 ? a : b).push(r.stat, r.support, r.stat));
    const m = new CountTally([4, 20], 2, 1);
    m.merge(b.toState());
    m.merge(a.toState());
    for (let i = 0; i < 2; i++) {
      const sel = rows.filter((r) => r.support[i] >= 2 && r.stat[i] >= 1).map((r) => r.stat[i]);
      assert.equal(one.selected[i], sel.length);
      assert.equal(one.selectedAtLeast[i], sel.filter((x) => x >= [4, 20][i]).length);
      assert.equal(m.selected[i], one.selected[i]);
      assert.equal(m.mean[i], one.mean[i]);
      assert.equal(m.sd(i), one.sd(i));
    }
    assert.equal(m.n, 300);
  });
});

describe('bootstrap CI and classes', () => {
  test('quantileSorted is R type 7', () => {
    const x = [1, 2, 3, 4, 10];
    assert.ok(Math.abs(quantileSorted(x, 0.1) - 1.4) < 1e-12); // quantile(c(1,2,3,4,10), 0.1) = 1.4
    assert.ok(Math.abs(quantileSorted(x, 0.9) - 7.6) < 1e-12); // = 7.6
    assert.equal(quantileSorted(x, 0.5), 3);
    assert.throws(() => quantileSorted([], 0.5), /empty/);
  });

  test('bootstrap: seeded ⇒ identical; a constant per-session ratio gives a zero-width CI at that ratio', () => {
    const nUnits = 12;
    const nRatios = 3;
    const num = new Float64Array(nUnits * nRatios);
    const den = new Float64Array(nUnits * nRatios);
    const rng = new Rng(8);
    for (let s = 0; s < nUnits; s++) {
      const d = 1 + rng.int(5);
      den[s * nRatios] = d;
      num[s * nRatios] = 2 * d; // ratio exactly 2 in every session
      num[s * nRatios + 1] = rng.int(10);
      den[s * nRatios + 1] = 1 + rng.int(10);
      num[s * nRatios + 2] = s === 0 ? 40 : 0; // all the signal in one session: wide interval
      den[s * nRatios + 2] = 1;
    }
    const input = {
      nUnits,
      nRatios,
      numerator: num,
      denominator: den,
      floor: 0.1,
      replicates: 2000,
      level: 0.95,
      seed: 5,
    };
    const a = bootstrapRatioCI(input);
    const b = bootstrapRatioCI(input);
    assert.deepEqual(a, b);
    assert.ok(Math.abs(a.low[0] - 2) < 1e-12 && Math.abs(a.high[0] - 2) < 1e-12);
    const point1 = (() => {
      let n = 0;
      let d = 0;
      for (let s = 0; s < nUnits; s++) {
        n += num[s * nRatios + 1];
        d += den[s * nRatios + 1];
      }
      return n / d;
    })();
    assert.ok(a.low[1] < point1 && point1 < a.high[1]);
    assert.equal(a.low[2], 0); // P(session 0 not drawn) ≈ 0.35 > 2.5%
    assert.ok(a.high[2] > 40 / 12);
    const c = bootstrapRatioCI({ ...input, seed: 6 });
    assert.ok(c.low[1] !== a.low[1] || c.high[1] !== a.high[1], 'another seed must resample differently');
  });

  test('classes follow the thresholds (defaults and configured)', () => {
    assert.equal(classifyMotif(2.5, 0.001, 1.6), 'PROMOTE');
    assert.equal(classifyMotif(2.5, 0.02, 1.6), 'PARK');
    assert.equal(classifyMotif(2.5, 0.001, 1.2), 'PARK');
    assert.equal(classifyMotif(1.4, 0.001, 1.2), 'DISCARD');
    assert.equal(classifyMotif(2.5, 0.2, 1.6), 'DISCARD');
    assert.equal(classifyMotif(2.5, 0.001, 1), 'DISCARD');
    assert.equal(classifyMotif(2.5, NaN, 2), 'DISCARD');
    const t = resolveThresholds({ promoteLift: 3 });
    assert.equal(classifyMotif(2.5, 0.001, 1.6, t), 'PARK');
    assert.throws(() => resolveThresholds({ promoteQ: 0 }), /promoteQ must be in \(0, 1\]/);
    assert.throws(() => resolveThresholds({ discardLift: NaN }), /discardLift must be a finite number/);
  });
});
