/**
 * Baselines that can beat a learned model, fitted on the training fold only.
 *
 * Next kind: the training-set marginal (frequency), Markov chains of order 1 and 2 over the event-kind sequence
 * (add-one smoothing; a context never seen in training backs off to the next lower order), and multinomial
 * logistic regression on the causal hand-made node features of node i (L2 chosen on validation by the caller).
 * Links: the rank of v among u's eligible successors (the DAG rule itself), index distance, recency.
 * Every kind predictor returns, per session, an examples × classes row-major matrix of probabilities.
 */
import { N_KINDS } from '../../session/index.js';
import { DEFAULT_DAG_CONFIG } from '../../graph/index.js';
import { type AdamOptions, adamState, adamStep } from './adam.js';
import { CAUSAL_COLUMN_INDEX, type FeatureScaler, type KindSession } from './kinds.js';
import type { LinkTask } from './data.js';

export type KindProbs = Float64Array[];

/** Per-example log-loss (natural log) and correctness of predicted probabilities. */
export interface PerEvent {
  logLoss: Float64Array;
  correct: Uint8Array;
}

export function perEvent(
  sessions: readonly KindSession[],
  probs: KindProbs,
  classes: number = N_KINDS,
): PerEvent {
  const total = sessions.reduce((a, s) => a + s.ex.label.length, 0);
  const logLoss = new Float64Array(total);
  const correct = new Uint8Array(total);
  let k = 0;
  sessions.forEach((s, si) => {
    const p = probs[si];
    for (let e = 0; e < s.ex.label.length; e++) {
      const y = s.ex.label[e];
      let best = 0;
      for (let c = 1; c < classes; c++) if (p[e * classes + c] > p[e * classes + best]) best = c;
      logLoss[k] = -Math.log(Math.max(p[e * classes + y], 1e-300));
      correct[k] = best === y ? 1 : 0;
      k++;
    }
  });
  return { logLoss, correct };
}

export function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return a.length ? s / a.length : Number.NaN;
}

/** Frequency baseline: the add-one smoothed training marginal of the labels, the same for every example. */
export function fitFrequency(
  train: readonly KindSession[],
  classes: number = N_KINDS,
): (s: KindSession) => Float64Array {
  const c = new Float64Array(classes).fill(1);
  let tot = classes;
  for (const s of train)
    for (const y of s.ex.label) {
      c[y]++;
      tot++;
    }
  const p = c.map((v) => v / tot);
  return (s) => {
    const out = new Float64Array(s.ex.label.length * classes);
    for (let e = 0; e < s.ex.label.length; e++) out.set(p, e * classes);
    return out;
  };
}

/**
 * Markov baseline of order 1 or 2: P(y | kinds of rows i−order+1 … i) with add-one smoothing; a context with no
 * training example backs off to order − 1, and order 0 is the frequency baseline. Row −1 is a start symbol.
 */
export function fitMarkov(
  train: readonly KindSession[],
  order: 1 | 2,
  classes: number = N_KINDS,
): (s: KindSession) => Float64Array {
  const V = classes + 1; // kinds + start symbol
  const BOS = classes;
  const ctxOf = (s: KindSession, i: number, ord: number): number => {
    let key = 0;
    for (let d = ord - 1; d >= 0; d--) key = key * V + (i - d >= 0 ? s.kinds[i - d] : BOS);
    return key;
  };
  const tables: Map<number, Float64Array>[] = [];
  for (let ord = 1; ord <= order; ord++) {
    const m = new Map<number, Float64Array>();
    for (const s of train)
      s.ex.node.forEach((i, e) => {
        const key = ctxOf(s, i, ord);
        let row = m.get(key);
        if (!row) m.set(key, (row = new Float64Array(classes)));
        row[s.ex.label[e]]++;
      });
    tables.push(m);
  }
  const freq = fitFrequency(train, classes);
  return (s) => {
    const out = freq(s);
    s.ex.node.forEach((i, e) => {
      for (let ord = order; ord >= 1; ord--) {
        const row = tables[ord - 1].get(ctxOf(s, i, ord));
        if (!row) continue;
        let tot = classes;
        for (let c = 0; c < classes; c++) tot += row[c];
        for (let c = 0; c < classes; c++) out[e * classes + c] = (row[c] + 1) / tot;
        break;
      }
    });
    return out;
  };
}

/** Multinomial logistic regression (softmax) of the label on the standardized causal features of node i. */
export interface LogReg {
  l2: number;
  /** (features + 1) × classes, the last row is the bias. */
  w: Float64Array;
  features: number;
  classes: number;
}

