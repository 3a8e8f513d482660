/**
 * The session-range oracle: from the first minutes of a session, predict its FINAL high, low and range with
 * prediction intervals at a stated coverage, calibrated walk-forward by split conformal prediction (Vovk et al.
 * 2005; Lei et al. 2018, JASA), and compared with trivial baselines calibrated the same way.
 *
 * Cut. The cut time of session s is `windowStart + minutes` (or `+ fraction × window length`). "So far" means
 * the session's bars CLOSED by the cut (`t + timeframe ≤ cut`); a bar that straddles the cut counts only in the
 * final values. Everything a prediction uses is known at the cut: the bars so far, bars before the session, the
 * final ranges of sessions that ended before it, and conformal quantiles fitted on earlier training days. Final
 * values use the session's own bars only (no bar beyond its window).
 *
 * Conformal scheme. Every method m gives, at the cut, a base b and a scale σ > 0; its nonconformity score is
 * `(R − b)/σ` for the final range R. For a test session of fold k, the calibration scores are those of the
 * eligible sessions of training days `[0, fold.trainTo)` of the same session type (all types when fewer than
 * `minCalibration`); q is the ⌈(n+1)·coverage⌉-th smallest of the n scores, which gives marginal coverage
 * ≥ coverage for an exchangeable test session. The interval is `[R0, max(R0, b + q·σ)]` where R0 is the range so
 * far — the final range can never be below it, so the lower end costs no coverage — and the point prediction is
 * `max(R0, b + median(scores)·σ)`. All methods share the interval shape, the pool rule and the test sessions (the
 * oracle's; a baseline without a scale for one counts it as `missing`), so their coverage and mean width compare
 * like with like; they differ only in b and σ.
 *
 * Methods.
 * - `oracle`: b = R0, σ = the expected range extension of a driftless random walk over the rest of the window,
 *   given where the last close sits inside the range so far: with s = σ_bar·√m (m the bars left in the window;
 *   σ_bar² the close-to-close variance per bar of the session so far, blended with that of the `priorHours`
 *   before the session, weighted by bars: the session's count as it has had, the prior's as `priorWeight × m`,
 *   because the next m bars outlive the current regime), a = highSoFar − close and c = close − lowSoFar,
 *   E[(max − a)⁺] + E[(c' − min)⁺] = s·(g(a/s) + g(c/s)), g(z) = 2(φ(z) − z(1 − Φ(z))) (reflection principle).
 *   The final high and low get the same treatment with s·g(a/s) and s·g(c/s): [highSoFar, highSoFar + q·σ_h]
 *   and [lowSoFar − q·σ_l, lowSoFar].
 * - `prev-range`: b = 0, σ = the final range of the previous session of the same type (score: ratio R/prev).
 * - `atr`: b = R0, σ = mean true range of the last `atrBars` bars before the cut × √m.
 * - `type-median`: b = 0, σ = 1: the interval's top is the conformal quantile of the calibration sessions' final
 *   ranges, the point their median — the time-of-day × session-type climatology.
 *
 * Cost: one pass over the bars for the per-session quantities, then per fold a sort of the calibration scores
 * (O(sessions·log) per fold); a year of one-minute bars takes well under a second after segmentation.
 */
import { quantileSorted } from '../stats/index.js';
import type { EvalSeries } from './types.js';
import { defaultWalkForward, walkForwardFolds, type WalkForwardOptions } from './walk-forward.js';

export interface OracleOptions {
  /** Minutes after the window start at which to predict (default 30 when `fraction` is absent). */
  minutes?: number;
  /** Or: the share of the session window (0 < fraction < 1) after which to predict; excludes `minutes`. */
  fraction?: number;
  /** Nominal coverage of every interval (default 0.9). */
  coverage?: number;
  /**
   * Fewest same-type calibration sessions before falling back to all types (default 8). Raised to the fewest
   * that give a finite conformal quantile at `coverage` (9 at 0.9) — below that no interval is finite.
   */
  minCalibration?: number;
  /** Rolling origin by trading day (default `defaultWalkForward(series.days.length)`). */
  walkForward?: WalkForwardOptions;
  /** Bars in the ATR baseline's mean true range (default 14). */
  atrBars?: number;
  /**
   * Hours of bars before the session's window start whose close-to-close volatility the oracle blends with the
   * session's own so far (default 24).
   */
  priorHours?: number;
  /**
   * Weight of that prior volatility, in bars per bar left in the window (default 1: the prior counts as many bars
   * as remain, the session's own as many as it has had; 0: the session's own volatility only). Chosen a priori
   * and checked on generated bars only (widths at 0, ¼, 1, 4, ∞: 1 was among the narrowest; coverage does not
   * depend on it, conformal calibration holds for any scale).
   */
  priorWeight?: number;
  /** Fewest bars before the cut, as a share of the bars the cut span would hold (default 0.5; at least 2). */
  minBarShare?: number;
}

