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
import { WallText, ZoneClock } from './zone.js';
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

/** Splits, detects and builds sessions; also returns the segments and raw event columns. */
export function ingestBarSeries(bars: Bars, opts: BarsToSessionsOptions = {}): BarSeriesIngest {
  const zone = new ZoneClock(opts.tz ?? 'America/New_York');
  const seg = segmentSessions(bars, opts.calendar ?? DEFAULT_CALENDAR, zone);
  const { events, incomplete } = detectEvents(bars, { ...opts.params, sessions: seg });
  return buildBarSessions(bars, seg, events, incomplete, opts);
}

/** What the session builder needs besides the bars: the calendar split and the detector output. */
export type BuildBarSessions = (
  bars: Bars,
  seg: SessionSegments,
  events: EventColumns,
  incomplete: Uint8Array,
  opts?: BarsToSessionsOptions,
) => BarSeriesIngest;

/**
 * Interns the text an event carries: the same level and the same origin instant are touched by several events
 * (a swing, its sweep and its break), so each string is formatted once and shared, not built per event. The
 * caches are arrays indexed by bar (level and origin times are bar times; a Map keyed by time cost more than
 * the formatting it saved); a time that is not a bar's is formatted directly.
 *
 * About 0.7 distinct strings are made per event (1.09M for 1.53M events on 1M generated 5-minute bars), so
 * making one must be cheap: the wall-clock ISO text of a bar's time is made once per bar and is the shared
 * part of its level keys (`swing_high@` + it) and its origin time (it + `-04:00`), each one string join;
 * offsets and dates come from `WallText`, which keeps the last span's, instead of two Map lookups per call.
 */
class EventText {
  /** Every distinct string made, once; the caches below hold 1 + its index here (0: not made yet). */
  private readonly strings: string[] = [];
  /** Per level type, the key of the level whose ref is bar b's time (session levels: session b's). */
  private readonly keyOf: (Int32Array | undefined)[] = [];
  /** localIso of bar b's time. */
  private readonly barIso: Int32Array;
  /** isoWithOffset of originT by origin bar, and the originT it was made for. */
  private readonly isoOf: Int32Array;
  private readonly isoT: Float64Array;
  /** Two clocks: event times move forward, level and origin times look back (one cached span each). */
  readonly eventClock: WallText;
  private readonly originClock: WallText;
  constructor(
    private readonly bars: Bars,
    private readonly seg: SessionSegments,
    private readonly zone: ZoneClock,
  ) {
    // typed index arrays, not `new Array(n)`: V8 gives a large holey array slow (dictionary) elements
    this.barIso = new Int32Array(bars.n);
    this.isoOf = new Int32Array(bars.n);
    this.isoT = new Float64Array(bars.n);
    this.eventClock = new WallText(zone);
    this.originClock = new WallText(zone);
  }

  private intern(s: string): number {
    this.strings.push(s);
    return this.strings.length;
  }

  /** `zone.localIso(bars.t[b])`, made once per bar. */
  private isoOfBar(b: number): string {
    const k = this.barIso[b];
    if (k > 0) return this.strings[k - 1];
    const made = this.originClock.localIso(this.bars.t[b]);
    this.barIso[b] = this.intern(made);
    return made;
  }

  levelKey(ev: EventColumns, i: number, sessionLevel: boolean): string {
    const type = ev.levelType[i];
    if (type === 0) return ''; // 'none'
    const ref = ev.levelRef[i];
    // a level's time is usually the event's own origin bar's (a swing and its sweep); else search the bars
    const ob = ev.originBar[i];
    const slot = sessionLevel ? ref : this.bars.t[ob] === ref ? ob : barAt(this.bars.t, ref);
    if (slot < 0) return levelKey(ev, i, this.seg, this.zone);
    const cache = (this.keyOf[type] ??= new Int32Array(sessionLevel ? this.seg.count : this.bars.n));
    const k = cache[slot];
    if (k > 0) return this.strings[k - 1];
    // the key levelKey() makes: `${type}:${session id}` or `${type}@${localIso(ref)}`, ref = bars.t[slot]
    const made = sessionLevel ? levelKey(ev, i, this.seg, this.zone) : LEVEL_AT[type] + this.isoOfBar(slot);
    cache[slot] = this.intern(made);
    return made;
  }

  originAt(originBar: number, originT: number): string {
    if (!(originBar >= 0 && originBar < this.isoOf.length)) return this.zone.isoWithOffset(originT);
    const k = this.isoOf[originBar];
    if (k > 0 && this.isoT[originBar] === originT) return this.strings[k - 1];
    const made =
      this.bars.t[originBar] === originT
        ? this.isoOfBar(originBar) + this.originClock.suffix(originT)
        : this.originClock.isoWithOffset(originT);
    this.isoOf[originBar] = this.intern(made);
    this.isoT[originBar] = originT;
    return made;
  }
}

/** `swing_high@` … per level type: the head of a bar-time level key. */
const LEVEL_AT = LEVEL_TYPES.map((type) => `${type}@`);

