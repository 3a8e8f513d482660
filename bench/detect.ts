/**
 * Bar-detector benchmark: bars per second for the whole detector set on seeded generated 5-minute bars.
 *
 * Configurations (each timed on 1M bars by default, single thread):
 *   detectEvents (all, sessions)  — every detector + merge, with session anchors/sweeps (segments precomputed)
 *   detectEvents (no sessions)     — every bar detector + merge, no calendar
 *   segmentSessions                — the calendar split (zone offsets cached per day)
 *   swings / sweeps / structure / fvg / phases — single detectors, for the breakdown
 *   ingestBarSeries                — split + detect + build Session objects (strings, raw records)
 *   parseBarsCsv + validateBars    — reading the same bars from CSV text in memory (ISO timestamps with offset)
 * Warm-up runs, then min and median over trials; bars/s from the min and the median.
 *
 *   npx tsx bench/detect.ts [--json] [--bars N] [--trials N]
 */
import { cpus } from 'node:os';
import { DEFAULT_CALENDAR, segmentSessions } from '../src/detect/calendar.js';
import { detectEvents } from '../src/detect/detect.js';
import { detectFvgs } from '../src/detect/fvg.js';
import { generateBars } from '../src/synthetic/index.js';
import { detectPhases } from '../src/detect/phases.js';
import { ingestBarSeries } from '../src/detect/sessions.js';
import { detectSwings } from '../src/detect/swings.js';
import { ZoneClock } from '../src/detect/zone.js';
import { detectSwingSweeps } from '../src/detect/sweeps.js';
import { detectStructure } from '../src/detect/structure.js';
import { barsToCsv } from '../src/store/record-bars.js';
import { parseBarsCsv } from '../src/store/bars.js';
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

interface Row {
  config: string;
  bars: number;
  trials: number;
  minMs: number;
  medianMs: number;
  barsPerSecMax: number;
  barsPerSecMedian: number;
  events: number;
}

let sink = 0;
function time(config: string, fn: () => number, nTrials = trials, warmup = 2): Row {
  for (let i = 0; i < warmup; i++) sink += fn();
  const ms: number[] = [];
  let events = 0;
  for (let i = 0; i < nTrials; i++) {
    const t0 = process.hrtime.bigint();
    events = fn();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    sink += events;
  }
  ms.sort((a, b) => a - b);
  const min = ms[0];
  const med = ms[Math.floor(ms.length / 2)];
  return {
    config,
    bars: nBars,
    trials: nTrials,
    minMs: min,
    medianMs: med,
    barsPerSecMax: nBars / (min / 1000),
    barsPerSecMedian: nBars / (med / 1000),
    events,
  };
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
  time('ingestBarSeries (Session objects)', () => ingestBarSeries(bars).events.n, Math.min(trials, 3), 1),
  time(
    'parseBarsCsv + validateBars',
    () => validateBars(parseBarsCsv(csv).bars).bars.n,
    Math.min(trials, 3),
    1,
  ),
];

if (asJson) {
  process.stdout.write(
    JSON.stringify(
      { bench: 'detect', node: process.version, cpu: cpus()[0]?.model ?? 'unknown', bars: nBars, rows },
      null,
      2,
    ) + '\n',
  );
} else {
  const f = (x: number) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : `${(x / 1e3).toFixed(0)}k`);
  const header = ['config', 'min ms', 'median ms', 'bars/s (min)', 'bars/s (median)', 'events'];
  const table = rows.map((r) => [
    r.config,
    r.minMs.toFixed(1),
    r.medianMs.toFixed(1),
    f(r.barsPerSecMax),
    f(r.barsPerSecMedian),
    String(r.events),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...table.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r.map((x, c) => (c === 0 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join('  ');
  console.log(
    `detect bench: ${nBars} generated 5m bars, ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'}, 1 thread`,
  );
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of table) console.log(line(r));
}
if (sink === -1) console.log(sink);
