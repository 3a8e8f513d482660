/**
 * The calibrated confluence: the raw 0–100 score (score.ts, descriptive) turned into a walk-forward probability
 * of a stated outcome, with its reliability diagram and Brier score against climatology (EVIDENCE.md §7).
 *
 * Outcome (CONFLUENCE_OUTCOME): the absolute price move over the 30 minutes after the window end exceeds the
 * median of that move over the windows of the same session type in the fold's TRAINING days. The move is read
 * from bars as of the window end by evaluate/'s outcome table (`confluenceWindowLabels`): entry = open of the
 * first bar starting at/after the window end, exit = close of the last bar closing by entry + 30 min; no label
 * when that runs past the session window.
 *
 * Walk-forward (src/evaluate walkForwardFolds, rolling origin by trading day, expanding training window): for
 * each fold the outcome threshold (per-type median), the calibrator (logistic regression on the raw score by
 * default, or isotonic regression) and the climatology base rate are fitted on the training days only and
 * applied to the test days. Each window is predicted once, by the fold that tests its day; windows on days
 * before the first test block get no calibrated value ("not enough history"). Labels end inside their own
 * session, so no label straddles a fold boundary and no purge is needed; `embargoDays` leaves whole days out.
 *
 * Everything fitted upstream of the raw score (pattern frequencies, promoted motifs) must also come from days
 * before the scored ones for the probabilities to be out of sample; this module only guarantees its own part.
 */
import { DEFAULT_SEED, STREAMS } from '../core/index.js';
import {
  defaultWalkForward,
  outcomeTable,
  parseHorizon,
  walkForwardFolds,
  type EvalSeries,
  type Fold,
  type WalkForwardOptions,
  firstAtOrAfter,
} from '../evaluate/index.js';
import { dayMeanCI, deriveSeed, quantileSorted } from '../stats/index.js';
import type { ConfluenceWindowRow } from './score.js';

/** The forward horizon of the outcome, in minutes. */
export const CONFLUENCE_HORIZON_MINUTES = 30;

/** The outcome the calibrated confluence is a probability of. */
export const CONFLUENCE_OUTCOME =
  'the absolute move over the 30 minutes after the window end (open of the first bar starting at/after the ' +
  'window end → as-of close at entry + 30 min, within the session: evaluate/ ret@30m) exceeds the median of ' +
  'that move over the windows of the same session type in the training days of the walk-forward fold';

// ───────────────────────────── labels from bars (evaluate/ outcomes, as of the window end) ─────────────────────────────

/** The label inputs of each window row, from the bar series. */
export interface ConfluenceWindowLabels {
  /** Signed forward move (points) after the window end; NaN when there is no label. */
  move: Float64Array;
  /** Session type per window (the stratum of the median); '' when the session is not in the series. */
  stratum: string[];
  /** Trading-day index per window (series.days); −1 when the session is not in the series. */
  day: Int32Array;
  /** `YYYY-MM-DD` of each trading day (series.days). */
  days: string[];
  /** Entry bar per window (first bar opening at/after window_end); −1 when none. */
  entryBar: Int32Array;
}

/**
 * The forward move after each window's end, from evaluate/'s outcome table (`outcomeTable`, ret@h — one owner of
 * the as-of convention): entry bar e = the first bar opening at/after window_end; the emission bar is e − 1 (with
 * bars on the window grid, the window's last bar, closing at window_end); move = close of the last bar closing by
 * t[e] + h − open[e]. NaN when the window's session is not in the series, when there is no entry bar, when e − 1
 * and e are not both bars of the window's session (evaluate's eligibility), or when t[e] + h is after the session
 * window (a label never reaches into the next session). Trading days and session types come from the series, so
 * the calibration's days are the evaluation's.
 */
