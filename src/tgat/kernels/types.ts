/**
 * The one interface every attention kernel implements.
 *
 * A kernel computes, for one encoder layer and every head h and query row j,
 *
 *   s_ji = q_hj · k_hi  +  γ_h · b(t_j − t_i)          for the columns i the mask allows (see mask.ts)
 *   a_ji = softmax_i(s_ji)
 *   out[j, h·dh : (h+1)·dh] = Σ_i a_ji · v_hi
 *
 * where q is already scaled by 1/√dh and b(Δt) = Σ_m β_m cos(ω_m Δt + φ_m) is the functional time bias
 * (time-encoding.ts). A row whose mask is empty gets out = 0 (finite, never NaN), which is what `reference`
 * defines. Kernels differ only in how they evaluate this: precision, loop order, what they skip, what they
 * cache; they never change the math.
 *
 * Life cycle: `prepare(session)` once per session (allocate the workspace, build caches such as the time-bias
 * table, which is why a cache can be reused across heads and layers), then `run(state, inputs)` once per layer.
 * `workspaceBytes` declares the memory `prepare` allocates, so a test can check that `flash` and
 * `block-sparse` grow linearly in n (no n×n buffer) while `baseline` and `time-bias-cache` do not.
 *
 * Precision (why the float32 kernels accumulate in float64). The parity bound is 5e-7 max-abs on the encoder
 * output against the all-float64 `reference`. Measured at L = 256…1024 on standardized inputs (seed 42):
 *   - float32 storage of Q/K/V and the attention output, float64 everywhere else: 1.5–2.2e-7 (the floor);
 *   - storing the residual stream in float32 as well: 3.8e-7, so it stays float64 in every pipeline;
 *   - float32 score accumulation (q·k): up to 4.9e-7 on its own, so scores accumulate in float64;
 *   - float32 softmax sums / weighted sums accumulated sequentially over the row: 9e-7–1.3e-6;
 *   - float32 weights exp(s − m) and float32 products summed in four lanes over ≤ 64 columns, then added in
 *     float64 (what the wasm kernels do): 2.8e-7 worst; the time bias in float32 arithmetic: no change.
 * `half` stores K/V in binary16 and cannot meet 5e-7 (≈1e-3); its bound is HALF_PARITY_BOUND.
 */
import type { AttentionMask } from '../mask.js';
import type { TimeTables } from '../time-encoding.js';

export type FloatArray = Float32Array | Float64Array;

/** The concrete kernels, in the order tables and reports list them. */
export const CONCRETE_KERNEL_NAMES = [
  'reference',
  'baseline',
  'flash',
  'block-sparse',
  'time-bias-cache',
  'half',
] as const;

/** Kernel names accepted by `--kernel` and the env flags: the concrete ones and `auto`. */
export const KERNEL_NAMES = [...CONCRETE_KERNEL_NAMES, 'auto'] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];
/** Every kernel but `auto` (which resolves to one of these by n). */
export type ConcreteKernelName = Exclude<KernelName, 'auto'>;

/** What is fixed for a whole session and shared by all layers and heads. */
export interface AttentionSession {
  n: number;
  heads: number;
  headDim: number;
  mask: AttentionMask;
  /** Factor tables of the time bias (float32 storage), or null when the time bias is off. */
  time: TimeTables | null;
  /** Times relative to the first event, in time units (float64). */
  tRel: Float64Array;
  /** Time-encoding parameters (for kernels that evaluate cos(ωΔt + φ) directly, i.e. `reference`). */
  omega: Float64Array;
  phi: Float64Array;
  beta: Float64Array;
}

/** One layer's inputs and output. All arrays are float64 for a float64 kernel, float32 otherwise. */
export interface AttentionInputs {
  /** Queries [heads][n][dh], pre-scaled by 1/√dh. */
  q: FloatArray;
  /** Keys [heads][n][dh]. */
  k: FloatArray;
  /** Values [heads][n][dh]. */
  v: FloatArray;
  /** Time-bias scale per head, γ[l, h]. */
  gamma: Float64Array;
  /** Output [n][heads·dh] (row-major, heads side by side), fully overwritten. */
  out: FloatArray;
}

export interface AttentionKernel {
  readonly name: ConcreteKernelName;
  /** One line for --help and the bench table. */
  readonly description: string;
  /** Storage precision of activations this kernel expects. */
  readonly precision: 'float64' | 'float32';
  /** Compute backend actually used. */
  readonly backend: 'ts' | 'wasm';
  /** Bytes `prepare` allocates for a session of this shape (the kernel's declared workspace). */
  workspaceBytes(session: AttentionSession): number;
  prepare(session: AttentionSession): KernelState;
  run(state: KernelState, inputs: AttentionInputs): void;
}

/** Opaque per-session state of a kernel. */
export interface KernelState {
  readonly session: AttentionSession;
}
