/**
 * Bars → EvalSeries: the session split of the calendar, the trading day of each session, and (unless asked not
 * to) the causal detector events. The bars must be validated (`validateBars`) — the store reads them that way.
 */
import {
  type Bars,
  DEFAULT_CALENDAR,
  detectEvents,
  type EventColumns,
  type SessionSegments,
  segmentSessions,
  type SessionWindow,
  ZoneClock,
} from '../detect/index.js';
import { tradingDays } from './days.js';
import type { EvalSeries } from './types.js';

export interface SeriesOptions {
  calendar?: readonly SessionWindow[];
  /** IANA zone of the calendar (default America/New_York). */
  tz?: string;
  /** Run the causal detectors (default true); false when only bar outcomes are needed (oracle, benches). */
  detect?: boolean;
  source?: string;
  /**
   * The session split and detector events already computed for these bars with the same calendar and zone
   * (`ingestBarSeries` → segments, events): used as given instead of splitting and detecting a second time.
   */
  detected?: { segments: SessionSegments; events: EventColumns };
}

export function evalSeriesFromBars(bars: Bars, opts: SeriesOptions = {}): EvalSeries {
  if (!(bars.timeframeMs > 0))
    throw new Error(`evaluate: ${opts.source ?? 'bars'}: timeframe unknown (validate the bars first)`);
  const zone = new ZoneClock(opts.tz ?? 'America/New_York');
  const segments = opts.detected?.segments ?? segmentSessions(bars, opts.calendar ?? DEFAULT_CALENDAR, zone);
  const startMinute = new Int32Array(segments.count);
  for (let s = 0; s < segments.count; s++) {
    const [h, m] = zone.clock(segments.windowStart[s]).split(':').map(Number);
    startMinute[s] = h * 60 + m;
  }
  const { dayOfSession, days } = tradingDays(segments, startMinute);
  const events =
    opts.detect === false
      ? null
      : (opts.detected?.events ?? detectEvents(bars, { sessions: segments }).events);
  return { bars, segments, dayOfSession, days, events, source: opts.source ?? 'bars' };
}

/** First index i in [0, n) with t[i] ≥ x (n when none); t sorted ascending. Binary search. */
export function firstAtOrAfter(t: ArrayLike<number>, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
