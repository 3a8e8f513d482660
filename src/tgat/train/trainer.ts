import { elapsedMs, readClock, type Clock } from '../../core/index.js';
/**
 * Self-supervised training of the TGAT encoder by temporal link prediction (TGAT, Xu et al. 2020): for each
 * held-out DAG edge u → v the scorer sees [z_u; z_v] and must tell it from negatives in the same time
 * window; binary cross-entropy; Adam; seeded mini-batches of sessions; early stopping on the validation AP of
 * a date-held-out split. Same seed and data ⇒ bit-identical weights (single-threaded float64 arithmetic).
 */
import { Rng, deriveSeed } from '../../stats/index.js';
import { type TgatConfig, resolveConfig } from '../config.js';
import { type TgatWeights, allocateWeights, createWeights } from '../weights.js';
import { type AdamOptions, DEFAULT_ADAM, adamState, adamStep } from './adam.js';
import { type LinkTask, type PreparedSession, type TaskOptions, DEFAULT_TASK, sampleTask } from './data.js';
import { averagePrecision, rocAuc } from './metrics.js';
import { type EncoderLayout, backwardTrain, encoderLayout, forwardTrain } from './model.js';
import {
  type ScorerLayout,
  bceWithLogit,
  initScorer,
  scoreBackward,
  scoreLogit,
  scorerLayout,
} from './scorer.js';
import { DEFAULT_SEED, STREAMS } from '../../core/index.js';

/** Encoder + link scorer in one flat float64 parameter vector (encoder first, in TgatWeights layout). */
export interface LinkModel {
  config: TgatConfig;
  enc: EncoderLayout;
  scorer: ScorerLayout;
  params: Float64Array;
}

/** The seeded initial model: encoder = createWeights(config, seed), scorer Glorot from the same seed. */
export function createLinkModel(
  config: Partial<TgatConfig> = {},
  seed = DEFAULT_SEED,
  scorerInner?: number,
): LinkModel {
  const c = resolveConfig(config);
  const enc = encoderLayout(c);
  const scorer = scorerLayout(c.hidden, scorerInner ?? c.hidden, enc.size);
  const params = new Float64Array(enc.size + scorer.size);
  params.set(createWeights(c, seed).data);
  initScorer(scorer, params, seed);
  return { config: c, enc, scorer, params };
}

/** The encoder part of a model as float32 TgatWeights (what saveWeights writes). */
export function modelWeights(model: LinkModel, seed: number | null = null): TgatWeights {
  const w = allocateWeights(model.config, seed);
  for (let i = 0; i < w.data.length; i++) w.data[i] = model.params[i];
  return w;
}

/** A copy of the model with every parameter rounded to float32 (the precision of a weights file). */
export function roundedModel(model: LinkModel): LinkModel {
  return { ...model, params: Float64Array.from(model.params, (v) => Math.fround(v)) };
}

/**
 * Loss (sum of BCE over the task's pairs, each times `weight`) of one session, its logits, and — when `grad`
 * is given — the gradient accumulated into `grad`.
 */
export function sessionLoss(
  model: LinkModel,
  s: PreparedSession,
  task: LinkTask,
  weight: number,
  grad: Float64Array | null,
): { loss: number; logits: Float64Array; embeddings: Float64Array } {
  const { config: c, enc, scorer, params } = model;
  const cache = forwardTrain(c, enc, params, { n: s.n, x: s.x, pairs: task.pairs });
  const z = cache.out;
  const hid = new Float64Array(scorer.inner);
  const logits = new Float64Array(task.u.length);
  const dz = grad ? new Float64Array(z.length) : null;
  let loss = 0;
  for (let e = 0; e < task.u.length; e++) {
    const lg = scoreLogit(scorer, params, z, task.u[e], task.v[e], hid);
    logits[e] = lg;
    const b = bceWithLogit(lg, task.label[e]);
    loss += weight * b.loss;
    if (grad && dz) scoreBackward(scorer, params, grad, z, task.u[e], task.v[e], hid, weight * b.dLogit, dz);
  }
  if (grad && dz) backwardTrain(c, enc, params, cache, dz, grad);
  return { loss, logits, embeddings: z };
}

export interface EvalResult {
  /** Mean BCE over all scored pairs. */
  loss: number;
  ap: number;
  auc: number;
  pairs: number;
  positives: number;
}

/** Scores of a set of tasks, gathered for AP/AUC. */
export interface ScoredPairs {
  scores: Float64Array;
  labels: Uint8Array;
}

function concatLabels(tasks: readonly LinkTask[]): Uint8Array {
  const total = tasks.reduce((a, t) => a + t.label.length, 0);
  const labels = new Uint8Array(total);
  let k = 0;
  for (const t of tasks) {
    labels.set(t.label, k);
    k += t.label.length;
  }
  return labels;
}

