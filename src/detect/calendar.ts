/**
 * The session calendar: which wall-clock windows are trading sessions, and the split of a bar series into them.
 *
 * A window is `start`–`end` in `HH:MM` wall-clock time of the calendar's zone, `end` being the LAST minute in the
 * window (inclusive, as the session records write it: NY_AM 09:30–11:59 covers 09:30:00 ≤ time < 12:00:00).
 * A bar belongs to the session whose window holds its OPEN time. A window may cross midnight (start > end); its
 * session date is the date on which it starts. Windows must not overlap. Bars outside every window still feed
 * the detectors (a gap formed at 01:00 can be redelivered in LONDON) but belong to no session.
 */
import type { Bars } from './bars.js';
import { SESSION_TYPES, type SessionType } from '../session/index.js';
import type { ZoneClock } from './zone.js';

export interface SessionWindow {
  type: SessionType;
  /** `HH:MM`, first minute of the window. */
  start: string;
  /** `HH:MM`, last minute of the window (inclusive). */
  end: string;
}

/** The eight session types of the sample, US Eastern time. */
export const DEFAULT_CALENDAR: readonly SessionWindow[] = [
  { type: 'MIDNIGHT', start: '00:00', end: '00:29' },
  { type: 'LONDON', start: '02:00', end: '04:59' },
  { type: 'PREMARKET', start: '07:00', end: '09:29' },
  { type: 'NY_AM', start: '09:30', end: '11:59' },
  { type: 'LUNCH', start: '12:00', end: '12:59' },
  { type: 'NY_PM', start: '13:30', end: '16:09' },
  { type: 'PREASIA', start: '16:59', end: '18:15' },
  { type: 'ASIA', start: '19:00', end: '23:59' },
];

const HHMM = /^(\d{1,2}):(\d{2})$/;

function minuteOf(s: string, where: string): number {
  const m = HHMM.exec(String(s).trim());
  const h = m ? Number(m[1]) : NaN;
  const min = m ? Number(m[2]) : NaN;
  if (!m || h > 23 || min > 59) throw new Error(`calendar: ${where}: "${s}" is not a time HH:MM`);
  return h * 60 + min;
}

/**
 * Checks a calendar (from JSON: an array of {type, start, end}) and returns it typed. Errors name the entry and
 * field: unknown session type (must be one of the eight), bad HH:MM, a type listed twice, overlapping windows.
 */
export function parseCalendar(input: unknown): SessionWindow[] {
  if (!Array.isArray(input) || input.length === 0)
    throw new Error('calendar: expected a non-empty array of {type, start, end}');
  const out: SessionWindow[] = [];
  const owner = new Int16Array(1440).fill(-1);
  input.forEach((e: unknown, i: number) => {
    const w = e as Partial<Record<'type' | 'start' | 'end', unknown>>;
    if (typeof w !== 'object' || w === null)
      throw new Error(`calendar[${i}]: expected an object {type, start, end}`);
    const type = String(w.type ?? '').toUpperCase();
    if (!(SESSION_TYPES as readonly string[]).includes(type)) {
      throw new Error(
        `calendar[${i}].type: "${String(w.type)}" is not a session type (${SESSION_TYPES.join(', ')})`,
      );
    }
    if (out.some((x) => x.type === type)) throw new Error(`calendar[${i}].type: ${type} is listed twice`);
    const a = minuteOf(String(w.start), `calendar[${i}].start`);
    const b = minuteOf(String(w.end), `calendar[${i}].end`);
    for (let m = a; ; m = (m + 1) % 1440) {
      if (owner[m] >= 0)
        throw new Error(`calendar[${i}] (${type}) overlaps ${out[owner[m]].type} at minute ${m}`);
      owner[m] = i;
      if (m === b) break;
    }
    out.push({ type: type as SessionType, start: String(w.start).trim(), end: String(w.end).trim() });
  });
  return out;
}

/** The bars of each session, in time order. */
export interface SessionSegments {
  count: number;
  /** Session index of each bar, or -1 when the bar is outside every window. */
  sessionOfBar: Int32Array;
  /** First and last bar of each session (inclusive). */
  firstBar: Int32Array;
  lastBar: Int32Array;
  /** Window start and end (exclusive: the minute after `end`) of each session, UTC ms. */
  windowStart: Float64Array;
  windowEnd: Float64Array;
  type: SessionType[];
  /** `YYYY-MM-DD`, the wall-clock date the window starts on. */
  date: string[];
  /** `<TYPE>_<YYYY-MM-DD>`. */
  id: string[];
}

const DAY_MS = 86_400_000;

/**
 * Splits `bars` into sessions by `calendar` windows in `zone`. Pure; O(n) with one zone-offset lookup per bar
 * (cached per day). Sessions come out in time order, numbered 0…count-1.
 */
export function segmentSessions(
  bars: Bars,
  calendar: readonly SessionWindow[],
  zone: ZoneClock,
): SessionSegments {
  const windows = parseCalendar(calendar);
  const startMin = windows.map((w) => minuteOf(w.start, w.type));
  const endMin = windows.map((w) => minuteOf(w.end, w.type));
  // minute of day → window, and whether that minute belongs to the previous day's session (crossing midnight)
  const windowAt = new Int16Array(1440).fill(-1);
  const prevDay = new Uint8Array(1440);
  windows.forEach((_, wi) => {
    for (let m = startMin[wi]; ; m = (m + 1) % 1440) {
      windowAt[m] = wi;
      if (startMin[wi] > endMin[wi] && m < startMin[wi]) prevDay[m] = 1;
      if (m === endMin[wi]) break;
    }
  });

  const n = bars.n;
  const sessionOfBar = new Int32Array(n).fill(-1);
  const first: number[] = [];
  const last: number[] = [];
  const wStart: number[] = [];
  const wEnd: number[] = [];
  const type: SessionType[] = [];
  const date: string[] = [];
  const id: string[] = [];
  let curWindow = -1;
  let curDay = NaN;
  for (let i = 0; i < n; i++) {
    const local = zone.localMs(bars.t[i]);
    let day = Math.floor(local / DAY_MS);
    const minute = Math.floor((local - day * DAY_MS) / 60_000);
    const wi = windowAt[minute];
    if (wi < 0) continue;
    if (prevDay[minute]) day -= 1;
    if (wi !== curWindow || day !== curDay || first.length === 0) {
      curWindow = wi;
      curDay = day;
      const d = new Date(day * DAY_MS).toISOString().slice(0, 10);
      const startWall = day * DAY_MS + startMin[wi] * 60_000;
      let endWall = day * DAY_MS + (endMin[wi] + 1) * 60_000;
      if (endMin[wi] < startMin[wi]) endWall += DAY_MS;
      first.push(i);
      last.push(i);
      wStart.push(zone.wallToUtc(startWall));
      wEnd.push(zone.wallToUtc(endWall));
      type.push(windows[wi].type);
      date.push(d);
      id.push(`${windows[wi].type}_${d}`);
    }
    const s = first.length - 1;
    last[s] = i;
    sessionOfBar[i] = s;
  }
  return {
    count: first.length,
    sessionOfBar,
    firstBar: Int32Array.from(first),
    lastBar: Int32Array.from(last),
    windowStart: Float64Array.from(wStart),
    windowEnd: Float64Array.from(wEnd),
    type,
    date,
    id,
  };
}
