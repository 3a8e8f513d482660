/**
 * The session DAG (SPEC stage 4): node i links forward to at most k later nodes j (in index order) whose gap
 * t_j − t_i lies in [dtMinMs, dtMaxMs] (inclusive). Nodes closer than dtMin are skipped; the scan stops at the
 * first node past dtMax. Acyclic by construction (every edge goes from a lower to a higher index).
 *
 * Four interchangeable builders produce bit-identical arrays (property-tested in test/graph-dag.test.ts):
 * - `baseline`   — every pair i < j tested, no early exit, candidates collected then the first k taken. The
 *                  honest slow reference; assumes nothing about sortedness beyond validation.
 * - `topo`       — processes the time order's topological generations (groups of equal t): the candidate
 *                  window [lo, hi) is found once per generation and shared by its members.
 * - `vectorized` — two pointers (the window start only moves forward), writing straight into preallocated
 *                  typed arrays of capacity n·min(k, n − 1), trimmed at the end.
 * - `sparse`     — CSR built directly: a count pass (binary search for the window start), prefix sum, fill pass.
 *
 * All builders test a gap with the same float64 expression `t[j] − t[i]` and weight every edge with
 * {@link dagEdgeWeight}, so equality is exact, not approximate.
 */
import { N_KINDS, type Session } from '../session/index.js';
import { CAUSAL_MATRIX } from './causal.js';
import { DEFAULT_DAG_CONFIG, type Dag, type DagConfig } from './types.js';

export type DagBuilderName = 'baseline' | 'topo' | 'vectorized' | 'sparse';
export const DAG_BUILDERS: readonly DagBuilderName[] = ['baseline', 'topo', 'vectorized', 'sparse'];

/** Column input of a DAG build: one entry per event, sorted by t (non-decreasing). */
export interface DagInput {
  /** Event time, UTC ms, non-decreasing. */
  t: Float64Array;
  price: Float64Array;
  /** Event kind code 0…6 (src/session/types.ts). */
  kind: Uint8Array;
}

/** 1/60,000: a multiply per edge instead of a divide (all builders use it, so dtMinutes are identical). */
const MINUTES_PER_MS = 1 / 60_000;
// Module-local copies: the weight runs once per edge, and reading an imported binding can cost a getter call
// under some loaders (CJS interop); a local const is free.
const NK = N_KINDS;
const CAUSAL = CAUSAL_MATRIX;

/**
 * Weight of a DAG edge, clamp(0.5·temporal + 0.3·causal + 0.2·price, 0.1, 1):
 * - temporal = 1 − gap/dtMax: closer successors count more (1 at gap 0, 0 at the window's far end);
 * - causal = the kind-pair strength of src → dst (src/graph/causal.ts);
 * - price = 1/(1 + |Δp|/max(p_src, 1)): small relative price moves count more; 0 when p_src ≤ 0 (no price).
 * Computed in float64; the caller stores it as float32.
 */
export function dagEdgeWeight(
  gapMs: number,
  dtMaxMs: number,
  srcKind: number,
  dstKind: number,
  srcPrice: number,
  dstPrice: number,
): number {
  return edgeWeightInv(gapMs, 1 / dtMaxMs, srcKind, dstKind, srcPrice, dstPrice);
}

/**
 * {@link dagEdgeWeight} with the reciprocal of dtMax precomputed — the one weight function every builder calls
 * per edge (so their weights are bit-identical). Divisions dominated the per-edge cost, so temporal is
 * 1 − gap·(1/dtMax) and price is written s/(s + |Δp|) with s = max(p_src, 1), algebraically equal to
 * 1/(1 + |Δp|/s); both agree with the textbook forms to ~1 ulp of float64, far below float32 storage.
 */
function edgeWeightInv(
  gapMs: number,
  invDtMaxMs: number,
  srcKind: number,
  dstKind: number,
  srcPrice: number,
  dstPrice: number,
): number {
  const temporal = 1 - gapMs * invDtMaxMs;
  const causal = CAUSAL[srcKind * NK + dstKind];
  const s = srcPrice > 1 ? srcPrice : 1;
  const dp = dstPrice - srcPrice;
  const price = srcPrice > 0 ? s / (s + (dp < 0 ? -dp : dp)) : 0;
  const w = 0.5 * temporal + 0.3 * causal + 0.2 * price;
  return w < 0.1 ? 0.1 : w > 1 ? 1 : w;
}

