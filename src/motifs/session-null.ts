/**
 * The per-session pieces of the relabel nulls (kind-shuffle, group-shuffle) that make a replicate cheap without
 * changing any count:
 *
 * - **Fixed occurrences.** A relabel null only changes the kinds of some nodes ("movable": under group-shuffle the
 *   nodes of strata whose groups carry different kind lists; under kind-shuffle every node unless the session has
 *   one kind). An occurrence none of whose nodes is movable has the same kinds code in every replicate, so it is
 *   counted once (`SessionNullParts.fixed`) and only the other occurrences are re-labelled per replicate. On the
 *   bundled sample 18% of the nodes are movable under group-shuffle.
 * - **Outcome cache.** A replicate's counts of the remaining occurrences are a function of the kinds at the
 *   movable nodes alone; when a session has few distinct group permutations (a stratum of two groups has two),
 *   most replicates repeat an earlier outcome. `OutcomeCache` keys the counts by those kinds (exact byte compare
 *   behind a hash), per session, so a repeat costs a lookup instead of a pass over the occurrences.
 *
 * Both are exact: the counts, and so every downstream number, are the ones a full re-count gives.
 */
import type { CountSink, StoredOccurrences } from './count.js';
import { MAX_MOTIF_SIZE } from './canonical.js';
import { groupsPermutable, type GroupStrata } from './nulls.js';

/** Counts of some motifs in one session, sparse: motif index[k] has count[k], k < n. */
export interface SparseCounts {
  index: Int32Array;
  count: Int32Array;
  n: number;
  /** Set when an OutcomeCache owns these counts: they are returned again, unchanged, for a repeat. */
  cached?: true;
}

/** A copy of the sink's non-zero counts (into `out` when it is large enough); does not clear the sink. */
export function sparseFromSink(sink: CountSink, out?: SparseCounts): SparseCounts {
  const n = sink.nTouched;
  const res: SparseCounts =
    out && out.index.length >= n ? out : { index: new Int32Array(n), count: new Int32Array(n), n };
  res.n = n;
  for (let k = 0; k < n; k++) {
    const m = sink.touched[k];
    res.index[k] = m;
    res.count[k] = sink.counts[m];
  }
  return res;
}

/** Nodes whose kind a group-shuffle replicate can change: every node of a stratum whose groups' kind lists differ. */
export function groupMovableNodes(n: number, kind: Uint8Array, g: GroupStrata): Uint8Array {
  const movable = new Uint8Array(n);
  const { members, memberStart, groupStart, groupLen } = g;
  for (let p = 0; p + 1 < memberStart.length; p++) {
    const a = memberStart[p];
    const b = memberStart[p + 1];
    const one: GroupStrata = { ...g, members: members.subarray(a, b), memberStart: Int32Array.of(0, b - a) };
    if (!groupsPermutable(kind, one)) continue;
    for (let q = a; q < b; q++)
      movable.fill(1, groupStart[members[q]], groupStart[members[q]] + groupLen[members[q]]);
  }
  return movable;
}

/** Nodes whose kind a kind-shuffle replicate can change: all of them, unless the session has a single kind. */
export function kindMovableNodes(n: number, kind: Uint8Array): Uint8Array {
  const movable = new Uint8Array(n);
  for (let i = 1; i < n; i++)
    if (kind[i] !== kind[0]) {
      movable.fill(1);
      break;
    }
  return movable;
}

/**
 * Stored occurrences split into `nParts` parts: row o of size `size` goes to part partOf[size][o]. Rows keep their
 * order within a part, so rows grouped by slot stay grouped.
 */
export function partitionStored(
  occ: StoredOccurrences,
  partOf: readonly Int32Array[],
  nParts: number,
): StoredOccurrences[] {
  const parts: StoredOccurrences[] = Array.from({ length: nParts }, () => ({
    slots: [],
    nodes: [],
    total: 0,
  }));
  for (let size = 0; size <= MAX_MOTIF_SIZE; size++) {
    const slots = occ.slots[size] ?? new Int32Array(0);
    const nodes = occ.nodes[size] ?? new Int32Array(0);
    const of = partOf[size];
    const len = new Int32Array(nParts);
    for (let o = 0; o < slots.length; o++) len[of[o]]++;
    const outSl = Array.from(len, (l) => new Int32Array(l));
    const outNd = Array.from(len, (l) => new Int32Array(l * size));
    const fill = new Int32Array(nParts);
    for (let o = 0; o < slots.length; o++) {
      const t = of[o];
      const at = fill[t]++;
      outSl[t][at] = slots[o];
      outNd[t].set(nodes.subarray(o * size, (o + 1) * size), at * size);
    }
    for (let t = 0; t < nParts; t++) {
      parts[t].slots.push(outSl[t]);
      parts[t].nodes.push(outNd[t]);
      parts[t].total += len[t];
    }
  }
  return parts;
}

