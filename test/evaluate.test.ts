import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { barsFromArrays, LABELS, type Bars } from '../src/detect/index.js';
import {
  clusteredMean,
  evalSeriesFromBars,
  evaluate,
  outcomeTable,
  parseRules,
  purgeMask,
  ruleSignals,
  RuleError,
  walkForwardFolds,
  type Signal,
  baseStratum,
  recentVolatility,
  stratumOf,
} from '../src/evaluate/index.js';
import { exactBootstrapRatioCI, Rng } from '../src/stats/index.js';
import { generateBars } from '../src/synthetic/index.js';

const MIN = 60_000;
// 2025-07-29 09:30 New York = 13:30Z (NY_AM window 09:30–11:59)
const NY_AM = Date.UTC(2025, 6, 29, 13, 30);

function minuteBars(closes: number[], start = NY_AM): Bars {
  const n = closes.length;
  const open = closes.map((c, i) => (i === 0 ? c : closes[i - 1]));
  return barsFromArrays({
    t: Array.from({ length: n }, (_, i) => start + i * MIN),
    open,
    high: closes.map((c, i) => Math.max(c, open[i]) + 0.25),
    low: closes.map((c, i) => Math.min(c, open[i]) - 0.25),
    close: closes,
    timeframeMs: MIN,
  });
}

describe('outcomes at t*', () => {
  test('entry at the next open, as-of exit, MFE/MAE, horizon beyond the session is undefined', () => {
    const closes = Array.from({ length: 150 }, (_, i) => 100 + i); // +1 per minute, NY_AM 150 minutes
    const s = evalSeriesFromBars(minuteBars(closes), { detect: false });
    const tab = outcomeTable(s.bars, s.segments, null, { horizons: [5, 60, 'close'] });
    const col = (name: string) => tab.columns.find((c) => c.name === name)!.values;
    // bar 10 closes at 110; entry = open of bar 11 = 110; exit 5 min later = close of bar 15 = 115
    assert.equal(col('ret@5m')[10], 5);
    assert.equal(col('mfe@5m')[10], 115.25 - 110);
    assert.equal(col('mae@5m')[10], 110 - 109.75);
    assert.equal(col('up@5m')[10], 1);
    // the window ends 12:00 = bar 150's open: a 60-minute label from bar 100 (entry 11:11) runs past it
    assert.ok(Number.isNaN(col('ret@60m')[100]));
    assert.ok(tab.beyondSession > 0);
    assert.equal(col('ret@close')[100], 249 - 200);
    // the last bar of the session has no entry bar
    assert.equal(tab.eligible[149], 0);
  });

  test('look-ahead: altering bars after entry + h leaves the label; altering bars after t* leaves signals and strata', () => {
    const bars = generateBars(new Rng(5), 3000, { timeframeMs: 5 * MIN });
    const s1 = evalSeriesFromBars(bars);
    const t1 = outcomeTable(s1.bars, s1.segments, s1.events, { horizons: [30] });
    const cut = 1500;
    const alt = structuredClone(bars);
    for (let i = cut + 1; i < alt.n; i++) {
      alt.close[i] += 50 * Math.sin(i);
      alt.open[i] = alt.close[i - 1];
      alt.high[i] = Math.max(alt.open[i], alt.close[i]) + 1;
      alt.low[i] = Math.min(alt.open[i], alt.close[i]) - 1;
    }
    const s2 = evalSeriesFromBars(alt);
    const t2 = outcomeTable(s2.bars, s2.segments, s2.events, { horizons: [30] });
    // labels of bars whose exit lies at or before the cut's close are identical
    let checked = 0;
    for (let b = 0; b < cut - 8; b++) {
      for (let c = 0; c < t1.columns.length; c++) {
        const a = t1.columns[c].values[b];
        const z = t2.columns[c].values[b];
        assert.ok(Object.is(a, z), `bar ${b} ${t1.columns[c].name}: ${a} vs ${z}`);
      }
      checked++;
    }
    assert.ok(checked > 1000);
    // events knowable at or before the cut bar's close are identical (the detectors are causal)
    const ev1 = s1.events!;
    const ev2 = s2.events!;
    const upTo = (ev: typeof ev1) => {
      const out: string[] = [];
      for (let i = 0; i < ev.n; i++)
        if (ev.bar[i] <= cut) out.push(`${ev.bar[i]}:${ev.label[i]}:${ev.price[i]}`);
      return out.join('|');
    };
    assert.equal(upTo(ev1), upTo(ev2));
    // strata at t* read bars ≤ b only
    const v1 = recentVolatility(bars);
    const v2 = recentVolatility(alt);
    const b1 = baseStratum(bars, s1.segments);
    const b2 = baseStratum(alt, s2.segments);
    for (let b = 0; b <= cut; b++) assert.equal(stratumOf(b1, v1, [1, 2], b), stratumOf(b2, v2, [1, 2], b));
  });
});

