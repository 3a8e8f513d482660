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

/** A word or label that no rule over its own words classified: its kind came from a per-section fallback. */
export interface VocabularyMiss {
  /** The event's label as written (movement type, `event_type:context`, …). */
  word: string;
  /** The section it came from. */
  source: EventSource;
  /** The fallback rule that gave it its kind, e.g. `fallback:price_movement`. */
  rule: string;
  /** Events carrying it, over all sessions. */
  count: number;
  /** Source files it occurs in, sorted. */
  files: string[];
}

/**
 * The vocabulary report: every label that fell to a fallback rule, with its count and files, most frequent first.
 * An empty list means every event was classified by a rule over its own words.
 */
export function fallbackVocabulary(sessions: readonly Session[]): VocabularyMiss[] {
  const byKey = new Map<string, { miss: VocabularyMiss; files: Set<string> }>();
  for (const s of sessions)
    for (const e of s.events) {
      if (!isFallbackRule(e.rule)) continue;
      const key = `${e.source}\u0000${e.rule}\u0000${e.label}`;
      let m = byKey.get(key);
      if (!m) {
        m = {
          miss: { word: e.label, source: e.source, rule: e.rule, count: 0, files: [] },
          files: new Set(),
        };
        byKey.set(key, m);
      }
      m.miss.count++;
      m.files.add(s.sourceFile);
    }
  return [...byKey.values()]
    .map(({ miss, files }) => ({ ...miss, files: [...files].sort() }))
    .sort((a, b) => b.count - a.count || a.word.localeCompare(b.word) || a.source.localeCompare(b.source));
}
