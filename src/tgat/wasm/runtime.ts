/**
 * Loads the embedded WebAssembly SIMD module (assembly/tgat/kernels.ts, compiled by
 * scripts/build-tgat-wasm.mjs) and hands out instances, each with a simple bump arena over its memory.
 *
 * The module is compiled once per process; an instance per user (the dense ops, and each wasm kernel)
 * keeps memory ownership simple. `IRONFORGE_TGAT_WASM=0` (or a runtime without wasm SIMD) makes
 * `wasmAvailable()` false and every caller falls back to the TypeScript path.
 */
import { TGAT_WASM_BASE64 } from './tgat-wasm.generated.js';

// Minimal typings: this project's lib settings (ES2023, no DOM) do not declare the WebAssembly namespace.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmModule {
  readonly __wasmModule?: never;
}
interface WasmNamespace {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly: WasmNamespace }).WebAssembly;

export interface TgatWasmExports {
  memory: WasmMemory;
  heapBase(): number;
  convertQKV(
    n: number,
    heads: number,
    dh: number,
    ld: number,
    q32: number,
    k32: number,
    v32: number,
    q64: number,
    kt: number,
    vt: number,
  ): void;
  attnRows(
    n: number,
    dh: number,
    ld: number,
    q: number,
    kt: number,
    vt: number,
    lo: number,
    self: number,
    flash: number,
    stamp: number,
    predPtr: number,
    pred: number,
    d2: number,
    gamma: number,
    rowTab: number,
    colT: number,
    cache: number,
    rowOff: number,
    out: number,
    width: number,
    segS: number,
    segP: number,
    acc: number,
    rb: number,
  ): void;
  attnDag(
    n: number,
    dh: number,
    ld: number,
    q: number,
    kt: number,
    vt: number,
    predPtr: number,
    pred: number,
    self: number,
    d2: number,
    gamma: number,
    rowTab: number,
    colT: number,
    cache: number,
    rowOff: number,
    out: number,
    width: number,
    seg: number,
    cols: number,
    acc: number,
  ): void;
  attnBaseline(
    n: number,
    dh: number,
    ld: number,
    q: number,
    kt: number,
    vt: number,
    lo: number,
    predPtr: number,
    pred: number,
    self: number,
    stamp: number,
    d2: number,
    gamma: number,
    rowTab: number,
    colT: number,
    out: number,
    width: number,
    S: number,
    rb: number,
    acc: number,
    segS: number,
  ): void;
  buildBiasCache(
    n: number,
    ld: number,
    lo: number,
    predPtr: number,
    pred: number,
    self: number,
    d2: number,
    rowTab: number,
    colT: number,
    rowOff: number,
    cache: number,
    rb: number,
  ): void;
  linear(x: number, n: number, inDim: number, W: number, b: number, outDim: number, out: number): void;
  residualLayerNorm(
    y: number,
    res: number,
    n: number,
    dim: number,
    g: number,
    sh: number,
    eps: number,
    out: number,
  ): void;
  reluF64(x: number, len: number): void;
  scatterHeads(x: number, n: number, dim: number, heads: number, scale: number, out32: number): void;
  f32ToF64(src: number, dst: number, len: number): void;
  peakF64(buf: number, len: number, reps: number): number;
  peakF32(buf: number, len: number, reps: number): number;
}

let compiled: WasmModule | null | undefined;
let loadError: string | null = null;

function compile(): WasmModule | null {
  if (compiled !== undefined) return compiled;
  try {
    compiled = new WA.Module(Buffer.from(TGAT_WASM_BASE64, 'base64'));
  } catch (e) {
    loadError = (e as Error).message;
    compiled = null;
  }
  return compiled;
}

/** True when the SIMD module compiles here and IRONFORGE_TGAT_WASM is not 0/false. */
export function wasmAvailable(): boolean {
  const flag = process.env.IRONFORGE_TGAT_WASM;
  if (flag !== undefined && flag !== '') {
    const v = flag.trim().toLowerCase();
    if (v === '0' || v === 'false') return false;
    if (v !== '1' && v !== 'true')
      throw new Error(`IRONFORGE_TGAT_WASM must be true/false/1/0, got '${flag}'`);
  }
  return compile() !== null;
}

/** Why the module is unavailable (null when it loaded). */
export function wasmLoadError(): string | null {
  compile();
  return loadError;
}

/** One instance of the module with a bump allocator over its memory. */
export class WasmArena {
  readonly ex: TgatWasmExports;
  private readonly base: number;
  private top: number;

  constructor() {
    const mod = compile();
    if (!mod) throw new Error(`the TGAT WebAssembly module is unavailable: ${loadError ?? 'disabled'}`);
    this.ex = new WA.Instance(mod, {}).exports as unknown as TgatWasmExports;
    this.base = align16(this.ex.heapBase());
    this.top = this.base;
  }

  /** Forget every allocation (views and pointers from before become invalid). */
  reset(): void {
    this.top = this.base;
  }

  /** Current top, to `release` back to later (allocations made before the mark stay valid). */
  mark(): number {
    return this.top;
  }

  release(mark: number): void {
    this.top = mark;
  }

  /** Reserve `bytes` (16-byte aligned), growing memory when needed; returns the byte offset. */
  alloc(bytes: number): number {
    const p = align16(this.top);
    this.top = p + Math.max(0, bytes);
    const need = this.top + 16;
    const mem = this.ex.memory;
    if (need > mem.buffer.byteLength) mem.grow(Math.ceil((need - mem.buffer.byteLength) / 65536));
    return p;
  }

  /** Bytes in use above the heap base. */
  used(): number {
    return this.top - this.base;
  }

  f32(ptr: number, len: number): Float32Array {
    return new Float32Array(this.ex.memory.buffer, ptr, len);
  }

  f64(ptr: number, len: number): Float64Array {
    return new Float64Array(this.ex.memory.buffer, ptr, len);
  }

  i32(ptr: number, len: number): Int32Array {
    return new Int32Array(this.ex.memory.buffer, ptr, len);
  }
}

function align16(n: number): number {
  return (n + 15) & ~15;
}
