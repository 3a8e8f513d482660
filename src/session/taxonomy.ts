/**
 * The event taxonomy: a readable rule table that gives every event exactly one kind.
 *
 * Rules are tried in order; the first that matches wins and its id is stored on the event (`rule`), so the share
 * of events classified by each rule — and by the per-section fallbacks — can be reported. The order encodes
 * precedence: an event described as "Expansion higher ends, reversal point" is a Reversal, "Retracement
 * rebalances Lunch FPFVG" a Redelivery.
 */
import { KIND, type EventKind } from './types.js';

export interface KindRule {
  id: string;
  kind: EventKind;
  /** Tested against the lower-cased label text (movement type, context, description…). */
  pattern: RegExp;
  why: string;
}

/**
 * Session anchors: the open/high/low/close markers the records carry as movement types
 * (`open`, `close`, `session_high`, `session_low`) and the liquidity events generated from them.
 */
export const ANCHOR_RULES: KindRule[] = [
  {
    id: 'anchor:open',
    kind: KIND.Anchor,
    pattern: /^(generated_from_)?(session_)?open$/,
    why: 'session open marker',
  },
  {
    id: 'anchor:close',
    kind: KIND.Anchor,
    pattern: /^(generated_from_)?(session_)?clos(e|ing price)$|session closing price/,
    why: 'session close marker',
  },
  {
    id: 'anchor:high',
    kind: KIND.Anchor,
    pattern: /^(generated_from_)?session_high$/,
    why: 'session high marker',
  },
  {
    id: 'anchor:low',
    kind: KIND.Anchor,
    pattern: /^(generated_from_)?session_low$/,
    why: 'session low marker',
  },
];

/**
 * Compound session-extreme labels, tried only where every other rule (text, action / event-type word, target
 * level) said nothing, i.e. instead of the per-section fallback. They never pre-empt a rule that already matched,
 * so a label that says the extreme was taken (`asia_session_high_takeout`, `…_session_low_taken_out`) stays
 * LiquidityTaken by `text:liquidity-taken`.
 *
 * A compound label denotes THIS session's extreme when nothing before `session_high|low` names another session
 * (nothing, `session_`, `current_`, or the record's own session type, e.g. `asia_session_high` in an ASIA record)
 * and nothing after it but a word that says where/when the extreme printed (`close`, `closing`, `final`, `print`,
 * `printed`, `set`, `made`, `established`, `hit`, `reached`). `session_low_close` is the session low printed at the
 * close: the extreme, so anchor:low (the close itself is marked by its own `close` row). These get the same rule
 * ids as the bare markers (anchor:high / anchor:low): the same hindsight caveat applies to them.
 *
 * A label naming another session's extreme (`london_session_high` in an NY_AM record) is a reference to a prior
 * level with no verb saying what happened there: no rule claims it; it falls back and is listed in the
 * vocabulary report.
 */
const EXTREME_TAIL = '(?:_(?:at_)?(?:close|closing|final|print|printed|set|made|established|hit|reached))?';

/** Words a record uses for its own session type in labels (`nyam`, `ny_am`, `pre_asia`, …). */
function ownPrefixes(sessionType: string | undefined): string[] {
  if (!sessionType) return [];
  const t = sessionType.toLowerCase();
  return [
    ...new Set([t, t.replace(/_/g, ''), t.replace('preasia', 'pre_asia').replace('premarket', 'pre_market')]),
  ];
}

/** The compound session-extreme rule (see above), or null. `sessionType` is the record's own type. */
export function classifyExtreme(text: string, sessionType?: string): Classification | null {
  const s = text
    .toLowerCase()
    .trim()
    .replace(/^generated_from_/, '');
  const own = ownPrefixes(sessionType).map((p) => `${p}_`);
  const prefix = ['', 'session_', 'current_', ...own, ...own.map((p) => `${p}session_`)]
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');
  const m = new RegExp(`^(?:${prefix})session_(high|low)${EXTREME_TAIL}$`).exec(s);
  if (!m) return null;
  return { kind: KIND.Anchor, rule: m[1] === 'high' ? 'anchor:high' : 'anchor:low' };
}

