/**
 * `auto`: picks, for a session of n nodes and a mask kind, the kernel that was fastest at the nearest
 * measured size on this kind of machine. The table is data, produced by `measureAutoTable()` (the
 * `ironforge tune` command); the checked-in default (auto-table.default.ts) was produced by that command and
 * records when and where. Only kernels whose measured parity met the bound and that were at least as fast
 * as `baseline` at that size are eligible, so `auto` is never slower than `baseline` by construction
 * (within the noise of the measurement); `half` and `reference` are never eligible.
 */
import type { ConcreteKernelName } from './types.js';
import { DEFAULT_AUTO_TABLE } from './auto-table.default.js';

export type MaskKind = 'causal' | 'dag';

export interface AutoTableEntry {
  mask: MaskKind;
  n: number;
  /** The chosen kernel at this size (lowest min time among eligible kernels). */
  best: ConcreteKernelName;
  /** Median and min ms of a full encoder forward per kernel measured. */
  medianMs: Partial<Record<ConcreteKernelName, number>>;
  minMs: Partial<Record<ConcreteKernelName, number>>;
  /** Max-abs difference of the embeddings vs `reference` (only measured where cheap enough, else absent). */
  parity?: Partial<Record<ConcreteKernelName, number>>;
}

export interface AutoTable {
  format: 'ironforge-tgat-auto-table';
  version: 1;
  measuredAt: string;
  machine: { cpu: string; cores: number; node: string; platform: string };
  backend: 'ts' | 'wasm';
  trials: number;
  note: string;
  entries: AutoTableEntry[];
}

/** Kernels `auto` may choose: they meet the 5e-7 parity bound. */
export const AUTO_CANDIDATES: readonly ConcreteKernelName[] = [
  'baseline',
  'flash',
  'block-sparse',
  'time-bias-cache',
];

let activeTable: AutoTable = DEFAULT_AUTO_TABLE;

/** Replace the table `auto` uses (e.g. one written by `ironforge tune`); validates it. */
export function setAutoTable(table: AutoTable): void {
  validateAutoTable(table);
  activeTable = table;
}

export function getAutoTable(): AutoTable {
  return activeTable;
}

export function validateAutoTable(t: AutoTable): void {
  if (!t || t.format !== 'ironforge-tgat-auto-table' || t.version !== 1) {
    throw new Error(`auto table: format must be 'ironforge-tgat-auto-table' version 1`);
  }
  if (!Array.isArray(t.entries) || t.entries.length === 0)
    throw new Error('auto table: entries must be a non-empty list');
  for (const e of t.entries) {
    if (e.mask !== 'causal' && e.mask !== 'dag')
      throw new Error(`auto table: entry mask '${String(e.mask)}' is not causal|dag`);
    if (!Number.isInteger(e.n) || e.n < 1)
      throw new Error(`auto table: entry n '${String(e.n)}' is not a positive integer`);
    if (!AUTO_CANDIDATES.includes(e.best)) {
      throw new Error(
        `auto table: entry (${e.mask}, n=${e.n}) picks '${String(e.best)}', not one of ${AUTO_CANDIDATES.join(', ')}`,
      );
    }
  }
}

/** The kernel `auto` runs for n nodes: the entry of the same mask kind nearest to n on a log scale. */
export function resolveAuto(n: number, mask: MaskKind, table: AutoTable = activeTable): ConcreteKernelName {
  let best: AutoTableEntry | null = null;
  let bestDist = Infinity;
  for (const e of table.entries) {
    if (e.mask !== mask) continue;
    const dist = Math.abs(Math.log(Math.max(n, 1)) - Math.log(e.n));
    if (dist < bestDist || (dist === bestDist && best !== null && e.n < best.n)) {
      best = e;
      bestDist = dist;
    }
  }
  return best ? best.best : 'baseline';
}
