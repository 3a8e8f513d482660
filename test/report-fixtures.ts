/**
 * Seeded fake dashboard data for the report tests: synthetic sessions (src/synthetic/sessions.ts) with
 * real DAGs from src/graph, plus plausible attention, motif, pattern, confluence, validation and canary
 * figures drawn from the project Rng. Deterministic for a given seed.
 */
import { buildDag, dagInputFromSession } from '../src/graph/dag.js';
import type {
  AttentionView,
  CanaryFigures,
  ConfluenceView,
  DashboardData,
  DashboardSession,
  MotifRow,
  PatternCard,
  ValidationSummary,
} from '../src/report/types.js';
import { Rng, deriveSeed } from '../src/stats/random.js';
import { randomSession } from '../src/synthetic/index.js';
import { readSessionFile } from '../src/store/sessions.js';

export const EVIL = `<script>alert("x")</script>&'"`;

export interface FixtureOptions {
  seed?: number;
  sessions?: number;
  /** Put an HTML-injection string into a session id, the title and a motif class. */
  evil?: boolean;
}

/** A plausible top-m attention view: weights decay with distance, plus seeded noise. */
export function topMAttention(s: DashboardSession, m: number, rng: Rng): AttentionView {
  const n = s.events.length;
  const index = new Int32Array(n * m).fill(-1);
  const weight = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    // Candidate predecessors: the previous 24 events; weights decay with distance, plus noise.
    const cands: { j: number; w: number }[] = [];
    for (let j = Math.max(0, i - 24); j < i; j++)
      cands.push({ j, w: Math.exp(-(i - j) / 6) * (0.5 + rng.float()) });
    const total = cands.reduce((a, c) => a + c.w, 0) || 1;
    cands.sort((a, b) => b.w - a.w || a.j - b.j);
    for (let k = 0; k < Math.min(m, cands.length); k++) {
      index[i * m + k] = cands[k].j;
      weight[i * m + k] = cands[k].w / total;
    }
  }
  return { sessionId: s.id, n, m, index, weight, label: 'last layer, mean over heads' };
}

function fakeMotifs(rng: Rng, count: number, evil: boolean): MotifRow[] {
  const out: MotifRow[] = [];
  for (let r = 0; r < count; r++) {
    const size = 3 + rng.int(3);
    const kinds = Array.from({ length: size }, () => rng.int(7));
    const edges: string[] = [];
    for (let q = 1; q < size; q++) edges.push(`${rng.int(q)}>${q}`); // spanning tree keeps it connected
    for (let p = 0; p < size; p++)
      for (let q = p + 2; q < size; q++)
        if (rng.float() < 0.25 && !edges.includes(`${p}>${q}`)) edges.push(`${p}>${q}`);
    edges.sort();
    const lift = Math.exp(rng.normal() * 0.7 + 0.3);
    const p = Math.min(1, Math.exp(-lift * 2 * rng.float() - 0.5));
    const q = Math.min(1, p * (1 + rng.float() * 3));
    const cls = lift >= 2 && q < 0.01 ? 'PROMOTE' : q < 0.2 ? 'PARK' : 'DISCARD';
    out.push({
      id: `M${size}:kinds=${kinds.join(',')}:edges=${edges.join(',')}`,
      size,
      kinds,
      edges: edges.join(','),
      count: 5 + rng.int(400),
      support: 2 + rng.int(30),
      lift,
      p,
      q,
      ciLow: lift * (0.6 + 0.3 * rng.float()),
      ciHigh: lift * (1.1 + 0.5 * rng.float()),
      class: evil && r === 0 ? EVIL : cls,
    });
  }
  return out;
}

