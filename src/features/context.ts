/**
 * Per-session quantities shared by the node and edge features: the price each event is measured at, the
 * session's reference range, and local time of day.
 */
import type { Session } from '../session/index.js';

export interface SessionContext {
  n: number;
  /** Event times, UTC ms. */
  t: Float64Array;
  /**
   * Price used for features. An event without a usable price (≤ 0 or not finite: some liquidity records carry
   * none) takes the last usable price before it, else the first one after it, else the session open (else 0).
   */
  price: Float64Array;
  open: number;
  high: number;
  low: number;
  /** high − low, or 1 when the range is empty (all prices equal / unknown), so range units stay finite. */
  range: number;
  startT: number;
  /** endT − startT, or 1 when not positive. */
  duration: number;
  /** Seconds since local midnight in the session's time zone. */
  timeOfDay: Float64Array;
}

const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

function localSeconds(t: number, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  const m = CLOCK.exec(f.format(new Date(t)));
  if (!m) throw new Error(`cannot format ${t} in time zone ${timeZone}`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0);
}

/** Builds the feature context of a session; throws on a non-finite event time. */
export function sessionContext(session: Session): SessionContext {
  const ev = session.events;
  const n = ev.length;
  const t = new Float64Array(n);
  const price = new Float64Array(n);
  const timeOfDay = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(ev[i].t))
      throw new Error(`session ${session.id}: events[${i}].t is not finite (${ev[i].t})`);
    t[i] = ev[i].t;
    // The record's wall-clock time is authoritative (it is what the session was written in); Intl otherwise.
    const m = CLOCK.exec(ev[i].clock ?? '');
    timeOfDay[i] = m
      ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0)
      : localSeconds(ev[i].t, session.timezone || 'UTC');
  }

  const usable = (p: number) => Number.isFinite(p) && p > 0;
  let firstUsable = NaN;
  for (let i = 0; i < n; i++) {
    if (usable(ev[i].price)) {
      firstUsable = ev[i].price;
      break;
    }
  }
  const fallback = Number.isNaN(firstUsable) ? (usable(session.open) ? session.open : 0) : firstUsable;
  let last = fallback;
  let hiP = -Infinity;
  let loP = Infinity;
  for (let i = 0; i < n; i++) {
    if (usable(ev[i].price)) last = ev[i].price;
    price[i] = last;
    if (last > 0) {
      if (last > hiP) hiP = last;
      if (last < loP) loP = last;
    }
  }

  // Session high/low from the record when sane, widened to cover the events (some events fall outside).
  let high = usable(session.high) ? session.high : hiP;
  let low = usable(session.low) ? session.low : loP;
  if (hiP > high) high = hiP;
  if (loP < low) low = loP;
  if (!Number.isFinite(high) || !Number.isFinite(low)) {
    high = fallback;
    low = fallback;
  }
  const open = usable(session.open) ? session.open : fallback;
  const range = high > low ? high - low : 1;
  const duration = session.endT - session.startT > 0 ? session.endT - session.startT : 1;
  return { n, t, price, open, high, low, range, startT: session.startT, duration, timeOfDay };
}
