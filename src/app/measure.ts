/**
 * Timing, FLOP counting and machine calibration shared by bench/attention.ts and `ironforge tune`.
 * Nothing here is asserted in tests; it only measures.
 */
import os from 'node:os';
import type { TgatConfig } from '../tgat/index.js';
import type { AttentionMask } from '../tgat/index.js';
import { allowedPairs } from '../tgat/index.js';
import type { KernelName } from '../tgat/index.js';
import type { TgatEncoder, EncodeSessionInput } from '../tgat/index.js';
import { WasmArena, wasmAvailable } from '../tgat/index.js';

export interface Timing {
  minMs: number;
  medianMs: number;
  samples: number[];
}

/** min / median of `trials` timed calls after `warmup` untimed ones. */
export function timeIt(fn: () => void, trials: number, warmup: number): Timing {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < trials; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const sorted = samples.slice().sort((a, b) => a - b);
  return { minMs: sorted[0], medianMs: sorted[sorted.length >> 1], samples };
}

/**
 * Time several candidates round-robin (trial r of every candidate, then trial r + 1 …), so that load changes
 * on a shared machine hit every candidate alike; `trialsFor` caps the trials of slow candidates.
 */
export function timeInterleaved(
  fns: Record<string, () => void>,
  trials: number,
  warmup: number,
  trialsFor: Record<string, number> = {},
): Record<string, Timing> {
  const names = Object.keys(fns);
  for (const name of names) for (let i = 0; i < Math.min(warmup, trialsFor[name] ?? warmup); i++) fns[name]();
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < trials; r++) {
    for (const name of names) {
      if (r >= (trialsFor[name] ?? trials)) continue;
      const t0 = process.hrtime.bigint();
      fns[name]();
      samples[name].push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  const out: Record<string, Timing> = {};
  for (const name of names) {
    const sorted = samples[name].slice().sort((a, b) => a - b);
    out[name] = { minMs: sorted[0], medianMs: sorted[sorted.length >> 1], samples: samples[name] };
  }
  return out;
}

/** Time a full encoder forward (session setup, kernel prepare, all layers; no top-m read-out). */
export function timeForward(
  encoder: TgatEncoder,
  input: EncodeSessionInput,
  kernel: KernelName,
  trials: number,
  warmup: number,
): Timing {
  const out = new Float32Array(input.n * encoder.config.hidden);
  return timeIt(() => encoder.encode(input, kernel, { out, topM: false }), trials, warmup);
}

/**
 * FLOPs of one forward pass as the model's math defines them, whatever the kernel does: multiply and add
 * count 1 each, exp counts 1. Dense: 2·n·(inDim·H + layers·(4H² + 2H·F)) + LayerNorm ≈ 2·layers·n·8H.
 * Attention per layer and head, per allowed pair: 2·dh (q·k) + 2 (time bias γ·b, cached form) + 1 (exp)
 * + 2·dh (weighted sum of v). `baseline` actually also evaluates the n² − pairs masked entries; not counted.
 */
export function forwardFlops(c: TgatConfig, n: number, mask: AttentionMask): number {
  const H = c.hidden;
  const dense = 2 * n * (c.inDim * H + c.layers * (4 * H * H + 2 * H * c.ffnDim)) + c.layers * 2 * n * 8 * H;
  const dh = H / c.heads;
  const perPair = 4 * dh + (c.timeBias ? 2 : 0) + 1;
  return dense + c.layers * c.heads * allowedPairs(mask) * perPair;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  node: string;
  platform: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

export interface SimdPeak {
  /** Best measured multiply-add rate of wasm SIMD on L1-resident data, GFLOP/s (1 mul + 1 add = 2 flops). */
  f64Gflops: number;
  f32Gflops: number;
  method: string;
}

/** Measure the runtime's SIMD peak (null when the wasm module is unavailable). */
export function measureSimdPeak(trials = 15): SimdPeak | null {
  if (!wasmAvailable()) return null;
  const arena = new WasmArena();
  const len = 2048; // 16 KB of f64: L1-resident
  const buf = arena.alloc(8 * len);
  arena.f64(buf, len).fill(0.5);
  const reps = 2000;
  const t64 = timeIt(() => arena.ex.peakF64(buf, len, reps), trials, 3);
  const t32 = timeIt(() => arena.ex.peakF32(buf, len * 2, reps), trials, 3);
  return {
    f64Gflops: (2 * len * reps) / (t64.minMs * 1e6),
    f32Gflops: (2 * 2 * len * reps) / (t32.minMs * 1e6),
    method: 'wasm SIMD mul+add over L1-resident data, 8 independent accumulators, best of ' + trials,
  };
}
