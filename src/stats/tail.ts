/**
 * Tail approximation of a null distribution from its moments, for p-values beyond the resolution of the
 * Monte-Carlo draws (a moment-matched gamma). Used by motif mining only where the draws saw fewer than h exceedances; validated against
 * brute-force many-draw p-values in test/motifs-pvalues.test.ts.
 */

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error < 1e-13). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * ln Q(a, x), the log of the regularized upper incomplete gamma function (series for x < a + 1, Lentz's
 * continued fraction otherwise; Numerical Recipes §6.2). Works in logs so far tails do not underflow.
 */
export function logUpperGamma(a: number, x: number): number {
  if (!(a > 0)) throw new Error(`logUpperGamma: a must be > 0, got ${a}`);
  if (x <= 0) return 0;
  const lead = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let k = 1; k < 10_000; k++) {
      term *= x / (a + k);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    const lower = Math.exp(lead + Math.log(sum));
    return Math.log1p(-Math.min(lower, 1));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return lead + Math.log(h);
}

/**
 * P(X ≥ x) for a non-negative, integer-valued null statistic (a motif count or support) from its mean and sd:
 * a gamma distribution matched to the first two moments (shape μ²/σ², scale σ²/μ), continuity-corrected. Two
 * moments, not three: the sample skewness of a few hundred heavy-tailed draws moved tail p-values by 10–40×
 * between null seeds, the variance does not. NaN when sd = 0 or mean ≤ 0 (no tail to approximate). Never below
 * Number.MIN_VALUE.
 */
export function gammaTailP(x: number, mean: number, sd: number): number {
  if (!(sd > 0) || !(mean > 0)) return Number.NaN;
  const shape = (mean * mean) / (sd * sd);
  const scale = (sd * sd) / mean;
  const y = (x - 0.5) / scale;
  return Math.max(Math.exp(logUpperGamma(shape, Math.max(y, 0))), Number.MIN_VALUE);
}