describe('walk-forward', () => {
  test('folds, embargo and purge on a hand-made overlapping case', () => {
    const folds = walkForwardFolds(10, { minTrainDays: 4, testDays: 3, embargoDays: 1 });
    assert.deepEqual(
      folds.map((f) => [f.trainTo, f.testFrom, f.testTo]),
      [
        [3, 4, 7],
        [6, 7, 10],
      ],
    );
    // labels [start, end]: the test block is [100, 200), embargo 10
    const start = [0, 50, 85, 95, 120, 205, 215];
    const end = [40, 89, 95, 130, 140, 208, 230];
    const keep = purgeMask(start, end, [1, 1, 1, 1, 1, 1, 0], 100, 200, 10);
    // 0: ends before 90 → kept; 1: ends 89 → kept; 2: ends 95 (inside the embargo) → purged;
    // 3: overlaps the test start → purged; 4: inside the test → purged; 5: starts 205 < 210 → purged;
    // 6: not a candidate → 0
    assert.deepEqual([...keep], [1, 1, 0, 0, 0, 0, 0]);
    assert.throws(
      () => walkForwardFolds(10, { minTrainDays: 2, testDays: 1, embargoDays: 2 }),
      /embargoDays/,
    );
  });
});

describe('day-clustered effect', () => {
  test('clustered mean, SE and the exact day bootstrap CI on a hand-made case', () => {
    // d values by day: day0 {1, 1}, day1 {3}, day2 {−1, 0, 1}
    const sum = [2, 3, 0];
    const cnt = [2, 1, 3];
    const r = clusteredMean(sum, cnt);
    assert.equal(r.n, 6);
    assert.equal(r.days, 3);
    assert.ok(Math.abs(r.effect - 5 / 6) < 1e-12);
    const e = [2 - (5 / 6) * 2, 3 - 5 / 6, 0 - (5 / 6) * 3];
    const se = Math.sqrt(((3 / 2) * e.reduce((a, x) => a + x * x, 0)) / 36);
    assert.ok(Math.abs(r.se - se) < 1e-12);
    // exact bootstrap over the 3 days: the 10 multisets of size 3, with multinomial probabilities
    const ratios: { r: number; p: number }[] = [];
    for (let a = 0; a <= 3; a++)
      for (let b = 0; a + b <= 3; b++) {
        const c = 3 - a - b;
        const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
        const p = fact(3) / (fact(a) * fact(b) * fact(c)) / 27;
        ratios.push({ r: (a * 2 + b * 3 + c * 0) / (a * 2 + b * 1 + c * 3), p });
      }
    ratios.sort((x, y) => x.r - y.r);
    const q = (level: number) => {
      let cum = 0;
      for (const x of ratios) {
        cum += x.p;
        if (cum >= level - 1e-12) return x.r;
      }
      return NaN;
    };
    const ci = exactBootstrapRatioCI({
      nUnits: 3,
      nRatios: 1,
      numerator: Float64Array.from(sum),
      denominator: Float64Array.from(cnt),
      floor: 1e-9,
      level: 0.9,
    });
    assert.equal(ci.low[0], q(0.05));
    assert.equal(ci.high[0], q(0.95));
  });
});

