/**
 * Next-kind head on the TGAT encoder: p(kind of the next later event | node i) = softmax(z_i·W + b), trained
 * with the encoder by cross-entropy (backprop through backwardTrain, as the link scorer does), Adam, seeded
 * session mini-batches, and early stopping on the VALIDATION mean log-loss (the test fold is never read here).
 * Same seed and data ⇒ bit-identical parameters (single-threaded float64).
 */
import { DEFAULT_SEED, STREAMS, elapsedMs, readClock, type Clock } from '../../core/index.js';
import { N_KINDS } from '../../session/index.js';
import { Rng, deriveSeed } from '../../stats/index.js';
import { type TgatConfig, resolveConfig } from '../config.js';
import { type TgatWeights, allocateWeights, createWeights } from '../weights.js';
import { type AdamOptions, DEFAULT_ADAM, adamState, adamStep } from './adam.js';
import { checkLoopOptions } from './trainer.js';
import { type PerEvent, mean, perEvent } from './baselines.js';
import { type FeatureScaler, type KindSession, encoderInput, sessionPairs } from './kinds.js';
import { type EncoderLayout, type PairList, backwardTrain, encoderLayout, forwardTrain } from './model.js';

export interface KindModel {
  config: TgatConfig;
  enc: EncoderLayout;
  classes: number;
  /** Offsets of the head inside params: W (hidden × classes), then b (classes). */
  headW: number;
  headB: number;
  params: Float64Array;
}

export function createKindModel(
  config: Partial<TgatConfig> = {},
  seed = DEFAULT_SEED,
  classes: number = N_KINDS,
): KindModel {
  const c = resolveConfig(config);
  const enc = encoderLayout(c);
  const headW = enc.size;
  const headB = headW + c.hidden * classes;
  const params = new Float64Array(headB + classes);
  params.set(createWeights(c, seed).data);
  const rng = new Rng(deriveSeed(seed, STREAMS.trainKindHead));
  const a = Math.sqrt(6 / (c.hidden + classes));
  for (let i = 0; i < c.hidden * classes; i++) params[headW + i] = rng.uniform(-a, a);
  return { config: c, enc, classes, headW, headB, params };
}

/** The encoder part as float32 TgatWeights (what saveWeights writes). */
export function kindModelWeights(model: KindModel, seed: number | null = null): TgatWeights {
  const w = allocateWeights(model.config, seed);
  for (let i = 0; i < w.data.length; i++) w.data[i] = model.params[i];
  return w;
}

/** The head as plain arrays (W row-major hidden × classes, b). */
export function kindHead(model: KindModel): { hidden: number; classes: number; W: number[]; b: number[] } {
  const H = model.config.hidden;
  const K = model.classes;
  return {
    hidden: H,
    classes: K,
    W: Array.from(model.params.subarray(model.headW, model.headW + H * K)),
    b: Array.from(model.params.subarray(model.headB, model.headB + K)),
  };
}

/** A session's fixed inputs under one scaler and config. */
export interface KindInput {
  s: KindSession;
  x: Float32Array;
  pairs: PairList;
}

export function kindInputs(sessions: readonly KindSession[], sc: FeatureScaler, c: TgatConfig): KindInput[] {
  return sessions.map((s) => ({ s, x: encoderInput(s, sc), pairs: sessionPairs(s, c) }));
}

/** Loss (sum of weight·CE), per-example probabilities, and the gradient into `grad` when given. */
export function kindSessionLoss(
  model: KindModel,
  inp: KindInput,
  weight: number,
  grad: Float64Array | null,
): { loss: number; probs: Float64Array } {
  const { config: c, enc, params, classes: K, headW, headB } = model;
  const H = c.hidden;
  const { s } = inp;
  const m = s.ex.node.length;
  const probs = new Float64Array(m * K);
  if (m === 0) return { loss: 0, probs };
  const cache = forwardTrain(c, enc, params, { n: s.n, x: inp.x, pairs: inp.pairs });
  const z = cache.out;
  const dz = grad ? new Float64Array(z.length) : null;
  let loss = 0;
  const row = new Float64Array(K);
  for (let e = 0; e < m; e++) {
    const i = s.ex.node[e];
    let mx = -Infinity;
    for (let k = 0; k < K; k++) {
      let v = params[headB + k];
      for (let h = 0; h < H; h++) v += z[i * H + h] * params[headW + h * K + k];
      row[k] = v;
      if (v > mx) mx = v;
    }
    let sum = 0;
    for (let k = 0; k < K; k++) sum += row[k] = Math.exp(row[k] - mx);
    for (let k = 0; k < K; k++) probs[e * K + k] = row[k] / sum;
    const y = s.ex.label[e];
    loss -= weight * Math.log(Math.max(probs[e * K + y], 1e-300));
    if (grad && dz) {
      for (let k = 0; k < K; k++) {
        const d = weight * (probs[e * K + k] - (k === y ? 1 : 0));
        grad[headB + k] += d;
        for (let h = 0; h < H; h++) {
          grad[headW + h * K + k] += z[i * H + h] * d;
          dz[i * H + h] += params[headW + h * K + k] * d;
        }
      }
    }
  }
  if (grad && dz) backwardTrain(c, enc, params, cache, dz, grad);
  return { loss, probs };
}

