import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wallClock } from '../src/patterns/clock.js';

/** Oracle: a fresh Intl formatting of every instant (no caching). */
function intlClock(t: number, zone: string): string {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

test('wallClock equals Intl minute by minute across both 2025 US DST transitions and in :30/:45 zones', () => {
  const spans: [string, number][] = [
    ['America/New_York', Date.UTC(2025, 2, 9, 5, 0)], // spring forward 02:00 EST → 03:00 EDT (07:00 UTC)
    ['America/New_York', Date.UTC(2025, 10, 2, 4, 0)], // fall back 02:00 EDT → 01:00 EST (06:00 UTC)
    ['Asia/Kolkata', Date.UTC(2025, 6, 29, 0, 0)],
    ['Asia/Kathmandu', Date.UTC(2025, 6, 29, 0, 0)],
    ['Australia/Lord_Howe', Date.UTC(2025, 3, 5, 13, 0)], // 30-minute DST shift (15:00 UTC)
  ];
  for (const [zone, from] of spans) {
    for (let t = from; t < from + 4 * 3_600_000; t += 60_000 + 7_000) {
      const w = wallClock(t, zone);
      assert.equal(`${w.date} ${w.clock}`, intlClock(t, zone), `${zone} at ${new Date(t).toISOString()}`);
      assert.equal(w.hour, Number(w.clock.slice(0, 2)));
    }
  }
  assert.equal(wallClock(Date.UTC(2025, 6, 29, 13, 30), 'ET').clock, '09:30:00');
  assert.throws(() => wallClock(NaN, 'ET'), /t must be finite/);
});
