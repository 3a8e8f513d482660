/**
 * Motif stability for the canary gates. Two comparisons:
 * - across kernels: each kernel's attention DAG (every node keeps its top-m predecessors by last-layer
 *   attention) is mined with the same null seed, so only the kernel differs;
 * - across seeds: the reference kernel's attention DAGs are mined with each null seed.
 * Gated (both must hold, over every pair of runs of each comparison; the kernels are those the enabled
 * configuration can use):
 * - PROMOTE agreement: Jaccard |A ∩ B| / |A ∪ B| of the PROMOTE sets. Runs with no PROMOTE at all leave it
 *   undefined: the gate is then "not applicable", never a pass.
 * - rank agreement: overlap |T_A ∩ T_B| / max(|T_A|, |T_B|) of the top-K motif ids by the test statistic z.
 * Reported, not gated: |Δlift| of a motif = max − min of its lift over the runs (with the exact kind-shuffle
 * null mean, lift does not depend on the null seed, so across seeds it is 0 by construction).
 */
import { sessionColumns } from './pipeline.js';
import type { TgatRunner } from './tgat-adapter.js';
import type { Figure } from './gates.js';
import type { MotifStabilityFigures } from './types.js';
import type { MotifAgreement } from '../motifs/index.js';
import { nodeFeatures } from '../features/index.js';
import { buildDag } from '../graph/index.js';
import {
  attentionDagFromTopM,
  compareLiftRuns,
  mineMotifs,
  motifAgreement,
  type LiftRun,
  type MineOptions,
  type MotifResult,
  type MotifSession,
} from '../motifs/index.js';
import type { Session } from '../session/index.js';

export interface MotifStabilityOptions {
  /** Kernels to compare (all concrete ones); `gatedKernels` ⊆ kernels enter the gate figure. */
  kernels: readonly string[];
  gatedKernels: readonly string[];
  seeds: readonly number[];
  nulls: number;
  sizes: number[];
  topK: number;
  rankBy: 'lift' | 'count' | 'z';
  alertThreshold: number;
  bootstrap: number;
  /** The mining function (default `mineMotifs`; the test-only injection seam of canary/inject.ts). */
  mine?: (sessions: readonly MotifSession[], options: MineOptions) => MotifResult[];
  onProgress?: (done: number, total: number) => void;
}

/** Attention-DAG motif sessions of `sessions` under one kernel. */
export function attentionSessions(
  sessions: readonly Session[],
  kernel: string,
  tgat: TgatRunner,
): MotifSession[] {
  return sessions.map((s) => {
    const feats = nodeFeatures(s);
    const cols = sessionColumns(s);
    const dag = buildDag(cols);
    const enc = tgat.encode(kernel, feats.data, feats.n, feats.d, cols.t, dag);
    if (!enc.topIndex)
      throw new Error(
        `not implemented: TGAT encodeSession returned no top-m attention index (kernel ${kernel})`,
      );
    const adag = attentionDagFromTopM(enc.topIndex, feats.n, enc.topM, { t: cols.t });
    return { id: s.id, n: feats.n, t: cols.t, price: cols.price, kind: cols.kind, dag: adag };
  });
}

type Rows = MotifStabilityFigures['acrossKernels']['rows'];

