/**
 * Occurrences of chosen motifs: which event indices each occurrence covers, per session. Confluence uses the
 * occurrences of PROMOTED motifs (the share of a window's events inside one).
 */
import { formFromKey } from './canonical.js';
import { MotifCatalog } from './catalog.js';
import { SubgraphEnumerator, sizeMask, type OccurrenceSink } from './esu.js';
import { EnumGraph } from './graph.js';
import type { MotifResult, MotifSession } from './types.js';

export interface MotifOccurrence {
  sessionId: string;
  motifId: string;
  /** Event indices of the occurrence, ascending. */
  nodes: number[];
}

/** Collects the node sets of occurrences that map to a motif of a frozen catalog. */
class HitSink implements OccurrenceSink {
  hits: { idx: number; nodes: number[] }[] = [];
  constructor(private readonly catalog: MotifCatalog) {}
  emit(size: number, nodes: Int32Array, pairCode: number, kc: number): void {
    const slot = this.catalog.slotOf(size, pairCode);
    if (slot < 0) return;
    let idx = this.catalog.memo[slot][kc];
    if (idx === -2) idx = this.catalog.resolve(slot, kc);
    if (idx >= 0) this.hits.push({ idx, nodes: Array.from(nodes.subarray(0, size)) });
  }
}

/**
 * Every occurrence of `motifs` (unlabeled motifs, as mined with edgeLabels off) in `sessions`, session by session
 * (in session order; within a session in enumeration order). Lazy: only one session's occurrences exist at a time,
 * so a caller that keeps a capped share of them (the dashboard's motif browser) holds what it keeps, not every
 * occurrence of the run (millions on months of one-minute bars).
 */
export function* motifOccurrences(
  sessions: readonly MotifSession[],
  motifs: readonly Pick<MotifResult, 'id' | 'key' | 'size'>[],
): Generator<MotifOccurrence, void, undefined> {
  if (motifs.length === 0) return;
  const forms = motifs.map((m) => formFromKey(m.key));
  const catalog = MotifCatalog.frozen(forms, false);
  const idByKey = new Map(motifs.map((m) => [m.key, m.id]));
  const ids = catalog.keys.map((k) => idByKey.get(k)!);
  const mask = sizeMask([...new Set(motifs.map((m) => m.size))]);
  const graph = new EnumGraph();
  const esu = new SubgraphEnumerator();
  for (const s of sessions) {
    const sink = new HitSink(catalog);
    graph.load(s.n, s.dag.src, s.dag.dst, s.dag.src.length);
    esu.run(graph, mask, sink, false, s.kind);
    for (const h of sink.hits) yield { sessionId: s.id, motifId: ids[h.idx], nodes: h.nodes };
  }
}

/** Every occurrence of `motifs` in `sessions`, as one array (`motifOccurrences`, collected). */
export function findMotifOccurrences(
  sessions: readonly MotifSession[],
  motifs: readonly Pick<MotifResult, 'id' | 'key' | 'size'>[],
): MotifOccurrence[] {
  return [...motifOccurrences(sessions, motifs)];
}
