/**
 * Ablation on outcomes (issue #17): does the TGAT encoder help predict what price does next?
 *
 * Samples: the causal bar-detector events of a bar series (detect/ `ingestBarSeries`). Each event's outcome is
 * evaluate/'s `up@{h}m` at its emission bar (`raw.bar`): 1 when the forward return from the next bar's open to
 * the as-of close at entry + h is > 0 (outcomes.ts; no label when that runs past the session window).
 *
 * One outcome model — ridge-regularised logistic regression on the features standardised with the training
 * rows' mean and sd, penalty ½·λ·‖β‖² on the slopes (none on the intercept), λ = ABLATION_RIDGE fixed, not tuned
 * — is fed three feature sets per event:
 *   hand            the 45 node features (features/ `nodeFeatures`, standardised per session as the pipeline does)
 *   tgat_untrained  TGAT embeddings with seeded random weights (`createWeights(config, seed)`)
 *   tgat_trained    TGAT embeddings with the caller's weights (absent when none are given)
 *
 * Causality (EVIDENCE.md §1): the node features read the whole session — its final high/low (price_pos,
 * high_dist_log, …), its event count (order_frac), later events (density, gap_next) and the per-session
 * z-score — so a row computed on the whole session knows the future of its own outcome. The default mode
 * `as-of` therefore computes every event's features (and embeddings) on the session AS OF its emission bar: the
 * events emitted at or before that bar, high/low/close of the session's bars up to it. Mode `session` uses the
 * whole-session rows the pipeline computes (`discoverSessions`), which is what `run` clusters — reported for
 * comparison and labelled hindsight.
 *
 * Walk-forward by trading day (`walkForwardFolds`): each fold fits the standardisation, the model and the
 * climatology (training base rate) on labelled events of days < trainTo only and predicts the events of its test
 * days. Labels end inside their own session, so no purge is needed; `embargoDays` leaves whole days out. The
 * trained weights must themselves not have seen the test days for the comparison to be out of sample — that is
 * the caller's part (this module cannot check it).
 *
 * Reported per feature set over the test events: log-loss, Brier, AUC; climatology's log-loss and Brier on the
 * same events; and the differences (set − hand and set − climatology, in Brier and log-loss) with day-clustered
 * percentile bootstrap CIs (a mean of per-event differences = Σ_day diff / Σ_day n, resampling days).
 */
import { DEFAULT_SEED, STREAMS } from '../core/index.js';
import { type Bars, ingestBarSeries, type BarEventRaw } from '../detect/index.js';
import { discoverSessions } from '../discover/index.js';
import type { Session } from '../session/index.js';
import { dayMeanCI, deriveSeed } from '../stats/index.js';
import { createWeights, DEFAULT_TGAT_CONFIG, rocAuc, type TgatWeights } from '../tgat/index.js';
import { outcomeTable } from './outcomes.js';
import { evalSeriesFromBars } from './series.js';
import { defaultWalkForward, type Fold, walkForwardFolds, type WalkForwardOptions } from './walk-forward.js';

export const ABLATION_FEATURE_SETS = ['hand', 'tgat_untrained', 'tgat_trained'] as const;
export type AblationFeatureSet = (typeof ABLATION_FEATURE_SETS)[number];
export type AblationMode = 'as-of' | 'session';

/**
 * The ridge penalty of the outcome model, fixed: ½·λ·‖β‖² with λ = 10 on standardised features is the prior
 * β ~ N(0, 0.1) — a log-odds change of about ±0.3 per feature sd, generous for intraday direction — keeping the
 * fit finite under separation and with 45 correlated columns. Not tuned on any fold (EVIDENCE.md §6).
 */
export const ABLATION_RIDGE = 10;
/**
 * Fewest test days for the verdict to stand without a caveat: a percentile bootstrap over fewer clusters
 * under-covers badly (with 3 days it has at most 10 distinct resamples of day sets).
 */
export const ABLATION_MIN_CI_DAYS = 10;
/** Default forward horizon of the outcome (minutes). */
export const ABLATION_HORIZON_MINUTES = 30;

