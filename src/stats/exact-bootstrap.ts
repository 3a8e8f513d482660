/**
 * The exact bootstrap distribution of a ratio statistic when the units are few (e.g. six trading days): every
 * resample with replacement is a multiset of the U units, C(2U − 1, U) of them, each with its multinomial
 * probability U!/(Π cᵢ!)·U^−U. The percentile interval is then a property of the data alone — no resampling
 * seed, so a motif's CI (and class) cannot change with the null seed. Used when the multisets are few enough.
 */
import type { RatioBootstrapInput } from './bootstrap.js';

/** Number of multisets of size U from U units: C(2U − 1, U). */
export function multisetCount(units: number): number {
  let c = 1;
  for (let k = 1; k <= units; k++) c = (c * (units + k - 1)) / k;
  return Math.round(c);
}

/** Every multiset of U units as counts (row-major, multisets × U) and its probability. */
export function enumerateResamples(units: number): { counts: Uint8Array; prob: Float64Array } {
  const m = multisetCount(units);
  const counts = new Uint8Array(m * units);
  const prob = new Float64Array(m);
  const logFact = [0];
  for (let k = 1; k <= units; k++) logFact.push(logFact[k - 1] + Math.log(k));
  const c = new Uint8Array(units);
  let row = 0;
  // Compositions of `units` into `units` non-negative parts, in lexicographic order.
  const visit = (i: number, left: number): void => {
    if (i === units - 1) {
      c[i] = left;
      counts.set(c, row * units);
      let lp = logFact[units] - units * Math.log(units);
      for (let j = 0; j < units; j++) lp -= logFact[c[j]];
      prob[row++] = Math.exp(lp);
      return;
    }
    for (let v = left; v >= 0; v--) {
      c[i] = v;
      visit(i + 1, left - v);
    }
  };
  visit(0, units);
  return { counts, prob };
}

/**
 * Exact percentile interval of r_m = Σ num / max(Σ den, floor) over every resample (see the module comment):
 * low = the smallest r with P(R ≤ r) ≥ (1 − level)/2, high = the smallest r with P(R ≤ r) ≥ (1 + level)/2.
 */
export function exactBootstrapRatioCI(input: Omit<RatioBootstrapInput, 'replicates' | 'seed'>): {
  low: Float64Array;
  high: Float64Array;
} {
  const { nUnits: U, nRatios: M, numerator, denominator, floor, level } = input;
  if (!(level > 0 && level < 1)) throw new Error(`bootstrap: level must be in (0, 1), got ${level}`);
  const { counts, prob } = enumerateResamples(U);
  const R = prob.length;
  const low = new Float64Array(M);
  const high = new Float64Array(M);
  const r = new Float64Array(R);
  const order = new Int32Array(R);
  const aLow = (1 - level) / 2;
  const aHigh = (1 + level) / 2;
  for (let m = 0; m < M; m++) {
    for (let k = 0; k < R; k++) {
      let num = 0;
      let den = 0;
      for (let u = 0; u < U; u++) {
        const w = counts[k * U + u];
        if (w === 0) continue;
        num += w * numerator[u * M + m];
        den += w * denominator[u * M + m];
      }
      r[k] = num / Math.max(den, floor);
      order[k] = k;
    }
    order.sort((a, b) => r[a] - r[b] || a - b);
    let cum = 0;
    let lo = Number.NaN;
    let hi = Number.NaN;
    for (let i = 0; i < R; i++) {
      cum += prob[order[i]];
      // 1e-12: the probabilities sum to 1 only up to rounding.
      if (Number.isNaN(lo) && cum >= aLow - 1e-12) lo = r[order[i]];
      if (cum >= aHigh - 1e-12) {
        hi = r[order[i]];
        break;
      }
    }
    low[m] = lo;
    high[m] = Number.isNaN(hi) ? r[order[R - 1]] : hi;
  }
  return { low, high };
}