/** Throws a clear Error when the config is unusable: k integer ≥ 1, 0 ≤ dtMin < dtMax, both finite. */
export function validateDagConfig(cfg: DagConfig): void {
  if (!Number.isInteger(cfg.k) || cfg.k < 1)
    throw new Error(`DagConfig.k must be an integer ≥ 1, got ${cfg.k}`);
  if (!Number.isFinite(cfg.dtMinMs) || cfg.dtMinMs < 0) {
    throw new Error(`DagConfig.dtMinMs must be a finite number ≥ 0, got ${cfg.dtMinMs}`);
  }
  if (!Number.isFinite(cfg.dtMaxMs)) throw new Error(`DagConfig.dtMaxMs must be finite, got ${cfg.dtMaxMs}`);
  if (!(cfg.dtMinMs < cfg.dtMaxMs)) {
    throw new Error(`DagConfig.dtMinMs (${cfg.dtMinMs}) must be < dtMaxMs (${cfg.dtMaxMs})`);
  }
}

/** Throws a clear Error naming the field and index when the input is malformed. */
export function validateDagInput(input: DagInput): void {
  const { t, price, kind } = input;
  const n = t.length;
  if (price.length !== n)
    throw new Error(`DagInput: price.length (${price.length}) must equal t.length (${n})`);
  if (kind.length !== n) throw new Error(`DagInput: kind.length (${kind.length}) must equal t.length (${n})`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(t[i])) throw new Error(`DagInput: t[${i}] must be finite, got ${t[i]}`);
    if (i > 0 && t[i] < t[i - 1]) {
      throw new Error(
        `DagInput: t must be non-decreasing, but t[${i}] = ${t[i]} < t[${i - 1}] = ${t[i - 1]}`,
      );
    }
    if (!Number.isFinite(price[i])) throw new Error(`DagInput: price[${i}] must be finite, got ${price[i]}`);
    if (kind[i] >= NK)
      throw new Error(`DagInput: kind[${i}] = ${kind[i]} is not a kind code 0..${N_KINDS - 1}`);
  }
}

function prepare(input: DagInput, cfg: DagConfig | undefined): DagConfig {
  const c = cfg ?? DEFAULT_DAG_CONFIG;
  validateDagConfig(c);
  validateDagInput(input);
  return c;
}

/** Upper bound on the edge count: every node keeps at most min(k, n − 1) successors. */
function edgeCapacity(n: number, k: number): number {
  return n * Math.min(k, Math.max(n - 1, 0));
}

/**
 * Naive reference: tests every pair i < j (no early exit), collects the in-window candidates of i in a JS
 * array and keeps the first k. O(n²) by design.
 */
export function buildDagBaseline(input: DagInput, cfg?: DagConfig): Dag {
  const { k, dtMinMs, dtMaxMs } = prepare(input, cfg);
  const invDtMax = 1 / dtMaxMs;
  const { t, price, kind } = input;
  const n = t.length;
  const src: number[] = [];
  const dst: number[] = [];
  const weight: number[] = [];
  const dtMinutes: number[] = [];
  for (let i = 0; i < n; i++) {
    const candidates: number[] = [];
    for (let j = i + 1; j < n; j++) {
      const gap = t[j] - t[i];
      if (gap >= dtMinMs && gap <= dtMaxMs) candidates.push(j);
    }
    const take = Math.min(k, candidates.length);
    for (let c = 0; c < take; c++) {
      const j = candidates[c];
      const gap = t[j] - t[i];
      src.push(i);
      dst.push(j);
      weight.push(edgeWeightInv(gap, invDtMax, kind[i], kind[j], price[i], price[j]));
      dtMinutes.push(gap * MINUTES_PER_MS);
    }
  }
  const s = Int32Array.from(src);
  return {
    n,
    src: s,
    dst: Int32Array.from(dst),
    rowPtr: rowPtrFromSortedSrc(s, n),
    weight: Float32Array.from(weight),
    dtMinutes: Float32Array.from(dtMinutes),
  };
}

/**
 * Generation boundaries of the time order: nodes with equal t form one generation (the Kahn layers of the
 * "strictly earlier than" order). Returns CSR-style pointers: generation g holds indices [ptr[g], ptr[g+1]).
 */
export function timeGenerations(t: Float64Array): Int32Array {
  const n = t.length;
  const starts: number[] = [];
  for (let i = 0; i < n; i++) if (i === 0 || t[i] !== t[i - 1]) starts.push(i);
  const ptr = new Int32Array(starts.length + 1);
  for (let g = 0; g < starts.length; g++) ptr[g] = starts[g];
  ptr[starts.length] = n;
  return ptr;
}

