/**
 * Loads the embedded WebAssembly SIMD module (assembly/tgat/kernels.ts, compiled by
 * scripts/build-tgat-wasm.mjs) and hands out instances, each with a simple bump arena over its memory.
 *
 * The module is compiled once per process; an instance per user (the dense ops, and each wasm kernel)
 * keeps memory ownership simple. `setWasmEnabled(false)` (the app sets it from IRONFORGE_TGAT_WASM, see
 * src/tgat/wasm-env.ts) or a runtime without wasm SIMD makes `wasmAvailable()` false and every caller falls back
 * to the TypeScript path.
 *
 * The attention kernels take one argument, a pointer to their descriptor: a struct in wasm memory whose
 * fields are declared once in scripts/tgat-desc.mjs (layout generated into ./desc.generated.ts and
 * assembly/tgat/desc.generated.ts). `writeDesc` fills it from an object keyed by field name.
 */
import { TGAT_WASM_BASE64 } from './tgat-wasm.generated.js';
import { DESC_LAYOUT, DESC_LAYOUT_ID, DESC_MAX_BYTES } from './desc.generated.js';
import type { DescFields, DescKernel } from './desc.generated.js';

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

/** The attention kernels: each takes the byte offset of its descriptor (see `writeDesc`). */
type DescKernelExports = { [K in DescKernel]: (desc: number) => void };

export interface TgatWasmExports extends DescKernelExports {
  memory: WasmMemory;
  heapBase(): number;
  descLayoutId(): number;
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

let enabled = true;

/** Turn the wasm backend on or off for this process (default on); off makes `wasmAvailable()` false. */
export function setWasmEnabled(on: boolean): void {
  enabled = on;
}

/** True when the wasm backend is enabled (`setWasmEnabled`) and the SIMD module compiles here. */
export function wasmAvailable(): boolean {
  return enabled && compile() !== null;
}

/** Why the module is unavailable (null when it loaded). */
export function wasmLoadError(): string | null {
  compile();
  return loadError;
}

/** One instance of the module with a bump allocator over its memory. */
export class WasmArena {
  readonly ex: TgatWasmExports;
  /** The descriptor slot (DESC_MAX_BYTES below the arena base, so `reset` keeps it). */
  readonly desc: number;
  private readonly base: number;
  private top: number;

  constructor() {
    const mod = compile();
    if (!mod) throw new Error(`the TGAT WebAssembly module is unavailable: ${loadError ?? 'disabled'}`);
    this.ex = new WA.Instance(mod, {}).exports as unknown as TgatWasmExports;
    const id = this.ex.descLayoutId();
    if (id !== DESC_LAYOUT_ID)
      throw new Error(
        `the TGAT WebAssembly module was built for descriptor layout ${id.toString(16)}, not ${DESC_LAYOUT_ID.toString(16)}: run node scripts/build-tgat-wasm.mjs`,
      );
    this.top = align16(this.ex.heapBase());
    this.desc = this.alloc(DESC_MAX_BYTES);
    this.base = this.top;
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

/**
 * Write the descriptor of `kernel` into the arena's descriptor slot and return its byte offset, for
 * `arena.ex[kernel](ptr)`. Offsets and types come from the generated layout; the slot is reused, so write
 * the descriptor right before its call.
 */
export function writeDesc<K extends DescKernel>(arena: WasmArena, kernel: K, fields: DescFields[K]): number {
  const ptr = arena.desc;
  const view = new DataView(arena.ex.memory.buffer, ptr, DESC_MAX_BYTES);
  const values = fields as unknown as Record<string, number>;
  for (const [name, offset, type] of DESC_LAYOUT[kernel].fields) {
    const v = values[name];
    if (typeof v !== 'number') throw new Error(`${kernel} descriptor: field '${name}' is ${typeof v}`);
    if (type === 'f64') view.setFloat64(offset, v, true);
    else if (type === 'ptr') view.setUint32(offset, v, true);
    else view.setInt32(offset, v, true);
  }
  return ptr;
}

function align16(n: number): number {
  return (n + 15) & ~15;
}
