/**
 * Fast UTC ↔ wall-clock conversion for one IANA time zone.
 *
 * Bars come by the million, and luxon's per-instant offset lookup costs ~10 µs (it formats through Intl). Offsets
 * change only at DST transitions, so the offset is looked up once per UTC day (at the day's first and last
 * millisecond) and reused for the whole day when both agree; on the rare day with a transition it is looked up
 * per 15-minute bucket (every real-world transition falls on a quarter hour).
 */
import { IANAZone } from 'luxon';

const DAY_MS = 86_400_000;
const QUARTER_MS = 900_000;

/** Zone abbreviations accepted besides IANA names. */
const ZONE_ALIASES: Record<string, string> = { ET: 'America/New_York', UTC: 'UTC', Z: 'UTC', GMT: 'UTC' };

/** The IANA name for `tz` (an IANA name, or ET/UTC); throws `unknown time zone "…"` otherwise. */
export function resolveZoneName(tz: string): string {
  const name = ZONE_ALIASES[tz.trim().toUpperCase()] ?? tz.trim();
  if (!IANAZone.isValidZone(name)) {
    throw new Error(`unknown time zone "${tz}" (expected an IANA name such as America/New_York, or UTC)`);
  }
  return name;
}

/** `HH:MM:SS` per second of the day, shared by all zones (formatting cache, at most 86,400 entries). */
const CLOCK_TEXT = new Map<number, string>();

function pad2(x: number): string {
  return x < 10 ? `0${x}` : String(x);
}

/**
 * `HH:MM:SS` of a second of the day (0 … 86,399), from a dense table filled on first use: the session builder
 * asks once per event (~1.5 per bar), and an array read costs a fraction of a Map lookup.
 */
const CLOCK_OF_SECOND: string[] = new Array<string>(86_400).fill('');
export function clockOfSecond(secOfDay: number): string {
  const s = CLOCK_OF_SECOND[secOfDay];
  if (s !== '' && s !== undefined) return s;
  // a NaN second (from a NaN time) is not in the table: written as ZoneClock.clock writes it, not kept
  const made = `${pad2(Math.floor(secOfDay / 3600))}:${pad2(Math.floor((secOfDay % 3600) / 60))}:${pad2(secOfDay % 60)}`;
  if (s === '') CLOCK_OF_SECOND[secOfDay] = made;
  return made;
}