/**
 * Builder over topological generations: for each generation (all members share t = T) the candidate window
 * [lo, hi) — first j with t_j − T ≥ dtMin, first j with t_j − T > dtMax — is found once by two forward-only
 * pointers, then each member i emits min(k, hi − max(i + 1, lo)) consecutive edges. Edges are appended per
 * generation into growable typed arrays.
 */
export function buildDagTopoGenerations(input: DagInput, cfg?: DagConfig): Dag {
  const { k, dtMinMs, dtMaxMs } = prepare(input, cfg);
  const invDtMax = 1 / dtMaxMs;
  const { t, price, kind } = input;
  const n = t.length;
  const gens = timeGenerations(t);
  const nGen = gens.length - 1;
  let cap = Math.max(16, Math.min(edgeCapacity(n, k), 4 * n));
  let src = new Int32Array(cap);
  let dst = new Int32Array(cap);
  let weight = new Float32Array(cap);
  let dtMinutes = new Float32Array(cap);
  const rowPtr = new Int32Array(n + 1);
  let m = 0;
  let lo = 0;
  let hi = 0;
  for (let g = 0; g < nGen; g++) {
    const gs = gens[g];
    const ge = gens[g + 1];
    const T = t[gs];
    if (lo < gs) lo = gs;
    while (lo < n && t[lo] - T < dtMinMs) lo++;
    if (hi < lo) hi = lo;
    while (hi < n && t[hi] - T <= dtMaxMs) hi++;
    // Edges this generation emits, to grow the arrays once per generation.
    let genEdges = 0;
    for (let i = gs; i < ge; i++) {
      const start = lo > i + 1 ? lo : i + 1;
      const deg = hi - start;
      genEdges += deg <= 0 ? 0 : deg < k ? deg : k;
    }
    if (m + genEdges > cap) {
      cap = Math.max(2 * cap, m + genEdges);
      src = grow(src, cap);
      dst = grow(dst, cap);
      weight = grow(weight, cap);
      dtMinutes = grow(dtMinutes, cap);
    }
    for (let i = gs; i < ge; i++) {
      rowPtr[i] = m;
      const start = lo > i + 1 ? lo : i + 1;
      const end = Math.min(hi, start + k);
      for (let j = start; j < end; j++) {
        const gap = t[j] - T;
        src[m] = i;
        dst[m] = j;
        weight[m] = edgeWeightInv(gap, invDtMax, kind[i], kind[j], price[i], price[j]);
        dtMinutes[m] = gap * MINUTES_PER_MS;
        m++;
      }
    }
  }
  rowPtr[n] = m;
  return {
    n,
    src: src.slice(0, m),
    dst: dst.slice(0, m),
    rowPtr,
    weight: weight.slice(0, m),
    dtMinutes: dtMinutes.slice(0, m),
  };
}

function grow<A extends Int32Array | Float32Array>(a: A, cap: number): A {
  const b = new (a.constructor as { new (len: number): A })(cap);
  b.set(a);
  return b;
}

/**
 * Reusable worst-case-sized write buffers of the vectorized builder. Allocating four n·k typed arrays per call
 * cost more than building the DAG (~10 µs each at n = 1024 on Node 20), so they are kept across calls (grown,
 * never shrunk) and only the exact-size results are allocated. Safe because a build is synchronous and each
 * worker thread has its own module instance.
 */
const scratch = {
  dst: new Int32Array(0),
  weight: new Float32Array(0),
  dtMinutes: new Float32Array(0),
};

function ensureScratch(cap: number): void {
  if (scratch.dst.length >= cap) return;
  const size = Math.max(cap, 2 * scratch.dst.length);
  scratch.dst = new Int32Array(size);
  scratch.weight = new Float32Array(size);
  scratch.dtMinutes = new Float32Array(size);
}

/**
 * Two-pointer builder: the first j with t_j − t_i ≥ dtMin never moves backwards as i grows, so one forward
 * pointer finds it in amortised O(1); from there up to k consecutive j are taken while t_j − t_i ≤ dtMax.
 * Writes into reusable worst-case-sized buffers, then copies out exact-size arrays (src is expanded from the
 * row pointer). O(n + m).
 */
