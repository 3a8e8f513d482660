/**
 * Rule-based readiness of each optimization, derived only from the run's measurements (no judgement calls
 * typed in by hand). The rules, also printed in the report:
 * - a component is faster at L when both its median and its min time beat the baseline configuration's;
 * - confidence = share of the measured L values where it is faster;
 * - ready: faster at every L (and, for a kernel, parity within the gate); conditional: faster at some L;
 *   not ready: faster at none, or a kernel whose parity exceeds the gate.
 */
import type { KernelRow, ParquetRow, PerLRow } from './types.js';

export type Readiness = 'ready' | 'conditional' | 'not-ready';

export interface ComponentAssessment {
  component: string;
  /** The configuration row it was read from (kernel / builder / Parquet config name). */
  row: string;
  area: 'attention' | 'dag' | 'parquet';
  /** L values where it beat the baseline (median and min). */
  fasterAt: number[];
  /** Median speedups per L (null where not measured). */
  speedups: (number | null)[];
  confidence: number;
  readiness: Readiness;
  /** Why it is conditional / not ready ('' when ready). */
  issue: string;
  recommendation: string;
  /** The env setting the recommendation corresponds to, or null when no flag controls it. */
  setting: string | null;
}

const COMPONENTS: {
  component: string;
  row: string;
  area: ComponentAssessment['area'];
  flag: string | null;
}[] = [
  {
    component: 'Block Sparse Attention',
    row: 'block-sparse',
    area: 'attention',
    flag: 'IRONFORGE_ENABLE_BLOCK_SPARSE',
  },
  {
    component: 'Time Bias Caching',
    row: 'time-bias-cache',
    area: 'attention',
    flag: 'IRONFORGE_ENABLE_TIME_BIAS_CACHE',
  },
  { component: 'Flash Attention', row: 'flash', area: 'attention', flag: 'IRONFORGE_ENABLE_FLASH_ATTENTION' },
  { component: 'AMP Precision (half kernel)', row: 'half', area: 'attention', flag: 'IRONFORGE_ENABLE_AMP' },
  {
    component: 'Topological Generations',
    row: 'topo',
    area: 'dag',
    flag: 'IRONFORGE_ENABLE_TOPO_GENERATIONS',
  },
  { component: 'Vectorized Edge Ops', row: 'vectorized', area: 'dag', flag: 'IRONFORGE_DAG_BUILDER' },
  { component: 'Sparse Adjacency', row: 'sparse', area: 'dag', flag: 'IRONFORGE_DAG_BUILDER' },
  { component: 'ZSTD Compression', row: 'zstd', area: 'parquet', flag: 'IRONFORGE_ENABLE_ZSTD_COMPRESSION' },
  { component: 'Row Group Tuning', row: 'zstd-rowgroups', area: 'parquet', flag: null },
];

function fasterAt(row: PerLRow, baseline: PerLRow, L: readonly number[]): number[] {
  const out: number[] = [];
  L.forEach((l, i) => {
    const a = row.timing[i];
    const b = baseline.timing[i];
    if (a && b && a.medianMs < b.medianMs && a.minMs < b.minMs) out.push(l);
  });
  return out;
}

/**
 * The env line that matches the assessment: ready → on; conditional → on, with the L values where it wins in
 * a comment (flash: `conditional` when it wins exactly below L=512); not ready → off. Null when no flag
 * controls the component.
 */
function settingFor(
  c: (typeof COMPONENTS)[number],
  readiness: Readiness,
  faster: number[],
  L: readonly number[],
): string | null {
  if (!c.flag) return null;
  const where = readiness === 'conditional' ? `  # faster at L=${faster.join('/')} only` : '';
  if (c.flag === 'IRONFORGE_DAG_BUILDER')
    return readiness === 'not-ready' ? null : `${c.flag}=${c.row}${where}`;
  if (c.row === 'flash' && readiness === 'conditional') {
    const small = L.filter((l) => l < 512);
    const onlySmall = faster.every((l) => l < 512) && small.every((l) => faster.includes(l));
    return onlySmall ? `${c.flag}=conditional` : `${c.flag}=true${where}`;
  }
  return `${c.flag}=${readiness !== 'not-ready'}${where}`;
}

/**
 * Assesses every optimization against the baseline row of its area. `parityLimit` is the parity gate's
 * threshold; `parity` gives each kernel's worst max-abs difference from reference.
 */
export function assessComponents(input: {
  L: readonly number[];
  kernels: readonly KernelRow[];
  dag: readonly PerLRow[];
  parquet: readonly ParquetRow[];
  parity: ReadonlyMap<string, number>;
  parityLimit: number;
}): ComponentAssessment[] {
  const { L } = input;
  const rowsOf = { attention: input.kernels, dag: input.dag, parquet: input.parquet } as const;
  const out: ComponentAssessment[] = [];
  for (const c of COMPONENTS) {
    const rows: readonly PerLRow[] = rowsOf[c.area];
    const row = rows.find((r) => r.name === c.row);
    const base = rows.find((r) => r.name === (c.area === 'parquet' ? 'none' : 'baseline'));
    if (!row || !base) continue;
    const faster = fasterAt(row, base, L);
    const measured = row.timing.filter((t) => t !== null).length;
    const confidence = measured ? faster.length / measured : 0;
    let readiness: Readiness =
      faster.length === measured && measured > 0 ? 'ready' : faster.length > 0 ? 'conditional' : 'not-ready';
    let issue = '';
    const slower = L.filter((l, i) => row.timing[i] && !faster.includes(l));
    if (readiness !== 'ready') issue = `not faster than baseline at L=${slower.join('/')}`;
    const parity = c.area === 'attention' ? input.parity.get(c.row) : undefined;
    if (parity !== undefined && !(parity <= input.parityLimit)) {
      readiness = 'not-ready';
      issue =
        `parity ${parity.toExponential(2)} exceeds the gate (${input.parityLimit.toExponential(0)})` +
        (issue ? `; ${issue}` : '');
    }
    if (c.area === 'parquet') {
      const p = row as ParquetRow;
      const b = base as ParquetRow;
      const i = L.length - 1;
      if (p.bytes[i] && b.bytes[i]) {
        const ratio = (b.bytes[i] as number) / (p.bytes[i] as number);
        issue = (issue ? `${issue}; ` : '') + `files ${ratio.toFixed(2)}× smaller at L=${L[i]}`;
      }
    }
    const recommendation =
      readiness === 'ready'
        ? '✅ Deploy'
        : readiness === 'conditional'
          ? `⚠️ Enable only for L=${faster.join('/')}`
          : parity !== undefined && !(parity <= input.parityLimit)
            ? '❌ Fix precision before enabling'
            : '❌ Keep disabled';
    out.push({
      component: c.component,
      row: c.row,
      area: c.area,
      fasterAt: faster,
      speedups: row.speedupMedian,
      confidence,
      readiness,
      issue,
      recommendation,
      setting: settingFor(c, readiness, faster, L),
    });
  }
  return out;
}