/** Coverage, width and point error of one method over a set of test sessions. */
export interface OracleSummary {
  n: number;
  /** Share of the n test sessions whose final range lies inside the interval (NaN when n = 0). */
  coverage: number;
  /** Day-clustered standard error of the coverage (sessions of one trading day are dependent). */
  coverageSE: number;
  meanWidth: number;
  medianAbsError: number;
}

export interface OracleMethodReport extends OracleSummary {
  method: string;
  /** What the method predicts from, in one line. */
  doc: string;
  nominal: number;
  /** Test sessions the method could not predict (no scale: e.g. no previous session of the type). */
  missing: number;
  byType: Record<string, OracleSummary>;
}

/** One side (final high or final low) of an oracle prediction. */
export interface OracleExtreme {
  soFar: number;
  predicted: number;
  /** The interval: [soFar, bound] for the high, [bound, soFar] for the low. */
  bound: number;
  actual: number;
  covered: boolean;
}

export interface OraclePrediction {
  session: string;
  type: string;
  day: string;
  fold: number;
  /** Cut time, UTC ms: the prediction uses bars closed by then. */
  cutT: number;
  /** Pool the conformal quantile came from: the session's own type, or all types (too few of its type). */
  calibration: 'type' | 'all';
  nCalibration: number;
  rangeSoFar: number;
  predicted: number;
  /** The range interval [low, high]; low is the range so far. */
  low: number;
  high: number;
  actual: number;
  covered: boolean;
  finalHigh: OracleExtreme;
  finalLow: OracleExtreme;
}

export interface OracleReport {
  target: 'range';
  cut: { minutes?: number; fraction?: number };
  nominal: number;
  /** The oracle's range intervals (same figures as methods[0]). */
  n: number;
  coverage: number;
  coverageSE: number;
  meanWidth: number;
  medianAbsError: number;
  /** The oracle first, then the baselines. */
  methods: OracleMethodReport[];
  baselines: OracleMethodReport[];
  predictions: OraclePrediction[];
  /** Coverage and mean width of the oracle's final-high and final-low intervals. */
  highLow: { coverageHigh: number; coverageLow: number; meanWidthHigh: number; meanWidthLow: number };
  /** How many predictions used a same-type pool and how many fell back to all types. */
  calibrationPools: { type: number; all: number };
  folds: number;
  /** Sessions without a prediction, and why. */
  skipped: { session: string; reason: string }[];
}

const METHOD_DOCS: Record<string, string> = {
  oracle:
    'range so far + q × the random-walk range extension over the rest of the window (close-to-close volatility so far blended with the prior day’s, position of the last close in the range)',
  'prev-range': 'q × the final range of the previous session of the same type',
  atr: 'range so far + q × mean true range of the last k bars before the cut × √(bars left in the window)',
  'type-median': 'conformal quantile (top) and median (point) of the calibration sessions’ final ranges',
};
const METHODS = ['oracle', 'prev-range', 'atr', 'type-median'] as const;

/** Rank (1-based) of the conformal quantile among n scores: ⌈(n+1)·coverage⌉ (guarded against 0.9·10 = 9.000…1). */
export function conformalRank(n: number, coverage: number): number {
  return Math.ceil((n + 1) * coverage - 1e-9);
}

/** Fewest calibration scores for which the conformal quantile at `coverage` is finite. */
export function minFiniteCalibration(coverage: number): number {
  let n = 1;
  while (conformalRank(n, coverage) > n) n++;
  return n;
}

/**
 * Split-conformal quantile of ascending `sorted` scores: the ⌈(n+1)·coverage⌉-th smallest, +∞ when that rank
 * exceeds n (too few scores for a finite interval at this coverage).
 */
