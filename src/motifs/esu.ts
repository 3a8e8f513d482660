/**
 * ESU subgraph enumeration (Wernicke 2006, "Efficient detection of network motifs"): every weakly connected
 * node set of size ≤ maxSize is visited exactly once, as a node of the ESU tree rooted at its smallest node.
 * Sizes 3, 4 and 5 come from one walk (the tree for 5 contains the trees for 3 and 4 as prefixes).
 *
 * Extension rule: a child adds w from the extension set and extends it with w's *exclusive* neighbours —
 * nodes larger than the root that are neither in the subgraph nor adjacent to it. Adjacency to the subgraph
 * is a bit mask per node (adj[u] bit p ⇔ u is a neighbour of the subgraph node at position p), set from each
 * subgraph node's neighbour list on the way down and cleared on the way up. So "exclusive" is adj[u] = 0
 * (u > root; every other subgraph node is adjacent to an earlier one), and the edges from a new node w to
 * the subgraph are adj[w] itself: no edge lookups at all.
 */
import type { EnumGraph } from './graph.js';
import { MAX_MOTIF_SIZE, MIN_MOTIF_SIZE, PAIR_BASE, pairIndex } from './canonical.js';

/** PAIR_BIT[s][a * 8 + b] = 1 << pairIndex(a, b, s) for a < b. */
const PAIR_BIT: Int32Array[] = Array.from({ length: MAX_MOTIF_SIZE + 1 }, (_, s) => {
  const t = new Int32Array(64);
  for (let a = 0; a < s; a++) for (let b = a + 1; b < s; b++) t[a * 8 + b] = 1 << pairIndex(a, b, s);
  return t;
});
/** Powers of 7 (kinds codes are base 7, see catalog.ts). */
const POW7 = Int32Array.from({ length: MAX_MOTIF_SIZE + 1 }, (_, i) => 7 ** i);

/** Receives each enumerated subgraph. */
export interface OccurrenceSink {
  /**
   * One connected induced subgraph: `nodes[0..size)` ascending (valid only during the call), its raw pair
   * code (canonical.ts rawPairCode: edge bits, or base-5 digits 1 + label when labeled) and its kinds code
   * Σ kind[nodes[p]]·7^p (0 when the enumerator was given no kinds).
   */
  emit(size: number, nodes: Int32Array, pairCode: number, kindsCode: number): void;
}

/** Bit mask of sizes (bit s set ⇔ size s wanted) from a list; validates 3 ≤ s ≤ 5. */
export function sizeMask(sizes: readonly number[]): number {
  if (sizes.length === 0) throw new Error('sizes must list at least one motif size (3, 4 or 5)');
  let mask = 0;
  for (const s of sizes) {
    if (!Number.isInteger(s) || s < MIN_MOTIF_SIZE || s > MAX_MOTIF_SIZE)
      throw new Error(
        `sizes: motif size must be an integer in ${MIN_MOTIF_SIZE}..${MAX_MOTIF_SIZE}, got ${s}`,
      );
    mask |= 1 << s;
  }
  return mask;
}

/** Reusable ESU walker; buffers grow to the largest graph seen. */
export class SubgraphEnumerator {
  private adj = new Int32Array(0);
  private ext = new Int32Array(0);
  private readonly sub = new Int32Array(MAX_MOTIF_SIZE);
  /** adjBits[p]: bit q set ⇔ subgraph positions p and q are adjacent (q < p). */
  private readonly adjBits = new Int32Array(MAX_MOTIF_SIZE);
  private readonly sorted = new Int32Array(MAX_MOTIF_SIZE);
  private readonly sortedPos = new Int32Array(MAX_MOTIF_SIZE);
  // Last-level fast path: the sorted prefix, each prefix position's rank, and per insertion rank r of the
  // last node, the prefix's pair code and kinds code with the ranks ≥ r shifted up by one.
  private readonly preSorted = new Int32Array(MAX_MOTIF_SIZE);
  private readonly preRank = new Int32Array(MAX_MOTIF_SIZE);
  private readonly preCode = new Int32Array(MAX_MOTIF_SIZE + 1);
  private readonly preKc = new Int32Array(MAX_MOTIF_SIZE + 1);
  private kind: Uint8Array = new Uint8Array(0);
  private zeroKinds = new Uint8Array(0);
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
  run(g: EnumGraph, mask: number, sink: OccurrenceSink, labeled = false, kind?: Uint8Array): void {
    let maxSize = 0;
    for (let s = MIN_MOTIF_SIZE; s <= MAX_MOTIF_SIZE; s++) if (mask & (1 << s)) maxSize = s;
    if (maxSize === 0) throw new Error(`SubgraphEnumerator.run: size mask ${mask} selects no size in 3..5`);
    if (this.adj.length < g.n) this.adj = new Int32Array(g.n);
    const extCap = (maxSize * (maxSize - 1) * Math.max(1, g.maxDegree)) / 2 + maxSize + 1;
    if (this.ext.length < extCap) this.ext = new Int32Array(extCap);
    this.g = g;
    this.sink = sink;
    this.mask = mask;
    this.maxSize = maxSize;
    this.labeled = labeled;
    if (kind) {
      if (kind.length < g.n)
        throw new Error(`SubgraphEnumerator.run: kind has ${kind.length} entries for ${g.n} nodes`);
      this.kind = kind;
    } else {
      if (this.zeroKinds.length < g.n) this.zeroKinds = new Uint8Array(g.n);
      this.kind = this.zeroKinds;
    }
    this.emitted = 0;
    const { adj, ext } = this;
    const { nbrPtr, nbr } = g;
    for (let root = 0; root < g.n; root++) {
      const e0 = nbrPtr[root];
      const e1 = nbrPtr[root + 1];
      let top = 0;
      // Neighbours are ascending: those above the root form the initial extension set.
      for (let e = e0; e < e1; e++) if (nbr[e] > root) ext[top++] = nbr[e];
      if (top === 0) continue;
      for (let e = e0; e < e1; e++) adj[nbr[e]] |= 1;
      this.sub[0] = root;
      this.adjBits[0] = 0;
      this.extend(1, 0, top, top, root);
      for (let e = e0; e < e1; e++) adj[nbr[e]] &= ~1;
    }
    this.g = null;
    this.sink = null;
  }

