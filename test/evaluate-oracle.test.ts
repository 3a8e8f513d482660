// The session-range oracle: walk-forward conformal coverage on generated bars, causality (bars after the cut
// change nothing known at the cut), a hand-computed conformal quantile, skip reasons, the baselines, and the
// sparse real-derived sample.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { barsFromArrays, type Bars, type SessionWindow } from '../src/detect/index.js';
import {
  conformalQuantile,
  conformalRank,
  evalSeriesFromBars,
  minFiniteCalibration,
  sessionRangeOracle,
  type OracleReport,
} from '../src/evaluate/index.js';
import { readBars } from '../src/store/index.js';
import { Rng } from '../src/stats/index.js';
import { generateBars } from '../src/synthetic/index.js';

const MINUTE = 60_000;

/** `days` days of contiguous one-minute bars (24 h a day) from the Markov-switching generator. */
function generated(seed: number, days: number): Bars {
  return generateBars(new Rng(seed), days * 1440, { timeframeMs: MINUTE });
}

function oracleOn(bars: Bars, opts: Parameters<typeof sessionRangeOracle>[1] = {}): OracleReport {
  return sessionRangeOracle(evalSeriesFromBars(bars, { detect: false, source: 'generated' }), opts);
}

describe('evaluate: conformal quantile', () => {
  test('rank ⌈(n+1)·coverage⌉, +∞ below the finite minimum', () => {
    assert.equal(conformalRank(10, 0.8), 9); // ⌈8.8⌉
    assert.equal(conformalRank(9, 0.9), 9); // ⌈9⌉, not 10 from 0.9·10 = 9.000…02
    assert.equal(minFiniteCalibration(0.9), 9);
    assert.equal(minFiniteCalibration(0.8), 4);
    assert.equal(conformalQuantile(Float64Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), 0.8), 8);
    assert.equal(conformalQuantile(Float64Array.of(1, 2, 3), 0.9), Infinity);
  });
});

