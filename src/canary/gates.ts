/**
 * Release gates: pure functions from measured figures to pass/fail, with the seed's thresholds
 * (stricter under `--strict`). A gate whose figure could not be measured is an `error` and fails the run;
 * one switched off by a flag (motif monitoring) is `skipped` and does not; one whose figure is undefined on
 * this data (no PROMOTE motif to compare) is `n/a` — neither a pass nor a failure, and said so in the report.
 */

export interface GateThresholds {
  /** Overall speedup of the enabled configuration over baseline must be ≥ this. */
  minSpeedup: number;
  /** Max-abs difference of every gated kernel from `reference` must be ≤ this. */
  maxParity: number;
  /** Process peak RSS / RAM must be ≤ this. */
  maxMemoryShare: number;
  /** Jaccard of the PROMOTE sets across null seeds and across kernels (worst pair) must be ≥ this. */
  minMotifJaccard: number;
  /** Overlap of the top-10 motifs by z across null seeds and across kernels (worst pair) must be ≥ this. */
  minMotifTopOverlap: number;
  /**
   * Every regime (each size category and the real sessions) must be at least this much faster than baseline:
   * no regime left behind. (Replaces "CV of the category speedups < 10%", which rewarded uniform speedups
   * rather than the absence of regressions; the CV is still reported.)
   */
  minRegimeSpeedup: number;
}

export const DEFAULT_THRESHOLDS: Readonly<GateThresholds> = Object.freeze({
  minSpeedup: 1.4,
  maxParity: 1e-4,
  maxMemoryShare: 0.7,
  minMotifJaccard: 0.95,
  minMotifTopOverlap: 0.9,
  minRegimeSpeedup: 1.2,
});

export const STRICT_THRESHOLDS: Readonly<GateThresholds> = Object.freeze({
  ...DEFAULT_THRESHOLDS,
  maxParity: 5e-7,
});

export function thresholdsFor(strict: boolean): GateThresholds {
  return { ...(strict ? STRICT_THRESHOLDS : DEFAULT_THRESHOLDS) };
}

/**
 * A measured figure, or why there is none. `detail` says what the value is made of (e.g. which regime is
 * the slowest) and is shown with the gate.
 */
export type Figure =
  { value: number; detail?: string } | { skipped: string } | { error: string } | { notApplicable: string };

export interface GateFigures {
  overallSpeedup: Figure;
  parityMaxAbs: Figure;
  /** Peak RSS as a share of RAM (0…1). */
  memoryShare: Figure;
  /** PROMOTE-set Jaccard, worst pair (see canary/motif-stability.ts). */
  motifJaccard: Figure;
  /** Top-10-by-z overlap, worst pair. */
  motifTopOverlap: Figure;
  /** The smallest speedup over the regimes (size categories and real sessions). */
  regimeMinSpeedup: Figure;
}

export type GateId = 'speedup' | 'parity' | 'memory' | 'motif-promote' | 'motif-rank' | 'regime';
export type GateStatus = 'pass' | 'fail' | 'skipped' | 'error' | 'n/a';

export interface GateResult {
  id: GateId;
  name: string;
  /** The figure, or null when skipped / not measured. */
  measured: number | null;
  comparator: '≥' | '≤' | '<';
  threshold: number;
  status: GateStatus;
  /** Why a gate was skipped, errored or is not applicable; for a measured gate, what the figure is made of. */
  note?: string;
}

const GATES: {
  id: GateId;
  name: string;
  figure: keyof GateFigures;
  comparator: GateResult['comparator'];
  threshold: keyof GateThresholds;
}[] = [
  {
    id: 'speedup',
    name: 'Overall speedup vs baseline',
    figure: 'overallSpeedup',
    comparator: '≥',
    threshold: 'minSpeedup',
  },
  {
    id: 'parity',
    name: 'Kernel parity (max-abs vs reference)',
    figure: 'parityMaxAbs',
    comparator: '≤',
    threshold: 'maxParity',
  },
  {
    id: 'memory',
    name: 'Peak memory (share of RAM)',
    figure: 'memoryShare',
    comparator: '≤',
    threshold: 'maxMemoryShare',
  },
  {
    id: 'motif-promote',
    name: 'Motif stability (PROMOTE-set Jaccard)',
    figure: 'motifJaccard',
    comparator: '≥',
    threshold: 'minMotifJaccard',
  },
  {
    id: 'motif-rank',
    name: 'Motif stability (top-10 overlap by z)',
    figure: 'motifTopOverlap',
    comparator: '≥',
    threshold: 'minMotifTopOverlap',
  },
  {
    id: 'regime',
    name: 'No regime left behind (slowest regime speedup)',
    figure: 'regimeMinSpeedup',
    comparator: '≥',
    threshold: 'minRegimeSpeedup',
  },
];