export interface AblationOptions {
  /** IANA zone of the calendar (default America/New_York). */
  tz?: string;
  /** Weights of the trained encoder; the `tgat_trained` set is left out without them. */
  trainedWeights?: TgatWeights | null;
  /** Seed of the untrained weights (default DEFAULT_SEED), with the trained weights' config when given. */
  seed?: number;
  mode?: AblationMode;
  horizonMinutes?: number;
  /** Folds by trading day; missing fields from `defaultWalkForward(days)`. */
  walkForward?: Partial<WalkForwardOptions>;
  /** Ridge λ (default ABLATION_RIDGE). */
  ridge?: number;
  /** Fewest labelled training events a fold needs (default 50). */
  minTrain?: number;
  bootstrap?: { replicates?: number; level?: number; seed?: number };
  /** Replaces outcome y of event i (tests: planted and poisoned outcomes). */
  outcomeOverride?: (y: Float64Array, samples: AblationSamples) => Float64Array;
}

/** The events, their day and outcome, and one row-major feature matrix per feature set. */
export interface AblationSamples {
  n: number;
  /** Trading-day index (0…days−1) per event. */
  day: Int32Array;
  days: string[];
  session: Int32Array;
  /** Emission bar per event. */
  bar: Int32Array;
  /** Outcome per event: 1, 0, NaN (no label). */
  y: Float64Array;
  features: Partial<Record<AblationFeatureSet, { d: number; data: Float64Array }>>;
  mode: AblationMode;
}

/** A fitted outcome model: intercept and slopes on features standardised by (mean, sd). */
export interface LogisticFit {
  intercept: number;
  coef: Float64Array;
  mean: Float64Array;
  sd: Float64Array;
  iterations: number;
}

export interface AblationFoldFit extends Fold {
  nTrain: number;
  nTest: number;
  baseRate: number | null;
  skipped: string | null;
  fits: Partial<Record<AblationFeatureSet, LogisticFit>>;
}

export interface Difference {
  /** Mean per test event (negative: the first beats the second). */
  estimate: number;
  low: number | null;
  high: number | null;
  level: number;
}

export interface AblationSetResult {
  set: AblationFeatureSet;
  d: number;
  logLoss: number | null;
  brier: number | null;
  auc: number | null;
  /** Brier and log-loss of this set − the hand set's (null for hand). */
  vsHand: { brier: Difference; logLoss: Difference } | null;
  /** Brier and log-loss of this set − climatology's. */
  vsClimatology: { brier: Difference; logLoss: Difference } | null;
}