function metricsOf(scores: Float64Array, labels: Uint8Array, loss: number): EvalResult {
  let pos = 0;
  for (const l of labels) pos += l;
  return {
    loss,
    ap: averagePrecision(scores, labels),
    auc: rocAuc(scores, labels),
    pairs: labels.length,
    positives: pos,
  };
}

/** Validation metrics of a model (learned scorer logits). */
export function evaluateModel(
  model: LinkModel,
  sessions: readonly PreparedSession[],
  tasks: readonly LinkTask[],
): EvalResult {
  const labels = concatLabels(tasks);
  const scores = new Float64Array(labels.length);
  let k = 0;
  let loss = 0;
  sessions.forEach((s, i) => {
    const r = sessionLoss(model, s, tasks[i], 1, null);
    scores.set(r.logits, k);
    k += r.logits.length;
    loss += r.loss;
  });
  return metricsOf(scores, labels, labels.length ? loss / labels.length : 0);
}

/** Metrics of the parameter-free cosine score cos(z_u, z_v) of a model's embeddings (no learned scorer). */
export function evaluateCosine(
  model: LinkModel,
  sessions: readonly PreparedSession[],
  tasks: readonly LinkTask[],
): EvalResult {
  const labels = concatLabels(tasks);
  const scores = new Float64Array(labels.length);
  const D = model.config.hidden;
  let k = 0;
  sessions.forEach((s, i) => {
    const z = forwardTrain(model.config, model.enc, model.params, {
      n: s.n,
      x: s.x,
      pairs: tasks[i].pairs,
    }).out;
    const t = tasks[i];
    for (let e = 0; e < t.u.length; e++) {
      let dot = 0;
      let nu = 0;
      let nv = 0;
      for (let d = 0; d < D; d++) {
        const a = z[t.u[e] * D + d];
        const b = z[t.v[e] * D + d];
        dot += a * b;
        nu += a * a;
        nv += b * b;
      }
      scores[k++] = dot / Math.sqrt(nu * nv || 1);
    }
  });
  return metricsOf(scores, labels, Number.NaN);
}

/** Recency baseline: score(u → v) = −(t_v − t_u), the closer in time the likelier the link. */
export function evaluateRecency(
  sessions: readonly PreparedSession[],
  tasks: readonly LinkTask[],
): EvalResult {
  const labels = concatLabels(tasks);
  const scores = new Float64Array(labels.length);
  let k = 0;
  sessions.forEach((s, i) => {
    const t = tasks[i];
    for (let e = 0; e < t.u.length; e++) scores[k++] = -(s.t[t.v[e]] - s.t[t.u[e]]);
  });
  return metricsOf(scores, labels, Number.NaN);
}

export interface TrainOptions {
  /** Monotonic ms clock for the epoch timings (stages never read the clock themselves). */
  clock?: Clock;
  /** Maximum epochs (default 30). */
  epochs: number;
  seed: number;
  /** Sessions per mini-batch (default 4). */
  batchSessions: number;
  /** Stop after this many epochs without a better validation AP (default 5). */
  patience: number;
  adam: AdamOptions;
  task: TaskOptions;
  config: Partial<TgatConfig>;
  scorerInner?: number;
  /** Called after every epoch (progress bar, logs). */
  onEpoch?: (r: EpochRecord) => void;
  /** Called after every mini-batch. */
  onBatch?: (epoch: number, done: number, total: number, loss: number) => void;
}

export const DEFAULT_TRAIN: Readonly<Omit<TrainOptions, 'onEpoch' | 'onBatch'>> = Object.freeze({
  epochs: 30,
  seed: DEFAULT_SEED,
  batchSessions: 4,
  patience: 5,
  adam: DEFAULT_ADAM,
  task: DEFAULT_TASK,
  config: {},
});

export interface EpochRecord {
  epoch: number;
  /** Mean training BCE over the epoch's pairs (measured during the epoch, before each step). */
  trainLoss: number;
  val: EvalResult | null;
  /** Wall time of the epoch, null without a `clock`. */
  seconds: number | null;
}

export interface TrainResult {
  /** The model of the best validation epoch (or the last epoch without validation data). */
  model: LinkModel;
  initial: LinkModel;
  bestEpoch: number;
  history: EpochRecord[];
  /** The fixed validation tasks (same masks and pairs for every model compared). */
  valTasks: LinkTask[];
}

/** Validation tasks: seeded once, independent of the epoch, so every model is compared on the same pairs. */
export function validationTasks(
  sessions: readonly PreparedSession[],
  c: TgatConfig,
  seed: number,
  task: TaskOptions = DEFAULT_TASK,
): LinkTask[] {
  return sessions.map((s, i) =>
    sampleTask(s, c, new Rng(deriveSeed(seed, STREAMS.trainValidationTasks, i)), task),
  );
}

