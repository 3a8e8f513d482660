/**
 * The patterns stage's distance work, new kernels against the scalar code they replaced (kept in
 * test/helpers/kmeans-scalar.ts), measured in the same process, interleaved trial by trial (A then B, then B then
 * A), so machine load hits both alike:
 *
 * - `kmeans k=2..12`: the eleven fits of `chooseK` (4 restarts each), with Hamerly bounds and blocked distances,
 *   vs. the plain Lloyd scan;
 * - `pairwise+silhouette k=2..12`: one n×n distance matrix and eleven silhouettes, blocked and by cluster lists,
 *   vs. one pair at a time and a scatter per row.
 *
 * Data: n rows of width 45 (the hand features' width), seeded normal values around 8 loose centres, L2-normalised
 * as `buildPatterns` does. Each row also says whether the two outputs are identical bit for bit (they must be:
 * test/patterns-kmeans.test.ts asserts it). Wall and CPU time (process.cpuUsage) per call; min and median in ms.
 *
 *   npx tsx bench/kmeans-kernels.ts [--json] [--trials N] [--sizes 1431,5000]
 */
import { Rng, deriveSeed } from '../src/stats/random.js';
import { kmeans } from '../src/patterns/kmeans.js';
import { pairwiseDistances, silhouetteFromDistances } from '../src/patterns/silhouette.js';
import { l2NormalizeRows } from '../src/patterns/patterns.js';
import { scalarKmeans, scalarPairwiseDistances, scalarSilhouette } from '../test/helpers/kmeans-scalar.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const asJson = process.argv.includes('--json');
const trials = Number(arg('--trials') ?? 5);
const sizes = (arg('--sizes') ?? '1431,5000').split(',').map(Number);
const DIM = 45;
const K_VALUES = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

interface Sample {
  wall: number;
  cpu: number;
}

function once(fn: () => unknown): Sample & { out: unknown } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000, out };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

function data(n: number): Float64Array {
  const rng = new Rng(n);
  const centres = Array.from({ length: 8 }, () => Float64Array.from({ length: DIM }, () => rng.normal() * 2));
  const raw = new Float64Array(n * DIM);
  for (let i = 0; i < n; i++) {
    const c = centres[rng.int(8)];
    for (let x = 0; x < DIM; x++) raw[i * DIM + x] = c[x] + rng.normal() * 1.5;
  }
  return l2NormalizeRows(raw, n, DIM);
}

interface Row {
  step: string;
  n: number;
  newMin: number;
  newMedian: number;
  newCpuMedian: number;
  peerMin: number;
  peerMedian: number;
  peerCpuMedian: number;
  /** peer median / new median (wall). */
  ratio: number;
  identical: boolean;
}

function compare(
  step: string,
  n: number,
  fresh: () => number[],
  peer: () => number[],
  identicalCheck = true,
): Row {
  const a: Sample[] = [];
  const b: Sample[] = [];
  let identical = true;
  fresh();
  peer(); // warm-up of both
  for (let t = 0; t < trials; t++) {
    const order = t % 2 === 0 ? [0, 1] : [1, 0];
    const outs: unknown[] = [];
    for (const which of order) {
      const s = once(which === 0 ? fresh : peer);
      (which === 0 ? a : b).push(s);
      outs[which] = s.out;
    }
    if (identicalCheck) identical &&= sameBits(outs[0] as number[], outs[1] as number[]);
  }
  const newMedian = median(a.map((s) => s.wall));
  const peerMedian = median(b.map((s) => s.wall));
  return {
    step,
    n,
    newMin: Math.min(...a.map((s) => s.wall)),
    newMedian,
    newCpuMedian: median(a.map((s) => s.cpu)),
    peerMin: Math.min(...b.map((s) => s.wall)),
    peerMedian,
    peerCpuMedian: median(b.map((s) => s.cpu)),
    ratio: peerMedian / newMedian,
    identical,
  };
}

const rows: Row[] = [];
for (const n of sizes) {
  const x = data(n);
  // every fit's assignments, centroids and inertia, flattened, so the identity check covers all of them
  const fits = (fit: (k: number) => { assign: Int32Array; centroids: Float64Array; inertia: number }) =>
    K_VALUES.flatMap((k) => {
      const r = fit(k);
      return [...r.assign, ...r.centroids, r.inertia];
    });
  rows.push(
    compare(
      'kmeans k=2..12 (nInit 4)',
      n,
      () => fits((k) => kmeans(x, n, DIM, { k, seed: deriveSeed(42, k) })),
      () => fits((k) => scalarKmeans(x, n, DIM, k, deriveSeed(42, k))),
    ),
  );
  const assigns = K_VALUES.map((k) => kmeans(x, n, DIM, { k, seed: deriveSeed(42, k), nInit: 1 }).assign);
  rows.push(
    compare(
      'pairwise+silhouette k=2..12',
      n,
      () => {
        const d = pairwiseDistances(x, n, DIM);
        return assigns.flatMap((a, i) => {
          const s = silhouetteFromDistances(d, n, a, K_VALUES[i]);
          return [s.mean, ...s.perRow];
        });
      },
      () => {
        const d = scalarPairwiseDistances(x, n, DIM);
        return assigns.flatMap((a, i) => scalarSilhouette(d, n, a, K_VALUES[i]));
      },
    ),
  );
}

if (asJson) process.stdout.write(JSON.stringify({ dim: DIM, trials, rows }, null, 2) + '\n');
else {
  const head = [
    'step',
    'n',
    'new min',
    'new med',
    'new cpu',
    'peer min',
    'peer med',
    'peer cpu',
    'peer/new',
    'same bits',
  ];
  const f = (v: number) => v.toFixed(1);
  const body = rows.map((r) => [
    r.step,
    String(r.n),
    f(r.newMin),
    f(r.newMedian),
    f(r.newCpuMedian),
    f(r.peerMin),
    f(r.peerMedian),
    f(r.peerCpuMedian),
    r.ratio.toFixed(2) + '×',
    r.identical ? 'yes' : 'NO',
  ]);
  const w = head.map((h, c) => Math.max(h.length, ...body.map((b) => b[c].length)));
  const line = (r: string[]) => r.map((v, c) => v.padEnd(w[c])).join('  ');
  console.log(
    `ms per call, ${trials} interleaved trials each (peer = the scalar code in test/helpers/kmeans-scalar.ts)`,
  );
  console.log(line(head));
  console.log(w.map((v) => '-'.repeat(v)).join('  '));
  for (const b of body) console.log(line(b));
}
