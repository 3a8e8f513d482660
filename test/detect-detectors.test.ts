// Each detector on hand-built bar sequences with known answers, plus heap-based trackers against brute force.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { wilderAtr } from '../src/detect/atr.js';
import { detectSwings } from '../src/detect/swings.js';
import { detectSwingSweeps } from '../src/detect/sweeps.js';
import { detectStructure } from '../src/detect/structure.js';
import { detectFvgs, DEFAULT_FVG_PARAMS } from '../src/detect/fvg.js';
import { detectPhases, DEFAULT_PHASE_PARAMS } from '../src/detect/phases.js';
import { detectSessionAnchors, detectSessionSweeps } from '../src/detect/session-levels.js';
import { segmentSessions } from '../src/detect/calendar.js';
import { generateBars } from '../src/synthetic/index.js';
import { LABEL, LABELS } from '../src/detect/events.js';
import { ZoneClock } from '../src/detect/zone.js';
import { Rng } from '../src/stats/random.js';
import { KIND } from '../src/session/types.js';
import type { Bars } from '../src/detect/bars.js';
import { brief, M5, mkBars, rows, T0 } from './detect-helpers.js';

// [high, low, close] (open = close). Swings with left = right = 1; see the comments for what each bar does.
const STRUCTURE_BARS = mkBars([
  [10, 8, 9], // 0
  [12, 9, 11], // 1 swing high 12 (confirmed at 2)
  [11, 9.5, 10], // 2
  [10.5, 7, 8], // 3 swing low 7 (confirmed at 4)
  [11, 7.5, 10.5], // 4
  [12.5, 10, 11.5], // 5 trades above 12, closes back below: sweep
  [13, 11, 12.5], // 6 closes above 12: BOS up; swing high 13 (confirmed at 7)
  [12.8, 10.8, 11], // 7
  [11, 6.5, 6.8], // 8 through 7 and closes below: low taken (broken), CHoCH down; swing low 6.5 (confirmed at 9)
  [8, 6.6, 7.5], // 9
]);

describe('detect: swings', () => {
  test('swing highs/lows are emitted `right` bars after the swing bar, at that bar close', () => {
    const b = mkBars([
      [1, 0, 0.5],
      [2, 1, 1.5],
      [5, 4, 4.5], // swing high (left 2 strictly lower, right 2 not higher)
      [3, 2, 2.5],
      [2, 1, 1.5], // swing low
      [4, 3, 3.5],
      [4, 3, 3.5], // equal high: the first of a flat top is the swing, this one is not
      [1, 0, 0.5],
    ]);
    const ev = detectSwings(b, { left: 2, right: 2 });
    assert.deepEqual(brief(ev), ['4:swing_high@5', '6:swing_low@1', '7:swing_high@4']);
    assert.deepEqual(Array.from(ev.originBar), [2, 4, 5]);
    for (let i = 0; i < ev.n; i++) {
      assert.equal(ev.t[i], b.t[ev.bar[i]] + M5, 'knowable at the close of the confirming bar');
      assert.equal(ev.t[i] - ev.originT[i], 3 * M5, 'delay = right bars after the swing bar’s own close');
      assert.equal(ev.kind[i], KIND.Reversal);
    }
  });

  test('left = right = 1 on the structure sequence', () => {
    const ev = detectSwings(STRUCTURE_BARS, { left: 1, right: 1 });
    assert.deepEqual(brief(ev), ['2:swing_high@12', '4:swing_low@7', '7:swing_high@13', '9:swing_low@6.5']);
  });

  test('bad parameters are rejected by name', () => {
    assert.throws(() => detectSwings(STRUCTURE_BARS, { left: 0, right: 1 }), /swing\.left/);
    assert.throws(() => detectSwings(STRUCTURE_BARS, { left: 1, right: 1.5 }), /swing\.right/);
  });
});

