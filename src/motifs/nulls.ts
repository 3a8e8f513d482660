/**
 * The null models as pure transforms on typed arrays, each driven by a seeded Rng. For each: what a replicate
 * keeps, and what rejecting it (observed count far above the replicates) means.
 *
 * - group-shuffle (the default, DEFAULT_NULL_MODEL): permute the kind lists of co-timed groups (maximal runs of
 *   equal `t`) as units among the groups of one stratum = (group size, ordered record-source sequence when
 *   `source` is present, session phase = tercile of [t_first, t_last]). Preserves: the co-timed groups and the
 *   kinds written together at one timestamp (in their order), the per-source composition of each group, the
 *   kind composition of each phase, the topology and every time. Rejecting it means the *order of moments*
 *   within a phase × source stratum carries structure: which kinds sit at which timestamp relative to the other
 *   moments, not merely which kinds the format writes together. A session with no stratum of ≥ 2 groups (or
 *   only identical groups in each) cannot be permuted: its replicates equal the observed session and it adds no
 *   evidence; mining reports it in `skippedSessions`.
 * - kind shuffle: permute the kinds among a session's events; topology untouched. Preserves the session's kind
 *   multiset, topology and times only. Rejected by the recording format itself (kinds written at one timestamp
 *   are not exchangeable with the rest of the session), so rejecting it says little.
 * - time jitter: move every event time by U(−w, +w), re-sort (ties by original index); the caller rebuilds
 *   the DAG from the new order, so kinds and prices travel with their event. Preserves kinds and the coarse
 *   time order; rejecting it means fine timing (< w) matters — but jitter also breaks co-timed groups.
 * - edge swap: pick two edges a → b, c → d and rewire to a → d, c → b when both new edges go forward
 *   (a < d, c < b: the graph stays acyclic in index order), are new (the graph stays simple) and differ
 *   from the old ones. Every node keeps its in- and out-degree, and its kind.
 * - edge-kind-swap: edge swaps as above restricted to kind[b] = kind[d], so in/out degrees AND every kind → kind
 *   edge count (all 2-node sub-motifs) are preserved (Milo et al. 2002 style): a k-node motif is tested beyond
 *   its pairwise kind transitions. It does NOT preserve every (k−1)-node sub-motif count (e.g. 3-node counts
 *   under a 4-node motif), only the 2-node ones.
 */
import type { Rng } from '../stats/index.js';

/** Copy `kind` into `out` and shuffle it (Fisher–Yates). */
export function shuffleKinds(kind: Uint8Array, out: Uint8Array, rng: Rng): Uint8Array {
  out.set(kind);
  rng.shuffle(out, kind.length);
  return out;
}

/** Buffers of a jittered session, reused across replicates. */
export interface JitterBuffers {
  t: Float64Array;
  price: Float64Array;
  kind: Uint8Array;
  order: Int32Array;
  key: Float64Array;
}

export function jitterBuffers(n: number): JitterBuffers {
  return {
    t: new Float64Array(n),
    price: new Float64Array(n),
    kind: new Uint8Array(n),
    order: new Int32Array(n),
    key: new Float64Array(n),
  };
}

/**
 * Jitter times by U(−windowMs, +windowMs) and write the events, re-sorted by jittered time (ties by original
 * index), into `out` (arrays of length ≥ n; the first n entries are used). Returns the new order:
 * out.order[i] = original index of the event now at position i.
 */
export function jitterSession(
  t: Float64Array,
  price: Float64Array,
  kind: Uint8Array,
  windowMs: number,
  rng: Rng,
  out: JitterBuffers,
): Int32Array {
  const n = t.length;
  const { key, order } = out;
  for (let i = 0; i < n; i++) {
    key[i] = t[i] + rng.uniform(-windowMs, windowMs);
    order[i] = i;
  }
  const ord = order.subarray(0, n);
  ord.sort((a, b) => key[a] - key[b] || a - b);
  for (let i = 0; i < n; i++) {
    const j = ord[i];
    out.t[i] = key[j];
    out.price[i] = price[j];
    out.kind[i] = kind[j];
  }
  return ord;
}

/**
 * Degree-preserving forward edge swaps in place on `dst` (edges e < nEdges; `rowPtr` is the CSR row pointer
 * over `src`, which never changes because only targets move). Makes `attempts` random attempts; returns how
 * many were accepted.
 */
export function swapEdgeTargets(
  src: Int32Array,
  dst: Int32Array,
  rowPtr: Int32Array,
  nEdges: number,
  attempts: number,
  rng: Rng,
): number {
  if (nEdges < 2) return 0;
  let accepted = 0;
  for (let k = 0; k < attempts; k++) {
    const e1 = rng.int(nEdges);
    const e2 = rng.int(nEdges);
    if (trySwap(src, dst, rowPtr, e1, e2)) accepted++;
  }
  return accepted;
}

