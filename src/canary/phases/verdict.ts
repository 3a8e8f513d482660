/**
 * Phase 8, gates: the figures of the six gates (overall speedup, parity of the gated kernels, peak memory
 * share, motif PROMOTE-set Jaccard and top-10 overlap, the slowest regime's speedup), their verdict and exit
 * code, and the per-component readiness.
 */
import { assessComponents, type ComponentAssessment } from '../assess.js';
import {
  coefficientOfVariation,
  evaluateGates,
  exitCodeFor,
  regimeFigure,
  type Figure,
  type GateResult,
  type GateThresholds,
} from '../gates.js';
import { processPeakRssBytes, ramLimitBytes } from '../measure.js';
import type { KernelRow, ParquetRow, PerLRow } from '../types.js';
import type { Throughput } from './throughput.js';

export interface VerdictInput {
  L: number[];
  kernelNames: readonly string[];
  kernels: KernelRow[];
  /** Max-abs difference from `reference` per kernel and L. */
  parity: Record<string, (number | null)[]>;
  gatedKernels: readonly string[];
  dag: PerLRow[];
  parquet: ParquetRow[];
  throughput: Throughput;
  motifFigures: { promoteJaccard: Figure; topOverlap: Figure };
  thresholds: GateThresholds;
}

export interface Verdict {
  parityByKernel: { kernel: string; maxAbs: number; worstL: number; gated: boolean }[];
  gatedMax: number;
  ramBytes: number;
  peakRss: number;
  /** Coefficient of variation of the size categories' speedups (reported, no longer gated). */
  cv: number;
  /** The regimes the regime gate covers (size categories, then the real sessions) and their speedups. */
  regimes: { id: string; speedup: number }[];
  gates: GateResult[];
  exitCode: 0 | 1;
  readiness: ComponentAssessment[];
}

export function evaluateRun(v: VerdictInput): Verdict {
  const parityByKernel = v.kernelNames
    .filter((k) => k !== 'reference')
    .map((k) => {
      const ps = v.parity[k];
      let worst = 0;
      ps.forEach((p, i) => {
        if (p !== null && p > (ps[worst] ?? -1)) worst = i;
      });
      return {
        kernel: k,
        maxAbs: Math.max(...ps.map((p) => p ?? Infinity)),
        worstL: v.L[worst],
        gated: v.gatedKernels.includes(k),
      };
    });
  const gatedMax = Math.max(0, ...parityByKernel.filter((p) => p.gated).map((p) => p.maxAbs));
  const ramBytes = ramLimitBytes();
  const peakRss = processPeakRssBytes();
  const cv = coefficientOfVariation(v.throughput.sizeCategories.map((c) => c.speedup));
  const regimes = v.throughput.categories.map((c) => ({ id: c.id, speedup: c.speedup }));
  const gates = evaluateGates(
    {
      overallSpeedup: { value: v.throughput.baselineMs / v.throughput.enabledMs },
      parityMaxAbs: { value: gatedMax },
      memoryShare: { value: peakRss / ramBytes },
      motifJaccard: v.motifFigures.promoteJaccard,
      motifTopOverlap: v.motifFigures.topOverlap,
      regimeMinSpeedup: regimeFigure(regimes, v.thresholds.minRegimeSpeedup),
    },
    v.thresholds,
  );
  const readiness = assessComponents({
    L: v.L,
    kernels: v.kernels,
    dag: v.dag,
    parquet: v.parquet,
    parity: new Map(parityByKernel.map((p) => [p.kernel, p.maxAbs])),
    parityLimit: v.thresholds.maxParity,
  });
  return {
    parityByKernel,
    gatedMax,
    ramBytes,
    peakRss,
    cv,
    regimes,
    gates,
    exitCode: exitCodeFor(gates),
    readiness,
  };
}
