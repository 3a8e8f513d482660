/**
 * WebAssembly SIMD versions of `baseline`, `flash`, `block-sparse` and `time-bias-cache`: the same
 * traversals as the TypeScript kernels (see their files), with f64x2 arithmetic over two keys at a time.
 * Each kernel owns one wasm instance; `prepare` lays the session out in its memory (mask, time tables, and for
 * `time-bias-cache` the bias of every allowed pair, computed there once) and `run` copies Q/K/V in,
 * converts them to float64 key-major layout, runs every head and copies the float32 output back.
 *
 * If two states of the same kernel are used alternately, `run` re-uploads the session of the state it is
 * given (correct, just slower), so states never corrupt each other.
 */
import type {
  AttentionInputs,
  AttentionKernel,
  AttentionSession,
  ConcreteKernelName,
  KernelState,
} from './types.js';
import { WasmArena, writeDesc } from '../wasm/runtime.js';
import { allowedOffsets } from './common.js';
import { allowedPairs } from '../mask.js';

type WasmKernelName = Extract<ConcreteKernelName, 'baseline' | 'flash' | 'block-sparse' | 'time-bias-cache'>;

/** The segment length of the wasm row kernels (must match SEG in assembly/tgat/kernels.ts). */
const SEG = 64;

interface Layout {
  ld: number;
  d2: number;
  q32: number;
  k32: number;
  v32: number;
  q64: number;
  kt: number;
  vt: number;
  out32: number;
  lo: number;
  predPtr: number;
  pred: number;
  stamp: number;
  rowTab: number;
  colT: number;
  rowOff: number;
  cache: number;
  seg: number;
  segP: number;
  acc: number;
  rb: number;
  cols: number;
  S: number;
}

interface WasmState extends KernelState {
  host: Host;
  layout: Layout | null;
}

interface Host {
  arena: WasmArena | null;
  owner: WasmState | null;
}

function regionSizes(name: WasmKernelName, s: AttentionSession): Record<keyof Layout, number> {
  const n = s.n;
  const ld = ldFor(n);
  const d2 = s.time ? 2 * s.time.d : 0;
  const hd = s.heads * s.headDim;
  const nnz = s.mask.pred ? s.mask.pred.length : 0;
  const dag = s.mask.predPtr !== null;
  return {
    ld: 0,
    d2: 0,
    q32: 4 * n * hd,
    k32: 4 * n * hd,
    v32: 4 * n * hd,
    q64: 8 * n * hd + 128, // + padding: the dh = 11 fast path loads 11 query values per row
    kt: 8 * ld * hd,
    vt: 4 * ld * hd,
    out32: 4 * n * hd,
    lo: 4 * n,
    predPtr: dag ? 4 * (n + 1) : 0,
    pred: dag ? 4 * nnz : 0,
    stamp: dag && (name === 'flash' || name === 'baseline') ? 4 * n : 0,
    rowTab: 4 * n * d2,
    colT: 4 * ld * d2,
    rowOff: name === 'time-bias-cache' ? 4 * (n + 1) : 0,
    cache: name === 'time-bias-cache' && s.time ? 4 * (allowedPairs(s.mask) + 4) : 0,
    seg: 8 * (Math.max(SEG, dag ? n : 0) + 4),
    segP: 4 * (SEG + 4),
    acc: 8 * s.headDim,
    rb: 4 * Math.max(4, d2),
    cols: dag ? 4 * n : 0,
    S: name === 'baseline' ? 4 * n * ld : 0,
  };
}

/** Row stride of key-major arrays: n rounded up to a multiple of 4, plus 4 (vector reads past n stay in bounds). */
function ldFor(n: number): number {
  return ((n + 3) & ~3) + 4;
}

function upload(name: WasmKernelName, st: WasmState): Layout {
  const host = st.host;
  if (!host.arena) host.arena = new WasmArena();
  const arena = host.arena;
  arena.reset();
  const s = st.session;
  const sizes = regionSizes(name, s);
  const L = {} as Layout;
  for (const key of Object.keys(sizes) as (keyof Layout)[]) {
    if (key === 'ld' || key === 'd2') continue;
    L[key] = sizes[key] > 0 ? arena.alloc(sizes[key]) : 0;
  }
  const n = s.n;
  L.ld = ldFor(n);
  L.d2 = s.time ? 2 * s.time.d : 0;
  arena.i32(L.lo, n).set(s.mask.lo);
  if (L.predPtr) {
    arena.i32(L.predPtr, n + 1).set(s.mask.predPtr as Int32Array);
    if (L.pred) arena.i32(L.pred, (s.mask.pred as Int32Array).length).set(s.mask.pred as Int32Array);
  }
  if (L.stamp) arena.i32(L.stamp, n).fill(0);
  if (s.time && L.d2 > 0) {
    arena.f32(L.rowTab, n * L.d2).set(s.time.row);
    const colT = arena.f32(L.colT, L.d2 * L.ld);
    colT.fill(0);
    for (let u = 0; u < L.d2; u++) colT.set(s.time.colT.subarray(u * n, (u + 1) * n), u * L.ld);
  }
  if (L.rowOff) {
    arena.i32(L.rowOff, n + 1).set(allowedOffsets(s.mask));
    if (L.cache) {
      const desc = writeDesc(arena, 'buildBiasCache', {
        n,
        ld: L.ld,
        lo: L.lo,
        predPtr: L.predPtr,
        pred: L.pred,
        self: s.mask.self ? 1 : 0,
        d2: L.d2,
        rowTab: L.rowTab,
        colT: L.colT,
        rowOff: L.rowOff,
        cache: L.cache,
        rb: L.rb,
      });
      arena.ex.buildBiasCache(desc);
    }
  }
  host.owner = st;
  st.layout = L;
  return L;
}

