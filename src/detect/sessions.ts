/**
 * Bars → `Session` objects: split by the calendar, run the detectors over the whole series, and hand each
 * session the events that belong to it, as typed `SessionEvent`s with `source: 'bar_detector'`.
 *
 * Event fields: `t` = knowable time (UTC ms), `seq` = order within the session (sessions' events are sorted by
 * (t, seq)), `rule` = detector name, `label` = what it found, `clock` = HH:MM:SS of `t` in the session's zone,
 * `levelKey` = the level it touches (see `levelKey`), `raw` = the detector record (see `BarEventRaw`), which
 * keeps the origin time and the confirmation delay.
 */
import { type Bars, formatTimeframe } from './bars.js';
import { DEFAULT_CALENDAR, segmentSessions, type SessionSegments, type SessionWindow } from './calendar.js';
import { type DetectParams, detectEvents } from './detect.js';
import { DETECTORS, type EventColumns, LABELS, LEVEL_TYPES } from './events.js';
import { sessionEndT, sessionExtremes } from './session-levels.js';
import { ZoneClock } from './zone.js';
import type { EventKind, Session, SessionEvent } from '../session/index.js';

export interface BarsToSessionsOptions {
  /** Session windows (default: the eight sample sessions, in `tz`). */
  calendar?: readonly SessionWindow[];
  /** IANA zone of the calendar and of the events' clock (default America/New_York). */
  tz?: string;
  /** Instrument symbol recorded on each session (default "UNKNOWN"). */
  symbol?: string;
  /** Timeframe name recorded on each session (default: from bars.timeframeMs, e.g. "5m"). */
  timeframe?: string;
  /** Source path recorded on each session. */
  sourceFile?: string;
  /** Detector parameters (defaults: DEFAULT_DETECT_PARAMS). */
  params?: Partial<{ [K in keyof Omit<DetectParams, 'sessions'>]: Partial<DetectParams[K]> }>;
}

/** The `raw` record of a bar-detector event. */
export interface BarEventRaw {
  detector: string;
  label: string;
  /** Index of the emission bar (the bar at whose close the event became knowable) in the bar series. */
  bar: number;
  /** Bar index and time (UTC ms and ISO) of what the event describes: swing bar, FVG middle bar, phase start. */
  originBar: number;
  originT: number;
  originAt: string;
  /** Confirmation delay: emission bar − origin bar, and t − originT in ms. */
  delayBars: number;
  delayMs: number;
  price: number;
  /** Price zone concerned (FVG bounds, swept level and the bar's extreme, phase range); null when none. */
  zoneLow: number | null;
  zoneHigh: number | null;
  /** The level touched: its type (LEVEL_TYPES) and its origin time (UTC ms) or, for session levels, session id. */
  levelType: string;
  levelRef: number | string;
}

export interface BarSeriesIngest {
  sessions: Session[];
  segments: SessionSegments;
  events: EventColumns;
  /** Bars outside every calendar window (they feed the detectors but belong to no session). */
  outsideBars: number;
  /** Events emitted at bars outside every session (not in any Session). */
  outsideEvents: number;
}

/**
 * The level key of event i: `swing_high@2025-07-29T09:35:00`, `fvg_bull@…`, `leg@…`, `range@…` (wall-clock
 * origin time of the level in the session zone), `session_high:NY_AM_2025-07-29` for session levels, or "".
 */
export function levelKey(ev: EventColumns, i: number, seg: SessionSegments | null, zone: ZoneClock): string {
  const type = LEVEL_TYPES[ev.levelType[i]];
  if (type === 'none') return '';
  if (type.startsWith('session_')) return `${type}:${seg ? seg.id[ev.levelRef[i]] : ev.levelRef[i]}`;
  return `${type}@${zone.localIso(ev.levelRef[i])}`;
}

