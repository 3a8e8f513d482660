/**
 * Motif stability: does the top-10 of mined motifs move when only the seed or only the attention kernel
 * changes? Seeds re-draw the nulls and bootstrap; kernels re-run TGAT with each kernel and mine each attention DAG.
 */
import {
  motifStability,
  type GraphVariant,
  type StabilityOptions,
  type StabilityReport,
} from '../motifs/index.js';
import type { MineOptions } from '../motifs/index.js';
import type { Session } from '../session/index.js';
import { CONCRETE_KERNEL_NAMES, type KernelName } from '../tgat/index.js';
import { discoverSessions, type DiscoverOptions } from '../discover/index.js';
import { dagMotifSessions, motifSessions, type MotifGraph } from '../discover/index.js';
import { DEFAULT_SEED } from '../core/index.js';

/** The concrete kernels whose attention DAGs must give the same motifs: all of them. */
export const STABILITY_KERNELS: readonly KernelName[] = CONCRETE_KERNEL_NAMES;

export interface KernelStabilityOptions extends MineOptions {
  kernels?: KernelName[];
  discover?: Omit<DiscoverOptions, 'kernel'>;
  topK?: number;
  rankBy?: StabilityOptions['rankBy'];
}

/** top-K |Δlift| across the attention DAGs of several kernels (one mining seed). */
export function kernelStability(
  sessions: readonly Session[],
  opts: KernelStabilityOptions = {},
): StabilityReport {
  const { kernels = STABILITY_KERNELS, discover, topK, rankBy, ...mine } = opts;
  const variants: GraphVariant[] = kernels.map((k) => ({
    label: k,
    sessions: motifSessions(discoverSessions(sessions, { ...discover, kernel: k }), 'attention'),
  }));
  return motifStability(variants, {
    ...mine,
    graphKind: 'attention',
    seeds: [mine.seed ?? DEFAULT_SEED],
    topK,
    rankBy,
  });
}

/** top-K |Δlift| across mining seeds on one graph. */
export function seedStability(
  sessions: readonly Session[],
  graph: MotifGraph,
  opts: MineOptions & StabilityOptions & { seeds: number[]; discover?: DiscoverOptions },
): StabilityReport {
  const { seeds, discover, topK, rankBy, ...mine } = opts;
  const ms =
    graph === 'dag'
      ? dagMotifSessions(sessions, discover?.dagConfig, discover?.dagBuilder)
      : motifSessions(discoverSessions(sessions, discover), 'attention');
  return motifStability([{ label: graph, sessions: ms }], { ...mine, graphKind: graph, seeds, topK, rankBy });
}