/** Per-session probability matrices of a model. */
export function predictKinds(model: KindModel, inputs: readonly KindInput[]): Float64Array[] {
  return inputs.map((inp) => kindSessionLoss(model, inp, 1, null).probs);
}

export interface KindEpoch {
  epoch: number;
  trainLoss: number;
  valLogLoss: number;
  valAccuracy: number;
  seconds: number | null;
}

export interface KindTrainOptions {
  clock?: Clock;
  epochs: number;
  seed: number;
  batchSessions: number;
  patience: number;
  adam: AdamOptions;
  config: Partial<TgatConfig>;
  onEpoch?: (r: KindEpoch) => void;
}

export const DEFAULT_KIND_TRAIN: Readonly<Omit<KindTrainOptions, 'onEpoch' | 'clock'>> = Object.freeze({
  epochs: 30,
  seed: DEFAULT_SEED,
  batchSessions: 4,
  patience: 5,
  adam: DEFAULT_ADAM,
  config: {},
});

export interface KindTrainResult {
  model: KindModel;
  bestEpoch: number;
  history: KindEpoch[];
  /** Validation per-event figures of the chosen epoch. */
  validation: PerEvent;
}

/** Train encoder + kind head on `train`; choose the epoch of least validation mean log-loss. */
export function trainKindHead(
  train: readonly KindInput[],
  val: readonly KindInput[],
  options: Partial<KindTrainOptions> = {},
): KindTrainResult {
  const o: KindTrainOptions = { ...DEFAULT_KIND_TRAIN, ...options };
  checkLoopOptions(o);
  if (train.length === 0) throw new Error('trainKindHead: no training sessions');
  if (!val.some((v) => v.s.ex.label.length > 0)) throw new Error('trainKindHead: no validation examples');
  const model = createKindModel(o.config, o.seed);
  const adam = adamState(model.params.length);
  const grad = new Float64Array(model.params.length);
  const order = Int32Array.from({ length: train.length }, (_, i) => i);
  const valSessions = val.map((v) => v.s);
  const history: KindEpoch[] = [];
  let best = { loss: Infinity, params: model.params.slice(), epoch: 0, pe: null as PerEvent | null };
  let since = 0;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const t0 = readClock(o.clock);
    new Rng(deriveSeed(o.seed, STREAMS.trainKindShuffle, epoch)).shuffle(order);
    let lossSum = 0;
    let exSum = 0;
    for (let b = 0; b * o.batchSessions < train.length; b++) {
      const ids = order.subarray(b * o.batchSessions, Math.min(train.length, (b + 1) * o.batchSessions));
      let ex = 0;
      for (const i of ids) ex += train[i].s.ex.label.length;
      if (ex === 0) continue;
      grad.fill(0);
      let bl = 0;
      for (const i of ids) bl += kindSessionLoss(model, train[i], 1 / ex, grad).loss;
      adamStep(model.params, grad, adam, o.adam);
      lossSum += bl * ex;
      exSum += ex;
    }
    const pe = perEvent(valSessions, predictKinds(model, val), model.classes);
    const rec: KindEpoch = {
      epoch,
      trainLoss: exSum ? lossSum / exSum : Number.NaN,
      valLogLoss: mean(pe.logLoss),
      valAccuracy: mean(pe.correct),
      seconds: t0 === null ? null : (elapsedMs(o.clock, t0) as number) / 1000,
    };
    history.push(rec);
    o.onEpoch?.(rec);
    if (rec.valLogLoss < best.loss) {
      best = { loss: rec.valLogLoss, params: model.params.slice(), epoch, pe };
      since = 0;
    } else if (++since >= o.patience) break;
  }
  return {
    model: { ...model, params: best.params },
    bestEpoch: best.epoch,
    history,
    validation: best.pe as PerEvent,
  };
}
