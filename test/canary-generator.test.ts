import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CALIBRATION_TOLERANCES, compareStats, ksDistance, sessionStats } from '../src/canary/index.js';
import { calibrate, empiricalQuantiles, generateSession, type Calibration } from '../src/synthetic/index.js';
import { categoryCounts, syntheticCorpus, SCALE_CATEGORIES } from '../src/canary/scale.js';
import { readSessions } from '../src/store/sessions.js';
import { N_KINDS, type Session } from '../src/session/types.js';
import { Rng } from '../src/stats/random.js';

const SAMPLE = 'data/sample/enhanced'; // tests run from the repository root (tsx and dist alike)
const real: Session[] = (await readSessions([SAMPLE])).sessions;
const cal = calibrate(real);

describe('canary generator: calibration', () => {
  test('reads the real sample: 35 sessions, shares and transition rows sum to 1, minute resolution', () => {
    assert.equal(real.length, 35);
    assert.equal(cal.sessions, 35);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum(cal.kindShare) - 1) < 1e-12);
    assert.ok(Math.abs(sum(cal.firstKind) - 1) < 1e-12);
    for (let k = 0; k < N_KINDS; k++) {
      assert.ok(
        Math.abs(sum(cal.kindTransition.slice(k * N_KINDS, (k + 1) * N_KINDS)) - 1) < 1e-12,
        `transition row ${k}`,
      );
    }
    assert.equal(cal.resolutionMs, 60_000);
    assert.ok(cal.zeroGapShare > 0.5 && cal.zeroGapShare < 0.75, `zero-gap share ${cal.zeroGapShare}`);
    assert.equal(cal.gapQuantilesMs.length, 101);
    assert.ok(
      cal.gapQuantilesMs[0] > 0 && cal.gapQuantilesMs[50] % 60_000 === 0,
      'positive, minute-stamped gaps',
    );
    assert.equal(cal.templates.length, 35);
  });

  test('rejects input it cannot learn from', () => {
    assert.throws(() => calibrate([]), /at least one session with ≥ 2 events/);
    const flat = { ...real[0], events: real[0].events.map((e) => ({ ...e, t: real[0].events[0].t })) };
    assert.throws(() => calibrate([flat]), /no non-zero gap/);
  });
});

describe('canary generator: sessions', () => {
  test('exact length, sorted (t, seq), prices on the tick grid, kinds and sources valid', () => {
    const s = generateSession(new Rng(7), 300, cal);
    assert.equal(s.events.length, 300);
    for (let i = 1; i < s.events.length; i++) {
      assert.ok(s.events[i].t >= s.events[i - 1].t, `t sorted at ${i}`);
      assert.equal(s.events[i].seq, i);
      assert.equal((s.events[i].t - s.events[i - 1].t) % 60_000, 0, 'whole-minute gaps');
    }
    for (const e of s.events) {
      assert.equal(e.price * 4, Math.round(e.price * 4), `price ${e.price} on the 0.25 grid`);
      assert.ok(e.kind >= 0 && e.kind < N_KINDS);
    }
    assert.equal(s.high, Math.max(...s.events.map((e) => e.price)));
    assert.equal(s.low, Math.min(...s.events.map((e) => e.price)));
  });

  test('deterministic given the seed, different across seeds', () => {
    const a = generateSession(new Rng(11), 200, cal);
    const b = generateSession(new Rng(11), 200, cal);
    const c = generateSession(new Rng(12), 200, cal);
    assert.deepEqual(a, b);
    assert.notDeepEqual(
      a.events.map((e) => e.t),
      c.events.map((e) => e.t),
    );
  });

  test('rejects a bad length', () => {
    assert.throws(() => generateSession(new Rng(1), 0, cal), /nEvents must be an integer ≥ 1/);
    assert.throws(() => generateSession(new Rng(1), 2.5, cal), /nEvents/);
  });
});

describe('canary generator: statistics match the sample within the stated tolerances', () => {
  for (const seed of [42, 7, 2025]) {
    test(`120-session corpus, seed ${seed}`, () => {
      const corpus = syntheticCorpus(cal, 120, seed).map((c) => c.session);
      const rows = compareStats(sessionStats(real), sessionStats(corpus));
      assert.equal(rows.length, Object.keys(CALIBRATION_TOLERANCES).length);
      for (const r of rows) assert.ok(r.ok, `${r.measure}: ${r.value.toFixed(4)} > ${r.tolerance}`);
    });
  }

  test('the check catches a generator that ignores the kind mix', () => {
    const skewed: Calibration = {
      ...cal,
      firstKind: [1, 0, 0, 0, 0, 0, 0],
      kindTransition: cal.kindTransition.map((_, i) => (i % N_KINDS === 0 ? 1 : 0)),
    };
    const corpus = Array.from({ length: 30 }, (_, i) => generateSession(new Rng(i), 100, skewed));
    const rows = compareStats(sessionStats(real), sessionStats(corpus));
    assert.equal(rows.find((r) => r.statistic === 'kindShare')?.ok, false);
  });

  test('the check catches wrong inter-arrival times', () => {
    const slow: Calibration = { ...cal, gapQuantilesMs: cal.gapQuantilesMs.map((q) => q * 5) };
    const corpus = Array.from({ length: 30 }, (_, i) => generateSession(new Rng(i), 100, slow));
    const rows = compareStats(sessionStats(real), sessionStats(corpus));
    assert.equal(rows.find((r) => r.statistic === 'gapKs')?.ok, false);
  });
});

describe('canary generator: helpers', () => {
  test('empirical quantiles interpolate linearly', () => {
    assert.deepEqual(empiricalQuantiles([4, 1, 3, 2], 5), [1, 1.75, 2.5, 3.25, 4]);
    assert.throws(() => empiricalQuantiles([]), /no values/);
  });

  test('KS distance of hand-made samples', () => {
    const a = Float64Array.from([1, 2, 3, 4]);
    assert.equal(ksDistance(a, a), 0);
    assert.equal(ksDistance(a, Float64Array.from([5, 6, 7, 8])), 1);
    assert.equal(ksDistance(a, Float64Array.from([3, 4, 5, 6])), 0.5);
  });

  test('scale mix: the seed counts for 120, proportional otherwise, every category present', () => {
    assert.deepEqual(
      categoryCounts(120),
      SCALE_CATEGORIES.map((c) => c.seedCount),
    );
    assert.deepEqual(categoryCounts(4), [1, 1, 1, 1]);
    assert.deepEqual(categoryCounts(12), [4, 4, 3, 1]); // 4, 5, 2.5, 0.5 → remainder to the earlier tie, then XL takes one
    for (let n = 1; n <= 300; n++)
      assert.equal(
        categoryCounts(n).reduce((a, b) => a + b, 0),
        n,
      );
    assert.throws(() => categoryCounts(0), /integer ≥ 1/);
  });

  test('corpus sizes stay inside their category ranges and session i does not depend on the total', () => {
    const c = syntheticCorpus(cal, 12, 5);
    for (const x of c) {
      const cat = SCALE_CATEGORIES.find((k) => k.id === x.category)!;
      assert.ok(x.session.events.length >= cat.minEvents && x.session.events.length <= cat.maxEvents);
    }
    const bigger = syntheticCorpus(cal, 24, 5);
    assert.deepEqual(
      bigger[0].session.events.map((e) => e.t),
      c[0].session.events.map((e) => e.t),
    );
  });
});
