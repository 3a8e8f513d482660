/**
 * Choice of the number of patterns k. Criterion (stated in every result): the k in [kMin, kMax] with the
 * highest mean silhouette of a seeded k-means fit on a seeded subsample of at most `sampleSize` rows; ties (and
 * any k whose silhouette is not strictly higher) go to the smaller k. When no k reaches a mean silhouette above 0
 * the data show no cluster structure and k = 1 (one pattern) is returned rather than an arbitrary split.
 *
 * The subsample bounds the O(m²) silhouette cost; the final clustering with the chosen k runs on all rows.
 */
import { Rng, deriveSeed } from '../stats/index.js';
import { kmeans } from './kmeans.js';
import { pairwiseDistances, silhouetteFromDistances } from './silhouette.js';
import { STREAMS } from '../core/index.js';

type Matrix = Float32Array | Float64Array;

export interface ChooseKOptions {
  seed: number;
  /** Smallest k tried (default 2: silhouette is undefined for one cluster). */
  kMin?: number;
  /**
   * Largest k tried (default 12: a pattern vocabulary a person can read; the silhouette decides within it).
   * Capped at m − 1 rows of the subsample.
   */
  kMax?: number;
  /** Rows in the silhouette subsample (default 2000: the n×n distance matrix is then 32 MB). */
  sampleSize?: number;
  nInit?: number;
  maxIter?: number;
}

export interface KScore {
  k: number;
  silhouette: number;
  inertia: number;
}

export interface ChooseKResult {
  k: number;
  /** Mean silhouette of the chosen k on the subsample (NaN when k = 1). */
  silhouette: number;
  scores: KScore[];
  /** Rows actually used (min(n, sampleSize)). */
  sampleRows: number;
  criterion: string;
}

// Stream label of the subsample draw, so it never shares a generator with the k-means restarts.
const SUBSAMPLE_STREAM = STREAMS.patternSubsample;

/** Seeded subsample of `m` of `n` row indices, ascending (partial Fisher–Yates). */
export function subsampleRows(n: number, m: number, seed: number): Int32Array {
  if (m >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  const rng = new Rng(deriveSeed(seed, SUBSAMPLE_STREAM));
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i);
    const tmp = idx[i];
    idx[i] = idx[j];
    idx[j] = tmp;
  }
  return idx.slice(0, m).sort();
}

/** Picks k by the criterion in the module comment. */
export function chooseK(data: Matrix, n: number, d: number, opts: ChooseKOptions): ChooseKResult {
  const kMin = opts.kMin ?? 2;
  const kMax = opts.kMax ?? 12;
  const sampleSize = opts.sampleSize ?? 2000;
  if (!Number.isInteger(kMin) || kMin < 2)
    throw new Error(`chooseK: kMin must be an integer ≥ 2, got ${kMin}`);
  if (!Number.isInteger(kMax) || kMax < kMin)
    throw new Error(`chooseK: kMax must be an integer ≥ kMin (${kMin}), got ${kMax}`);
  if (!Number.isInteger(sampleSize) || sampleSize < 3)
    throw new Error(`chooseK: sampleSize must be an integer ≥ 3, got ${sampleSize}`);
  if (data.length !== n * d) throw new Error(`chooseK: data has ${data.length} values, expected ${n * d}`);
  const rows = subsampleRows(n, Math.min(n, sampleSize), opts.seed);
  const m = rows.length;
  const sample = new Float64Array(m * d);
  for (let r = 0; r < m; r++) for (let x = 0; x < d; x++) sample[r * d + x] = data[rows[r] * d + x];
  const criterion =
    `k in [${kMin}, ${kMax}] with the highest mean silhouette (Euclidean) of seeded k-means++ on a seeded ` +
    `subsample of ${m} rows; ties → smaller k; k = 1 when no k has mean silhouette > 0`;
  const scores: KScore[] = [];
  const top = Math.min(kMax, m - 1);
  if (top < kMin) return { k: 1, silhouette: NaN, scores, sampleRows: m, criterion };
  const dist = pairwiseDistances(sample, m, d);
  let bestK = 1;
  let bestS = 0;
  for (let k = kMin; k <= top; k++) {
    const km = kmeans(sample, m, d, {
      k,
      seed: deriveSeed(opts.seed, k),
      nInit: opts.nInit,
      maxIter: opts.maxIter,
    });
    const s = silhouetteFromDistances(dist, m, km.assign, k).mean;
    scores.push({ k, silhouette: s, inertia: km.inertia });
    if (s > bestS) {
      bestS = s;
      bestK = k;
    }
  }
  return { k: bestK, silhouette: bestK === 1 ? NaN : bestS, scores, sampleRows: m, criterion };
}
