/**
 * The shape of canary.json (schema `ironforge.canary/1`). Every figure is measured in the run that wrote the
 * file; a figure that could not be measured is absent and its section carries `notMeasured` with the reason.
 * Times are milliseconds, sizes bytes, shares fractions (0.25 = 25%).
 *
 * Charts for the dashboard live in `charts`, one {@link ChartSeries} set per chart:
 *
 *   charts.attention = { title, x: 'L (events)', y: 'ms per forward pass (median)', logY: true,
 *                        L: [128, 256, 512, 1024],
 *                        series: [{ name: 'baseline', label: 'Baseline', median: [..4], min: [..4] }, …] }
 *
 * `median[i]` and `min[i]` are at `L[i]`; `null` marks a point that was not measured. The same shape is used
 * for `charts.dag` (ms per DAG build) and `charts.parquet` (ms per in-memory Parquet encode of the node table).
 */
import type { ComponentAssessment } from './assess.js';
import type { CalibrationCheckRow } from './calibration-check.js';
import type { CanaryFlags } from './flags.js';
import type { GateResult, GateThresholds, CanaryVerdict } from './gates.js';
import type { MotifAgreement } from '../motifs/index.js';
import type { MachineInfo, TimingStat } from './measure.js';
import type { RegimeFloor } from './regime.js';
import type { CategoryId } from './scale.js';

export const CANARY_SCHEMA = 'ironforge.canary/1';

export interface ChartSeries {
  name: string;
  label: string;
  median: (number | null)[];
  min: (number | null)[];
}

export interface Chart {
  title: string;
  x: string;
  y: string;
  logY: boolean;
  L: number[];
  series: ChartSeries[];
}

/** One configuration measured at every L. */
export interface PerLRow {
  name: string;
  label: string;
  /** Indexed like `L`; null where not measured. */
  timing: (TimingStat | null)[];
  /** Baseline median / this median and baseline min / this min, per L. */
  speedupMedian: (number | null)[];
  speedupMin: (number | null)[];
}

export interface KernelRow extends PerLRow {
  /** Max-abs difference of the final embeddings from `reference`, per L (float64 compare). */
  parity: (number | null)[];
  /** The kernel's declared workspace (kernel.workspaceBytes), per L; null when the kernel does not declare it. */
  workspaceBytes: (number | null)[];
  /** The kernel `auto` resolved to, per L (only for auto). */
  resolvedTo?: (string | null)[];
}

export interface ParquetRow extends PerLRow {
  compression: 'none' | 'zstd';
  rowGroupSize: number | null;
  /** Writer: 'arrow-rs' (parquet-wasm) or 'direct' (io/parquet-direct.ts). Absent in canary.json before it. */
  engine?: 'arrow-rs' | 'direct';
  /** Encoded size of the table, per L. (`timing` is the in-memory encode.) */
  bytes: (number | null)[];
  /** Atomic write of the encoded bytes to disk (with fsync), per L. */
  writeTiming: (TimingStat | null)[];
  /** Read-back time (readParquet of the written file), per L. */
  readTiming: (TimingStat | null)[];
}

export interface CategoryFigures {
  id: CategoryId | 'real';
  label: string;
  range: string;
  count: number;
  events: number;
  /** Σ over sessions of the per-session median pipeline time. */
  baselineMs: number;
  enabledMs: number;
  /** baselineMs / enabledMs. */
  speedup: number;
  /** Same with per-session minimum times. */
  speedupMin: number;
  /** Per-stage share of enabled time (features, dag, tgat, parquet), Σ of per-session medians. */
  enabledStageMs: Record<PipelineStage, number>;
  baselineStageMs: Record<PipelineStage, number>;
}

export type PipelineStage = 'features' | 'dag' | 'tgat' | 'parquet';

export interface MotifStabilityFigures {
  definition: string;
  sessions: number;
  sizes: number[];
  nulls: number;
  nullModel: string;
  topK: number;
  rankBy: 'lift' | 'count' | 'z';
  seeds: number[];
  kernels: string[];
  /** All kernels (max/mean/rows) and, in gatedMaxDeltaLift, only those the enabled configuration can use. */
  acrossKernels: {
    maxDeltaLift: number;
    meanDeltaLift: number;
    gatedMaxDeltaLift: number;
    rows: { id: string; lifts: number[]; deltaLift: number }[];
  };
  acrossSeeds: {
    maxDeltaLift: number;
    meanDeltaLift: number;
    rows: { id: string; lifts: number[]; deltaLift: number }[];
  };
  /** Same runs, top-10 ranked by lift instead (information, not gated). */
  byLiftRank: { acrossKernels: number; acrossSeeds: number };
  /** The gated agreement of each comparison; acrossKernels null when no kernel besides reference is gated. */
  agreement: { acrossSeeds: MotifAgreement; acrossKernels: MotifAgreement | null };
  /** Gate figures: the smaller of the two comparisons; null when not applicable (no PROMOTE / no motif). */
  promoteJaccard: number | null;
  topOverlap: number | null;
  /** |Δlift|, the larger of the two comparisons (reported, not gated; the alert compares it). */
  deltaLift: number;
  alertThreshold: number;
  alert: boolean;
  seconds: number;
}

