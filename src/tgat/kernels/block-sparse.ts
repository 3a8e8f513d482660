/**
 * `block-sparse`: visits only the tiles the mask leaves non-empty (tiles.ts), and inside them only the
 * allowed columns (sparse.ts). Time bias evaluated per pair from the factor tables. Workspace O(n²/TILE²)
 * for the tile map (a few KB at n = 1024), no n×n buffer.
 */
import type { AttentionKernel, KernelState } from './types.js';
import { buildTileMap } from './tiles.js';
import { type SparseState, sparseRun, sparseState, sparseWorkspaceBytes } from './sparse.js';

export const blockSparseKernel: AttentionKernel = {
  name: 'block-sparse',
  description: 'float32, visits only mask-non-empty tiles and allowed columns, online softmax, no n×n buffer',
  precision: 'float32',
  backend: 'ts',
  workspaceBytes: sparseWorkspaceBytes,
  prepare(session): KernelState {
    return sparseState(session, buildTileMap(session.mask));
  },
  run(state, inputs) {
    sparseRun(state as SparseState, inputs);
  },
};
