/**
 * The whole run at growing sizes (issue 20): generated one-minute bars (src/synthetic/bars.ts), one CSV file
 * per day, at multiples of two weeks, through `executeRun` (what `ironforge run --bars` runs). Each
 * configuration runs in its own child process (bench/_pipeline-child.ts) so its peak RSS is its own. Printed
 * per scale and worker count: wall time, peak RSS, bars/s of each stage (manifest timings; `shards` = producing
 * the encoded shards, `write` = writing the run folder), and the serial (--workers 1) vs 2-worker ratio, with
 * the repetitions of the two interleaved (A B A B …) so that load drifts hit both alike.
 *
 * `--incremental DAYS` measures instead the incremental run: DAYS days through a cold stage cache, then
 * DAYS + 1 days through that cache (one new day) and DAYS + 1 days with --no-cache (the full run), interleaved
 * over --reps; it prints the cached stages' (ingest, discover, shards) cost of the incremental run as a share
 * of the full run's, and the whole run's share.
 *
 *   npm run bench -- pipeline [--scales 1,10,50] [--nulls 100] [--workers 1,2] [--reps 1] [--json]
 *   npm run bench -- pipeline --incremental 60 [--nulls 100] [--reps 1] [--no-full] [--stages-only]
 *   (both: [--controls none] to leave out the negative-control mining)
 *
 * Timings on a shared machine are noisy: read min and median, never a single figure; nothing is asserted.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZoneClock } from '../src/detect/index.js';
import { writeBarFiles } from '../src/store/index.js';
import { generateBars } from '../src/synthetic/index.js';
import { Rng } from '../src/stats/random.js';
import { RUN_STAGES, type RunConfig } from '../src/app/index.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
function ints(name: string, fallback: string): number[] {
  const xs = (arg(name) ?? fallback).split(',').map(Number);
  for (const x of xs)
    if (!Number.isInteger(x) || x < 1) throw new Error(`--${name} takes integers ≥ 1, got "${arg(name)}"`);
  return xs;
}

const json = process.argv.includes('--json');
const scales = ints('scales', '1,10,50');
const nulls = ints('nulls', '100')[0];
const workerCounts = ints('workers', '1,2');
const reps = ints('reps', '1')[0];
const incremental = arg('incremental') === undefined ? null : ints('incremental', '60')[0];
/** `--controls none` leaves out the negative-control mining (a second mining run) to keep big scales short. */
const controls = arg('controls') === 'none' ? [] : undefined;
/** `--no-full`: the incremental mode compares with the cold D-day run instead of a cold D+1-day run. */
const withFull = !process.argv.includes('--no-full');
/**
 * `--stages-only` (with --incremental): run just the cached stages (bench/_cached-stages-child.ts: the same
 * ingest, cached discovery and shard calls as `executeRun`), not the whole run — minutes instead of hours on a
 * loaded 2-core machine; the whole run's share is then not measured.
 */
const stagesOnly = process.argv.includes('--stages-only');
const BARS_PER_DAY = 1440;
const TWO_WEEKS = 14;
const CHILD = fileURLToPath(
  new URL(stagesOnly ? './_cached-stages-child.js' : './_pipeline-child.js', import.meta.url),
);

interface ChildResult {
  wallMs: number;
  maxRssKiB: number;
  sessions: number;
  events: number;
  timings: { stage: string; ms: number }[];
  shardsMs: number;
  writeMs: number;
  cache: { hits: number; misses: number } | null;
}

