/**
 * Student's t distribution (from @stdlib: regularized incomplete beta, well tested) for the cluster-robust tests
 * of the evaluation: two-sided p-values and quantiles.
 */
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** Two-sided p-value of a t statistic with `df` degrees of freedom (NaN when df < 1 or t is NaN). */
export function studentTwoSidedP(t: number, df: number): number {
  if (!(df >= 1) || Number.isNaN(t)) return NaN;
  if (!Number.isFinite(t)) return 0;
  return Math.min(1, 2 * tCdf(-Math.abs(t), df));
}

/** The p-quantile of Student's t with `df` degrees of freedom. */
export function studentQuantile(p: number, df: number): number {
  if (!(df >= 1) || !(p > 0 && p < 1)) return NaN;
  return tQuantile(p, df);
}
