/**
 * The event study: for every signal × outcome column, the incremental effect over its matched control, out of
 * sample, with a day-clustered CI, a cluster-robust p-value and BH over every cell actually tested.
 *
 * Per walk-forward fold (walk-forward.ts): strata cut points are fitted on the training days; fold-fitted
 * signals (baselines, promoted motifs, calibrated scores) are built from the training days by the caller's
 * `foldSignals`; then every occurrence of a signal in the TEST days contributes d = y − c, where y is its
 * outcome (outcomes.ts) and c the mean outcome of the other eligible bars of its stratum (strata.ts) in the
 * test block and the `controlDays` trading days before it — "the same outcome at random times in the same
 * stratum"; the control is a reference level, not a prediction, so it may use the test days' other bars. The
 * signal's own firing bars are left out of its control. The estimand is E[y | signal] − E[y | stratum]: what
 * the signal adds to what that time of day does anyway. A dense signal's real effect also lifts the stratum
 * mean (bars just before or after other firings), so its effect is understated by about the share of bars its
 * effect windows cover. `cleanControls` instead leaves out every pool bar within ±h of a firing (±60 minutes for
 * close/session outcomes) — no leak, but E[y | signal] − E[y | no signal nearby] overstates the effect of a
 * signal that clusters in regimes (by 1 / the share of bars left), so it is not the default.
 * Occurrences whose stratum has fewer than `minControl` other bars are left out. Across folds the d's are pooled by trading day:
 *
 *   effect  = Σd / n                                  (mean incremental effect, outcome units)
 *   SE²     = G/(G−1) · Σ_g (Σ_{i∈g} d_i − effect·n_g)² / n²    (cluster-robust by day, G days)
 *   p       = two-sided Student t with G − 1 df        (few clusters: t, not normal)
 *   CI      = day-cluster bootstrap percentile of Σd/n (exact enumeration of every resample for ≤ 9 days)
 *   MDE     = (t_{0.975} + t_{0.80}) · SE             (the effect this cell could detect at 5 %, power 80 %;
 *                                                       also for untested cells with ≥ 2 days)
 *
 * A cell is TESTED when it has at least `minOccurrences` occurrences on at least `minDays` days — a rule on
 * counts only, fixed before looking at outcomes; BH runs over all tested cells (signals × horizons × outcomes),
 * in two families: motif-family signals (source 'motif': mined on the same sessions, in-sample) among themselves,
 * every other signal among themselves.
 */
import {
  benjaminiHochberg,
  bootstrapRatioCI,
  exactBootstrapRatioCI,
  quantileSorted,
  studentQuantile,
  studentTwoSidedP,
} from '../stats/index.js';
import { horizonName, type Horizon, type OutcomeTable } from './outcomes.js';
import { baseStratum, N_STRATA, recentVolatility, stratumOf, volTerciles } from './strata.js';
import type { EvalSeries, Signal, SignalSource, Skipped } from './types.js';
import { type Fold, walkForwardFolds, type WalkForwardOptions } from './walk-forward.js';

export interface EffectOptions {
  walkForward: WalkForwardOptions;
  minOccurrences: number;
  minDays: number;
  minControl: number;
  /** Days before the test block whose bars join the control pool (with the test block's own). */
  controlDays: number;
  /** Leave every pool bar within ±h of a firing out of the signal's control (see the module comment). */
  cleanControls: boolean;
  /** CI level (two-sided). */
  level: number;
  /** BH level for `significant`. */
  fdr: number;
  replicates: number;
  seed: number;
}

/** What a fold-fitted signal builder gets: the fold, its training bars, and the strata cut points fitted there. */
export interface FoldContext {
  fold: Fold;
  /** 1 for eligible bars on training days (before the embargo). */
  train: Uint8Array;
  /** 1 for eligible bars on test days. */
  test: Uint8Array;
  volCuts: [number, number];
  recentVol: Float64Array;
}

