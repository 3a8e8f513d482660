/**
 * Timestamp parsing for bar files.
 *
 * Accepted forms:
 * - ISO 8601 / SQL style `YYYY-MM-DD[T ]HH:MM[:SS[.fff]]` with `Z` or `±HH[:]MM` — an absolute instant;
 * - the same without an offset — a wall-clock time in the reader's time zone (`--tz`);
 * - a bare date `YYYY-MM-DD` — midnight wall-clock in that zone (daily bars);
 * - an epoch number; its unit follows from its magnitude: < 1e11 seconds, < 1e14 milliseconds,
 *   < 1e17 microseconds, else nanoseconds (so 2001-09-09 onwards is read correctly in every unit).
 */
import type { ZoneClock } from './zone.js';

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?$/;
const EPOCH = /^-?\d+(?:\.\d+)?$/;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return MONTH_DAYS[month - 1];
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** UTC ms from an epoch number in s, ms, µs or ns (unit chosen by magnitude). */
export function epochToMs(x: number): number {
  const a = Math.abs(x);
  if (a < 1e11) return x * 1000;
  if (a < 1e14) return x;
  if (a < 1e17) return x / 1000;
  return x / 1e6;
}

/**
 * Returns a parser of timestamp text to UTC epoch ms (NaN when the text is not a timestamp).
 * Wall-clock times without an offset are read in `zone`.
 */
export function makeTimestampParser(zone: ZoneClock): (text: string) => number {
  return (text: string): number => {
    const s = text.trim();
    if (EPOCH.test(s)) return epochToMs(Number(s));
    const m = ISO.exec(s);
    if (!m) return NaN;
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    const hour = m[4] === undefined ? 0 : Number(m[4]);
    const minute = m[5] === undefined ? 0 : Number(m[5]);
    const second = m[6] === undefined ? 0 : Number(m[6]);
    const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000 + 1e-6);
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return NaN;
    // Date.UTC would roll 2025-02-30 over into March: reject dates that do not exist
    if (day > daysInMonth(year, month)) return NaN;
    const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
    const off = m[8];
    if (off === undefined) return zone.wallToUtc(wall);
    if (off === 'Z' || off === 'z' || off === 'UTC') return wall;
    const sign = off[0] === '-' ? -1 : 1;
    const digits = off.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    return wall - sign * (oh * 60 + om) * 60_000;
  };
}
