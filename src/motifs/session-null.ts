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

/** Stored occurrences split by whether they touch a movable node (rows keep their slot order). */
export function splitStored(
  occ: StoredOccurrences,
  movable: Uint8Array,
): { moving: StoredOccurrences; still: StoredOccurrences } {
  const moving: StoredOccurrences = { slots: [], nodes: [], total: 0 };
  const still: StoredOccurrences = { slots: [], nodes: [], total: 0 };
  for (let size = 0; size <= MAX_MOTIF_SIZE; size++) {
    const slots = occ.slots[size] ?? new Int32Array(0);
    const nodes = occ.nodes[size] ?? new Int32Array(0);
    const m = slots.length;
    const moves = new Uint8Array(m);
    let nMoving = 0;
    for (let o = 0; o < m; o++) {
      for (let p = 0; p < size; p++)
        if (movable[nodes[o * size + p]]) {
          moves[o] = 1;
          nMoving++;
          break;
        }
    }
    const mvSl = new Int32Array(nMoving);
    const mvNd = new Int32Array(nMoving * size);
    const stSl = new Int32Array(m - nMoving);
    const stNd = new Int32Array((m - nMoving) * size);
    let a = 0;
    let b = 0;
    for (let o = 0; o < m; o++) {
      if (moves[o]) {
        mvSl[a] = slots[o];
        mvNd.set(nodes.subarray(o * size, (o + 1) * size), a * size);
        a++;
      } else {
        stSl[b] = slots[o];
        stNd.set(nodes.subarray(o * size, (o + 1) * size), b * size);
        b++;
      }
    }
    moving.slots.push(mvSl);
    moving.nodes.push(mvNd);
    still.slots.push(stSl);
    still.nodes.push(stNd);
    moving.total += nMoving;
    still.total += m - nMoving;
  }
  return { moving, still };
}

/** Most outcomes kept per session: past this a session's later outcomes are counted, not cached (memory bound). */
export const OUTCOME_CACHE_ENTRIES = 64;

interface CachedOutcome {
  key: Uint8Array;
  counts: SparseCounts;
}

/**
 * Replicate counts of one session keyed by the kinds at its movable nodes (see the module comment). Holds one
 * session at a time: `begin(si)` for another session empties it, so memory stays at ≤ OUTCOME_CACHE_ENTRIES
 * outcomes of one session.
 */
export class OutcomeCache {
  private session = -1;
  private readonly byHash = new Map<number, CachedOutcome[]>();
  private entries = 0;

  /** Start (or continue) caching for session `si`. */
  begin(si: number): void {
    if (si === this.session) return;
    this.session = si;
    this.byHash.clear();
    this.entries = 0;
  }

  /** FNV-1a over the kinds at `positions`. */
  static hash(kind: Uint8Array, positions: Int32Array): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < positions.length; i++) h = Math.imul(h ^ kind[positions[i]], 0x01000193);
    return h >>> 0;
  }

  /** The cached counts for these kinds at `positions`, or null. */
  get(kind: Uint8Array, positions: Int32Array, hash: number): SparseCounts | null {
    const list = this.byHash.get(hash);
    if (!list) return null;
    outer: for (const e of list) {
      for (let i = 0; i < positions.length; i++) if (e.key[i] !== kind[positions[i]]) continue outer;
      return e.counts;
    }
    return null;
  }

  /** Keep `counts` (owned by the cache from now on) for these kinds, while there is room. */
  put(kind: Uint8Array, positions: Int32Array, hash: number, counts: SparseCounts): void {
    if (this.entries >= OUTCOME_CACHE_ENTRIES) return;
    counts.cached = true;
    const key = new Uint8Array(positions.length);
    for (let i = 0; i < positions.length; i++) key[i] = kind[positions[i]];
    const list = this.byHash.get(hash);
    if (list) list.push({ key, counts });
    else this.byHash.set(hash, [{ key, counts }]);
    this.entries++;
  }

  /** True while another outcome can be kept. */
  get hasRoom(): boolean {
    return this.entries < OUTCOME_CACHE_ENTRIES;
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
