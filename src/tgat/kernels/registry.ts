/**
 * Kernel lookup by name and backend. Every kernel has a TypeScript implementation; `baseline`, `flash`,
 * `block-sparse` and `time-bias-cache` also have a WebAssembly SIMD one, used by default when the module
 * loads (backend 'auto'). `reference` (the float64 oracle) and `half` are TypeScript only.
 */
import { type AttentionKernel, type ConcreteKernelName, type KernelName, KERNEL_NAMES } from './types.js';
import { referenceKernel } from './reference.js';
import { baselineKernel } from './baseline.js';
import { flashKernel } from './flash.js';
import { blockSparseKernel } from './block-sparse.js';
import { timeBiasCacheKernel } from './time-bias-cache.js';
import { halfKernel } from './half.js';
import { makeWasmKernel } from './wasm-kernels.js';
import { wasmAvailable } from '../wasm/runtime.js';

export type BackendChoice = 'auto' | 'ts' | 'wasm';
export const BACKENDS: readonly BackendChoice[] = ['auto', 'ts', 'wasm'];

const TS_KERNELS: Record<ConcreteKernelName, AttentionKernel> = {
  reference: referenceKernel,
  baseline: baselineKernel,
  flash: flashKernel,
  'block-sparse': blockSparseKernel,
  'time-bias-cache': timeBiasCacheKernel,
  half: halfKernel,
};

const WASM_NAMES = ['baseline', 'flash', 'block-sparse', 'time-bias-cache'] as const;
type WasmName = (typeof WASM_NAMES)[number];
const wasmKernels = new Map<WasmName, AttentionKernel>();

/** Kernels with a WebAssembly variant. */
export function hasWasmVariant(name: ConcreteKernelName): name is WasmName {
  return (WASM_NAMES as readonly string[]).includes(name);
}

/** Validate a kernel name from a flag or config; throws naming the value and the accepted names. */
export function parseKernelName(value: unknown, source = 'kernel'): KernelName {
  if (typeof value === 'string' && (KERNEL_NAMES as readonly string[]).includes(value))
    return value as KernelName;
  throw new Error(`unknown ${source} '${String(value)}' (expected one of: ${KERNEL_NAMES.join(', ')})`);
}

export function parseBackend(value: unknown, source = 'backend'): BackendChoice {
  if (typeof value === 'string' && (BACKENDS as readonly string[]).includes(value))
    return value as BackendChoice;
  throw new Error(`unknown ${source} '${String(value)}' (expected one of: ${BACKENDS.join(', ')})`);
}

/**
 * The kernel object for a concrete name. 'ts' always gives the TypeScript kernel. 'auto' uses the wasm
 * variant where one exists and the module loads. 'wasm' requires the module (Error if it cannot load) and
 * uses it for every kernel that has a variant; `reference` and `half` exist only in TypeScript and run there
 * under any backend (the result's `backend` field says what ran).
 */
export function getKernel(name: ConcreteKernelName, backend: BackendChoice = 'auto'): AttentionKernel {
  if (!(name in TS_KERNELS)) parseKernelName(name);
  if (backend === 'ts' || !hasWasmVariant(name)) return TS_KERNELS[name];
  if (!wasmAvailable()) {
    if (backend === 'auto') return TS_KERNELS[name];
    throw new Error(`the WebAssembly backend is unavailable here (use backend 'ts')`);
  }
  let k = wasmKernels.get(name);
  if (!k) {
    k = makeWasmKernel(name);
    wasmKernels.set(name, k);
  }
  return k;
}