/** Agreement of the motif results of several runs (see canary/motif-stability.ts). */
export interface RegressionRow {
  metric: string;
  unit: string;
  previous: number | null;
  current: number | null;
  /** (current − previous)/previous, signed. */
  change: number | null;
  /** True when lower is better for this metric. */
  lowerIsBetter: boolean;
  status: 'better' | 'same' | 'worse' | 'n/a';
  /** Why a metric was not compared (n/a): missing from a file, or timings from another machine. */
  note?: string;
}

export interface CanaryResult {
  schema: typeof CANARY_SCHEMA;
  createdAt: string;
  verdict: CanaryVerdict;
  exitCode: 0 | 1;
  gates: GateResult[];
  thresholds: GateThresholds;
  config: {
    mode: 'standard' | 'strict';
    seed: number;
    sessions: number;
    realSessions: number;
    trials: number;
    warmup: number;
    pipelineTrials: number;
    lengths: number[];
    flags: CanaryFlags;
    flagSource: Record<keyof CanaryFlags, 'env' | 'default'>;
    enabled: {
      kernelByL: Record<string, string>;
      kernelRule: string;
      dagBuilder: string;
      compression: string;
      /** Parquet configuration per benchmark length and how it was chosen (absent before the direct writer). */
      parquetByL?: Record<string, string>;
      parquetRule?: string;
    };
    baseline: { kernel: string; dagBuilder: string; compression: string; parquetWriter?: string };
    sampleDir: string;
    baselineFile: string | null;
    /** Gate thresholds set by environment variables ("VAR=value"); empty when all are the mode's. */
    thresholdsFromEnv: string[];
    /** TEST-ONLY: the IRONFORGE_CANARY_INJECT regressions this run carried (null in a real run). */
    injected: string | null;
  };
  /** Machine, plus the 1/5/15-minute load averages when the run started and ended (other load skews timings). */
  machine: MachineInfo & { loadAvgStart: number[]; loadAvgEnd: number[] };
  versions: Record<string, string>;
  git: { branch: string | null; commit: string | null };
  calibration: {
    sampleSessions: number;
    sampleEvents: number;
    gapLogNormal: { mu: number; sigma: number };
    check: CalibrationCheckRow[];
    ok: boolean;
  };
  pipeline: {
    definition: string;
    categories: CategoryFigures[];
    overall: { speedup: number; speedupMin: number; sessions: number; baselineMs: number; enabledMs: number };
    throughput: {
      enabledSessionsPerSecond: number;
      baselineSessionsPerSecond: number;
      /**
       * Sessions per second of this process's CPU time (user + system, process.cpuUsage) over all timed runs:
       * what the wall-clock figure would be without other load on the machine (absent in older files).
       */
      enabledSessionsPerCpuSecond?: number;
      baselineSessionsPerCpuSecond?: number;
    };
    avgSessionMs: { enabled: number; baseline: number };
  };
  kernels: { L: number[]; rows: KernelRow[]; parityMethod: string };
  dag: { L: number[]; rows: PerLRow[]; identical: boolean };
  parquet: { L: number[]; rows: ParquetRow[]; table: string; method: string };
  memory: {
    method: string;
    processPeakRssBytes: number;
    ramBytes: number;
    shareOfRam: number;
    byL: { L: number; peakLiveBytes: number }[];
    gcForced: boolean;
  };
  parity: {
    byKernel: { kernel: string; maxAbs: number; worstL: number; gated: boolean }[];
    gatedMax: number;
  };
  motifs: MotifStabilityFigures | { notMeasured: string };
  /** Rule-based readiness of each optimization (see assess.ts). */
  readiness: ComponentAssessment[];
  regime: {
    definition: string;
    /** The regime gate's threshold: every regime's speedup must be ≥ this. */
    minSpeedup: number;
    /** Regimes below it (size category ids or 'real'), in category order. */
    below: string[];
    /** Every regime: the size categories, then the real sessions. */
    categories: { id: string; speedup: number }[];
    /** CV of the size categories' speedups (reported, not gated). */
    cv: number;
    cvWithReal: number;
    /** Amdahl ceiling of every regime and the smallest CV reachable without slowing one (information). */
    floor: RegimeFloor;
  };
  regression: {
    baselineFile: string;
    baselineCreatedAt: string | null;
    /** Configuration fields that differ from the previous run ("sessions 120 → 4"). */
    configDiffers: string[];
    /** Another canary.json version, ironforge version or machine ("CPU A → B"); empty lists when alike. */
    provenance: { schema: string[]; version: string[]; machine: string[]; gates: string[] };
    rows: RegressionRow[];
  } | null;
  charts: { attention: Chart; dag: Chart; parquet: Chart };
  /** Wall time of each phase of the run. */
  phases: { name: string; seconds: number }[];
  totalSeconds: number;
  notes: string[];
}