/**
 * Rewire a → b, c → d (edges e1, e2) to a → d, c → b when both new edges go forward (a < d, c < b), are new
 * (the graph stays simple) and differ from the old ones; true when the swap was made.
 */
function trySwap(src: Int32Array, dst: Int32Array, rowPtr: Int32Array, e1: number, e2: number): boolean {
  const a = src[e1];
  const b = dst[e1];
  const c = src[e2];
  const d = dst[e2];
  if (a === c || b === d || a >= d || c >= b) return false;
  if (hasTarget(dst, rowPtr[a], rowPtr[a + 1], d) || hasTarget(dst, rowPtr[c], rowPtr[c + 1], b))
    return false;
  dst[e1] = d;
  dst[e2] = b;
  return true;
}

function hasTarget(dst: Int32Array, from: number, to: number, v: number): boolean {
  for (let e = from; e < to; e++) if (dst[e] === v) return true;
  return false;
}

// ───────────────────────── group-shuffle: the recording-format-respecting default ─────────────────────────

/**
 * Co-timed groups of a session and the strata they are permuted in.
 *
 * A co-timed group is a maximal run of consecutive events with equal `t`: the enhanced records write one market
 * moment as several rows from different record sections, so the kinds written at one timestamp are a unit of
 * the recording format, not independent draws. Groups are permuted only within their stratum, so a replicate
 * keeps every group's size, its ordered source sequence and its session phase.
 */
export interface GroupStrata {
  /** First event index and length of each co-timed group, in time order. */
  groupStart: Int32Array;
  groupLen: Int32Array;
  /** Session phase (0, 1, 2) of each group when phases are used, else 0. */
  groupPhase: Uint8Array;
  /** Stratum of each group (dense ids in order of first appearance). */
  groupStratum: Int32Array;
  /** Number of strata (any size). */
  nStrata: number;
  /**
   * Groups of the permutable strata (≥ 2 groups), stratum after stratum, each stratum's groups in time order:
   * stratum p holds members[memberStart[p] .. memberStart[p + 1]).
   */
  members: Int32Array;
  memberStart: Int32Array;
}

/** What a stratum is made of: the group's size always; optionally its ordered source sequence and its phase. */
export interface StrataKey {
  /** Stratify by the ordered source sequence of the group (when the session has `source`). Default true. */
  source?: boolean;
  /** Stratify by session phase (tercile of [t_first, t_last]). Default true. */
  phase?: boolean;
}

/**
 * Session phase of time `t`: the tercile of the session's span [t0, t1] it falls in (0, 1 or 2; t1 itself is in
 * phase 2). A zero-span session is a single phase 0.
 */
export function sessionPhase(t: number, t0: number, t1: number): number {
  const span = t1 - t0;
  if (!(span > 0)) return 0;
  const p = Math.floor((3 * (t - t0)) / span);
  return p < 0 ? 0 : p > 2 ? 2 : p;
}

/**
 * The co-timed groups of a session (`t` non-decreasing) and their strata: (size, ordered source sequence when
 * `source` is given and `key.source` is not false, phase when `key.phase` is not false). Deterministic: strata are
 * numbered in order of their first group.
 */
export function groupStrata(
  n: number,
  t: Float64Array,
  source: Uint8Array | undefined,
  key: StrataKey = {},
): GroupStrata {
  const useSource = key.source !== false && source !== undefined;
  const usePhase = key.phase !== false;
  const starts: number[] = [];
  for (let i = 0; i < n; i++) if (i === 0 || t[i] !== t[i - 1]) starts.push(i);
  const G = starts.length;
  const groupStart = Int32Array.from(starts);
  const groupLen = new Int32Array(G);
  for (let g = 0; g < G; g++) groupLen[g] = (g + 1 < G ? starts[g + 1] : n) - starts[g];
  const groupPhase = new Uint8Array(G);
  const groupStratum = new Int32Array(G);
  const ids = new Map<string, number>();
  const byStratum: number[][] = [];
  for (let g = 0; g < G; g++) {
    if (usePhase) groupPhase[g] = sessionPhase(t[groupStart[g]], t[0], t[n - 1]);
    let k = `${groupLen[g]}|${groupPhase[g]}`;
    if (useSource) {
      const src = source as Uint8Array;
      for (let i = groupStart[g]; i < groupStart[g] + groupLen[g]; i++) k += `,${src[i]}`;
    }
    let id = ids.get(k);
    if (id === undefined) {
      id = byStratum.length;
      ids.set(k, id);
      byStratum.push([]);
    }
    groupStratum[g] = id;
    byStratum[id].push(g);
  }
  const permutable = byStratum.filter((m) => m.length >= 2);
  const memberStart = new Int32Array(permutable.length + 1);
  permutable.forEach((m, p) => (memberStart[p + 1] = memberStart[p] + m.length));
  return {
    groupStart,
    groupLen,
    groupPhase,
    groupStratum,
    nStrata: byStratum.length,
    members: Int32Array.from(permutable.flat()),
    memberStart,
  };
}