export interface EvaluationRow {
  signal: string;
  source: SignalSource;
  horizon: string;
  outcome: string;
  /** Occurrences with a defined outcome and a control. */
  n: number;
  days: number;
  /** Mean outcome after the signal, and the mean of its matched controls. */
  signalMean: number;
  baseline: number;
  effect: number;
  ciLow: number;
  ciHigh: number;
  se: number;
  p: number | null;
  q: number | null;
  mde: number | null;
  tested: boolean;
  significant: boolean;
}

export interface SignalPath {
  signal: string;
  horizons: number[];
  n: number[];
  mean: number[];
  q10: number[];
  q90: number[];
  control: number[];
}

export interface EffectResult {
  folds: Fold[];
  testDays: number;
  rows: EvaluationRow[];
  paths: SignalPath[];
  skipped: Skipped[];
  /** Signals seen: total firings and firings that fell on test days. */
  signals: { name: string; source: SignalSource; doc: string; fired: number; inTest: number }[];
}

interface Acc {
  source: SignalSource;
  doc: string;
  fired: number;
  inTest: number;
  /** [col * days + day] sums. */
  sumD: Float64Array;
  cnt: Float64Array;
  sumY: Float64Array;
  sumC: Float64Array;
  /** Outcome values after the signal, per `ret@<minutes>` column (for the forward-path bands). */
  pathY: number[][];
  /** Outcomes reported for this signal (Signal.outcomes); null: all. */
  outcomes: ReadonlySet<string> | null;
}

