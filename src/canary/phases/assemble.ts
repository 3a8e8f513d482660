/** The last step: canary.json's content from the phases' outputs, and the regression table against a previous run. */
import os from 'node:os';
import { FLASH_CONDITIONAL_MAX_L, enabledCompression, enabledKernel } from '../flags.js';
import { coefficientOfVariation, verdict as verdictOf } from '../gates.js';
import { machineInfo } from '../measure.js';
import { regimeFloor } from '../regime.js';
import { compareRuns, configDifferences, provenanceDifferences } from '../regression.js';
import { CANARY_SCHEMA, type CanaryResult, type ParquetRow } from '../types.js';
import type { DagTimings } from './dag.js';
import { gitInfo, versions } from './environment.js';
import type { KernelTimings } from './kernels.js';
import type { MemoryFigures } from './memory.js';
import type { MotifPhase } from './motifs.js';
import type { CanarySettings, Corpus } from './prepare.js';
import { chart } from './rows.js';
import type { PipelineConfigs, Throughput } from './throughput.js';
import type { Verdict } from './verdict.js';

export interface ResultParts {
  settings: CanarySettings;
  createdAt: string;
  loadAvgStart: number[];
  corpus: Corpus;
  kernels: KernelTimings;
  dag: DagTimings;
  parquet: ParquetRow[];
  configs: PipelineConfigs;
  throughput: Throughput;
  memory: MemoryFigures;
  motifs: MotifPhase;
  verdict: Verdict;
  phases: { name: string; seconds: number }[];
  totalSeconds: number;
  notes: string[];
}

