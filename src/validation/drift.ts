/**
 * Drift between two periods (e.g. discovery vs holdout): are they recorded alike? Compares
 *  (a) section coverage — share of sessions having each record section, and the events-per-section mix;
 *  (b) kind mix — share of each of the 7 event kinds;
 * with the Jensen–Shannon divergence (log base 2, so in [0, 1]) of each mix and the per-section differences.
 * A motif promoted on sections the later period does not record cannot replicate there; EVIDENCE.md §1 asks to
 * measure this and say so before comparing periods. Warnings name the section or the mix.
 */
import { DRIFT_JSD_THRESHOLD, DRIFT_PRESENCE_THRESHOLD } from '../core/index.js';
import {
  EVENT_KINDS,
  EVENT_SOURCES,
  summarizeCoverage,
  type EventKindName,
  type EventSource,
  type Session,
} from '../session/index.js';

/**
 * Jensen–Shannon divergence of two non-negative weight vectors (normalised here), log base 2: 0 for identical
 * distributions, 1 for disjoint supports. JSD(P, Q) = ½ KL(P‖M) + ½ KL(Q‖M), M = ½ (P + Q), with 0 log 0 = 0.
 * Null when either vector sums to 0 (no distribution to compare).
 */
export function jensenShannon(p: ArrayLike<number>, q: ArrayLike<number>): number | null {
  if (p.length !== q.length) throw new Error(`jensenShannon: lengths differ (${p.length} vs ${q.length})`);
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    if (!(p[i] >= 0 && q[i] >= 0)) throw new Error(`jensenShannon: weights must be ≥ 0 (index ${i})`);
    sp += p[i];
    sq += q[i];
  }
  if (sp === 0 || sq === 0) return null;
  let d = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i] / sp;
    const b = q[i] / sq;
    const m = (a + b) / 2;
    if (a > 0) d += 0.5 * a * Math.log2(a / m);
    if (b > 0) d += 0.5 * b * Math.log2(b / m);
  }
  // Rounding can leave a tiny negative or a hair above 1.
  return Math.min(1, Math.max(0, d));
}

export interface DriftOptions {
  /** Names of the two periods in warnings (default 'discovery', 'holdout'). */
  labels?: readonly [string, string];
  /** Default DRIFT_PRESENCE_THRESHOLD. */
  presenceThreshold?: number;
  /** Default DRIFT_JSD_THRESHOLD. */
  jsdThreshold?: number;
}

export interface PeriodInfo {
  label: string;
  sessions: number;
  days: number;
  events: number;
}

export interface SectionDrift {
  source: EventSource;
  /** Share of the period's sessions having the section. */
  presenceA: number;
  presenceB: number;
  /** presenceB − presenceA. */
  presenceDiff: number;
  /** Share of the period's events from the section. */
  eventShareA: number;
  eventShareB: number;
  eventShareDiff: number;
}

export interface KindDrift {
  kind: EventKindName;
  shareA: number;
  shareB: number;
  diff: number;
}

export interface DriftReport {
  a: PeriodInfo;
  b: PeriodInfo;
  thresholds: { presence: number; jsd: number };
  sections: SectionDrift[];
  /** JSD of the events-per-section mix (null when a period has no events). */
  sectionJsd: number | null;
  kinds: KindDrift[];
  /** JSD of the kind mix (null when a period has no events). */
  kindJsd: number | null;
  /** Human-readable, each naming the section or mix; empty when the periods look alike. */
  warnings: string[];
}

const pct = (x: number) => `${Math.round(100 * x)}%`;

function kindCounts(sessions: readonly Session[]): number[] {
  const c = new Array<number>(EVENT_KINDS.length).fill(0);
  for (const s of sessions) for (const e of s.events) c[e.kind]++;
  return c;
}

function largest<T>(rows: readonly T[], by: (r: T) => number): T {
  return rows.reduce((best, r) => (Math.abs(by(r)) > Math.abs(by(best)) ? r : best));
}

