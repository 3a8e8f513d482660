/**
 * DAG builder benchmark: each builder at L = 128/256/512/1024 nodes on a seeded synthetic session with
 * realistic timing (minute-granular, mean gap 90 s, 35% of events sharing a timestamp, occasional long pauses),
 * default config (k = 4, [1, 120] min). Each trial times a batch of calls sized to take ≥ ~20 ms and reports the
 * per-call time; min and median over trials, and the speed-up over `baseline` (by median).
 *
 *   npx tsx bench/dag.ts [--json] [--trials N] [--sizes 128,256]
 */
import { cpus, loadavg } from 'node:os';
import { DAG_BUILDERS, buildDag, dagInputFromSession, type DagBuilderName } from '../src/graph/dag.js';
import { DEFAULT_DAG_CONFIG } from '../src/graph/types.js';
import { Rng } from '../src/stats/random.js';
import { randomSession } from '../src/synthetic/index.js';

interface Row {
  builder: DagBuilderName;
  L: number;
  edges: number;
  /** Wall-clock time per call, µs. */
  minUs: number;
  medianUs: number;
  /** CPU time (user + system) of this process per call, µs: robust to other processes sharing the cores. */
  cpuMinUs: number;
  cpuMedianUs: number;
  /** baseline median / this median. */
  speedupVsBaseline: number;
  /** baseline CPU median / this CPU median. */
  cpuSpeedupVsBaseline: number;
  /** baseline CPU min / this CPU min: on a shared machine the min is the trial least disturbed by others. */
  cpuMinSpeedupVsBaseline: number;
  trials: number;
  callsPerTrial: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const asJson = process.argv.includes('--json');
const trials = Number(arg('--trials') ?? 15);
const sizes = (arg('--sizes') ?? '128,256,512,1024').split(',').map(Number);
const TARGET_TRIAL_MS = 20;
const WARMUP_MS = 100;
/** Present under `node --expose-gc` (npm run bench): collect before each builder so one's garbage is not billed to the next. */
const gc = (globalThis as { gc?: () => void }).gc;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

let sink = 0;
const rows: Row[] = [];
for (const L of sizes) {
  const input = dagInputFromSession(randomSession(new Rng(1000 + L), L));
  const perBuilder: Row[] = [];
  for (const builder of DAG_BUILDERS) {
    // Warm-up (JIT tiers settle) for WARMUP_MS, then size the batch from the warm per-call time.
    let warmCalls = 0;
    const w0 = performance.now();
    while (performance.now() - w0 < WARMUP_MS || warmCalls < 3) {
      sink += buildDag(input, DEFAULT_DAG_CONFIG, builder).src.length;
      warmCalls++;
    }
    const c0 = performance.now();
    for (let r = 0; r < 5; r++) sink += buildDag(input, DEFAULT_DAG_CONFIG, builder).src.length;
    const warmCallMs = Math.max((performance.now() - c0) / 5, 1e-4);
    const calls = Math.max(1, Math.ceil(TARGET_TRIAL_MS / warmCallMs));
    gc?.();
    const perCallUs: number[] = [];
    const cpuPerCallUs: number[] = [];
    for (let tr = 0; tr < trials; tr++) {
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      for (let r = 0; r < calls; r++) sink += buildDag(input, DEFAULT_DAG_CONFIG, builder).src.length;
      perCallUs.push(Number(process.hrtime.bigint() - t0) / 1000 / calls);
      const cpu = process.cpuUsage(c0);
      cpuPerCallUs.push((cpu.user + cpu.system) / calls);
    }
    perBuilder.push({
      builder,
      L,
      edges: buildDag(input, DEFAULT_DAG_CONFIG, builder).src.length,
      minUs: Math.min(...perCallUs),
      medianUs: median(perCallUs),
      cpuMinUs: Math.min(...cpuPerCallUs),
      cpuMedianUs: median(cpuPerCallUs),
      speedupVsBaseline: NaN,
      cpuSpeedupVsBaseline: NaN,
      cpuMinSpeedupVsBaseline: NaN,
      trials,
      callsPerTrial: calls,
    });
  }
  const base = perBuilder.find((r) => r.builder === 'baseline');
  for (const r of perBuilder) {
    r.speedupVsBaseline = base ? base.medianUs / r.medianUs : NaN;
    r.cpuSpeedupVsBaseline = base ? base.cpuMedianUs / r.cpuMedianUs : NaN;
    r.cpuMinSpeedupVsBaseline = base ? base.cpuMinUs / r.cpuMinUs : NaN;
  }
  rows.push(...perBuilder);
}

if (asJson) {
  console.log(
    JSON.stringify(
      {
        bench: 'dag',
        config: DEFAULT_DAG_CONFIG,
        node: process.version,
        loadavg: loadavg(),
        cores: cpus().length,
        rows,
      },
      null,
      2,
    ),
  );
} else {
  const fmt = (us: number) => (us >= 1000 ? `${(us / 1000).toFixed(3)} ms` : `${us.toFixed(2)} µs`);
  console.log(
    `DAG builders, k=${DEFAULT_DAG_CONFIG.k}, window [1, 120] min, ${trials} trials, node ${process.version}`,
  );
  console.log(
    `load average ${loadavg()[0].toFixed(2)} on ${cpus().length} cores; × = baseline median / builder median`,
  );
  console.log(
    'L      builder     edges   wall min     wall median  × (wall)  cpu min      cpu median   × (cpu)  × (cpu min)',
  );
  for (const r of rows) {
    console.log(
      [
        String(r.L).padEnd(6),
        r.builder.padEnd(11),
        String(r.edges).padEnd(7),
        fmt(r.minUs).padEnd(12),
        fmt(r.medianUs).padEnd(12),
        `${r.speedupVsBaseline.toFixed(1)}×`.padEnd(9),
        fmt(r.cpuMinUs).padEnd(12),
        fmt(r.cpuMedianUs).padEnd(12),
        `${r.cpuSpeedupVsBaseline.toFixed(1)}×`.padEnd(8),
        `${r.cpuMinSpeedupVsBaseline.toFixed(1)}×`,
      ].join(' '),
    );
  }
}
if (sink === -1) console.log(sink);
