/**
 * Phase 5, pipeline throughput: every corpus session through the per-session pipeline with the enabled and the
 * baseline configuration (trials alternating the order), summed per size category and overall.
 */
import type { Session } from '../../session/index.js';
import { enabledCompression, enabledDagBuilder, enabledKernel, type CanaryFlags } from '../flags.js';
import { median } from '../measure.js';
import { BASELINE_PARQUET, parquetPolicy, type ParquetPolicy } from '../parquet-choice.js';
import { PIPELINE_STAGES, runPipeline, type PipelineConfig } from '../pipeline.js';
import type { ParquetRow } from '../types.js';
import { SCALE_CATEGORIES, type CategoryId, type CorpusSession } from '../scale.js';
import type { TgatRunner } from '../tgat-adapter.js';
import type { CategoryFigures, PipelineStage } from '../types.js';
import type { Tick } from './progress.js';

export interface PipelineConfigs {
  /**
   * What the flags enable: the TGAT stage's own kernel choice for n events, the flagged builder, and the
   * Parquet configuration of the codec flag (with `auto`, chosen per size from the Parquet phase's timings).
   */
  enabled: PipelineConfig;
  /** The seed's configuration: baseline kernel and DAG builder, uncompressed Parquet through arrow-rs. */
  baseline: PipelineConfig;
  /** The enabled configuration's Parquet policy (what it chose per L, and why). */
  parquet: ParquetPolicy;
}

/** `parquet`/`L`: the Parquet phase's rows and lengths, which `IRONFORGE_ENABLE_ZSTD_COMPRESSION=auto` reads. */
export function pipelineConfigs(
  flags: CanaryFlags,
  parquet: readonly ParquetRow[] = [],
  L: readonly number[] = [],
): PipelineConfigs {
  const policy = parquetPolicy(enabledCompression(flags), parquet, L);
  return {
    enabled: {
      kernelFor: (n: number): string => enabledKernel(flags, n),
      dagBuilder: enabledDagBuilder(flags),
      parquetFor: policy.choose,
    },
    baseline: { kernelFor: () => 'baseline', dagBuilder: 'baseline', parquetFor: () => BASELINE_PARQUET },
    parquet: policy,
  };
}

export interface Throughput {
  /** Size categories, then the real sample (categories without sessions are left out). */
  categories: CategoryFigures[];
  /** The categories without the real sample (the regime gate's). */
  sizeCategories: CategoryFigures[];
  sessions: number;
  /** Σ per-session medians over the categories, ms. */
  baselineMs: number;
  enabledMs: number;
  /** Σ per-session minima over all sessions, ms. */
  baselineMinMs: number;
  enabledMinMs: number;
  /** Process CPU seconds (user + system) over all timed runs of each configuration. */
  cpuSeconds: { enabled: number; baseline: number };
  /** Timed runs per configuration (sessions × trials). */
  timedRuns: number;
  /** Kernel the enabled configuration ran, per category (first trial), with counts. */
  kernelUse: Map<string, Map<string, number>>;
}

