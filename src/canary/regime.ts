/**
 * What bounds each regime's speedup: the Amdahl ceiling of every regime (size categories and the real
 * sessions) and, for information, the smallest coefficient of variation any enabled configuration could reach
 * without making a regime slower than measured.
 *
 * The regime gate is "no regime below 1.2× baseline" (gates.ts, `regimeFigure`); the CV is reported only. The
 * ceiling says whether a failing regime can pass by DAG/TGAT work at all:
 * - Stages no flag speeds up (node features, and the Parquet encode at its fastest measured configuration)
 *   cap what any configuration can gain on a regime: ceiling = baseline time / those stages' time. A regime
 *   whose ceiling is below the gate's threshold needs faster fixed stages, not a faster kernel.
 * - Large categories already gain more (sparse masked attention is O(L·degree) against the baseline's O(L²)),
 *   and a configuration may not give that back: their measured speedup is a lower limit.
 * Each regime's reachable speedup is then the interval [measured, ceiling]; `minCvOverIntervals` finds the
 * smallest CV over all points of those intervals.
 */
import { coefficientOfVariation } from './gates.js';
import type { CategoryFigures } from './types.js';

/** A category's speedup if every flag-controlled stage took no time: baseline ms / fixed ms. */
export function speedupCeiling(baselineMs: number, fixedMs: number): number {
  if (!(baselineMs > 0) || !(fixedMs > 0))
    throw new Error(`speedupCeiling: times must be > 0, got baseline ${baselineMs}, fixed ${fixedMs}`);
  return baselineMs / fixedMs;
}

/**
 * Milliseconds of a category that no flag removes: features (the same code in both configurations; the
 * smaller of the two measurements) plus the faster of the two measured Parquet encodes.
 */
export function fixedStageMs(c: Pick<CategoryFigures, 'enabledStageMs' | 'baselineStageMs'>): number {
  const e = c.enabledStageMs;
  const b = c.baselineStageMs;
  return Math.min(e.features, b.features) + Math.min(e.parquet, b.parquet);
}

export interface CvFloor {
  /** The smallest coefficient of variation over the intervals. */
  cv: number;
  /** The point that reaches it (one value per interval). */
  at: number[];
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}

function clampAll(v: number, lo: readonly number[], hi: readonly number[]): number[] {
  return lo.map((l, k) => clamp(v, l, hi[k]));
}

/**
 * min CV(x) over x_k ∈ [lo_k, hi_k] (all > 0). Exact: for a fixed mean, Σx² is smallest at x_k = clamp(v)
 * for one level v (KKT), so the optimum is such a point. Between consecutive interval ends the clamped set is
 * fixed; with F free entries and A = Σc², B = Σc over the clamped ones, CV² + 1 = n(A + Fv²)/(B + Fv)²,
 * whose only stationary point is v = A/B. Candidates: every interval end and A/B on every piece.
 */
export function minCvOverIntervals(lo: readonly number[], hi: readonly number[]): CvFloor {
  if (lo.length === 0 || lo.length !== hi.length)
    throw new Error(`minCvOverIntervals: need equal, non-empty bounds (got ${lo.length} and ${hi.length})`);
  lo.forEach((l, k) => {
    if (!(l > 0) || !(hi[k] >= l))
      throw new Error(`minCvOverIntervals: interval ${k} is [${l}, ${hi[k]}], need 0 < lo ≤ hi`);
  });
  const ends = [...new Set([...lo, ...hi])].sort((a, b) => a - b);
  const candidates = [...ends];
  for (let p = 0; p + 1 < ends.length; p++) {
    const mid = (ends[p] + ends[p + 1]) / 2;
    let a = 0;
    let b = 0;
    lo.forEach((l, k) => {
      const x = clamp(mid, l, hi[k]);
      if (x !== mid) {
        a += x * x;
        b += x;
      }
    });
    if (b > 0) {
      const v = a / b;
      if (v > ends[p] && v < ends[p + 1]) candidates.push(v);
    } else candidates.push(mid); // every entry free on this piece: CV 0
  }
  let best: CvFloor = { cv: Infinity, at: [] };
  for (const v of candidates) {
    const at = clampAll(v, lo, hi);
    const cv = coefficientOfVariation(at);
    if (cv < best.cv) best = { cv, at };
  }
  return best;
}

export interface RegimeFloor {
  /** How a category's ceiling is computed. */
  ceilingDefinition: string;
  /** How the floor is computed. */
  floorDefinition: string;
  categories: { id: string; speedup: number; ceiling: number; fixedMs: number; atFloor: number }[];
  /** The smallest regime variance reachable without slowing a category (see the module comment). */
  floorCv: number;
}

/** Ceilings and the CV floor of the given regimes (the canary passes all of them, real sessions included). */
export function regimeFloor(
  categories: readonly Pick<
    CategoryFigures,
    'id' | 'speedup' | 'baselineMs' | 'enabledStageMs' | 'baselineStageMs'
  >[],
): RegimeFloor {
  const rows = categories.map((c) => {
    const fixedMs = fixedStageMs(c);
    return { id: c.id, speedup: c.speedup, fixedMs, ceiling: speedupCeiling(c.baselineMs, fixedMs) };
  });
  const floor = minCvOverIntervals(
    rows.map((r) => r.speedup),
    rows.map((r) => Math.max(r.speedup, r.ceiling)),
  );
  return {
    ceilingDefinition:
      'baseline ms / (features ms + the faster measured Parquet encode ms): the speedup if DAG and TGAT took no time',
    floorDefinition:
      'the smallest CV of the category speedups with each speedup anywhere between its measured value and its ceiling (no category slower than measured)',
    categories: rows.map((r, k) => ({ ...r, atFloor: floor.at[k] })),
    floorCv: floor.cv,
  };
}
