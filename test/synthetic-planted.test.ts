// The planted-effect bar generator (src/synthetic/planted.ts): determinism, valid bars, the drift positive
// control recovers its stated effect, the null twin's markers carry none, firings stay in their sessions, and
// the marker bars are recognisable by their shape and by a causal rule.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type Bars,
  DEFAULT_CALENDAR,
  segmentSessions,
  validateBars,
  ZoneClock,
} from '../src/detect/index.js';
import { Rng } from '../src/stats/index.js';
import {
  DEFAULT_GENERATE_OPTIONS,
  DEFAULT_PLANTED_MARKER,
  generatePlantedBars,
  type PlantedBars,
  type PlantedOptions,
} from '../src/synthetic/index.js';

const ny = new ZoneClock('America/New_York');
const VOL_MULT = [0.6, 1.2, 1.2, 2.5]; // generateBars' regime σ multipliers (bars.ts)
const SEED = 20250728;
// 300 days ≈ 1,800 firings: SE of the 30-minute forward mean ≈ 2 points, against a planted 15
const COMMON = { days: 300, signalRatePerDay: 6 } as const;
const plant = (effect: PlantedOptions['effect'], seed = SEED, extra: Partial<PlantedOptions> = {}) =>
  generatePlantedBars(new Rng(seed), { ...COMMON, effect, ...extra });
const drift = plant({ kind: 'drift', pointsPerBar: 0.5, bars: 30 });
const nul = plant({ kind: 'none' });

/** close[s + hb] − open[s + 1] for every firing: the forward return the truth is stated for. */
function forward(p: PlantedBars, hb: number): Float64Array {
  return Float64Array.from(p.signalBars, (s) => p.bars.close[s + hb] - p.bars.open[s + 1]);
}

function meanSe(x: Float64Array): { mean: number; sd: number; se: number } {
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let ss = 0;
  for (const v of x) ss += (v - m) ** 2;
  const sd = Math.sqrt(ss / (x.length - 1));
  return { mean: m, sd, se: sd / Math.sqrt(x.length) };
}

/**
 * A causal marker rule, at bar i's close: a bullish body at least twice the mean |body| of the 20 bars before,
 * both wicks at most a tenth of the body, and an open gapped down from the previous close by half the body.
 */
function ruleFirings(b: Bars): number[] {
  const L = 20;
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < b.n; i++) {
    const body = b.close[i] - b.open[i];
    if (
      i >= L &&
      body >= (2 * sum) / L &&
      b.high[i] - b.close[i] <= 0.1 * body &&
      b.open[i] - b.low[i] <= 0.1 * body &&
      b.close[i - 1] - b.open[i] >= 0.5 * body
    )
      out.push(i);
    sum += Math.abs(body);
    if (i >= L) sum -= Math.abs(b.close[i - L] - b.open[i - L]);
  }
  return out;
}