export function conformalQuantile(sorted: ArrayLike<number>, coverage: number): number {
  const k = conformalRank(sorted.length, coverage);
  return k > sorted.length ? Infinity : sorted[k - 1];
}

/** Chebyshev coefficients of erfc (Numerical Recipes' erfcc), highest order first, for Horner's scheme. */
const ERFC_COEF = [
  0.17087277, -0.82215223, 1.48851587, -1.13520398, 0.27886807, -0.18628806, 0.09678418, 0.37409196,
  1.00002368, -1.26551223,
];

/** Φ(x), standard normal CDF, via erfc (|relative error| < 1.2e-7: ample for a scale). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  let poly = 0;
  for (const c of ERFC_COEF) poly = poly * t + c;
  const erfc = t * Math.exp(-z * z + poly);
  return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
}

/**
 * E[(M − z)⁺] for M the running maximum of a standard Brownian motion over unit time (P(M > x) = 2(1 − Φ(x))):
 * ∫_z^∞ 2(1 − Φ(x)) dx = 2(φ(z) − z(1 − Φ(z))). Positive for every z ≥ 0 (g(0) = √(2/π)).
 */
function extension(z: number): number {
  const phi = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  return 2 * (phi - z * (1 - normalCdf(z)));
}

function checkOptions(o: OracleOptions): void {
  if (o.minutes !== undefined && o.fraction !== undefined)
    throw new Error('oracle: give minutes or fraction, not both');
  if (o.minutes !== undefined && !(Number.isFinite(o.minutes) && o.minutes > 0))
    throw new Error(`oracle: minutes must be > 0, got ${o.minutes}`);
  if (o.fraction !== undefined && !(o.fraction > 0 && o.fraction < 1))
    throw new Error(`oracle: fraction must be in (0, 1), got ${o.fraction}`);
  if (o.coverage !== undefined && !(o.coverage > 0 && o.coverage < 1))
    throw new Error(`oracle: coverage must be in (0, 1), got ${o.coverage}`);
  if (o.minCalibration !== undefined && !(Number.isInteger(o.minCalibration) && o.minCalibration >= 1))
    throw new Error(`oracle: minCalibration must be an integer ≥ 1, got ${o.minCalibration}`);
  if (o.atrBars !== undefined && !(Number.isInteger(o.atrBars) && o.atrBars >= 1))
    throw new Error(`oracle: atrBars must be an integer ≥ 1, got ${o.atrBars}`);
  if (o.priorHours !== undefined && !(o.priorHours >= 0 && Number.isFinite(o.priorHours)))
    throw new Error(`oracle: priorHours must be ≥ 0, got ${o.priorHours}`);
  if (o.priorWeight !== undefined && !(o.priorWeight >= 0))
    throw new Error(`oracle: priorWeight must be ≥ 0 (Infinity: the prior only), got ${o.priorWeight}`);
  if (o.minBarShare !== undefined && !(o.minBarShare >= 0 && o.minBarShare <= 1))
    throw new Error(`oracle: minBarShare must be in [0, 1], got ${o.minBarShare}`);
}

/** Per-session quantities at the cut and at the close (NaN where not defined). */
interface SessionTable {
  eligible: Uint8Array;
  reason: (string | null)[];
  cutT: Float64Array;
  highSoFar: Float64Array;
  lowSoFar: Float64Array;
  finalHigh: Float64Array;
  finalLow: Float64Array;
  /** Oracle scales of the high extension and the low extension (their sum scales the range). */
  scaleHigh: Float64Array;
  scaleLow: Float64Array;
  /** Base and scale per method, in METHODS order. */
  base: Float64Array[];
  scale: Float64Array[];
}

const fmtMin = (ms: number): string => `${+(ms / 60_000).toFixed(2)} min`;

