/**
 * Motif mining benchmark (SPEC stage 6).
 * 1. Enumeration: all connected induced 3-, 4- and 5-node subgraphs of one synthetic session (test/helpers
 *    randomSession: minute-granular times, sample-like kinds) with its default DAG (k = 4, [1, 120] min), at
 *    L = 128/256/512/1024, counted into canonical motifs (countMotifs). Min and median ms per session.
 * 2. Nulls: replicates per second (one replicate = every session once) of each null model on the 35 real sample
 *    sessions and on 16 synthetic sessions of L = 256, sizes 3–5, tested motifs = support ≥ 3 (default).
 *    Measured from mineMotifsDetailed's own null timing (bootstrap and stats excluded) after a warm-up run; the
 *    figure includes each run's memo warm-up (cold catalog), so it rises with --nulls.
 *
 *   npx tsx bench/motifs.ts [--json] [--trials N] [--sizes 128,256] [--nulls N] [--models kind-shuffle,edge-swap]
 */
import { buildDag, dagInputFromSession } from '../src/graph/dag.js';
import {
  countMotifs,
  mineMotifsDetailed,
  type MotifSession,
  type NullModelName,
} from '../src/motifs/index.js';
import { readSessions } from '../src/store/sessions.js';
import type { Session } from '../src/session/types.js';
import { Rng } from '../src/stats/random.js';
import { randomSession } from '../src/synthetic/index.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const asJson = process.argv.includes('--json');
const trials = Number(arg('--trials') ?? 5);
const sizes = (arg('--sizes') ?? '128,256,512,1024').split(',').map(Number);
const nulls = Number(arg('--nulls') ?? 100);
const models = (arg('--models') ?? 'kind-shuffle,edge-swap,time-jitter').split(',') as NullModelName[];
const gc = (globalThis as { gc?: () => void }).gc;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function toMotifSession(s: Session): MotifSession {
  const input = dagInputFromSession(s);
  return { id: s.id, n: input.t.length, ...input, dag: buildDag(input) };
}

interface EnumRow {
  L: number;
  edges: number;
  occurrences: number;
  motifs: number;
  minMs: number;
  medianMs: number;
  trials: number;
}
const enumRows: EnumRow[] = [];
for (const L of sizes) {
  const s = toMotifSession({ ...randomSession(new Rng(2000 + L), L), id: `synthetic_L${L}` });
  const warm = countMotifs([s]);
  const times: number[] = [];
  for (let t = 0; t < trials; t++) {
    gc?.();
    const t0 = performance.now();
    countMotifs([s]);
    times.push(performance.now() - t0);
  }
  enumRows.push({
    L,
    edges: s.dag.src.length,
    occurrences: warm.occurrencesBySize.reduce((a, b) => a + b, 0),
    motifs: warm.catalog.size,
    minMs: Math.min(...times),
    medianMs: median(times),
    trials,
  });
}

interface NullRow {
  data: string;
  sessions: number;
  events: number;
  tested: number;
  model: NullModelName;
  nulls: number;
  minNullsPerSec: number;
  medianNullsPerSec: number;
  /** Median CPU seconds of this process for the whole mine call (observe + nulls + stats): the host is shared. */
  medianCpuSec: number;
  trials: number;
}
const { sessions: real } = await readSessions(['data/sample/enhanced']);
const datasets: { name: string; sessions: MotifSession[] }[] = [
  { name: 'sample (35 real)', sessions: real.map(toMotifSession) },
  {
    name: 'synthetic 16×L256',
    sessions: Array.from({ length: 16 }, (_, i) =>
      toMotifSession({ ...randomSession(new Rng(3000 + i), 256), id: `syn${i}` }),
    ),
  },
];
const nullRows: NullRow[] = [];
const nullTrials = Math.max(1, Math.min(trials, 3));
for (const d of datasets) {
  for (const model of models) {
    const opts = { nulls, nullModel: model, bootstrap: 1, seed: 42 };
    const warm = mineMotifsDetailed(d.sessions, { ...opts, nulls: Math.max(1, Math.floor(nulls / 4)) });
    const rates: number[] = [];
    const cpus: number[] = [];
    for (let t = 0; t < nullTrials; t++) {
      gc?.();
      const c0 = process.cpuUsage();
      const run = mineMotifsDetailed(d.sessions, { ...opts, seed: 42 + t, clock: () => performance.now() });
      const c1 = process.cpuUsage(c0);
      cpus.push((c1.user + c1.system) / 1e6);
      rates.push(run.timing.nulls[0].nullsPerSecond ?? Number.NaN);
    }
    nullRows.push({
      data: d.name,
      sessions: d.sessions.length,
      events: d.sessions.reduce((a, s) => a + s.n, 0),
      tested: warm.testedMotifs,
      model,
      nulls,
      minNullsPerSec: Math.min(...rates),
      medianNullsPerSec: median(rates),
      medianCpuSec: median(cpus),
      trials: nullTrials,
    });
  }
}

if (asJson) console.log(JSON.stringify({ enumeration: enumRows, nulls: nullRows }, null, 2));
else {
  console.log('Enumeration + canonical counting, sizes 3–5, one session (ms):');
  console.log('    L   edges  occurrences  motifs     min ms  median ms');
  for (const r of enumRows)
    console.log(
      `${String(r.L).padStart(5)} ${String(r.edges).padStart(7)} ${String(r.occurrences).padStart(12)} ${String(r.motifs).padStart(7)} ${r.minMs.toFixed(1).padStart(10)} ${r.medianMs.toFixed(1).padStart(10)}`,
    );
  console.log(
    `\nNull replicates per second (${nulls} nulls per trial, ${nullTrials} trials; min = slowest trial):`,
  );
  console.log('data                 events  tested  model          min nulls/s  median nulls/s  cpu s/run');
  for (const r of nullRows)
    console.log(
      `${r.data.padEnd(20)} ${String(r.events).padStart(6)} ${String(r.tested).padStart(7)}  ${r.model.padEnd(13)} ${r.minNullsPerSec.toFixed(1).padStart(12)} ${r.medianNullsPerSec.toFixed(1).padStart(15)} ${r.medianCpuSec.toFixed(1).padStart(10)}`,
    );
}
