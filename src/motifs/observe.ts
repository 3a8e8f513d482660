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
  /** Per session: the motif indices present and their occurrence counts (parallel arrays). */
  perSession: { index: Int32Array; count: Int32Array }[];
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
    sink.countBySize = occurrencesBySize;
    esu.run(graph, mask, sink, labeled, s.kind);
    const index = sink.touched.slice(0, sink.nTouched).sort();
    const count = new Int32Array(index.length);
    for (let i = 0; i < index.length; i++) count[i] = sink.counts[index[i]];
    perSession.push({ index, count });
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
