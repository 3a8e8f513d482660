/**
 * `baseline`: the textbook float32 attention, as a framework's "math" path computes it. Per head it fills a
 * full n×n float32 score matrix S = Q·Kᵀ + γ·B over every (row, column) pair, sets disallowed entries to −∞,
 * turns each row into softmax weights in place, and multiplies the whole n×n matrix by V (masked entries are
 * zeros and still multiplied). Workspace: n² floats. It is the denominator of every speed ratio.
 */
import type { AttentionInputs, AttentionKernel, AttentionSession, KernelState } from './types.js';
import { allowedByStamp, factorBias, scaledBiasRow, stampRow } from './common.js';

interface BaselineState extends KernelState {
  scores: Float32Array;
  stamp: Int32Array;
  rowBuf: Float64Array;
  acc: Float64Array;
}

export const baselineKernel: AttentionKernel = {
  name: 'baseline',
  description: 'float32, full n×n score matrix per head, mask applied after scoring',
  precision: 'float32',
  backend: 'ts',
  workspaceBytes(s: AttentionSession) {
    return 4 * s.n * s.n + 4 * s.n + 8 * (2 * (s.time?.d ?? 0) + s.headDim);
  },
  prepare(session): BaselineState {
    const n = session.n;
    return {
      session,
      scores: new Float32Array(n * n),
      stamp: new Int32Array(n),
      rowBuf: new Float64Array(2 * (session.time?.d ?? 0)),
      acc: new Float64Array(session.headDim),
    };
  },
  run(state, inputs: AttentionInputs) {
    const st = state as BaselineState;
    const { n, heads, headDim: dh, mask, time } = st.session;
    const { q, k, v, gamma, out } = inputs;
    const S = st.scores;
    const width = heads * dh;
    for (let h = 0; h < heads; h++) {
      const base = h * n * dh;
      // 1. S = Q·Kᵀ + γ·B over all n² pairs.
      for (let j = 0; j < n; j++) {
        if (time) scaledBiasRow(time, gamma[h], j, st.rowBuf);
        const qj = base + j * dh;
        const srow = j * n;
        for (let i = 0; i < n; i++) {
          const ki = base + i * dh;
          let s = 0;
          for (let d = 0; d < dh; d++) s += q[qj + d] * k[ki + d];
          if (time) s += factorBias(time, st.rowBuf, i);
          S[srow + i] = s;
        }
      }
      // 2. mask, 3. softmax in place (float64 sums), 4. O = P·V over all n columns.
      for (let j = 0; j < n; j++) {
        stampRow(mask, j, st.stamp);
        const srow = j * n;
        let max = -Infinity;
        for (let i = 0; i < n; i++) {
          if (!allowedByStamp(mask, st.stamp, j, i)) S[srow + i] = -Infinity;
          else if (S[srow + i] > max) max = S[srow + i];
        }
        const o = j * width + h * dh;
        if (max === -Infinity) {
          for (let d = 0; d < dh; d++) out[o + d] = 0;
          continue;
        }
        let sum = 0;
        for (let i = 0; i < n; i++) {
          const e = Math.exp(S[srow + i] - max);
          S[srow + i] = e;
          sum += e;
        }
        const acc = st.acc;
        acc.fill(0);
        for (let i = 0; i < n; i++) {
          const p = S[srow + i];
          const vi = base + i * dh;
          for (let d = 0; d < dh; d++) acc[d] += p * v[vi + d];
        }
        for (let d = 0; d < dh; d++) out[o + d] = acc[d] / sum;
      }
    }
  },
};
