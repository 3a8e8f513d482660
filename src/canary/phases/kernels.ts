/**
 * Phase 2, attention kernels: every TGAT kernel timed per L on the L-event bench session (trials interleaved),
 * its parity against the float64 `reference` kernel, its declared workspace, and what `auto` resolved to.
 */
import { nodeFeatures } from '../../features/index.js';
import { buildDag } from '../../graph/index.js';
import { enabledKernel, type CanaryFlags } from '../flags.js';
import { timeInterleaved, type TimingStat } from '../measure.js';
import { sessionColumns } from '../pipeline.js';
import type { KernelRow } from '../types.js';
import type { Bench } from './prepare.js';
import type { Tick } from './progress.js';
import { maxAbsDiff, speedups } from './rows.js';

const KERNEL_LABEL: Record<string, string> = {
  reference: 'Reference (float64)',
  baseline: 'Baseline',
  flash: 'Flash Attention',
  'block-sparse': 'Block Sparse',
  'time-bias-cache': 'Time Bias Cache',
  half: 'AMP (half)',
  auto: 'Auto',
};

export interface KernelTimings {
  rows: KernelRow[];
  /** Max-abs difference from `reference` per kernel and L. */
  parity: Record<string, (number | null)[]>;
}

export function measureKernels(bench: Bench, tick: Tick): KernelTimings {
  const { L, tgat, kernelNames } = bench;
  const kTiming: Record<string, (TimingStat | null)[]> = {};
  const kParity: Record<string, (number | null)[]> = {};
  const kWorkspace: Record<string, (number | null)[]> = {};
  const kResolved: Record<string, (string | null)[]> = {};
  for (const k of kernelNames) {
    kTiming[k] = L.map(() => null);
    kParity[k] = L.map(() => null);
    kWorkspace[k] = L.map(() => null);
    kResolved[k] = L.map(() => null);
  }
  let done = 0;
  L.forEach((_, i) => {
    const s = bench.sessions[i];
    const feats = nodeFeatures(s);
    const cols = sessionColumns(s);
    const dag = buildDag(cols);
    const ref = tgat.encode('reference', feats.data, feats.n, feats.d, cols.t, dag);
    const runs = timeInterleaved(
      kernelNames.map((k) => () => tgat.encode(k, feats.data, feats.n, feats.d, cols.t, dag)),
      bench.timingAt(i),
    );
    kernelNames.forEach((k, j) => {
      kTiming[k][i] = runs[j].stat;
      kParity[k][i] = maxAbsDiff(runs[j].result.embeddings, ref.embeddings);
      kWorkspace[k][i] = tgat.workspaceBytes(k, feats.n, cols.t, dag);
      kResolved[k][i] = runs[j].result.kernel;
      tick(++done);
    });
  });
  const rows: KernelRow[] = kernelNames.map((k) => ({
    name: k,
    label: KERNEL_LABEL[k] ?? k,
    timing: kTiming[k],
    ...speedups(kTiming[k], kTiming.baseline ?? kTiming[k]),
    parity: kParity[k],
    workspaceBytes: kWorkspace[k],
    ...(k === 'auto' ? { resolvedTo: kResolved[k] } : {}),
  }));
  return { rows, parity: kParity };
}

/**
 * The kernels the parity and motif gates cover: baseline plus every kernel the enabled configuration (the TGAT
 * stage's own choice from the flags for n events) can pick at or just below a benchmark length.
 */
export function gatedKernels(
  flags: CanaryFlags,
  L: readonly number[],
  kernelNames: readonly string[],
): string[] {
  const kernelFor = (n: number): string => enabledKernel(flags, n);
  return [...new Set(['baseline', ...L.flatMap((l) => [kernelFor(l - 1), kernelFor(l)])])].filter((k) =>
    kernelNames.includes(k),
  );
}
