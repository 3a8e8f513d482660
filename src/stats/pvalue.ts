/**
 * Test statistics of an observed value against a sample of null values: lift, z-score and the empirical
 * (permutation) p-value. No normal approximation: the p-value counts the nulls.
 */

/** Lift = observed / max(null mean, floor). The floor keeps a motif that never appears in the nulls finite. */
export function lift(observed: number, nullMean: number, floor: number): number {
  if (!(floor > 0)) throw new Error(`lift: floor must be > 0, got ${floor}`);
  return observed / Math.max(nullMean, floor);
}

/**
 * z = (observed − mean)/sd. When sd = 0 the nulls are constant: z is +∞ above them, −∞ below, 0 on them
 * (never NaN, so sorting and Parquet stay well defined).
 */
export function zScore(observed: number, mean: number, sd: number): number {
  if (sd > 0) return (observed - mean) / sd;
  return observed > mean ? Infinity : observed < mean ? -Infinity : 0;
}

/**
 * One-sided empirical p-value with the +1 correction (Phipson & Smyth 2010): p = (#{null ≥ obs} + 1)/(n + 1).
 * Never 0; exact-valid (P(p ≤ α) ≤ α) when the observed data are exchangeable with the nulls.
 */
export function empiricalP(nullsAtLeastObserved: number, nNulls: number): number {
  if (!Number.isInteger(nNulls) || nNulls < 1)
    throw new Error(`empiricalP: nNulls must be an integer ≥ 1, got ${nNulls}`);
  if (!Number.isInteger(nullsAtLeastObserved) || nullsAtLeastObserved < 0 || nullsAtLeastObserved > nNulls)
    throw new Error(`empiricalP: count must be an integer in 0..${nNulls}, got ${nullsAtLeastObserved}`);
  return (nullsAtLeastObserved + 1) / (nNulls + 1);
}
