/**
 * The reference session builder (the one before the interning builder in sessions.ts), for tests and benches.
 */
import { formatTimeframe } from './bars.js';
import type { SessionSegments } from './calendar.js';
import { DETECTORS, type EventColumns, LABELS, LEVEL_TYPES } from './events.js';
import { sessionEndT, sessionExtremes } from './session-levels.js';
import { type BarEventRaw, type BuildBarSessions, levelKey } from './sessions.js';
import { ZoneClock } from './zone.js';
import type { EventKind, Session, SessionEvent } from '../session/index.js';

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

/**
 * The per-event session builder that {@link buildBarSessions} replaced: one raw record and fresh strings per
 * event, arrays grown by push. Kept as the oracle of test/detect-sessions-build.test.ts and the peer of
 * `npm run bench -- detect`; not used on any production path.
 */
export const buildBarSessionsReference: BuildBarSessions = (bars, seg, events, incomplete, opts = {}) => {
  const zone = new ZoneClock(opts.tz ?? 'America/New_York');
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
};
