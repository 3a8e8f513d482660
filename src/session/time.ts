/**
 * Wall-clock → UTC conversion. Session records give a date (from the file name or metadata) and `HH:MM:SS`
 * in a named zone (ET = America/New_York). Luxon resolves the zone's DST rules from the ICU time-zone data.
 */
import { DateTime } from 'luxon';

const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Zone abbreviations used by session records, mapped to IANA names. Anything else must be an IANA name. */
const ZONE_ALIASES: Record<string, string> = { ET: 'America/New_York', EST: 'America/New_York', UTC: 'UTC' };

export function resolveZone(zone: string): string {
  const iana = ZONE_ALIASES[zone.toUpperCase()] ?? zone;
  if (!DateTime.now().setZone(iana).isValid) throw new Error(`unknown time zone "${zone}"`);
  return iana;
}

/** Parses `HH:MM[:SS]` into seconds since midnight, or returns null when it is not a valid clock time. */
export function parseClock(clock: string): number | null {
  const m = CLOCK.exec(clock.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  const s = m[3] === undefined ? 0 : Number(m[3]);
  if (h > 23 || min > 59 || s > 59) return null;
  return h * 3600 + min * 60 + s;
}

/**
 * UTC epoch ms of wall-clock `clock` on `date` (YYYY-MM-DD) in `zone`.
 * In a DST gap (e.g. 02:30 on the spring-forward day) luxon moves the time forward by the gap; in the repeated
 * hour of the fall-back day it takes the second (standard-time) occurrence. Throws on an invalid date or clock.
 */
export function wallClockToUtcMs(date: string, clock: string, zone: string): number {
  const d = ISO_DATE.exec(date);
  if (!d) throw new Error(`invalid date "${date}" (expected YYYY-MM-DD)`);
  const secs = parseClock(clock);
  if (secs === null) throw new Error(`invalid time "${clock}" (expected HH:MM:SS)`);
  const dt = DateTime.fromObject(
    {
      year: Number(d[1]),
      month: Number(d[2]),
      day: Number(d[3]),
      hour: Math.floor(secs / 3600),
      minute: Math.floor((secs % 3600) / 60),
      second: secs % 60,
    },
    { zone: resolveZone(zone) },
  );
  if (!dt.isValid)
    throw new Error(`invalid date/time "${date} ${clock}" in ${zone}: ${dt.invalidExplanation}`);
  return dt.toMillis();
}

/** Wall-clock `HH:MM:SS` of a UTC instant in `zone` (for display and bars). */
export function utcMsToClock(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone: resolveZone(zone) }).toFormat('HH:mm:ss');
}

/** Calendar date (YYYY-MM-DD) of a UTC instant in `zone`. */
export function utcMsToDate(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone: resolveZone(zone) }).toFormat('yyyy-MM-dd');
}