export function buildDagVectorized(input: DagInput, cfg?: DagConfig): Dag {
  const c = cfg ?? DEFAULT_DAG_CONFIG;
  validateDagConfig(c);
  const { k, dtMinMs, dtMaxMs } = c;
  const invDtMax = 1 / dtMaxMs;
  const { t, price, kind } = input;
  const n = t.length;
  if (price.length !== n || kind.length !== n) validateDagInput(input);
  ensureScratch(edgeCapacity(n, k));
  const dst = scratch.dst;
  const weight = scratch.weight;
  const dtMinutes = scratch.dtMinutes;
  const rowPtr = new Int32Array(n + 1);
  let m = 0;
  let lo = 0;
  let prevT = -Infinity;
  for (let i = 0; i < n; i++) {
    rowPtr[i] = m;
    const ti = t[i];
    // the input checks of validateDagInput, fused into the build's own pass over the nodes (a separate
    // validation pass was ~5% of the build); on any doubt the full check runs and throws its exact message
    const pi = price[i];
    const ki = kind[i];
    if (!(ti >= prevT) || ti - ti !== 0 || pi - pi !== 0 || ki >= NK) validateDagInput(input);
    prevT = ti;
    if (lo <= i) lo = i + 1;
    while (lo < n && t[lo] - ti < dtMinMs) lo++;
    const end = lo + k < n ? lo + k : n;
    for (let j = lo; j < end; j++) {
      const gap = t[j] - ti;
      if (gap > dtMaxMs) break;
      dst[m] = j;
      weight[m] = edgeWeightInv(gap, invDtMax, ki, kind[j], pi, price[j]);
      dtMinutes[m] = gap * MINUTES_PER_MS;
      m++;
    }
  }
  rowPtr[n] = m;
  const src = new Int32Array(m);
  for (let i = 0; i < n; i++) for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) src[e] = i;
  return {
    n,
    src,
    dst: dst.slice(0, m),
    rowPtr,
    weight: weight.slice(0, m),
    dtMinutes: dtMinutes.slice(0, m),
  };
}

/**
 * First index j in [from, n) with t[j] − ti ≥ gapMs (n when none). Binary search; valid because t is
 * non-decreasing and float subtraction is monotone.
 */
export function lowerBoundGap(t: Float64Array, from: number, ti: number, gapMs: number): number {
  let a = from;
  let b = t.length;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (t[mid] - ti < gapMs) a = mid + 1;
    else b = mid;
  }
  return a;
}

/**
 * CSR builder: a count pass (window start by binary search, degree = in-window run capped at k), a prefix sum
 * into rowPtr, and a fill pass writing each row at its final offset. Allocates exactly m edges.
 */
export function buildDagSparse(input: DagInput, cfg?: DagConfig): Dag {
  const { k, dtMinMs, dtMaxMs } = prepare(input, cfg);
  const invDtMax = 1 / dtMaxMs;
  const { t, price, kind } = input;
  const n = t.length;
  const start = new Int32Array(n);
  const rowPtr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const ti = t[i];
    const s = lowerBoundGap(t, i + 1, ti, dtMinMs);
    start[i] = s;
    let deg = 0;
    while (deg < k && s + deg < n && t[s + deg] - ti <= dtMaxMs) deg++;
    rowPtr[i + 1] = deg;
  }
  for (let i = 0; i < n; i++) rowPtr[i + 1] += rowPtr[i];
  const m = rowPtr[n];
  const src = new Int32Array(m);
  const dst = new Int32Array(m);
  const weight = new Float32Array(m);
  const dtMinutes = new Float32Array(m);
  for (let i = 0; i < n; i++) {
    const ti = t[i];
    const s = start[i];
    for (let e = rowPtr[i], j = s; e < rowPtr[i + 1]; e++, j++) {
      const gap = t[j] - ti;
      src[e] = i;
      dst[e] = j;
      weight[e] = edgeWeightInv(gap, invDtMax, kind[i], kind[j], price[i], price[j]);
      dtMinutes[e] = gap * MINUTES_PER_MS;
    }
  }
  return { n, src, dst, rowPtr, weight, dtMinutes };
}

const BUILDERS: Record<DagBuilderName, (input: DagInput, cfg?: DagConfig) => Dag> = {
  baseline: buildDagBaseline,
  topo: buildDagTopoGenerations,
  vectorized: buildDagVectorized,
  sparse: buildDagSparse,
};