describe('evaluate: session-range oracle on generated bars', () => {
  test('range intervals reach the nominal 0.9 (±0.05) walk-forward, pooled over seeds; so do the baselines', (t) => {
    const seeds = [11, 12, 13, 14];
    let covered = 0;
    let n = 0;
    const base = new Map<string, { c: number; n: number }>();
    let hi = 0;
    let lo = 0;
    for (const seed of seeds) {
      const r = oracleOn(generated(seed, 90));
      assert.equal(r.nominal, 0.9);
      assert.ok(r.n > 300, `seed ${seed}: ${r.n} predictions`);
      assert.equal(r.coverage, r.methods[0].coverage);
      assert.equal(r.methods[0].method, 'oracle');
      assert.deepEqual(
        r.baselines.map((b) => b.method),
        ['prev-range', 'atr', 'type-median'],
      );
      covered += r.coverage * r.n;
      n += r.n;
      hi += r.highLow.coverageHigh * r.n;
      lo += r.highLow.coverageLow * r.n;
      for (const b of r.baselines) {
        const e = base.get(b.method) ?? { c: 0, n: 0 };
        e.c += b.coverage * b.n;
        e.n += b.n;
        base.set(b.method, e);
      }
      t.diagnostic(
        `seed ${seed}: n ${r.n}, oracle coverage ${r.coverage.toFixed(3)} ± ${r.coverageSE.toFixed(3)}, width ${r.meanWidth.toFixed(0)}, ` +
          r.baselines.map((b) => `${b.method} ${b.coverage.toFixed(3)}/${b.meanWidth.toFixed(0)}`).join(', '),
      );
    }
    const pooled = covered / n;
    t.diagnostic(`pooled oracle coverage ${pooled.toFixed(3)} over ${n}`);
    assert.ok(Math.abs(pooled - 0.9) <= 0.05, `pooled coverage ${pooled}`);
    assert.ok(Math.abs(hi / n - 0.9) <= 0.05, `final-high coverage ${hi / n}`);
    assert.ok(Math.abs(lo / n - 0.9) <= 0.05, `final-low coverage ${lo / n}`);
    for (const [method, e] of base)
      assert.ok(Math.abs(e.c / e.n - 0.9) <= 0.05, `${method}: pooled coverage ${e.c / e.n}`);
  });

  test('report shape: per-type figures, intervals hold the range so far, 30 min cut skips MIDNIGHT', () => {
    const r = oracleOn(generated(21, 60));
    const types = new Set(r.predictions.map((p) => p.type));
    assert.ok(!types.has('MIDNIGHT'));
    for (const m of r.methods) {
      assert.ok(m.n > 0 && m.coverage >= 0 && m.coverage <= 1, m.method);
      assert.ok(Number.isFinite(m.meanWidth) && m.meanWidth > 0, m.method);
      assert.ok(Number.isFinite(m.medianAbsError), m.method);
      assert.deepEqual(Object.keys(m.byType).sort(), [...types].sort(), m.method);
      const byTypeN = Object.values(m.byType).reduce((x, b) => x + b.n, 0);
      assert.equal(byTypeN, m.n, m.method);
    }
    assert.equal(r.calibrationPools.type + r.calibrationPools.all, r.n);
    assert.equal(r.predictions.length, r.n);
    for (const p of r.predictions) {
      assert.ok(p.low === p.rangeSoFar && p.high >= p.low && p.actual >= p.rangeSoFar, p.session);
      assert.equal(p.covered, p.actual <= p.high, p.session);
      assert.ok(p.predicted >= p.low && p.predicted <= p.high, p.session);
      assert.ok(p.finalHigh.bound >= p.finalHigh.soFar && p.finalLow.bound <= p.finalLow.soFar, p.session);
    }
    assert.ok(
      r.skipped.some((s) => s.session.startsWith('MIDNIGHT_') && /not longer than the cut/.test(s.reason)),
    );
    // all types pooled when too few of the session's own type
    const all = oracleOn(generated(21, 60), { minCalibration: 10_000 });
    assert.equal(all.calibrationPools.all, all.n);
    assert.ok(all.predictions.every((p) => p.calibration === 'all'));
    // a fraction of the window instead of minutes: MIDNIGHT is predicted too
    const half = oracleOn(generated(21, 60), { fraction: 0.5 });
    assert.deepEqual(half.cut, { fraction: 0.5 });
    assert.ok(half.predictions.some((p) => p.type === 'MIDNIGHT'));
    assert.ok(Math.abs(half.coverage - 0.9) <= 0.07, `fraction 0.5: ${half.coverage}`);
    assert.throws(() => oracleOn(generated(21, 3), { minutes: 30, fraction: 0.5 }), /minutes or fraction/);
    assert.throws(() => oracleOn(generated(21, 3), { coverage: 1 }), /coverage must be in \(0, 1\)/);
  });

  test('no look-ahead: changing every bar after a cut leaves every prediction made by then unchanged', () => {
    const bars = generated(31, 40);
    const r = oracleOn(bars);
    const mid = r.predictions[Math.floor(r.predictions.length / 2)];
    const T0 = mid.cutT;
    const altered = barsFromArrays({ ...bars, timeframeMs: bars.timeframeMs });
    for (let i = 0; i < altered.n; i++) {
      if (altered.t[i] + altered.timeframeMs <= T0) continue;
      // wider wicks and a drift: every later high, low and close moves
      altered.close[i] += 3 * (i % 17);
      altered.high[i] = Math.max(altered.high[i], altered.close[i]) + 20 + (i % 13);
      altered.low[i] = Math.min(altered.low[i], altered.close[i]) - 20 - (i % 11);
    }
    const r2 = oracleOn(altered);
    const known = (p: OracleReport['predictions'][number]) => ({
      session: p.session,
      cutT: p.cutT,
      calibration: p.calibration,
      nCalibration: p.nCalibration,
      rangeSoFar: p.rangeSoFar,
      predicted: p.predicted,
      low: p.low,
      high: p.high,
      highBound: p.finalHigh.bound,
      lowBound: p.finalLow.bound,
    });
    const before = r.predictions.filter((p) => p.cutT <= T0);
    assert.ok(before.length > 20);
    assert.deepEqual(r2.predictions.filter((p) => p.cutT <= T0).map(known), before.map(known));
    // not vacuous: the outcome of the session at T0 and later predictions did change
    assert.notEqual(r2.predictions.find((p) => p.session === mid.session)!.actual, mid.actual);
    const later = (x: OracleReport) => x.predictions.filter((p) => p.cutT > T0).map(known);
    assert.notDeepEqual(later(r2), later(r));
  });

  test('a year of one-minute bars (360k) in well under two seconds', () => {
    const bars = generated(41, 250);
    const series = evalSeriesFromBars(bars, { detect: false });
    const t0 = performance.now();
    const r = sessionRangeOracle(series);
    const ms = performance.now() - t0;
    assert.ok(r.n > 1000);
    assert.ok(ms < 2000, `${ms} ms`);
  });
});