/** Minimum of the defined values; null when none is defined. */
function minDefined(xs: readonly (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? Math.min(...v) : null;
}

export const NO_PROMOTE = 'no PROMOTE motif in any run: gate not applicable';

/**
 * The two gate figures from the agreement of each comparison (the smaller of the applicable ones), or why
 * there is none.
 */
export function agreementFigures(comparisons: readonly (MotifAgreement | null)[]): {
  promoteJaccard: Figure;
  topOverlap: Figure;
} {
  const c = comparisons.filter((x): x is MotifAgreement => x !== null);
  const j = minDefined(c.map((x) => x.promoteJaccard));
  const o = minDefined(c.map((x) => x.topOverlap));
  return {
    promoteJaccard: j === null ? { notApplicable: NO_PROMOTE } : { value: j },
    topOverlap:
      o === null ? { notApplicable: 'no tested motif in any run: gate not applicable' } : { value: o },
  };
}

function summary(
  runs: LiftRun[],
  topK: number,
  rankBy: 'lift' | 'count' | 'z',
): { maxDeltaLift: number; meanDeltaLift: number; rows: Rows } {
  const r = compareLiftRuns(runs, { topK, rankBy });
  return { maxDeltaLift: r.maxDeltaLift, meanDeltaLift: r.meanDeltaLift, rows: r.rows };
}

/** Measures motif stability on `sessions` (the real sample in the canary). */
export function measureMotifStability(
  sessions: readonly Session[],
  tgat: TgatRunner,
  o: MotifStabilityOptions,
): MotifStabilityFigures {
  const t0 = performance.now();
  if (o.seeds.length < 2) throw new Error(`motif stability needs at least 2 seeds, got ${o.seeds.length}`);
  if (!o.kernels.includes('reference')) throw new Error('motif stability: kernels must include reference');
  const mineOpts = {
    sizes: o.sizes,
    nulls: o.nulls,
    nullModel: 'kind-shuffle' as const,
    bootstrap: o.bootstrap,
    graphKind: 'attention' as const,
  };
  const mine = o.mine ?? mineMotifs;
  const total = o.kernels.length + o.seeds.length - 1;
  let done = 0;
  const kernelRuns = new Map<string, LiftRun>();
  const graphs = new Map<string, MotifSession[]>();
  for (const k of o.kernels) {
    const g = attentionSessions(sessions, k, tgat);
    graphs.set(k, g);
    kernelRuns.set(k, { label: k, results: mine(g, { ...mineOpts, seed: o.seeds[0] }) });
    o.onProgress?.(++done, total);
  }
  const seedRuns: LiftRun[] = [
    { label: `seed=${o.seeds[0]}`, results: kernelRuns.get('reference')!.results },
  ];
  for (const seed of o.seeds.slice(1)) {
    seedRuns.push({
      label: `seed=${seed}`,
      results: mine(graphs.get('reference')!, { ...mineOpts, seed }),
    });
    o.onProgress?.(++done, total);
  }
  // Reference first, so the top-K are the reference kernel's.
  const ordered = (names: readonly string[]) =>
    ['reference', ...names.filter((k) => k !== 'reference')].map((k) => kernelRuns.get(k)!);
  const gatedNames = o.gatedKernels.filter((k) => kernelRuns.has(k));
  const acrossKernelsAll = summary(ordered(o.kernels), o.topK, o.rankBy);
  const acrossKernelsGated = gatedNames.some((k) => k !== 'reference')
    ? summary(ordered(gatedNames), o.topK, o.rankBy)
    : null;
  const acrossSeeds = summary(seedRuns, o.topK, o.rankBy);
  const kernelFigure = acrossKernelsGated ?? { maxDeltaLift: 0, meanDeltaLift: 0, rows: [] };
  const deltaLift = Math.max(kernelFigure.maxDeltaLift, acrossSeeds.maxDeltaLift);
  const agreement = {
    acrossSeeds: motifAgreement(seedRuns, o.topK),
    acrossKernels: gatedNames.some((k) => k !== 'reference')
      ? motifAgreement(ordered(gatedNames), o.topK)
      : null,
  };
  const gate = agreementFigures([agreement.acrossSeeds, agreement.acrossKernels]);
  const value = (f: Figure) => ('value' in f ? f.value : null);
  return {
    definition:
      `gated: PROMOTE-set Jaccard (|A ∩ B| / |A ∪ B|) and top-${o.topK} overlap by z (|T_A ∩ T_B| / ${o.topK}) over every pair of runs, the minimum; ` +
      `no PROMOTE in any run makes the Jaccard gate not applicable; ` +
      `across kernels: attention DAGs (top-m predecessors by last-layer attention) of each kernel mined with null seed ${o.seeds[0]} (gated: the kernels the enabled configuration can use, ${gatedNames.join(', ')}); ` +
      `across seeds: the reference kernel's attention DAGs mined with each seed. ` +
      `Reported, not gated: top-${o.topK} motifs ranked by ${o.rankBy} in the first run, |Δlift| = max − min of a motif's lift over the runs (∞ when a motif vanishes from a run).`,
    sessions: sessions.length,
    sizes: o.sizes,
    nulls: o.nulls,
    nullModel: 'kind-shuffle',
    topK: o.topK,
    rankBy: o.rankBy,
    seeds: [...o.seeds],
    kernels: ['reference', ...o.kernels.filter((k) => k !== 'reference')],
    acrossKernels: { ...acrossKernelsAll, gatedMaxDeltaLift: kernelFigure.maxDeltaLift },
    acrossSeeds,
    byLiftRank: {
      acrossKernels: compareLiftRuns(ordered(o.kernels), { topK: o.topK, rankBy: 'lift' }).maxDeltaLift,
      acrossSeeds: compareLiftRuns(seedRuns, { topK: o.topK, rankBy: 'lift' }).maxDeltaLift,
    },
    agreement,
    promoteJaccard: value(gate.promoteJaccard),
    topOverlap: value(gate.topOverlap),
    deltaLift,
    alertThreshold: o.alertThreshold,
    alert: deltaLift > o.alertThreshold,
    seconds: (performance.now() - t0) / 1000,
  };
}