export function confluenceWindowLabels(
  series: Pick<EvalSeries, 'bars' | 'segments' | 'dayOfSession' | 'days'>,
  windows: readonly Pick<ConfluenceWindowRow, 'session_id' | 'window_end'>[],
  horizonMinutes: number = CONFLUENCE_HORIZON_MINUTES,
): ConfluenceWindowLabels {
  const { bars, segments: seg, dayOfSession } = series;
  const h = parseHorizon(String(horizonMinutes));
  const table = outcomeTable(bars, seg, null, { horizons: [h] });
  const ret = table.columns.find((c) => c.outcome === 'ret' && c.horizon === h)!.values;
  const index = new Map(seg.id.map((id, s) => [id, s]));
  const n = windows.length;
  const move = new Float64Array(n).fill(NaN);
  const stratum: string[] = [];
  const day = new Int32Array(n).fill(-1);
  const entryBar = new Int32Array(n).fill(-1);
  windows.forEach((w, r) => {
    const s = index.get(w.session_id);
    if (s === undefined) {
      stratum.push('');
      return;
    }
    stratum.push(seg.type[s]);
    day[r] = dayOfSession[s];
    const e = firstAtOrAfter(bars.t, bars.n, w.window_end);
    if (e >= bars.n) return;
    entryBar[r] = e;
    if (e === 0 || seg.sessionOfBar[e] !== s || seg.sessionOfBar[e - 1] !== s) return;
    move[r] = ret[e - 1];
  });
  return { move, stratum, day, days: series.days, entryBar };
}

// ───────────────────────────── outcome labels per fold ─────────────────────────────

/** Per fold: the outcome of every window (1, 0, NaN = no label) with thresholds fitted on training days only. */
export type FoldLabeler = (fold: Fold) => Float64Array;

/**
 * The stated outcome as a fold labeler: for fold f, threshold(type) = median |move| over windows of that type
 * on days < f.trainTo with a finite move; outcome = |move| > threshold (NaN when the move is NaN or the type has
 * no training window).
 */
export function medianMoveLabeler(
  move: ArrayLike<number>,
  stratum: readonly string[],
  day: ArrayLike<number>,
): FoldLabeler {
  const n = move.length;
  if (stratum.length !== n || day.length !== n)
    throw new Error(
      `medianMoveLabeler: move, stratum and day differ in length (${n}, ${stratum.length}, ${day.length})`,
    );
  return (fold) => {
    const train = new Map<string, number[]>();
    for (let i = 0; i < n; i++)
      if (day[i] >= 0 && day[i] < fold.trainTo && Number.isFinite(move[i])) {
        const list = train.get(stratum[i]) ?? [];
        list.push(Math.abs(move[i]));
        train.set(stratum[i], list);
      }
    const median = new Map(
      [...train].map(([k, v]) => [
        k,
        quantileSorted(
          v.sort((a, b) => a - b),
          0.5,
        ),
      ]),
    );
    return Float64Array.from({ length: n }, (_, i) => {
      const m = median.get(stratum[i]);
      return m === undefined || !Number.isFinite(move[i]) ? NaN : Math.abs(move[i]) > m ? 1 : 0;
    });
  };
}

// ───────────────────────────── calibrators ─────────────────────────────

export type CalibrationMethod = 'logistic' | 'isotonic';

/** A fitted map raw score (0–100) → probability. */
export interface Calibrator {
  method: CalibrationMethod;
  predict(score: number): number;
  /** Logistic: intercept and slope on the standardised score; isotonic: the fitted steps. */
  params: { intercept: number; slope: number; mean: number; sd: number } | { x: number[]; p: number[] };
}

/**
 * Ridge on the standardised slope of the logistic calibrator: a fixed weak prior (β ~ N(0, 1)), not tuned. It
 * keeps the fit finite under separation and shrinks a noise slope towards 0 (the base rate) by about
 * 1/(1 + n·p(1−p)), i.e. under 2% with 200 training windows.
 */
export const LOGISTIC_RIDGE = 1;

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/**
 * Logistic regression of y on the standardised score (Newton–Raphson with step halving; ridge LOGISTIC_RIDGE on
 * the slope, none on the intercept). Needs both outcomes among the training rows.
 */
