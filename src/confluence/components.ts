/**
 * The four confluence components. Each maps to [0, 1], where 0 means "no evidence of confluence from this
 * source" and 1 the most this source can say; the reason for each mapping is written next to it and is also
 * emitted with every result (`COMPONENT_DOCS`). Every window component uses only what is known at the window's
 * end (score.ts; test/confluence-causal.test.ts).
 */
import type { ConfluenceComponent } from './weights.js';

export const COMPONENT_DOCS: Readonly<Record<ConfluenceComponent, string>> = Object.freeze({
  motif:
    'share of the window’s events that belong to an occurrence of a PROMOTED motif completed before the window ' +
    'end (an occurrence counts from the window of its last node on; a share is in [0, 1] by construction; the ' +
    'promoted list must come from earlier data for an out-of-sample score)',
  rarity:
    'mean over the window’s events of the information content −ln(frequency) of the event’s pattern, min–max ' +
    'scaled over the patterns: the most common pattern gives 0, the rarest 1 (all patterns equally common → 0); ' +
    'frequencies are supplied by the caller and must be fitted on earlier data (e.g. the training days) for an ' +
    'out-of-sample score',
  structure:
    'c/(c + m) with c = LiquidityTaken + Redelivery events in the window and m = their running mean per window ' +
    'over the windows of the same session type that finished before this one starts (this session’s earlier ' +
    'windows and earlier sessions’ in the batch; null with no such window); the session row compares its rate ' +
    'per hour with the mean rate of earlier sessions of its type: 0 with none, 1/2 at the average, → 1 as the ' +
    'window dominates; bounded without a tuning constant',
  htf:
    'mean agreement (1 = same non-zero sign, else 0) of the window’s price direction (last price before the ' +
    'window → last price in it) with the session so far (open → last price before the window end) and with the ' +
    'previous session’s open→close direction (a session that ended by this one’s start); the session row, ' +
    'as-of the session end, compares the session’s open→close with the previous session',
});

/** c/(c + m): 0 when c = 0 (including m = 0), 1/2 at c = m, → 1 as c/m grows. */
export function saturatingRatio(count: number, mean: number): number {
  if (!(count >= 0) || !(mean >= 0))
    throw new Error(`saturatingRatio: count and mean must be ≥ 0, got ${count}, ${mean}`);
  return count > 0 ? count / (count + mean) : 0;
}

/** 1 when both directions are non-zero and equal in sign, else 0 (a flat move agrees with nothing). */
export function directionAgreement(direction: number, reference: number): number {
  return direction !== 0 && Math.sign(direction) === Math.sign(reference) ? 1 : 0;
}

/** Sign of b − a (−1, 0, 1); 0 when either price is not finite. */
export function directionOf(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return 0;
  return Math.sign(b - a);
}

/** Weighted mean of the available components × 100; null when no available component has weight. */
export function combineScore(
  components: Readonly<Record<ConfluenceComponent, number | null>>,
  weights: Readonly<Record<ConfluenceComponent, number>>,
): number | null {
  let num = 0;
  let den = 0;
  for (const c of Object.keys(weights) as ConfluenceComponent[]) {
    const v = components[c];
    if (v === null) continue;
    if (!(v >= 0 && v <= 1)) throw new Error(`confluence: component ${c} = ${v} is outside [0, 1]`);
    num += weights[c] * v;
    den += weights[c];
  }
  return den > 0 ? (100 * num) / den : null;
}
