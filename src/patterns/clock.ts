/**
 * Wall-clock views of UTC instants in a session's zone (ET for the sample), for pattern time-of-day profiles,
 * example events and `similar` queries. Intl (ICU time-zone data) handles DST; one formatter per zone is cached
 * because constructing an Intl.DateTimeFormat costs far more than formatting with it.
 */
import { resolveZone } from '../session/time.js';

export interface WallClock {
  /** `HH:MM:SS`, 24-hour, in the zone. */
  clock: string;
  /** Hour of day 0..23 in the zone. */
  hour: number;
  /** Calendar date `YYYY-MM-DD` in the zone. */
  date: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  const iana = resolveZone(zone);
  let f = formatters.get(iana);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: iana,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(iana, f);
  }
  return f;
}

/** Wall clock of UTC epoch ms `t` in `zone` (an IANA name or the alias ET). Throws on a non-finite `t`. */
export function wallClock(t: number, zone: string): WallClock {
  if (!Number.isFinite(t)) throw new Error(`wallClock: t must be finite epoch ms, got ${t}`);
  const parts: Record<string, string> = {};
  for (const p of formatterFor(zone).formatToParts(new Date(t))) parts[p.type] = p.value;
  const hour = Number(parts.hour);
  return {
    clock: `${parts.hour}:${parts.minute}:${parts.second}`,
    hour,
    date: `${parts.year}-${parts.month}-${parts.day}`,
  };
}
