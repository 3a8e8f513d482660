/**
 * Stage-7 benchmark: k-means (k = 8, fixed), the choice of k (k = 2..12, silhouette on a 2000-row subsample),
 * one `similarMoments` query, and confluence scoring, over n pooled event embeddings of width 44 (seeded
 * normal values in 8 loose groups, so the clustering does real work). n = 1431 is the size of the real sample.
 * Each configuration: one warm-up call, then `--trials` timed calls; min and median in ms.
 *
 *   npx tsx bench/patterns.ts [--json] [--trials N] [--sizes 1431,10000,60000]
 */
import { Rng } from '../src/stats/random.js';
import { embeddingTableFromSessions, type EmbeddingTable } from '../src/patterns/embeddings.js';
import { kmeans } from '../src/patterns/kmeans.js';
import { chooseK } from '../src/patterns/select-k.js';
import { l2NormalizeRows } from '../src/patterns/patterns.js';
import { similarMoments } from '../src/patterns/similar.js';
import { buildConfluenceInputs, scoreConfluence } from '../src/confluence/score.js';
import type { Session } from '../src/session/types.js';
import { randomSession } from '../src/synthetic/index.js';

interface Row {
  step: string;
  n: number;
  minMs: number;
  medianMs: number;
  trials: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const asJson = process.argv.includes('--json');
const trials = Number(arg('--trials') ?? 5);
const sizes = (arg('--sizes') ?? '1431,10000,60000').split(',').map(Number);
const DIM = 44;
const EVENTS_PER_SESSION = 200;
const gc = (globalThis as { gc?: () => void }).gc;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function time(step: string, n: number, fn: () => unknown): Row {
  fn(); // warm-up
  gc?.();
  const ms: number[] = [];
  for (let t = 0; t < trials; t++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return { step, n, minMs: Math.min(...ms), medianMs: median(ms), trials };
}

function synthetic(n: number): { sessions: Session[]; table: EmbeddingTable } {
  const rng = new Rng(n);
  const sessions: Session[] = [];
  for (let left = n, s = 0; left > 0; s++) {
    const len = Math.min(EVENTS_PER_SESSION, left);
    const ses = randomSession(rng, len, { startT: Date.UTC(2025, 6, 1 + (s % 28), 13, 30) + s });
    sessions.push({ ...ses, id: `S${s}` });
    left -= len;
  }
  const centres = Array.from({ length: 8 }, () => Float64Array.from({ length: DIM }, () => rng.normal() * 2));
  const emb = sessions.map((s) => {
    const e = new Float32Array(s.events.length * DIM);
    for (let i = 0; i < s.events.length; i++) {
      const c = centres[rng.int(8)];
      for (let x = 0; x < DIM; x++) e[i * DIM + x] = c[x] + rng.normal();
    }
    return e;
  });
  return { sessions, table: embeddingTableFromSessions(sessions, emb, DIM) };
}

const rows: Row[] = [];
for (const n of sizes) {
  const { sessions, table } = synthetic(n);
  const data = l2NormalizeRows(table.vectors, table.n, DIM);
  rows.push(time('kmeans k=8 nInit=4', n, () => kmeans(data, n, DIM, { k: 8, seed: 42 })));
  rows.push(time('chooseK 2..12 (2000-row silhouette)', n, () => chooseK(data, n, DIM, { seed: 42 })));
  rows.push(
    time('similarMoments k=5', n, () => similarMoments(table, sessions[0].id, sessions[0].events[50].t, 5)),
  );
  const inputs = buildConfluenceInputs(sessions);
  rows.push(time('scoreConfluence (structure+htf)', n, () => scoreConfluence({ sessions: inputs })));
}

if (asJson) process.stdout.write(JSON.stringify({ dim: DIM, trials, rows }, null, 2) + '\n');
else {
  const head = ['step', 'n', 'min ms', 'median ms'];
  const body = rows.map((r) => [r.step, String(r.n), r.minMs.toFixed(2), r.medianMs.toFixed(2)]);
  const w = head.map((h, c) => Math.max(h.length, ...body.map((b) => b[c].length)));
  const line = (r: string[]) => r.map((x, c) => x.padEnd(w[c])).join('  ');
  console.log(line(head));
  console.log(w.map((x) => '-'.repeat(x)).join('  '));
  for (const b of body) console.log(line(b));
}
