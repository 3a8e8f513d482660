// The calibrated confluence: the forward-move label read from bars as of the window end, the walk-forward
// calibrator fitted on training days only, its reliability where the score carries information, and its honesty
// (≈ base rate, no Brier gain) where it carries none; then the whole chain on generated bars.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { barsFromArrays, sliceBars } from '../src/detect/bars.js';
import { evalSeriesFromBars } from '../src/evaluate/index.js';
import { barsToSessions } from '../src/detect/sessions.js';
import { generateBars } from '../src/synthetic/index.js';
import { Rng } from '../src/stats/random.js';
import {
  NOT_ENOUGH_HISTORY,
  NO_TRADING_DAY,
  buildConfluenceInputs,
  calibrateConfluence,
  calibrateWalkForward,
  confluenceWindowLabels,
  fitIsotonic,
  fitLogistic,
  medianMoveLabeler,
  scoreConfluence,
  type CalibrationResult,
} from '../src/confluence/index.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 6, 29, 13, 30);

describe('labels: evaluate/ ret@30m from the first bar opening at/after the window end', () => {
  // NY_AM (09:30–11:59 ET) 5-minute bars at +0 … +55 minutes, bar 7 (+35) missing, and +130 … +145
  // (11:40–11:55); open = 100 + k, close = 100.5 + k for the bar at +5k minutes.
  const ks = [0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 26, 27, 28, 29];
  const bars = barsFromArrays({
    t: ks.map((k) => T0 + k * 5 * MIN),
    open: ks.map((k) => 100 + k),
    high: ks.map((k) => 101 + k),
    low: ks.map((k) => 99 + k),
    close: ks.map((k) => 100.5 + k),
    timeframeMs: 5 * MIN,
  });
  const series = evalSeriesFromBars(bars, { detect: false });
  const ID = 'NY_AM_2025-07-29';
  const at = (end: number, id = ID) =>
    confluenceWindowLabels(series, [{ session_id: id, window_end: T0 + end * MIN }]);

  test('at a bar boundary and inside a bar: entry = first bar opening at/after the end', () => {
    // Entry +15 (open 103); exit = last bar closing by +45: the bar at +40, close 108.5.
    assert.equal(at(15).move[0], 5.5);
    assert.equal(at(12).move[0], 5.5); // the +10 bar opened before the end: entry is the +15 bar
    assert.equal(at(15).entryBar[0], 3);
    assert.equal(at(15).stratum[0], 'NY_AM');
    assert.equal(at(15).day[0], 0);
  });

  test('a missing bar: the exit is the last bar that exists and closes by the horizon', () => {
    // Entry +10 (102); horizon +40; the +35 bar is missing → the +30 bar, close 106.5.
    assert.equal(at(10).move[0], 4.5);
    // Window ending at +35 (no bar there): entry at +40 (108), exit by +70 → the +55 bar, close 111.5.
    assert.equal(at(35).move[0], 3.5);
  });

  test('NaN past the session window, after the last bar, for an unknown session', () => {
    assert.ok(Number.isNaN(at(135).move[0])); // entry 11:45, exit 12:15 > the window's end 12:00
    assert.ok(Number.isNaN(at(150).move[0])); // no bar at/after 12:00
    const unknown = at(15, 'LUNCH_2025-07-29');
    assert.ok(Number.isNaN(unknown.move[0]));
    assert.equal(unknown.day[0], -1);
  });

  test('as of the window end: bars after entry + 30 min do not matter', () => {
    const cut = sliceBars(bars, 0, 9);
    const r = confluenceWindowLabels(evalSeriesFromBars(cut, { detect: false }), [
      { session_id: ID, window_end: T0 + 15 * MIN },
    ]);
    assert.equal(r.move[0], 5.5);
  });
});