describe('synthetic: planted effects and the null twin', () => {
  test('deterministic given the seed; another seed differs', () => {
    const again = plant({ kind: 'drift', pointsPerBar: 0.5, bars: 30 });
    for (const k of ['t', 'open', 'high', 'low', 'close', 'volume'] as const)
      assert.deepEqual(again.bars[k], drift.bars[k], k);
    assert.deepEqual(again.regime, drift.regime);
    assert.deepEqual(again.signalBars, drift.signalBars);
    assert.deepEqual(again.truth, drift.truth);
    const other = plant({ kind: 'drift', pointsPerBar: 0.5, bars: 30 }, SEED + 1);
    assert.notDeepEqual(other.signalBars, drift.signalBars);
    assert.notDeepEqual(other.bars.close, drift.bars.close);
  });

  test('bars are valid: OHLC consistent, on the tick grid, contiguous one-minute bars from a Monday', () => {
    for (const p of [drift, nul, plant({ kind: 'range', volMultiplier: 2, bars: 20 }, 3, { days: 20 })]) {
      const b = p.bars;
      assert.equal(b.n, p.bars.t.length);
      assert.equal(b.timeframeMs, 60_000);
      validateBars(b); // throws on any inconsistent bar or non-increasing time
      const tick = DEFAULT_GENERATE_OPTIONS.tick;
      for (let i = 0; i < b.n; i++) {
        assert.ok(
          b.high[i] >= Math.max(b.open[i], b.close[i]) && b.low[i] <= Math.min(b.open[i], b.close[i]),
        );
        for (const v of [b.open[i], b.high[i], b.low[i], b.close[i]])
          assert.ok(Number.isInteger(v / tick), `bar ${i}: ${v} off the tick grid`);
        if (i > 0) assert.equal(b.t[i] - b.t[i - 1], 60_000);
      }
      assert.equal(ny.clock(b.t[0]), '00:00:00');
      assert.equal(new Date(ny.localMs(b.t[0])).getUTCDay(), 1); // Monday
    }
    assert.equal(drift.bars.n, COMMON.days * 1440);
  });

  test('drift: the realised mean forward return after the markers matches the truth, with the right sign', () => {
    assert.deepEqual(
      drift.truth.expectedEffect.map((e) => [e.horizonMinutes, e.horizonBars, e.meanReturnPoints]),
      [
        [5, 5, 2.5],
        [15, 15, 7.5],
        [30, 30, 15],
        [60, 60, 15],
      ],
    );
    for (const e of drift.truth.expectedEffect) {
      const { mean, se } = meanSe(forward(drift, e.horizonBars));
      assert.ok(Math.abs(mean - e.meanReturnPoints) < 4 * se, `${e.horizonMinutes}m: ${mean} ± ${se}`);
    }
    const at30 = meanSe(forward(drift, 30));
    assert.ok(at30.mean / at30.se > 3, 'the 30-minute effect is detectable at this sample size');
  });

  test('the null twin: same firings and noise, no effect; paired with the drift run the difference is exact', () => {
    assert.deepEqual(nul.signalBars, drift.signalBars);
    assert.deepEqual(nul.regime, drift.regime);
    assert.equal(nul.truth.kind, 'none');
    assert.ok(nul.truth.expectedEffect.every((e) => e.meanReturnPoints === 0));
    // identical bars up to the first entry; after it the closes differ by the planted points only
    const entry = nul.signalBars[0] + 1;
    for (let i = 0; i < entry; i++) assert.equal(nul.bars.close[i], drift.bars.close[i]);
    for (const e of drift.truth.expectedEffect) {
      const d = forward(drift, e.horizonBars);
      const z = forward(nul, e.horizonBars);
      // 0.5 points is two ticks, so rounding loses nothing: every firing's difference is the truth
      for (let j = 0; j < d.length; j++) assert.equal(d[j] - z[j], e.meanReturnPoints);
      const { mean, se } = meanSe(z);
      assert.ok(Math.abs(mean) < 4 * se, `null ${e.horizonMinutes}m: ${mean} ± ${se}`);
    }
  });

  test('range: forward returns widen by the stated ratio, their mean stays 0', () => {
    const range = plant({ kind: 'range', volMultiplier: 2, bars: 30 });
    assert.deepEqual(range.signalBars, nul.signalBars);
    for (const e of range.truth.expectedEffect) {
      const r = meanSe(forward(range, e.horizonBars));
      const z = meanSe(forward(nul, e.horizonBars));
      assert.equal(e.meanReturnPoints, 0);
      assert.ok(Math.abs(r.mean) < 4 * r.se, `${e.horizonMinutes}m mean ${r.mean} ± ${r.se}`);
      const ratio = r.sd / z.sd;
      assert.ok(Math.abs(ratio / e.noiseStdRatio - 1) < 0.1, `${e.horizonMinutes}m sd ratio ${ratio}`);
    }
    assert.equal(range.truth.expectedEffect[0].noiseStdRatio, 2);
    assert.equal(range.truth.expectedEffect[3].noiseStdRatio, Math.sqrt((4 * 30 + 30) / 60));
  });

  test('firings: inside their session, a full horizon before its end, spaced, at the stated rate', () => {
    const seg = segmentSessions(drift.bars, DEFAULT_CALENDAR, ny);
    const H = drift.truth.spacingBars;
    assert.equal(H, 60);
    const s = drift.signalBars;
    for (let j = 0; j < s.length; j++) {
      const k = seg.sessionOfBar[s[j]];
      assert.ok(k >= 0, `firing at ${ny.clock(drift.bars.t[s[j]])} is outside every session`);
      assert.ok(s[j] + H <= seg.lastBar[k], `firing ${j}: its horizon runs past ${seg.type[k]}'s end`);
      if (j > 0) assert.ok(s[j] - s[j - 1] >= H);
    }
    // the count is a sum of Bernoulli draws with dead time: within 4 Poisson s.d. of the expectation
    const expected = drift.truth.expectedFirings;
    assert.equal(expected, 6 * 300);
    assert.ok(Math.abs(s.length - expected) < 4 * Math.sqrt(expected), `${s.length} firings`);

    const amOnly = plant({ kind: 'none' }, 5, { days: 40, signalRatePerDay: 1.5, sessions: ['NY_AM'] });
    assert.ok(amOnly.signalBars.length > 20);
    for (const b of amOnly.signalBars) {
      const hhmm = ny.clock(amOnly.bars.t[b]).slice(0, 5);
      assert.ok(hhmm >= '09:30' && hhmm <= '10:59', `NY_AM firing at ${hhmm}`); // 60 bars before 11:59
    }
  });

  test('markers: the stated shape in both versions, and a causal rule finds them', () => {
    const { bodySigmas, wickFrac } = DEFAULT_PLANTED_MARKER;
    assert.equal(bodySigmas, 4);
    for (const p of [drift, nul]) {
      const b = p.bars;
      for (const s of p.signalBars) {
        const sigma = DEFAULT_GENERATE_OPTIONS.sigma * VOL_MULT[p.regime[s]];
        const body = b.close[s] - b.open[s];
        assert.ok(Math.abs(body - bodySigmas * sigma) <= 0.125, `bar ${s}: body ${body}, σ ${sigma}`);
        assert.equal(b.close[s - 1] - b.open[s], body, 'the open gaps down by the body');
        assert.ok(b.high[s] - b.close[s] <= 0.1 * body && b.open[s] - b.low[s] <= 0.1 * body);
      }
      assert.ok(wickFrac <= 0.05);
      const found = new Set(ruleFirings(b));
      const hits = [...p.signalBars].filter((s) => found.has(s)).length;
      const recall = hits / p.signalBars.length;
      const precision = hits / found.size;
      assert.ok(recall > 0.9 && precision > 0.95, `recall ${recall}, precision ${precision}`);
    }
  });

  test('bad options are refused with the field and value', () => {
    assert.throws(
      () => plant({ kind: 'none' }, 1, { days: 2, signalRatePerDay: 40 }),
      /signalRatePerDay 40 is more than the session windows hold/,
    );
    assert.throws(() => plant({ kind: 'drift', pointsPerBar: 1, bars: 0 }, 1, { days: 2 }), /effect.bars/);
    assert.throws(() => plant({ kind: 'none' }, 1, { days: 0 }), /days must be/);
    assert.throws(() => plant({ kind: 'none' }, 1, { days: 1, timeframeMs: 7 * 60_000 }), /timeframeMs/);
    assert.equal(plant({ kind: 'none' }, 1, { days: 2, signalRatePerDay: 0 }).signalBars.length, 0);
  });
});
