/**
 * Phase 7, motif stability: whether it runs (the flag, or --strict), with which kernels and null seeds, and
 * the figures for the two motif gates (PROMOTE-set Jaccard and top-10 overlap by z; skipped, not applicable,
 * or the error that stopped them).
 */
import { STABILITY_SEEDS } from '../../core/index.js';
import type { Session } from '../../session/index.js';
import type { Figure } from '../gates.js';
import { injectMine } from '../inject.js';
import { agreementFigures, measureMotifStability } from '../motif-stability.js';
import type { TgatRunner } from '../tgat-adapter.js';
import type { MotifStabilityFigures } from '../types.js';
import type { CanarySettings } from './prepare.js';
import type { Tick } from './progress.js';

const FLAG_OFF = 'IRONFORGE_MONITOR_MOTIF_STABILITY=false';

export type MotifPlan =
  | { skipped: string }
  | {
      kernels: string[];
      gatedKernels: string[];
      /** Null seeds, the first one the run's seed (may repeat; mined once each). */
      seeds: number[];
      /** Work items for the progress bar. */
      total: number;
    };

/**
 * The null seeds: STABILITY_SEEDS (all in strict mode, else the preset's prefix), the first replaced by the
 * run's seed.
 */
export function motifSeedsFor(s: CanarySettings): number[] {
  return (s.strict ? [...STABILITY_SEEDS] : STABILITY_SEEDS.slice(0, s.preset.motifSeeds)).map((x, i) =>
    i === 0 ? s.seed : x,
  );
}

/** What the phase will do; a note when --strict overrides the flag. */
export function planMotifStability(
  s: CanarySettings,
  kernelNames: readonly string[],
  gatedKernels: readonly string[],
  notes: string[],
): MotifPlan {
  const kernels = kernelNames.filter((k) => k !== 'auto');
  const seeds = motifSeedsFor(s);
  if (s.strict && !s.flags.monitorMotifStability)
    notes.push('--strict measures motif stability even with IRONFORGE_MONITOR_MOTIF_STABILITY=false.');
  if (!s.flags.monitorMotifStability && !s.strict) return { skipped: FLAG_OFF };
  return {
    kernels,
    gatedKernels: gatedKernels.filter((k) => kernels.includes(k)),
    seeds,
    total: kernels.length + seeds.length - 1,
  };
}

export interface MotifPhase {
  motifs: MotifStabilityFigures | { notMeasured: string };
  figures: { promoteJaccard: Figure; topOverlap: Figure };
}

/** Runs the plan on the real sample; an error becomes the figure (the gate reports it), not a throw. */
export function runMotifStability(
  plan: MotifPlan,
  real: readonly Session[],
  tgat: TgatRunner,
  s: CanarySettings,
  tick: Tick,
): MotifPhase {
  if ('skipped' in plan) {
    const skipped = { skipped: plan.skipped };
    return {
      motifs: { notMeasured: plan.skipped },
      figures: { promoteJaccard: skipped, topOverlap: skipped },
    };
  }
  try {
    const m = measureMotifStability(real, tgat, {
      kernels: plan.kernels,
      gatedKernels: plan.gatedKernels,
      seeds: [...new Set(plan.seeds)],
      nulls: s.preset.nulls,
      sizes: s.motif.sizes,
      topK: s.motif.topK,
      rankBy: s.motif.rankBy,
      alertThreshold: s.flags.motifVarianceAlertThreshold,
      bootstrap: s.preset.bootstrap,
      mine: injectMine(s.inject),
      onProgress: (d) => tick(d),
    });
    return {
      motifs: m,
      figures: agreementFigures([m.agreement.acrossSeeds, m.agreement.acrossKernels]),
    };
  } catch (e) {
    const msg = (e as Error).message;
    const error = { error: msg };
    return { motifs: { notMeasured: msg }, figures: { promoteJaccard: error, topOverlap: error } };
  }
}
