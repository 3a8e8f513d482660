/**
 * Last-layer attention read-out: for every node j, the m predecessors i < j with the largest attention
 * weight averaged over heads (the weights are those of the softmax over all of j's allowed columns, itself
 * included), ties broken by the smaller index. Rows with fewer predecessors are padded with index −1 and
 * weight 0. Computed in float64 from the last layer's stored Q and K, so every kernel is read out the same way.
 */
import type { AttentionSession, FloatArray } from './kernels/types.js';
import { factorBias, scaledBiasRow } from './kernels/common.js';
import { timeBiasAt } from './time-encoding.js';
import { allowedCount } from './mask.js';

export interface AttentionTopM {
  m: number;
  /** [n][m] predecessor indices, −1 padded. */
  index: Int32Array;
  /** [n][m] head-averaged attention weights, 0 where the index is −1. */
  weight: Float32Array;
}

export function attentionTopM(
  session: AttentionSession,
  q: FloatArray,
  k: FloatArray,
  gamma: Float64Array,
  m: number,
  exactBias: boolean,
): AttentionTopM {
  const { n, heads, headDim: dh, mask, time, tRel, omega, phi, beta } = session;
  const index = new Int32Array(n * m).fill(-1);
  const weight = new Float32Array(n * m);
  if (m === 0 || n === 0) return { m, index, weight };
  const cols = new Int32Array(n);
  const s = new Float64Array(n);
  const avg = new Float64Array(n);
  const rowBuf = new Float64Array(2 * (time?.d ?? 0));
  const topW = new Float64Array(m);
  const topI = new Int32Array(m);
  for (let j = 0; j < n; j++) {
    const count = allowedCount(mask, j);
    if (count === 0) continue;
    let c = 0;
    if (mask.predPtr && mask.pred)
      for (let p = mask.predPtr[j]; p < mask.predPtr[j + 1]; p++) cols[c++] = mask.pred[p];
    else for (let i = mask.lo[j]; i < j; i++) cols[c++] = i;
    if (mask.self) cols[c] = j;
    avg.fill(0, 0, count);
    for (let h = 0; h < heads; h++) {
      const base = h * n * dh;
      if (time && !exactBias) scaledBiasRow(time, gamma[h], j, rowBuf);
      let max = -Infinity;
      for (let a = 0; a < count; a++) {
        const i = cols[a];
        let v = 0;
        for (let d = 0; d < dh; d++) v += q[base + j * dh + d] * k[base + i * dh + d];
        if (time)
          v += exactBias
            ? gamma[h] * timeBiasAt(omega, phi, beta, tRel[j] - tRel[i])
            : factorBias(time, rowBuf, i);
        s[a] = v;
        if (v > max) max = v;
      }
      let sum = 0;
      for (let a = 0; a < count; a++) {
        s[a] = Math.exp(s[a] - max);
        sum += s[a];
      }
      for (let a = 0; a < count; a++) avg[a] += s[a] / sum / heads;
    }
    // Insertion into the top-m list: weight descending, index ascending. Columns arrive in ascending index
    // order, so requiring a strictly larger weight to move up keeps the smaller index first on ties.
    let filled = 0;
    for (let a = 0; a < count; a++) {
      const i = cols[a];
      if (i === j) continue;
      const wv = avg[a];
      let pos: number;
      if (filled === m) {
        if (!(wv > topW[m - 1])) continue;
        pos = m - 1;
      } else {
        pos = filled++;
      }
      while (pos > 0 && wv > topW[pos - 1]) {
        topW[pos] = topW[pos - 1];
        topI[pos] = topI[pos - 1];
        pos--;
      }
      topW[pos] = wv;
      topI[pos] = i;
    }
    for (let r = 0; r < filled; r++) {
      index[j * m + r] = topI[r];
      weight[j * m + r] = topW[r];
    }
  }
  return { m, index, weight };
}