const DESCRIPTIONS: Record<WasmKernelName, string> = {
  baseline: 'wasm SIMD: full n×n float32 score matrix per head, mask after scoring, float64 sums',
  flash: 'wasm SIMD: online softmax over 64-column segments up to the diagonal, element-wise mask',
  'block-sparse': 'wasm SIMD: only the allowed spans (causal/window) or predecessor lists (DAG)',
  'time-bias-cache': 'wasm SIMD: block-sparse + time bias of every allowed pair computed once per session',
};

/** Build the wasm variant of one kernel. */
export function makeWasmKernel(name: WasmKernelName): AttentionKernel {
  const host: Host = { arena: null, owner: null };
  return {
    name,
    description: DESCRIPTIONS[name],
    precision: 'float32',
    backend: 'wasm',
    workspaceBytes(s) {
      const sizes = regionSizes(name, s);
      let total = 0;
      for (const v of Object.values(sizes)) total += v;
      return total;
    },
    prepare(session): WasmState {
      const st: WasmState = { session, host, layout: null };
      upload(name, st);
      return st;
    },
    run(state, inputs: AttentionInputs) {
      const st = state as WasmState;
      const L = host.owner === st && st.layout ? st.layout : upload(name, st);
      const arena = host.arena as WasmArena;
      const ex = arena.ex;
      const { n, heads, headDim: dh, mask } = st.session;
      const hd = heads * dh;
      const len = n * hd;
      arena.f32(L.q32, len).set(inputs.q);
      arena.f32(L.k32, len).set(inputs.k);
      arena.f32(L.v32, len).set(inputs.v);
      const { ld, d2, rowTab, colT } = L;
      ex.convertQKV(
        writeDesc(arena, 'convertQKV', {
          n,
          heads,
          dh,
          ld,
          q32: L.q32,
          k32: L.k32,
          v32: L.v32,
          q64: L.q64,
          kt: L.kt,
          vt: L.vt,
        }),
      );
      const self = mask.self ? 1 : 0;
      const dag = mask.predPtr !== null;
      for (let h = 0; h < heads; h++) {
        const q = L.q64 + 8 * h * n * dh;
        const kt = L.kt + 8 * h * dh * ld;
        const vt = L.vt + 4 * h * dh * ld;
        const out = L.out32 + 4 * h * dh;
        // the fields every attention kernel reads; each call adds its own
        const head = { n, dh, ld, q, kt, vt, self, d2, gamma: inputs.gamma[h], rowTab, colT, out, width: hd };
        if (name === 'baseline') {
          const desc = writeDesc(arena, 'attnBaseline', {
            ...head,
            lo: L.lo,
            predPtr: L.predPtr,
            pred: L.pred,
            stamp: L.stamp,
            S: L.S,
            rb: L.rb,
            acc: L.acc,
            segS: L.seg,
          });
          ex.attnBaseline(desc);
        } else if (name === 'flash') {
          const desc = writeDesc(arena, 'attnRows', {
            ...head,
            lo: L.lo,
            flash: 1,
            stamp: L.stamp,
            predPtr: L.predPtr,
            pred: L.pred,
            cache: 0,
            rowOff: 0,
            segS: L.seg,
            segP: L.segP,
            acc: L.acc,
            rb: L.rb,
          });
          ex.attnRows(desc);
        } else if (dag) {
          const desc = writeDesc(arena, 'attnDag', {
            ...head,
            predPtr: L.predPtr,
            pred: L.pred,
            cache: L.cache,
            rowOff: L.rowOff,
            seg: L.seg,
            cols: L.cols,
            accS: L.acc,
          });
          ex.attnDag(desc);
        } else {
          const desc = writeDesc(arena, 'attnRows', {
            ...head,
            lo: L.lo,
            flash: 0,
            stamp: 0,
            predPtr: 0,
            pred: 0,
            cache: L.cache,
            rowOff: L.rowOff,
            segS: L.seg,
            segP: L.segP,
            acc: L.acc,
            rb: L.rb,
          });
          ex.attnRows(desc);
        }
      }
      inputs.out.set(arena.f32(L.out32, len));
    },
  };
}
