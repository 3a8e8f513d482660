/** Phase 3, DAG builders: every builder timed per L on the bench session, its edges checked against baseline's. */
import { DAG_BUILDERS, DEFAULT_DAG_CONFIG, buildDag, type DagBuilderName } from '../../graph/index.js';
import { timeInterleaved, type TimingStat } from '../measure.js';
import { sessionColumns } from '../pipeline.js';
import type { PerLRow } from '../types.js';
import type { Bench } from './prepare.js';
import type { Tick } from './progress.js';
import { sameDag, speedups } from './rows.js';

const DAG_LABELS: Record<DagBuilderName, string> = {
  baseline: 'Baseline (pairwise scan)',
  topo: 'Topological generations',
  vectorized: 'Vectorized (two pointers)',
  sparse: 'Sparse CSR',
};

export interface DagTimings {
  rows: PerLRow[];
  /** Whether every builder produced baseline's CSR arrays at every L. */
  identical: boolean;
}

export function measureDagBuilders(bench: Bench, tick: Tick): DagTimings {
  const { L } = bench;
  let done = 0;
  const dTiming: Record<string, (TimingStat | null)[]> = Object.fromEntries(
    DAG_BUILDERS.map((b) => [b, L.map(() => null)]),
  );
  let identical = true;
  L.forEach((_, i) => {
    const cols = sessionColumns(bench.sessions[i]);
    const ref = buildDag(cols, DEFAULT_DAG_CONFIG, 'baseline');
    const runs = timeInterleaved(
      DAG_BUILDERS.map((b) => () => buildDag(cols, DEFAULT_DAG_CONFIG, b)),
      bench.timingAt(i),
    );
    DAG_BUILDERS.forEach((b, j) => {
      dTiming[b][i] = runs[j].stat;
      if (!sameDag(runs[j].result, ref)) identical = false;
      tick(++done);
    });
  });
  const rows: PerLRow[] = DAG_BUILDERS.map((b) => ({
    name: b,
    label: DAG_LABELS[b],
    timing: dTiming[b],
    ...speedups(dTiming[b], dTiming.baseline),
  }));
  return { rows, identical };
}
