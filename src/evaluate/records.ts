/**
 * Signals from enhanced session records, evaluated against bars of the same market. Records are not causal by
 * construction (EVIDENCE.md §1): some fields are hindsight, and those signals are REFUSED — listed in `skipped`
 * with the field and why — never silently evaluated:
 *
 *   anchor:high / anchor:low                   the session's extremes, placed at the extreme's time
 *                                              (structures_identified.session_levels), known only after the close
 *
 * Every other record event becomes a signal per rule (`record:<rule>`) and per kind (`record-kind:<Kind>`), at
 * the event's own time: the entry is the first bar opening at or after it, so the emission bar is the one
 * before (t* ≤ the event time). Co-timed rows of one moment fire once (signals are sets of bars).
 */
import { EVENT_KINDS, type Session } from '../session/index.js';
import { firstAtOrAfter } from './series.js';
import { uniqueBars } from './signals.js';
import type { EvalSeries, Signal, Skipped } from './types.js';

/** Record rules whose time is hindsight, and the field and reason reported when one is asked for. */
export const HINDSIGHT_RULES: Readonly<Record<string, { field: string; why: string }>> = {
  'anchor:high': {
    field: 'structures_identified.session_levels (session_high)',
    why: 'the session high is placed at the extreme’s time, which is known only after the session closes',
  },
  'anchor:low': {
    field: 'structures_identified.session_levels (session_low)',
    why: 'the session low is placed at the extreme’s time, which is known only after the session closes',
  },
};

export function recordSignals(
  sessions: readonly Session[],
  series: EvalSeries,
): { signals: Signal[]; skipped: Skipped[] } {
  const byRule = new Map<string, number[]>();
  const byKind = new Map<string, number[]>();
  const refused = new Map<string, { files: Set<string>; count: number }>();
  let outside = 0;
  for (const s of sessions)
    for (const e of s.events) {
      if (HINDSIGHT_RULES[e.rule]) {
        const r = refused.get(e.rule) ?? { files: new Set<string>(), count: 0 };
        r.files.add(s.sourceFile);
        r.count++;
        refused.set(e.rule, r);
        continue;
      }
      const entry = firstAtOrAfter(series.bars.t, series.bars.n, e.t);
      if (entry === 0 || entry >= series.bars.n) {
        outside++;
        continue;
      }
      const b = entry - 1;
      (byRule.get(e.rule) ?? byRule.set(e.rule, []).get(e.rule)!).push(b);
      const kind = EVENT_KINDS[e.kind];
      (byKind.get(kind) ?? byKind.set(kind, []).get(kind)!).push(b);
    }
  const signals: Signal[] = [
    ...[...byRule].sort().map(([rule, bars]) => ({
      name: `record:${rule}`,
      source: 'external' as const,
      doc: `record events of rule ${rule}, entered at the first bar opening at/after the event time`,
      bar: uniqueBars(bars),
    })),
    ...[...byKind].sort().map(([kind, bars]) => ({
      name: `record-kind:${kind}`,
      source: 'external' as const,
      doc: `record events of kind ${kind} (hindsight anchors excluded), entered at the next bar`,
      bar: uniqueBars(bars),
    })),
  ];
  const skipped: Skipped[] = [...refused].map(([rule, r]) => ({
    signal: `record:${rule}`,
    reason: `refused: hindsight — ${HINDSIGHT_RULES[rule].why}`,
    detail: `field ${HINDSIGHT_RULES[rule].field}; ${r.count} event(s) in ${r.files.size} file(s), first ${[...r.files].sort()[0]}`,
  }));
  if (outside > 0)
    skipped.push({
      signal: 'record:*',
      reason: `${outside} record event(s) outside the bars' time span (no entry bar)`,
    });
  return { signals, skipped };
}
