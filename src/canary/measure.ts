/**
 * The canary's measuring harness: wall-clock timing with warm-up and repeated trials (min and median), memory
 * snapshots, and what machine it ran on.
 *
 * Timing uses `performance.now()` (monotonic, sub-millisecond). Every call of the measured function is timed
 * on its own; warm-up calls run first and are discarded (they pay for JIT compilation and first-touch
 * allocation).
 *
 * Memory, two measures (both stated in the report):
 * - process peak RSS: `process.resourceUsage().maxRSS`, the kernel's high-water mark of the whole process's
 *   resident set (ru_maxrss), which is what the memory gate compares with the machine's RAM;
 * - live bytes at stage boundaries: `heapUsed + arrayBuffers` from `process.memoryUsage()` sampled after a
 *   forced GC and after each stage while the stage outputs are kept alive; the peak minus the starting value
 *   is the memory the work holds. It does not see transient scratch freed inside a stage, so it is a lower
 *   bound of the stage's true peak.
 */
import os from 'node:os';
import v8 from 'node:v8';
import { median as statsMedian } from '../stats/index.js';
import vm from 'node:vm';

export interface TimingStat {
  minMs: number;
  medianMs: number;
  meanMs: number;
  /** Timed calls (warm-up excluded). */
  trials: number;
  warmup: number;
}

/** Median of a non-empty list (mean of the middle two for even length). */
export function median(xs: readonly number[]): number {
  const m = statsMedian(xs);
  if (m === null) throw new Error('median: empty list');
  return m;
}

/** Summary of raw per-call times. */
export function summarize(samplesMs: readonly number[], warmup: number): TimingStat {
  if (samplesMs.length === 0) throw new Error('summarize: no timed calls');
  return {
    minMs: Math.min(...samplesMs),
    medianMs: median(samplesMs),
    meanMs: samplesMs.reduce((a, b) => a + b, 0) / samplesMs.length,
    trials: samplesMs.length,
    warmup,
  };
}

export interface TimingOptions {
  warmup: number;
  trials: number;
}

function checkOptions(o: TimingOptions): void {
  if (!Number.isInteger(o.warmup) || o.warmup < 0)
    throw new Error(`timing: warmup must be an integer ≥ 0, got ${o.warmup}`);
  if (!Number.isInteger(o.trials) || o.trials < 1)
    throw new Error(`timing: trials must be an integer ≥ 1, got ${o.trials}`);
}

/**
 * Times `fn`: `warmup` discarded calls, then `trials` timed calls. The last result is returned so the work
 * cannot be optimized away and the caller can check it.
 */
export function timeIt<T>(
  fn: () => T,
  opts: TimingOptions,
): { stat: TimingStat; samplesMs: number[]; result: T } {
  checkOptions(opts);
  let result!: T;
  for (let i = 0; i < opts.warmup; i++) result = fn();
  const samplesMs: number[] = [];
  for (let i = 0; i < opts.trials; i++) {
    const t0 = performance.now();
    result = fn();
    samplesMs.push(performance.now() - t0);
  }
  return { stat: summarize(samplesMs, opts.warmup), samplesMs, result };
}

let gcFn: (() => void) | null | undefined;

/**
 * A function that forces a full garbage collection, or null when the runtime refuses. Uses `--expose-gc`
 * set at run time (V8 then defines `gc` in new contexts).
 */
export function getGc(): (() => void) | null {
  if (gcFn !== undefined) return gcFn;
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return (gcFn = g);
  try {
    v8.setFlagsFromString('--expose-gc');
    const fromContext = vm.runInNewContext('gc') as unknown;
    gcFn = typeof fromContext === 'function' ? (fromContext as () => void) : null;
  } catch {
    gcFn = null;
  }
  return gcFn;
}

/** heapUsed + arrayBuffers now (bytes). */
export function liveBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/**
 * Tracks the peak of `liveBytes()` over explicit `sample()` calls, relative to the value at `start()` (taken
 * after a forced GC when one is available).
 */
export class LiveMemoryProbe {
  private base = 0;
  private peak = 0;
  readonly gcForced: boolean;

  constructor() {
    this.gcForced = getGc() !== null;
  }

  start(): void {
    getGc()?.();
    this.base = liveBytes();
    this.peak = 0;
  }

  sample(): void {
    const d = liveBytes() - this.base;
    if (d > this.peak) this.peak = d;
  }

  /** Peak growth over the samples so far, bytes (≥ 0). */
  peakBytes(): number {
    return this.peak;
  }
}

/** The process's peak resident set so far (ru_maxrss), bytes. */
export function processPeakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

export interface MachineInfo {
  hostname: string;
  platform: string;
  arch: string;
  cpuModel: string;
  logicalCpus: number;
  /** CPUs this process may use (os.availableParallelism). */
  availableParallelism: number;
  totalMemBytes: number;
  /** RAM this process may use: the cgroup limit (process.constrainedMemory) when below totalmem, else totalmem. */
  ramLimitBytes: number;
  node: string;
  v8: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    platform: `${os.platform()} ${os.release()}`,
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    logicalCpus: cpus.length,
    availableParallelism:
      typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    totalMemBytes: os.totalmem(),
    ramLimitBytes: ramLimitBytes(),
    node: process.versions.node,
    v8: process.versions.v8,
  };
}

/** RAM available to this process: min(totalmem, cgroup limit) — a limit of 0 or above totalmem means none. */
export function ramLimitBytes(): number {
  const total = os.totalmem();
  const constrained =
    (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.() ?? 0;
  return constrained > 0 && constrained < total ? constrained : total;
}

/** Async twin of {@link timeIt} (for file I/O). */
export async function timeItAsync<T>(
  fn: () => Promise<T>,
  opts: TimingOptions,
): Promise<{ stat: TimingStat; samplesMs: number[]; result: T }> {
  checkOptions(opts);
  let result!: T;
  for (let i = 0; i < opts.warmup; i++) result = await fn();
  const samplesMs: number[] = [];
  for (let i = 0; i < opts.trials; i++) {
    const t0 = performance.now();
    result = await fn();
    samplesMs.push(performance.now() - t0);
  }
  return { stat: summarize(samplesMs, opts.warmup), samplesMs, result };
}

/**
 * Times several functions with their trials interleaved (trial 1 of each, then trial 2 of each, …), after
 * `warmup` discarded rounds. On a shared machine a burst of outside load then hits every configuration
 * alike instead of all the trials of one. Returns one summary (and last result) per function, in order.
 */
export function timeInterleaved<T>(
  fns: readonly (() => T)[],
  opts: TimingOptions,
): { stat: TimingStat; samplesMs: number[]; result: T }[] {
  checkOptions(opts);
  const results: T[] = new Array(fns.length);
  for (let w = 0; w < opts.warmup; w++) for (let f = 0; f < fns.length; f++) results[f] = fns[f]();
  const samples: number[][] = fns.map(() => []);
  for (let t = 0; t < opts.trials; t++) {
    for (let f = 0; f < fns.length; f++) {
      const t0 = performance.now();
      results[f] = fns[f]();
      samples[f].push(performance.now() - t0);
    }
  }
  return fns.map((_, f) => ({
    stat: summarize(samples[f], opts.warmup),
    samplesMs: samples[f],
    result: results[f],
  }));
}