export function fitLogistic(score: ArrayLike<number>, y: ArrayLike<number>): Calibrator {
  const n = score.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += score[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (score[i] - mean) ** 2;
  const sd = Math.sqrt(ss / n);
  const z = Float64Array.from({ length: n }, (_, i) => (sd > 0 ? (score[i] - mean) / sd : 0));
  const objective = (a: number, b: number) => {
    let ll = -0.5 * LOGISTIC_RIDGE * b * b;
    for (let i = 0; i < n; i++) {
      const eta = a + b * z[i];
      // log σ(η) = −log(1 + e^−η); log(1 − σ(η)) = −log(1 + e^η)
      ll -= y[i] ? Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
    }
    return ll;
  };
  let a = 0;
  let b = 0;
  let f = objective(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0;
    let gb = -LOGISTIC_RIDGE * b;
    let haa = 0;
    let hab = 0;
    let hbb = LOGISTIC_RIDGE;
    for (let i = 0; i < n; i++) {
      const p = sigmoid(a + b * z[i]);
      const w = p * (1 - p);
      ga += y[i] - p;
      gb += (y[i] - p) * z[i];
      haa += w;
      hab += w * z[i];
      hbb += w * z[i] * z[i];
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    let da = (hbb * ga - hab * gb) / det;
    let db = (haa * gb - hab * ga) / det;
    let step = 1;
    let next = objective(a + da, b + db);
    while (next < f && step > 1e-8) {
      step /= 2;
      da /= 2;
      db /= 2;
      next = objective(a + da, b + db);
    }
    if (next < f) break;
    a += da;
    b += db;
    const done = Math.abs(da) + Math.abs(db) < 1e-10 || next - f < 1e-12;
    f = next;
    if (done) break;
  }
  return {
    method: 'logistic',
    params: { intercept: a, slope: b, mean, sd },
    predict: (s) => sigmoid(a + b * (sd > 0 ? (s - mean) / sd : 0)),
  };
}

/**
 * Isotonic (non-decreasing) regression of y on the score by pool-adjacent-violators; tied scores share one
 * value. Prediction: the fitted value inside a pooled block's score range, linear between blocks, the end
 * values beyond them. With few training windows its end steps reach 0 or 1; the default is logistic.
 */
export function fitIsotonic(score: ArrayLike<number>, y: ArrayLike<number>): Calibrator {
  const order = Array.from({ length: score.length }, (_, i) => i).sort((i, j) => score[i] - score[j]);
  // Blocks: [xLo, xHi, sum, count], starting from groups of tied scores.
  const blocks: [number, number, number, number][] = [];
  for (const i of order) {
    const last = blocks[blocks.length - 1];
    if (last && last[1] === score[i]) {
      last[2] += y[i];
      last[3]++;
    } else blocks.push([score[i], score[i], y[i], 1]);
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1];
      const a = blocks[blocks.length - 2];
      if (a[2] / a[3] <= b[2] / b[3]) break;
      blocks.pop();
      a[1] = b[1];
      a[2] += b[2];
      a[3] += b[3];
    }
  }
  const lo = blocks.map((b) => b[0]);
  const hi = blocks.map((b) => b[1]);
  const p = blocks.map((b) => b[2] / b[3]);
  const x: number[] = [];
  const px: number[] = [];
  for (let k = 0; k < blocks.length; k++) {
    x.push(lo[k]);
    px.push(p[k]);
    if (hi[k] !== lo[k]) {
      x.push(hi[k]);
      px.push(p[k]);
    }
  }
  const predict = (s: number) => {
    if (s <= x[0]) return px[0];
    if (s >= x[x.length - 1]) return px[px.length - 1];
    const j = firstAtOrAfter(x, x.length, s); // x[j−1] < s ≤ x[j]
    if (x[j] === s) return px[j];
    const f = (s - x[j - 1]) / (x[j] - x[j - 1]);
    return px[j - 1] + f * (px[j] - px[j - 1]);
  };
  return { method: 'isotonic', params: { x, p: px }, predict };
}

// ───────────────────────────── walk-forward calibration ─────────────────────────────

export interface CalibrationOptions {
  /** Folds by trading day (default `defaultWalkForward(days)`). */
  walkForward?: WalkForwardOptions;
  /** Default 'logistic' (two parameters; isotonic overfits at a few hundred windows). */
  method?: CalibrationMethod;
  /** Equal-width bins of predicted probability in the reliability table (default 10). */
  bins?: number;
  /** Fewest labelled, scored training windows a fold needs (default 20); fewer → its test days stay null. */
  minTrain?: number;
  /** Day-clustered bootstrap of the Brier difference (default 2000 replicates, 0.95, DEFAULT_SEED). */
  bootstrap?: { replicates?: number; level?: number; seed?: number };
}