export interface AblationResult {
  outcome: string;
  mode: AblationMode;
  ridge: number;
  walkForward: WalkForwardOptions;
  events: number;
  labelled: number;
  days: number;
  testEvents: number;
  testDays: number;
  observedRate: number | null;
  climatology: { logLoss: number | null; brier: number | null };
  sets: AblationSetResult[];
  folds: AblationFoldFit[];
  verdict: string;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Sessions as known at the close of bar `b`: events emitted by then, high/low/close of the bars so far. */
function sessionAsOf(s: Session, bars: Bars, firstBar: number, b: number, upTo: number): Session {
  let hi = -Infinity;
  let lo = Infinity;
  for (let k = firstBar; k <= b; k++) {
    if (bars.high[k] > hi) hi = bars.high[k];
    if (bars.low[k] < lo) lo = bars.low[k];
  }
  return { ...s, events: s.events.slice(0, upTo), high: hi, low: lo, close: bars.close[b], warnings: [] };
}

/** Builds the samples: events, outcomes, features per set (see the module doc for the modes). */
export function ablationSamples(bars: Bars, opts: AblationOptions = {}): AblationSamples {
  const tz = opts.tz ?? 'America/New_York';
  const mode = opts.mode ?? 'as-of';
  if (mode !== 'as-of' && mode !== 'session')
    throw new Error(`ablation: mode must be 'as-of' or 'session', got ${String(mode)}`);
  const h = opts.horizonMinutes ?? ABLATION_HORIZON_MINUTES;
  if (!(Number.isInteger(h) && h >= 1))
    throw new Error(`ablation: horizonMinutes must be an integer ≥ 1, got ${h}`);
  const series = evalSeriesFromBars(bars, { tz, detect: false });
  const ingest = ingestBarSeries(bars, { tz });
  const seg = ingest.segments;
  const table = outcomeTable(bars, seg, null, { horizons: [h] });
  const up = table.columns.find((c) => c.outcome === 'up')!.values;

  const trained = opts.trainedWeights ?? null;
  const config = trained ? trained.config : DEFAULT_TGAT_CONFIG;
  const untrained = createWeights(config, opts.seed ?? DEFAULT_SEED);
  const encoders: [AblationFeatureSet, TgatWeights][] = [['tgat_untrained', untrained]];
  if (trained) encoders.push(['tgat_trained', trained]);

  // rows: one per event, in session order; features per set appended row by row
  const day: number[] = [];
  const sess: number[] = [];
  const barOf: number[] = [];
  const rows: Record<string, number[]> = {};
  const dims: Record<string, number> = {};
  const push = (set: string, data: Float32Array, d: number, from: number, to: number) => {
    dims[set] = d;
    const list = (rows[set] ??= []);
    for (let k = from * d; k < to * d; k++) list.push(data[k]);
  };
  ingest.sessions.forEach((s, si) => {
    const n = s.events.length;
    if (n === 0) return;
    const evBar = s.events.map((e) => (e.raw as BarEventRaw).bar);
    for (let i = 0; i < n; i++) {
      day.push(series.dayOfSession[si]);
      sess.push(si);
      barOf.push(evBar[i]);
    }
    if (mode === 'session') {
      const [hand] = discoverSessions([s], { weights: untrained });
      push('hand', hand.x, hand.x.length / n, 0, n);
      for (const [set, w] of encoders) {
        const [r] = set === 'tgat_untrained' ? [hand] : discoverSessions([s], { weights: w });
        push(set, r.embeddings, r.embeddings.length / n, 0, n);
      }
      return;
    }
    // as-of: one prefix per emission bar; its last rows (the events of that bar) are the samples
    const prefixes: Session[] = [];
    const ranges: [number, number][] = [];
    for (let i = 0; i < n;) {
      let j = i;
      while (j + 1 < n && evBar[j + 1] === evBar[i]) j++;
      prefixes.push(sessionAsOf(s, bars, seg.firstBar[si], evBar[i], j + 1));
      ranges.push([i, j + 1]);
      i = j + 1;
    }
    for (const [set, w] of encoders) {
      const ds = discoverSessions(prefixes, { weights: w });
      ds.forEach((r, p) => {
        const m = r.session.events.length;
        const [from, to] = ranges[p];
        if (set === 'tgat_untrained') push('hand', r.x, r.x.length / m, from, to);
        push(set, r.embeddings, r.embeddings.length / m, from, to);
      });
    }
  });
  const n = day.length;
  const y = Float64Array.from(barOf, (b) => (Number.isFinite(up[b]) ? up[b] : NaN));
  const features: AblationSamples['features'] = {};
  for (const set of ABLATION_FEATURE_SETS)
    if (rows[set]) features[set] = { d: dims[set], data: Float64Array.from(rows[set]) };
  const samples: AblationSamples = {
    n,
    day: Int32Array.from(day),
    days: series.days,
    session: Int32Array.from(sess),
    bar: Int32Array.from(barOf),
    y,
    features,
    mode,
  };
  if (opts.outcomeOverride) {
    const yy = opts.outcomeOverride(y, samples);
    if (yy.length !== n)
      throw new Error(`ablation: outcomeOverride returned ${yy.length} outcomes for ${n} events`);
    samples.y = yy;
  }
  return samples;
}

/**
 * Ridge logistic regression of y (0/1) on the rows `idx` of the n × d matrix x: columns standardised by the
 * rows' mean and sd (sd 0 → the column is 0), Newton–Raphson with step halving on the penalised likelihood.
 */
export function fitRidgeLogistic(
  x: Float64Array,
  d: number,
  y: ArrayLike<number>,
  idx: ArrayLike<number>,
  ridge: number,
): LogisticFit {
  const m = idx.length;
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (let r = 0; r < m; r++) for (let j = 0; j < d; j++) mean[j] += x[idx[r] * d + j];
  for (let j = 0; j < d; j++) mean[j] /= m;
  for (let r = 0; r < m; r++) for (let j = 0; j < d; j++) sd[j] += (x[idx[r] * d + j] - mean[j]) ** 2;
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j] / m);
  const p1 = d + 1; // column 0: intercept
  const z = new Float64Array(m * p1);
  for (let r = 0; r < m; r++) {
    z[r * p1] = 1;
    for (let j = 0; j < d; j++) z[r * p1 + 1 + j] = sd[j] > 1e-12 ? (x[idx[r] * d + j] - mean[j]) / sd[j] : 0;
  }
  const yy = Float64Array.from({ length: m }, (_, r) => y[idx[r]]);
  const beta = new Float64Array(p1);
  const eta = (r: number, b: Float64Array) => {
    let s = 0;
    for (let j = 0; j < p1; j++) s += z[r * p1 + j] * b[j];
    return s;
  };
  const objective = (b: Float64Array) => {
    let ll = 0;
    for (let j = 1; j < p1; j++) ll -= 0.5 * ridge * b[j] * b[j];
    for (let r = 0; r < m; r++) {
      const e = eta(r, b);
      ll -= yy[r] ? Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e));
    }
    return ll;
  };
  let f = objective(beta);
  let iterations = 0;
  const g = new Float64Array(p1);
  const H = new Float64Array(p1 * p1);
  for (let iter = 0; iter < 50; iter++) {
    iterations = iter + 1;
    g.fill(0);
    H.fill(0);
    for (let j = 1; j < p1; j++) {
      g[j] = -ridge * beta[j];
      H[j * p1 + j] = ridge;
    }
    for (let r = 0; r < m; r++) {
      const p = sigmoid(eta(r, beta));
      const w = p * (1 - p);
      const res = yy[r] - p;
      const row = r * p1;
      for (let a = 0; a < p1; a++) {
        const za = z[row + a];
        if (za === 0) continue;
        g[a] += res * za;
        const wa = w * za;
        for (let b = a; b < p1; b++) H[a * p1 + b] += wa * z[row + b];
      }
    }
    for (let a = 0; a < p1; a++) for (let b = 0; b < a; b++) H[a * p1 + b] = H[b * p1 + a];
    H[0] += 1e-9; // an intercept-only Hessian entry can vanish when every training outcome is equal
    const step = choleskySolve(H, g, p1);
    if (!step) break;
    let scale = 1;
    const next = new Float64Array(p1);
    let fn = -Infinity;
    while (scale > 1e-8) {
      for (let j = 0; j < p1; j++) next[j] = beta[j] + scale * step[j];
      fn = objective(next);
      if (fn >= f) break;
      scale /= 2;
    }
    if (fn < f) break;
    let delta = 0;
    for (let j = 0; j < p1; j++) delta += Math.abs(next[j] - beta[j]);
    beta.set(next);
    const done = delta < 1e-9 || fn - f < 1e-10;
    f = fn;
    if (done) break;
  }
  return { intercept: beta[0], coef: beta.slice(1), mean, sd, iterations };
}