/** Checks the training-loop options every trainer shares; errors name the option and value. */
export function checkLoopOptions(o: { epochs: number; batchSessions: number; patience: number }): void {
  for (const k of ['epochs', 'batchSessions', 'patience'] as const)
    if (!(Number.isInteger(o[k]) && o[k] >= 1)) throw new Error(`${k} must be an integer ≥ 1, got ${o[k]}`);
}

/** Train encoder + scorer on `train`, early-stopping on the validation AP of `val` (may be empty). */
export function trainLinkPrediction(
  train: readonly PreparedSession[],
  val: readonly PreparedSession[],
  options: Partial<TrainOptions> = {},
): TrainResult {
  const o: TrainOptions = { ...DEFAULT_TRAIN, ...options };
  checkLoopOptions(o);
  if (train.length === 0) throw new Error('trainLinkPrediction: no training sessions');
  const model = createLinkModel(o.config, o.seed, o.scorerInner);
  const initial: LinkModel = { ...model, params: model.params.slice() };
  const c = model.config;
  const valTasks = validationTasks(val, c, o.seed, o.task);
  const hasVal =
    valTasks.some((t) => t.label.some((l) => l === 1)) && valTasks.some((t) => t.label.some((l) => l === 0));
  const adam = adamState(model.params.length);
  const grad = new Float64Array(model.params.length);
  const order = Int32Array.from({ length: train.length }, (_, i) => i);
  let best = { ap: -Infinity, params: model.params.slice(), epoch: 0 };
  const history: EpochRecord[] = [];
  let sinceBest = 0;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const t0 = readClock(o.clock);
    const rng = new Rng(deriveSeed(o.seed, STREAMS.trainEpochShuffle, epoch));
    rng.shuffle(order);
    let lossSum = 0;
    let pairSum = 0;
    const batches = Math.ceil(train.length / o.batchSessions);
    for (let b = 0; b < batches; b++) {
      const ids = order.subarray(b * o.batchSessions, Math.min(train.length, (b + 1) * o.batchSessions));
      const tasks = Array.from(ids, (i) =>
        sampleTask(train[i], c, new Rng(deriveSeed(o.seed, epoch, i)), o.task),
      );
      const pairs = tasks.reduce((a, t) => a + t.label.length, 0);
      if (pairs === 0) continue;
      grad.fill(0);
      let batchLoss = 0;
      ids.forEach((i, k) => {
        batchLoss += sessionLoss(model, train[i], tasks[k], 1 / pairs, grad).loss;
      });
      adamStep(model.params, grad, adam, o.adam);
      lossSum += batchLoss * pairs;
      pairSum += pairs;
      o.onBatch?.(epoch, b + 1, batches, batchLoss);
    }
    const val2 = hasVal ? evaluateModel(model, val, valTasks) : null;
    const rec: EpochRecord = {
      epoch,
      trainLoss: pairSum ? lossSum / pairSum : Number.NaN,
      val: val2,
      seconds: t0 === null ? null : (elapsedMs(o.clock, t0) as number) / 1000,
    };
    history.push(rec);
    o.onEpoch?.(rec);
    const score = val2 ? val2.ap : epoch; // without validation: keep the last epoch
    if (score > best.ap) {
      best = { ap: score, params: model.params.slice(), epoch };
      sinceBest = 0;
    } else if (++sinceBest >= o.patience) break;
  }
  return {
    model: { ...model, params: best.params },
    initial,
    bestEpoch: best.epoch,
    history,
    valTasks,
  };
}

/**
 * Mean normalised entropy H(p_j)/log(count_j) of the last layer's attention rows (rows with ≥ 2 allowed
 * columns, all heads): 1 = uniform attention (the collapse of an untrained network), lower = selective.
 */
export function attentionEntropy(
  model: LinkModel,
  sessions: readonly PreparedSession[],
  tasks: readonly LinkTask[],
): number {
  const c = model.config;
  let sum = 0;
  let rows = 0;
  sessions.forEach((s, idx) => {
    const pairs = tasks[idx].pairs;
    const cache = forwardTrain(c, model.enc, model.params, { n: s.n, x: s.x, pairs });
    const last = cache.layers[c.layers - 1];
    const nnz = pairs.col.length;
    for (let h = 0; h < c.heads; h++) {
      for (let j = 0; j < s.n; j++) {
        const count = pairs.ptr[j + 1] - pairs.ptr[j];
        if (count < 2) continue;
        let ent = 0;
        for (let e = pairs.ptr[j]; e < pairs.ptr[j + 1]; e++) {
          const p = last.p[h * nnz + e];
          if (p > 0) ent -= p * Math.log(p);
        }
        sum += ent / Math.log(count);
        rows++;
      }
    }
  });
  return rows ? sum / rows : Number.NaN;
}
