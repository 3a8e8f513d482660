/**
 * IEEE 754 binary16 conversion. Node 20 has no Float16Array and WebAssembly SIMD has no f16 lanes, so
 * encoding is bit manipulation (round to nearest even) and decoding a 65,536-entry lookup table.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 → binary16 bits, round to nearest even; overflow → ±Inf, NaN preserved. */
export function toHalf(x: number): number {
  f32[0] = x;
  const bits = u32[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const halfMant = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    const round = rem > mid || (rem === mid && (halfMant & 1) === 1) ? 1 : 0;
    return sign | (halfMant + round);
  }
  const halfMant = mant >>> 13;
  const rem = mant & 0x1fff;
  let out = sign | (e << 10) | halfMant;
  if (rem > 0x1000 || (rem === 0x1000 && (halfMant & 1) === 1)) out++; // may carry into the exponent: correct
  return out;
}

function fromHalfBits(hb: number): number {
  const sign = hb & 0x8000 ? -1 : 1;
  const exp = (hb >>> 10) & 0x1f;
  const mant = hb & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** binary16 bits → value. */
export const HALF_TO_FLOAT: Float32Array = (() => {
  const t = new Float32Array(65536);
  for (let i = 0; i < 65536; i++) t[i] = fromHalfBits(i);
  return t;
})();

/** Encode a float array into binary16 bits. */
export function encodeHalf(src: ArrayLike<number>, dst: Uint16Array, len: number): void {
  for (let i = 0; i < len; i++) dst[i] = toHalf(src[i]);
}