/** One pass over the bars: so-far and final quantities of every session, and each method's base and scale. */
function sessionTable(
  series: EvalSeries,
  cutMs: (s: number) => number,
  atrBars: number,
  minShare: number,
  priorMs: number,
  priorWeight: number,
): SessionTable {
  const { bars, segments: seg } = series;
  const tf = bars.timeframeMs;
  const S = seg.count;
  const tab: SessionTable = {
    eligible: new Uint8Array(S),
    reason: new Array<string | null>(S).fill(null),
    cutT: new Float64Array(S),
    highSoFar: new Float64Array(S).fill(NaN),
    lowSoFar: new Float64Array(S).fill(NaN),
    finalHigh: new Float64Array(S),
    finalLow: new Float64Array(S),
    scaleHigh: new Float64Array(S).fill(NaN),
    scaleLow: new Float64Array(S).fill(NaN),
    base: METHODS.map(() => new Float64Array(S).fill(NaN)),
    scale: METHODS.map(() => new Float64Array(S).fill(NaN)),
  };
  // True range prefix sums: the ATR of any k bars ending at j is one subtraction (keeps the pass O(bars)).
  const trSum = new Float64Array(bars.n + 1);
  for (let i = 0; i < bars.n; i++) {
    const pc = i > 0 ? bars.close[i - 1] : bars.open[i];
    trSum[i + 1] = trSum[i] + Math.max(bars.high[i], pc) - Math.min(bars.low[i], pc);
  }
  const dsq = new Float64Array(bars.n);
  const dspan = new Float64Array(bars.n);
  for (let i = 1; i < bars.n; i++) {
    const d = bars.close[i] - bars.close[i - 1];
    dsq[i] = dsq[i - 1] + d * d;
    dspan[i] = dspan[i - 1] + (bars.t[i] - bars.t[i - 1]) / tf;
  }
  let lo = 0;
  const lastClose = bars.n > 0 ? bars.t[bars.n - 1] + tf : -Infinity;
  const prevRangeOfType = new Map<string, number>();
  const [ORACLE, PREV, ATR, MEDIAN] = [0, 1, 2, 3];
  for (let s = 0; s < S; s++) {
    const first = seg.firstBar[s];
    const last = seg.lastBar[s];
    const ws = seg.windowStart[s];
    const we = seg.windowEnd[s];
    const cut = cutMs(s);
    tab.cutT[s] = cut;
    // Final values over the session's own bars (all of them, also when the session is not eligible, because
    // the previous-session baseline of the next session of this type reads them).
    let hf = -Infinity;
    let lf = Infinity;
    for (let i = first; i <= last; i++) {
      if (bars.high[i] > hf) hf = bars.high[i];
      if (bars.low[i] < lf) lf = bars.low[i];
    }
    tab.finalHigh[s] = hf;
    tab.finalLow[s] = lf;
    const prevRange = prevRangeOfType.get(seg.type[s]);
    prevRangeOfType.set(seg.type[s], hf - lf);

    const expected = (cut - ws) / tf;
    const minBars = Math.max(2, Math.ceil(minShare * expected - 1e-9));
    let reason: string | null = null;
    // So far: bars closed by the cut. Close-to-close variance per bar, each change divided by the bars it
    // spans, so sparse bars (gaps) do not read as calm.
    let h0 = -Infinity;
    let l0 = Infinity;
    let nSo = 0;
    let sq = 0;
    let span = 0;
    let park = 0;
    let i = first;
    for (; i <= last && bars.t[i] + tf <= cut; i++) {
      if (bars.high[i] > h0) h0 = bars.high[i];
      if (bars.low[i] < l0) l0 = bars.low[i];
      const hl = bars.high[i] - bars.low[i];
      park += hl * hl;
      if (i > first) {
        const d = bars.close[i] - bars.close[i - 1];
        sq += d * d;
        span += (bars.t[i] - bars.t[i - 1]) / tf;
      }
      nSo++;
    }
    if (!(cut < we)) reason = `window (${fmtMin(we - ws)}) not longer than the cut (${fmtMin(cut - ws)})`;
    else if (lastClose < we) reason = 'the bars end inside the window (incomplete session)';
    else if (nSo < minBars) reason = `${nSo} bar(s) before the cut, need ≥ ${minBars}`;
    else if (i > last) reason = 'no bars after the cut';
    if (reason === null) {
      // Parkinson's (high − low)²/(4 ln 2) stands in when the closes did not move (flat sparse bars).
      let sigma2 = sq > 0 ? sq / span : park / nSo / (4 * Math.LN2);
      const mLeft = (we - cut) / tf;
      while (lo < first && bars.t[lo] < ws - priorMs) lo++;
      const pspan = first - 1 > lo ? dspan[first - 1] - dspan[lo] : 0;
      if (pspan > 0 && priorWeight > 0) {
        const p2 = (dsq[first - 1] - dsq[lo]) / pspan;
        const n0 = priorWeight * mLeft;
        sigma2 = Number.isFinite(n0) ? (span * sigma2 + n0 * p2) / (span + n0) : p2;
      }
      const sd = Math.sqrt(sigma2 * mLeft);
      if (!(sd > 0)) reason = 'no price movement before the cut (volatility 0)';
      else {
        const c = bars.close[i - 1];
        tab.highSoFar[s] = h0;
        tab.lowSoFar[s] = l0;
        tab.scaleHigh[s] = sd * extension((h0 - c) / sd);
        tab.scaleLow[s] = sd * extension((c - l0) / sd);
        const r0 = h0 - l0;
        tab.base[ORACLE][s] = r0;
        tab.scale[ORACLE][s] = tab.scaleHigh[s] + tab.scaleLow[s];
        if (prevRange !== undefined && prevRange > 0) {
          tab.base[PREV][s] = 0;
          tab.scale[PREV][s] = prevRange;
        }
        const j = i - 1; // last bar closed by the cut
        const k = Math.min(atrBars, j + 1);
        const atr = (trSum[j + 1] - trSum[j + 1 - k]) / k;
        if (atr > 0) {
          tab.base[ATR][s] = r0;
          tab.scale[ATR][s] = atr * Math.sqrt(mLeft);
        }
        tab.base[MEDIAN][s] = 0;
        tab.scale[MEDIAN][s] = 1;
        tab.eligible[s] = 1;
      }
    }
    tab.reason[s] = reason;
  }
  return tab;
}

