/** Helpers shared by the per-L phases: speedups against a baseline row, the chart of a table, comparisons. */
import type { Dag } from '../../graph/index.js';
import type { TimingStat } from '../measure.js';
import type { Chart, PerLRow } from '../types.js';

/** Speedup of each point of `row` over the same point of `base` (median and min), null where either is missing. */
export function speedups(row: (TimingStat | null)[], base: (TimingStat | null)[]) {
  return {
    speedupMedian: row.map((t, i) => (t && base[i] ? (base[i] as TimingStat).medianMs / t.medianMs : null)),
    speedupMin: row.map((t, i) => (t && base[i] ? (base[i] as TimingStat).minMs / t.minMs : null)),
  };
}

/** The dashboard chart of a per-L table (log-scale time against L). */
export function chart(title: string, y: string, L: number[], rows: PerLRow[]): Chart {
  return {
    title,
    x: 'L (events)',
    y,
    logY: true,
    L,
    series: rows.map((r) => ({
      name: r.name,
      label: r.label,
      median: r.timing.map((t) => t?.medianMs ?? null),
      min: r.timing.map((t) => t?.minMs ?? null),
    })),
  };
}

/** max |a[i] − b[i]| (Infinity when a difference is NaN); throws when the lengths differ. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`parity: output lengths differ (${a.length} vs ${b.length})`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

/** Whether two DAGs have identical CSR arrays. */
export function sameDag(a: Dag, b: Dag): boolean {
  const eq = (x: ArrayLike<number>, y: ArrayLike<number>) =>
    x.length === y.length && Array.prototype.every.call(x, (v: number, i: number) => v === y[i]);
  return (
    a.n === b.n &&
    eq(a.src, b.src) &&
    eq(a.dst, b.dst) &&
    eq(a.rowPtr, b.rowPtr) &&
    eq(a.weight, b.weight) &&
    eq(a.dtMinutes, b.dtMinutes)
  );
}