/** Index of the bar whose open time is exactly `t` (binary search; bar times increase), or −1. */
function barAt(t: Float64Array, x: number): number {
  let a = 0;
  let b = t.length;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (t[mid] < x) a = mid + 1;
    else b = mid;
  }
  return a < t.length && t[a] === x ? a : -1;
}

const IS_SESSION_LEVEL = LEVEL_TYPES.map((type) => type.startsWith('session_'));

/** The session event of event i, with its raw record (a small function of its own: V8 optimizes it alone). */
function barSessionEvent(
  events: EventColumns,
  i: number,
  seq: number,
  seg: SessionSegments,
  zone: ZoneClock,
  text: EventText,
): SessionEvent {
  const type = events.levelType[i];
  const sessionLevel = IS_SESSION_LEVEL[type];
  const t = events.t[i];
  const originT = events.originT[i];
  const zoneLow = events.zoneLow[i];
  const zoneHigh = events.zoneHigh[i];
  const rule = DETECTORS[events.detector[i]];
  const label = LABELS[events.label[i]];
  const raw: BarEventRaw = {
    detector: rule,
    label,
    bar: events.bar[i],
    originBar: events.originBar[i],
    originT,
    originAt: text.originAt(events.originBar[i], originT),
    delayBars: events.bar[i] - events.originBar[i],
    delayMs: t - originT,
    price: events.price[i],
    zoneLow: zoneLow !== zoneLow ? null : zoneLow,
    zoneHigh: zoneHigh !== zoneHigh ? null : zoneHigh,
    levelType: LEVEL_TYPES[type],
    levelRef: type === 0 ? '' : sessionLevel ? seg.id[events.levelRef[i]] : events.levelRef[i],
  };
  return {
    t,
    seq,
    price: events.price[i],
    kind: events.kind[i] as EventKind,
    source: 'bar_detector',
    rule,
    label,
    levelKey: text.levelKey(events, i, sessionLevel),
    clock: text.eventClock.clock(t),
    raw,
  };
}

/**
 * The `Session` objects of a bar series from each session's events (in time order): window, OHLC, warnings for
 * missing bars and cut-off sessions. Shared by {@link buildBarSessions} and the reference builder, which differ
 * only in how they build the events.
 */
export function assembleBarSessions(
  bars: Bars,
  seg: SessionSegments,
  perSession: SessionEvent[][],
  incomplete: Uint8Array,
  opts: BarsToSessionsOptions,
  zone: ZoneClock,
  timeframe: string,
  /** Per session, 1 when its events are not in time order, if the caller knows (else read from the events). */
  unsorted?: Uint8Array,
): { sessions: Session[]; outsideBars: number } {
  const ex = sessionExtremes(bars, seg);
  const endT = sessionEndT(bars, seg);
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
    let sorted = unsorted ? unsorted[s] === 0 : true;
    if (!unsorted) for (let k = 1; k < list.length; k++) if (list[k].t < list[k - 1].t) sorted = false;
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
  return { sessions, outsideBars };
}

/**
 * Builds the `Session` objects of a bar series from its calendar split and detector events (the step after
 * detection in {@link ingestBarSeries}). Each session's event array is sized once from a count pass; the
 * strings events share (level keys, origin times, clocks) are formatted once each. Gives the same sessions as
 * the per-event builder it replaced (sessions-reference.ts; test/detect-sessions-build.test.ts).
 */
export const buildBarSessions: BuildBarSessions = (bars, seg, events, incomplete, opts = {}) => {
  const zone = new ZoneClock(opts.tz ?? 'America/New_York');
  const timeframe = opts.timeframe ?? formatTimeframe(bars.timeframeMs);
  const text = new EventText(bars, seg, zone);

  const count = new Int32Array(seg.count);
  // whether each session's events come in time order, from the t column (the same check on the event objects
  // reads two heap objects per event, cache misses on 1.5M events)
  const lastT = new Float64Array(seg.count).fill(-Infinity);
  const unsorted = new Uint8Array(seg.count);
  let outsideEvents = 0;
  for (let i = 0; i < events.n; i++) {
    const s = events.session[i];
    if (s < 0) {
      outsideEvents++;
      continue;
    }
    count[s]++;
    const t = events.t[i];
    if (t < lastT[s]) unsorted[s] = 1;
    lastT[s] = t;
  }
  const perSession: SessionEvent[][] = new Array<SessionEvent[]>(seg.count);
  for (let s = 0; s < seg.count; s++) perSession[s] = new Array<SessionEvent>(count[s]);
  const fill = new Int32Array(seg.count);
  for (let i = 0; i < events.n; i++) {
    const s = events.session[i];
    if (s < 0) continue;
    const seq = fill[s]++;
    perSession[s][seq] = barSessionEvent(events, i, seq, seg, zone, text);
  }

  return {
    ...assembleBarSessions(bars, seg, perSession, incomplete, opts, zone, timeframe, unsorted),
    segments: seg,
    events,
    outsideEvents,
  };
};

/** `Session` objects, one per calendar session that has bars, with their detected events. */
export function barsToSessions(bars: Bars, opts: BarsToSessionsOptions = {}): Session[] {
  return ingestBarSeries(bars, opts).sessions;
}
