/**
 * Motif mining with the null phase split into batches run by an executor. The observed counting and the
 * statistics after the nulls follow `mineMotifsDetailed` (src/motifs/mine.ts) step for step; the null batches
 * use absolute replicate numbers and merge in replicate order, so the results equal the serial ones exactly.
 */
import { formEdges, formId, formKey, type MotifForm } from '../motifs/canonical.js';
import { resolveMineOptions } from '../motifs/mine.js';
import { countMotifs } from '../motifs/observe.js';
import type {
  MineOptions,
  MotifMiningRun,
  MotifResult,
  MotifSession,
  NullModelName,
} from '../motifs/types.js';
import { bootstrapRatioCI } from '../stats/bootstrap.js';
import { classifyMotif, type MotifClass } from '../stats/classify.js';
import { RunningMoments } from '../stats/moments.js';
import { benjaminiHochberg } from '../stats/multiple.js';
import { empiricalP, lift as liftOf, zScore } from '../stats/pvalue.js';
import { deriveSeed } from '../stats/random.js';
import type { NullBatchOptions, NullBatchResult } from './null-batch.js';
import type { ScaleExecutor, ScaleTask } from './tasks.js';

const BOOTSTRAP_STREAM = 99;
const CLASS_ORDER: Record<MotifClass, number> = { PROMOTE: 0, PARK: 1, DISCARD: 2 };

export interface ParallelMineOptions extends MineOptions {
  /** Id of the cached context on the workers (default unique per call). */
  contextId?: string;
}

interface NullSummary {
  model: NullModelName;
  moments: RunningMoments;
  sessionMean: Float64Array;
  ms: number;
}

let calls = 0;

