/**
 * Block map of a mask: rows are grouped in blocks of TILE rows, columns in tiles of TILE columns, and for
 * every row block we list the column tiles that hold at least one allowed (row, column) pair. `block-sparse`
 * visits only these; a causal mask leaves about half the tiles, a time window or a DAG far fewer.
 */
import type { AttentionMask } from '../mask.js';

/** Tile edge in rows and columns. 32 keeps a tile's scores in registers/L1 and the map small. */
export const TILE = 32;

export interface TileMap {
  n: number;
  rowBlocks: number;
  /** CSR over row blocks: column-tile indices tile[ptr[b] .. ptr[b+1]), ascending. */
  ptr: Int32Array;
  tile: Int32Array;
  /** Tiles in the lower triangle (what a causal-only tiled kernel visits) — for reporting the skip rate. */
  causalTiles: number;
}

export function buildTileMap(mask: AttentionMask): TileMap {
  const n = mask.n;
  const blocks = Math.ceil(n / TILE);
  const ptr = new Int32Array(blocks + 1);
  const seen = new Uint8Array(blocks);
  const list: number[] = [];
  let causalTiles = 0;
  for (let b = 0; b < blocks; b++) {
    seen.fill(0, 0, b + 1);
    const r0 = b * TILE;
    const r1 = Math.min(n, r0 + TILE);
    causalTiles += b + 1;
    for (let j = r0; j < r1; j++) {
      if (mask.self) seen[(j / TILE) | 0] = 1;
      if (mask.predPtr && mask.pred) {
        for (let p = mask.predPtr[j]; p < mask.predPtr[j + 1]; p++) seen[(mask.pred[p] / TILE) | 0] = 1;
      } else if (mask.lo[j] < j) {
        const first = (mask.lo[j] / TILE) | 0;
        const last = ((j - 1) / TILE) | 0;
        for (let c = first; c <= last; c++) seen[c] = 1;
      }
    }
    for (let c = 0; c <= b; c++) if (seen[c]) list.push(c);
    ptr[b + 1] = list.length;
  }
  return { n, rowBlocks: blocks, ptr, tile: Int32Array.from(list), causalTiles };
}
