/**
 * Session-clock axes without time-zone data: the zone offset of a session is recovered from its own events
 * (wall clock `HH:MM[:SS]` versus UTC ms), so axis labels show the session's wall clock on any machine and
 * independent of the process TZ (ECharts' time axis would format in the process's local zone).
 */

const DAY = 86_400_000;

/** Milliseconds since midnight of a `HH:MM[:SS]` wall clock, or null when the text is not such a clock. */
export function clockMs(clock: string): number | null {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(clock);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  const s = m[3] === undefined ? 0 : Number(m[3]);
  if (h > 23 || min > 59 || s > 59) return null;
  return ((h * 60 + min) * 60 + s) * 1000;
}

/**
 * Offset (ms, in (−12 h, +14 h]) from UTC to the wall clock, from the first event with a parseable clock;
 * 0 (UTC) when none. Whole-minute precision suffices: clocks may be truncated to minutes.
 */
export function clockOffsetMs(events: readonly { t: number; clock: string }[]): number | null {
  for (const e of events) {
    const local = clockMs(e.clock);
    if (local === null) continue;
    const utcInDay = ((e.t % DAY) + DAY) % DAY;
    let off = local - utcInDay;
    off = Math.round(off / 60_000) * 60_000;
    while (off <= -12 * 3_600_000) off += DAY;
    while (off > 14 * 3_600_000) off -= DAY;
    // Clocks truncated to the minute give offsets like +59 s off the true one; snap to quarter hours.
    return Math.round(off / 900_000) * 900_000;
  }
  return null;
}

/** Session clock axis: event time → minutes since the local midnight of the first event. */
export interface ClockAxis {
  /** UTC ms → axis minutes. */
  toMinutes(t: number): number;
  /** Axis minutes → `HH:MM` (wraps past midnight). */
  label(minutes: number): string;
  /** Tick step in minutes and the rounded axis range. */
  step: number;
  min: number;
  max: number;
  /** True when the offset came from the events' clocks (else the axis is UTC). */
  fromClock: boolean;
}

const STEPS = [5, 10, 15, 30, 60, 120, 180, 240, 360];

/** A clock axis covering UTC times `tMin..tMax` with about 6–12 ticks. */
export function clockAxis(offset: number | null, tMin: number, tMax: number): ClockAxis {
  const off = offset ?? 0;
  const day0 = Math.floor((tMin + off) / DAY) * DAY;
  const toMinutes = (t: number): number => (t + off - day0) / 60_000;
  const lo = toMinutes(tMin);
  const hi = Math.max(toMinutes(tMax), lo + 1);
  const span = hi - lo;
  const step = STEPS.find((s) => span / s <= 12) ?? 720;
  const min = Math.floor(lo / step) * step;
  const max = Math.ceil(hi / step) * step;
  const label = (minutes: number): string => {
    const m = ((Math.round(minutes) % 1440) + 1440) % 1440;
    return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  };
  return { toMinutes, label, step, min, max: max === min ? min + step : max, fromClock: offset !== null };
}