/** Stored occurrences split by whether they touch a movable node (rows keep their slot order). */
export function splitStored(
  occ: StoredOccurrences,
  movable: Uint8Array,
): { moving: StoredOccurrences; still: StoredOccurrences } {
  // part 0: touches a movable node; part 1: none does
  const partOf: Int32Array[] = [];
  for (let size = 0; size <= MAX_MOTIF_SIZE; size++) {
    const nodes = occ.nodes[size] ?? new Int32Array(0);
    const m = (occ.slots[size] ?? new Int32Array(0)).length;
    const of = new Int32Array(m).fill(1);
    for (let o = 0; o < m; o++)
      for (let p = 0; p < size; p++)
        if (movable[nodes[o * size + p]]) {
          of[o] = 0;
          break;
        }
    partOf.push(of);
  }
  const [moving, still] = partitionStored(occ, partOf, 2);
  return { moving, still };
}

/** Most outcomes kept per session: past this a session's later outcomes are counted, not cached (memory bound). */
export const OUTCOME_CACHE_ENTRIES = 64;

/**
 * Sparse counts keyed by the kinds at some node positions: an FNV-1a hash in front of an exact byte compare.
 * The store of both outcome caches (a whole session's here; a strata block's in strata-blocks.ts).
 */
export class KindsKeyedCounts {
  private readonly byHash = new Map<number, { key: Uint8Array; counts: SparseCounts }[]>();
  /** Entries held. */
  size = 0;

  /** FNV-1a over the kinds at `positions`. */
  static hash(kind: Uint8Array, positions: Int32Array): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < positions.length; i++) h = Math.imul(h ^ kind[positions[i]], 0x01000193);
    return h >>> 0;
  }

  /** The counts kept for these kinds at `positions`, or null. */
  get(kind: Uint8Array, positions: Int32Array, hash: number): SparseCounts | null {
    const list = this.byHash.get(hash);
    if (!list) return null;
    outer: for (const e of list) {
      for (let i = 0; i < positions.length; i++) if (e.key[i] !== kind[positions[i]]) continue outer;
      return e.counts;
    }
    return null;
  }

  /** Keep `counts` for these kinds at `positions`. */
  put(kind: Uint8Array, positions: Int32Array, hash: number, counts: SparseCounts): void {
    const key = new Uint8Array(positions.length);
    for (let i = 0; i < positions.length; i++) key[i] = kind[positions[i]];
    const list = this.byHash.get(hash);
    if (list) list.push({ key, counts });
    else this.byHash.set(hash, [{ key, counts }]);
    this.size++;
  }

  clear(): void {
    this.byHash.clear();
    this.size = 0;
  }
}

/**
 * Replicate counts of one session keyed by the kinds at its movable nodes (see the module comment). Holds one
 * session at a time: `begin(si)` for another session empties it, so memory stays at ≤ OUTCOME_CACHE_ENTRIES
 * outcomes of one session.
 */
export class OutcomeCache {
  private session = -1;
  private readonly store = new KindsKeyedCounts();

  /** Start (or continue) caching for session `si`. */
  begin(si: number): void {
    if (si === this.session) return;
    this.session = si;
    this.store.clear();
  }

  /** FNV-1a over the kinds at `positions`. */
  static hash(kind: Uint8Array, positions: Int32Array): number {
    return KindsKeyedCounts.hash(kind, positions);
  }

  /** The cached counts for these kinds at `positions`, or null. */
  get(kind: Uint8Array, positions: Int32Array, hash: number): SparseCounts | null {
    return this.store.get(kind, positions, hash);
  }

  /** Keep `counts` (owned by the cache from now on) for these kinds, while there is room. */
  put(kind: Uint8Array, positions: Int32Array, hash: number, counts: SparseCounts): void {
    if (!this.hasRoom) return;
    counts.cached = true;
    this.store.put(kind, positions, hash, counts);
  }

  /** True while another outcome can be kept. */
  get hasRoom(): boolean {
    return this.store.size < OUTCOME_CACHE_ENTRIES;
  }
}

/** Positions (ascending) of the movable nodes. */
export function movablePositions(movable: Uint8Array): Int32Array {
  let n = 0;
  for (let i = 0; i < movable.length; i++) n += movable[i];
  const out = new Int32Array(n);
  for (let i = 0, k = 0; i < movable.length; i++) if (movable[i]) out[k++] = i;
  return out;
}