/** Ascending Float64Array of the scores of `sessions` (those with a score). */
function sortedScores(sessions: readonly number[], score: Float64Array): Float64Array {
  const out = new Float64Array(sessions.length);
  let n = 0;
  for (const s of sessions) if (Number.isFinite(score[s])) out[n++] = score[s];
  return out.subarray(0, n).sort();
}

interface Row {
  session: number;
  covered: boolean;
  width: number;
  absError: number;
}

function summarise(rows: readonly Row[], dayOf: Int32Array): OracleSummary {
  const n = rows.length;
  if (n === 0) return { n: 0, coverage: NaN, coverageSE: NaN, meanWidth: NaN, medianAbsError: NaN };
  let cov = 0;
  let width = 0;
  for (const r of rows) {
    cov += r.covered ? 1 : 0;
    width += r.width;
  }
  const p = cov / n;
  // Cluster-robust (by trading day) variance of a proportion: Σ_d (c_d − p·n_d)² / n², × G/(G−1).
  const perDay = new Map<number, [number, number]>();
  for (const r of rows) {
    const d = dayOf[r.session];
    const e = perDay.get(d) ?? [0, 0];
    e[0] += r.covered ? 1 : 0;
    e[1] += 1;
    perDay.set(d, e);
  }
  const G = perDay.size;
  let v = 0;
  for (const [c, m] of perDay.values()) v += (c - p * m) ** 2;
  const se = G > 1 ? Math.sqrt((v * G) / (G - 1)) / n : NaN;
  const errs = Float64Array.from(rows, (r) => r.absError).sort();
  return { n, coverage: p, coverageSE: se, meanWidth: width / n, medianAbsError: quantileSorted(errs, 0.5) };
}

/**
 * Walk-forward conformal intervals for the final range (and high and low) of each session from its first
 * minutes, with the baselines. Pure; deterministic. See the module comment for the scheme.
 */
