/**
 * Small pieces shared by the TypeScript kernels. All arithmetic is float64 (JS numbers); only storage is
 * float32, so a TS kernel's error against `reference` is the rounding of its inputs and outputs.
 */
import type { AttentionMask } from '../mask.js';
import type { TimeTables } from '../time-encoding.js';

/** rowBuf[0..2d) = γ·(row factors of node j), so that bias(j, i) = Σ_m rowBuf[m]·colT[m·n + i]. */
export function scaledBiasRow(time: TimeTables, gamma: number, j: number, rowBuf: Float64Array): void {
  const d2 = 2 * time.d;
  const base = j * d2;
  for (let m = 0; m < d2; m++) rowBuf[m] = gamma * time.row[base + m];
}

/** γ·b(t_j − t_i) from the factor tables, with rowBuf prepared by `scaledBiasRow`. */
export function factorBias(time: TimeTables, rowBuf: Float64Array, i: number): number {
  const n = time.n;
  const d2 = 2 * time.d;
  let b = 0;
  for (let m = 0; m < d2; m++) b += rowBuf[m] * time.colT[m * n + i];
  return b;
}

/** Mark the allowed columns of row j in `stamp` with the value j + 1 (O(degree), no clearing needed). */
export function stampRow(mask: AttentionMask, j: number, stamp: Int32Array): void {
  if (mask.predPtr && mask.pred) {
    for (let p = mask.predPtr[j]; p < mask.predPtr[j + 1]; p++) stamp[mask.pred[p]] = j + 1;
  }
}

/** Element-wise mask test using a stamp prepared by `stampRow` (dense masks need no stamp). */
export function allowedByStamp(mask: AttentionMask, stamp: Int32Array, j: number, i: number): boolean {
  if (i > j || i < mask.lo[j]) return false;
  if (i === j) return mask.self;
  return mask.predPtr === null || stamp[i] === j + 1;
}

/** Offsets of each row's allowed columns when they are packed row after row (length n + 1). */
export function allowedOffsets(mask: AttentionMask): Int32Array {
  const off = new Int32Array(mask.n + 1);
  const self = mask.self ? 1 : 0;
  for (let j = 0; j < mask.n; j++) {
    const count = mask.predPtr ? mask.predPtr[j + 1] - mask.predPtr[j] : j - mask.lo[j];
    off[j + 1] = off[j] + count + self;
  }
  return off;
}
