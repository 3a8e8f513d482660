/**
 * `time-bias-cache`: the block-sparse traversal, with the time bias b(t_j − t_i) of every allowed pair
 * computed once per session in `prepare` (packed in visiting order, float32) and reused by every head and
 * layer (each multiplies by its own γ[l,h]): heads × layers − 1 evaluations of the 2d-term factor product
 * saved per pair. Workspace: one float per allowed pair (≈ n²/2 for a causal mask, far less with a DAG).
 */
import type { AttentionKernel, AttentionSession, KernelState } from './types.js';
import { allowedPairs } from '../mask.js';
import { allowedOffsets } from './common.js';
import { buildTileMap } from './tiles.js';
import { type SparseState, sparseRun, sparseState, sparseWorkspaceBytes } from './sparse.js';

/** Packed b(t_j − t_i) (no γ) for every allowed pair, row after row, columns ascending. */
export function buildBiasCache(session: AttentionSession, rowOff: Int32Array): Float32Array | null {
  const { n, mask, time } = session;
  if (!time) return null;
  const d2 = 2 * time.d;
  const cache = new Float32Array(rowOff[n]);
  const col = time.colT;
  for (let j = 0; j < n; j++) {
    const rb = j * d2;
    let c = rowOff[j];
    const pairAt = (i: number): void => {
      let b = 0;
      for (let m = 0; m < d2; m++) b += time.row[rb + m] * col[m * n + i];
      cache[c++] = b;
    };
    if (mask.predPtr && mask.pred) {
      for (let p = mask.predPtr[j]; p < mask.predPtr[j + 1]; p++) pairAt(mask.pred[p]);
    } else {
      for (let i = mask.lo[j]; i < j; i++) pairAt(i);
    }
    if (mask.self) pairAt(j);
  }
  return cache;
}

export const timeBiasCacheKernel: AttentionKernel = {
  name: 'time-bias-cache',
  description: 'block-sparse traversal + time bias of every allowed pair computed once per session',
  precision: 'float32',
  backend: 'ts',
  workspaceBytes(s) {
    return sparseWorkspaceBytes(s) + 4 * (s.n + 1) + (s.time ? 4 * allowedPairs(s.mask) : 0);
  },
  prepare(session): KernelState {
    const st = sparseState(session, buildTileMap(session.mask));
    st.rowOff = allowedOffsets(session.mask);
    st.biasCache = buildBiasCache(session, st.rowOff);
    return st;
  },
  run(state, inputs) {
    sparseRun(state as SparseState, inputs);
  },
};