export function sessionRangeOracle(series: EvalSeries, opts: OracleOptions = {}): OracleReport {
  checkOptions(opts);
  const { segments: seg, dayOfSession, days } = series;
  const tf = series.bars.timeframeMs;
  if (!(tf > 0)) throw new Error(`oracle: ${series.source}: timeframe unknown (validate the bars first)`);
  const fraction = opts.fraction;
  const minutes = fraction === undefined ? (opts.minutes ?? 30) : undefined;
  const coverage = opts.coverage ?? 0.9;
  const minFinite = minFiniteCalibration(coverage);
  const minCal = Math.max(opts.minCalibration ?? 8, minFinite);
  const cutMs =
    fraction !== undefined
      ? (s: number) => seg.windowStart[s] + fraction * (seg.windowEnd[s] - seg.windowStart[s])
      : (s: number) => seg.windowStart[s] + minutes! * 60_000;
  const tab = sessionTable(
    series,
    cutMs,
    opts.atrBars ?? 14,
    opts.minBarShare ?? 0.5,
    (opts.priorHours ?? 24) * 3_600_000,
    opts.priorWeight ?? 1,
  );
  const S = seg.count;

  // Scores (NaN where a method has no scale for the session).
  const rangeScore = METHODS.map((_, m) => {
    const sc = new Float64Array(S).fill(NaN);
    for (let s = 0; s < S; s++) {
      const scale = tab.scale[m][s];
      if (tab.eligible[s] && scale > 0 && Number.isFinite(scale))
        sc[s] = (tab.finalHigh[s] - tab.finalLow[s] - tab.base[m][s]) / scale;
    }
    return sc;
  });
  const highScore = new Float64Array(S).fill(NaN);
  const lowScore = new Float64Array(S).fill(NaN);
  for (let s = 0; s < S; s++) {
    if (!tab.eligible[s]) continue;
    highScore[s] = (tab.finalHigh[s] - tab.highSoFar[s]) / tab.scaleHigh[s];
    lowScore[s] = (tab.lowSoFar[s] - tab.finalLow[s]) / tab.scaleLow[s];
  }

  const wf = opts.walkForward ?? defaultWalkForward(days.length);
  const folds = walkForwardFolds(days.length, wf);
  const firstTest = folds.length > 0 ? folds[0].testFrom : days.length;
  const skipped: { s: number; session: string; reason: string }[] = [];
  const rows: Row[][] = METHODS.map(() => []);
  const missing = new Int32Array(METHODS.length);
  const predictions: OraclePrediction[] = [];
  const pools = { type: 0, all: 0 };
  const hiRows: Row[] = [];
  const loRows: Row[] = [];

  for (let s = 0; s < S; s++) {
    if (tab.reason[s] !== null) skipped.push({ s, session: seg.id[s], reason: tab.reason[s]! });
    else if (dayOfSession[s] < firstTest)
      skipped.push({
        s,
        session: seg.id[s],
        reason:
          folds.length > 0
            ? `no history: day ${days[dayOfSession[s]]} is in the first fold's training window (calibration only)`
            : `no history: ${days.length} trading day(s) give no walk-forward fold (minTrainDays ${wf.minTrainDays})`,
      });
  }

  for (const fold of folds) {
    // Calibration sessions: eligible, on training days (their final values are known before the test block).
    const calAll: number[] = [];
    const calByType = new Map<string, number[]>();
    const tests: number[] = [];
    for (let s = 0; s < S; s++) {
      if (!tab.eligible[s]) continue;
      const d = dayOfSession[s];
      if (d < fold.trainTo) {
        calAll.push(s);
        const list = calByType.get(seg.type[s]);
        if (list) list.push(s);
        else calByType.set(seg.type[s], [s]);
      } else if (d >= fold.testFrom && d < fold.testTo) tests.push(s);
    }
    // Sorted scores per (method, pool), computed once per fold.
    const cache = new Map<string, Float64Array>();
    const sorted = (key: string, list: readonly number[], score: Float64Array): Float64Array => {
      let v = cache.get(key);
      if (!v) cache.set(key, (v = sortedScores(list, score)));
      return v;
    };
    const poolOf = (type: string, key: string, score: Float64Array) => {
      const own = sorted(`${key}|${type}`, calByType.get(type) ?? [], score);
      if (own.length >= minCal) return { kind: 'type' as const, scores: own };
      const all = sorted(`${key}|*`, calAll, score);
      return { kind: 'all' as const, scores: all };
    };

    for (const s of tests) {
      const type = seg.type[s];
      const r0 = tab.highSoFar[s] - tab.lowSoFar[s];
      const actual = tab.finalHigh[s] - tab.finalLow[s];
      const oraclePool = poolOf(type, 'r0', rangeScore[0]);
      if (oraclePool.scores.length < minFinite) {
        skipped.push({
          s,
          session: seg.id[s],
          reason: `too few calibration sessions (${oraclePool.scores.length}, need ≥ ${minFinite} for a finite ${coverage} interval)`,
        });
        continue;
      }
      let oracleOut: { point: number; top: number; covered: boolean } | null = null;
      for (let m = 0; m < METHODS.length; m++) {
        const scale = tab.scale[m][s];
        const pool = m === 0 ? oraclePool : poolOf(type, `r${m}`, rangeScore[m]);
        if (!(scale > 0 && Number.isFinite(scale)) || pool.scores.length < minFinite) {
          missing[m]++;
          continue;
        }
        const q = conformalQuantile(pool.scores, coverage);
        const med = quantileSorted(pool.scores, 0.5);
        const top = Math.max(r0, tab.base[m][s] + q * scale);
        const point = Math.max(r0, tab.base[m][s] + med * scale);
        const covered = actual >= r0 && actual <= top;
        rows[m].push({ session: s, covered, width: top - r0, absError: Math.abs(point - actual) });
        if (m === 0) oracleOut = { point, top, covered };
      }
      const o = oracleOut!;
      const hPool = oraclePool.kind === 'type' ? calByType.get(type)! : calAll;
      const hs = sorted(`h|${oraclePool.kind === 'type' ? type : '*'}`, hPool, highScore);
      const ls = sorted(`l|${oraclePool.kind === 'type' ? type : '*'}`, hPool, lowScore);
      const h0 = tab.highSoFar[s];
      const l0 = tab.lowSoFar[s];
      const hTop = h0 + conformalQuantile(hs, coverage) * tab.scaleHigh[s];
      const lBot = l0 - conformalQuantile(ls, coverage) * tab.scaleLow[s];
      const hf = tab.finalHigh[s];
      const lf = tab.finalLow[s];
      const hPoint = h0 + quantileSorted(hs, 0.5) * tab.scaleHigh[s];
      const lPoint = l0 - quantileSorted(ls, 0.5) * tab.scaleLow[s];
      hiRows.push({ session: s, covered: hf <= hTop, width: hTop - h0, absError: Math.abs(hPoint - hf) });
      loRows.push({ session: s, covered: lf >= lBot, width: l0 - lBot, absError: Math.abs(lPoint - lf) });
      pools[oraclePool.kind]++;
      predictions.push({
        session: seg.id[s],
        type,
        day: days[dayOfSession[s]],
        fold: fold.index,
        cutT: tab.cutT[s],
        calibration: oraclePool.kind,
        nCalibration: oraclePool.scores.length,
        rangeSoFar: r0,
        predicted: o.point,
        low: r0,
        high: o.top,
        actual,
        covered: o.covered,
        finalHigh: { soFar: h0, predicted: hPoint, bound: hTop, actual: hf, covered: hf <= hTop },
        finalLow: { soFar: l0, predicted: lPoint, bound: lBot, actual: lf, covered: lf >= lBot },
      });
    }
  }

  const methods: OracleMethodReport[] = METHODS.map((method, m) => {
    const byType: Record<string, OracleSummary> = {};
    const types = [...new Set(rows[m].map((r) => seg.type[r.session]))];
    for (const t of types)
      byType[t] = summarise(
        rows[m].filter((r) => seg.type[r.session] === t),
        dayOfSession,
      );
    return {
      method,
      doc: METHOD_DOCS[method],
      nominal: coverage,
      missing: missing[m],
      ...summarise(rows[m], dayOfSession),
      byType,
    };
  });
  const hi = summarise(hiRows, dayOfSession);
  const lo = summarise(loRows, dayOfSession);
  const oracle = methods[0];
  return {
    target: 'range',
    cut: fraction !== undefined ? { fraction } : { minutes },
    nominal: coverage,
    n: oracle.n,
    coverage: oracle.coverage,
    coverageSE: oracle.coverageSE,
    meanWidth: oracle.meanWidth,
    medianAbsError: oracle.medianAbsError,
    methods,
    baselines: methods.slice(1),
    predictions,
    highLow: {
      coverageHigh: hi.coverage,
      coverageLow: lo.coverage,
      meanWidthHigh: hi.meanWidth,
      meanWidthLow: lo.meanWidth,
    },
    calibrationPools: pools,
    folds: folds.length,
    // In session order, whatever stage skipped them.
    skipped: skipped.sort((a, b) => a.s - b.s).map(({ session, reason }) => ({ session, reason })),
  };
}
