/**
 * The honest protocol of the self-supervised tasks: a train / validation / test split by DATE (three
 * consecutive blocks), baselines and the model fitted on train, every choice (epoch, L2, best baseline) made on
 * validation, the test fold read once at the end, several seeds, and the per-event difference model − best
 * baseline with a CI clustered by trading day (exact bootstrap enumeration for ≤ 9 days).
 */
import { type Clock, STREAMS } from '../../core/index.js';
import { N_KINDS, type Session } from '../../session/index.js';
import { dayMeanCI, deriveSeed } from '../../stats/index.js';
import { type TgatConfig, resolveConfig } from '../config.js';
import { type AdamOptions, DEFAULT_ADAM } from './adam.js';
import { type LinkTask, prepareSessions } from './data.js';
import { averagePrecision, rocAuc } from './metrics.js';
import {
  type TrainOptions,
  evaluateModel,
  roundedModel,
  trainLinkPrediction,
  validationTasks,
} from './trainer.js';
import {
  type KindProbs,
  type PerEvent,
  fitFrequency,
  fitLogReg,
  fitMarkov,
  type LinkBaseline,
  linkBaselineScores,
  mean,
  perEvent,
  predictLogReg,
} from './baselines.js';
import { type KindEpoch, type KindModel, kindInputs, predictKinds, trainKindHead } from './kind-trainer.js';
import {
  type FeatureScaler,
  type KindSession,
  fitScaler,
  labelCounts,
  prepareKindSessions,
} from './kinds.js';

export interface DateSplit3 {
  train: string[];
  validation: string[];
  test: string[];
}

/**
 * Three consecutive date blocks: test = the last max(1, round(testFraction·D)) dates, validation the
 * max(1, round(valFraction·D)) before them, train the rest (≥ 1). Throws naming the count when D < 3.
 */
export function splitDates3(dates: readonly string[], valFraction = 0.2, testFraction = 0.3): DateSplit3 {
  const d = [...new Set(dates)].sort();
  for (const x of d)
    if (!/^\d{4}-\d{2}-\d{2}$/.test(x)) throw new Error(`3-way split: date "${x}" is not YYYY-MM-DD`);
  if (d.length < 3) throw new Error(`3-way split needs ≥ 3 trading dates, got ${d.length}`);
  const nTest = Math.max(1, Math.round(testFraction * d.length));
  const nVal = Math.max(1, Math.round(valFraction * d.length));
  const nTrain = d.length - nTest - nVal;
  if (nTrain < 1)
    throw new Error(
      `3-way split: ${d.length} dates leave none to train on (validation ${nVal}, test ${nTest})`,
    );
  return {
    train: d.slice(0, nTrain),
    validation: d.slice(nTrain, nTrain + nVal),
    test: d.slice(nTrain + nVal),
  };
}

export interface ClusteredCI {
  estimate: number;
  ciLow: number;
  ciHigh: number;
  level: number;
  /** Number of day clusters. */
  days: number;
  /** true: exact enumeration of every day resample (≤ 9 days); false: seeded percentile bootstrap. */
  exact: boolean;
}

/** Mean of per-event values with a percentile CI from resampling whole days. */
export function dayClusteredMeanCI(
  values: ArrayLike<number>,
  days: readonly string[],
  level = 0.95,
  seed = 0,
  replicates = 2000,
): ClusteredCI {
  if (values.length !== days.length) throw new Error('dayClusteredMeanCI: values and days differ in length');
  const uniq = [...new Set(days)].sort();
  const U = uniq.length;
  const numerator = new Float64Array(U);
  const denominator = new Float64Array(U);
  const at = new Map(uniq.map((d, i) => [d, i]));
  for (let i = 0; i < values.length; i++) {
    const u = at.get(days[i]) as number;
    numerator[u] += values[i];
    denominator[u] += 1;
  }
  const estimate = mean(values);
  if (U === 0) return { estimate, ciLow: Number.NaN, ciHigh: Number.NaN, level, days: 0, exact: true };
  // every day holds ≥ 1 value, so no resample has a zero count: the floor never applies
  const ci = dayMeanCI(numerator, denominator, {
    level,
    replicates,
    seed: deriveSeed(seed, STREAMS.trainKindBootstrap),
    exactUpTo: 9,
    minDays: 1,
  })!;
  return { estimate, ciLow: ci.low, ciHigh: ci.high, level, days: U, exact: ci.exact };
}