describe('null and planted behaviour of the event study', () => {
  /** Random signals at random eligible bars, independent of the bars by construction. */
  function randomSignals(rng: Rng, eligible: Uint8Array, k: number, perSignal: number): Signal[] {
    const el: number[] = [];
    for (let b = 0; b < eligible.length; b++) if (eligible[b]) el.push(b);
    return Array.from({ length: k }, (_, i) => ({
      name: `random_${i}`,
      source: 'external' as const,
      doc: 'random times',
      bar: Int32Array.from(new Set(Array.from({ length: perSignal }, () => el[rng.int(el.length)]))).sort(),
    }));
  }

  test('on null data, p-values are uniform and BH rarely discovers anything', () => {
    const ps: number[] = [];
    let seedsWithDiscovery = 0;
    const seeds = 8;
    for (let seed = 1; seed <= seeds; seed++) {
      const bars = generateBars(new Rng(seed), 60 * 288, { timeframeMs: 5 * MIN });
      const s = evalSeriesFromBars(bars, { detect: false });
      const tab = outcomeTable(s.bars, s.segments, null, { horizons: [15] });
      const res = evaluate(s, {
        horizons: [15, 60],
        detectorSignals: false,
        baselines: false,
        signals: randomSignals(new Rng(1000 + seed), tab.eligible, 12, 250),
        seed,
        replicates: 99,
      });
      const tested = res.rows.filter((r) => r.tested);
      assert.ok(tested.length >= 100, `seed ${seed}: ${tested.length} tested cells`);
      // one p per signal and horizon from the signed return (the other outcomes of a signal are dependent)
      for (const r of tested) if (r.outcome === 'ret') ps.push(r.p!);
      if (tested.some((r) => r.significant)) seedsWithDiscovery++;
    }
    const n = ps.length;
    ps.sort((a, b) => a - b);
    let ks = 0;
    ps.forEach((p, i) => (ks = Math.max(ks, Math.abs(p - (i + 0.5) / n))));
    const below05 = ps.filter((p) => p < 0.05).length / n;
    // KS: 1.63/√n is the 1 % critical value
    assert.ok(ks < 1.63 / Math.sqrt(n), `KS ${ks.toFixed(3)} over ${n} p-values`);
    assert.ok(below05 < 0.1, `share of p < 0.05: ${below05}`);
    // all hypotheses are null, so any discovery is false: BH at 0.1 bounds P(any) by 0.1 (slack for 8 seeds)
    assert.ok(seedsWithDiscovery <= 3, `${seedsWithDiscovery} of ${seeds} null seeds had a discovery`);
  });
});

