/**
 * Occurrence sinks: count occurrences per catalogued motif, or store the node sets of the occurrences whose
 * topology a frozen catalog cares about (the kind-shuffle null re-labels those without re-enumerating).
 */
import type { MotifCatalog } from './catalog.js';
import type { OccurrenceSink } from './esu.js';
import { MAX_MOTIF_SIZE } from './canonical.js';

/**
 * Counts occurrences per motif index for one session at a time. `touched` lists the motifs with a non-zero
 * count, so a session costs O(its motifs) to read out and reset, not O(catalog size).
 */
export class CountSink implements OccurrenceSink {
  readonly catalog: MotifCatalog;
  counts: Int32Array;
  touched: Int32Array;
  nTouched = 0;
  /** When set, every emitted occurrence (catalogued or not) is tallied here by size. */
  countBySize: number[] | null = null;

  constructor(catalog: MotifCatalog) {
    this.catalog = catalog;
    const cap = Math.max(16, catalog.size);
    this.counts = new Int32Array(cap);
    this.touched = new Int32Array(cap);
  }

  /** Count an occurrence; the enumerator must have been given this sink's kinds (kindsCode). */
  emit(size: number, _nodes: Int32Array, pairCode: number, kc: number): void {
    if (this.countBySize) this.countBySize[size]++;
    const cat = this.catalog;
    const slot = cat.slotOf(size, pairCode);
    if (slot < 0) return;
    let idx = cat.memo[slot][kc];
    if (idx === -2) idx = cat.resolve(slot, kc);
    if (idx >= 0) this.add(idx);
  }

  /** Count one occurrence of motif `idx`. */
  add(idx: number): void {
    if (idx >= this.counts.length) this.grow(idx + 1);
    if (this.counts[idx]++ === 0) this.touched[this.nTouched++] = idx;
  }

  /** Zero the counts of the touched motifs. */
  clear(): void {
    for (let i = 0; i < this.nTouched; i++) this.counts[this.touched[i]] = 0;
    this.nTouched = 0;
  }

  private grow(min: number): void {
    const cap = Math.max(min, this.counts.length * 2);
    const c = new Int32Array(cap);
    c.set(this.counts);
    const t = new Int32Array(cap);
    t.set(this.touched);
    this.counts = c;
    this.touched = t;
  }
}

/** Growable Int32 buffer. */
class IntBuffer {
  data = new Int32Array(64);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = v;
  }
  trimmed(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** Stored occurrences of one session, grouped by size: slot per occurrence and its nodes (size per row). */
export interface StoredOccurrences {
  /** slots[s] / nodes[s] for s = 0..5 (only 3..5 used). */
  slots: Int32Array[];
  nodes: Int32Array[];
  /** Total stored occurrences. */
  total: number;
}

/** Records occurrences whose topology slot is relevant to a frozen catalog (slot ≥ 0). */
export class StoreSink implements OccurrenceSink {
  private readonly catalog: MotifCatalog;
  private slots: IntBuffer[] = [];
  private nodes: IntBuffer[] = [];
  stored = 0;
  /** Stop storing beyond this many occurrences (memory guard); `overflow` tells the caller. */
  readonly limit: number;
  overflow = false;

  constructor(catalog: MotifCatalog, limit: number) {
    this.catalog = catalog;
    this.limit = limit;
    this.reset();
  }

  reset(): void {
    this.slots = Array.from({ length: MAX_MOTIF_SIZE + 1 }, () => new IntBuffer());
    this.nodes = Array.from({ length: MAX_MOTIF_SIZE + 1 }, () => new IntBuffer());
    this.stored = 0;
    this.overflow = false;
  }

  emit(size: number, nodes: Int32Array, pairCode: number): void {
    const slot = this.catalog.slotOf(size, pairCode);
    if (slot < 0) return;
    if (this.stored >= this.limit) {
      this.overflow = true;
      return;
    }
    this.stored++;
    this.slots[size].push(slot);
    const buf = this.nodes[size];
    for (let p = 0; p < size; p++) buf.push(nodes[p]);
  }

  /**
   * The stored occurrences, each size's rows reordered by slot (counting sort): consecutive lookups then hit
   * the same per-slot memo table, which keeps the kind-shuffle hot loop in cache.
   */
  take(): StoredOccurrences {
    const slots: Int32Array[] = [];
    const nodes: Int32Array[] = [];
    for (let size = 0; size <= MAX_MOTIF_SIZE; size++) {
      const sl = this.slots[size].trimmed();
      const nd = this.nodes[size].trimmed();
      let maxSlot = -1;
      for (let i = 0; i < sl.length; i++) if (sl[i] > maxSlot) maxSlot = sl[i];
      const start = new Int32Array(maxSlot + 2);
      for (let i = 0; i < sl.length; i++) start[sl[i] + 1]++;
      for (let k = 0; k <= maxSlot; k++) start[k + 1] += start[k];
      const outSl = new Int32Array(sl.length);
      const outNd = new Int32Array(nd.length);
      for (let i = 0; i < sl.length; i++) {
        const at = start[sl[i]]++;
        outSl[at] = sl[i];
        for (let p = 0; p < size; p++) outNd[at * size + p] = nd[i * size + p];
      }
      slots.push(outSl);
      nodes.push(outNd);
    }
    const out = { slots, nodes, total: this.stored };
    this.reset();
    return out;
  }
}

/**
 * Count stored occurrences under the kinds `kind` (e.g. a shuffled copy) into `sink`. The kinds code is
 * unrolled per size: this loop is the kind-shuffle null's whole cost.
 */
export function countStored(occ: StoredOccurrences, kind: Uint8Array, sink: CountSink): void {
  const cat = sink.catalog;
  const memo = cat.memo;
  // Kinds codes are base 7 (MEMO_KINDS in catalog.ts). A frozen catalog never grows, so the count buffers are large enough: add() is inlined here.
  if (sink.counts.length < cat.size) throw new Error('countStored: sink smaller than its catalog');
  const counts = sink.counts;
  const touched = sink.touched;
  let nTouched = sink.nTouched;
  for (let size = 3; size <= MAX_MOTIF_SIZE; size++) {
    const slots = occ.slots[size];
    const nodes = occ.nodes[size];
    const m = slots.length;
    let o = 0;
    while (o < m) {
      // Rows are grouped by slot: handle one slot's run with its memo table hoisted.
      const slot = slots[o];
      const table = memo[slot];
      let end = o + 1;
      while (end < m && slots[end] === slot) end++;
      for (let base = o * size; o < end; o++, base += size) {
        let kc: number;
        if (size === 5)
          kc =
            kind[nodes[base]] +
            7 *
              (kind[nodes[base + 1]] +
                7 * (kind[nodes[base + 2]] + 7 * (kind[nodes[base + 3]] + 7 * kind[nodes[base + 4]])));
        else if (size === 4)
          kc =
            kind[nodes[base]] +
            7 * (kind[nodes[base + 1]] + 7 * (kind[nodes[base + 2]] + 7 * kind[nodes[base + 3]]));
        else kc = kind[nodes[base]] + 7 * (kind[nodes[base + 1]] + 7 * kind[nodes[base + 2]]);
        let idx = table[kc];
        if (idx === -2) idx = cat.resolve(slot, kc);
        if (idx >= 0 && counts[idx]++ === 0) touched[nTouched++] = idx;
      }
    }
  }
  sink.nTouched = nTouched;
}