export function eventStudy(
  series: EvalSeries,
  table: OutcomeTable,
  signals: readonly Signal[],
  opts: EffectOptions,
  foldSignals?: (ctx: FoldContext) => Signal[],
): EffectResult {
  const { bars, segments: seg, dayOfSession } = series;
  const nDays = series.days.length;
  const nCols = table.columns.length;
  const skipped: Skipped[] = [];
  const folds = walkForwardFolds(nDays, opts.walkForward);
  if (folds.length === 0)
    skipped.push({
      signal: '*',
      reason: `${nDays} trading day(s): the walk-forward needs more than minTrainDays = ${opts.walkForward.minTrainDays} for one test day`,
    });
  const dayOfBar = new Int32Array(bars.n).fill(-1);
  for (let b = 0; b < bars.n; b++) {
    const s = seg.sessionOfBar[b];
    if (s >= 0) dayOfBar[b] = dayOfSession[s];
  }
  const vol = recentVolatility(bars);
  const base = baseStratum(bars, seg);
  const pathCols = table.columns
    .map((c, k) => ({ c, k }))
    .filter(({ c }) => c.outcome === 'ret' && typeof c.horizon === 'number');
  const accs = new Map<string, Acc>();
  const accOf = (s: Signal): Acc => {
    let a = accs.get(s.name);
    if (!a) {
      a = {
        source: s.source,
        doc: s.doc,
        fired: 0,
        inTest: 0,
        sumD: new Float64Array(nCols * nDays),
        cnt: new Float64Array(nCols * nDays),
        sumY: new Float64Array(nCols * nDays),
        sumC: new Float64Array(nCols * nDays),
        pathY: pathCols.map(() => []),
        outcomes: s.outcomes ? new Set(s.outcomes) : null,
      };
      accs.set(s.name, a);
    }
    return a;
  };
  for (const s of signals) accOf(s).fired += s.bar.length;

  // columns grouped by their control-exclusion radius: 0 (the firing bars only) by default; with cleanControls
  // ±h for a numeric horizon and CLEAN_RADIUS_MS for close/session
  const groups: { radiusMs: number; cols: number[] }[] = [];
  table.columns.forEach((col, c) => {
    const radiusMs = !opts.cleanControls
      ? 0
      : typeof col.horizon === 'number'
        ? col.horizon * 60_000
        : CLEAN_RADIUS_MS;
    let g = groups.find((x) => x.radiusMs === radiusMs);
    if (!g) groups.push((g = { radiusMs, cols: [] }));
    g.cols.push(c);
  });
  const colValues = table.columns.map((c) => c.values);
  const stratum = new Int32Array(bars.n).fill(-1);
  const S = new Float64Array(nCols * N_STRATA);
  const N = new Float64Array(nCols * N_STRATA);
  const sigS = new Float64Array(nCols * N_STRATA);
  const sigN = new Float64Array(nCols * N_STRATA);
  let testDayCount = 0;
  for (const fold of folds) {
    testDayCount += fold.testTo - fold.testFrom;
    const train = new Uint8Array(bars.n);
    const test = new Uint8Array(bars.n);
    for (let b = 0; b < bars.n; b++) {
      if (!table.eligible[b]) continue;
      const d = dayOfBar[b];
      if (d < fold.trainTo) train[b] = 1;
      else if (d >= fold.testFrom && d < fold.testTo) test[b] = 1;
    }
    const volCuts = volTerciles(vol, train);
    S.fill(0);
    N.fill(0);
    stratum.fill(-1);
    // the control pool: the test block and the `controlDays` days before it (bars are in time order)
    const poolFromDay = Math.max(0, fold.testFrom - opts.controlDays);
    let poolStart = bars.n;
    let poolEnd = 0;
    for (let b = 0; b < bars.n; b++) {
      const d = dayOfBar[b];
      if (d >= fold.testTo) break;
      if (d < poolFromDay) continue;
      if (b < poolStart) poolStart = b;
      poolEnd = b + 1;
      if (table.eligible[b]) stratum[b] = stratumOf(base, vol, volCuts, b);
    }
    // column-major: each outcome column is read sequentially
    for (let c = 0; c < nCols; c++) {
      const v = colValues[c];
      const off = c * N_STRATA;
      for (let b = poolStart; b < poolEnd; b++) {
        const st = stratum[b];
        const y = v[b];
        if (st >= 0 && y === y) {
          S[off + st] += y;
          N[off + st]++;
        }
      }
    }
    const foldSigs = foldSignals ? foldSignals({ fold, train, test, volCuts, recentVol: vol }) : [];
    for (const s of foldSigs) accOf(s).fired += countIn(s.bar, test);
    for (const sig of [...signals, ...foldSigs]) {
      const acc = accOf(sig);
      const occ: number[] = [];
      for (let i = 0; i < sig.bar.length; i++) {
        const b = sig.bar[i];
        if (b >= 0 && b < bars.n && test[b] && (i === 0 || sig.bar[i - 1] !== b)) occ.push(b);
      }
      acc.inTest += occ.length;
      if (occ.length === 0) continue;
      // per radius group, the pool bars within ±radius of any firing (radius 0: the firings) leave the control.
      // Column-major (one outcome column at a time over the marked bars, in bar order): each (column, stratum)
      // sum receives its terms in the same order as bar-major, so the sums are bit-identical.
      for (const g of groups) {
        const marked = markNear(sig.bar, bars.t, g.radiusMs, poolStart, poolEnd, stratum);
        for (const c of g.cols) {
          const v = colValues[c];
          const off = c * N_STRATA;
          for (let i = 0; i < marked.length; i++) {
            const b = marked[i];
            const y = v[b];
            if (y === y) {
              sigS[off + stratum[b]] += y;
              sigN[off + stratum[b]]++;
            }
          }
        }
      }
      for (const b of occ) {
        const day = dayOfBar[b];
        for (let c = 0; c < nCols; c++) {
          const y = colValues[c][b];
          if (y !== y) continue;
          const k = c * N_STRATA + stratum[b];
          const nc = N[k] - sigN[k];
          if (nc < opts.minControl) continue;
          const ctrl = (S[k] - sigS[k]) / nc;
          const at = c * nDays + day;
          acc.sumD[at] += y - ctrl;
          acc.cnt[at]++;
          acc.sumY[at] += y;
          acc.sumC[at] += ctrl;
        }
        for (let j = 0; j < pathCols.length; j++) {
          const y = colValues[pathCols[j].k][b];
          if (y === y) acc.pathY[j].push(y);
        }
      }
      // every entry outside the marked (column, stratum) pairs is still 0: clearing all of them is the same
      // state, in O(columns × strata) instead of O(marked bars × columns)
      sigS.fill(0);
      sigN.fill(0);
    }
  }

  const rows: EvaluationRow[] = [];
  const rowAcc: { acc: Acc; col: number }[] = [];
  const signalList: EffectResult['signals'] = [];
  for (const [name, acc] of accs) {
    signalList.push({ name, source: acc.source, doc: acc.doc, fired: acc.fired, inTest: acc.inTest });
    if (acc.inTest === 0) {
      skipped.push({
        signal: name,
        reason:
          `no occurrence on an eligible test bar (${acc.fired} firing(s) in all; a firing needs a test day and a ` +
          "next bar in the same session to enter at — events at a session's last bar have none)",
      });
      continue;
    }
    for (let c = 0; c < nCols; c++) {
      if (acc.outcomes && !acc.outcomes.has(table.columns[c].outcome)) continue;
      const row = cellStats(name, acc, c, table, nDays, opts);
      if (row.n === 0) continue;
      rows.push(row);
      rowAcc.push({ acc, col: c });
    }
  }
  attachCIs(rows, rowAcc, nDays, opts);
  // Two BH families: the motif families (in-sample, exploratory; possibly hundreds of signals) are corrected among
  // themselves, so adding them never changes the q of the signals fixed in advance (and vice versa).
  for (const inFamily of [false, true]) {
    const tested = rows.filter((r) => r.tested && (r.source === 'motif') === inFamily);
    const q = benjaminiHochberg(Float64Array.from(tested, (r) => r.p!));
    tested.forEach((r, k) => {
      r.q = q[k];
      r.significant = q[k] <= opts.fdr;
    });
  }
  const paths = [...accs.entries()]
    .filter(([, a]) => a.inTest > 0)
    .map(([name, a]) => forwardPath(name, a, pathCols, nDays));
  return { folds, testDays: testDayCount, rows, paths, skipped, signals: signalList };
}