function lrInputs(s: KindSession, sc: FeatureScaler): Float64Array {
  const C = CAUSAL_COLUMN_INDEX.length;
  const m = s.ex.node.length;
  const x = new Float64Array(m * C);
  s.ex.node.forEach((i, e) => {
    for (let c = 0; c < C; c++) x[e * C + c] = (s.raw[i * C + c] - sc.mean[c]) / sc.sd[c];
  });
  return x;
}

function softmaxRow(z: Float64Array, off: number, K: number): void {
  let mx = -Infinity;
  for (let c = 0; c < K; c++) mx = Math.max(mx, z[off + c]);
  let sum = 0;
  for (let c = 0; c < K; c++) sum += z[off + c] = Math.exp(z[off + c] - mx);
  for (let c = 0; c < K; c++) z[off + c] /= sum;
}

function lrForward(w: Float64Array, x: Float64Array, m: number, F: number, K: number): Float64Array {
  const z = new Float64Array(m * K);
  for (let e = 0; e < m; e++) {
    for (let c = 0; c < K; c++) z[e * K + c] = w[F * K + c];
    for (let f = 0; f < F; f++) {
      const v = x[e * F + f];
      if (v !== 0) for (let c = 0; c < K; c++) z[e * K + c] += v * w[f * K + c];
    }
    softmaxRow(z, e * K, K);
  }
  return z;
}

/**
 * Fit by full-batch Adam on mean cross-entropy + l2/2·‖W‖² (bias not penalised); deterministic (zero init).
 * The objective is convex, so a fixed iteration count reaches a near-optimum on data of this size.
 */
export function fitLogReg(
  train: readonly KindSession[],
  sc: FeatureScaler,
  l2: number,
  classes: number = N_KINDS,
  iterations = 400,
): LogReg {
  const F = CAUSAL_COLUMN_INDEX.length;
  const K = classes;
  const xs = train.map((s) => lrInputs(s, sc));
  const m = train.reduce((a, s) => a + s.ex.label.length, 0);
  const x = new Float64Array(m * F);
  const y = new Int32Array(m);
  let k = 0;
  train.forEach((s, si) => {
    x.set(xs[si], k * F);
    y.set(s.ex.label, k);
    k += s.ex.label.length;
  });
  const w = new Float64Array((F + 1) * K);
  const g = new Float64Array(w.length);
  const st = adamState(w.length);
  const opt: AdamOptions = { lr: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8, clipNorm: null };
  for (let it = 0; it < iterations && m > 0; it++) {
    const p = lrForward(w, x, m, F, K);
    g.fill(0);
    for (let e = 0; e < m; e++) {
      p[e * K + y[e]] -= 1;
      for (let c = 0; c < K; c++) {
        const d = p[e * K + c] / m;
        g[F * K + c] += d;
        for (let f = 0; f < F; f++) g[f * K + c] += x[e * F + f] * d;
      }
    }
    for (let i = 0; i < F * K; i++) g[i] += l2 * w[i];
    adamStep(w, g, st, opt);
  }
  return { l2, w, features: F, classes: K };
}

export function predictLogReg(model: LogReg, s: KindSession, sc: FeatureScaler): Float64Array {
  return lrForward(model.w, lrInputs(s, sc), s.ex.label.length, model.features, model.classes);
}

// ---------------------------------------------------------------- link baselines (diagnostic task)

/** Link scores of one baseline over a set of tasks (higher = likelier edge), concatenated in task order. */
export type LinkBaseline = 'rank' | 'index-distance' | 'recency';

/**
 * score(u → v) of a link baseline: rank = −(number of events j with u < j < v whose gap t_j − t_u lies in the
 * DAG window [dtMin, dtMax]), i.e. minus v's rank among u's eligible successors (the DAG keeps the first k);
 * index-distance = −(v − u); recency = −(t_v − t_u).
 */
export function linkBaselineScores(
  kind: LinkBaseline,
  times: readonly Float64Array[],
  tasks: readonly LinkTask[],
  dtMinMs = DEFAULT_DAG_CONFIG.dtMinMs,
  dtMaxMs = DEFAULT_DAG_CONFIG.dtMaxMs,
): Float64Array {
  const total = tasks.reduce((a, t) => a + t.u.length, 0);
  const out = new Float64Array(total);
  let k = 0;
  tasks.forEach((task, si) => {
    const t = times[si];
    for (let e = 0; e < task.u.length; e++) {
      const u = task.u[e];
      const v = task.v[e];
      if (kind === 'index-distance') out[k++] = -(v - u);
      else if (kind === 'recency') out[k++] = -(t[v] - t[u]);
      else {
        let r = 0;
        for (let j = u + 1; j < v; j++) {
          const dt = t[j] - t[u];
          if (dt >= dtMinMs && dt <= dtMaxMs) r++;
        }
        out[k++] = -r;
      }
    }
  });
  return out;
}
