/**
 * Motif families as evaluation signals (src/evaluate motif-families.ts): an occurrence fires at the close of the
 * bar in which it completes, never earlier; a family whose occurrences are followed by a planted drift is found,
 * the same occurrences on the null twin (no drift) are not.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  completionBar,
  evalSeriesFromBars,
  evaluate,
  familySignalName,
  motifFamilySignals,
} from '../src/evaluate/index.js';
import { Rng } from '../src/stats/index.js';
import { generateBars, generatePlantedBars } from '../src/synthetic/index.js';

describe('motif family signal', () => {
  test('causal: each occurrence fires at the first bar closing at or after its completion time', () => {
    const bars = generateBars(new Rng(3), 600, { timeframeMs: 60_000 });
    const rng = new Rng(4);
    const endT: number[] = [];
    for (let i = 0; i < 300; i++) {
      const b = rng.int(bars.n);
      // anywhere in (open, close] of bar b, including exactly its open + 1 ms and exactly its close
      const off = i % 3 === 0 ? 1 : i % 3 === 1 ? bars.timeframeMs : 1 + rng.int(bars.timeframeMs);
      endT.push(bars.t[b] + off);
    }
    endT.push(bars.t[bars.n - 1] + bars.timeframeMs + 1); // completes after the last bar closes
    const { signals, info } = motifFamilySignals(bars, [{ family: 'F1', endT }]);
    assert.equal(signals.length, 1);
    assert.equal(signals[0].name, familySignalName('F1'));
    assert.equal(signals[0].source, 'motif');
    assert.equal(info[0].afterLastBar, 1);
    assert.equal(info[0].inSample, true);
    const fired = new Set(signals[0].bar);
    for (const T of endT.slice(0, -1)) {
      const b = completionBar(bars, T);
      const close = bars.t[b] + bars.timeframeMs;
      assert.ok(close >= T, `occurrence completing at ${T} fired at bar ${b}, closing ${close} (before it)`);
      assert.ok(
        b === 0 || bars.t[b - 1] + bars.timeframeMs < T,
        `bar ${b} is not the first to close after ${T}`,
      );
      assert.ok(fired.has(b), `bar ${b} of an occurrence is not in the signal`);
    }
    // fired bars are exactly the completion bars (no extra firings)
    assert.equal(fired.size, new Set(endT.slice(0, -1).map((T) => completionBar(bars, T))).size);
    assert.throws(() => motifFamilySignals(bars, [{ family: 'F2', endT: [NaN] }]), /F2: endT\[0\] = NaN/);
  });

  const DAYS = 40;
  function familyRun(seed: number, drift: boolean) {
    const p = generatePlantedBars(new Rng(seed), {
      days: DAYS,
      signalRatePerDay: 3,
      effect: drift ? { kind: 'drift', pointsPerBar: 2, bars: 30 } : { kind: 'none' },
    });
    const series = evalSeriesFromBars(p.bars, { detect: false, source: `planted seed ${seed}` });
    // occurrences complete somewhere inside the marker bar (its events become knowable by its close)
    const rng = new Rng(500 + seed);
    const endT = Array.from(p.signalBars, (b) => p.bars.t[b] + 1 + rng.int(p.bars.timeframeMs));
    const res = evaluate(series, {
      horizons: [15, 30],
      outcomes: ['ret'],
      detectorSignals: false,
      baselines: false,
      oracle: false,
      motifFamilies: [{ family: 'F1', name: 'planted', endT }],
      seed,
      replicates: 199,
    });
    return { res, p };
  }

  test('a family followed by a planted drift is detected; the same occurrences without the drift are not', () => {
    const { res, p } = familyRun(7, true);
    assert.equal(res.motifFamilies![0].firings, p.signalBars.length, 'one firing per marker bar');
    const endT = Array.from(p.signalBars, (b) => p.bars.t[b] + p.bars.timeframeMs);
    assert.deepEqual(
      Array.from(motifFamilySignals(p.bars, [{ family: 'F1', endT }]).signals[0].bar),
      Array.from(p.signalBars),
      'the family fires on exactly the marker bars',
    );
    const row = res.rows.find((r) => r.signal === 'motif:F1' && r.horizon === '30m' && r.outcome === 'ret')!;
    assert.ok(row.tested, `family cell not tested (n=${row.n}, days=${row.days})`);
    assert.ok(row.significant && row.effect > 0, `planted family: effect ${row.effect}, q ${row.q}`);
    const path = res.paths.find((x) => x.signal === 'motif:F1');
    assert.ok(path, 'the family has a forward path');
    assert.equal(path.control.length, path.horizons.length);

    assert.ok(
      res.rows.filter((r) => r.source === 'motif').every((r) => r.outcome === 'ret'),
      'family cells are the forward return only',
    );

    const twin = familyRun(7, false).res;
    const nullRows = twin.rows.filter((r) => r.signal === 'motif:F1' && r.tested);
    assert.ok(nullRows.length > 0, 'null family cells were tested');
    assert.ok(
      nullRows.every((r) => !r.significant),
      `null family significant: ${nullRows.map((r) => `${r.horizon} q=${r.q}`).join(', ')}`,
    );
  });

  test('families are their own BH family: adding them leaves every other q unchanged', () => {
    const p = generatePlantedBars(new Rng(9), { days: 30, signalRatePerDay: 3, effect: { kind: 'none' } });
    const series = evalSeriesFromBars(p.bars, { detect: true, source: 'bars' });
    const base = {
      horizons: [15, 30],
      outcomes: ['ret', 'up'] as const,
      baselines: false,
      oracle: false as const,
      seed: 9,
      replicates: 49,
    };
    const without = evaluate(series, base);
    const endT = Array.from(p.signalBars, (b) => p.bars.t[b] + p.bars.timeframeMs);
    const withF = evaluate(series, { ...base, motifFamilies: [{ family: 'F1', endT }] });
    const key = (r: { signal: string; horizon: string; outcome: string }) =>
      `${r.signal}|${r.horizon}|${r.outcome}`;
    const qOf = new Map(without.rows.map((r) => [key(r), r.q]));
    const others = withF.rows.filter((r) => r.source !== 'motif');
    assert.ok(
      others.some((r) => r.tested),
      'detector signals were tested',
    );
    for (const r of others) assert.equal(r.q, qOf.get(key(r)), key(r));
    assert.ok(
      withF.rows.some((r) => r.source === 'motif' && r.tested),
      'the family was tested',
    );
    assert.equal(
      withF.headline.tested,
      without.headline.tested,
      'the headline counts the signals fixed in advance',
    );
  });
});
