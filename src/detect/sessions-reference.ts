/**
 * The reference session builder (the one before the interning builder in sessions.ts), for tests and benches.
 */
import { formatTimeframe } from './bars.js';
import type { SessionSegments } from './calendar.js';
import { DETECTORS, type EventColumns, LABELS, LEVEL_TYPES } from './events.js';
import { assembleBarSessions, type BarEventRaw, type BuildBarSessions, levelKey } from './sessions.js';
import { ZoneClock } from './zone.js';
import type { EventKind, SessionEvent } from '../session/index.js';

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

  return {
    ...assembleBarSessions(bars, seg, perSession, incomplete, opts, zone, timeframe),
    segments: seg,
    events,
    outsideEvents,
  };
};
