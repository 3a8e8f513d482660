/**
 * Group-shuffle replicates counted block by block: a session's moving occurrences partitioned by the set of
 * strata they touch, so that a block whose strata have few distinct arrangements is counted once per
 * arrangement instead of once per replicate.
 *
 * Why it is exact: a group-shuffle replicate permutes co-timed groups only within their stratum. An occurrence's
 * kinds code depends on the kinds at its nodes; its never-moving nodes keep their kinds, and its moving nodes
 * take theirs from the permutation of the strata they belong to. So the counts of a block of occurrences that
 * touch the strata S are a function of the kinds at the movable nodes of S alone (the block's key), and the
 * session's counts are the sum of its blocks' counts. A stratum of G groups whose kind lists occur m₁, m₂, …
 * times has G! / ∏ mᵢ! distinct arrangements; a block over S has at most the product over S.
 *
 * Why it pays: on the bundled sample 72% of the moving occurrences touch one stratum, and nearly all of those
 * strata have ≤ 8 arrangements: such a block is counted ≤ 8 times over all the replicates instead of once each. The session-level OutcomeCache (session-null.ts) still answers a whole repeated session first.
 *
 * Which blocks are cached is a speed choice only (every choice gives the same counts): a block is cached when it
 * has at most BLOCK_MAX_ARRANGEMENTS arrangements and enough rows to pay for hashing its key.
 */
import type { CountSink, StoredOccurrences } from './count.js';
import { countStored } from './count.js';
import { MAX_MOTIF_SIZE } from './canonical.js';
import type { GroupStrata } from './nulls.js';
import { KindsKeyedCounts, partitionStored, sparseFromSink, type SparseCounts } from './session-null.js';

/**
 * Most arrangements of a cached block. The cache lives for all of a counter's replicates (hundreds to
 * thousands), so a block of up to this many arrangements is counted far fewer times than there are replicates.
 */
export const BLOCK_MAX_ARRANGEMENTS = 256;

/** Fewest occurrence rows a cached block holds: below this, hashing its key costs more than counting. */
export const BLOCK_MIN_ROWS = 8;

/** Strata ids are packed 10 bits each into a block's signature (≤ 5 strata per occurrence: 50 bits, exact). */
const MAX_PACKED_STRATA = 1022;

/** Occurrences whose counts depend only on the kinds at `positions` (ascending movable node positions). */
export interface OccurrenceBlock {
  occ: StoredOccurrences;
  positions: Int32Array;
}

/** A session's moving occurrences: the cached blocks, and the rest counted in every replicate. */
export interface StrataBlocks {
  cached: OccurrenceBlock[];
  direct: StoredOccurrences;
}

/** All occurrences counted in every replicate (kind-shuffle, or a session with no cacheable block). */
export function directBlocks(moving: StoredOccurrences): StrataBlocks {
  return { cached: [], direct: moving };
}

/**
 * Distinct arrangements of each permutable stratum's kind lists (G! / ∏ mᵢ!), capped at `cap + 1` (any value
 * above `cap` only means "too many"); 1 for a stratum whose groups all carry one kind list (it never moves).
 */
export function strataArrangements(kind: Uint8Array, g: GroupStrata, cap: number): Float64Array {
  const { members, memberStart, groupStart, groupLen } = g;
  const P = memberStart.length - 1;
  const out = new Float64Array(P);
  for (let p = 0; p < P; p++) {
    const a = memberStart[p];
    const b = memberStart[p + 1];
    // Multiplicity of each distinct kind list among the stratum's groups (groups of a stratum share a length).
    const mult = new Map<string, number>();
    for (let q = a; q < b; q++) {
      const s = groupStart[members[q]];
      const key = kind.subarray(s, s + groupLen[members[q]]).join(',');
      mult.set(key, (mult.get(key) ?? 0) + 1);
    }
    // G! / ∏ mᵢ! as a product of binomials, stopping once past the cap.
    let arr = 1;
    let placed = 0;
    for (const m of mult.values()) {
      for (let j = 1; j <= m && arr <= cap; j++) arr = (arr * (placed + j)) / j;
      placed += m;
      if (arr > cap) break;
    }
    out[p] = arr > cap ? cap + 1 : Math.round(arr);
  }
  return out;
}

/**
 * Partition a session's moving occurrences (each size's rows grouped by slot, as StoreSink.take gives them) by the
 * set of strata they touch. `movable` marks the nodes a replicate can change (groupMovableNodes). Rows keep their
 * order within a block, so each block's rows stay grouped by slot.
 */
