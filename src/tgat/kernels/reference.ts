/**
 * `reference`: float64 everywhere, one row at a time, the time bias evaluated directly as
 * Σ_m β_m cos(ω_m Δt + φ_m) for every pair. Slow and obviously correct: the oracle for parity.
 */
import type { AttentionInputs, AttentionKernel, AttentionSession, KernelState } from './types.js';
import { timeBiasAt } from '../time-encoding.js';

interface ReferenceState extends KernelState {
  cols: Int32Array;
  scores: Float64Array;
}

function allowedInto(session: AttentionSession, j: number, cols: Int32Array): number {
  const { mask } = session;
  let k = 0;
  if (mask.predPtr && mask.pred) {
    for (let p = mask.predPtr[j]; p < mask.predPtr[j + 1]; p++) cols[k++] = mask.pred[p];
  } else {
    for (let i = mask.lo[j]; i < j; i++) cols[k++] = i;
  }
  if (mask.self) cols[k++] = j;
  return k;
}

export const referenceKernel: AttentionKernel = {
  name: 'reference',
  description: 'float64, row by row, time bias evaluated with cos() per pair (parity oracle)',
  precision: 'float64',
  backend: 'ts',
  workspaceBytes(s) {
    return s.n * (4 + 8);
  },
  prepare(session): ReferenceState {
    return { session, cols: new Int32Array(session.n), scores: new Float64Array(session.n) };
  },
  run(state, inputs: AttentionInputs) {
    const st = state as ReferenceState;
    const { n, heads, headDim: dh, tRel, omega, phi, beta, time } = st.session;
    const useBias = time !== null;
    const { q, k, v, gamma, out } = inputs;
    const width = heads * dh;
    for (let h = 0; h < heads; h++) {
      const base = h * n * dh;
      for (let j = 0; j < n; j++) {
        const count = allowedInto(st.session, j, st.cols);
        const o = j * width + h * dh;
        if (count === 0) {
          for (let d = 0; d < dh; d++) out[o + d] = 0;
          continue;
        }
        let max = -Infinity;
        for (let c = 0; c < count; c++) {
          const i = st.cols[c];
          let s = 0;
          for (let d = 0; d < dh; d++) s += q[base + j * dh + d] * k[base + i * dh + d];
          if (useBias) s += gamma[h] * timeBiasAt(omega, phi, beta, tRel[j] - tRel[i]);
          st.scores[c] = s;
          if (s > max) max = s;
        }
        let sum = 0;
        for (let c = 0; c < count; c++) {
          const e = Math.exp(st.scores[c] - max);
          st.scores[c] = e;
          sum += e;
        }
        for (let d = 0; d < dh; d++) {
          let acc = 0;
          for (let c = 0; c < count; c++) acc += st.scores[c] * v[base + st.cols[c] * dh + d];
          out[o + d] = acc / sum;
        }
      }
    }
  },
};
