/** Seeded fixtures for the motif tests and bench: small random DAGs and synthetic sessions. */
import { buildDag } from '../src/graph/dag.js';
import { DEFAULT_DAG_CONFIG, type Dag, type DagConfig } from '../src/graph/types.js';
import type { MotifSession } from '../src/motifs/types.js';
import { Rng } from '../src/stats/random.js';

/** A Dag (CSR sorted by (src, dst)) from a list of edges u → v (u < v); weights and gaps are placeholders of 1. */
export function dagFromPairs(n: number, pairs: readonly (readonly [number, number])[]): Dag {
  const sorted = [...pairs].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const src = Int32Array.from(sorted.map((p) => p[0]));
  const dst = Int32Array.from(sorted.map((p) => p[1]));
  const rowPtr = new Int32Array(n + 1);
  for (const s of src) rowPtr[s + 1]++;
  for (let i = 0; i < n; i++) rowPtr[i + 1] += rowPtr[i];
  return {
    n,
    src,
    dst,
    rowPtr,
    weight: new Float32Array(src.length).fill(1),
    dtMinutes: new Float32Array(src.length).fill(1),
  };
}

/** Random DAG on n nodes: each pair i < j with j − i ≤ span is an edge with probability p. */
export function randomDag(rng: Rng, n: number, p: number, span = n): Dag {
  const pairs: [number, number][] = [];
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n && j - i <= span; j++) if (rng.float() < p) pairs.push([i, j]);
  return dagFromPairs(n, pairs);
}

export function randomKinds(rng: Rng, n: number, nKinds = 7): Uint8Array {
  const k = new Uint8Array(n);
  for (let i = 0; i < n; i++) k[i] = rng.int(nKinds);
  return k;
}

/** Kind mix of the real sample, roughly (Expansion … Anchor). */
export const SAMPLE_KIND_WEIGHTS = [0.22, 0.17, 0.1, 0.08, 0.25, 0.1, 0.08];

function pick(rng: Rng, w: readonly number[]): number {
  let u = rng.float() * w.reduce((a, b) => a + b, 0);
  for (let i = 0; i < w.length; i++) {
    u -= w[i];
    if (u < 0) return i;
  }
  return w.length - 1;
}

export interface SynthOptions {
  /** Mean gap between events, ms (default 150,000). */
  meanGapMs?: number;
  kindWeights?: readonly number[];
  /** Planted rule: after a LiquidityTaken (4) the next event is a Redelivery (5) with this probability. */
  plant45?: number;
  dagConfig?: DagConfig;
}

/** A synthetic session: exponential gaps rounded to the minute, random-walk price, weighted kinds, buildDag. */
export function synthSession(id: string, n: number, rng: Rng, o: SynthOptions = {}): MotifSession {
  const meanGap = o.meanGapMs ?? 150_000;
  const weights = o.kindWeights ?? SAMPLE_KIND_WEIGHTS;
  const t = new Float64Array(n);
  const price = new Float64Array(n);
  const kind = new Uint8Array(n);
  let time = Date.UTC(2025, 6, 29, 13, 30);
  let px = 23_000;
  for (let i = 0; i < n; i++) {
    time += Math.round((-Math.log(1 - rng.float()) * meanGap) / 60_000) * 60_000;
    px += rng.normal() * 8;
    t[i] = time;
    price[i] = px;
    kind[i] =
      i > 0 && kind[i - 1] === 4 && o.plant45 !== undefined && rng.float() < o.plant45
        ? 5
        : pick(rng, weights);
  }
  const dag = buildDag({ t, price, kind }, o.dagConfig ?? DEFAULT_DAG_CONFIG);
  return { id, n, t, price, kind, dag };
}

/** `count` synthetic sessions of n events each, seeded. */
export function synthSessions(seed: number, count: number, n: number, o: SynthOptions = {}): MotifSession[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, i) => synthSession(`S${i}`, n, rng.fork(i), o));
}