/**
 * True when a group permutation within the strata can change the kinds at all: some permutable stratum holds
 * two groups with different kind lists. False ⇒ every replicate equals the observed session.
 */
export function groupsPermutable(kind: Uint8Array, g: GroupStrata): boolean {
  const { members, memberStart, groupStart, groupLen } = g;
  for (let p = 0; p + 1 < memberStart.length; p++) {
    const first = members[memberStart[p]];
    for (let q = memberStart[p] + 1; q < memberStart[p + 1]; q++) {
      const other = members[q];
      for (let i = 0; i < groupLen[first]; i++)
        if (kind[groupStart[first] + i] !== kind[groupStart[other] + i]) return true;
    }
  }
  return false;
}

/**
 * Permute the co-timed groups of every permutable stratum as units: each group's positions receive, in order,
 * the values of a uniformly drawn group of the same stratum. Writes `values` so permuted into `out` (length n);
 * `scratch` needs members.length entries. Call once per column with a fresh copy of the same permutation
 * (see {@link drawGroupPermutation}) when several columns must move together.
 */
export function shuffleGroups(
  values: Uint8Array,
  g: GroupStrata,
  out: Uint8Array,
  rng: Rng,
  scratch: Int32Array,
): Uint8Array {
  const perm = drawGroupPermutation(g, rng, scratch);
  applyGroupPermutation(values, g, perm, out);
  return out;
}

/** Draw one permutation per permutable stratum into `scratch` (members order: slot q receives group scratch[q]). */
export function drawGroupPermutation(g: GroupStrata, rng: Rng, scratch: Int32Array): Int32Array {
  const { members, memberStart } = g;
  scratch.set(members);
  for (let p = 0; p + 1 < memberStart.length; p++) {
    const a = memberStart[p];
    rng.shuffle(scratch.subarray(a, memberStart[p + 1]));
  }
  return scratch;
}

/** Apply a permutation from {@link drawGroupPermutation} to one column: out = values with groups moved. */
export function applyGroupPermutation(
  values: Uint8Array,
  g: GroupStrata,
  perm: Int32Array,
  out: Uint8Array,
): Uint8Array {
  const { members, groupStart, groupLen } = g;
  out.set(values.subarray(0, out.length));
  for (let q = 0; q < members.length; q++) {
    const to = groupStart[members[q]];
    const from = groupStart[perm[q]];
    const len = groupLen[members[q]];
    for (let i = 0; i < len; i++) out[to + i] = values[from + i];
  }
  return out;
}

// ───────────────────────── edge-kind-swap: 2-node sub-motif preserving ─────────────────────────

/** The edges of a graph bucketed by the kind of their target: bucket k = order[start[k] .. start[k + 1]). */
export interface EdgesByTargetKind {
  order: Int32Array;
  start: Int32Array;
}

/** Bucket edges e < nEdges by kind[dst[e]] (kinds 0..nKinds − 1), each bucket in edge order. */
export function edgesByTargetKind(
  dst: Int32Array,
  nEdges: number,
  kind: Uint8Array,
  nKinds = 7,
): EdgesByTargetKind {
  const start = new Int32Array(nKinds + 1);
  for (let e = 0; e < nEdges; e++) start[kind[dst[e]] + 1]++;
  for (let k = 0; k < nKinds; k++) start[k + 1] += start[k];
  const at = start.slice(0, nKinds);
  const order = new Int32Array(nEdges);
  for (let e = 0; e < nEdges; e++) order[at[kind[dst[e]]]++] = e;
  return { order, start };
}

/**
 * Degree-preserving forward edge swaps restricted to targets of one kind, in place on `dst`: a → b, c → d
 * become a → d, c → b only when kind[b] = kind[d] (and, as in {@link swapEdgeTargets}, a < d, c < b, both new
 * edges absent and different from the old ones). Every node keeps its in- and out-degree and every kind → kind
 * edge count stays the same. A swap keeps the target kind of each edge slot, so `byKind` (from
 * {@link edgesByTargetKind} on the original targets) stays valid: the partner e2 of a uniformly drawn e1 is drawn
 * uniformly from e1's bucket (a symmetric proposal). Returns the accepted swaps.
 */
export function swapEdgeTargetsSameKind(
  src: Int32Array,
  dst: Int32Array,
  rowPtr: Int32Array,
  nEdges: number,
  attempts: number,
  kind: Uint8Array,
  byKind: EdgesByTargetKind,
  rng: Rng,
): number {
  if (nEdges < 2) return 0;
  const { order, start } = byKind;
  let accepted = 0;
  for (let k = 0; k < attempts; k++) {
    const e1 = rng.int(nEdges);
    const kb = kind[dst[e1]];
    const from = start[kb];
    const cnt = start[kb + 1] - from;
    if (cnt < 2) continue;
    const e2 = order[from + rng.int(cnt)];
    if (trySwap(src, dst, rowPtr, e1, e2)) accepted++;
  }
  return accepted;
}