export function assembleResult(p: ResultParts): CanaryResult {
  const { settings: s, corpus, throughput: tp, verdict: v } = p;
  const L = s.L;
  const { cal, check } = corpus;
  const totB = tp.baselineMs;
  const totE = tp.enabledMs;
  const nS = tp.sessions;
  const kernelByL = Object.fromEntries(L.map((l) => [String(l), enabledKernel(s.flags, l)]));
  return {
    schema: CANARY_SCHEMA,
    createdAt: p.createdAt,
    verdict: verdictOf(v.gates),
    exitCode: v.exitCode,
    gates: v.gates,
    thresholds: s.thresholds,
    config: {
      mode: s.mode,
      seed: s.seed,
      sessions: corpus.synthetic.length,
      realSessions: corpus.real.length,
      trials: s.preset.trials,
      warmup: s.preset.warmup,
      pipelineTrials: s.preset.pipelineTrials,
      lengths: L,
      flags: s.flags,
      flagSource: s.flagSource,
      enabled: {
        kernelByL,
        kernelRule: `the TGAT stage's own choice from the flags (kernelFromEnv: half > time-bias-cache > block-sparse > flash > baseline; flash under "conditional" only for n < ${FLASH_CONDITIONAL_MAX_L})`,
        dagBuilder: p.configs.enabled.dagBuilder,
        compression: enabledCompression(s.flags),
        parquetByL: p.configs.parquet.byL,
        parquetRule: p.configs.parquet.rule,
      },
      baseline: {
        kernel: 'baseline',
        dagBuilder: 'baseline',
        compression: 'none',
        parquetWriter: 'arrow-rs',
      },
      sampleDir: s.sampleDir,
      baselineFile: s.baselineFile,
      thresholdsFromEnv: s.thresholdsFromEnv,
      injected: s.inject?.spec ?? null,
    },
    machine: { ...machineInfo(), loadAvgStart: p.loadAvgStart, loadAvgEnd: os.loadavg() },
    versions: versions(s.root),
    git: gitInfo(s.root),
    calibration: {
      sampleSessions: cal.sessions,
      sampleEvents: cal.events,
      gapLogNormal: cal.gapLogNormal,
      check,
      ok: check.every((c) => c.ok),
    },
    pipeline: {
      definition:
        'per session: node features (n × 45) → DAG → TGAT forward (2 layers) → Parquet encode of the node table (features + embeddings) and the DAG edge table ' +
        '(baseline: uncompressed, arrow-rs writer; enabled: the configuration of config.enabled.parquetByL); ' +
        'time = median (and min) of the timed runs; category and overall speedup = Σ baseline time / Σ enabled time over the sessions.',
      categories: tp.categories,
      overall: {
        speedup: totB / totE,
        speedupMin: tp.baselineMinMs / tp.enabledMinMs,
        sessions: nS,
        baselineMs: totB,
        enabledMs: totE,
      },
      throughput: {
        enabledSessionsPerSecond: nS / (totE / 1000),
        baselineSessionsPerSecond: nS / (totB / 1000),
        enabledSessionsPerCpuSecond: tp.timedRuns / tp.cpuSeconds.enabled,
        baselineSessionsPerCpuSecond: tp.timedRuns / tp.cpuSeconds.baseline,
      },
      avgSessionMs: { enabled: totE / nS, baseline: totB / nS },
    },
    kernels: {
      L,
      rows: p.kernels.rows,
      parityMethod:
        'max-abs difference of the final embeddings from the `reference` kernel (float64) on the same session, weights and DAG; per L and the worst over L. ' +
        'The gate covers the kernels the enabled configuration can use plus baseline.',
    },
    dag: { L, rows: p.dag.rows, identical: p.dag.identical },
    parquet: {
      L,
      rows: p.parquet,
      table: 'the node table of the L-event session (t, kind, price, 45 float32 feature columns)',
      method:
        'encode: encodeParquet in memory (what the compression and row-group settings change); write: writeFileAtomic of the encoded bytes (temp file, fsync, rename, directory fsync; dominated by the disk); read: readParquet of the written file (read + decode).',
    },
    memory: {
      method:
        'Gate: the process peak resident set (ru_maxrss via process.resourceUsage().maxRSS, whole run) divided by the RAM available to the process ' +
        '(os.totalmem, or the cgroup limit when lower). Per L: heapUsed + arrayBuffers sampled after a forced GC and after each pipeline stage of the enabled configuration on the L-event session, ' +
        'with the stage outputs held; peak minus start. This sees what the stages hold, not scratch freed inside a stage (a lower bound of the stage peak).',
      processPeakRssBytes: v.peakRss,
      ramBytes: v.ramBytes,
      shareOfRam: v.peakRss / v.ramBytes,
      byL: p.memory.byL,
      gcForced: p.memory.gcForced,
    },
    parity: { byKernel: v.parityByKernel, gatedMax: v.gatedMax },
    motifs: p.motifs.motifs,
    readiness: v.readiness,
    regime: {
      definition:
        'gated: no regime left behind — every regime (each size category and the real sessions) at least ' +
        `${s.thresholds.minRegimeSpeedup}× faster than baseline (Σ baseline time / Σ enabled time of its sessions). ` +
        'Reported, not gated: the coefficient of variation (population SD / mean) of the per-category speedups.',
      minSpeedup: s.thresholds.minRegimeSpeedup,
      below: v.regimes.filter((r) => !(r.speedup >= s.thresholds.minRegimeSpeedup)).map((r) => r.id),
      categories: v.regimes,
      cv: v.cv,
      cvWithReal: coefficientOfVariation(tp.categories.map((c) => c.speedup)),
      floor: regimeFloor(tp.categories),
    },
    regression: null,
    charts: {
      attention: chart(
        'TGAT attention: time per forward pass vs L',
        'ms per forward pass (median)',
        L,
        p.kernels.rows,
      ),
      dag: chart('DAG construction: time per build vs L', 'ms per DAG build (median)', L, p.dag.rows),
      parquet: chart('Parquet: time to encode the node table vs L', 'ms per encode (median)', L, p.parquet),
    },
    phases: p.phases,
    totalSeconds: p.totalSeconds,
    notes: p.notes,
  };
}

/** The regression table of `result` against the previous run read from `baselineFile`. */
export function regressionAgainst(
  previous: CanaryResult,
  baselineFile: string,
  result: CanaryResult,
): NonNullable<CanaryResult['regression']> {
  return {
    baselineFile,
    baselineCreatedAt: previous.createdAt ?? null,
    configDiffers: configDifferences(previous, result),
    provenance: provenanceDifferences(previous, result),
    rows: compareRuns(previous, result),
  };
}