/** `±HH:MM` of an offset in ms, as `ZoneClock.isoWithOffset` writes it. */
export function offsetSuffix(offsetMs: number): string {
  const off = Math.round(offsetMs / 60_000);
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${sign}${pad2(Math.floor(a / 60))}:${pad2(a % 60)}`;
}

/**
 * Offsets looked up so far, per IANA zone name (see `ZoneClock.offsetMs`). A zone's offset at an instant is
 * fixed for the life of the process (luxon reads the runtime's tz data), so the cache is shared.
 */
const OFFSETS = new Map<string, { day: Map<number, number>; quarter: Map<number, number> }>();

/** Converts between UTC epoch ms and wall-clock time in one zone, with cached offsets. */
export class ZoneClock {
  readonly name: string;
  private readonly zone: IANAZone;
  /** UTC day number → offset in ms for the whole day, or NaN when the day holds a transition. */
  private readonly dayOffset: Map<number, number>;
  private readonly quarterOffset: Map<number, number>;
  /** `YYYY-MM-DD` per local day number (formatting cache). */
  private readonly dateText = new Map<number, string>();

  constructor(tz: string) {
    this.name = resolveZoneName(tz);
    this.zone = IANAZone.create(this.name);
    // shared by every clock of the zone: a bar file's calendar split and its session builder each make one,
    // and the builder's ~2 luxon lookups per day (~10 µs each) cost 4% of its time when it looked them up again
    let known = OFFSETS.get(this.name);
    if (!known) OFFSETS.set(this.name, (known = { day: new Map(), quarter: new Map() }));
    this.dayOffset = known.day;
    this.quarterOffset = known.quarter;
  }

  /** Offset of the zone from UTC (ms, local − UTC) at instant `utcMs`. */
  offsetMs(utcMs: number): number {
    const day = Math.floor(utcMs / DAY_MS);
    let off = this.dayOffset.get(day);
    if (off === undefined) {
      const a = this.zone.offset(day * DAY_MS) * 60_000;
      const b = this.zone.offset(day * DAY_MS + DAY_MS - 1) * 60_000;
      off = a === b ? a : NaN;
      this.dayOffset.set(day, off);
    }
    if (!Number.isNaN(off)) return off;
    const q = Math.floor(utcMs / QUARTER_MS);
    let qo = this.quarterOffset.get(q);
    if (qo === undefined) {
      qo = this.zone.offset(q * QUARTER_MS) * 60_000;
      this.quarterOffset.set(q, qo);
    }
    return qo;
  }

  /**
   * Length of the span of UTC time around `utcMs` over which `offsetMs` is one value: the UTC day
   * (`DAY_MS`), or on a day with a transition the quarter hour (`QUARTER_MS`); the span starts at
   * `Math.floor(utcMs / length) * length`. Lets a caller that walks times in order reuse one offset.
   */
  offsetSpanMs(utcMs: number): number {
    this.offsetMs(utcMs); // fills the day's entry
    return Number.isNaN(this.dayOffset.get(Math.floor(utcMs / DAY_MS))) ? QUARTER_MS : DAY_MS;
  }

  /** Wall-clock time of `utcMs`, expressed as ms since 1970-01-01T00:00 wall time (i.e. UTC ms + offset). */
  localMs(utcMs: number): number {
    return utcMs + this.offsetMs(utcMs);
  }

  /**
   * UTC ms of a wall-clock time given as "wall ms" (the wall time read as if it were UTC).
   * In a DST gap (a wall time that does not exist) the pre-transition offset is used, which moves the time
   * forward by the gap (02:30 on the spring-forward day becomes 03:30 daylight time). In the repeated hour of
   * the fall-back day the first (daylight) occurrence is taken.
   */
  wallToUtc(wallMs: number): number {
    const first = wallMs - this.offsetMs(wallMs);
    const o2 = this.offsetMs(first);
    const second = wallMs - o2;
    if (this.offsetMs(second) === o2) return second;
    return first;
  }

  /** `HH:MM:SS` wall clock of `utcMs`. */
  clock(utcMs: number): string {
    const local = this.localMs(utcMs);
    const secOfDay = Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / 1000);
    let s = CLOCK_TEXT.get(secOfDay);
    if (s === undefined) {
      s = `${pad2(Math.floor(secOfDay / 3600))}:${pad2(Math.floor((secOfDay % 3600) / 60))}:${pad2(secOfDay % 60)}`;
      CLOCK_TEXT.set(secOfDay, s);
    }
    return s;
  }

  /** `YYYY-MM-DD` wall-clock date of `utcMs`. */
  date(utcMs: number): string {
    const day = Math.floor(this.localMs(utcMs) / DAY_MS);
    let s = this.dateText.get(day);
    if (s === undefined) {
      s = new Date(day * DAY_MS).toISOString().slice(0, 10);
      this.dateText.set(day, s);
    }
    return s;
  }

  /** `YYYY-MM-DDTHH:MM:SS` wall-clock time of `utcMs` (no offset), for readable keys. */
  localIso(utcMs: number): string {
    return `${this.date(utcMs)}T${this.clock(utcMs)}`;
  }

  /** ISO 8601 with the zone's offset, e.g. `2025-07-29T09:30:00-04:00`. */
  isoWithOffset(utcMs: number): string {
    const off = Math.round(this.offsetMs(utcMs) / 60_000);
    const sign = off < 0 ? '-' : '+';
    const a = Math.abs(off);
    return `${this.localIso(utcMs)}${sign}${pad2(Math.floor(a / 60))}:${pad2(a % 60)}`;
  }
}

/**
 * Wall-clock text of UTC times in one zone for a caller that asks mostly in time order (the session builder):
 * the offset of the last span asked (see `offsetSpanMs`) and the date of the last local day are kept, so a
 * time in the same span costs no Map lookup and the text is two or three string joins. Same text as the
 * `ZoneClock` methods named below.
 */
export class WallText {
  private lo = 1;
  private hi = 0;
  private off = 0;
  private day = NaN;
  private dayT = '';
  private suffixOff = NaN;
  private suffixText = '';
  constructor(private readonly zone: ZoneClock) {}

  /** `zone.offsetMs(utcMs)`. */
  offsetMs(utcMs: number): number {
    if (utcMs >= this.lo && utcMs < this.hi) return this.off;
    const off = this.zone.offsetMs(utcMs);
    const len = this.zone.offsetSpanMs(utcMs);
    this.lo = Math.floor(utcMs / len) * len;
    this.hi = this.lo + len;
    this.off = off;
    return off;
  }

  /** `zone.clock(utcMs)`. */
  clock(utcMs: number): string {
    const local = utcMs + this.offsetMs(utcMs);
    return clockOfSecond(Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / 1000));
  }

  /** `zone.localIso(utcMs)`. */
  localIso(utcMs: number): string {
    const local = utcMs + this.offsetMs(utcMs);
    const day = Math.floor(local / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.dayT = `${new Date(day * DAY_MS).toISOString().slice(0, 10)}T`;
    }
    return this.dayT + clockOfSecond(Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / 1000));
  }

  /** `zone.isoWithOffset(utcMs)`. */
  isoWithOffset(utcMs: number): string {
    return this.localIso(utcMs) + this.suffix(utcMs);
  }

  /** The `±HH:MM` that `zone.isoWithOffset(utcMs)` ends with. */
  suffix(utcMs: number): string {
    const off = this.offsetMs(utcMs);
    if (off !== this.suffixOff) {
      this.suffixOff = off;
      this.suffixText = offsetSuffix(off);
    }
    return this.suffixText;
  }
}
