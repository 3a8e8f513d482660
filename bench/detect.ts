/**
 * Bar-detector benchmark: bars per second for the whole detector set on seeded generated 5-minute bars.
 *
 * Configurations (each timed on 1M bars by default, single thread):
 *   detectEvents (all, sessions)  — every detector + merge, with session anchors/sweeps (segments precomputed)
 *   detectEvents (no sessions)     — every bar detector + merge, no calendar
 *   segmentSessions                — the calendar split (zone offsets cached per day)
 *   swings / sweeps / structure / fvg / phases — single detectors, for the breakdown
 *   buildBarSessions               — Session objects from the detector output (strings, raw records)
 *   ingestBarSeries                — split + detect + build Session objects
 *   CSV → bars + validateBars      — the same bars read from CSV bytes in memory (ISO timestamps with offset)
 * The last three are measured against their previous implementation, kept as reference (the per-event session
 * builder, the text CSV reader), A/B interleaved in each trial; "× peer" = peer median / this median (wall and
 * CPU time of this process: CPU time is the figure that holds on a shared machine).
 * Warm-up runs, then min and median over trials; bars/s from the min and the median.
 *
 *   npx tsx bench/detect.ts [--json] [--bars N] [--trials N]
 */
import { cpus, loadavg } from 'node:os';
import { DEFAULT_CALENDAR, segmentSessions } from '../src/detect/calendar.js';
import { detectEvents } from '../src/detect/detect.js';
import { detectFvgs } from '../src/detect/fvg.js';
import { generateBars } from '../src/synthetic/index.js';
import { detectPhases } from '../src/detect/phases.js';
import { buildBarSessions, ingestBarSeries } from '../src/detect/sessions.js';
import { buildBarSessionsReference } from '../src/detect/sessions-reference.js';
import { detectSwings } from '../src/detect/swings.js';
import { ZoneClock } from '../src/detect/zone.js';
import { detectSwingSweeps } from '../src/detect/sweeps.js';
import { detectStructure } from '../src/detect/structure.js';
import { barsToCsv } from '../src/store/record-bars.js';
import { parseBarsCsvBytes } from '../src/store/bars-csv.js';
import { parseBarsCsvReference } from '../src/store/bars-csv-reference.js';
import { validateBars } from '../src/detect/validate.js';
import { Rng } from '../src/stats/random.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const asJson = process.argv.includes('--json');
const nBars = Number(arg('--bars') ?? 1_000_000);
const trials = Number(arg('--trials') ?? 9);
if (!Number.isInteger(nBars) || nBars < 100)
  throw new Error(`--bars must be an integer ≥ 100, got ${arg('--bars')}`);
if (!Number.isInteger(trials) || trials < 1)
  throw new Error(`--trials must be a positive integer, got ${arg('--trials')}`);

const bars = generateBars(new Rng(20250729), nBars);
const zone = new ZoneClock('America/New_York');
const segments = segmentSessions(bars, DEFAULT_CALENDAR, zone);
const swingEvents = detectSwings(bars);
const csv = barsToCsv(bars, zone);
const csvBytes = Buffer.from(csv, 'utf8');
const detected = detectEvents(bars, { sessions: segments });
/** Present under `node --expose-gc` (npm run bench): collect before each timed call so garbage is not billed on. */
const gc = (globalThis as { gc?: () => void }).gc;

interface Row {
  config: string;
  bars: number;
  trials: number;
  minMs: number;
  medianMs: number;
  barsPerSecMax: number;
  barsPerSecMedian: number;
  events: number;
  /** CPU time (user + system) of this process, median over trials. */
  cpuMedianMs: number;
  /** The configuration this one is compared with, and peer median / this median (wall, CPU); null when none. */
  peer: string | null;
  speedup: number | null;
  cpuSpeedup: number | null;
}

let sink = 0;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** One trial of `fn`: wall ms, CPU ms and its count. */
function once(fn: () => number): { ms: number; cpu: number; events: number } {
  gc?.();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const events = fn();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  sink += events;
  return { ms, cpu: (c.user + c.system) / 1000, events };
}

function row(config: string, runs: { ms: number; cpu: number; events: number }[]): Row {
  const ms = runs.map((r) => r.ms);
  const min = Math.min(...ms);
  const med = median(ms);
  return {
    config,
    bars: nBars,
    trials: runs.length,
    minMs: min,
    medianMs: med,
    barsPerSecMax: nBars / (min / 1000),
    barsPerSecMedian: nBars / (med / 1000),
    events: runs[runs.length - 1].events,
    cpuMedianMs: median(runs.map((r) => r.cpu)),
    peer: null,
    speedup: null,
    cpuSpeedup: null,
  };
}

