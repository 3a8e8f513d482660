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

/** The resamples of U units (see `enumerateResamples`) plus, per row, where it first differs from the row before. */
export interface Resamples {
  counts: Uint8Array;
  prob: Float64Array;
  /** Row k's counts equal row k − 1's before position firstDiff[k] (0 for row 0): prefix sums before it carry over. */
  firstDiff: Uint8Array;
}

const resampleMemo = new Map<number, Resamples>();

/** Every multiset of U units as counts (row-major, multisets × U) and its probability. */
export function enumerateResamples(units: number): Resamples {
  const memo = resampleMemo.get(units);
  if (memo) return memo;
  const m = multisetCount(units);
  const counts = new Uint8Array(m * units);
  const prob = new Float64Array(m);
  const firstDiff = new Uint8Array(m);
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
  for (let k = 1; k < m; k++) {
    let d = 0;
    while (d < units && counts[k * units + d] === counts[(k - 1) * units + d]) d++;
    firstDiff[k] = d;
  }
  const out = { counts, prob, firstDiff };
  // Kept per U (≤ 25k rows in the miner's use): every motif of a run walks the same table.
  if (m <= 100_000) resampleMemo.set(units, out);
  return out;
}

/**
 * The smallest value v of `vals[0..n)` with Σ_{vals ≤ v} w ≥ target (weighted quantile), by three-way quickselect
 * on the two parallel arrays (both are reordered): O(n) expected instead of a sort. When rounding leaves the
 * total below `target`, `max` (what a walk of the sorted values returns then).
 */
function weightedSelect(vals: Float64Array, w: Float64Array, n: number, target: number, max: number): number {
  let lo = 0;
  let hi = n;
  let acc = 0;
  while (hi - lo > 16) {
    const a = vals[lo];
    const b = vals[(lo + hi) >>> 1];
    const c = vals[hi - 1];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    // Dutch flag: [lo, lt) < pivot, [lt, i) = pivot, (gt, hi) > pivot.
    let lt = lo;
    let gt = hi - 1;
    let i = lo;
    let wLess = 0;
    let wEq = 0;
    while (i <= gt) {
      const v = vals[i];
      const x = w[i];
      if (v < pivot) {
        wLess += x;
        vals[i] = vals[lt];
        w[i] = w[lt];
        vals[lt] = v;
        w[lt] = x;
        lt++;
        i++;
      } else if (v > pivot) {
        vals[i] = vals[gt];
        w[i] = w[gt];
        vals[gt] = v;
        w[gt] = x;
        gt--;
      } else {
        wEq += x;
        i++;
      }
    }
    if (acc + wLess >= target) hi = lt;
    else if (acc + wLess + wEq >= target) return pivot;
    else {
      acc += wLess + wEq;
      lo = gt + 1;
    }
  }
  // A short run left: sort it and walk.
  for (let i = lo + 1; i < hi; i++) {
    const v = vals[i];
    const x = w[i];
    let j = i - 1;
    while (j >= lo && vals[j] > v) {
      vals[j + 1] = vals[j];
      w[j + 1] = w[j];
      j--;
    }
    vals[j + 1] = v;
    w[j + 1] = x;
  }
  for (let i = lo; i < hi; i++) {
    acc += w[i];
    if (acc >= target) return vals[i];
  }
  return max;
}

/**
 * Exact percentile interval of r_m = Σ num / max(Σ den, floor) over every resample (see the module comment):
 * low = the smallest r with P(R ≤ r) ≥ (1 − level)/2, high = the smallest r with P(R ≤ r) ≥ (1 + level)/2.
 *
 * Per ratio: the resamples' sums are prefix sums that carry over between consecutive rows (`firstDiff`), added in
 * unit order as a direct sum would; the two percentiles are weighted selections, not a sort. The reference (a
 * direct sum per row and a sort by value) is kept in the test, and both give the same numbers.
 */
export function exactBootstrapRatioCI(input: Omit<RatioBootstrapInput, 'replicates' | 'seed'>): {
  low: Float64Array;
  high: Float64Array;
} {
  const { nUnits: U, nRatios: M, numerator, denominator, floor, level } = input;
  if (!(level > 0 && level < 1)) throw new Error(`bootstrap: level must be in (0, 1), got ${level}`);
  const { counts, prob, firstDiff } = enumerateResamples(U);
  const R = prob.length;
  const low = new Float64Array(M);
  const high = new Float64Array(M);
  const r = new Float64Array(R);
  const v = new Float64Array(R);
  const w = new Float64Array(R);
  const nu = new Float64Array(U);
  const de = new Float64Array(U);
  const pn = new Float64Array(U + 1);
  const pd = new Float64Array(U + 1);
  // 1e-12: the probabilities sum to 1 only up to rounding.
  const aLow = (1 - level) / 2 - 1e-12;
  const aHigh = (1 + level) / 2 - 1e-12;
  for (let m = 0; m < M; m++) {
    for (let u = 0; u < U; u++) {
      nu[u] = numerator[u * M + m];
      de[u] = denominator[u * M + m];
    }
    let max = -Infinity;
    for (let k = 0; k < R; k++) {
      const row = k * U;
      for (let u = firstDiff[k]; u < U; u++) {
        const c = counts[row + u];
        // a unit drawn 0 times adds nothing (as the direct sum, which skips it)
        pn[u + 1] = c === 0 ? pn[u] : pn[u] + c * nu[u];
        pd[u + 1] = c === 0 ? pd[u] : pd[u] + c * de[u];
      }
      const x = pn[U] / Math.max(pd[U], floor);
      r[k] = x;
      if (x > max) max = x;
    }
    v.set(r);
    w.set(prob);
    low[m] = weightedSelect(v, w, R, aLow, max);
    v.set(r);
    w.set(prob);
    high[m] = weightedSelect(v, w, R, aHigh, max);
  }
  return { low, high };
}
