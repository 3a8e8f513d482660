/**
 * Counting motifs in the observed sessions: one ESU walk per session into an observing catalog.
 */
import { MotifCatalog } from './catalog.js';
import { CountSink } from './count.js';
import { SubgraphEnumerator, sizeMask } from './esu.js';
import { EnumGraph } from './graph.js';
import type { MotifSession } from './types.js';
import { validateMotifSessions } from './validate.js';
import { MAX_MOTIF_SIZE } from './canonical.js';

/** Motif counts of a session set. */
export interface ObservedMotifs {
  /** Every distinct canonical motif seen, by index. */
  catalog: MotifCatalog;
  /**
   * Per session: the motif indices present (ascending) and their occurrence counts (parallel arrays), and the
   * connected induced subgraphs enumerated by size (index = size).
   */
  perSession: { index: Int32Array; count: Int32Array; bySize: number[] }[];
  /** Total occurrences and support per motif index. */
  count: Int32Array;
  support: Int32Array;
  /** Connected induced subgraphs enumerated, per size (index = size). */
  occurrencesBySize: number[];
}

/**
 * Enumerate and count all connected induced subgraphs of the requested sizes in every session.
 * Validates the sessions first (clear errors for empty sets, bad sizes, cycles, malformed CSR).
 */
export function countMotifs(
  sessions: readonly MotifSession[],
  options: { sizes?: number[]; edgeLabels?: boolean } = {},
): ObservedMotifs {
  const labeled = options.edgeLabels ?? false;
  const mask = sizeMask(options.sizes ?? [3, 4, 5]);
  validateMotifSessions(sessions, labeled);
  const catalog = MotifCatalog.observing(labeled);
  const sink = new CountSink(catalog);
  const graph = new EnumGraph();
  const esu = new SubgraphEnumerator();
  const occurrencesBySize = new Array<number>(MAX_MOTIF_SIZE + 1).fill(0);
  const perSession: ObservedMotifs['perSession'] = [];
  for (const s of sessions) {
    graph.load(s.n, s.dag.src, s.dag.dst, s.dag.src.length, labeled ? s.edgeLabels : undefined);
    const bySize = new Array<number>(MAX_MOTIF_SIZE + 1).fill(0);
    sink.countBySize = bySize;
    esu.run(graph, mask, sink, labeled, s.kind);
    for (let k = 0; k <= MAX_MOTIF_SIZE; k++) occurrencesBySize[k] += bySize[k];
    const index = sink.touched.slice(0, sink.nTouched).sort();
    const count = new Int32Array(index.length);
    for (let i = 0; i < index.length; i++) count[i] = sink.counts[index[i]];
    perSession.push({ index, count, bySize });
    sink.clear();
  }
  sink.countBySize = null;
  const count = new Int32Array(catalog.size);
  const support = new Int32Array(catalog.size);
  for (const ps of perSession)
    for (let i = 0; i < ps.index.length; i++) {
      count[ps.index[i]] += ps.count[i];
      support[ps.index[i]]++;
    }
  return { catalog, perSession, count, support, occurrencesBySize };
}

/**
 * What countMotifs gives for the sessions `members` (indices into the sessions `obs` counted, ascending), read
 * from `obs` instead of enumerating again. The catalog holds the motifs those sessions contain, in `obs`'s index
 * order (countMotifs would number them by first appearance: every use orders motifs by canonical key, so only
 * the numbering differs, never a count, a support or a tested set).
 */
export function observedSubset(obs: ObservedMotifs, members: readonly number[]): ObservedMotifs {
  const present = new Int32Array(obs.catalog.size).fill(-1);
  for (const si of members) for (const m of obs.perSession[si].index) present[m] = 0;
  const forms = [];
  for (let m = 0; m < present.length; m++)
    if (present[m] === 0) {
      present[m] = forms.length;
      forms.push(obs.catalog.form(m));
    }
  const catalog = MotifCatalog.frozen(forms, obs.catalog.labeled);
  const count = new Int32Array(forms.length);
  const support = new Int32Array(forms.length);
  const occurrencesBySize = new Array<number>(MAX_MOTIF_SIZE + 1).fill(0);
  const perSession = members.map((si) => {
    const ps = obs.perSession[si];
    const index = Int32Array.from(ps.index, (m) => present[m]);
    for (let i = 0; i < index.length; i++) {
      count[index[i]] += ps.count[i];
      support[index[i]]++;
    }
    for (let k = 0; k <= MAX_MOTIF_SIZE; k++) occurrencesBySize[k] += ps.bySize[k];
    return { index, count: ps.count, bySize: ps.bySize };
  });
  return { catalog, perSession, count, support, occurrencesBySize };
}