/** Radius of the clean-control exclusion for outcomes without a numeric horizon (close, session). */
export const CLEAN_RADIUS_MS = 60 * 60_000;

/**
 * Bars of [from, to) with a stratum whose open time lies within ±radius of a firing's bar (`fire` sorted): each
 * bar once, in order. O(marked + firings).
 */
export function markNear(
  fire: Int32Array,
  t: Float64Array,
  radiusMs: number,
  from: number,
  to: number,
  stratum: Int32Array,
): number[] {
  const out: number[] = [];
  if (from >= to) return out;
  const tFrom = t[from];
  const tLast = t[to - 1];
  let next = from; // first bar not yet considered
  for (let i = 0; i < fire.length; i++) {
    const f = fire[i];
    if (f < 0 || f >= t.length) continue;
    // a firing whose ±radius misses [t[from], t[to − 1]] marks nothing (skipped without walking back)
    if (t[f] + radiusMs < tFrom || t[f] - radiusMs > tLast) continue;
    let lo = f;
    while (lo > next && t[lo - 1] >= t[f] - radiusMs) lo--;
    if (lo < next) lo = next;
    for (let b = lo; b < to && t[b] <= t[f] + radiusMs; b++) {
      if (stratum[b] >= 0) out.push(b);
      next = b + 1;
    }
  }
  return out;
}

function countIn(bar: Int32Array, mask: Uint8Array): number {
  let k = 0;
  for (let i = 0; i < bar.length; i++) if (mask[bar[i]]) k++;
  return k;
}

/**
 * Mean of d over all occurrences and its cluster-robust standard error, from per-cluster sums and counts:
 * effect = Σd/n, SE² = G/(G−1) · Σ_g (S_g − effect·n_g)² / n² over the G clusters with n_g > 0 (NaN for G < 2).
 */
export function clusteredMean(
  sum: ArrayLike<number>,
  count: ArrayLike<number>,
): { n: number; days: number; effect: number; se: number } {
  let n = 0;
  let G = 0;
  let total = 0;
  for (let d = 0; d < count.length; d++) {
    if (count[d] === 0) continue;
    n += count[d];
    G++;
    total += sum[d];
  }
  const effect = n > 0 ? total / n : NaN;
  let v = 0;
  for (let d = 0; d < count.length; d++) {
    if (count[d] === 0) continue;
    const e = sum[d] - effect * count[d];
    v += e * e;
  }
  const se = G > 1 ? Math.sqrt(((G / (G - 1)) * v) / (n * n)) : NaN;
  return { n, days: G, effect, se };
}

