/**
 * User-defined signals from a small rule file (JSON), evaluated on the causal detector events:
 *
 *   { "signals": [ { "name": "am_sweep_then_bos",
 *                    "doc": "a bullish BOS within 30 min after a swept swing low, NY AM only",
 *                    "label": "bos_up",                       // one label or a list (src/detect LABELS)
 *                    "kind": "LiquidityTaken",                // or kinds (session EVENT_KINDS); optional
 *                    "session": ["NY_AM"],                    // optional: session types
 *                    "from": "09:30", "to": "11:00",          // optional: wall clock of t* (calendar zone)
 *                    "after": { "label": "swing_low_swept", "within": 30 } } ] }   // optional: a prior event
 *
 * A rule fires at the emission bar of each event that matches it (so at the event's knowable time); `after`
 * requires a matching event of the same session at or before it, at most `within` minutes earlier. Every field
 * is checked: an unknown field, label, kind or session type is an error naming the rule, the field and the
 * value (with the nearest valid name).
 */
import { z } from 'zod';
import { type EventColumns, LABELS, type SessionSegments, ZoneClock } from '../detect/index.js';
import { EVENT_KINDS, SESSION_TYPES } from '../session/index.js';
import { uniqueBars } from './signals.js';
import type { Signal } from './types.js';

const oneOrMany = z.union([z.string(), z.array(z.string()).min(1)]);
const HHMM = z.string().regex(/^\d{1,2}:\d{2}$/, 'a wall-clock time HH:MM');
const selector = {
  label: oneOrMany.optional(),
  kind: oneOrMany.optional(),
};
const RuleSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
    doc: z.string().optional(),
    ...selector,
    session: oneOrMany.optional(),
    from: HHMM.optional(),
    to: HHMM.optional(),
    after: z
      .object({ ...selector, within: z.number().positive() })
      .strict()
      .optional(),
  })
  .strict();
const RuleFileSchema = z.object({ signals: z.array(RuleSchema).min(1) }).strict();

export type Rule = z.infer<typeof RuleSchema>;

export class RuleError extends Error {}

function nearest(value: string, names: readonly string[]): string {
  let best = names[0];
  let bestD = Infinity;
  for (const n of names) {
    const d = editDistance(value.toLowerCase(), n.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = n;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

const list = (v: string | string[] | undefined): string[] | null =>
  v === undefined ? null : typeof v === 'string' ? [v] : v;

function indices(
  where: string,
  field: string,
  v: string | string[] | undefined,
  names: readonly string[],
): Set<number> | null {
  const l = list(v);
  if (!l) return null;
  return new Set(
    l.map((x) => {
      const i = names.indexOf(x);
      if (i < 0)
        throw new RuleError(`${where}: ${field} "${x}" is not known (did you mean "${nearest(x, names)}"?)`);
      return i;
    }),
  );
}

/** Parses and checks a rule file's JSON value; `file` names it in errors. */
export function parseRules(value: unknown, file: string): Rule[] {
  const r = RuleFileSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.map((k) => `"${k}"`).join(', ')})` : '';
    throw new RuleError(`${file}: ${path}: ${issue.message}${keys}`);
  }
  const seen = new Set<string>();
  r.data.signals.forEach((rule, i) => {
    const where = `${file}: signals.${i} (${rule.name})`;
    if (seen.has(rule.name)) throw new RuleError(`${where}: the name is used twice`);
    seen.add(rule.name);
    if (rule.label === undefined && rule.kind === undefined)
      throw new RuleError(`${where}: needs "label" or "kind" (what event fires it)`);
    indices(where, 'label', rule.label, LABELS);
    indices(where, 'kind', rule.kind, EVENT_KINDS);
    indices(where, 'session', rule.session, SESSION_TYPES);
    if (rule.after) {
      if (rule.after.label === undefined && rule.after.kind === undefined)
        throw new RuleError(`${where}: after needs "label" or "kind"`);
      indices(`${where} after`, 'label', rule.after.label, LABELS);
      indices(`${where} after`, 'kind', rule.after.kind, EVENT_KINDS);
    }
  });
  return r.data.signals;
}

function minuteOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** The signals of `rules` over the detector events. */
export function ruleSignals(
  rules: readonly Rule[],
  ev: EventColumns,
  seg: SessionSegments,
  tz: string,
): Signal[] {
  const zone = new ZoneClock(tz);
  return rules.map((rule) => {
    const labels = indices(rule.name, 'label', rule.label, LABELS);
    const kinds = indices(rule.name, 'kind', rule.kind, EVENT_KINDS);
    const types = indices(rule.name, 'session', rule.session, SESSION_TYPES);
    const match = (i: number, l: Set<number> | null, k: Set<number> | null) =>
      (!l || l.has(ev.label[i])) && (!k || k.has(ev.kind[i]));
    const aL = rule.after ? indices(rule.name, 'label', rule.after.label, LABELS) : null;
    const aK = rule.after ? indices(rule.name, 'kind', rule.after.kind, EVENT_KINDS) : null;
    const withinMs = (rule.after?.within ?? 0) * 60_000;
    const from = rule.from ? minuteOf(rule.from) : 0;
    const to = rule.to ? minuteOf(rule.to) : 1439;
    const fired: number[] = [];
    let lastAfter = -Infinity; // time of the latest event matching `after`, in the current session
    let lastAfterSession = -1;
    for (let i = 0; i < ev.n; i++) {
      const s = ev.session[i];
      if (s < 0) continue;
      // `after` is checked before this event can itself count as a prior event (j ≠ i)
      const ok =
        match(i, labels, kinds) &&
        (!types || types.has(SESSION_TYPES.indexOf(seg.type[s]))) &&
        (!rule.after || (lastAfterSession === s && ev.t[i] - lastAfter <= withinMs));
      if (ok) {
        const [h, m] = zone.clock(ev.t[i]).split(':').map(Number);
        const minute = h * 60 + m;
        if (from <= to ? minute >= from && minute <= to : minute >= from || minute <= to)
          fired.push(ev.bar[i]);
      }
      if (rule.after && match(i, aL, aK)) {
        lastAfter = ev.t[i];
        lastAfterSession = s;
      }
    }
    return {
      name: `rule:${rule.name}`,
      source: 'rule' as const,
      doc: rule.doc ?? `user rule ${rule.name}`,
      bar: uniqueBars(fired),
    };
  });
}
