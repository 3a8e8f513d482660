/**
 * ESU subgraph enumeration (Wernicke 2006, "Efficient detection of network motifs"): every weakly connected
 * node set of size ≤ maxSize is visited exactly once, as a node of the ESU tree rooted at its smallest node.
 * Sizes 3, 4 and 5 come from one walk (the tree for 5 contains the trees for 3 and 4 as prefixes).
 *
 * Extension rule: a child adds w from the extension set and extends it with w's *exclusive* neighbours —
 * nodes larger than the root that are neither in the subgraph nor adjacent to it. "Adjacent to the subgraph"
 * is a counter per node (mark), incremented for each subgraph node's closed neighbourhood on the way down and
 * decremented on the way up, so the test is O(1) and no set is ever built.
 */
import type { EnumGraph } from './graph.js';
import { MAX_MOTIF_SIZE, MIN_MOTIF_SIZE, PAIR_BASE } from './canonical.js';

/** Receives each enumerated subgraph. */
export interface OccurrenceSink {
  /**
   * One connected induced subgraph: `nodes[0..size)` ascending (valid only during the call) and its raw pair
   * code (canonical.ts rawPairCode: edge bits, or base-5 digits 1 + label when labeled).
   */
  emit(size: number, nodes: Int32Array, pairCode: number): void;
}

/** Bit mask of sizes (bit s set ⇔ size s wanted) from a list; validates 3 ≤ s ≤ 5. */
export function sizeMask(sizes: readonly number[]): number {
  if (sizes.length === 0) throw new Error('sizes must list at least one motif size (3, 4 or 5)');
  let mask = 0;
  for (const s of sizes) {
    if (!Number.isInteger(s) || s < MIN_MOTIF_SIZE || s > MAX_MOTIF_SIZE)
      throw new Error(`sizes: motif size must be an integer in ${MIN_MOTIF_SIZE}..${MAX_MOTIF_SIZE}, got ${s}`);
    mask |= 1 << s;
  }
  return mask;
}

/** Reusable ESU walker; buffers grow to the largest graph seen. */
export class SubgraphEnumerator {
  private mark = new Int32Array(0);
  private ext = new Int32Array(0);
  private readonly sub = new Int32Array(MAX_MOTIF_SIZE);
  /** adjBits[p]: bit q set ⇔ subgraph positions p and q are adjacent (q < p). */
  private readonly adjBits = new Int32Array(MAX_MOTIF_SIZE);
  private readonly sorted = new Int32Array(MAX_MOTIF_SIZE);
  private readonly sortedPos = new Int32Array(MAX_MOTIF_SIZE);
  private g: EnumGraph | null = null;
  private sink: OccurrenceSink | null = null;
  private mask = 0;
  private maxSize = 0;
  private labeled = false;
  /** Subgraphs emitted by the last run (all sizes). */
  emitted = 0;

  /**
   * Enumerate all connected induced subgraphs of `g` whose size bit is set in `mask` (see sizeMask) and pass
   * them to `sink`. `labeled` makes pair codes carry edge labels (g.succLabel).
   */
  run(g: EnumGraph, mask: number, sink: OccurrenceSink, labeled = false): void {
    let maxSize = 0;
    for (let s = MIN_MOTIF_SIZE; s <= MAX_MOTIF_SIZE; s++) if (mask & (1 << s)) maxSize = s;
    if (maxSize === 0) throw new Error(`SubgraphEnumerator.run: size mask ${mask} selects no size in 3..5`);
    if (this.mark.length < g.n) this.mark = new Int32Array(g.n);
    const extCap = (maxSize * (maxSize - 1) * Math.max(1, g.maxDegree)) / 2 + maxSize + 1;
    if (this.ext.length < extCap) this.ext = new Int32Array(extCap);
    this.g = g;
    this.sink = sink;
    this.mask = mask;
    this.maxSize = maxSize;
    this.labeled = labeled;
    this.emitted = 0;
    const { mark, ext } = this;
    const { nbrPtr, nbr } = g;
    for (let root = 0; root < g.n; root++) {
      const e0 = nbrPtr[root];
      const e1 = nbrPtr[root + 1];
      let top = 0;
      // Neighbours are ascending: those above the root form the initial extension set.
      for (let e = e0; e < e1; e++) if (nbr[e] > root) ext[top++] = nbr[e];
      if (top === 0) continue;
      mark[root]++;
      for (let e = e0; e < e1; e++) mark[nbr[e]]++;
      this.sub[0] = root;
      this.adjBits[0] = 0;
      this.extend(1, 0, top, top, root);
      mark[root]--;
      for (let e = e0; e < e1; e++) mark[nbr[e]]--;
    }
    this.g = null;
    this.sink = null;
  }