function cellStats(
  signal: string,
  acc: Acc,
  c: number,
  table: OutcomeTable,
  nDays: number,
  opts: EffectOptions,
): EvaluationRow {
  const col = table.columns[c];
  const at = c * nDays;
  const {
    n,
    days: G,
    effect,
    se,
  } = clusteredMean(acc.sumD.subarray(at, at + nDays), acc.cnt.subarray(at, at + nDays));
  let sy = 0;
  let sc = 0;
  for (let d = 0; d < nDays; d++) {
    sy += acc.sumY[at + d];
    sc += acc.sumC[at + d];
  }
  const tested = n >= opts.minOccurrences && G >= opts.minDays;
  let p: number | null = null;
  let mde: number | null = null;
  if (tested) p = se > 0 ? studentTwoSidedP(effect / se, G - 1) : effect === 0 ? 1 : 0;
  // reported for untested cells too: what a cell of this size could have detected
  if (G > 1 && se > 0) mde = (studentQuantile(0.975, G - 1) + studentQuantile(0.8, G - 1)) * se;
  return {
    signal,
    source: acc.source,
    horizon: horizonName(col.horizon),
    outcome: col.outcome,
    n,
    days: G,
    signalMean: n > 0 ? sy / n : NaN,
    baseline: n > 0 ? sc / n : NaN,
    effect,
    ciLow: NaN,
    ciHigh: NaN,
    se,
    p,
    q: null,
    mde,
    tested,
    significant: false,
  };
}

/** Day-cluster bootstrap CIs of every row at once (the same resamples of the test days for every row). */
function attachCIs(
  rows: EvaluationRow[],
  rowAcc: { acc: Acc; col: number }[],
  nDays: number,
  opts: EffectOptions,
): void {
  if (rows.length === 0) return;
  // units = the days that hold any occurrence of any row
  const used = new Uint8Array(nDays);
  for (const { acc, col } of rowAcc)
    for (let d = 0; d < nDays; d++) if (acc.cnt[col * nDays + d] > 0) used[d] = 1;
  const days: number[] = [];
  for (let d = 0; d < nDays; d++) if (used[d]) days.push(d);
  const U = days.length;
  const M = rows.length;
  const numerator = new Float64Array(U * M);
  const denominator = new Float64Array(U * M);
  rowAcc.forEach(({ acc, col }, m) => {
    days.forEach((d, u) => {
      numerator[u * M + m] = acc.sumD[col * nDays + d];
      denominator[u * M + m] = acc.cnt[col * nDays + d];
    });
  });
  const floor = 1e-9;
  const ci =
    U <= 9
      ? exactBootstrapRatioCI({ nUnits: U, nRatios: M, numerator, denominator, floor, level: opts.level })
      : bootstrapRatioCI({
          nUnits: U,
          nRatios: M,
          numerator,
          denominator,
          floor,
          level: opts.level,
          replicates: opts.replicates,
          seed: opts.seed,
        });
  rows.forEach((r, m) => {
    r.ciLow = ci.low[m];
    r.ciHigh = ci.high[m];
  });
}

function forwardPath(
  name: string,
  acc: Acc,
  pathCols: { c: { horizon: Horizon }; k: number }[],
  nDays: number,
): SignalPath {
  const out: SignalPath = { signal: name, horizons: [], n: [], mean: [], q10: [], q90: [], control: [] };
  pathCols.forEach(({ c, k }, j) => {
    const y = Float64Array.from(acc.pathY[j]).sort();
    let sy = 0;
    let sc = 0;
    let n = 0;
    for (let d = 0; d < nDays; d++) {
      sy += acc.sumY[k * nDays + d];
      sc += acc.sumC[k * nDays + d];
      n += acc.cnt[k * nDays + d];
    }
    out.horizons.push(c.horizon as number);
    out.n.push(n);
    out.mean.push(n > 0 ? sy / n : NaN);
    out.control.push(n > 0 ? sc / n : NaN);
    out.q10.push(y.length > 0 ? quantileSorted(y, 0.1) : NaN);
    out.q90.push(y.length > 0 ? quantileSorted(y, 0.9) : NaN);
  });
  return out;
}