export interface KindExperimentOptions {
  seeds: number[];
  epochs: number;
  batchSessions: number;
  patience: number;
  adam: AdamOptions;
  config: Partial<TgatConfig>;
  /** L2 grid of the logistic-regression baseline (chosen on validation). */
  l2Grid: number[];
  valFraction: number;
  testFraction: number;
  level: number;
  clock?: Clock;
  onEpoch?: (seed: number, r: KindEpoch) => void;
}

export const DEFAULT_KIND_EXPERIMENT: Readonly<Omit<KindExperimentOptions, 'clock' | 'onEpoch'>> =
  Object.freeze({
    seeds: [42, 43, 44],
    epochs: 30,
    batchSessions: 4,
    patience: 5,
    adam: DEFAULT_ADAM,
    config: {},
    l2Grid: [1e-4, 1e-3, 1e-2, 1e-1, 1, 10],
    valFraction: 0.2,
    testFraction: 0.3,
    level: 0.95,
  });

export interface BaselineResult {
  name: string;
  /** Test mean log-loss per event. */
  metric: number;
  accuracy: number;
  validationLogLoss: number;
  validationAccuracy: number;
  /** The L2 chosen on validation (logistic regression only). */
  l2?: number;
}

export interface SeedResult {
  seed: number;
  bestEpoch: number;
  epochsRun: number;
  meanEpochS: number | null;
  validationLogLoss: number;
  validationAccuracy: number;
  testLogLoss: number;
  testAccuracy: number;
  difference: ClusteredCI;
}

export interface KindTaskReport {
  task: 'next-kind';
  split: DateSplit3;
  sessions: { train: number; validation: number; test: number };
  examples: { train: number; validation: number; test: number };
  /** Training label counts by kind code. */
  trainLabels: number[];
  /** true when every label of the data is the same kind: reported, not trained. */
  constant: boolean;
  note?: string;
  model: ({ metric: number; accuracy: number; metricName: 'logloss' } & Omit<ClusteredCI, 'estimate'>) | null;
  perSeed: SeedResult[];
  baselines: BaselineResult[];
  /** The baseline of least VALIDATION log-loss. */
  bestBaseline: string | null;
  /** Per test event: seed-averaged model log-loss − best baseline log-loss (negative = model better). */
  difference: ClusteredCI | null;
  /** The difference's CI lies wholly below 0. */
  beatsBestBaseline: boolean;
  /** Encoder + head of the first seed (to save), and the train-fold feature scaler. */
  firstModel: KindModel | null;
  scaler: FeatureScaler;
}

function sessionsOn(all: readonly KindSession[], dates: readonly string[]): KindSession[] {
  const set = new Set(dates);
  return all.filter((s) => set.has(s.date));
}

function datesOfExamples(sessions: readonly KindSession[]): string[] {
  const out: string[] = [];
  for (const s of sessions) for (let e = 0; e < s.ex.label.length; e++) out.push(s.date);
  return out;
}

function countEx(sessions: readonly KindSession[]): number {
  return sessions.reduce((a, s) => a + s.ex.label.length, 0);
}