function fakePatterns(rng: Rng, sessions: DashboardSession[], k: number): PatternCard[] {
  const all = sessions.flatMap((s) => s.events.map((e) => ({ s, e })));
  return Array.from({ length: k }, (_, id) => {
    const kindCounts = Array.from({ length: 7 }, () => rng.int(60));
    const peak = 8 + rng.int(10);
    const hourHistogram = Array.from({ length: 24 }, (_, h) =>
      Math.round(40 * Math.exp(-((h - peak) ** 2) / 6) * rng.float()),
    );
    const size = kindCounts.reduce((a, b) => a + b, 0);
    const examples = Array.from({ length: 4 }, () => {
      const { s, e } = all[rng.int(all.length)];
      return { sessionId: s.id, clock: e.clock, kind: e.kind, price: e.price, distance: rng.float() * 2 };
    }).sort((a, b) => a.distance - b.distance);
    return {
      id,
      size,
      share: size / (k * 200),
      sessions: 3 + rng.int(10),
      kindCounts,
      hourHistogram,
      examples,
    };
  });
}

function fakeConfluence(rng: Rng, sessions: DashboardSession[]): ConfluenceView {
  const windows: ConfluenceView['windows'] = [];
  for (const s of sessions.slice(0, 3)) {
    const t0 = s.events[0].t;
    const t1 = s.events[s.events.length - 1].t;
    let level = 40 + rng.float() * 20;
    for (let t = t0, w = 0; t <= t1; t += 300_000, w++) {
      level = Math.max(0, Math.min(100, level + rng.normal() * 8));
      const ev = s.events.find((e) => e.t >= t);
      const clock = ev && ev.t === t ? ev.clock : clockOf(t, s);
      windows.push({
        sessionId: s.id,
        start: t,
        clock,
        score: w % 11 === 7 ? null : Math.round(level * 10) / 10,
      });
    }
  }
  return {
    sessions: sessions.map((s) => ({ sessionId: s.id, score: Math.round(rng.float() * 1000) / 10 })),
    windows,
    weights: { motif: 0.35, pattern: 0.25, htf: 0.2, liquidity: 0.2 },
  };
}

/** Wall clock of t from the session's first event (same offset). */
function clockOf(t: number, s: DashboardSession): string {
  const e0 = s.events[0];
  const [h, m, sec] = e0.clock.split(':').map(Number);
  const local = (((h * 60 + m) * 60 + (sec || 0)) * 1000 + (t - e0.t)) % 86_400_000;
  const mm = Math.floor(local / 60_000);
  return `${String(Math.floor(mm / 60)).padStart(2, '0')}:${String(mm % 60).padStart(2, '0')}:00`;
}

function fakeValidation(motifs: MotifRow[]): ValidationSummary {
  const promoted = motifs.filter((m) => m.class === 'PROMOTE').slice(0, 6);
  const rows = promoted.map((m, i) => ({
    id: m.id,
    discoveryLift: m.lift,
    discoveryQ: m.q,
    holdoutRecurrence: 0.3 + 0.1 * i,
    holdoutLift: m.lift * (0.6 + 0.1 * i),
    holdoutP: 0.002 * (i + 1),
    replicated: i % 3 !== 2,
  }));
  const replicated = rows.filter((r) => r.replicated).length;
  return {
    split: 'date ≥ 2025-08-05',
    discoverySessions: 24,
    holdoutSessions: 11,
    promoted: rows.length,
    replicated,
    replicationRate: rows.length ? replicated / rows.length : null,
    meanHoldoutRecurrence: rows.length
      ? rows.reduce((a, r) => a + (r.holdoutRecurrence ?? 0), 0) / rows.length
      : null,
    medianHoldoutLift: rows.length ? rows[Math.floor(rows.length / 2)].holdoutLift : null,
    motifs: rows,
  };
}

