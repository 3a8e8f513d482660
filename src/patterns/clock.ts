/**
 * Wall-clock views of UTC instants in a session's zone (ET for the sample), for pattern time-of-day profiles,
 * example events and `similar` queries. Intl (ICU time-zone data) handles DST; one formatter per zone is cached
 * because constructing an Intl.DateTimeFormat costs far more than formatting with it.
 */
import { resolveZone } from '../session/index.js';

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
  let f = formatters.get(zone); // keyed by the name as given: resolving a zone is itself costly
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: resolveZone(zone),
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, f);
  }
  return f;
}

// UTC offset (ms) per zone and quarter-hour bucket of UTC time. Zone offsets only change at transitions, and
// those fall on quarter hours of UTC time, so one Intl lookup per bucket serves every instant in it.
const BUCKET_MS = 900_000;
const MAX_CACHED_BUCKETS = 100_000;
const offsets = new Map<string, Map<number, number>>();

function offsetAt(bucketStart: number, zone: string): number {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(zone).formatToParts(new Date(bucketStart))) parts[p.type] = p.value;
  const local = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return local - bucketStart;
}

const pad2 = (v: number) => (v < 10 ? '0' : '') + v;

/** Wall clock of UTC epoch ms `t` in `zone` (an IANA name or the alias ET). Throws on a non-finite `t`. */
export function wallClock(t: number, zone: string): WallClock {
  if (!Number.isFinite(t)) throw new Error(`wallClock: t must be finite epoch ms, got ${t}`);
  let byBucket = offsets.get(zone);
  if (!byBucket) {
    byBucket = new Map();
    offsets.set(zone, byBucket);
  }
  const bucket = Math.floor(t / BUCKET_MS) * BUCKET_MS;
  let off = byBucket.get(bucket);
  if (off === undefined) {
    if (byBucket.size >= MAX_CACHED_BUCKETS) byBucket.clear();
    off = offsetAt(bucket, zone);
    byBucket.set(bucket, off);
  }
  const local = new Date(t + off);
  const hour = local.getUTCHours();
  return {
    clock: `${pad2(hour)}:${pad2(local.getUTCMinutes())}:${pad2(local.getUTCSeconds())}`,
    hour,
    date: `${local.getUTCFullYear()}-${pad2(local.getUTCMonth() + 1)}-${pad2(local.getUTCDate())}`,
  };
}
