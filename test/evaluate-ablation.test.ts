/**
 * Ablation on outcomes (evaluate/ablation.ts): runs on generated bars, is deterministic, fits each fold on its
 * training days only (poisoned test-day outcomes leave the fold's coefficients unchanged), and finds a planted
 * hand-feature effect against climatology.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ablateSamples, ablationSamples, type AblationSamples } from '../src/evaluate/index.js';
import { ingestBarSeries } from '../src/detect/index.js';
import { NODE_FEATURE_NAMES } from '../src/features/index.js';
import { generateBars } from '../src/synthetic/index.js';
import { Rng } from '../src/stats/index.js';
import { modelWeights, prepareSessions, trainLinkPrediction } from '../src/tgat/index.js';

const bars = generateBars(new Rng(42), 288 * 12);
// a short link-prediction run on the first 3 days' sessions (before every test day): the "trained" encoder
const firstDays = ingestBarSeries(bars).sessions.filter((s) => s.date < '2025-07-31');
const prepared = prepareSessions(firstDays);
const trained = modelWeights(
  trainLinkPrediction(prepared.slice(0, -4), prepared.slice(-4), { epochs: 1, batchSessions: 4 }).model,
);
const WF = { minTrainDays: 4, testDays: 2, embargoDays: 0 };
let cached: AblationSamples | null = null;
const samples = () => (cached ??= ablationSamples(bars, { trainedWeights: trained }));
const bootstrap = { replicates: 200 };

test('the ablation runs on generated bars with three feature sets, and is deterministic', () => {
  const s = samples();
  assert.ok(s.n > 1000, `${s.n} events`);
  assert.deepEqual(Object.keys(s.features).sort(), ['hand', 'tgat_trained', 'tgat_untrained']);
  assert.equal(s.features.hand!.d, 45);
  const a = ablateSamples(s, { walkForward: WF, bootstrap });
  assert.ok(a.testEvents > 300 && a.testDays >= 5, `${a.testEvents} test events on ${a.testDays} days`);
  assert.deepEqual(
    a.sets.map((x) => x.set),
    ['hand', 'tgat_untrained', 'tgat_trained'],
  );
  for (const x of a.sets) {
    assert.ok(x.brier! > 0 && x.brier! < 0.5 && x.auc! > 0 && x.auc! < 1);
    assert.ok(x.vsClimatology!.brier.low! <= x.vsClimatology!.brier.high!);
  }
  assert.match(a.verdict, /test events on \d+ days/);
  const again = ablateSamples(ablationSamples(bars, { trainedWeights: trained }), {
    walkForward: WF,
    bootstrap,
  });
  assert.deepEqual(again, a);
});

test('each fold fits on its training days only: poisoned test-day outcomes leave its coefficients unchanged', () => {
  const s = samples();
  const a = ablateSamples(s, { walkForward: WF, bootstrap });
  const f = a.folds.find((x) => !x.skipped && x.index === 1)!;
  const y = s.y.slice();
  for (let i = 0; i < s.n; i++) if (s.day[i] >= f.testFrom && (y[i] === 0 || y[i] === 1)) y[i] = 1 - y[i];
  const b = ablateSamples({ ...s, y }, { walkForward: WF, bootstrap });
  const g = b.folds[f.index];
  assert.equal(g.nTrain, f.nTrain);
  for (const set of ['hand', 'tgat_untrained', 'tgat_trained'] as const) {
    assert.deepEqual(g.fits[set]!.coef, f.fits[set]!.coef, set);
    assert.equal(g.fits[set]!.intercept, f.fits[set]!.intercept, set);
  }
  // the poison does reach the predictions it should: the next fold trains on those days
  const h = b.folds[f.index + 1];
  assert.notDeepEqual(h.fits.hand!.coef, a.folds[f.index + 1].fits.hand!.coef);
});

test('planted: an outcome set by one hand feature is predicted by the hand model better than climatology', () => {
  const s = samples();
  const col = NODE_FEATURE_NAMES.indexOf('ret_prev');
  const d = s.features.hand!.d;
  const rng = new Rng(5);
  // y = 1 when the as-of ret_prev feature is above 0, flipped for 20% of the labelled events
  const y = Float64Array.from(s.y, (v, i) =>
    Number.isNaN(v) ? NaN : (s.features.hand!.data[i * d + col] > 0 ? 1 : 0) ^ (rng.float() < 0.2 ? 1 : 0),
  );
  const a = ablateSamples({ ...s, y }, { walkForward: WF, bootstrap });
  const hand = a.sets.find((x) => x.set === 'hand')!;
  assert.ok(hand.vsClimatology!.brier.high! < 0, JSON.stringify(hand.vsClimatology));
  assert.ok(hand.auc! > 0.7, `auc ${hand.auc}`);
  assert.match(a.verdict, /hand beats the base rate by Brier/);
});