function fakeCanary(rng: Rng): CanaryFigures {
  const L = [128, 256, 512, 1024];
  const kernels: [string, number, number][] = [
    ['baseline', 0.004, 2],
    ['flash', 0.003, 2],
    ['block-sparse', 0.004, 1.4],
    ['time-bias-cache', 0.0035, 2],
    ['half', 0.005, 2],
  ];
  const series = kernels.map(([name, a, e]) => ({
    name,
    L,
    ms: L.map((l, i) => (name === 'half' && i === 3 ? null : a * l ** e * (0.9 + 0.2 * rng.float()))),
  }));
  return {
    gates: [
      {
        name: 'Overall speedup vs baseline',
        value: 1.62,
        comparator: '≥',
        threshold: 1.4,
        pass: true,
        unit: '×',
      },
      {
        name: 'Kernel parity (max-abs vs reference)',
        value: 3.2e-7,
        comparator: '≤',
        threshold: 1e-4,
        pass: true,
      },
      { name: 'Peak memory (share of RAM)', value: '4.1%', comparator: '≤', threshold: '70%', pass: true },
      {
        name: 'Motif stability (top-10 |Δlift|)',
        value: 0.061,
        comparator: '<',
        threshold: 0.05,
        pass: false,
      },
      {
        name: 'Regime variance',
        value: null,
        comparator: '<',
        threshold: 0.1,
        pass: null,
        note: 'not measured: 1 category',
      },
    ],
    series,
    charts: [
      {
        title: 'DAG builders: time vs L',
        series: ['baseline', 'topo', 'vectorized', 'sparse'].map((name, k) => ({
          name,
          L,
          ms: L.map(
            (l) => (k === 0 ? 0.0004 * l * l : 0.004 * l * (1 + k * 0.2)) * (0.9 + 0.2 * rng.float()),
          ),
        })),
      },
    ],
    notes: ['Machine: 2 cores, 24 GiB; 120 synthetic + 35 real sessions.'],
  };
}

/** Seeded fake dashboard data covering every section. */
export function fakeDashboardData(opts: FixtureOptions = {}): DashboardData {
  const seed = opts.seed ?? 42;
  const nSessions = opts.sessions ?? 4;
  const rng = new Rng(deriveSeed(seed, 9));
  const sessions: DashboardSession[] = [];
  for (let i = 0; i < nSessions; i++) {
    const n = 60 + rng.int(120);
    const s = randomSession(rng, n, { startT: Date.UTC(2025, 6, 28 + i, 13, 30) });
    const dag = buildDag(dagInputFromSession(s));
    const id = opts.evil && i === 1 ? `NY_AM_${EVIL}` : `NY_AM_2025-07-${28 + i}`;
    sessions.push({
      id,
      type: s.type,
      date: `2025-07-${28 + i}`,
      events: s.events.map((e) => ({
        t: e.t,
        clock: e.clock,
        kind: e.kind,
        price: e.price,
        source: e.source,
      })),
      dag: { src: dag.src, dst: dag.dst },
    });
  }
  const motifs = fakeMotifs(rng, 30, opts.evil ?? false);
  return {
    run: {
      title: opts.evil ? `Run ${EVIL}` : 'ironforge run — NQ sample',
      date: '2025-08-01',
      seed,
      kernel: 'auto → flash',
      versions: { ironforge: '0.1.0', node: 'v20.20.0', echarts: '6.1.0' },
      inputFiles: nSessions,
      timings: [
        { stage: 'ingest', ms: 412 },
        { stage: 'features', ms: 95 },
        { stage: 'graph', ms: 38 },
        { stage: 'tgat', ms: 2_310 },
        { stage: 'motifs', ms: 18_400 },
        { stage: 'report', ms: 640 },
      ],
      notes: ['Synthetic fixture data for tests.'],
    },
    sessions,
    attention: sessions.slice(0, 2).map((s) => topMAttention(s, 8, rng)),
    motifs,
    patterns: fakePatterns(rng, sessions, 4),
    confluence: fakeConfluence(rng, sessions),
    validation: fakeValidation(motifs),
    canary: fakeCanary(rng),
  };
}

/** Real sample sessions (`files` under `dir`) as dashboard sessions, with their DAGs. */
export async function realDashboardSessions(
  dir: string,
  files: readonly string[],
): Promise<DashboardSession[]> {
  const sessions: DashboardSession[] = [];
  for (const f of files) {
    const s = await readSessionFile(`${dir}/${f}`);
    const dag = buildDag(dagInputFromSession(s));
    sessions.push({
      id: s.id,
      type: s.type,
      date: s.date,
      events: s.events.map((e) => ({
        t: e.t,
        clock: e.clock,
        kind: e.kind,
        price: e.price,
        source: e.source,
      })),
      dag: { src: dag.src, dst: dag.dst },
    });
  }
  return sessions;
}
