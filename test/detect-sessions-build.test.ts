// The session builder (detect/sessions.ts buildBarSessions: interned strings, presized arrays) against the
// per-event builder it replaced (sessions-reference.ts): the same Session objects, byte for byte as JSON, on
// the bundled bar sample and on generated one-minute bars across both DST switches — the whole read path
// included (streaming CSV reader vs the text reader).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Bars } from '../src/detect/bars.js';
import { DEFAULT_CALENDAR, segmentSessions } from '../src/detect/calendar.js';
import { detectEvents } from '../src/detect/detect.js';
import { buildBarSessions, ingestBarSeries } from '../src/detect/sessions.js';
import { buildBarSessionsReference } from '../src/detect/sessions-reference.js';
import { validateBars } from '../src/detect/validate.js';
import { WallText, ZoneClock } from '../src/detect/zone.js';
import { barsToCsv } from '../src/store/record-bars.js';
import { parseBarsCsvBytes } from '../src/store/bars-csv.js';
import { parseBarsCsvReference } from '../src/store/bars-csv-reference.js';
import { generateBars } from '../src/synthetic/index.js';
import { Rng } from '../src/stats/random.js';

const NY = 'America/New_York';
const SAMPLE_CSV = 'data/sample/bars/nq_m5_from_records.csv';

/** Sessions of `bars` from both builders, as JSON (all fields, key order included). */
function bothBuilders(
  bars: Bars,
  opts: { symbol: string; sourceFile: string; tz?: string } = { symbol: 'NQ', sourceFile: 'bars.csv' },
): [string, string] {
  const zone = new ZoneClock(opts.tz ?? NY);
  const seg = segmentSessions(bars, DEFAULT_CALENDAR, zone);
  const { events, incomplete } = detectEvents(bars, { sessions: seg });
  const got = buildBarSessions(bars, seg, events, incomplete, opts);
  const want = buildBarSessionsReference(bars, seg, events, incomplete, opts);
  assert.equal(got.outsideBars, want.outsideBars);
  assert.equal(got.outsideEvents, want.outsideEvents);
  assert.ok(got.sessions.length > 0, 'some sessions');
  return [JSON.stringify(got.sessions), JSON.stringify(want.sessions)];
}

/** The new read + build path and the previous one, from the same CSV text. */
function bothPaths(csv: string): [string, string] {
  const fresh = validateBars(parseBarsCsvBytes(Buffer.from(csv)).bars).bars;
  const old = validateBars(parseBarsCsvReference(csv).bars).bars;
  const got = ingestBarSeries(fresh, { symbol: 'NQ' }).sessions;
  const zone = new ZoneClock(NY);
  const seg = segmentSessions(old, DEFAULT_CALENDAR, zone);
  const { events, incomplete } = detectEvents(old, { sessions: seg });
  const want = buildBarSessionsReference(old, seg, events, incomplete, { symbol: 'NQ' }).sessions;
  return [JSON.stringify(got), JSON.stringify(want)];
}

describe('detect: session builder vs the per-event reference builder', () => {
  test('the bundled bar sample: identical sessions, from CSV to Session objects', async () => {
    const csv = await readFile(SAMPLE_CSV, 'utf8');
    const [got, want] = bothPaths(csv);
    assert.equal(got, want);
    const [g2, w2] = bothBuilders(validateBars(parseBarsCsvReference(csv).bars).bars);
    assert.equal(g2, w2);
  });

  test('generated one-minute bars over both DST switches: identical sessions', () => {
    const zone = new ZoneClock(NY);
    for (const [seed, start] of [
      [31, Date.UTC(2025, 2, 6, 5, 0)], // Thu 6 March EST → spring forward on Sun 9 March
      [32, Date.UTC(2025, 9, 30, 4, 0)], // Thu 30 October EDT → fall back on Sun 2 November
    ]) {
      const bars = generateBars(new Rng(seed), 6 * 1440, { start, timeframeMs: 60_000 });
      const [got, want] = bothBuilders(bars);
      assert.equal(got, want);
      // and through CSV text with the ET offset (as recorded bars are written)
      const [g2, w2] = bothPaths(barsToCsv(bars, zone));
      assert.equal(g2, w2);
    }
  });

  test('generated five-minute bars with gaps (missing bars, incomplete last session): identical sessions', () => {
    const bars = generateBars(new Rng(33), 20_000);
    // drop every 17th bar and stop mid-session, so "bars missing" and "bars end before" warnings appear
    const keep: number[] = [];
    for (let i = 0; i < bars.n - 7; i++) if (i % 17 !== 5) keep.push(i);
    const cut: Bars = {
      n: keep.length,
      t: Float64Array.from(keep, (i) => bars.t[i]),
      open: Float64Array.from(keep, (i) => bars.open[i]),
      high: Float64Array.from(keep, (i) => bars.high[i]),
      low: Float64Array.from(keep, (i) => bars.low[i]),
      close: Float64Array.from(keep, (i) => bars.close[i]),
      volume: Float64Array.from(keep, (i) => bars.volume[i]),
      timeframeMs: bars.timeframeMs,
      row: Int32Array.from(keep, (_, k) => k + 1),
    };
    const [got, want] = bothBuilders(cut);
    assert.equal(got, want);
    assert.match(got, /bars missing in the session window/);
  });
});

describe("detect: WallText (the builder's clock) against ZoneClock", () => {
  test('same clock, local ISO and ISO with offset for times asked out of order, across transitions', () => {
    // zones with hour, half-hour and 45-minute offsets, and Lord Howe's 30-minute DST shift
    for (const tz of [NY, 'Europe/London', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'UTC']) {
      const zone = new ZoneClock(tz);
      const wall = new WallText(zone);
      const rng = new Rng(7);
      // a walk forward in 5-minute steps (as events come) with looks back of up to 5 days (origin and level
      // times) and odd milliseconds, over a year so that every transition of the zone is crossed
      let n = 0;
      for (let base = Date.UTC(2025, 0, 1); base < Date.UTC(2026, 0, 1); base += 300_000) {
        const u = rng.float();
        const at =
          u < 0.9
            ? base
            : u < 0.95
              ? base - Math.floor(rng.float() * 5 * 86_400_000)
              : base + Math.floor(rng.float() * 1000) * 37;
        const w = [wall.clock(at), wall.localIso(at), wall.isoWithOffset(at), wall.offsetMs(at)];
        const z = [zone.clock(at), zone.localIso(at), zone.isoWithOffset(at), zone.offsetMs(at)];
        if (w.some((x, k) => x !== z[k])) assert.deepEqual(w, z, `${tz} at ${at}`);
        n++;
      }
      assert.equal(n, 365 * 288);
    }
  });

  test('the builders agree in other zones, over their DST switches (Lord Howe: 30 minutes)', () => {
    for (const [tz, seed, start] of [
      ['Australia/Lord_Howe', 41, Date.UTC(2025, 3, 3, 12, 0)], // DST ends Sun 6 April 2025, 02:00 local
      ['Europe/London', 42, Date.UTC(2025, 2, 27, 0, 0)], // BST starts Sun 30 March 2025
      ['Asia/Kathmandu', 43, Date.UTC(2025, 6, 1, 0, 0)], // +05:45, no DST
    ] as const) {
      const bars = generateBars(new Rng(seed), 5 * 1440, { start, timeframeMs: 60_000 });
      const [got, want] = bothBuilders(bars, { symbol: 'NQ', sourceFile: 'bars.csv', tz });
      assert.equal(got, want, tz);
      assert.match(got, tz === 'Asia/Kathmandu' ? /\+05:45"/ : /"originAt"/);
    }
  });
});