describe('calibrators', () => {
  test('isotonic = pool-adjacent-violators, ties pooled, linear between blocks, flat beyond', () => {
    const c = fitIsotonic([10, 20, 20, 30, 40, 50], [0, 1, 0, 0, 1, 1]);
    // Blocks: {10} 0; {20, 20, 30} 1/3; {40, 50} 1.
    assert.equal(c.predict(5), 0);
    assert.equal(c.predict(20), 1 / 3);
    assert.equal(c.predict(25), 1 / 3);
    assert.ok(Math.abs(c.predict(35) - (1 / 3 + 0.5 * (2 / 3))) < 1e-12);
    assert.equal(c.predict(60), 1);
    assert.equal(c.predict(15), 1 / 6);
  });

  test('logistic recovers a known slope and is flat for a constant score', () => {
    const rng = new Rng(5);
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 20000; i++) {
      const s = rng.uniform(0, 100);
      x.push(s);
      y.push(rng.float() < 1 / (1 + Math.exp(-(s - 40) / 10)) ? 1 : 0);
    }
    const c = fitLogistic(x, y);
    assert.ok(Math.abs(c.predict(40) - 0.5) < 0.02, `p(40) = ${c.predict(40)}`);
    assert.ok(Math.abs(c.predict(60) - 1 / (1 + Math.exp(-2))) < 0.02, `p(60) = ${c.predict(60)}`);
    const flat = fitLogistic([50, 50, 50, 50], [1, 0, 0, 0]);
    assert.ok(Math.abs(flat.predict(0) - 0.25) < 1e-9 && Math.abs(flat.predict(99) - 0.25) < 1e-9);
  });
});

/** `days` × `perDay` windows with score U(0, 100) and outcome ~ Bernoulli(p(score)). */
function generated(seed: number, days: number, perDay: number, p: (s: number) => number) {
  const rng = new Rng(seed);
  const n = days * perDay;
  const score = new Float64Array(n);
  const day = new Int32Array(n);
  const outcome = new Float64Array(n);
  const truth = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    day[i] = Math.floor(i / perDay);
    score[i] = rng.uniform(0, 100);
    truth[i] = p(score[i]);
    outcome[i] = rng.float() < truth[i] ? 1 : 0;
  }
  return { score, day, outcome, truth, days };
}

const WF = { minTrainDays: 10, testDays: 5, embargoDays: 0 };