function compare(value: number, comparator: GateResult['comparator'], threshold: number): boolean {
  if (!Number.isFinite(value)) return false;
  if (comparator === '≥') return value >= threshold;
  if (comparator === '≤') return value <= threshold;
  return value < threshold;
}

/** Evaluates every gate, in a fixed order. A non-finite figure fails its gate. */
export function evaluateGates(fig: GateFigures, thr: GateThresholds): GateResult[] {
  return GATES.map((g) => {
    const f = fig[g.figure];
    const base = { id: g.id, name: g.name, comparator: g.comparator, threshold: thr[g.threshold] };
    if ('skipped' in f) return { ...base, measured: null, status: 'skipped', note: f.skipped };
    if ('error' in f) return { ...base, measured: null, status: 'error', note: f.error };
    if ('notApplicable' in f) return { ...base, measured: null, status: 'n/a', note: f.notApplicable };
    return {
      ...base,
      measured: f.value,
      status: compare(f.value, g.comparator, base.threshold) ? 'pass' : 'fail',
      ...(f.detail ? { note: f.detail } : {}),
    };
  });
}

/** 0 when no gate failed or errored, 1 otherwise (skipped and n/a gates neither pass nor fail the run). */
export function exitCodeFor(gates: readonly GateResult[]): 0 | 1 {
  return gates.some((g) => g.status === 'fail' || g.status === 'error') ? 1 : 0;
}

export type CanaryVerdict = 'APPROVED' | 'CONDITIONAL APPROVAL' | 'REJECTED';

/** Gates whose failure alone makes a CONDITIONAL APPROVAL. */
export const STABILITY_GATES: readonly GateId[] = ['motif-promote', 'motif-rank', 'regime'];

/**
 * The report's headline: APPROVED when every gate passes (skipped and n/a ones aside); CONDITIONAL APPROVAL when
 * only the stability gates (the two motif gates, regime) fail; REJECTED when speed, parity or memory fails or a figure is missing.
 * The exit code does not depend on the verdict: any failure is exit 1.
 */
export function verdict(gates: readonly GateResult[]): CanaryVerdict {
  const bad = gates.filter((g) => g.status === 'fail' || g.status === 'error');
  if (bad.length === 0) return 'APPROVED';
  if (bad.every((g) => g.status === 'fail' && STABILITY_GATES.includes(g.id))) return 'CONDITIONAL APPROVAL';
  return 'REJECTED';
}

/** One regime's speedup (a size category or the real sessions). */
export interface RegimeSpeedup {
  id: string;
  speedup: number;
}

/**
 * The regime gate's figure: the smallest speedup over the regimes, with the regimes below `minSpeedup` named
 * in the detail (all of them, slowest first), or an error when there is no regime.
 */
export function regimeFigure(regimes: readonly RegimeSpeedup[], minSpeedup: number): Figure {
  if (regimes.length === 0) return { error: 'no regime was measured (no sessions in any category)' };
  const sorted = [...regimes].sort((a, b) => a.speedup - b.speedup || (a.id < b.id ? -1 : 1));
  const worst = sorted[0];
  const below = sorted.filter((r) => !(r.speedup >= minSpeedup));
  const fmt = (r: RegimeSpeedup) => `${r.id} ${r.speedup.toFixed(2)}×`;
  return {
    value: worst.speedup,
    detail: below.length
      ? `below ${minSpeedup}×: ${below.map(fmt).join(', ')}`
      : `slowest regime: ${fmt(worst)}`,
  };
}

/**
 * Regime variance (reported, not gated): coefficient of variation (population standard deviation / mean) of the per-category
 * speedups. 0 when all categories speed up equally.
 */
export function coefficientOfVariation(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('coefficientOfVariation: no values');
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (!(mean > 0)) throw new Error(`coefficientOfVariation: mean must be > 0, got ${mean}`);
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  return Math.sqrt(variance) / mean;
}

/** Share of `value` above `threshold` ((value − threshold)/threshold), e.g. 0.24 for "24% over". */
export function overLimit(value: number, threshold: number): number {
  return (value - threshold) / threshold;
}