function time(config: string, fn: () => number, nTrials = trials, warmup = 2): Row {
  for (let i = 0; i < warmup; i++) sink += fn();
  const runs = Array.from({ length: nTrials }, () => once(fn));
  return row(config, runs);
}

/** `config` and its `peer` (the previous implementation), A/B interleaved in each trial. */
function versus(
  config: string,
  fn: () => number,
  peer: string,
  peerFn: () => number,
  nTrials: number,
): Row[] {
  sink += fn() + peerFn();
  const a: ReturnType<typeof once>[] = [];
  const b: ReturnType<typeof once>[] = [];
  for (let i = 0; i < nTrials; i++) {
    // alternate which goes first, so neither always runs on the other's leftover heap
    if (i % 2 === 0) {
      a.push(once(fn));
      b.push(once(peerFn));
    } else {
      b.push(once(peerFn));
      a.push(once(fn));
    }
  }
  const ra = row(config, a);
  const rb = row(peer, b);
  ra.peer = peer;
  ra.speedup = rb.medianMs / ra.medianMs;
  ra.cpuSpeedup = rb.cpuMedianMs / ra.cpuMedianMs;
  return [ra, rb];
}

const rows: Row[] = [
  time('detectEvents (all, sessions)', () => detectEvents(bars, { sessions: segments }).events.n),
  time('detectEvents (no sessions)', () => detectEvents(bars).events.n),
  time('segmentSessions', () => segmentSessions(bars, DEFAULT_CALENDAR, zone).count),
  time('swings', () => detectSwings(bars).n),
  time('sweeps', () => detectSwingSweeps(bars, swingEvents).n),
  time('structure', () => detectStructure(bars, swingEvents).n),
  time('fvg', () => detectFvgs(bars).n),
  time('phases', () => detectPhases(bars).n),
  ...versus(
    'buildBarSessions (Session objects)',
    () => buildBarSessions(bars, segments, detected.events, detected.incomplete).sessions.length,
    'per-event session builder (previous)',
    () => buildBarSessionsReference(bars, segments, detected.events, detected.incomplete).sessions.length,
    Math.min(trials, 5),
  ),
  ...versus(
    'ingestBarSeries (detect + sessions)',
    () => ingestBarSeries(bars).events.n,
    'detect + per-event builder (previous)',
    () => {
      const seg = segmentSessions(bars, DEFAULT_CALENDAR, zone);
      const d = detectEvents(bars, { sessions: seg });
      return buildBarSessionsReference(bars, seg, d.events, d.incomplete).events.n;
    },
    Math.min(trials, 5),
  ),
  ...versus(
    'CSV bytes → bars + validateBars',
    () => validateBars(parseBarsCsvBytes(csvBytes).bars).bars.n,
    'CSV text reader + validateBars (previous)',
    () => validateBars(parseBarsCsvReference(csv).bars).bars.n,
    Math.min(trials, 5),
  ),
];

if (asJson) {
  process.stdout.write(
    JSON.stringify(
      {
        bench: 'detect',
        node: process.version,
        cpu: cpus()[0]?.model ?? 'unknown',
        loadavg: loadavg(),
        bars: nBars,
        rows,
      },
      null,
      2,
    ) + '\n',
  );
} else {
  const f = (x: number) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : `${(x / 1e3).toFixed(0)}k`);
  const header = [
    'config',
    'min ms',
    'median ms',
    'bars/s (min)',
    'bars/s (median)',
    'cpu median ms',
    '× peer (wall)',
    '× peer (cpu)',
    'events',
  ];
  const table = rows.map((r) => [
    r.config,
    r.minMs.toFixed(1),
    r.medianMs.toFixed(1),
    f(r.barsPerSecMax),
    f(r.barsPerSecMedian),
    r.cpuMedianMs.toFixed(1),
    r.speedup === null ? '' : `${r.speedup.toFixed(2)}×`,
    r.cpuSpeedup === null ? '' : `${r.cpuSpeedup.toFixed(2)}×`,
    String(r.events),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...table.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r.map((x, c) => (c === 0 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join('  ');
  console.log(
    `detect bench: ${nBars} generated 5m bars, ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'}, 1 thread, ` +
      `load average ${loadavg()[0].toFixed(2)} on ${cpus().length} cores`,
  );
  console.log(
    '× peer = the previous implementation (next row) median / this median, measured A/B interleaved',
  );
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of table) console.log(line(r));
}
if (sink === -1) console.log(sink);