describe('walk-forward: fitted on training days only', () => {
  const g = generated(1, 30, 20, (s) => 0.2 + 0.6 * (s / 100));

  for (const method of ['logistic', 'isotonic'] as const)
    test(`${method}: days before the first test fold are null; rewriting a test day's (and every later day's) outcomes leaves it unchanged`, () => {
      const base = calibrateWalkForward({ ...g, outcome: g.outcome }, { walkForward: WF, method });
      for (let i = 0; i < g.score.length; i++)
        if (g.day[i] < WF.minTrainDays) {
          assert.equal(base.calibrated[i], null);
          assert.equal(base.reason[i], NOT_ENOUGH_HISTORY);
        } else
          assert.ok(base.calibrated[i] !== null && base.calibrated[i]! >= 0 && base.calibrated[i]! <= 100);
      for (const d of [10, 17, 24]) {
        const flipped = Float64Array.from(g.outcome, (y, i) => (g.day[i] >= d ? 1 - y : y));
        const alt = calibrateWalkForward({ ...g, outcome: flipped }, { walkForward: WF, method });
        let laterChanged = false;
        for (let i = 0; i < g.score.length; i++) {
          if (g.day[i] <= d)
            assert.equal(alt.calibrated[i], base.calibrated[i], `day ${g.day[i]} (flip from ${d})`);
          else if (alt.calibrated[i] !== base.calibrated[i]) laterChanged = true;
          if (g.day[i] === d) assert.notEqual(alt.outcome[i], base.outcome[i]);
        }
        if (d < 24)
          assert.ok(laterChanged, `flipping from day ${d} changed no later fold: the check has no teeth`);
      }
    });

  test('the median threshold too is fitted on training days: rewriting moves from day d on leaves days ≤ d', () => {
    const rng = new Rng(2);
    const move = Float64Array.from(g.score, (s) => rng.normal() * (5 + s / 10));
    const stratum = Array.from(g.score, (_, i) => (i % 2 ? 'NY_AM' : 'LONDON'));
    const run = (m: Float64Array) =>
      calibrateWalkForward(
        { score: g.score, day: g.day, days: g.days, outcome: medianMoveLabeler(m, stratum, g.day) },
        { walkForward: WF },
      );
    const base = run(move);
    const d = 15;
    const alt = run(Float64Array.from(move, (m, i) => (g.day[i] >= d ? m * 3 + 7 : m)));
    for (let i = 0; i < move.length; i++)
      if (g.day[i] < d) {
        assert.equal(alt.calibrated[i], base.calibrated[i]);
        assert.equal(alt.outcome[i], base.outcome[i]);
      } else if (g.day[i] === d) assert.equal(alt.calibrated[i], base.calibrated[i]);
    // The fold's thresholds come from its training days only: outcome = |move| > median of training |move|.
    const fold = base.folds.find((f) => f.testFrom <= d && d < f.testTo)!;
    const labels = medianMoveLabeler(move, stratum, g.day)(fold);
    const train = [...move].filter((_, i) => g.day[i] < fold.trainTo && stratum[i] === 'NY_AM').map(Math.abs);
    train.sort((a, b) => a - b);
    const med = (train[(train.length - 1) >> 1] + train[train.length >> 1]) / 2;
    for (let i = 1; i < move.length; i += 2) assert.equal(labels[i], Math.abs(move[i]) > med ? 1 : 0);
  });

  test('folds without enough training windows or with one outcome class predict nothing, saying why', () => {
    const r = calibrateWalkForward(
      { ...g, outcome: Float64Array.from(g.outcome, (y, i) => (g.day[i] < 12 ? 0 : y)) },
      { walkForward: WF },
    );
    assert.match(r.folds[0].skipped!, /every training outcome is 0/);
    const i = g.day.indexOf(10);
    assert.equal(r.calibrated[i], null);
    assert.match(r.reason[i]!, /fold 0/);
    const few = calibrateWalkForward({ ...g, outcome: g.outcome }, { walkForward: WF, minTrain: 1000 });
    assert.match(few.folds[0].skipped!, /200 labelled training windows \(< 1000\)/);
    const noScore = calibrateWalkForward(
      {
        score: Array.from(g.score, (s, k) => (k === i ? null : s)),
        day: g.day,
        days: g.days,
        outcome: g.outcome,
      },
      { walkForward: WF },
    );
    assert.equal(noScore.calibrated[i], null);
    assert.equal(noScore.reason[i], 'no raw score');
    // Day −1 (session not in the bar series): never trains, never predicted. Moving every day-0 window there
    // changes fold 0's training set only by those windows.
    const noDay = Int32Array.from(g.day, (d) => (d === 0 ? -1 : d));
    const r2 = calibrateWalkForward(
      { score: g.score, day: noDay, days: g.days, outcome: g.outcome },
      { walkForward: WF },
    );
    assert.equal(r2.reason[0], NO_TRADING_DAY);
    assert.equal(r2.folds[0].nTrain, 180);
  });
});

/** Every reliability bin with ≥ 40 windows: |observed − mean predicted| ≤ 3 binomial SE + 0.02. */
function assertReliable(r: Pick<CalibrationResult, 'reliability'>) {
  let checked = 0;
  for (const b of r.reliability) {
    if (b.n < 40) continue;
    const p = b.meanPredicted!;
    const tol = 3 * Math.sqrt((p * (1 - p)) / b.n) + 0.02;
    assert.ok(
      Math.abs(b.observed! - p) <= tol,
      `bin [${b.lo}, ${b.hi}): observed ${b.observed} vs predicted ${p} (n ${b.n}, tolerance ${tol})`,
    );
    checked += b.n;
  }
  return checked;
}