function runChild(cfg: Partial<RunConfig>): ChildResult {
  const arg = stagesOnly
    ? { bars: cfg.bars, cacheDir: cfg.cache === false ? null : cfg.cacheDir, seed: 42 }
    : { ...cfg, controls };
  const r = spawnSync(process.execPath, [CHILD, JSON.stringify(arg)], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
  if (stagesOnly) out.wallMs = out.timings.reduce((a, t) => a + t.ms, 0) + out.shardsMs;
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const min = (xs: number[]) => Math.min(...xs);
const stageMs = (r: ChildResult, stage: string) =>
  stage === 'shards'
    ? r.shardsMs
    : stage === 'write'
      ? r.writeMs
      : (r.timings.find((t) => t.stage === stage)?.ms ?? 0);
// the run's stages as the pipeline names them (one owner: app/run.ts), plus ingest before and output after
const STAGES = ['ingest', ...RUN_STAGES, 'shards', 'write'];
/** The stages the stage cache serves (README "Incremental runs"). */
const CACHED = ['ingest', 'discover', 'shards'];

async function barFiles(dir: string, days: number): Promise<string[]> {
  // one series, cut into days: the first D files are the same bytes whatever the number of days
  const bars = generateBars(new Rng(20260101), days * BARS_PER_DAY, { timeframeMs: 60_000 });
  // cut between session windows (18:30 local), so no session is split across two files at the DST switches
  return writeBarFiles(dir, bars, new ZoneClock('America/New_York'), BARS_PER_DAY, 'day', '18:30');
}

function header(): void {
  const cpu = cpus();
  console.log(
    `machine: ${availableParallelism()} cores (${cpu[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
      `Node ${process.versions.node}; measured under whatever load the machine had`,
  );
  console.log(`command: node ${process.argv.slice(1).join(' ')}`);
}

async function scaling(dir: string): Promise<void> {
  const rows: Record<string, unknown>[] = [];
  for (const scale of scales) {
    const days = scale * TWO_WEEKS;
    const files = await barFiles(join(dir, `bars-${scale}`), days);
    const bars = days * BARS_PER_DAY;
    const byWorkers = new Map<number, ChildResult[]>(workerCounts.map((w) => [w, []]));
    for (let rep = 0; rep < reps; rep++)
      for (const workers of workerCounts) {
        const r = runChild({
          bars: files,
          runsDir: join(dir, 'runs'),
          runId: `s${scale}-w${workers}-r${rep}`,
          nulls,
          workers,
          cache: false,
        });
        byWorkers.get(workers)!.push(r);
      }
    for (const [workers, rs] of byWorkers) {
      const walls = rs.map((r) => r.wallMs);
      const row: Record<string, unknown> = {
        scale,
        days,
        bars,
        sessions: rs[0].sessions,
        events: rs[0].events,
        workers,
        wallMinS: min(walls) / 1000,
        wallMedianS: median(walls) / 1000,
        peakRssMiB: Math.max(...rs.map((r) => r.maxRssKiB)) / 1024,
        barsPerSec: Object.fromEntries(
          STAGES.map((s) => [s, Math.round(bars / (median(rs.map((r) => stageMs(r, s))) / 1000))]),
        ),
        stageMedianMs: Object.fromEntries(
          STAGES.map((s) => [s, Math.round(median(rs.map((r) => stageMs(r, s))))]),
        ),
      };
      rows.push(row);
    }
    const serial = byWorkers.get(1);
    const two = byWorkers.get(2);
    if (serial && two)
      rows.push({
        scale,
        ratio: 'workers 1 / workers 2 (median wall)',
        value: median(serial.map((r) => r.wallMs)) / median(two.map((r) => r.wallMs)),
      });
  }
  if (json) {
    console.log(JSON.stringify({ nulls, reps, rows }, null, 2));
    return;
  }
  console.log(`\nnulls ${nulls}, ${reps} repetition(s) per configuration, one child process each`);
  for (const r of rows) {
    if ('ratio' in r) {
      console.log(`  ${r.scale}×: ${r.ratio} = ${(r.value as number).toFixed(2)}×`);
      continue;
    }
    console.log(
      `${r.scale}× two weeks (${r.days} days, ${r.bars} bars, ${r.sessions} sessions, ${r.events} events), --workers ${r.workers}: ` +
        `wall min ${(r.wallMinS as number).toFixed(1)} s / median ${(r.wallMedianS as number).toFixed(1)} s, peak RSS ${(r.peakRssMiB as number).toFixed(0)} MiB`,
    );
    const ms = r.stageMedianMs as Record<string, number>;
    const bps = r.barsPerSec as Record<string, number>;
    console.log(
      '    ' +
        STAGES.map(
          (s) => `${s} ${(ms[s] / 1000).toFixed(2)} s (${bps[s].toLocaleString('en-US')} bars/s)`,
        ).join(', '),
    );
  }
}

async function incrementalRun(dir: string, days: number): Promise<void> {
  const all = await barFiles(join(dir, 'bars'), days + 1);
  const before = all.slice(0, days);
  const cache = join(dir, 'cache');
  const base = { runsDir: join(dir, 'runs'), nulls, workers: 1, force: true };
  const cachedMs = (r: ChildResult) => CACHED.reduce((a, s) => a + stageMs(r, s), 0);
  const say = (what: string, r: ChildResult) =>
    console.error(
      `  ${what}: wall ${(r.wallMs / 1000).toFixed(1)} s, cached stages ${(cachedMs(r) / 1000).toFixed(2)} s, ` +
        `peak RSS ${(r.maxRssKiB / 1024).toFixed(0)} MiB, ${JSON.stringify(r.timings)}, shards ${Math.round(r.shardsMs)} ms, ` +
        `cache ${JSON.stringify(r.cache)}`,
    );
  const warm = runChild({ ...base, bars: before, runId: 'warm', cacheDir: cache });
  say(`${days} days, cold cache`, warm);
  const incr: ChildResult[] = [];
  const full: ChildResult[] = [];
  for (let rep = 0; rep < reps; rep++) {
    // the incremental run adds its new day to the cache; start each repetition from the D-day cache
    if (rep > 0) runChild({ ...base, bars: before, runId: 'warm', cacheDir: join(dir, `cache-${rep}`) });
    incr.push(
      runChild({
        ...base,
        bars: all,
        runId: 'incremental',
        cacheDir: rep ? join(dir, `cache-${rep}`) : cache,
      }),
    );
    say(`${days + 1} days, incremental`, incr[rep]);
    full.push(withFull ? runChild({ ...base, bars: all, runId: 'full', cache: false }) : warm);
    if (withFull) say(`${days + 1} days, --no-cache`, full[rep]);
  }
  const out = {
    days,
    nulls,
    reps,
    warm: { wallS: warm.wallMs / 1000, cachedStagesS: cachedMs(warm) / 1000 },
    incremental: {
      wallMedianS: median(incr.map((r) => r.wallMs)) / 1000,
      cachedStagesMedianS: median(incr.map(cachedMs)) / 1000,
      cache: incr[0].cache,
      stages: Object.fromEntries(STAGES.map((s) => [s, median(incr.map((r) => stageMs(r, s))) / 1000])),
    },
    full: {
      wallMedianS: median(full.map((r) => r.wallMs)) / 1000,
      cachedStagesMedianS: median(full.map(cachedMs)) / 1000,
      stages: Object.fromEntries(STAGES.map((s) => [s, median(full.map((r) => stageMs(r, s))) / 1000])),
    },
  };
  const share = out.incremental.cachedStagesMedianS / out.full.cachedStagesMedianS;
  const whole = out.incremental.wallMedianS / out.full.wallMedianS;
  if (json) {
    console.log(JSON.stringify({ ...out, cachedShare: share, wholeShare: whole }, null, 2));
    return;
  }
  console.log(
    `\nincremental: ${days} days cached, then ${days + 1} days (nulls ${nulls}, --workers 1, ${reps} rep(s)); ` +
      `full = ${withFull ? `${days + 1} days with --no-cache` : `the cold ${days}-day run (--no-full)`}`,
  );
  console.log(
    `  cached stages (${CACHED.join(', ')}): incremental ${out.incremental.cachedStagesMedianS.toFixed(2)} s vs full ` +
      `${out.full.cachedStagesMedianS.toFixed(2)} s = ${(100 * share).toFixed(1)}% ` +
      `(cache: ${out.incremental.cache?.hits} reused, ${out.incremental.cache?.misses} computed)`,
  );
  if (!stagesOnly)
    console.log(
      `  whole run: incremental ${out.incremental.wallMedianS.toFixed(1)} s vs full ${out.full.wallMedianS.toFixed(1)} s = ${(100 * whole).toFixed(1)}% (mining, patterns and validation are global: recomputed)`,
    );
  for (const s of stagesOnly ? CACHED : STAGES)
    console.log(
      `    ${s.padEnd(10)} incremental ${(out.incremental.stages[s] as number).toFixed(2)} s, full ${(out.full.stages[s] as number).toFixed(2)} s`,
    );
}

async function main(): Promise<void> {
  header();
  const dir = await mkdtemp(join(tmpdir(), 'ifg-bench-pipeline-'));
  try {
    if (incremental !== null) await incrementalRun(dir, incremental);
    else await scaling(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