/** Build the DAG with the named builder (default `vectorized`, the fastest); all builders give identical arrays. */
export function buildDag(
  input: DagInput,
  cfg: DagConfig = DEFAULT_DAG_CONFIG,
  builder: DagBuilderName = 'vectorized',
): Dag {
  const fn = BUILDERS[builder];
  if (!fn)
    throw new Error(`unknown DAG builder "${String(builder)}"; expected one of ${DAG_BUILDERS.join(', ')}`);
  return fn(input, cfg);
}

/** CSR row pointer (length n + 1) of an edge list whose src is sorted ascending. */
export function rowPtrFromSortedSrc(src: Int32Array, n: number): Int32Array {
  const rowPtr = new Int32Array(n + 1);
  for (let e = 0; e < src.length; e++) {
    const s = src[e];
    if (s < 0 || s >= n) throw new Error(`rowPtrFromSortedSrc: src[${e}] = ${s} out of range 0..${n - 1}`);
    if (e > 0 && s < src[e - 1]) throw new Error(`rowPtrFromSortedSrc: src not sorted at edge ${e}`);
    rowPtr[s + 1]++;
  }
  for (let i = 0; i < n; i++) rowPtr[i + 1] += rowPtr[i];
  return rowPtr;
}

/** Minimal directed edge list over nodes 0..n−1 (a Dag, a TemporalGraph or an attention DAG all fit). */
export interface EdgeList {
  n: number;
  src: Int32Array;
  dst: Int32Array;
}

/**
 * Kahn layers of a directed graph: layer 0 holds the nodes without predecessors, layer g + 1 the nodes whose
 * last predecessor is in layer g. Nodes within a layer are in ascending index order. Returns `order` (all nodes,
 * layer by layer) and `layerPtr` (layer g is order[layerPtr[g] .. layerPtr[g+1])). Throws if there is a cycle.
 */
export function topologicalGenerations(g: EdgeList): { order: Int32Array; layerPtr: Int32Array } {
  const res = kahn(g);
  if (res.placed < g.n)
    throw new Error(`topologicalGenerations: graph has a cycle (${g.n - res.placed} nodes unplaced)`);
  return { order: res.order, layerPtr: res.layerPtr };
}

/** True when the directed graph has no cycle (Kahn's algorithm places every node). */
export function isAcyclic(g: EdgeList): boolean {
  return kahn(g).placed === g.n;
}

function kahn(g: EdgeList): { order: Int32Array; layerPtr: Int32Array; placed: number } {
  const { n, src, dst } = g;
  if (src.length !== dst.length)
    throw new Error(`edge list: src.length ${src.length} ≠ dst.length ${dst.length}`);
  const indeg = new Int32Array(n);
  const outPtr = new Int32Array(n + 1);
  for (let e = 0; e < src.length; e++) {
    const s = src[e];
    const d = dst[e];
    if (s < 0 || s >= n || d < 0 || d >= n)
      throw new Error(`edge list: edge ${e} (${s} → ${d}) out of range 0..${n - 1}`);
    outPtr[s + 1]++;
    indeg[d]++;
  }
  for (let i = 0; i < n; i++) outPtr[i + 1] += outPtr[i];
  const fill = outPtr.slice(0, n);
  const out = new Int32Array(src.length);
  for (let e = 0; e < src.length; e++) out[fill[src[e]]++] = dst[e];
  const order = new Int32Array(n);
  const layers: number[] = [0];
  let placed = 0;
  for (let i = 0; i < n; i++) if (indeg[i] === 0) order[placed++] = i;
  let layerStart = 0;
  while (layerStart < placed) {
    const layerEnd = placed;
    layers.push(layerEnd);
    const next: number[] = [];
    for (let q = layerStart; q < layerEnd; q++) {
      const u = order[q];
      for (let e = outPtr[u]; e < outPtr[u + 1]; e++) if (--indeg[out[e]] === 0) next.push(out[e]);
    }
    next.sort((a, b) => a - b);
    for (const v of next) order[placed++] = v;
    layerStart = layerEnd;
  }
  return { order, layerPtr: Int32Array.from(layers), placed };
}

/** The DAG input columns of a session (its events are already sorted by (t, seq)). */
export function dagInputFromSession(session: Session): DagInput {
  const n = session.events.length;
  const t = new Float64Array(n);
  const price = new Float64Array(n);
  const kind = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const e = session.events[i];
    t[i] = e.t;
    price[i] = e.price;
    kind[i] = e.kind;
  }
  return { t, price, kind };
}
