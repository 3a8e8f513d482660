/**
 * Draw helpers shared by the generators of this folder: a weighted index, an inverse-CDF draw from a quantile
 * table, and the New York wall clock of a synthetic event. Each takes the caller's Rng; none keeps state.
 */
import type { Rng } from '../stats/index.js';

/** Inverse-CDF draw from a quantile table (uniform position, linear interpolation between quantiles). */
export function sampleQuantiles(rng: Rng, q: readonly number[]): number {
  const h = rng.float() * (q.length - 1);
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, q.length - 1);
  return q[lo] + (h - lo) * (q[hi] - q[lo]);
}

/** Index drawn with probability proportional to `weights[offset + i]`, i < len. */
export function drawIndex(
  rng: Rng,
  weights: readonly number[],
  offset = 0,
  len = weights.length - offset,
): number {
  let total = 0;
  for (let i = 0; i < len; i++) total += weights[offset + i];
  let u = rng.float() * total;
  for (let i = 0; i < len; i++) {
    u -= weights[offset + i];
    if (u < 0) return i;
  }
  return len - 1;
}

/** HH:MM:SS in New York time: the `clock` field of a synthetic event. */
export const ET_CLOCK = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'America/New_York',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
