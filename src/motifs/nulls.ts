/**
 * The three null models as pure transforms on typed arrays, each driven by a seeded Rng:
 * - kind shuffle: permute the kinds among a session's events; topology untouched.
 * - time jitter: move every event time by U(−w, +w), re-sort (ties by original index); the caller rebuilds
 *   the DAG from the new order, so kinds and prices travel with their event.
 * - edge swap: pick two edges a → b, c → d and rewire to a → d, c → b when both new edges go forward
 *   (a < d, c < b: the graph stays acyclic in index order), are new (the graph stays simple) and differ
 *   from the old ones. Every node keeps its in- and out-degree.
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
    const a = src[e1];
    const b = dst[e1];
    const c = src[e2];
    const d = dst[e2];
    if (a === c || b === d || a >= d || c >= b) continue;
    if (hasTarget(dst, rowPtr[a], rowPtr[a + 1], d) || hasTarget(dst, rowPtr[c], rowPtr[c + 1], b)) continue;
    dst[e1] = d;
    dst[e2] = b;
    accepted++;
  }
  return accepted;
}

function hasTarget(dst: Int32Array, from: number, to: number, v: number): boolean {
  for (let e = from; e < to; e++) if (dst[e] === v) return true;
  return false;
}
