/**
 * The mask-aware traversal shared by `block-sparse`, `time-bias-cache` and `half` (TypeScript backend).
 *
 * Row j walks only the column tiles its row block has in the tile map (empty tiles are never touched), and
 * inside a tile only its allowed columns: a clamped range for a causal/window mask, a walk along the sorted
 * predecessor list for a DAG mask (plus the diagonal when self-attention is on). Each visited segment updates
 * an online softmax (running max, sum, accumulator), so the workspace is O(TILE + dh).
 *
 * Columns are visited in ascending order, so the k-th allowed column of row j is pair rowOff[j] + k: that is
 * the layout of the time-bias cache.
 */
import type { AttentionInputs, AttentionSession, KernelState } from './types.js';
import { factorBias, scaledBiasRow } from './common.js';
import { TILE, type TileMap } from './tiles.js';
import { HALF_TO_FLOAT } from './half-float.js';

export interface SparseState extends KernelState {
  tiles: TileMap;
  /** Packed bias of every allowed pair (without γ), or null to evaluate the factor form per pair. */
  biasCache: Float32Array | null;
  rowOff: Int32Array | null;
  seg: Float64Array;
  segCol: Int32Array;
  rowBuf: Float64Array;
  acc: Float64Array;
  /** fp16 copies of K and V for `half`. */
  k16: Uint16Array | null;
  v16: Uint16Array | null;
}

export function sparseWorkspaceBytes(s: AttentionSession): number {
  const blocks = Math.ceil(s.n / TILE);
  // tile map (≤ blocks·(blocks+1)/2 entries, but we declare the causal bound) + segment buffers.
  return (
    4 * (blocks + 1) + 4 * ((blocks * (blocks + 1)) / 2) + 12 * TILE + 8 * (2 * (s.time?.d ?? 0) + s.headDim)
  );
}

export function sparseRun(st: SparseState, inputs: AttentionInputs): void {
  const { n, heads, headDim: dh, mask, time } = st.session;
  const { q, k, v, gamma, out } = inputs;
  const { tiles, biasCache, rowOff, seg, segCol, acc, k16, v16 } = st;
  const width = heads * dh;
  const dense = mask.predPtr === null;
  const pred = mask.pred;
  const predPtr = mask.predPtr;
  const half = HALF_TO_FLOAT;
  for (let h = 0; h < heads; h++) {
    const base = h * n * dh;
    const g = gamma[h];
    for (let j = 0; j < n; j++) {
      if (time && !biasCache) scaledBiasRow(time, g, j, st.rowBuf);
      const qj = base + j * dh;
      const blk = (j / TILE) | 0;
      const lo = mask.lo[j];
      const hiExcl = mask.self ? j + 1 : j;
      let p = predPtr ? predPtr[j] : 0;
      const pEnd = predPtr ? predPtr[j + 1] : 0;
      let m = -Infinity;
      let l = 0;
      acc.fill(0);
      for (let t = tiles.ptr[blk]; t < tiles.ptr[blk + 1]; t++) {
        const c0 = tiles.tile[t] * TILE;
        const c1 = Math.min(c0 + TILE, n);
        // Gather this row's allowed columns of the tile.
        let len = 0;
        let cacheBase = 0;
        if (dense) {
          const a = c0 > lo ? c0 : lo;
          const e = c1 < hiExcl ? c1 : hiExcl;
          for (let i = a; i < e; i++) segCol[len++] = i;
          if (rowOff) cacheBase = rowOff[j] + (a - lo);
        } else {
          if (rowOff) cacheBase = rowOff[j] + (p - (predPtr as Int32Array)[j]);
          while (p < pEnd && (pred as Int32Array)[p] < c1) segCol[len++] = (pred as Int32Array)[p++];
          if (mask.self && j >= c0 && j < c1) segCol[len++] = j;
        }
        if (len === 0) continue;
        let segMax = -Infinity;
        for (let c = 0; c < len; c++) {
          const i = segCol[c];
          const ki = base + i * dh;
          let s = 0;
          if (k16) for (let d = 0; d < dh; d++) s += q[qj + d] * half[k16[ki + d]];
          else for (let d = 0; d < dh; d++) s += q[qj + d] * k[ki + d];
          if (biasCache) s += g * biasCache[cacheBase + c];
          else if (time) s += factorBias(time, st.rowBuf, i);
          seg[c] = s;
          if (s > segMax) segMax = s;
        }
        if (segMax > m) {
          const scale = Math.exp(m - segMax);
          l *= scale;
          for (let d = 0; d < dh; d++) acc[d] *= scale;
          m = segMax;
        }
        for (let c = 0; c < len; c++) {
          const pr = Math.exp(seg[c] - m);
          l += pr;
          const vi = base + segCol[c] * dh;
          if (v16) for (let d = 0; d < dh; d++) acc[d] += pr * half[v16[vi + d]];
          else for (let d = 0; d < dh; d++) acc[d] += pr * v[vi + d];
        }
      }
      const o = j * width + h * dh;
      for (let d = 0; d < dh; d++) out[o + d] = l > 0 ? acc[d] / l : 0;
    }
  }
}

export function sparseState(session: AttentionSession, tiles: TileMap): SparseState {
  return {
    session,
    tiles,
    biasCache: null,
    rowOff: null,
    seg: new Float64Array(TILE),
    segCol: new Int32Array(TILE),
    rowBuf: new Float64Array(2 * (session.time?.d ?? 0)),
    acc: new Float64Array(session.headDim),
    k16: null,
    v16: null,
  };
}