/** Run the next-kind task end to end on `sessions` (see the module comment). */
export function runNextKindExperiment(
  sessions: readonly Session[],
  options: Partial<KindExperimentOptions> = {},
): KindTaskReport {
  const o: KindExperimentOptions = { ...DEFAULT_KIND_EXPERIMENT, ...options };
  if (o.seeds.length === 0) throw new Error('runNextKindExperiment: no seeds');
  const split = splitDates3(
    sessions.map((s) => s.date),
    o.valFraction,
    o.testFraction,
  );
  const all = prepareKindSessions(sessions);
  const train = sessionsOn(all, split.train);
  const val = sessionsOn(all, split.validation);
  const test = sessionsOn(all, split.test);
  const scaler = fitScaler(train);
  const base = {
    task: 'next-kind' as const,
    split,
    sessions: { train: train.length, validation: val.length, test: test.length },
    examples: { train: countEx(train), validation: countEx(val), test: countEx(test) },
    trainLabels: labelCounts(train),
    scaler,
  };
  for (const [name, f] of [
    ['train', train],
    ['validation', val],
    ['test', test],
  ] as const)
    if (countEx(f) === 0)
      throw new Error(`next-kind: the ${name} fold (${split[name].join(', ')}) has no examples`);
  const allLabels = new Set<number>();
  for (const s of all) for (const y of s.ex.label) allLabels.add(y);
  if (allLabels.size <= 1) {
    return {
      ...base,
      constant: true,
      note: `every next-kind label is ${[...allLabels].join('') || 'absent'}: nothing to learn, not trained`,
      model: null,
      perSeed: [],
      baselines: [],
      bestBaseline: null,
      difference: null,
      beatsBestBaseline: false,
      firstModel: null,
    };
  }

  // Baselines: fitted on train; L2 and the best baseline chosen on validation; test read once below.
  const score = (fold: readonly KindSession[], probs: KindProbs): PerEvent => perEvent(fold, probs, N_KINDS);
  const freq = fitFrequency(train);
  const mk1 = fitMarkov(train, 1);
  const mk2 = fitMarkov(train, 2);
  let bestLr: { l2: number; val: PerEvent; lr: ReturnType<typeof fitLogReg> } | null = null;
  for (const l2 of o.l2Grid) {
    const lr = fitLogReg(train, scaler, l2);
    const v = score(
      val,
      val.map((s) => predictLogReg(lr, s, scaler)),
    );
    if (!bestLr || mean(v.logLoss) < mean(bestLr.val.logLoss)) bestLr = { l2, val: v, lr };
  }
  const lrBest = bestLr as NonNullable<typeof bestLr>;
  const predictors: { name: string; predict: (s: KindSession) => Float64Array; l2?: number }[] = [
    { name: 'frequency', predict: freq },
    { name: 'markov-1', predict: mk1 },
    { name: 'markov-2', predict: mk2 },
    { name: 'logreg-causal-features', predict: (s) => predictLogReg(lrBest.lr, s, scaler), l2: lrBest.l2 },
  ];
  const baseVal = predictors.map((p) => score(val, val.map(p.predict)));
  let bestIdx = 0;
  baseVal.forEach((v, i) => {
    if (mean(v.logLoss) < mean(baseVal[bestIdx].logLoss)) bestIdx = i;
  });

  // The model, one run per seed; epoch chosen on validation inside trainKindHead.
  const c = { ...o.config };
  const perSeedTest: PerEvent[] = [];
  const runs: { seed: number; res: ReturnType<typeof trainKindHead> }[] = [];
  const trainIn = kindInputs(train, scaler, resolveConfig(c));
  const valIn = kindInputs(val, scaler, resolveConfig(c));
  for (const seed of o.seeds) {
    const res = trainKindHead(trainIn, valIn, {
      clock: o.clock,
      epochs: o.epochs,
      seed,
      batchSessions: o.batchSessions,
      patience: o.patience,
      adam: o.adam,
      config: c,
      onEpoch: o.onEpoch ? (r) => o.onEpoch?.(seed, r) : undefined,
    });
    runs.push({ seed, res });
  }

  // ---- the test fold, read once ----
  const testDays = datesOfExamples(test);
  const baseTest = predictors.map((p) => score(test, test.map(p.predict)));
  const bestTest = baseTest[bestIdx];
  const perSeed: SeedResult[] = runs.map(({ seed, res }) => {
    const t = score(test, predictKinds(res.model, kindInputs(test, scaler, res.model.config)));
    perSeedTest.push(t);
    const secs = res.history.map((h) => h.seconds);
    return {
      seed,
      bestEpoch: res.bestEpoch,
      epochsRun: res.history.length,
      meanEpochS: secs.every((x) => x !== null) ? mean(secs as number[]) : null,
      validationLogLoss: mean(res.validation.logLoss),
      validationAccuracy: mean(res.validation.correct),
      testLogLoss: mean(t.logLoss),
      testAccuracy: mean(t.correct),
      difference: dayClusteredMeanCI(
        t.logLoss.map((v, i) => v - bestTest.logLoss[i]),
        testDays,
        o.level,
        seed,
      ),
    };
  });
  const m = testDays.length;
  const avgLoss = new Float64Array(m);
  const avgAcc = new Float64Array(m);
  for (const t of perSeedTest)
    for (let i = 0; i < m; i++) {
      avgLoss[i] += t.logLoss[i] / perSeedTest.length;
      avgAcc[i] += t.correct[i] / perSeedTest.length;
    }
  const modelCI = dayClusteredMeanCI(avgLoss, testDays, o.level, o.seeds[0]);
  const difference = dayClusteredMeanCI(
    avgLoss.map((v, i) => v - bestTest.logLoss[i]),
    testDays,
    o.level,
    o.seeds[0],
  );
  const { estimate: modelMetric, ...modelRest } = modelCI;
  return {
    ...base,
    constant: false,
    model: { metricName: 'logloss', metric: modelMetric, accuracy: mean(avgAcc), ...modelRest },
    perSeed,
    baselines: predictors.map((p, i) => ({
      name: p.name,
      metric: mean(baseTest[i].logLoss),
      accuracy: mean(baseTest[i].correct),
      validationLogLoss: mean(baseVal[i].logLoss),
      validationAccuracy: mean(baseVal[i].correct),
      ...(p.l2 === undefined ? {} : { l2: p.l2 }),
    })),
    bestBaseline: predictors[bestIdx].name,
    difference,
    beatsBestBaseline: difference.ciHigh < 0,
    firstModel: runs[0].res.model,
  };
}