export interface CalibrationInput {
  /** Raw score per window (0–100); null or NaN = not scored. */
  score: ArrayLike<number | null>;
  /** Trading-day index per window (0 … days − 1, time order; −1 = none: never trains, never predicted). */
  day: ArrayLike<number>;
  days: number;
  /** Outcome per window (1, 0, NaN = unknown), fixed, or a labeler fitted per fold on its training days. */
  outcome: ArrayLike<number> | FoldLabeler;
}

export interface FoldFit extends Fold {
  /** Labelled, scored training windows the calibrator was fitted on. */
  nTrain: number;
  /** Share of outcome 1 among them: the fold's climatology forecast. */
  baseRate: number | null;
  /** Test windows predicted by this fold. */
  nTest: number;
  calibrator: Calibrator['params'] | null;
  /** Why the fold fitted nothing (its test windows stay null), else null. */
  skipped: string | null;
}

export interface ReliabilityBin {
  /** Predicted-probability bin [lo, hi) (the last one includes 1). */
  lo: number;
  hi: number;
  n: number;
  /** Mean predicted probability of the bin's windows (null when empty). */
  meanPredicted: number | null;
  /** Observed frequency of the outcome in the bin (null when empty). */
  observed: number | null;
}

export interface BrierSummary {
  /** Test windows with a calibrated value and a known outcome. */
  n: number;
  /** Trading days they fall on (the bootstrap units). */
  days: number;
  /** Mean squared error of the calibrated probability. */
  model: number | null;
  /** Mean squared error of the fold's training base rate (climatology) on the same windows. */
  climatology: number | null;
  /** 1 − model / climatology (null when either is unavailable or climatology is 0). */
  skill: number | null;
  /** climatology − model (> 0: the calibrated score beats the base rate) with a day-clustered bootstrap CI. */
  improvement: { estimate: number; low: number | null; high: number | null; level: number } | null;
  /** Observed outcome rate on these test windows. */
  observedRate: number | null;
}

export interface CalibrationResult {
  method: CalibrationMethod;
  walkForward: WalkForwardOptions;
  folds: FoldFit[];
  /** Walk-forward probability × 100 per window; null when not predicted (see `reason`). */
  calibrated: (number | null)[];
  /** Outcome per window as labelled in the fold that tests its day (null: not in a test fold, or no label). */
  outcome: (number | null)[];
  /** Fold that predicted each window (−1: none). */
  fold: Int32Array;
  /** Why `calibrated` is null, else null. */
  reason: (string | null)[];
  reliability: ReliabilityBin[];
  brier: BrierSummary;
}

export const NOT_ENOUGH_HISTORY = 'not enough history (before the first test fold)';
export const NO_TRADING_DAY = 'no trading day (the session is not in the bar series)';

/**
 * Walk-forward calibration of a raw score: per fold, labels (fixed, or from the labeler with thresholds fitted on
 * the training days), a calibrator fitted on the labelled, scored training windows (days < trainTo) and the
 * training base rate; predictions for the test days [testFrom, testTo). Nothing of a test day enters its own
 * fold's fit.
 */
