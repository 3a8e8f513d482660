/**
 * `flash`: tiled attention with an online softmax (FlashAttention-style), never materialising n×n.
 * Each query row streams over column tiles of TILE keys from column 0 up to the diagonal (tiles wholly above
 * the diagonal are skipped, as a causal FlashAttention does); inside a tile every score is computed and the
 * mask (window, self, DAG) is applied element-wise. A running max m, sum l and output accumulator are
 * rescaled by exp(m_old − m_new) whenever a tile raises the max. Workspace: O(TILE + dh + n) per session.
 */
import type { AttentionInputs, AttentionKernel, AttentionSession, KernelState } from './types.js';
import { allowedByStamp, factorBias, scaledBiasRow, stampRow } from './common.js';
import { TILE } from './tiles.js';

interface FlashState extends KernelState {
  tile: Float64Array;
  stamp: Int32Array;
  rowBuf: Float64Array;
  acc: Float64Array;
}

export const flashKernel: AttentionKernel = {
  name: 'flash',
  description:
    'float32, column tiles with online softmax up to the diagonal, element-wise mask, no n×n buffer',
  precision: 'float32',
  backend: 'ts',
  workspaceBytes(s: AttentionSession) {
    return 8 * TILE + 4 * s.n + 8 * (2 * (s.time?.d ?? 0) + s.headDim);
  },
  prepare(session): FlashState {
    return {
      session,
      tile: new Float64Array(TILE),
      stamp: new Int32Array(session.n),
      rowBuf: new Float64Array(2 * (session.time?.d ?? 0)),
      acc: new Float64Array(session.headDim),
    };
  },
  run(state, inputs: AttentionInputs) {
    const st = state as FlashState;
    const { n, heads, headDim: dh, mask, time } = st.session;
    const { q, k, v, gamma, out } = inputs;
    const width = heads * dh;
    const buf = st.tile;
    const acc = st.acc;
    for (let h = 0; h < heads; h++) {
      const base = h * n * dh;
      for (let j = 0; j < n; j++) {
        stampRow(mask, j, st.stamp);
        if (time) scaledBiasRow(time, gamma[h], j, st.rowBuf);
        const qj = base + j * dh;
        let m = -Infinity;
        let l = 0;
        acc.fill(0);
        for (let c0 = 0; c0 <= j; c0 += TILE) {
          const c1 = Math.min(c0 + TILE, j + 1);
          let tileMax = -Infinity;
          for (let i = c0; i < c1; i++) {
            const ki = base + i * dh;
            let s = 0;
            for (let d = 0; d < dh; d++) s += q[qj + d] * k[ki + d];
            if (time) s += factorBias(time, st.rowBuf, i);
            if (!allowedByStamp(mask, st.stamp, j, i)) s = -Infinity;
            buf[i - c0] = s;
            if (s > tileMax) tileMax = s;
          }
          if (tileMax === -Infinity) continue;
          if (tileMax > m) {
            const scale = Math.exp(m - tileMax);
            l *= scale;
            for (let d = 0; d < dh; d++) acc[d] *= scale;
            m = tileMax;
          }
          for (let i = c0; i < c1; i++) {
            const s = buf[i - c0];
            if (s === -Infinity) continue;
            const p = Math.exp(s - m);
            l += p;
            const vi = base + i * dh;
            for (let d = 0; d < dh; d++) acc[d] += p * v[vi + d];
          }
        }
        const o = j * width + h * dh;
        for (let d = 0; d < dh; d++) out[o + d] = l > 0 ? acc[d] / l : 0;
      }
    }
  },
};