describe('rules', () => {
  test('unknown fields, labels and sessions are errors naming the rule, field and value', () => {
    assert.throws(
      () => parseRules({ signals: [{ name: 'a', label: 'bos_up', lable: 'x' }] }, 'r.json'),
      (e: Error) =>
        e instanceof RuleError && /r\.json: signals\.0/.test(e.message) && /"lable"/.test(e.message),
    );
    assert.throws(
      () => parseRules({ signals: [{ name: 'a', label: 'bos_upp' }] }, 'r.json'),
      /signals\.0 \(a\): label "bos_upp" is not known \(did you mean "bos_up"\?\)/,
    );
    assert.throws(
      () => parseRules({ signals: [{ name: 'a', label: 'bos_up', session: ['NYAM'] }] }, 'r.json'),
      /session "NYAM"/,
    );
    assert.throws(() => parseRules({ signals: [{ name: 'a' }] }, 'r.json'), /needs "label" or "kind"/);
    assert.throws(() => parseRules({ signals: [] }, 'r.json'), /r\.json: signals/);
  });

  test('after/within and the clock window select the right events', () => {
    const bars = generateBars(new Rng(9), 4000, { timeframeMs: 5 * MIN });
    const s = evalSeriesFromBars(bars);
    const ev = s.events!;
    const rules = parseRules(
      {
        signals: [
          { name: 'all_fvg', label: 'fvg_bull' },
          { name: 'fvg_after_sweep', label: 'fvg_bull', after: { label: 'swing_low_swept', within: 30 } },
          { name: 'am_bos', label: ['bos_up', 'bos_down'], session: 'NY_AM', from: '09:30', to: '10:30' },
        ],
      },
      'r.json',
    );
    const [all, after, am] = ruleSignals(rules, ev, s.segments, 'America/New_York');
    const [allBos] = ruleSignals(
      parseRules({ signals: [{ name: 'b', label: ['bos_up', 'bos_down'] }] }, 'r'),
      ev,
      s.segments,
      'America/New_York',
    );
    assert.ok(all.bar.length > 20);
    assert.ok(after.bar.length > 0 && after.bar.length < all.bar.length);
    assert.ok(am.bar.length > 0 && am.bar.length < allBos.bar.length);
    for (const b of am.bar) assert.equal(s.segments.type[s.segments.sessionOfBar[b]], 'NY_AM');
    for (const b of after.bar) {
      assert.ok(all.bar.includes(b));
      const tEnd = s.bars.t[b] + s.bars.timeframeMs;
      let found = false;
      for (let i = 0; i < ev.n; i++)
        if (
          ev.label[i] === LABELS.indexOf('swing_low_swept') &&
          ev.session[i] === s.segments.sessionOfBar[b] &&
          ev.t[i] <= tEnd &&
          tEnd - ev.t[i] <= 30 * MIN
        )
          found = true;
      assert.ok(found, `bar ${b} fired without a sweep in the 30 minutes before`);
    }
  });
});

describe('bad input', () => {
  test('too few days for a fold: nothing tested, the reason is listed', () => {
    const bars = generateBars(new Rng(2), 288, { timeframeMs: 5 * MIN });
    const res = evaluate(evalSeriesFromBars(bars));
    assert.equal(res.folds.length, 0);
    assert.ok(res.skipped.some((k) => /walk-forward needs more than/.test(k.reason)));
    assert.match(res.headline.text, /nothing could be tested/);
  });

  test('deterministic: same input and seed, identical result', () => {
    const bars = generateBars(new Rng(4), 20 * 288, { timeframeMs: 5 * MIN });
    const a = JSON.stringify(evaluate(evalSeriesFromBars(bars), { seed: 3 }));
    const b = JSON.stringify(evaluate(evalSeriesFromBars(bars), { seed: 3 }));
    assert.equal(a, b);
  });
});

describe('signals from enhanced records', () => {
  test('hindsight anchors are refused with the field named; other record events are evaluated; unknown names reported', async () => {
    const { readSessions, readBars } = await import('../src/store/index.js');
    const rec = await readSessions(['data/sample/enhanced']);
    const { bars } = await readBars('data/sample/bars/nq_m5_from_records.csv');
    const res = evaluate(evalSeriesFromBars(bars, { source: 'sample' }), {
      records: rec.sessions,
      only: ['record:anchor:high', 'record-kind:LiquidityTaken', 'label:nope'],
      oracle: false,
    });
    const high = res.skipped.find((k) => k.signal === 'record:anchor:high')!;
    assert.match(high.reason, /refused: hindsight/);
    assert.match(high.detail!, /structures_identified\.session_levels/);
    assert.ok(!res.signals.some((x) => x.name === 'record:anchor:high'));
    assert.ok(res.signals.some((x) => x.name === 'record-kind:LiquidityTaken'));
    assert.match(res.skipped.find((k) => k.signal === 'label:nope')!.reason, /unknown signal/);
  });
});