export function calibrateWalkForward(
  input: CalibrationInput,
  opts: CalibrationOptions = {},
): CalibrationResult {
  const { score, day, days } = input;
  const n = score.length;
  if (day.length !== n) throw new Error(`calibrate: score and day differ in length (${n}, ${day.length})`);
  if (!Number.isInteger(days) || days < 0)
    throw new Error(`calibrate: days must be an integer ≥ 0, got ${days}`);
  for (let i = 0; i < n; i++)
    if (!(Number.isInteger(day[i]) && day[i] >= -1 && day[i] < days))
      throw new Error(
        `calibrate: day[${i}] = ${day[i]} is not a trading-day index in 0..${days - 1} (or −1: none)`,
      );
  const fixed = typeof input.outcome === 'function' ? null : input.outcome;
  if (fixed && fixed.length !== n)
    throw new Error(`calibrate: score and outcome differ in length (${n}, ${fixed.length})`);
  const labeler: FoldLabeler = fixed ? () => Float64Array.from(fixed) : (input.outcome as FoldLabeler);
  const method = opts.method ?? 'logistic';
  if (method !== 'logistic' && method !== 'isotonic')
    throw new Error(`calibrate: method must be 'logistic' or 'isotonic', got ${String(method)}`);
  const minTrain = opts.minTrain ?? 20;
  if (!(Number.isInteger(minTrain) && minTrain >= 2))
    throw new Error(`calibrate: minTrain must be an integer ≥ 2, got ${minTrain}`);
  const nBins = opts.bins ?? 10;
  if (!(Number.isInteger(nBins) && nBins >= 1))
    throw new Error(`calibrate: bins must be an integer ≥ 1, got ${nBins}`);
  const wf = opts.walkForward ?? defaultWalkForward(days);
  const folds = walkForwardFolds(days, wf);
  const raw = Float64Array.from({ length: n }, (_, i) => {
    const s = score[i];
    return s === null || !Number.isFinite(s) ? NaN : s;
  });

  const calibrated: (number | null)[] = new Array(n).fill(null);
  const outcome: (number | null)[] = new Array(n).fill(null);
  const fold = new Int32Array(n).fill(-1);
  const reason: (string | null)[] = Array.from({ length: n }, (_, i) =>
    day[i] < 0 ? NO_TRADING_DAY : NOT_ENOUGH_HISTORY,
  );
  const climate = new Float64Array(n).fill(NaN);
  const fits: FoldFit[] = [];
  for (const f of folds) {
    const y = labeler(f);
    if (y.length !== n)
      throw new Error(`calibrate: the labeler returned ${y.length} outcomes for ${n} windows`);
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < n; i++)
      if (day[i] >= 0 && day[i] < f.trainTo && Number.isFinite(raw[i]) && (y[i] === 0 || y[i] === 1)) {
        xs.push(raw[i]);
        ys.push(y[i]);
      }
    const ones = ys.reduce((a, b) => a + b, 0);
    let skipped: string | null = null;
    if (xs.length < minTrain)
      skipped = `fold ${f.index}: ${xs.length} labelled training windows (< ${minTrain})`;
    else if (ones === 0 || ones === xs.length)
      skipped = `fold ${f.index}: every training outcome is ${ones === 0 ? 0 : 1}`;
    const cal = skipped ? null : method === 'logistic' ? fitLogistic(xs, ys) : fitIsotonic(xs, ys);
    const baseRate = xs.length > 0 ? ones / xs.length : null;
    let nTest = 0;
    for (let i = 0; i < n; i++) {
      if (day[i] < f.testFrom || day[i] >= f.testTo) continue;
      fold[i] = f.index;
      outcome[i] = y[i] === 0 || y[i] === 1 ? y[i] : null;
      if (!Number.isFinite(raw[i])) reason[i] = 'no raw score';
      else if (!cal) reason[i] = skipped;
      else {
        calibrated[i] = 100 * cal.predict(raw[i]);
        reason[i] = null;
        climate[i] = baseRate!;
        nTest++;
      }
    }
    fits.push({ ...f, nTrain: xs.length, baseRate, nTest, calibrator: cal?.params ?? null, skipped });
  }
  return {
    method,
    walkForward: wf,
    folds: fits,
    calibrated,
    outcome,
    fold,
    reason,
    reliability: reliabilityTable(calibrated, outcome, nBins),
    brier: brierSummary(calibrated, outcome, climate, day, opts.bootstrap ?? {}),
  };
}

/** Reliability diagram: equal-width bins of predicted probability with mean predicted, observed frequency, n. */
export function reliabilityTable(
  calibrated: readonly (number | null)[],
  outcome: readonly (number | null)[],
  bins = 10,
): ReliabilityBin[] {
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  const count = new Int32Array(bins);
  for (let i = 0; i < calibrated.length; i++) {
    const c = calibrated[i];
    const y = outcome[i];
    if (c === null || y === null) continue;
    const p = c / 100;
    const b = Math.min(bins - 1, Math.floor(p * bins));
    sumP[b] += p;
    sumY[b] += y;
    count[b]++;
  }
  return Array.from({ length: bins }, (_, b) => ({
    lo: b / bins,
    hi: (b + 1) / bins,
    n: count[b],
    meanPredicted: count[b] > 0 ? sumP[b] / count[b] : null,
    observed: count[b] > 0 ? sumY[b] / count[b] : null,
  }));
}