describe('informative score: calibrated probabilities track observed frequencies', () => {
  const logistic = (s: number) => 1 / (1 + Math.exp(-(s - 50) / 15));
  const convex = (s: number) => 0.1 + 0.8 * (s / 100) ** 2;

  for (const [method, p] of [
    ['logistic', logistic],
    ['isotonic', convex],
  ] as const)
    test(`${method} on outcomes whose probability rises with the score`, () => {
      const g = generated(7, 60, 50, p);
      const r = calibrateWalkForward({ ...g, outcome: g.outcome }, { method });
      const checked = assertReliable(r);
      assert.ok(checked > 1500, `only ${checked} windows in well-filled bins`);
      let err = 0;
      let n = 0;
      r.calibrated.forEach((c, i) => {
        if (c === null) return;
        err += Math.abs(c / 100 - g.truth[i]);
        n++;
      });
      assert.ok(err / n < 0.04, `mean |calibrated − true probability| = ${err / n}`);
      assert.ok(r.brier.skill! > 0.15, `Brier skill ${r.brier.skill}`);
      assert.ok(r.brier.improvement!.low! > 0, `improvement CI ${JSON.stringify(r.brier.improvement)}`);
    });
});

describe('uninformative score: calibrated ≈ base rate, no Brier gain beyond noise', () => {
  for (const seed of [3, 4, 5])
    test(`seed ${seed}: outcome ~ Bernoulli(0.3) independent of the score`, () => {
      const g = generated(seed, 60, 40, () => 0.3);
      const r = calibrateWalkForward({ ...g, outcome: g.outcome });
      // Each prediction sits near its fold's training base rate (the slope is noise), and those near 0.3.
      // (Tolerances from 30 seeds: largest deviation 0.047 from the fold's rate, mean |p − 0.3| ≤ 0.028.)
      let mean = 0;
      let n = 0;
      r.calibrated.forEach((c, i) => {
        if (c === null) return;
        const base = r.folds[r.fold[i]].baseRate!;
        assert.ok(Math.abs(c / 100 - base) < 0.06, `calibrated ${c} far from the fold's base rate ${base}`);
        mean += Math.abs(c / 100 - 0.3);
        n++;
      });
      assert.ok(mean / n < 0.04, `mean |calibrated − 0.3| = ${mean / n}`);
      assertReliable(r);
      const imp = r.brier.improvement!;
      assert.ok(imp.low! <= 0, `Brier improvement over climatology ${JSON.stringify(imp)} excludes 0`);
      assert.ok(imp.estimate < 0.001, `Brier improvement ${imp.estimate}`);
      assert.ok(Math.abs(r.brier.climatology! - 0.21) < 0.02, `climatology Brier ${r.brier.climatology}`);
    });
});

describe('the chain on generated bars: sessions → causal score → forward moves → calibrated confluence', () => {
  const bars = generateBars(new Rng(42), 288 * 24);
  const sessions = barsToSessions(bars);
  const scored = scoreConfluence({ sessions: buildConfluenceInputs(sessions) });
  const labels = confluenceWindowLabels(evalSeriesFromBars(bars, { detect: false }), scored.windows);
  const r = calibrateConfluence(scored.windows, labels);

  test('rows line up; calibrated in [0, 100] or null; null before the first test fold', () => {
    assert.equal(r.windows.length, scored.windows.length);
    assert.ok(labels.days.length >= 20, `${labels.days.length} trading days`);
    assert.ok(
      labels.day.every((d) => d >= 0),
      'every session is in the series',
    );
    const firstTest = r.folds[0].testFrom;
    let predicted = 0;
    r.windows.forEach((w, i) => {
      assert.equal(w.score, scored.windows[i].score);
      if (labels.day[i] < firstTest) {
        assert.equal(w.calibrated, null);
        assert.equal(r.reason[i], NOT_ENOUGH_HISTORY);
      }
      if (w.calibrated !== null) {
        assert.ok(w.calibrated >= 0 && w.calibrated <= 100);
        predicted++;
      }
      if (w.outcome !== null) assert.ok(Number.isFinite(w.move));
    });
    assert.ok(predicted > 500, `${predicted} windows predicted`);
    // The training median splits each fold's training windows about in half.
    for (const f of r.folds)
      assert.ok(Math.abs(f.baseRate! - 0.5) < 0.05, `fold ${f.index} base rate ${f.baseRate}`);
    assert.ok(r.brier.n > 300);
    assert.ok(r.reliability.reduce((a, b) => a + b.n, 0) === r.brier.n);
    assertReliable(r);
  });
});