describe('detect: liquidity sweeps and structure', () => {
  const swings = detectSwings(STRUCTURE_BARS, { left: 1, right: 1 });

  test('a swing is taken once, at the first bar beyond it; swept vs broken by the close', () => {
    const ev = detectSwingSweeps(STRUCTURE_BARS, swings);
    assert.deepEqual(brief(ev), ['5:swing_high_swept@12', '8:swing_low_broken@7']);
    const r = rows(ev);
    assert.equal(r[0].level, 'swing_high');
    assert.equal(ev.levelRef[0], STRUCTURE_BARS.t[1], 'shares the level of the swing at bar 1');
    assert.equal(ev.levelRef[1], STRUCTURE_BARS.t[3]);
    assert.ok(r.every((x) => x.kind === KIND.LiquidityTaken));
  });

  test('BOS on the first close beyond the last swing high, CHoCH when the break goes against the trend', () => {
    const ev = detectStructure(STRUCTURE_BARS, swings);
    assert.deepEqual(brief(ev), ['6:bos_up@12', '8:choch_down@7']);
    assert.deepEqual(Array.from(ev.kind), [KIND.Expansion, KIND.Reversal]);
    assert.equal(ev.levelRef[0], STRUCTURE_BARS.t[1]);
  });

  test('a swing is not in play before the bar after its confirmation', () => {
    // bar 3 exceeds the swing high of bar 1, but that swing is only confirmed at the close of bar 3 (right = 2)
    const b = mkBars([
      [10, 9, 9.5],
      [12, 10, 11],
      [11.5, 10, 11],
      [11.9, 10, 11.8],
      [12.5, 11, 12.4],
    ]);
    const sw = detectSwings(b, { left: 1, right: 2 });
    assert.deepEqual(brief(sw), ['3:swing_high@12']);
    assert.deepEqual(brief(detectSwingSweeps(b, sw)), ['4:swing_high_broken@12']);
    assert.deepEqual(brief(detectStructure(b, sw)), ['4:bos_up@12']);
  });

  test('heap sweep tracker equals a brute-force scan on generated bars', () => {
    const b = generateBars(new Rng(11), 3000);
    const sw = detectSwings(b, { left: 2, right: 2 });
    const fast = brief(detectSwingSweeps(b, sw));
    const slow: { bar: number; s: string }[] = [];
    for (let s = 0; s < sw.n; s++) {
      const isHigh = sw.label[s] === LABEL.swing_high;
      const p = sw.price[s];
      for (let k = sw.bar[s] + 1; k < b.n; k++) {
        if (isHigh ? b.high[k] > p : b.low[k] < p) {
          const broken = isHigh ? b.close[k] > p : b.close[k] < p;
          slow.push({
            bar: k,
            s: `${k}:swing_${isHigh ? 'high' : 'low'}_${broken ? 'broken' : 'swept'}@${p}`,
          });
          break;
        }
      }
    }
    assert.ok(slow.length > 100);
    assert.deepEqual([...fast].sort(), slow.map((x) => x.s).sort());
  });
});

