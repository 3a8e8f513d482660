/**
 * Kernel selection from the SPEC §10 environment flags (the canary reuses this parser).
 *
 *   IRONFORGE_ENABLE_FLASH_ATTENTION  true | false | 1 | 0 | conditional   (conditional: flash only for n < 512)
 *   IRONFORGE_ENABLE_BLOCK_SPARSE     true | false | 1 | 0
 *   IRONFORGE_ENABLE_TIME_BIAS_CACHE  true | false | 1 | 0
 *   IRONFORGE_ENABLE_AMP              true | false | 1 | 0                  (mixed precision → `half`)
 *   IRONFORGE_ENABLE_FP16             true | false | 1 | 0                  (→ `half`)
 *
 * Values are case-insensitive and trimmed; an empty value counts as unset; anything else is an Error naming
 * the variable and the value. When several flags are on, the most specific kernel wins:
 * half > time-bias-cache (which is block-sparse plus the cache) > block-sparse > flash > baseline.
 * No flag set → null (the caller keeps its default, e.g. `auto`); flags set but all off → `baseline`.
 */
import type { ConcreteKernelName, KernelName } from './kernels/types.js';

export const CONDITIONAL_FLASH_MAX_N = 511;

export const KERNEL_ENV_FLAGS = [
  'IRONFORGE_ENABLE_FLASH_ATTENTION',
  'IRONFORGE_ENABLE_BLOCK_SPARSE',
  'IRONFORGE_ENABLE_TIME_BIAS_CACHE',
  'IRONFORGE_ENABLE_AMP',
  'IRONFORGE_ENABLE_FP16',
] as const;

/** A kernel choice: a name, or flash below a size limit and a fallback above it. */
export interface KernelChoice {
  kernel: KernelName;
  /** When set, `kernel` applies only to sessions with n ≤ maxN; larger ones use `fallback`. */
  maxN?: number;
  fallback?: KernelName;
}

/** Parse a boolean flag value; throws naming the variable. `allowConditional` admits 'conditional'. */
export function parseFlag(
  name: string,
  raw: string | undefined,
  allowConditional = false,
): boolean | 'conditional' | null {
  if (raw === undefined) return null;
  const v = raw.trim().toLowerCase();
  if (v === '') return null;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  if (allowConditional && v === 'conditional') return 'conditional';
  const allowed = allowConditional ? 'true, false, 1, 0 or conditional' : 'true, false, 1 or 0';
  throw new Error(`${name}='${raw}' is not a valid value (expected ${allowed})`);
}

/** The kernel choice the environment asks for, or null when no kernel flag is set. */
export function kernelFromEnv(env: Record<string, string | undefined>): KernelChoice | null {
  const flash = parseFlag('IRONFORGE_ENABLE_FLASH_ATTENTION', env.IRONFORGE_ENABLE_FLASH_ATTENTION, true);
  const blockSparse = parseFlag('IRONFORGE_ENABLE_BLOCK_SPARSE', env.IRONFORGE_ENABLE_BLOCK_SPARSE);
  const cache = parseFlag('IRONFORGE_ENABLE_TIME_BIAS_CACHE', env.IRONFORGE_ENABLE_TIME_BIAS_CACHE);
  const amp = parseFlag('IRONFORGE_ENABLE_AMP', env.IRONFORGE_ENABLE_AMP);
  const fp16 = parseFlag('IRONFORGE_ENABLE_FP16', env.IRONFORGE_ENABLE_FP16);
  if ([flash, blockSparse, cache, amp, fp16].every((v) => v === null)) return null;
  if (amp === true || fp16 === true) return { kernel: 'half' };
  if (cache === true) return { kernel: 'time-bias-cache' };
  if (blockSparse === true) return { kernel: 'block-sparse' };
  if (flash === true) return { kernel: 'flash' };
  if (flash === 'conditional')
    return { kernel: 'flash', maxN: CONDITIONAL_FLASH_MAX_N, fallback: 'baseline' };
  return { kernel: 'baseline' };
}

/** Apply a choice's size condition; the result may still be 'auto'. */
export function choiceFor(choice: KernelChoice, n: number): KernelName {
  if (choice.maxN !== undefined && n > choice.maxN) return choice.fallback ?? 'baseline';
  return choice.kernel;
}

export type { ConcreteKernelName };