/** Compares period A (e.g. discovery) with period B (e.g. holdout); see the module comment. */
export function compareDrift(
  a: readonly Session[],
  b: readonly Session[],
  opts: DriftOptions = {},
): DriftReport {
  const [la, lb] = opts.labels ?? ['discovery', 'holdout'];
  const presenceThreshold = opts.presenceThreshold ?? DRIFT_PRESENCE_THRESHOLD;
  const jsdThreshold = opts.jsdThreshold ?? DRIFT_JSD_THRESHOLD;
  if (!(presenceThreshold >= 0 && presenceThreshold <= 1))
    throw new Error(`drift: presenceThreshold must be in [0, 1], got ${presenceThreshold}`);
  if (!(jsdThreshold >= 0 && jsdThreshold <= 1))
    throw new Error(`drift: jsdThreshold must be in [0, 1], got ${jsdThreshold}`);
  const ca = summarizeCoverage(a);
  const cb = summarizeCoverage(b);
  const info = (label: string, s: readonly Session[], events: number): PeriodInfo => ({
    label,
    sessions: s.length,
    days: new Set(s.map((x) => x.date)).size,
    events,
  });
  const sections: SectionDrift[] = EVENT_SOURCES.map((source) => ({
    source,
    presenceA: ca.presence[source],
    presenceB: cb.presence[source],
    presenceDiff: cb.presence[source] - ca.presence[source],
    eventShareA: ca.eventShare[source],
    eventShareB: cb.eventShare[source],
    eventShareDiff: cb.eventShare[source] - ca.eventShare[source],
  }));
  const sectionJsd = jensenShannon(
    EVENT_SOURCES.map((s) => ca.eventsBySource[s]),
    EVENT_SOURCES.map((s) => cb.eventsBySource[s]),
  );
  const ka = kindCounts(a);
  const kb = kindCounts(b);
  const kindJsd = jensenShannon(ka, kb);
  const kinds: KindDrift[] = EVENT_KINDS.map((kind, i) => {
    const shareA = ca.events ? ka[i] / ca.events : 0;
    const shareB = cb.events ? kb[i] / cb.events : 0;
    return { kind, shareA, shareB, diff: shareB - shareA };
  });

  const warnings: string[] = [];
  if (a.length === 0 || b.length === 0)
    warnings.push(`period '${a.length === 0 ? la : lb}' has no sessions; nothing to compare`);
  else {
    for (const s of sections)
      if (Math.abs(s.presenceDiff) > presenceThreshold)
        warnings.push(
          `section '${s.source}' present in ${pct(s.presenceA)} of ${la} sessions, ${pct(s.presenceB)} of ${lb}`,
        );
    if (sectionJsd === null || kindJsd === null)
      warnings.push(`period '${ca.events === 0 ? la : lb}' has no events; mixes not compared`);
    if (sectionJsd !== null && sectionJsd > jsdThreshold) {
      const s = largest(sections, (r) => r.eventShareDiff);
      warnings.push(
        `section mix differs: JSD ${sectionJsd.toFixed(3)} > ${jsdThreshold} ` +
          `(largest change: '${s.source}' ${pct(s.eventShareA)} of ${la} events, ${pct(s.eventShareB)} of ${lb})`,
      );
    }
    if (kindJsd !== null && kindJsd > jsdThreshold) {
      const k = largest(kinds, (r) => r.diff);
      warnings.push(
        `kind mix differs: JSD ${kindJsd.toFixed(3)} > ${jsdThreshold} ` +
          `(largest change: ${k.kind} ${pct(k.shareA)} of ${la} events, ${pct(k.shareB)} of ${lb})`,
      );
    }
  }
  return {
    a: info(la, a, ca.events),
    b: info(lb, b, cb.events),
    thresholds: { presence: presenceThreshold, jsd: jsdThreshold },
    sections,
    sectionJsd,
    kinds,
    kindJsd,
    warnings,
  };
}