function rawOf(ev: EventColumns, i: number, seg: SessionSegments | null, zone: ZoneClock): BarEventRaw {
  const type = LEVEL_TYPES[ev.levelType[i]];
  const raw: BarEventRaw = {
    detector: DETECTORS[ev.detector[i]],
    label: LABELS[ev.label[i]],
    bar: ev.bar[i],
    originBar: ev.originBar[i],
    originT: ev.originT[i],
    originAt: zone.isoWithOffset(ev.originT[i]),
    delayBars: ev.bar[i] - ev.originBar[i],
    delayMs: ev.t[i] - ev.originT[i],
    price: ev.price[i],
    zoneLow: Number.isNaN(ev.zoneLow[i]) ? null : ev.zoneLow[i],
    zoneHigh: Number.isNaN(ev.zoneHigh[i]) ? null : ev.zoneHigh[i],
    levelType: type,
    levelRef:
      type === 'none' ? '' : type.startsWith('session_') && seg ? seg.id[ev.levelRef[i]] : ev.levelRef[i],
  };
  return raw;
}

/** Splits, detects and builds sessions; also returns the segments and raw event columns. */
export function ingestBarSeries(bars: Bars, opts: BarsToSessionsOptions = {}): BarSeriesIngest {
  const zone = new ZoneClock(opts.tz ?? 'America/New_York');
  const seg = segmentSessions(bars, opts.calendar ?? DEFAULT_CALENDAR, zone);
  const { events, incomplete } = detectEvents(bars, { ...opts.params, sessions: seg });
  const timeframe = opts.timeframe ?? formatTimeframe(bars.timeframeMs);
  const ex = sessionExtremes(bars, seg);
  const endT = sessionEndT(bars, seg);

  const perSession: SessionEvent[][] = Array.from({ length: seg.count }, () => []);
  let outsideEvents = 0;
  for (let i = 0; i < events.n; i++) {
    const s = events.session[i];
    if (s < 0) {
      outsideEvents++;
      continue;
    }
    const list = perSession[s];
    list.push({
      t: events.t[i],
      seq: list.length,
      price: events.price[i],
      kind: events.kind[i] as EventKind,
      source: 'bar_detector',
      rule: DETECTORS[events.detector[i]],
      label: LABELS[events.label[i]],
      levelKey: levelKey(events, i, seg, zone),
      clock: zone.clock(events.t[i]),
      raw: rawOf(events, i, seg, zone),
    });
  }

  const sessions: Session[] = [];
  for (let s = 0; s < seg.count; s++) {
    const f = seg.firstBar[s];
    const l = seg.lastBar[s];
    const warnings: string[] = [];
    const expected = Math.ceil((seg.windowEnd[s] - seg.windowStart[s]) / bars.timeframeMs);
    const have = l - f + 1;
    if (have < expected)
      warnings.push(`${expected - have} of ${expected} ${timeframe} bars missing in the session window`);
    if (incomplete[s]) {
      warnings.push(
        `bars end before the session does (${zone.isoWithOffset(endT[s])}): session_high/low/close anchors not emitted`,
      );
    }
    const list = perSession[s];
    // emission order is time order within a session; the stable sort only guards the invariant
    let sorted = true;
    for (let k = 1; k < list.length; k++) if (list[k].t < list[k - 1].t) sorted = false;
    if (!sorted) {
      list.sort((a, b) => a.t - b.t || a.seq - b.seq);
      list.forEach((e, k) => (e.seq = k));
    }
    sessions.push({
      id: seg.id[s],
      type: seg.type[s],
      date: seg.date[s],
      symbol: opts.symbol ?? 'UNKNOWN',
      timeframe,
      timezone: zone.name,
      sourceFile: opts.sourceFile ?? '',
      startT: seg.windowStart[s],
      endT: endT[s],
      open: bars.open[f],
      high: ex.high[s],
      low: ex.low[s],
      close: bars.close[l],
      events: list,
      warnings,
    });
  }
  let outsideBars = 0;
  for (let i = 0; i < bars.n; i++) if (seg.sessionOfBar[i] < 0) outsideBars++;
  return { sessions, segments: seg, events, outsideBars, outsideEvents };
}

/** `Session` objects, one per calendar session that has bars, with their detected events. */
export function barsToSessions(bars: Bars, opts: BarsToSessionsOptions = {}): Session[] {
  return ingestBarSeries(bars, opts).sessions;
}
