/**
 * Causal strength between event kinds: how plausibly an event of kind `src` sets up a later event of kind
 * `dst` in market-structure terms. It is the 0.3-weighted term of the DAG edge weight and an edge feature.
 *
 * The original system matched lower-cased free-text event types against a pair table
 * (fvg_formation→fvg_redelivery .9, liquidity_sweep→reversal .8, expansion→retracement .7,
 * retracement→continuation .6, consolidation→expansion .6, …; anything else .3). ironforge events carry one of
 * seven kinds instead, so the table is re-expressed over kinds. Values are judgements, documented per row; pairs
 * not listed get {@link DEFAULT_CAUSAL_STRENGTH}.
 */
import { EVENT_KINDS, KIND, N_KINDS, type EventKindName } from '../session/index.js';

/** Strength of any kind pair not listed in {@link CAUSAL_PAIRS} (the original's fallback, 0.3). */
export const DEFAULT_CAUSAL_STRENGTH = 0.3;

export interface CausalPair {
  from: EventKindName;
  to: EventKindName;
  strength: number;
  why: string;
}

/** The readable table. Directed: `from` is the earlier event. */
export const CAUSAL_PAIRS: readonly CausalPair[] = [
  {
    from: 'LiquidityTaken',
    to: 'Redelivery',
    strength: 0.9,
    why: 'a sweep of resting liquidity followed by delivery back into an imbalance (sweep → FVG redelivery, orig .95)',
  },
  {
    from: 'LiquidityTaken',
    to: 'Reversal',
    strength: 0.8,
    why: 'stop run then turn: the classic liquidity_sweep → reversal pair (orig .8)',
  },
  {
    from: 'Expansion',
    to: 'Retracement',
    strength: 0.7,
    why: 'an impulse leg is followed by its pullback (orig expansion → retracement .7)',
  },
  {
    from: 'Redelivery',
    to: 'Reversal',
    strength: 0.7,
    why: 'price turns after rebalancing an FVG (orig fvg_redelivery–reversal .8)',
  },
  {
    from: 'Retracement',
    to: 'Expansion',
    strength: 0.6,
    why: 'a pullback resolves in continuation (orig retracement → continuation .6)',
  },
  {
    from: 'Consolidation',
    to: 'Expansion',
    strength: 0.6,
    why: 'range break-out: consolidation → expansion (orig .6)',
  },
  {
    from: 'Retracement',
    to: 'Reversal',
    strength: 0.6,
    why: 'a pullback that turns into a change of direction (orig retracement–reversal .8, discounted)',
  },
  {
    from: 'Reversal',
    to: 'Expansion',
    strength: 0.6,
    why: 'a turn is confirmed by displacement in the new direction',
  },
  {
    from: 'Expansion',
    to: 'LiquidityTaken',
    strength: 0.5,
    why: 'an expansion leg runs into and takes resting liquidity',
  },
  {
    from: 'Expansion',
    to: 'Consolidation',
    strength: 0.5,
    why: 'impulse exhausts into a range (orig expansion → consolidation .7 in the edge table, discounted)',
  },
  {
    from: 'Redelivery',
    to: 'Expansion',
    strength: 0.5,
    why: 'continuation out of a rebalanced imbalance',
  },
  {
    from: 'Consolidation',
    to: 'LiquidityTaken',
    strength: 0.5,
    why: 'the range extremes are swept (liquidity pools form at range highs/lows)',
  },
];

/**
 * The table as a dense N_KINDS × N_KINDS Float64Array (row = src kind, column = dst kind), for hot loops.
 * Built once at module load; throws if the table names an unknown kind or repeats a pair.
 */
export const CAUSAL_MATRIX: Float64Array = buildCausalMatrix(CAUSAL_PAIRS);

function buildCausalMatrix(pairs: readonly CausalPair[]): Float64Array {
  const m = new Float64Array(N_KINDS * N_KINDS).fill(DEFAULT_CAUSAL_STRENGTH);
  const seen = new Set<string>();
  for (const p of pairs) {
    const a = KIND[p.from];
    const b = KIND[p.to];
    if (a === undefined || b === undefined)
      throw new Error(`causal table: unknown kind in ${p.from} → ${p.to}`);
    const key = `${p.from}>${p.to}`;
    if (seen.has(key)) throw new Error(`causal table: duplicate pair ${key}`);
    if (!(p.strength >= 0 && p.strength <= 1))
      throw new Error(`causal table: strength of ${key} not in [0, 1]`);
    seen.add(key);
    m[a * N_KINDS + b] = p.strength;
  }
  return m;
}

/** Causal strength of src kind → dst kind (codes 0…6). */
export function causalStrength(srcKind: number, dstKind: number): number {
  if (srcKind >= N_KINDS || dstKind >= N_KINDS || srcKind < 0 || dstKind < 0) {
    throw new Error(`causalStrength: kind codes must be in 0..${N_KINDS - 1} (${EVENT_KINDS.join(', ')})`);
  }
  return CAUSAL_MATRIX[srcKind * N_KINDS + dstKind];
}
