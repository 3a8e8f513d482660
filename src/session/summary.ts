/** Counts that describe an ingested batch: events per kind, per source and per rule family. */
import { isFallbackRule } from './taxonomy.js';
import { EVENT_KINDS, EVENT_SOURCES, type EventKindName, type EventSource, type Session } from './types.js';

export interface KindSummary {
  events: number;
  byKind: Record<EventKindName, number>;
  /** Percent of all events, per kind. */
  kindShare: Record<EventKindName, number>;
  bySource: Record<EventSource, number>;
  /** Events whose kind came from a rule over their own words (not a per-section fallback). */
  classifiedByRule: number;
  classifiedByRuleShare: number;
  byFallback: number;
}

export function summarizeKinds(sessions: readonly Session[]): KindSummary {
  const byKind = Object.fromEntries(EVENT_KINDS.map((k) => [k, 0])) as Record<EventKindName, number>;
  const bySource = Object.fromEntries(EVENT_SOURCES.map((s) => [s, 0])) as Record<EventSource, number>;
  let events = 0;
  let byFallback = 0;
  for (const s of sessions) {
    for (const e of s.events) {
      events++;
      byKind[EVENT_KINDS[e.kind]]++;
      bySource[e.source]++;
      if (isFallbackRule(e.rule)) byFallback++;
    }
  }
  const pct = (x: number) => (events ? Math.round((1e4 * x) / events) / 100 : 0);
  const kindShare = Object.fromEntries(EVENT_KINDS.map((k) => [k, pct(byKind[k])])) as Record<
    EventKindName,
    number
  >;
  return {
    events,
    byKind,
    kindShare,
    bySource,
    classifiedByRule: events - byFallback,
    classifiedByRuleShare: pct(events - byFallback),
    byFallback,
  };
}
