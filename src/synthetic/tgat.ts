/**
 * Seeded synthetic sessions for the TGAT tests, bench and `tune`: standardized features (each column
 * z-scored over the session, as the features stage does), realistic event times (irregular whole-second gaps
 * with ~20% ties) and a DAG by the WINDOW_KNN rule of SPEC stage 4 (first k later nodes whose gap lies in
 * [1, 120] min), as CSR. Not calibrated on the sample data; it exercises shapes, masks and numerics.
 */
import type { Dag } from '../graph/index.js';
import { Rng } from '../stats/index.js';

export interface TgatFixture {
  n: number;
  inDim: number;
  x: Float32Array;
  t: Float64Array;
}

/** Session start used by every fixture: 2025-07-29 13:30 UTC. */
export const T0 = 1753795800000;

export function tgatFixture(n: number, seed: number, inDim = 45): TgatFixture {
  const rng = new Rng(seed);
  const raw = new Float64Array(n * inDim);
  for (let i = 0; i < raw.length; i++) raw[i] = rng.normal() * (1 + (i % inDim)) + (i % 7);
  const x = new Float32Array(n * inDim);
  for (let c = 0; c < inDim; c++) {
    let mean = 0;
    for (let r = 0; r < n; r++) mean += raw[r * inDim + c];
    mean /= Math.max(n, 1);
    let v = 0;
    for (let r = 0; r < n; r++) v += (raw[r * inDim + c] - mean) ** 2;
    const sd = Math.sqrt(v / Math.max(n, 1)) || 1;
    for (let r = 0; r < n; r++) x[r * inDim + c] = (raw[r * inDim + c] - mean) / sd;
  }
  const t = new Float64Array(n);
  let acc = T0;
  for (let i = 0; i < n; i++) {
    // gaps: 20% ties, otherwise exponential with mean 40 s, whole seconds (like HH:MM:SS sources)
    if (i > 0 && rng.float() >= 0.2) acc += 1000 * Math.ceil(-40 * Math.log(1 - rng.float()));
    t[i] = acc;
  }
  return { n, inDim, x, t };
}

/** WINDOW_KNN DAG: each i links to the first k later nodes whose gap lies in [dtMin, dtMax] ms. */
export function windowKnnDag(t: Float64Array, k = 4, dtMinMs = 60_000, dtMaxMs = 7_200_000): Dag {
  const n = t.length;
  const src: number[] = [];
  const dst: number[] = [];
  const rowPtr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let made = 0;
    for (let j = i + 1; j < n && made < k; j++) {
      const dt = t[j] - t[i];
      if (dt > dtMaxMs) break;
      if (dt < dtMinMs) continue;
      src.push(i);
      dst.push(j);
      made++;
    }
    rowPtr[i + 1] = src.length;
  }
  const m = src.length;
  return {
    n,
    src: Int32Array.from(src),
    dst: Int32Array.from(dst),
    rowPtr,
    weight: new Float32Array(m).fill(0.5),
    dtMinutes: Float32Array.from(src.map((s, e) => (t[dst[e]] - t[s]) / 60000)),
  };
}