export function strataBlocks(
  moving: StoredOccurrences,
  kind: Uint8Array,
  g: GroupStrata,
  movable: Uint8Array,
): StrataBlocks {
  const P = g.memberStart.length - 1;
  if (P === 0 || P > MAX_PACKED_STRATA) return directBlocks(moving);
  const arrangements = strataArrangements(kind, g, BLOCK_MAX_ARRANGEMENTS);
  const { members, memberStart, groupStart, groupLen } = g;
  const nodeStratum = new Int32Array(movable.length).fill(-1);
  for (let p = 0; p < P; p++)
    for (let q = memberStart[p]; q < memberStart[p + 1]; q++) {
      const s = groupStart[members[q]];
      for (let v = s; v < s + groupLen[members[q]]; v++) if (movable[v]) nodeStratum[v] = p;
    }

  // Block of every row, by its strata signature (sorted distinct strata, packed); −1: direct.
  const blockOf: Int32Array[] = [];
  const idOf = new Map<number, number>();
  const blockStrata: number[][] = [];
  const blockRows: number[] = [];
  const touched = new Int32Array(MAX_MOTIF_SIZE);
  for (let size = 0; size <= MAX_MOTIF_SIZE; size++) {
    const nodes = moving.nodes[size] ?? new Int32Array(0);
    const m = (moving.slots[size] ?? new Int32Array(0)).length;
    const of = new Int32Array(m);
    rows: for (let o = 0; o < m; o++) {
      let nt = 0;
      for (let p = 0; p < size; p++) {
        const st = nodeStratum[nodes[o * size + p]];
        if (st < 0) continue;
        // a row on a stratum of too many arrangements can never be in a cached block: direct, no lookup
        // (most rows on one-minute bars, whose strata hold tens of groups)
        if (arrangements[st] > BLOCK_MAX_ARRANGEMENTS) {
          of[o] = -1;
          continue rows;
        }
        // insertion into the sorted distinct list (≤ 5 entries)
        let at = nt;
        while (at > 0 && touched[at - 1] > st) at--;
        if (at > 0 && touched[at - 1] === st) continue;
        for (let j = nt; j > at; j--) touched[j] = touched[j - 1];
        touched[at] = st;
        nt++;
      }
      let key = 0;
      for (let j = 0; j < nt; j++) key = key * 1024 + touched[j] + 1;
      let id = idOf.get(key);
      if (id === undefined) {
        id = blockStrata.length;
        idOf.set(key, id);
        blockStrata.push(Array.from(touched.subarray(0, nt)));
        blockRows.push(0);
      }
      blockRows[id]++;
      of[o] = id;
    }
    blockOf.push(of);
  }

  // Which blocks are cached (−1: direct) and their place in `cached`.
  const cachedAt = new Int32Array(blockStrata.length).fill(-1);
  const positions: Int32Array[] = [];
  for (let b = 0; b < blockStrata.length; b++) {
    let arr = 1;
    for (const p of blockStrata[b]) arr *= arrangements[p];
    if (arr > BLOCK_MAX_ARRANGEMENTS || blockRows[b] < BLOCK_MIN_ROWS) continue;
    const inBlock = new Uint8Array(P);
    for (const p of blockStrata[b]) inBlock[p] = 1;
    const pos: number[] = [];
    for (let v = 0; v < nodeStratum.length; v++)
      if (nodeStratum[v] >= 0 && inBlock[nodeStratum[v]]) pos.push(v);
    cachedAt[b] = positions.length;
    positions.push(Int32Array.from(pos));
  }
  if (positions.length === 0) return directBlocks(moving);

  // the cached blocks, then direct (−1 and every block left uncached)
  const nParts = positions.length + 1;
  const partOf = blockOf.map((of) =>
    Int32Array.from(of, (b) => (b >= 0 && cachedAt[b] >= 0 ? cachedAt[b] : nParts - 1)),
  );
  const parts = partitionStored(moving, partOf, nParts);
  return {
    cached: positions.map((pos, t) => ({ occ: parts[t], positions: pos })),
    direct: parts[nParts - 1],
  };
}

/** Add sparse counts into a sink (its touched list and counts), as if their occurrences had been emitted. */
export function addSparseCounts(sink: CountSink, o: SparseCounts): void {
  const counts = sink.counts;
  const touched = sink.touched;
  let nTouched = sink.nTouched;
  for (let k = 0; k < o.n; k++) {
    const m = o.index[k];
    if (counts[m] === 0) touched[nTouched++] = m;
    counts[m] += o.count[k];
  }
  sink.nTouched = nTouched;
}

/** Bytes of block outcomes one counter keeps (keys and sparse counts); past this, new outcomes are not kept. */
export const BLOCK_CACHE_BUDGET = 64 * 2 ** 20;

/**
 * The counts of each cached block by its key (the kinds at its positions), per session, for the counter's whole
 * life: a block of A arrangements is counted at most A times over all replicates and batches. Bounded by
 * `budgetBytes` (then outcomes are counted, not kept): which outcomes are kept changes no count, only the time.
 */
export class BlockOutcomeCache {
  /** Per session, one store per cached block. */
  private readonly bySession = new Map<number, KindsKeyedCounts[]>();
  private bytesLeft: number;
  /** Block outcomes served from the cache, and counted (diagnostics). */
  hits = 0;
  misses = 0;

  constructor(budgetBytes = BLOCK_CACHE_BUDGET) {
    this.bytesLeft = budgetBytes;
  }

  /**
   * Count session si's moving occurrences under kinds `kind` into `sink`: each cached block from its outcome
   * (counted into `scratch` at its first arrangement), the direct rows one by one.
   */
  count(si: number, blocks: StrataBlocks, kind: Uint8Array, sink: CountSink, scratch: CountSink): void {
    const nb = blocks.cached.length;
    let stores = this.bySession.get(si);
    if (!stores && nb > 0) {
      stores = Array.from({ length: nb }, () => new KindsKeyedCounts());
      this.bySession.set(si, stores);
    }
    for (let b = 0; b < nb; b++) {
      const { occ, positions } = blocks.cached[b];
      const store = (stores as KindsKeyedCounts[])[b];
      const h = KindsKeyedCounts.hash(kind, positions);
      let outcome = store.get(kind, positions, h);
      if (outcome) this.hits++;
      else {
        this.misses++;
        countStored(occ, kind, scratch);
        outcome = sparseFromSink(scratch);
        scratch.clear();
        const bytes = 64 + positions.length + 8 * outcome.n;
        if (bytes <= this.bytesLeft) {
          this.bytesLeft -= bytes;
          store.put(kind, positions, h, outcome);
        }
      }
      addSparseCounts(sink, outcome);
    }
    countStored(blocks.direct, kind, sink);
  }
}
