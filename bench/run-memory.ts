/**
 * Where the memory of one whole run goes (README "Memory of a whole run"): `npm run bench -- run-memory --days 14`
 * generates DAYS days of one-minute bars (one CSV per day, cut at 18:30 New York time, as bench/pipeline.ts),
 * runs `executeRun` on them (`--nulls 5 --controls none --workers 1 --no-cache` unless told otherwise) and prints,
 * per stage, the peak RSS while the stage was the latest to start or end (a worker thread samples the process's
 * RSS every 20 ms: the main thread is busy inside a stage) and the live heap and ArrayBuffers after a forced GC at
 * each stage boundary (the GCs lower the peaks a little). Never a timed test; figures are of this machine.
 *
 *   npm run bench -- run-memory [--days 14] [--nulls 5] [--workers 1] [--keep]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { executeRun, resolveRunConfig, type RunStage } from '../src/app/index.js';
import { ZoneClock } from '../src/detect/index.js';
import { Rng } from '../src/stats/random.js';
import { writeBarFiles } from '../src/store/index.js';
import { generateBars } from '../src/synthetic/index.js';

const BARS_PER_DAY = 1440;

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be an integer ≥ 1`);
  return v;
}

const days = flag('days', 14);
const nulls = flag('nulls', 5);
const workers = flag('workers', 1);
const keep = process.argv.includes('--keep');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc (npm run bench does)');

// the label being measured (index into `labels`) and the peak RSS seen under each, shared with the sampler
const MAX_LABELS = 256;
const current = new Int32Array(new SharedArrayBuffer(4));
const peaks = new Float64Array(new SharedArrayBuffer(8 * MAX_LABELS));
const sampler = new Worker(
  `const { workerData } = require('node:worker_threads');
   const current = new Int32Array(workerData.current), peaks = new Float64Array(workerData.peaks);
   setInterval(() => { const r = process.memoryUsage.rss(), l = Atomics.load(current, 0); if (r > peaks[l]) peaks[l] = r; }, 20);`,
  { eval: true, workerData: { current: current.buffer, peaks: peaks.buffer } },
);
sampler.unref();

const MB = 2 ** 20;
const rows: { label: string; liveHeap: number; liveBuffers: number }[] = [];
function boundary(label: string): void {
  if (rows.length >= MAX_LABELS - 1) return;
  gc!();
  const m = process.memoryUsage();
  rows.push({ label, liveHeap: m.heapUsed, liveBuffers: m.arrayBuffers });
  Atomics.store(current, 0, rows.length - 1);
}

const dir = await mkdtemp(join(tmpdir(), 'ifg-bench-run-memory-'));
try {
  const bars = generateBars(new Rng(20260101), days * BARS_PER_DAY, { timeframeMs: 60_000 });
  const files = await writeBarFiles(
    join(dir, 'bars'),
    bars,
    new ZoneClock('America/New_York'),
    BARS_PER_DAY,
    'day',
    '18:30',
  );
  const cfg = resolveRunConfig({
    bars: files,
    runsDir: join(dir, 'runs'),
    runId: 'bench',
    nulls,
    workers,
    controls: [],
    cache: false,
  });
  boundary('start');
  const seen = new Set<string>();
  const t0 = performance.now();
  const report = await executeRun(cfg, {
    onProgress: (stage: RunStage, done: number, total: number) => {
      const what = done === 0 ? 'start' : done >= total ? 'end' : null;
      const label = `${stage} ${what}`;
      if (what === null || seen.has(label)) return;
      seen.add(label);
      boundary(label);
    },
  });
  const wall = (performance.now() - t0) / 1000;
  boundary('written (run folder, dashboard, report held)');
  await new Promise((r) => setTimeout(r, 50));
  console.log(
    `${days} days of one-minute bars: ${report.sessions.length} sessions, ${report.result.motifs.testedMotifs} ` +
      `tested motifs; --nulls ${nulls} --workers ${workers} --controls none --no-cache; wall ${wall.toFixed(1)} s; ` +
      `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
  );
  console.log(
    '| from (stage boundary) | peak RSS until the next, MiB | live heap, MiB | live ArrayBuffers, MiB |',
  );
  console.log('| --- | --- | --- | --- |');
  rows.forEach((r, i) =>
    console.log(
      `| ${r.label} | ${(peaks[i] / MB).toFixed(0)} | ${(r.liveHeap / MB).toFixed(0)} | ${(r.liveBuffers / MB).toFixed(0)} |`,
    ),
  );
} finally {
  if (!keep) await rm(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
}