function brierSummary(
  calibrated: readonly (number | null)[],
  outcome: readonly (number | null)[],
  climate: Float64Array,
  day: ArrayLike<number>,
  boot: NonNullable<CalibrationOptions['bootstrap']>,
): BrierSummary {
  const level = boot.level ?? 0.95;
  let n = 0;
  let model = 0;
  let clim = 0;
  let ones = 0;
  const perDay = new Map<number, [number, number]>(); // day → [Σ (clim² − model²), count]
  for (let i = 0; i < calibrated.length; i++) {
    const c = calibrated[i];
    const y = outcome[i];
    if (c === null || y === null) continue;
    const m = (c / 100 - y) ** 2;
    const k = (climate[i] - y) ** 2;
    n++;
    model += m;
    clim += k;
    ones += y;
    const d = perDay.get(day[i]) ?? [0, 0];
    d[0] += k - m;
    d[1]++;
    perDay.set(day[i], d);
  }
  if (n === 0)
    return {
      n,
      days: 0,
      model: null,
      climatology: null,
      skill: null,
      improvement: null,
      observedRate: null,
    };
  model /= n;
  clim /= n;
  const units = [...perDay.values()];
  const ci = dayMeanCI(
    units.map((u) => u[0]),
    units.map((u) => u[1]),
    {
      level,
      replicates: boot.replicates ?? 2000,
      seed: deriveSeed(boot.seed ?? DEFAULT_SEED, STREAMS.confluenceBrierBootstrap),
    },
  );
  const low = ci ? ci.low : null;
  const high = ci ? ci.high : null;
  return {
    n,
    days: units.length,
    model,
    climatology: clim,
    skill: clim > 0 ? 1 - model / clim : null,
    improvement: { estimate: clim - model, low, high, level },
    observedRate: ones / n,
  };
}

// ───────────────────────────── the confluence, calibrated ─────────────────────────────

/** A window row with its calibrated probability × 100 beside the raw, descriptive score. */
export interface CalibratedWindowRow extends ConfluenceWindowRow {
  /** Walk-forward P(outcome) × 100 (CONFLUENCE_OUTCOME); null before the first test fold or without a score. */
  calibrated: number | null;
  /** The window's outcome as labelled in its test fold (1/0; null when unknown or not in a test fold). */
  outcome: number | null;
  /** |forward move| in price points (NaN when there is no label). */
  move: number;
}

export interface ConfluenceCalibration extends Omit<CalibrationResult, 'calibrated' | 'outcome'> {
  outcomeDoc: string;
  windows: CalibratedWindowRow[];
}

/**
 * Calibrates the window rows of `scoreConfluence` against CONFLUENCE_OUTCOME, with per-type medians fitted on
 * each fold's training days. `labels` = `confluenceWindowLabels(series, windows)` (or the same fields from
 * elsewhere: a signed move, a stratum and a trading day per row).
 */
export function calibrateConfluence(
  windows: readonly ConfluenceWindowRow[],
  labels: Pick<ConfluenceWindowLabels, 'move' | 'stratum' | 'day' | 'days'>,
  opts: CalibrationOptions = {},
): ConfluenceCalibration {
  const { move, stratum, day, days } = labels;
  if (move.length !== windows.length || day.length !== windows.length || stratum.length !== windows.length)
    throw new Error(
      `calibrateConfluence: ${windows.length} windows but ${move.length} moves, ${stratum.length} strata and ` +
        `${day.length} days`,
    );
  const r = calibrateWalkForward(
    {
      score: windows.map((w) => w.score),
      day,
      days: days.length,
      outcome: medianMoveLabeler(move, stratum, day),
    },
    opts,
  );
  const { calibrated, outcome, ...rest } = r;
  return {
    ...rest,
    outcomeDoc: CONFLUENCE_OUTCOME,
    windows: windows.map((w, i) => ({
      ...w,
      calibrated: calibrated[i],
      outcome: outcome[i],
      move: Math.abs(move[i]),
    })),
  };
}
