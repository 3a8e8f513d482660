/**
 * Trading days: the futures trading day starts at 18:00 New York time, so a session whose window starts at or
 * after 18:00 wall clock belongs to the next calendar day's trading day (ASIA 19:00 → tomorrow). Days are the
 * clustering unit of every CI and the step of the walk-forward.
 */
import type { SessionSegments } from '../detect/index.js';

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` + n days (UTC calendar arithmetic on the date string). */
export function addDays(date: string, n: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (!Number.isFinite(ms)) throw new Error(`addDays: "${date}" is not a date YYYY-MM-DD`);
  return new Date(ms + n * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Trading day of each session. `startClock[s]` is the wall-clock minute of day of the session's window start
 * (in the calendar's zone); `rollMinute` the minute from which a session belongs to the next day (default 18:00).
 */
export function tradingDays(
  seg: Pick<SessionSegments, 'count' | 'date'>,
  startMinute: ArrayLike<number>,
  rollMinute = 18 * 60,
): { dayOfSession: Int32Array; days: string[] } {
  const keys: string[] = [];
  for (let s = 0; s < seg.count; s++)
    keys.push(startMinute[s] >= rollMinute ? addDays(seg.date[s], 1) : seg.date[s]);
  const days = [...new Set(keys)].sort();
  const index = new Map(days.map((d, i) => [d, i]));
  return { dayOfSession: Int32Array.from(keys, (k) => index.get(k)!), days };
}
