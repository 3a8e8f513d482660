/**
 * The attention DAG: each node keeps its top-m predecessors by last-layer attention (the TGAT stage supplies
 * them as an n × m index matrix, −1 padded, ties already broken by index). Edges run predecessor → node.
 */
import type { Dag } from '../graph/index.js';

export interface AttentionDagOptions {
  /** Event times (UTC ms) to fill dtMinutes; without them dtMinutes is NaN (unknown). */
  t?: Float64Array;
  /** n × m attention weights aligned with `index`; without them weight = 1 − rank/m (rank 0 = top). */
  score?: Float32Array | Float64Array;
}

/**
 * Build a Dag (CSR sorted by (src, dst)) from a top-m predecessor index matrix: row i lists, best first, the
 * nodes j that node i attends to most. Entries −1 are padding. A self entry (j = i, attention to itself) is
 * not an edge and is skipped. Throws on j > i (not a predecessor: the result would not be a time-ordered DAG),
 * j < −1 or j ≥ n, a repeated j in a row, or a matrix of the wrong length.
 */
export function attentionDagFromTopM(
  index: Int32Array,
  n: number,
  m: number,
  opts: AttentionDagOptions = {},
): Dag {
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`attentionDagFromTopM: n must be an integer ≥ 0, got ${n}`);
  if (!Number.isInteger(m) || m < 1)
    throw new Error(`attentionDagFromTopM: m must be an integer ≥ 1, got ${m}`);
  if (!(index instanceof Int32Array) || index.length !== n * m)
    throw new Error(
      `attentionDagFromTopM: index must be an Int32Array of n·m = ${n * m} entries, got ${index?.length}`,
    );
  if (opts.t && opts.t.length !== n)
    throw new Error(`attentionDagFromTopM: t has ${opts.t.length} entries, expected ${n}`);
  if (opts.score && opts.score.length !== n * m)
    throw new Error(`attentionDagFromTopM: score has ${opts.score.length} entries, expected ${n * m}`);
  // Count out-degree per source, validating as we go.
  const outDeg = new Int32Array(n);
  let nEdges = 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < m; c++) {
      const j = index[i * m + c];
      if (j === -1 || j === i) continue;
      if (j < -1 || j >= n)
        throw new Error(`attentionDagFromTopM: index[${i}·${m}+${c}] = ${j} out of range −1..${n - 1}`);
      if (j > i)
        throw new Error(
          `attentionDagFromTopM: node ${i} lists node ${j} (later in time) as a predecessor; attention must be causal`,
        );
      for (let c2 = 0; c2 < c; c2++)
        if (index[i * m + c2] === j)
          throw new Error(`attentionDagFromTopM: node ${i} lists predecessor ${j} twice`);
      outDeg[j]++;
      nEdges++;
    }
  }
  const rowPtr = new Int32Array(n + 1);
  for (let u = 0; u < n; u++) rowPtr[u + 1] = rowPtr[u] + outDeg[u];
  const src = new Int32Array(nEdges);
  const dst = new Int32Array(nEdges);
  const weight = new Float32Array(nEdges);
  const dtMinutes = new Float32Array(nEdges);
  const fill = rowPtr.slice(0, n);
  // Walking targets i ascending appends to each source row in ascending dst order: rows come out sorted.
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < m; c++) {
      const j = index[i * m + c];
      if (j === -1 || j === i) continue;
      const e = fill[j]++;
      src[e] = j;
      dst[e] = i;
      weight[e] = opts.score ? opts.score[i * m + c] : 1 - c / m;
      dtMinutes[e] = opts.t ? (opts.t[i] - opts.t[j]) / 60_000 : NaN;
    }
  }
  return { n, src, dst, rowPtr, weight, dtMinutes };
}
