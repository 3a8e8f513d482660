// Causality: detecting on bars[0..m] gives exactly the events of the full series whose knowable time is ≤ the
// close of bar m — for every m — and the checker catches a detector that looks ahead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { type Bars, sliceBars } from '../src/detect/bars.js';
import { DEFAULT_CALENDAR, segmentSessions } from '../src/detect/calendar.js';
import { detectEvents } from '../src/detect/detect.js';
import {
  DETECTOR,
  EVENT_COLUMN_NAMES,
  EventBuffer,
  type EventColumns,
  LABEL,
  LEVEL,
} from '../src/detect/events.js';
import { generateBars } from '../src/synthetic/index.js';
import { parseBarsCsv } from '../src/store/bars.js';
import { validateBars } from '../src/detect/validate.js';
import { ZoneClock } from '../src/detect/zone.js';
import { Rng } from '../src/stats/random.js';
import { KIND } from '../src/session/types.js';

const zone = new ZoneClock('America/New_York');

function detectWithSessions(b: Bars): EventColumns {
  return detectEvents(b, { sessions: segmentSessions(b, DEFAULT_CALENDAR, zone) }).events;
}

function eventKey(ev: EventColumns, i: number): string {
  return EVENT_COLUMN_NAMES.map((c) => String(ev[c][i])).join('|');
}

/**
 * For every prefix bars[0..m], compares detect(prefix) with the full run's events having t ≤ close(m), in order.
 * Returns the first mismatch (or null) and how many events were compared in total.
 */
function checkCausality(
  bars: Bars,
  detect: (b: Bars) => EventColumns,
): { mismatch: string | null; compared: number } {
  const full = detect(bars);
  const keys = Array.from({ length: full.n }, (_, i) => eventKey(full, i));
  let compared = 0;
  for (let m = 0; m < bars.n; m++) {
    const horizon = bars.t[m] + bars.timeframeMs;
    const expected = keys.filter((_, i) => full.t[i] <= horizon);
    const part = detect(sliceBars(bars, 0, m + 1));
    const got = Array.from({ length: part.n }, (_, i) => eventKey(part, i));
    compared += got.length;
    if (got.length !== expected.length || got.some((k, i) => k !== expected[i])) {
      const at = got.findIndex((k, i) => k !== expected[i]);
      return {
        mismatch: `prefix ending at bar ${m}: ${got.length} events vs ${expected.length} expected; first difference at ${at}: ${got[at]} vs ${expected[at]}`,
        compared,
      };
    }
  }
  return { mismatch: null, compared };
}

test('causality: every prefix of 5-minute generated bars (3 days, all detectors, sessions)', () => {
  const bars = generateBars(new Rng(2024), 3 * 288, { gapProb: 0.05 });
  const { mismatch, compared } = checkCausality(bars, detectWithSessions);
  assert.equal(mismatch, null);
  assert.ok(compared > 50_000, `compared ${compared} events`);
});

test('causality: hourly bars (bars that close after their session window ends)', () => {
  const bars = generateBars(new Rng(9), 24 * 10, { timeframeMs: 3_600_000, sigma: 25 });
  const { mismatch } = checkCausality(bars, detectWithSessions);
  assert.equal(mismatch, null);
});

test('causality: the sparse real sample (data gaps, sessions ending without a last bar)', () => {
  const text = readFileSync('data/sample/bars/nq_m5_from_records.csv', 'utf8');
  const { bars } = validateBars(parseBarsCsv(text, { tz: 'America/New_York' }).bars);
  const { mismatch, compared } = checkCausality(bars, detectWithSessions);
  assert.equal(mismatch, null);
  assert.ok(compared > 10_000);
});

test('causality: every event is stamped no earlier than the close of its emission bar’s origin, and sorted', () => {
  const bars = generateBars(new Rng(77), 2000);
  const ev = detectWithSessions(bars);
  for (let i = 0; i < ev.n; i++) {
    assert.ok(ev.t[i] >= ev.originT[i], `event ${i} is stamped before its origin`);
    assert.ok(
      ev.t[i] <= bars.t[ev.bar[i]] + bars.timeframeMs,
      `event ${i} is stamped after its emission bar closed`,
    );
    if (i > 0) assert.ok(ev.bar[i] >= ev.bar[i - 1], 'events are in emission order');
  }
});

test('causality: the checker catches a centred-window swing detector (look-ahead)', () => {
  // The popular library's convention: a swing at bar j is reported at bar j itself, using bars j+1…j+2.
  const centred = (b: Bars): EventColumns => {
    const out = new EventBuffer();
    for (let j = 2; j < b.n; j++) {
      let isHigh = true;
      for (let q = 1; q <= 2; q++) {
        if (!(b.high[j] > b.high[j - q])) isHigh = false;
        if (j + q < b.n && !(b.high[j] >= b.high[j + q])) isHigh = false;
      }
      if (isHigh) {
        const t = b.t[j] + b.timeframeMs;
        out.push(
          j,
          t,
          j,
          b.t[j],
          b.high[j],
          KIND.Reversal,
          DETECTOR.swing,
          LABEL.swing_high,
          LEVEL.swing_high,
          b.t[j],
        );
      }
    }
    return out.finish();
  };
  const bars = generateBars(new Rng(1), 300);
  assert.match(checkCausality(bars, centred).mismatch ?? '', /prefix ending at bar/);
});