/** Solves A x = b for symmetric positive definite A (p × p); null when not positive definite. */
function choleskySolve(A: Float64Array, b: Float64Array, p: number): Float64Array | null {
  const L = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * p + j];
      for (let k = 0; k < j; k++) s -= L[i * p + k] * L[j * p + k];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * p + i] = Math.sqrt(s);
      } else L[i * p + j] = s / L[j * p + j];
    }
  }
  const v = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * p + k] * v[k];
    v[i] = s / L[i * p + i];
  }
  const out = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = v[i];
    for (let k = i + 1; k < p; k++) s -= L[k * p + i] * out[k];
    out[i] = s / L[i * p + i];
  }
  return out;
}

/** The fitted probability of row r of x. */
export function predictLogistic(fit: LogisticFit, x: Float64Array, d: number, r: number): number {
  let e = fit.intercept;
  for (let j = 0; j < d; j++)
    if (fit.sd[j] > 1e-12) e += (fit.coef[j] * (x[r * d + j] - fit.mean[j])) / fit.sd[j];
  return sigmoid(e);
}

const EPS = 1e-12;
const logLoss = (p: number, y: number) => -(y ? Math.log(Math.max(p, EPS)) : Math.log(Math.max(1 - p, EPS)));

/** Runs the walk-forward ablation on prepared samples. */
export function ablateSamples(samples: AblationSamples, opts: AblationOptions = {}): AblationResult {
  const { n, day, y } = samples;
  const days = samples.days.length;
  const ridge = opts.ridge ?? ABLATION_RIDGE;
  if (!(ridge > 0)) throw new Error(`ablation: ridge must be > 0, got ${ridge}`);
  const minTrain = opts.minTrain ?? 50;
  const wf = { ...defaultWalkForward(days), ...opts.walkForward };
  const folds = walkForwardFolds(days, wf);
  const sets = ABLATION_FEATURE_SETS.filter((s) => samples.features[s]);
  const pred: Record<string, Float64Array> = {};
  for (const s of sets) pred[s] = new Float64Array(n).fill(NaN);
  const clim = new Float64Array(n).fill(NaN);
  const fits: AblationFoldFit[] = [];
  const labelled = (i: number) => y[i] === 0 || y[i] === 1;
  for (const f of folds) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) {
      if (!labelled(i)) continue;
      if (day[i] < f.trainTo) train.push(i);
      else if (day[i] >= f.testFrom && day[i] < f.testTo) test.push(i);
    }
    const ones = train.reduce((a, i) => a + y[i], 0);
    let skipped: string | null = null;
    if (train.length < minTrain)
      skipped = `fold ${f.index}: ${train.length} labelled training events (< ${minTrain})`;
    else if (ones === 0 || ones === train.length)
      skipped = `fold ${f.index}: every training outcome is ${ones === 0 ? 0 : 1}`;
    const fold: AblationFoldFit = {
      ...f,
      nTrain: train.length,
      nTest: skipped ? 0 : test.length,
      baseRate: train.length > 0 ? ones / train.length : null,
      skipped,
      fits: {},
    };
    fits.push(fold);
    if (skipped) continue;
    for (const i of test) clim[i] = fold.baseRate!;
    for (const s of sets) {
      const { d, data } = samples.features[s]!;
      const fit = fitRidgeLogistic(data, d, y, train, ridge);
      fold.fits[s] = fit;
      for (const i of test) pred[s][i] = predictLogistic(fit, data, d, i);
    }
  }
  const scored: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(clim[i])) scored.push(i);
  const level = opts.bootstrap?.level ?? 0.95;
  const seed = deriveSeed(opts.bootstrap?.seed ?? DEFAULT_SEED, STREAMS.ablationBootstrap);
  const replicates = opts.bootstrap?.replicates ?? 2000;
  const testDays = new Set(scored.map((i) => day[i])).size;
  const mean = (f: (i: number) => number) =>
    scored.length === 0 ? null : scored.reduce((a, i) => a + f(i), 0) / scored.length;
  /** Mean of a per-event difference with a day-clustered bootstrap CI. */
  const diff = (f: (i: number) => number): Difference => {
    const byDay = new Map<number, [number, number]>();
    let sum = 0;
    for (const i of scored) {
      const v = f(i);
      sum += v;
      const u = byDay.get(day[i]) ?? [0, 0];
      u[0] += v;
      u[1]++;
      byDay.set(day[i], u);
    }
    const units = [...byDay.values()];
    const ci = dayMeanCI(
      units.map((u) => u[0]),
      units.map((u) => u[1]),
      { level, replicates, seed },
    );
    return { estimate: sum / scored.length, low: ci ? ci.low : null, high: ci ? ci.high : null, level };
  };
  const brierOf = (p: Float64Array) => (i: number) => (p[i] - y[i]) ** 2;
  const llOf = (p: Float64Array) => (i: number) => logLoss(p[i], y[i]);
  const any = scored.length > 0;
  const results: AblationSetResult[] = sets.map((s) => {
    const p = pred[s];
    let auc: number | null = null;
    const ys = scored.map((i) => y[i]);
    if (any && ys.some((v) => v === 1) && ys.some((v) => v === 0))
      auc = rocAuc(
        scored.map((i) => p[i]),
        ys,
      );
    return {
      set: s,
      d: samples.features[s]!.d,
      logLoss: mean(llOf(p)),
      brier: mean(brierOf(p)),
      auc,
      vsHand:
        s === 'hand' || !any
          ? null
          : {
              brier: diff((i) => brierOf(p)(i) - brierOf(pred.hand)(i)),
              logLoss: diff((i) => llOf(p)(i) - llOf(pred.hand)(i)),
            },
      vsClimatology: !any
        ? null
        : {
            brier: diff((i) => brierOf(p)(i) - brierOf(clim)(i)),
            logLoss: diff((i) => llOf(p)(i) - llOf(clim)(i)),
          },
    };
  });
  const result: AblationResult = {
    outcome: `up@${opts.horizonMinutes ?? ABLATION_HORIZON_MINUTES}m: forward return from the next bar's open to the as-of close ${opts.horizonMinutes ?? ABLATION_HORIZON_MINUTES} min later (within the session) > 0`,
    mode: samples.mode,
    ridge,
    walkForward: wf,
    events: n,
    labelled: Array.from({ length: n }, (_, i) => i).filter(labelled).length,
    days,
    testEvents: scored.length,
    testDays,
    observedRate: mean((i) => y[i]),
    climatology: { logLoss: mean(llOf(clim)), brier: mean(brierOf(clim)) },
    sets: results,
    folds: fits,
    verdict: '',
  };
  result.verdict = ablationVerdict(result);
  return result;
}