describe('detect: fair value gaps', () => {
  const b = mkBars([
    [10, 9, 9.5], // 0
    [13, 10, 12.5], // 1 displacement
    [14, 11.5, 13.5], // 2 bull FVG [10, 11.5]
    [15, 12, 14], // 3 no touch
    [14, 11, 11.5], // 4 redelivers the bull gap (low ≤ 11.5), no fill
    [12, 9.5, 10], // 5 fills it (low ≤ 10)
    [9, 8, 8.5], // 6 bear FVG [9, 11] over 4-5-6
    [8.5, 7, 7.5], // 7 bear FVG [8.5, 9.5] over 5-6-7
    [12, 8, 11.5], // 8 redelivers and fills both
  ]);

  test('formation at the third bar (origin = middle bar), redelivery and fill later', () => {
    const ev = detectFvgs(b);
    assert.deepEqual(brief(ev), [
      '2:fvg_bull@10.75',
      '4:fvg_bull_redelivered@11.5',
      '5:fvg_bull_filled@10',
      '6:fvg_bear@10',
      '7:fvg_bear@9',
      '8:fvg_bear_redelivered@8.5',
      '8:fvg_bear_redelivered@9',
      '8:fvg_bear_filled@9.5',
      '8:fvg_bear_filled@11',
    ]);
    const r = rows(ev);
    assert.equal(r[0].origin, 1);
    assert.equal(r[0].kind, KIND.Expansion);
    assert.equal(r[1].kind, KIND.Redelivery);
    assert.deepEqual([ev.zoneLow[0], ev.zoneHigh[0]], [10, 11.5]);
    assert.equal(ev.levelRef[1], ev.levelRef[0], 'the redelivery shares the gap’s level');
    assert.equal(ev.levelRef[2], ev.levelRef[0]);
  });

  test('minGap filters small gaps (strictly larger required)', () => {
    const ev = detectFvgs(b, { ...DEFAULT_FVG_PARAMS, minGap: 1.5 });
    assert.deepEqual(brief(ev), ['6:fvg_bear@10', '8:fvg_bear_redelivered@9', '8:fvg_bear_filled@11']);
  });

  test('no gap across missing bars unless contiguousOnly is off', () => {
    const times = [0, 1, 3, 4, 5, 6, 7, 8, 9].map((k) => T0 + k * M5); // bar 2 comes one bar late
    const g = mkBars(
      [...Array(9)].map((_, i) => [b.high[i], b.low[i], b.close[i]]),
      { times },
    );
    assert.ok(!brief(detectFvgs(g)).includes('2:fvg_bull@10.75'));
    assert.ok(
      brief(detectFvgs(g, { ...DEFAULT_FVG_PARAMS, contiguousOnly: false })).includes('2:fvg_bull@10.75'),
    );
  });

  test('heap gap tracker equals a brute-force scan on generated bars', () => {
    const g = generateBars(new Rng(5), 3000, { gapProb: 0.1 });
    const fast = brief(detectFvgs(g));
    const slow: string[] = [];
    for (let i = 2; i < g.n; i++) {
      let bull: boolean;
      let bottom: number;
      let top: number;
      if (g.low[i] > g.high[i - 2]) [bull, bottom, top] = [true, g.high[i - 2], g.low[i]];
      else if (g.high[i] < g.low[i - 2]) [bull, bottom, top] = [false, g.high[i], g.low[i - 2]];
      else continue;
      const d = bull ? 'bull' : 'bear';
      slow.push(`${i}:fvg_${d}@${(bottom + top) / 2}`);
      let redelivered = false;
      for (let k = i + 1; k < g.n; k++) {
        if (!redelivered && (bull ? g.low[k] <= top : g.high[k] >= bottom)) {
          redelivered = true;
          slow.push(`${k}:fvg_${d}_redelivered@${bull ? top : bottom}`);
        }
        if (redelivered && (bull ? g.low[k] <= bottom : g.high[k] >= top)) {
          slow.push(`${k}:fvg_${d}_filled@${bull ? bottom : top}`);
          break;
        }
      }
    }
    assert.ok(slow.length > 200);
    assert.deepEqual([...fast].sort(), slow.sort());
  });
});