  private extend(depth: number, extStart: number, extEnd: number, top: number, root: number): void {
    if (this.mask & (1 << depth)) this.emitCurrent(depth);
    if (depth === this.maxSize) return;
    const g = this.g as EnumGraph;
    const { ext, mark, sub, adjBits } = this;
    const nbrPtr = g.nbrPtr;
    const nbr = g.nbr;
    const last = depth + 1 === this.maxSize;
    for (let i = extStart; i < extEnd; i++) {
      const w = ext[i];
      let bits = 0;
      for (let p = 0; p < depth; p++) {
        const u = sub[p];
        if (u < w ? g.hasEdge(u, w) : g.hasEdge(w, u)) bits |= 1 << p;
      }
      sub[depth] = w;
      adjBits[depth] = bits;
      if (last) {
        this.emitCurrent(depth + 1);
        continue;
      }
      let newEnd = top;
      for (let j = i + 1; j < extEnd; j++) ext[newEnd++] = ext[j];
      const e0 = nbrPtr[w];
      const e1 = nbrPtr[w + 1];
      for (let e = e0; e < e1; e++) {
        const u = nbr[e];
        if (u > root && mark[u] === 0) ext[newEnd++] = u;
      }
      for (let e = e0; e < e1; e++) mark[nbr[e]]++;
      this.extend(depth + 1, top, newEnd, newEnd, root);
      for (let e = e0; e < e1; e++) mark[nbr[e]]--;
    }
  }

  private emitCurrent(size: number): void {
    const { sub, adjBits, sorted, sortedPos } = this;
    // Insertion sort of ≤ 5 nodes, remembering each one's discovery position.
    for (let p = 0; p < size; p++) {
      const v = sub[p];
      let j = p - 1;
      while (j >= 0 && sorted[j] > v) {
        sorted[j + 1] = sorted[j];
        sortedPos[j + 1] = sortedPos[j];
        j--;
      }
      sorted[j + 1] = v;
      sortedPos[j + 1] = p;
    }
    let code = 0;
    if (!this.labeled) {
      let k = 0;
      for (let a = 0; a < size; a++) {
        const pa = sortedPos[a];
        for (let b = a + 1; b < size; b++, k++) {
          const pb = sortedPos[b];
          if (pa > pb ? (adjBits[pa] >> pb) & 1 : (adjBits[pb] >> pa) & 1) code |= 1 << k;
        }
      }
    } else {
      const g = this.g as EnumGraph;
      // Base-5 digits, pair 0 least significant (matches rawPairCode).
      let mult = 1;
      for (let a = 0; a < size; a++) {
        const pa = sortedPos[a];
        for (let b = a + 1; b < size; b++) {
          const pb = sortedPos[b];
          if (pa > pb ? (adjBits[pa] >> pb) & 1 : (adjBits[pb] >> pa) & 1) {
            const e = g.edgeIndex(sorted[a], sorted[b]);
            code += mult * (1 + g.succLabel[e]);
          }
          mult *= PAIR_BASE;
        }
      }
    }
    this.emitted++;
    (this.sink as OccurrenceSink).emit(size, sorted, code);
  }
}