  private extend(depth: number, extStart: number, extEnd: number, top: number, root: number): void {
    if (this.mask & (1 << depth)) this.emitCurrent(depth);
    if (depth === this.maxSize) return;
    const g = this.g as EnumGraph;
    const { ext, adj, sub, adjBits } = this;
    const nbrPtr = g.nbrPtr;
    const nbr = g.nbr;
    const last = depth + 1 === this.maxSize;
    if (last && !this.labeled) {
      this.emitLastLevel(depth, extStart, extEnd);
      return;
    }
    const bit = 1 << depth;
    for (let i = extStart; i < extEnd; i++) {
      const w = ext[i];
      sub[depth] = w;
      adjBits[depth] = adj[w];
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
        if (u > root && adj[u] === 0) ext[newEnd++] = u;
      }
      for (let e = e0; e < e1; e++) adj[nbr[e]] |= bit;
      this.extend(depth + 1, top, newEnd, newEnd, root);
      for (let e = e0; e < e1; e++) adj[nbr[e]] &= ~bit;
    }
  }

  /**
   * The last ESU level (unlabeled): every w in ext[extStart, extEnd) completes a subgraph of size depth + 1.
   * The prefix is fixed, so its sorted order and, for each rank w can take, its pair and kinds codes are
   * computed once; each w then costs a few bit operations on adj[w].
   */
  private emitLastLevel(d: number, extStart: number, extEnd: number): void {
    const sink = this.sink as OccurrenceSink;
    const { ext, adj, sub, adjBits, sorted, preSorted, preRank, preCode, preKc, kind } = this;
    const size = d + 1;
    const bitOf = PAIR_BIT[size];
    // Sort the prefix (insertion sort of ≤ 4 nodes), recording each discovery position's rank.
    for (let p = 0; p < d; p++) {
      const v = sub[p];
      let j = p - 1;
      while (j >= 0 && preSorted[j] > v) {
        preSorted[j + 1] = preSorted[j];
        j--;
      }
      preSorted[j + 1] = v;
    }
    for (let p = 0; p < d; p++) {
      let r = 0;
      while (preSorted[r] !== sub[p]) r++;
      preRank[p] = r;
    }
    for (let r = 0; r <= d; r++) {
      let code = 0;
      for (let q = 1; q < d; q++) {
        let b = adjBits[q];
        while (b !== 0) {
          const p = 31 - Math.clz32(b & -b);
          b &= b - 1;
          let x = preRank[p];
          let y = preRank[q];
          if (x >= r) x++;
          if (y >= r) y++;
          code |= x < y ? bitOf[x * 8 + y] : bitOf[y * 8 + x];
        }
      }
      preCode[r] = code;
      let kc = 0;
      for (let j = 0; j < d; j++) kc += kind[preSorted[j]] * POW7[j < r ? j : j + 1];
      preKc[r] = kc;
    }
    for (let i = extStart; i < extEnd; i++) {
      const w = ext[i];
      let r = 0;
      while (r < d && preSorted[r] < w) r++;
      let code = preCode[r];
      // adj[w] holds exactly the prefix positions w is adjacent to (positions ≥ d are never set here).
      let b = adj[w];
      while (b !== 0) {
        const p = 31 - Math.clz32(b & -b);
        b &= b - 1;
        let x = preRank[p];
        if (x >= r) x++;
        code |= x < r ? bitOf[x * 8 + r] : bitOf[r * 8 + x];
      }
      for (let j = 0; j < r; j++) sorted[j] = preSorted[j];
      sorted[r] = w;
      for (let j = r; j < d; j++) sorted[j + 1] = preSorted[j];
      this.emitted++;
      sink.emit(size, sorted, code, preKc[r] + kind[w] * POW7[r]);
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
    let kc = 0;
    for (let p = size - 1; p >= 0; p--) kc = kc * 7 + this.kind[sorted[p]];
    this.emitted++;
    (this.sink as OccurrenceSink).emit(size, sorted, code, kc);
  }
}