describe('detect: ATR and phases', () => {
  test('Wilder ATR matches a hand computation', () => {
    const b = mkBars([
      [11, 9, 10],
      [12, 10, 11],
      [14, 11, 13],
      [13, 12, 12.5],
    ]);
    const atr = wilderAtr(b, 2);
    assert.ok(Number.isNaN(atr[0]));
    assert.equal(atr[1], (2 + 2) / 2); // TR1 = max(2, |12-10|, |10-10|) = 2
    assert.equal(atr[2], (2 * 1 + 3) / 2); // TR2 = max(3, 3, 0) = 3
    assert.equal(atr[3], (2.5 * 1 + 1) / 2); // TR3 = max(1, 0, 1) = 1
  });

  test('consolidation, expansion, retracement and reversal on a constructed path', () => {
    // ATR period 2, window 2: yardstick = ATR two bars back. Quiet bars have true range 1.
    const quiet = [
      [100.5, 99.5, 100, 100],
      [100.5, 99.5, 100, 100],
      [100.5, 99.5, 100, 100],
      [100.5, 99.5, 100, 100],
    ];
    const path = [
      ...quiet, // 0-3: ATR[1] is the first defined, so bar 3 is the first classified: range 1 ≤ 1.5·ATR → consolidation
      [103, 100, 102.8, 100], // 4: net over 3-4 = 102.8 − 100 = 2.8 ≥ 2·ATR(1) → expansion up, leg origin 99.5 (bar 3)
      [106, 102.8, 105.8, 102.8], // 5: still expansion (no new event)
      [106, 103, 103.2, 105.8], // 6: net 103.2 − 102.8 small; depth = (106 − 103.2)/(106 − 99.5) = 0.43 → none; range 3 > 1.5·ATR → none
      [104, 101.5, 102, 103.2], // 7: depth (106 − 102)/6.5 = 0.62 ≥ 0.5 → retracement of the up leg
      [102, 98, 98.5, 102], // 8: net 98.5 − 103.2 = −4.7 < 2·ATR[6] = 5.6: no expansion; close < origin 99.5 → reversal
    ];
    const b = mkBars(path);
    const ev = detectPhases(b, { ...DEFAULT_PHASE_PARAMS, atrPeriod: 2, window: 2 });
    // ATR (period 2): 1, 1, 1, 2, 2.6, 2.8 at bars 1…6
    const atr = Array.from(wilderAtr(b, 2).subarray(1, 7));
    [1, 1, 1, 2, 2.6, 2.8].forEach((x, i) =>
      assert.ok(Math.abs(atr[i] - x) < 1e-9, `ATR[${i + 1}] = ${atr[i]}, expected ${x}`),
    );
    assert.deepEqual(brief(ev), [
      '3:consolidation@100',
      '4:expansion:up@102.8',
      '7:retracement:up_leg@102',
      '8:reversal:up_leg@98.5',
    ]);
    const r = rows(ev);
    assert.equal(r[1].origin, 3, 'expansion origin = the leg’s low bar');
    assert.equal(r[2].origin, 5, 'retracement origin = the leg’s extreme bar');
    assert.equal(ev.levelRef[1], ev.levelRef[2], 'one leg, one level');
    assert.deepEqual(
      [r[0].kind, r[1].kind, r[2].kind],
      [KIND.Consolidation, KIND.Expansion, KIND.Retracement],
    );
  });

  test('reversal when price closes beyond the leg origin without an expansion', () => {
    const b = mkBars([
      [100.5, 99.5, 100, 100],
      [100.5, 99.5, 100, 100],
      [100.5, 99.5, 100, 100],
      [103, 100, 102.8, 100], // expansion up (leg origin 99.5 at bar 2)
      [103, 101, 101.5, 102.8],
      [102, 100.5, 101, 101.5], // retracement: depth (103 − 101)/3.5 = 0.57
      [101, 99, 99.2, 99.6], // net over 5-6 = 99.2 − 101.5 = −2.3 < 2·ATR; close < 99.5 → reversal
    ]);
    const ev = detectPhases(b, { ...DEFAULT_PHASE_PARAMS, atrPeriod: 2, window: 2 });
    const atr = wilderAtr(b, 2);
    assert.ok(2.3 < 2 * atr[4], `precondition: no expansion at bar 6 (2·ATR = ${2 * atr[4]})`);
    assert.deepEqual(brief(ev).slice(-3), [
      '3:expansion:up@102.8',
      '5:retracement:up_leg@101',
      '6:reversal:up_leg@99.2',
    ]);
    assert.equal(rows(ev).at(-1)!.kind, KIND.Reversal);
  });

  test('bad phase parameters are rejected by name', () => {
    const b = mkBars([[1, 0, 0.5]]);
    assert.throws(() => detectPhases(b, { ...DEFAULT_PHASE_PARAMS, window: 1 }), /phase\.window/);
    assert.throws(() => detectPhases(b, { ...DEFAULT_PHASE_PARAMS, retraceFrac: 0 }), /phase\.retraceFrac/);
  });
});

