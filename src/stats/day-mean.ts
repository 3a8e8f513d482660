/**
 * The mean of a per-event quantity with a CI clustered by trading day: each day is one unit (its sum and its
 * count), the statistic is Σsum / Σcount, and the interval is the percentile day bootstrap (or, for few days,
 * the exact enumeration of every resample). One helper for the Brier/log-loss differences of the calibrated
 * confluence, the encoder ablation and the training protocol.
 */
import { bootstrapRatioCI, MIN_BOOTSTRAP_UNITS } from './bootstrap.js';
import { exactBootstrapRatioCI } from './exact-bootstrap.js';

export interface DayMeanOptions {
  level: number;
  replicates: number;
  seed: number;
  /** Enumerate every resample exactly up to this many days (default 0: always the seeded bootstrap). */
  exactUpTo?: number;
  /** Fewest days for an interval (default MIN_BOOTSTRAP_UNITS); fewer → null. */
  minDays?: number;
}

/** CI of Σ sum[u] / Σ count[u] over day units u (every count ≥ 1); null with fewer than `minDays` days. */
export function dayMeanCI(
  sum: ArrayLike<number>,
  count: ArrayLike<number>,
  o: DayMeanOptions,
): { low: number; high: number; exact: boolean } | null {
  const U = sum.length;
  if (count.length !== U) throw new Error(`dayMeanCI: ${U} sums but ${count.length} counts`);
  if (U < (o.minDays ?? MIN_BOOTSTRAP_UNITS)) return null;
  const input = {
    nUnits: U,
    nRatios: 1,
    numerator: Float64Array.from(sum),
    denominator: Float64Array.from(count),
    floor: 1,
    level: o.level,
  };
  const exact = U <= (o.exactUpTo ?? 0);
  const ci = exact
    ? exactBootstrapRatioCI(input)
    : bootstrapRatioCI({ ...input, replicates: o.replicates, seed: o.seed });
  return { low: ci.low[0], high: ci.high[0], exact };
}