export interface LinkDiagnostic {
  task: 'dag-link (diagnostic)';
  split: DateSplit3;
  note: string;
  seed: number;
  bestEpoch: number;
  epochsRun: number;
  /** Test AP/AUC of the link-trained encoder + scorer (epoch chosen on validation AP). */
  model: { metric: number; metricName: 'AP'; auc: number; pairs: number };
  baselines: { name: string; metric: number; auc: number; validationAP: number }[];
  bestBaseline: string;
}

/**
 * DAG-edge link prediction as a diagnostic only: the DAG rule (first k events ≥ dtMin later) is answered by
 * the timestamps, so the rank baseline reaches AP = 1. Trains the link model on train, picks the epoch on
 * validation, reports test AP beside rank, index distance and recency on the same test pairs.
 */
export function runLinkDiagnostic(
  sessions: readonly Session[],
  split: DateSplit3,
  options: Partial<TrainOptions> & { seed: number },
): LinkDiagnostic {
  const on = (dates: readonly string[]) => {
    const set = new Set(dates);
    return prepareSessions(sessions.filter((s) => set.has(s.date)));
  };
  const train = on(split.train);
  const val = on(split.validation);
  const test = on(split.test);
  const res = trainLinkPrediction(train, val, options);
  const c = res.model.config;
  const testTasks = validationTasks(test, c, deriveSeed(options.seed, STREAMS.trainValidationTasks));
  const labelsOf = (tasks: readonly LinkTask[]) => {
    const out: number[] = [];
    for (const t of tasks) out.push(...t.label);
    return out;
  };
  const m = evaluateModel(roundedModel(res.model), test, testTasks);
  const names: LinkBaseline[] = ['rank', 'index-distance', 'recency'];
  const testLabels = labelsOf(testTasks);
  const valLabels = labelsOf(res.valTasks);
  const baselines = names.map((name) => {
    const st = linkBaselineScores(
      name,
      test.map((s) => s.t),
      testTasks,
    );
    const sv = linkBaselineScores(
      name,
      val.map((s) => s.t),
      res.valTasks,
    );
    return {
      name,
      metric: averagePrecision(st, testLabels),
      auc: rocAuc(st, testLabels),
      validationAP: averagePrecision(sv, valLabels),
    };
  });
  let best = baselines[0];
  for (const b of baselines) if (b.validationAP > best.validationAP) best = b;
  return {
    task: 'dag-link (diagnostic)',
    split,
    note: 'DAG edges follow from the timestamps (first k events at least dtMin later): a parameter-free rank scorer answers them',
    seed: options.seed,
    bestEpoch: res.bestEpoch,
    epochsRun: res.history.length,
    model: { metric: m.ap, metricName: 'AP', auc: m.auc, pairs: m.pairs },
    baselines,
    bestBaseline: best.name,
  };
}
