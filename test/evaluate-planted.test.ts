/**
 * Positive and negative controls of the event study on generated one-minute bars (src/synthetic planted.ts):
 * a marker bar followed by a documented drift must be found with the right sign and an effect within its CI;
 * its null twin (the same markers, no drift) and random signals must not be.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evalSeriesFromBars, evaluate, type Signal } from '../src/evaluate/index.js';
import { Rng } from '../src/stats/index.js';
import { generatePlantedBars } from '../src/synthetic/index.js';

const DAYS = 60;
const SEEDS = [1, 2, 3, 4, 5];

function run(seed: number, drift: boolean) {
  const p = generatePlantedBars(new Rng(seed), {
    days: DAYS,
    signalRatePerDay: 3,
    effect: drift ? { kind: 'drift', pointsPerBar: 2, bars: 30 } : { kind: 'none' },
  });
  const series = evalSeriesFromBars(p.bars, { detect: false, source: `planted seed ${seed}` });
  const rng = new Rng(10_000 + seed);
  const eligible: number[] = [];
  for (let b = 0; b + 1 < p.bars.n; b++)
    if (
      series.segments.sessionOfBar[b] >= 0 &&
      series.segments.sessionOfBar[b + 1] === series.segments.sessionOfBar[b]
    )
      eligible.push(b);
  const randoms: Signal[] = Array.from({ length: 9 }, (_, i) => ({
    name: `random_${i}`,
    source: 'external',
    doc: 'random times',
    bar: Int32Array.from(
      new Set(Array.from({ length: 240 }, () => eligible[rng.int(eligible.length)])),
    ).sort(),
  }));
  const planted: Signal = { name: 'planted', source: 'external', doc: p.truth.doc, bar: p.signalBars };
  const res = evaluate(series, {
    horizons: [15, 30],
    outcomes: ['ret'],
    detectorSignals: false,
    baselines: false,
    signals: [planted, ...randoms],
    seed,
    replicates: 199,
  });
  return { res, truth: p.truth };
}

describe('planted effects', () => {
  test('a planted drift is found with the right sign and an effect inside its CI; FDP stays at the BH level', () => {
    let found = 0;
    let covered = 0;
    let falseDisc = 0;
    let disc = 0;
    for (const seed of SEEDS) {
      const { res, truth } = run(seed, true);
      const row = res.rows.find((r) => r.signal === 'planted' && r.horizon === '30m' && r.outcome === 'ret')!;
      const want = truth.expectedEffect.find((e) => e.horizonMinutes === 30)!.meanReturnPoints;
      assert.ok(row.tested, `seed ${seed}: planted cell not tested (n=${row.n}, days=${row.days})`);
      if (row.significant && row.effect > 0) found++;
      if (row.ciLow <= want && want <= row.ciHigh) covered++;
      const sig = res.rows.filter((r) => r.significant);
      disc += sig.length;
      falseDisc += sig.filter((r) => r.signal !== 'planted').length;
    }
    // power: 60 points over 30 minutes (σ 8 points per bar, regimes ×0.6–2.5) on ~115 test firings
    assert.ok(found >= 4, `planted drift found in ${found} of ${SEEDS.length} seeds`);
    assert.ok(covered >= 4, `true effect inside the 95% CI in ${covered} of ${SEEDS.length} seeds`);
    assert.ok(disc > 0 && falseDisc / disc <= 0.2, `false discoveries ${falseDisc} of ${disc}`);
  });

  test('the null twin (same markers, no effect) finds nothing beyond the BH level', () => {
    let seedsWithDiscovery = 0;
    for (const seed of SEEDS) {
      const { res } = run(seed, false);
      if (res.rows.some((r) => r.significant)) seedsWithDiscovery++;
    }
    assert.ok(seedsWithDiscovery <= 2, `${seedsWithDiscovery} of ${SEEDS.length} null seeds had a discovery`);
  });

  test('a dense signal: the default control absorbs part of its effect; cleanControls recovers it', () => {
    const p = generatePlantedBars(new Rng(1), {
      days: 60,
      signalRatePerDay: 10,
      effect: { kind: 'drift', pointsPerBar: 1, bars: 30 },
    });
    const series = evalSeriesFromBars(p.bars, { detect: false });
    const planted: Signal = { name: 'planted', source: 'external', doc: p.truth.doc, bar: p.signalBars };
    const cell = (cleanControls: boolean) =>
      evaluate(series, {
        horizons: [30],
        outcomes: ['ret'],
        detectorSignals: false,
        baselines: false,
        oracle: false,
        signals: [planted],
        cleanControls,
        replicates: 199,
      }).rows.find((r) => r.signal === 'planted')!;
    const plain = cell(false);
    const clean = cell(true);
    // truth: +30 points at 30 minutes; ~60% of bars have a firing within 30 minutes
    assert.ok(plain.baseline > 5, `default control ${plain.baseline}: should carry part of the effect`);
    assert.ok(plain.effect < 25 && plain.effect > 0, `default effect ${plain.effect}`);
    assert.ok(clean.ciLow <= 30 && 30 <= clean.ciHigh, `clean CI [${clean.ciLow}, ${clean.ciHigh}]`);
  });
});
