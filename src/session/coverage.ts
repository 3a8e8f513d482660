/**
 * Section coverage: which record sections (`SessionEvent.source`, EVENT_SOURCES) each session has and how many
 * events each contributes. Files from other periods may lack whole sections (EVIDENCE.md §1); a motif built on a
 * section a later file does not record can never occur there, so coverage is measured before periods are
 * compared (validation/drift.ts) and reported at ingest.
 */
import { COVERAGE_MAJORITY } from '../core/index.js';
import { EVENT_SOURCES, type EventSource, type Session } from './types.js';

export type SourceCounts = Record<EventSource, number>;

export interface SessionCoverage {
  id: string;
  date: string;
  events: number;
  /** Events per section (0 = the section is absent from the session). */
  bySource: SourceCounts;
  /** Sections with at least one event, in EVENT_SOURCES order. */
  sections: EventSource[];
}

/** A section most sessions have, and the sessions that lack it. */
export interface MissingSection {
  source: EventSource;
  /** Share of sessions having it (> the majority threshold). */
  presence: number;
  sessions: string[];
}

export interface CoverageSummary {
  sessions: number;
  events: number;
  /** Sessions having ≥ 1 event of each section. */
  sessionsWith: SourceCounts;
  /** Share of sessions having each section, in [0, 1] (0 for every section when there are no sessions). */
  presence: SourceCounts;
  /** Events per section. */
  eventsBySource: SourceCounts;
  /** Share of all events from each section, in [0, 1]. */
  eventShare: SourceCounts;
  /** Threshold above which a section counts as expected (default COVERAGE_MAJORITY). */
  majority: number;
  /** Sections present in more than `majority` of sessions but missing from some; sessions in input order. */
  missing: MissingSection[];
}

const zeroCounts = (): SourceCounts => Object.fromEntries(EVENT_SOURCES.map((s) => [s, 0])) as SourceCounts;

export function sessionCoverage(s: Session): SessionCoverage {
  const bySource = zeroCounts();
  for (const e of s.events) bySource[e.source]++;
  return {
    id: s.id,
    date: s.date,
    events: s.events.length,
    bySource,
    sections: EVENT_SOURCES.filter((src) => bySource[src] > 0),
  };
}

/** Coverage of a batch: per section, how many sessions have it and what share of the events it contributes. */
export function summarizeCoverage(
  sessions: readonly Session[],
  opts: { majority?: number } = {},
): CoverageSummary {
  const majority = opts.majority ?? COVERAGE_MAJORITY;
  if (!(majority >= 0 && majority < 1))
    throw new Error(`coverage: majority must be in [0, 1), got ${majority}`);
  const per = sessions.map(sessionCoverage);
  const sessionsWith = zeroCounts();
  const eventsBySource = zeroCounts();
  let events = 0;
  for (const c of per) {
    events += c.events;
    for (const src of EVENT_SOURCES) {
      eventsBySource[src] += c.bySource[src];
      if (c.bySource[src] > 0) sessionsWith[src]++;
    }
  }
  const n = per.length;
  const presence = zeroCounts();
  const eventShare = zeroCounts();
  for (const src of EVENT_SOURCES) {
    presence[src] = n ? sessionsWith[src] / n : 0;
    eventShare[src] = events ? eventsBySource[src] / events : 0;
  }
  const missing: MissingSection[] = [];
  for (const src of EVENT_SOURCES)
    if (presence[src] > majority && sessionsWith[src] < n)
      missing.push({
        source: src,
        presence: presence[src],
        sessions: per.filter((c) => c.bySource[src] === 0).map((c) => c.id),
      });
  return { sessions: n, events, sessionsWith, presence, eventsBySource, eventShare, majority, missing };
}