/** Free-text rules over movement types and contexts, in precedence order. */
export const TEXT_RULES: KindRule[] = [
  {
    id: 'text:redelivery',
    kind: KIND.Redelivery,
    pattern: /redeliver|rebalanc|\bbalanced|complete_fill|filled|\bfill\b|delivered|mitigat/,
    why: 'price returns into a prior gap / FVG and delivers it',
  },
  {
    id: 'text:liquidity-taken',
    kind: KIND.LiquidityTaken,
    pattern:
      /taken|takeout|take_out|\btakes?\b|\btook\b|sweep|\brun\b|clears|break (below|above)|stop.?hunt|liquidity/,
    // `_takeout` (e.g. `asia_session_high_takeout`) is the noun of `_taken`: the level was run through.
    why: 'a prior high/low (resting liquidity) is run through (taken, takeout, swept)',
  },
  {
    id: 'text:reversal',
    kind: KIND.Reversal,
    pattern:
      /reversal|revers|change.of.character|structure.shift|\bmss\b|failure.?swing|swing.?failure|failed.?swing/,
    // A failure swing (`failure_swing_high`) is a swing that fails to make a new extreme and turns: a reversal.
    why: 'direction changes at this event (reversal, change of character, failure swing)',
  },
  {
    id: 'text:retracement',
    kind: KIND.Retracement,
    pattern: /retrac|pullback|correction|interacts? with|touch(es)? .*(price|level|open)/,
    why: 'counter-move inside the prevailing direction',
  },
  {
    id: 'text:consolidation',
    kind: KIND.Consolidation,
    pattern: /consolidat|ranging|sideways|\brange\b/,
    why: 'price holds within a range',
  },
  {
    id: 'text:expansion',
    kind: KIND.Expansion,
    pattern: /expansion|impulse|trend|initiat|continu|displacement|momentum|volume_spike|price_gap|gap/,
    why: 'directional move away from the range',
  },
  {
    id: 'text:extreme-formed',
    kind: KIND.Reversal,
    pattern:
      /session_(high|low)_(formation|establishment)|session (high|low) (created|formation)|(high|low)_formation/,
    why: 'a session extreme is set: the turn that defines the range',
  },
  {
    id: 'text:fvg-formed',
    kind: KIND.Expansion,
    pattern: /fvg|fpfvg|premium|discount|order block|ndog|nwog|opening range/,
    why: 'a fair value gap is created by a displacement (expansion) candle',
  },
];

/** Liquidity-event `event_type` vocabulary (used when the context says nothing classifiable). */
export const LIQUIDITY_EVENT_TYPES: Record<string, EventKind | null> = {
  liquidity_sweep: KIND.LiquidityTaken,
  level_break: KIND.LiquidityTaken,
  rebalance: KIND.Redelivery,
  redelivery: KIND.Redelivery,
  fvg_creation: KIND.Expansion,
  volume_spike: KIND.Expansion,
  price_gap: KIND.Expansion,
  trend_continuation: KIND.Expansion,
  consolidation_break: KIND.Expansion,
  momentum_shift: KIND.Reversal,
  support_test: KIND.Retracement,
  resistance_test: KIND.Retracement,
  // "interaction" says only that a level was touched: the context decides; null = no kind of its own.
  interaction: null,
};

/** Price-movement `action` vocabulary (rows that carry action + context instead of movement_type). */
export const PRICE_ACTIONS: Record<string, EventKind> = {
  sweep: KIND.LiquidityTaken,
  break: KIND.LiquidityTaken,
  delivery: KIND.Redelivery,
  touch: KIND.Retracement,
};

/** Level-interaction `interaction_type` vocabulary. */
export const LEVEL_INTERACTIONS: Record<string, EventKind> = {
  sweep: KIND.LiquidityTaken,
  break: KIND.LiquidityTaken,
  bounce: KIND.Reversal,
  test: KIND.Retracement,
  touch: KIND.Retracement,
};

/** Phase-transition `phase_type` vocabulary. */
export const PHASE_TYPES: Record<string, EventKind> = {
  expansion: KIND.Expansion,
  consolidation: KIND.Consolidation,
};

export interface Classification {
  kind: EventKind;
  rule: string;
}

/** First matching rule of `rules` over `text`, or null. */
export function matchRules(text: string, rules: readonly KindRule[]): Classification | null {
  const s = text.toLowerCase().trim();
  if (!s) return null;
  for (const r of rules) if (r.pattern.test(s)) return { kind: r.kind, rule: r.id };
  return null;
}

/** Anchor rules first, then the free-text rules. */
export function classifyText(text: string): Classification | null {
  return matchRules(text, ANCHOR_RULES) ?? matchRules(text, TEXT_RULES);
}

/** Looks a word up in a vocabulary table; the rule id records the table and the word. */
export function classifyWord(
  table: Record<string, EventKind | null>,
  tableName: string,
  word: string,
): Classification | null {
  const k = table[word.toLowerCase()];
  return k === undefined || k === null ? null : { kind: k, rule: `${tableName}:${word.toLowerCase()}` };
}

/** True when a rule id is one of the per-section fallbacks (a catch-all, not a rule over the event's words). */
export function isFallbackRule(rule: string): boolean {
  return rule.startsWith('fallback:');
}