export function measureThroughput(
  corpus: readonly CorpusSession[],
  real: readonly Session[],
  cfgs: PipelineConfigs,
  tgat: TgatRunner,
  trials: number,
  tick: Tick,
): Throughput {
  let done = 0;
  const nS = corpus.length;
  const nStages = PIPELINE_STAGES.length;
  const times = {
    enabled: new Float64Array(nS * trials),
    baseline: new Float64Array(nS * trials),
  };
  const stages = {
    enabled: new Float64Array(nS * trials * nStages),
    baseline: new Float64Array(nS * trials * nStages),
  };
  const kernelUse = new Map<string, Map<string, number>>();
  // CPU time beside wall time: on a shared machine the wall-clock medians include time the process spent
  // waiting for a core; its own CPU time does not (the pipeline is single-threaded).
  const cpuMicros = { enabled: 0, baseline: 0 };
  // Warm-up: one pass over the first session of every category with both configurations.
  const seen = new Set<string>();
  for (const c of corpus) {
    if (seen.has(c.category)) continue;
    seen.add(c.category);
    runPipeline(c.session, cfgs.baseline, tgat);
    runPipeline(c.session, cfgs.enabled, tgat);
  }
  for (let tr = 0; tr < trials; tr++) {
    for (let si = 0; si < nS; si++) {
      const s = corpus[si].session;
      // Alternate the order so neither configuration always runs on a warmer cache.
      const order =
        (tr + si) % 2 === 0 ? (['baseline', 'enabled'] as const) : (['enabled', 'baseline'] as const);
      for (const which of order) {
        const c0 = process.cpuUsage();
        const run = runPipeline(s, cfgs[which], tgat);
        const c = process.cpuUsage(c0);
        cpuMicros[which] += c.user + c.system;
        const slot = si * trials + tr;
        times[which][slot] = run.totalMs;
        stages[which].set(run.stageMs, slot * nStages);
        if (which === 'enabled' && tr === 0) {
          const cat = corpus[si].category;
          const m = kernelUse.get(cat) ?? new Map<string, number>();
          m.set(run.kernel, (m.get(run.kernel) ?? 0) + 1);
          kernelUse.set(cat, m);
        }
      }
      tick(++done);
    }
  }
  const perSession = (which: 'enabled' | 'baseline', si: number) => {
    const xs = Array.from(times[which].subarray(si * trials, (si + 1) * trials));
    return { median: median(xs), min: Math.min(...xs) };
  };
  const stageMedian = (which: 'enabled' | 'baseline', si: number, st: number) => {
    const xs: number[] = [];
    for (let tr = 0; tr < trials; tr++) xs.push(stages[which][(si * trials + tr) * nStages + st]);
    return median(xs);
  };
  const categoryDefs: { id: CategoryId | 'real'; label: string; range: string }[] = [
    ...SCALE_CATEGORIES.map((c) => ({ id: c.id, label: c.label, range: `${c.minEvents}-${c.maxEvents}` })),
    (() => {
      const ns = real.map((s) => s.events.length);
      return {
        id: 'real' as const,
        label: 'Real Sample Sessions',
        range: `${Math.min(...ns)}-${Math.max(...ns)}`,
      };
    })(),
  ];
  const categories: CategoryFigures[] = [];
  for (const def of categoryDefs) {
    const idx = corpus.map((c, i) => (c.category === def.id ? i : -1)).filter((i) => i >= 0);
    if (idx.length === 0) continue;
    let b = 0;
    let e = 0;
    let bMin = 0;
    let eMin = 0;
    let events = 0;
    const eSt = Object.fromEntries(PIPELINE_STAGES.map((s) => [s, 0])) as Record<PipelineStage, number>;
    const bSt = { ...eSt };
    for (const si of idx) {
      const pb = perSession('baseline', si);
      const pe = perSession('enabled', si);
      b += pb.median;
      e += pe.median;
      bMin += pb.min;
      eMin += pe.min;
      events += corpus[si].session.events.length;
      PIPELINE_STAGES.forEach((st, k) => {
        eSt[st] += stageMedian('enabled', si, k);
        bSt[st] += stageMedian('baseline', si, k);
      });
    }
    categories.push({
      ...def,
      count: idx.length,
      events,
      baselineMs: b,
      enabledMs: e,
      speedup: b / e,
      speedupMin: bMin / eMin,
      enabledStageMs: eSt,
      baselineStageMs: bSt,
    });
  }
  let baselineMinMs = 0;
  let enabledMinMs = 0;
  for (let si = 0; si < nS; si++) {
    baselineMinMs += perSession('baseline', si).min;
    enabledMinMs += perSession('enabled', si).min;
  }
  return {
    categories,
    sizeCategories: categories.filter((c) => c.id !== 'real'),
    sessions: nS,
    baselineMs: categories.reduce((a, c) => a + c.baselineMs, 0),
    enabledMs: categories.reduce((a, c) => a + c.enabledMs, 0),
    baselineMinMs,
    enabledMinMs,
    cpuSeconds: { enabled: cpuMicros.enabled / 1e6, baseline: cpuMicros.baseline / 1e6 },
    timedRuns: nS * trials,
    kernelUse,
  };
}

/** One note per category: the kernels the enabled configuration used and how often. */
export function kernelUseNotes(kernelUse: Throughput['kernelUse']): string[] {
  return [...kernelUse].map(
    ([cat, m]) =>
      `Kernels used by the enabled configuration for ${cat}: ${[...m].map(([k, c]) => `${k} ×${c}`).join(', ')}.`,
  );
}
