/**
 * Exact null expectation of the kind-shuffle model. Under a uniform permutation of a session's kinds over its
 * nodes, any fixed node set of size s receives the ordered kind vector k with probability
 * Π_c (m_c)_(a_c) / (n)_s (falling factorials; m_c = kind counts of the session, a_c = uses of kind c in k).
 * The expected count of a labeled motif is therefore a sum over the session's occurrences of each topology
 * (counted once, with kinds ignored) times the probability of the kind vectors that make that motif.
 * Using it in place of the Monte-Carlo mean makes lift independent of the null seed; p-values stay empirical.
 */
import type { MotifCatalog } from './catalog.js';
import { MAX_MOTIF_SIZE } from './canonical.js';
import { SubgraphEnumerator, sizeMask, type OccurrenceSink } from './esu.js';
import { EnumGraph } from './graph.js';
import type { MotifSession } from './types.js';

const N_KINDS = 7;

/** Counts occurrences per topology slot of a frozen catalog. */
class SlotCountSink implements OccurrenceSink {
  counts = new Float64Array(64);
  constructor(private readonly catalog: MotifCatalog) {}
  emit(size: number, _nodes: Int32Array, pairCode: number): void {
    const slot = this.catalog.slotOf(size, pairCode);
    if (slot < 0) return;
    if (slot >= this.counts.length) {
      const c = new Float64Array(Math.max(slot + 1, this.counts.length * 2));
      c.set(this.counts);
      this.counts = c;
    }
    this.counts[slot]++;
  }
}

/**
 * nSessions × catalog.size expected counts under kind-shuffle, for the motifs of a frozen catalog.
 * `edgeLabels` must match how the catalog was built.
 */
export function exactKindShuffleMeans(
  sessions: readonly MotifSession[],
  catalog: MotifCatalog,
  sizes: readonly number[],
  edgeLabels = false,
): Float64Array {
  const nT = catalog.size;
  const out = new Float64Array(sessions.length * nT);
  const mask = sizeMask(sizes);
  const graph = new EnumGraph();
  const esu = new SubgraphEnumerator();
  const rem = new Int32Array(N_KINDS);
  const pow7 = Int32Array.from({ length: MAX_MOTIF_SIZE + 1 }, (_, i) => N_KINDS ** i);
  sessions.forEach((s, si) => {
    const sink = new SlotCountSink(catalog);
    graph.load(s.n, s.dag.src, s.dag.dst, s.dag.src.length, edgeLabels ? s.edgeLabels : undefined);
    esu.run(graph, mask, sink, edgeLabels);
    rem.fill(0);
    for (let i = 0; i < s.n; i++) rem[s.kind[i]]++;
    const row = si * nT;
    for (let slot = 0; slot < sink.counts.length; slot++) {
      const count = sink.counts[slot];
      if (count === 0) continue;
      const size = catalog.slotSize[slot];
      const memo = catalog.memo;
      // Depth-first over kind vectors: position p takes kind c with probability rem[c] / (n − p).
      const walk = (p: number, prob: number, kc: number): void => {
        if (p === size) {
          let idx = memo[slot]?.[kc] ?? -2;
          if (idx === -2) idx = catalog.resolve(slot, kc);
          if (idx >= 0) out[row + idx] += count * prob;
          return;
        }
        const left = s.n - p;
        for (let c = 0; c < N_KINDS; c++) {
          if (rem[c] === 0) continue;
          const pc = prob * (rem[c] / left);
          rem[c]--;
          walk(p + 1, pc, kc + c * pow7[p]);
          rem[c]++;
        }
      };
      walk(0, 1, 0);
    }
  });
  return out;
}
