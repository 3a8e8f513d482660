/**
 * The regression table: this run's headline figures against a previous canary.json (`--baseline`).
 * A change within ±5% counts as "same" (run-to-run timing noise on a shared machine is of that order).
 */
import { readCanaryJson } from '../store/index.js';
import { CANARY_SCHEMA, type CanaryResult, type RegressionRow } from './types.js';

/** Relative change below which a metric is reported as unchanged. */
export const SAME_BAND = 0.05;

interface Metric {
  metric: string;
  unit: string;
  lowerIsBetter: boolean;
  get: (r: CanaryResult) => number | null;
}

const finite = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

export const REGRESSION_METRICS: readonly Metric[] = [
  {
    metric: 'Avg Session Time',
    unit: 'ms',
    lowerIsBetter: true,
    get: (r) => finite(r.pipeline?.avgSessionMs?.enabled),
  },
  {
    metric: 'Memory Peak',
    unit: 'bytes',
    lowerIsBetter: true,
    get: (r) => finite(r.memory?.processPeakRssBytes),
  },
  {
    metric: 'Parity Precision',
    unit: 'max-abs',
    lowerIsBetter: true,
    get: (r) => finite(r.parity?.gatedMax),
  },
  {
    metric: 'Throughput',
    unit: 'sessions/s',
    lowerIsBetter: false,
    get: (r) => finite(r.pipeline?.throughput?.enabledSessionsPerSecond),
  },
  {
    metric: 'Overall speedup',
    unit: '×',
    lowerIsBetter: false,
    get: (r) => finite(r.pipeline?.overall?.speedup),
  },
  {
    metric: 'Motif |Δlift|',
    unit: 'lift',
    lowerIsBetter: true,
    get: (r) => (r.motifs && 'deltaLift' in r.motifs ? finite(r.motifs.deltaLift) : null),
  },
];

/** Compares two results metric by metric. Pure. */
export function compareRuns(previous: CanaryResult, current: CanaryResult): RegressionRow[] {
  return REGRESSION_METRICS.map((m) => {
    const p = m.get(previous);
    const c = m.get(current);
    if (p === null || c === null)
      return {
        metric: m.metric,
        unit: m.unit,
        previous: p,
        current: c,
        change: null,
        lowerIsBetter: m.lowerIsBetter,
        status: 'n/a',
      };
    const change = p === 0 ? (c === 0 ? 0 : Infinity * Math.sign(c)) : (c - p) / Math.abs(p);
    const better = m.lowerIsBetter ? change < 0 : change > 0;
    const status = Math.abs(change) <= SAME_BAND ? 'same' : better ? 'better' : 'worse';
    return {
      metric: m.metric,
      unit: m.unit,
      previous: p,
      current: c,
      change,
      lowerIsBetter: m.lowerIsBetter,
      status,
    };
  });
}

/** Checks that `json` (read from `path`) is a canary result; throws an Error naming the file when it is not. */
export function parseBaseline(json: unknown, path: string): CanaryResult {
  const schema = (json as { schema?: unknown })?.schema;
  if (schema !== CANARY_SCHEMA)
    throw new Error(`--baseline ${path}: schema must be "${CANARY_SCHEMA}", got ${JSON.stringify(schema)}`);
  return json as CanaryResult;
}

/** Reads a previous canary.json; throws an Error naming the file when it is unreadable or not a canary result. */
export async function readBaseline(path: string): Promise<CanaryResult> {
  return parseBaseline(await readCanaryJson(path, `--baseline ${path}: `), path);
}

/** Configuration fields of two runs that differ, as "field previous → current" (empty when comparable). */
export function configDifferences(previous: CanaryResult, current: CanaryResult): string[] {
  const pick = (r: CanaryResult) => ({
    mode: r.config?.mode,
    sessions: r.config?.sessions,
    realSessions: r.config?.realSessions,
    lengths: r.config?.lengths?.join(','),
    seed: r.config?.seed,
    flags: JSON.stringify(r.config?.flags),
    cpus: r.machine?.availableParallelism,
  });
  const a = pick(previous);
  const b = pick(current);
  return (Object.keys(a) as (keyof typeof a)[])
    .filter((k) => a[k] !== b[k])
    .map((k) => `${k} ${String(a[k])} → ${String(b[k])}`);
}
