/**
 * TGAT encoder (SPEC stage 5): functional time encoding, masked multi-head temporal attention with
 * selectable kernels, seeded/saveable weights, and the last-layer attention read-out.
 *
 * Deviation from TGAT, stated: the time encoding Φ(Δt) = cos(ωΔt + φ) enters each attention score as the
 * additive bias γ[l,h]·β·Φ(Δt) (TGAT's time term for the Φ(0) part of its query); TGAT's query-dependent
 * term q·W·Φ(Δt) is not included (it would add 2d dimensions per head and rule out a shared bias cache).
 */
export { type TgatConfig, DEFAULT_TGAT_CONFIG, resolveConfig, headDim } from './config.js';
export {
  type TgatWeights,
  type TensorSpec,
  createWeights,
  tensor,
  tensorPlan,
  validateWeights,
} from './weights.js';
export {
  type EncodeSessionArgs,
  type EncodeSessionInput,
  type EncodeSessionResult,
  TgatEncoder,
  encodeSession,
  resolveKernelName,
  validateInput,
} from './session-encoder.js';
export type { AttentionTopM } from './topm.js';
export {
  type AttentionKernel,
  type AttentionInputs,
  type AttentionSession,
  type ConcreteKernelName,
  type KernelName,
  type KernelState,
  KERNEL_NAMES,
  CONCRETE_KERNEL_NAMES,
} from './kernels/types.js';
export {
  type BackendChoice,
  BACKENDS,
  getKernel,
  parseBackend,
  parseKernelName,
} from './kernels/registry.js';
export {
  type AutoTable,
  type AutoTableEntry,
  type MaskKind,
  AUTO_CANDIDATES,
  getAutoTable,
  resolveAuto,
  setAutoTable,
  validateAutoTable,
} from './kernels/auto.js';
export { HALF_PARITY_BOUND } from './kernels/half.js';
export {
  type KernelChoice,
  KERNEL_ENV_FLAGS,
  CONDITIONAL_FLASH_MAX_N,
  choiceFor,
  kernelFromEnv,
  parseFlag,
} from './env.js';
export { type AttentionMask, buildMask, allowedCount, allowedPairs } from './mask.js';
export { timeEncode, timeBiasAt } from './time-encoding.js';
export { setWasmEnabled, wasmAvailable } from './wasm/runtime.js';
export * from './config.js';
export * from './encoder.js';
export * from './env.js';
export * from './kernels/auto.js';
export * from './kernels/registry.js';
export * from './kernels/types.js';
export * from './mask.js';
export * from './session-encoder.js';
export * from './train/index.js';
export * from './wasm/runtime.js';
export * from './weights.js';
export * from './wasm-env.js';