describe('evaluate: session-range oracle by hand', () => {
  // One 10-minute window 10:00–10:09 New York (January: 15:00Z), cut after 5 minutes, one session a day. Every
  // day the first five bars are the same (closes 100 101 100 101 100: range so far 1, last close at the low), so
  // every method's scale is the same on every day; after the cut one bar's wick reaches 101 + e, so the final
  // range is 1 + e. Days 0–9 calibrate (e = 0…9 in some order); days 10–15 are tested.
  const CAL: SessionWindow[] = [
    { type: 'NY_AM', start: '10:00', end: '10:09' },
    { type: 'LUNCH', start: '12:00', end: '12:04' },
  ];
  const E = [3, 0, 7, 1, 9, 4, 2, 8, 5, 6, 8, 8.5, 0, 0, 2, 0];

  function handBars(): Bars {
    const t: number[] = [];
    const o: number[] = [];
    const h: number[] = [];
    const l: number[] = [];
    const c: number[] = [];
    const bar = (ms: number, open: number, high: number, low: number, close: number) => {
      t.push(ms);
      o.push(open);
      h.push(high);
      l.push(low);
      c.push(close);
    };
    E.forEach((e, d) => {
      const at = (hour: number, minute: number) => Date.UTC(2025, 0, 6 + d, hour, minute);
      const closes = [100, 101, 100, 101, 100];
      // day 12: two bars before the cut; day 13: none after it; day 15: the data end at 10:07
      const pre = d === 12 ? 2 : 5;
      for (let k = 0; k < pre; k++) {
        const open = k === 0 ? 100 : closes[k - 1];
        bar(at(15, k), open, Math.max(open, closes[k]), Math.min(open, closes[k]), closes[k]);
      }
      const post = d === 13 ? 0 : d === 15 ? 3 : 5;
      for (let k = 5; k < 5 + post; k++) bar(at(15, k), 100, k === 7 ? 101 + e : 100, 100, 100);
      // a 5-minute LUNCH window on the first day: not longer than the 5-minute cut
      if (d === 0) for (let k = 0; k < 5; k++) bar(at(17, k), 100, 100.5, 99.5, 100);
    });
    return barsFromArrays({ t, open: o, high: h, low: l, close: c, timeframeMs: MINUTE });
  }

  test('the quantile is the 9th smallest of 10 calibration scores at 0.8, and skip reasons are listed', () => {
    const series = evalSeriesFromBars(handBars(), { detect: false, calendar: CAL, source: 'hand' });
    assert.equal(series.days.length, 16);
    const r = sessionRangeOracle(series, {
      minutes: 5,
      coverage: 0.8,
      priorWeight: 0, // the session's own volatility only, so every scale is identical
      atrBars: 5, // the five bars before the cut: true range 1 each
      walkForward: { minTrainDays: 10, testDays: 6, embargoDays: 0 },
    });
    assert.equal(r.folds, 1);
    // calibration extensions e of days 0–9 are 0…9: the ⌈11·0.8⌉ = 9th smallest is 8, so every interval is
    // [1, 1 + 8] whatever the (common) scale; the median score 4.5 gives the point 5.5
    // (q·scale and median·scale are exact only up to rounding: compare at 1e-9)
    const round = (v: number) => Math.round(v * 1e9) / 1e9;
    assert.deepEqual(
      r.predictions.map((p) => [p.session, p.low, round(p.high), round(p.predicted), p.actual, p.covered]),
      [
        ['NY_AM_2025-01-16', 1, 9, 5.5, 9, true],
        ['NY_AM_2025-01-17', 1, 9, 5.5, 9.5, false],
        ['NY_AM_2025-01-20', 1, 9, 5.5, 3, true],
      ],
    );
    for (const p of r.predictions) {
      assert.equal(p.calibration, 'type');
      assert.equal(p.nCalibration, 10);
      assert.ok(Math.abs(p.finalHigh.bound - 109) < 1e-9); // high so far 101 + 8
      assert.equal(p.finalLow.bound, 100); // the low never extended: every low score is 0
    }
    assert.equal(r.coverage, 2 / 3);
    assert.ok(Math.abs(r.meanWidth - 8) < 1e-9);
    // ATR (true ranges 0 1 1 1 1: 0.8 × √5) and the type median (final ranges 1…10) give the same interval here, by hand
    const atr = r.methods.find((m) => m.method === 'atr')!;
    const med = r.methods.find((m) => m.method === 'type-median')!;
    assert.equal(atr.coverage, 2 / 3);
    assert.ok(Math.abs(atr.meanWidth - 8) < 1e-9);
    assert.equal(med.coverage, 2 / 3);
    assert.equal(med.meanWidth, 8);
    assert.equal(med.medianAbsError, 3.5); // median of |5.5 − 9|, |5.5 − 9.5|, |5.5 − 3|
    const prev = r.methods.find((m) => m.method === 'prev-range')!;
    assert.equal(prev.n, 3);

    const reasons = Object.fromEntries(r.skipped.map((s) => [s.session, s.reason]));
    assert.match(
      reasons['NY_AM_2025-01-06'],
      /no history: day 2025-01-06 is in the first fold's training window/,
    );
    assert.match(reasons['NY_AM_2025-01-15'], /no history/);
    assert.match(reasons['LUNCH_2025-01-06'], /window \(5 min\) not longer than the cut \(5 min\)/);
    assert.match(reasons['NY_AM_2025-01-18'], /2 bar\(s\) before the cut, need ≥ 3/);
    assert.match(reasons['NY_AM_2025-01-19'], /no bars after the cut/);
    assert.match(reasons['NY_AM_2025-01-21'], /the bars end inside the window/);
    assert.equal(r.skipped.length + r.n, series.segments.count);

    // too few days for a fold, and too few calibration sessions for a finite quantile
    const none = sessionRangeOracle(series, {
      minutes: 5,
      walkForward: { minTrainDays: 20, testDays: 1, embargoDays: 0 },
    });
    assert.equal(none.n, 0);
    assert.equal(none.folds, 0);
    assert.ok(none.skipped.some((s) => /give no walk-forward fold/.test(s.reason)));
    assert.ok(Number.isNaN(none.coverage));
    const few = sessionRangeOracle(series, {
      minutes: 5,
      coverage: 0.8,
      walkForward: { minTrainDays: 3, testDays: 13, embargoDays: 0 },
    });
    assert.ok(
      few.skipped.some((s) =>
        /too few calibration sessions \(3, need ≥ 4 for a finite 0.8 interval\)/.test(s.reason),
      ),
    );
  });
});

describe('evaluate: session-range oracle on the real-derived sparse sample', () => {
  test('runs on data/sample/bars/nq_m5_from_records.csv and reports (most sessions skipped)', async () => {
    const { bars } = await readBars('data/sample/bars/nq_m5_from_records.csv');
    const series = evalSeriesFromBars(bars, { detect: false, source: 'nq_m5_from_records.csv' });
    const r = sessionRangeOracle(series);
    assert.equal(r.target, 'range');
    assert.equal(r.skipped.length + r.n, series.segments.count);
    for (const s of r.skipped) assert.ok(s.reason.length > 0);
    for (const m of r.methods) assert.equal(m.nominal, 0.9);
    assert.ok(r.skipped.some((s) => /bar\(s\) before the cut/.test(s.reason)));
  });
});
