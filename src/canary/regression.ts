/**
 * The regression table: this run's headline figures against a previous canary.json (`--baseline`).
 * A change within ±5% counts as "same" (run-to-run timing noise on a shared machine is of that order).
 *
 * A previous run from another canary.json version (schema `ironforge.canary/N`, or an older file of the same
 * schema that lacks a field), another ironforge version or another machine is still compared: the differences
 * are listed, and a metric that cannot be compared is marked with why instead of being compared — timings
 * (session time, throughput, speedups) only on the same machine (CPU model and CPU count), a metric the
 * previous file does not carry "not in the previous file". Parity and memory bytes compare across machines.
 */
import { readCanaryJson } from '../store/index.js';
import { CANARY_SCHEMA, type CanaryResult, type RegressionRow } from './types.js';

/** Relative change below which a metric is reported as unchanged. */
export const SAME_BAND = 0.05;

interface Metric {
  metric: string;
  unit: string;
  lowerIsBetter: boolean;
  /** A timing (or a ratio of timings): only comparable on the same machine. */
  machineBound: boolean;
  get: (r: CanaryResult) => number | null;
}

const finite = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

export const REGRESSION_METRICS: readonly Metric[] = [
  {
    metric: 'Avg Session Time',
    unit: 'ms',
    lowerIsBetter: true,
    machineBound: true,
    get: (r) => finite(r.pipeline?.avgSessionMs?.enabled),
  },
  {
    metric: 'Memory Peak',
    unit: 'bytes',
    lowerIsBetter: true,
    machineBound: false,
    get: (r) => finite(r.memory?.processPeakRssBytes),
  },
  {
    metric: 'Parity Precision',
    unit: 'max-abs',
    lowerIsBetter: true,
    machineBound: false,
    get: (r) => finite(r.parity?.gatedMax),
  },
  {
    metric: 'Throughput',
    unit: 'sessions/s',
    lowerIsBetter: false,
    machineBound: true,
    get: (r) => finite(r.pipeline?.throughput?.enabledSessionsPerSecond),
  },
  {
    metric: 'Overall speedup',
    unit: '×',
    lowerIsBetter: false,
    machineBound: true,
    get: (r) => finite(r.pipeline?.overall?.speedup),
  },
  {
    metric: 'Slowest regime speedup',
    unit: '×',
    lowerIsBetter: false,
    machineBound: true,
    get: (r) => {
      const cats = r.regime?.categories;
      if (!Array.isArray(cats) || cats.length === 0) return null;
      const xs = cats.map((c) => finite(c?.speedup));
      return xs.some((x) => x === null) ? null : Math.min(...(xs as number[]));
    },
  },
  {
    metric: 'Motif |Δlift|',
    unit: 'lift',
    lowerIsBetter: true,
    machineBound: false,
    get: (r) => (r.motifs && 'deltaLift' in r.motifs ? finite(r.motifs.deltaLift) : null),
  },
];

/** Machine fields that make timings incomparable when they differ. */
function machineKey(r: CanaryResult): { cpu: string; cpus: string } {
  return { cpu: String(r.machine?.cpuModel), cpus: String(r.machine?.availableParallelism) };
}

/**
 * How the previous run differs in kind from this one: another canary.json version, another ironforge
 * version, another machine. Each entry is "what previous → current"; empty when the runs are alike.
 */
export function provenanceDifferences(
  previous: CanaryResult,
  current: CanaryResult,
): { schema: string[]; version: string[]; machine: string[]; gates: string[] } {
  const diff = (what: string, a: unknown, b: unknown) =>
    String(a) === String(b) ? [] : [`${what} ${String(a)} → ${String(b)}`];
  const pm = machineKey(previous);
  const cm = machineKey(current);
  const ids = (r: CanaryResult) => (Array.isArray(r.gates) ? r.gates.map((g) => String(g?.id)) : []);
  const onlyPrev = ids(previous).filter((g) => !ids(current).includes(g));
  const onlyCur = ids(current).filter((g) => !ids(previous).includes(g));
  return {
    // An older file of the same schema can still carry other gates (e.g. "motif" before "motif-promote").
    gates: [
      ...(onlyPrev.length ? [`gates only in the previous run: ${onlyPrev.join(', ')}`] : []),
      ...(onlyCur.length ? [`gates only in this run: ${onlyCur.join(', ')}`] : []),
    ],
    schema: diff('canary.json schema', previous.schema, current.schema),
    version: diff('ironforge', previous.versions?.ironforge, current.versions?.ironforge),
    machine: [
      ...diff('CPU', pm.cpu, cm.cpu),
      ...diff('CPUs', pm.cpus, cm.cpus),
      ...diff('host', previous.machine?.hostname, current.machine?.hostname),
    ],
  };
}

/**
 * Compares two results metric by metric. Pure. Timing metrics of a run on another machine (CPU model or
 * CPU count differ) are not compared; a metric missing from either file is marked, with the reason in `note`.
 */
export function compareRuns(previous: CanaryResult, current: CanaryResult): RegressionRow[] {
  const pm = machineKey(previous);
  const cm = machineKey(current);
  const otherMachine = pm.cpu !== cm.cpu || pm.cpus !== cm.cpus;
  return REGRESSION_METRICS.map((m) => {
    const p = m.get(previous);
    const c = m.get(current);
    const na = (note: string): RegressionRow => ({
      metric: m.metric,
      unit: m.unit,
      previous: p,
      current: c,
      change: null,
      lowerIsBetter: m.lowerIsBetter,
      status: 'n/a',
      note,
    });
    if (p === null) return na(`not in the previous file (schema ${String(previous.schema)})`);
    if (c === null) return na('not measured in this run');
    if (m.machineBound && otherMachine)
      return na(
        `not comparable: timings from another machine (${pm.cpu} × ${pm.cpus} → ${cm.cpu} × ${cm.cpus})`,
      );
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

/** The schema family every canary.json version shares ("ironforge.canary/1", "ironforge.canary/2", …). */
export const CANARY_SCHEMA_FAMILY = CANARY_SCHEMA.slice(0, CANARY_SCHEMA.lastIndexOf('/') + 1);

/**
 * Checks that `json` (read from `path`) is a canary result of some version (schema "ironforge.canary/…");
 * throws an Error naming the file and the schema when it is not. Another version is accepted: the regression
 * table compares what both files carry and marks the rest.
 */
export function parseBaseline(json: unknown, path: string): CanaryResult {
  const schema = (json as { schema?: unknown })?.schema;
  if (typeof schema !== 'string' || !schema.startsWith(CANARY_SCHEMA_FAMILY))
    throw new Error(
      `--baseline ${path}: not a canary.json: schema must be "${CANARY_SCHEMA}" (or another "${CANARY_SCHEMA_FAMILY}…" version), got ${JSON.stringify(schema)}`,
    );
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