/** Same result as `mineMotifsDetailed(sessions, options)` (timings aside), null batches run by `executor`. */
export async function mineMotifsParallel(
  sessions: readonly MotifSession[],
  executor: ScaleExecutor,
  options: ParallelMineOptions = {},
): Promise<MotifMiningRun> {
  if (options.rebuildDag)
    throw new Error(
      'not implemented: parallel nulls with a custom rebuildDag (a function cannot cross workers)',
    );
  const opts = resolveMineOptions(options);
  const t0 = performance.now();
  const obs = countMotifs(sessions, { sizes: opts.sizes, edgeLabels: opts.edgeLabels });
  const testedObsIdx: number[] = [];
  for (let m = 0; m < obs.catalog.size; m++)
    if (obs.support[m] >= opts.minSupport && obs.count[m] >= opts.minCount) testedObsIdx.push(m);
  if (testedObsIdx.length > opts.maxMotifs) {
    testedObsIdx.sort((a, b) => obs.count[b] - obs.count[a] || obs.catalog.keys[a] - obs.catalog.keys[b]);
    testedObsIdx.length = opts.maxMotifs;
  }
  testedObsIdx.sort((a, b) => obs.catalog.keys[a] - obs.catalog.keys[b]);
  const forms: MotifForm[] = testedObsIdx.map((m) => obs.catalog.form(m));
  const nS = sessions.length;
  const nT = forms.length;
  const toTested = new Int32Array(obs.catalog.size).fill(-1);
  testedObsIdx.forEach((m, t) => (toTested[m] = t));
  const obsSession = new Float64Array(nS * nT);
  obs.perSession.forEach((ps, si) => {
    for (let i = 0; i < ps.index.length; i++) {
      const t = toTested[ps.index[i]];
      if (t >= 0) obsSession[si * nT + t] = opts.statistic === 'support' ? 1 : ps.count[i];
    }
  });
  const observed = new Float64Array(nT);
  for (let t = 0; t < nT; t++) {
    const m = testedObsIdx[t];
    observed[t] = opts.statistic === 'support' ? obs.support[m] : obs.count[m];
  }
  const observeMs = performance.now() - t0;

  const summaries: NullSummary[] = [];
  if (nT > 0) {
    const { thresholds: _thresholds, ...plain } = opts;
    const batchOpts: NullBatchOptions = {
      ...plain,
      dagConfig: options.dagConfig,
      dagBuilder: options.dagBuilder,
    };
    const contextId = options.contextId ?? `nulls-${process.pid}-${++calls}-${Date.now()}`;
    const context = { kind: 'nulls' as const, sessions: [...sessions], forms, opts: batchOpts };
    for (const model of opts.models) {
      const start = performance.now();
      const B = Math.min(opts.batchSize, opts.nulls);
      const tasks: ScaleTask[] = [];
      for (let r0 = 0; r0 < opts.nulls; r0 += B)
        tasks.push({ kind: 'nulls', model, r0, r1: Math.min(opts.nulls, r0 + B) });
      const results = (await executor.run(contextId, context, tasks)) as NullBatchResult[];
      const moments = new RunningMoments(observed);
      const sessionMean = new Float64Array(nS * nT);
      results.forEach((r, ti) => {
        const task = tasks[ti] as Extract<ScaleTask, { kind: 'nulls' }>;
        const bsz = task.r1 - task.r0;
        if (r.batch.length !== bsz * nT || r.sessionSum.length !== nS * nT)
          throw new Error(`null task ${ti} (${model} ${task.r0}..${task.r1}): result has the wrong shape`);
        for (let i = 0; i < sessionMean.length; i++) sessionMean[i] += r.sessionSum[i];
        for (let k = 0; k < bsz; k++) moments.push(r.batch, k * nT);
        options.onProgress?.({ model, done: task.r1, total: opts.nulls });
      });
      for (let i = 0; i < sessionMean.length; i++) sessionMean[i] /= opts.nulls;
      summaries.push({ model, moments, sessionMean, ms: performance.now() - start });
    }
  }

  const t1 = performance.now();
  const bind = new Int32Array(nT);
  const pv = new Float64Array(nT);
  const lifts = new Float64Array(nT);
  for (let t = 0; t < nT; t++) {
    let best = -1;
    for (let k = 0; k < summaries.length; k++) {
      const mo = summaries[k].moments;
      const p = empiricalP(mo.atLeast[t], mo.n);
      const l = liftOf(observed[t], mo.mean[t], opts.liftFloor);
      if (best < 0 || p > pv[t] || (p === pv[t] && l < lifts[t])) {
        best = k;
        pv[t] = p;
        lifts[t] = l;
      }
    }
    bind[t] = best;
  }
  const q = benjaminiHochberg(pv);
  const denominators = new Float64Array(nS * nT);
  for (let si = 0; si < nS; si++)
    for (let t = 0; t < nT; t++) denominators[si * nT + t] = summaries[bind[t]].sessionMean[si * nT + t];
  const ci =
    nT > 0
      ? bootstrapRatioCI({
          nUnits: nS,
          nRatios: nT,
          numerator: obsSession,
          denominator: denominators,
          floor: opts.liftFloor,
          replicates: opts.bootstrap,
          level: opts.ciLevel,
          seed: deriveSeed(opts.seed, BOOTSTRAP_STREAM),
        })
      : { low: new Float64Array(0), high: new Float64Array(0) };

  const results: MotifResult[] = [];
  for (let t = 0; t < nT; t++) {
    const m = testedObsIdx[t];
    const form = forms[t];
    const s = summaries[bind[t]];
    const mean = s.moments.mean[t];
    const sd = s.moments.sd(t);
    const sessionIds: string[] = [];
    for (let si = 0; si < nS; si++) if (obsSession[si * nT + t] > 0) sessionIds.push(sessions[si].id);
    results.push({
      id: formId(form, opts.edgeLabels),
      key: formKey(form),
      size: form.size,
      kinds: form.kinds.slice(),
      edges: formEdges(form)
        .map((e) => `${e.from}>${e.to}${opts.edgeLabels ? `@${e.label}` : ''}`)
        .join(','),
      count: obs.count[m],
      support: obs.support[m],
      sessions: sessionIds,
      statistic: opts.statistic,
      nullModel: s.model,
      nullMean: mean,
      nullSd: sd,
      lift: lifts[t],
      z: zScore(observed[t], mean, sd),
      p: pv[t],
      q: q[t],
      ciLow: ci.low[t],
      ciHigh: ci.high[t],
      class: classifyMotif(lifts[t], q[t], ci.low[t], opts.thresholds),
    });
  }
  results.sort(
    (a, b) =>
      CLASS_ORDER[a.class] - CLASS_ORDER[b.class] ||
      b.lift - a.lift ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return {
    results,
    observedMotifs: obs.catalog.size,
    testedMotifs: nT,
    occurrencesBySize: obs.occurrencesBySize,
    nulls: opts.nulls,
    nullModels: opts.models,
    seed: opts.seed,
    timing: {
      observeMs,
      nulls: summaries.map((s) => ({ model: s.model, ms: s.ms, nullsPerSecond: opts.nulls / (s.ms / 1000) })),
      statsMs: performance.now() - t1,
    },
  };
}
