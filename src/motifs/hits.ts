/**
 * Occurrences of chosen motifs: which event indices each occurrence covers, per session. Confluence uses the
 * occurrences of PROMOTED motifs (the share of a window's events inside one).
 */
import { MAX_MOTIF_SIZE, formFromKey } from './canonical.js';
import { MotifCatalog } from './catalog.js';
import { SubgraphEnumerator, sizeMask, type OccurrenceSink } from './esu.js';
import { EnumGraph } from './graph.js';
import type { MotifResult, MotifSession } from './types.js';

export interface MotifOccurrence {
  sessionId: string;
  motifId: string;
  /** Event indices of the occurrence, ascending. */
  nodes: number[];
  /**
   * With `edges: true`: the session DAG's edges among `nodes` (the occurrence's induced subgraph) as flattened
   * pairs of positions into `nodes` (from, to, from, to, …), ordered by from, then to; one pair per connected
   * (from, to) however many parallel edges the DAG holds.
   */
  edges?: number[];
}

export interface OccurrenceOptions {
  /**
   * Keep only the first `maxPerMotif` occurrences of each motif (in session order, then enumeration order): the
   * later ones are counted past without being copied out.
   */
  maxPerMotif?: number;
  /** Attach each occurrence's induced DAG edges (MotifOccurrence.edges). */
  edges?: boolean;
}

/** Collects the node sets of occurrences that map to a motif of a frozen catalog, up to a cap per motif. */
class HitSink implements OccurrenceSink {
  hits: { idx: number; nodes: number[] }[] = [];
  readonly kept: Int32Array;
  constructor(
    private readonly catalog: MotifCatalog,
    private readonly cap: number,
  ) {
    this.kept = new Int32Array(catalog.keys.length);
  }
  emit(size: number, nodes: Int32Array, pairCode: number, kc: number): void {
    const slot = this.catalog.slotOf(size, pairCode);
    if (slot < 0) return;
    let idx = this.catalog.memo[slot][kc];
    if (idx === -2) idx = this.catalog.resolve(slot, kc);
    if (idx < 0 || this.kept[idx] >= this.cap) return;
    this.kept[idx]++;
    this.hits.push({ idx, nodes: Array.from(nodes.subarray(0, size)) });
  }
}

/** The induced edges of `nodes` (see MotifOccurrence.edges), from each node's successors in the DAG's CSR. */
function inducedEdges(nodes: readonly number[], dag: MotifSession['dag'], mark: Uint8Array): number[] {
  const out: number[] = [];
  const size = nodes.length;
  for (let a = 0; a < size; a++) {
    mark.fill(0, 0, size);
    const v = nodes[a];
    for (let e = dag.rowPtr[v]; e < dag.rowPtr[v + 1]; e++) {
      const w = dag.dst[e];
      for (let b = 0; b < size; b++) if (b !== a && nodes[b] === w) mark[b] = 1;
    }
    for (let b = 0; b < size; b++) if (mark[b]) out.push(a, b);
  }
  return out;
}

/** Every occurrence of `motifs` (unlabeled motifs, as mined with edgeLabels off) in `sessions`. */
export function findMotifOccurrences(
  sessions: readonly MotifSession[],
  motifs: readonly Pick<MotifResult, 'id' | 'key' | 'size'>[],
  opts: OccurrenceOptions = {},
): MotifOccurrence[] {
  if (motifs.length === 0) return [];
  const cap = opts.maxPerMotif ?? Infinity;
  if (!(cap >= 0)) throw new Error(`maxPerMotif must be ≥ 0, got ${cap}`);
  const forms = motifs.map((m) => formFromKey(m.key));
  const catalog = MotifCatalog.frozen(forms, false);
  const idByKey = new Map(motifs.map((m) => [m.key, m.id]));
  const ids = catalog.keys.map((k) => idByKey.get(k)!);
  const mask = sizeMask([...new Set(motifs.map((m) => m.size))]);
  const graph = new EnumGraph();
  const esu = new SubgraphEnumerator();
  const sink = new HitSink(catalog, cap);
  const mark = new Uint8Array(MAX_MOTIF_SIZE);
  const out: MotifOccurrence[] = [];
  for (const s of sessions) {
    sink.hits = [];
    graph.load(s.n, s.dag.src, s.dag.dst, s.dag.src.length);
    esu.run(graph, mask, sink, false, s.kind);
    for (const h of sink.hits)
      out.push(
        opts.edges
          ? {
              sessionId: s.id,
              motifId: ids[h.idx],
              nodes: h.nodes,
              edges: inducedEdges(h.nodes, s.dag, mark),
            }
          : { sessionId: s.id, motifId: ids[h.idx], nodes: h.nodes },
      );
  }
  return out;
}