/** Bars → samples → walk-forward ablation. */
export function ablateBars(bars: Bars, opts: AblationOptions = {}): AblationResult {
  return ablateSamples(ablationSamples(bars, opts), opts);
}

const f4 = (v: number | null) => (v === null ? '–' : v.toFixed(4));
const ciText = (d: Difference) =>
  `${d.estimate >= 0 ? '+' : ''}${d.estimate.toFixed(4)} (${Math.round(d.level * 100)}% CI ${f4(d.low)} … ${f4(d.high)})`;
const beats = (d: Difference | undefined) => d !== undefined && d.high !== null && d.high < 0;

/** One plain sentence: which feature set, if any, beats the base rate and the hand features (Brier, CI < 0). */
export function ablationVerdict(r: AblationResult): string {
  if (r.testEvents === 0)
    return `nothing was tested: no fold had enough labelled training events (${r.events} events, ${r.days} trading days)`;
  const parts: string[] = [];
  const vsClim = r.sets.filter((s) => beats(s.vsClimatology?.brier));
  if (vsClim.length === 0)
    parts.push(`no feature set beats the base rate (climatology Brier ${f4(r.climatology.brier)})`);
  else
    parts.push(
      vsClim.map((s) => `${s.set} beats the base rate by Brier ${ciText(s.vsClimatology!.brier)}`).join('; '),
    );
  for (const s of r.sets) {
    if (!s.vsHand) continue;
    const b = s.vsHand.brier;
    if (beats(b)) parts.push(`${s.set} beats hand features by Brier ${ciText(b)}`);
    else if (b.low !== null && b.low > 0)
      parts.push(`${s.set} is worse than hand features: Brier ${ciText(b)}`);
    else parts.push(`${s.set} is not distinguishable from hand features: Brier ${ciText(b)}`);
  }
  let tail = r.mode === 'session' ? ' [mode session: whole-session features, hindsight]' : '';
  if (r.testDays < ABLATION_MIN_CI_DAYS)
    tail += ` [only ${r.testDays} test days (< ${ABLATION_MIN_CI_DAYS}): the day-bootstrap CIs are too coarse to trust]`;
  return `${parts.join('; ')} — ${r.testEvents} test events on ${r.testDays} days${tail}`;
}
