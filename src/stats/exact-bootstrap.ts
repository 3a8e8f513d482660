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
 *
 * Four ratios walk the resample table together (`ratioBlock`): they share its rows, counts and branches, and their
 * four addition chains overlap; each ratio's sums are the same operations in the same order as alone, so the same
 * bits.
 */
export function exactBootstrapRatioCI(input: Omit<RatioBootstrapInput, 'replicates' | 'seed'>): {
  low: Float64Array;
  high: Float64Array;
} {
  const { nUnits: U, nRatios: M, numerator, denominator, floor, level } = input;
  if (!(level > 0 && level < 1)) throw new Error(`bootstrap: level must be in (0, 1), got ${level}`);
  const table = enumerateResamples(U);
  const R = table.prob.length;
  const low = new Float64Array(M);
  const high = new Float64Array(M);
  const r = new Float64Array(4 * R);
  const max = new Float64Array(4);
  const v = new Float64Array(R);
  const w = new Float64Array(R);
  const nu = new Float64Array(4 * U);
  const de = new Float64Array(4 * U);
  const pn = new Float64Array(4 * (U + 1));
  const pd = new Float64Array(4 * (U + 1));
  // 1e-12: the probabilities sum to 1 only up to rounding.
  const aLow = (1 - level) / 2 - 1e-12;
  const aHigh = (1 + level) / 2 - 1e-12;
  for (let m0 = 0; m0 < M; m0 += 4) {
    const lanes = Math.min(4, M - m0);
    // lane q of unit u at [u·4 + q]; absent lanes (the last block) ratio 0/floor and are not read back
    nu.fill(0);
    de.fill(0);
    for (let q = 0; q < lanes; q++)
      for (let u = 0; u < U; u++) {
        nu[u * 4 + q] = numerator[u * M + m0 + q];
        de[u * 4 + q] = denominator[u * M + m0 + q];
      }
    ratioBlock(table, U, R, nu, de, floor, pn, pd, r, max);
    for (let q = 0; q < lanes; q++) {
      const rq = r.subarray(q * R, (q + 1) * R);
      v.set(rq);
      w.set(table.prob);
      low[m0 + q] = weightedSelect(v, w, R, aLow, max[q]);
      v.set(rq);
      w.set(table.prob);
      high[m0 + q] = weightedSelect(v, w, R, aHigh, max[q]);
    }
  }
  return { low, high };
}

/**
 * The resampled ratios of four ratios (lanes) at once: r[q·R + k] for row k of the table, max[q] their largest.
 * Per lane exactly the one-ratio walk: prefix sums in unit order, carried over before `firstDiff`, a unit drawn 0
 * times skipped (as the direct sum skips it).
 */
function ratioBlock(
  table: Resamples,
  U: number,
  R: number,
  nu: Float64Array,
  de: Float64Array,
  floor: number,
  pn: Float64Array,
  pd: Float64Array,
  r: Float64Array,
  max: Float64Array,
): void {
  const { counts, firstDiff } = table;
  let m0 = -Infinity;
  let m1 = -Infinity;
  let m2 = -Infinity;
  let m3 = -Infinity;
  const last = U * 4;
  for (let k = 0; k < R; k++) {
    const row = k * U;
    for (let u = firstDiff[k]; u < U; u++) {
      const c = counts[row + u];
      const at = u * 4;
      if (c === 0) {
        pn[at + 4] = pn[at];
        pn[at + 5] = pn[at + 1];
        pn[at + 6] = pn[at + 2];
        pn[at + 7] = pn[at + 3];
        pd[at + 4] = pd[at];
        pd[at + 5] = pd[at + 1];
        pd[at + 6] = pd[at + 2];
        pd[at + 7] = pd[at + 3];
      } else {
        pn[at + 4] = pn[at] + c * nu[at];
        pn[at + 5] = pn[at + 1] + c * nu[at + 1];
        pn[at + 6] = pn[at + 2] + c * nu[at + 2];
        pn[at + 7] = pn[at + 3] + c * nu[at + 3];
        pd[at + 4] = pd[at] + c * de[at];
        pd[at + 5] = pd[at + 1] + c * de[at + 1];
        pd[at + 6] = pd[at + 2] + c * de[at + 2];
        pd[at + 7] = pd[at + 3] + c * de[at + 3];
      }
    }
    const x0 = pn[last] / Math.max(pd[last], floor);
    const x1 = pn[last + 1] / Math.max(pd[last + 1], floor);
    const x2 = pn[last + 2] / Math.max(pd[last + 2], floor);
    const x3 = pn[last + 3] / Math.max(pd[last + 3], floor);
    r[k] = x0;
    r[R + k] = x1;
    r[2 * R + k] = x2;
    r[3 * R + k] = x3;
    if (x0 > m0) m0 = x0;
    if (x1 > m1) m1 = x1;
    if (x2 > m2) m2 = x2;
    if (x3 > m3) m3 = x3;
  }
  max[0] = m0;
  max[1] = m1;
  max[2] = m2;
  max[3] = m3;
}