describe('detect: session anchors and previous-session sweeps', () => {
  const zone = new ZoneClock('UTC');
  const cal = [
    { type: 'LONDON' as const, start: '10:00', end: '10:14' },
    { type: 'NY_AM' as const, start: '10:15', end: '10:29' },
  ];
  const start = Date.UTC(2025, 6, 29, 10, 0);
  const b = mkBars(
    [
      [10, 9, 9.5], // 10:00 LONDON
      [11, 9.5, 10.5], // 10:05 LONDON high 11
      [10.5, 8, 8.5], // 10:10 LONDON low 8, close 8.5
      [10.8, 8.5, 10], // 10:15 NY_AM
      [11.5, 9, 10.9], // 10:20 above 11 and back: prev_session_high_swept
      [10, 7.5, 7.8], // 10:25 below 8 and closes below: prev_session_low_broken
      [9, 7, 8], // 10:30 outside every window
    ],
    { start },
  );
  const seg = segmentSessions(b, cal, zone);

  test('segments by window', () => {
    assert.deepEqual(Array.from(seg.sessionOfBar), [0, 0, 0, 1, 1, 1, -1]);
    assert.deepEqual(seg.id, ['LONDON_2025-07-29', 'NY_AM_2025-07-29']);
  });

  test('open at the first bar; high/low/close when the session is over', () => {
    const a = detectSessionAnchors(b, seg);
    assert.deepEqual(brief(a.opens), ['0:session_open@9.5', '3:session_open@10']);
    assert.deepEqual(brief(a.ends), [
      '2:session_high@11',
      '2:session_low@8',
      '2:session_close@8.5',
      '5:session_high@11.5',
      '5:session_low@7.5',
      '5:session_close@7.8',
    ]);
    assert.equal(a.ends.t[0], Date.UTC(2025, 6, 29, 10, 15));
    assert.deepEqual(Array.from(a.ends.originBar.subarray(0, 3)), [1, 2, 2]);
    assert.deepEqual(Array.from(a.incomplete), [0, 0]);
  });

  test('a session whose last bar is missing ends at its window end, emitted at the next bar', () => {
    const g = mkBars(
      [
        [10, 9, 9.5],
        [11, 9.5, 10.5],
        [10.8, 8.5, 10],
      ],
      { times: [start, start + M5, start + 3 * M5] },
    );
    const s = segmentSessions(g, cal, zone);
    const a = detectSessionAnchors(g, s);
    assert.deepEqual(brief(a.ends), ['2:session_high@11', '2:session_low@9', '2:session_close@10.5']);
    assert.equal(
      a.ends.t[0],
      Date.UTC(2025, 6, 29, 10, 15),
      't = the window end, not the emission bar close',
    );
    assert.deepEqual(Array.from(a.incomplete), [0, 1], 'NY_AM never ends in these bars');
  });

  test('sweeps of the previous session’s high and low', () => {
    const ev = detectSessionSweeps(b, seg);
    assert.deepEqual(brief(ev), ['4:prev_session_high_swept@11', '5:prev_session_low_broken@8']);
    assert.deepEqual(Array.from(ev.levelRef), [0, 0], 'level = session 0');
    assert.deepEqual(Array.from(ev.session), [1, 1]);
  });
});

test('detect: every label is reachable on generated bars', () => {
  const b: Bars = generateBars(new Rng(3), 5000, { gapProb: 0.05 });
  const zone = new ZoneClock('America/New_York');
  const seg = segmentSessions(
    b,
    [
      { type: 'NY_AM', start: '09:30', end: '11:59' },
      { type: 'ASIA', start: '19:00', end: '23:59' },
    ],
    zone,
  );
  const sw = detectSwings(b, { left: 2, right: 2 });
  const a = detectSessionAnchors(b, seg);
  const all = [
    sw,
    detectSwingSweeps(b, sw),
    detectStructure(b, sw),
    detectFvgs(b),
    detectPhases(b),
    a.opens,
    a.ends,
    detectSessionSweeps(b, seg),
  ];
  const seen = new Set<string>();
  for (const ev of all) for (let i = 0; i < ev.n; i++) seen.add(LABELS[ev.label[i]]);
  assert.deepEqual(
    LABELS.filter((l) => !seen.has(l)),
    [],
  );
});
