/**
 * Matched-control strata: session type × time-of-day bucket × recent-volatility tercile, all known at t*.
 *
 * - time of day: 30-minute buckets of t* since the session window's start (capped at 15);
 * - recent volatility: mean |Δclose| over the 12 bars up to and including b (bars ≤ b only), in terciles whose
 *   cut points are fitted on the fold's TRAINING bars (never on the test fold).
 * A signal's control at bar b is the mean outcome of the other eligible bars of the same stratum up to the end of
 * its test block: same kind of session, same time of day, similar recent volatility.
 */
import type { Bars, SessionSegments } from '../detect/index.js';
import { SESSION_TYPES } from '../session/index.js';

export const TOD_BUCKET_MS = 30 * 60_000;
export const TOD_BUCKETS = 16;
export const VOL_LOOKBACK = 12;
export const N_STRATA = SESSION_TYPES.length * TOD_BUCKETS * 3;

/** Mean |Δclose| over the VOL_LOOKBACK bars ending at b (NaN for the first bars of the series). */
export function recentVolatility(bars: Bars): Float64Array {
  const n = bars.n;
  const out = new Float64Array(n).fill(NaN);
  const c = bars.close;
  let sum = 0;
  for (let b = 1; b < n; b++) {
    sum += Math.abs(c[b] - c[b - 1]);
    if (b > VOL_LOOKBACK) sum -= Math.abs(c[b - VOL_LOOKBACK] - c[b - VOL_LOOKBACK - 1]);
    if (b >= VOL_LOOKBACK) out[b] = sum / VOL_LOOKBACK;
  }
  return out;
}

/** Tercile cut points of `vol` over the bars where `use[b]` is 1 (NaN values ignored); [NaN, NaN] when none. */
export function volTerciles(vol: Float64Array, use: Uint8Array): [number, number] {
  let k = 0;
  for (let b = 0; b < vol.length; b++) if (use[b] && Number.isFinite(vol[b])) k++;
  if (k === 0) return [NaN, NaN];
  const v = new Float64Array(k);
  k = 0;
  for (let b = 0; b < vol.length; b++) if (use[b] && Number.isFinite(vol[b])) v[k++] = vol[b];
  v.sort(); // typed-array sort: numeric, no comparator calls (values are finite)
  return [v[Math.floor(v.length / 3)], v[Math.floor((2 * v.length) / 3)]];
}

/** Session-type index and time-of-day bucket of bar b, as a partial stratum id (tercile 0). */
export function baseStratum(bars: Bars, seg: SessionSegments): Int32Array {
  const n = bars.n;
  const out = new Int32Array(n).fill(-1);
  const typeIndex = seg.type.map((t) => SESSION_TYPES.indexOf(t));
  for (let b = 0; b < n; b++) {
    const s = seg.sessionOfBar[b];
    if (s < 0) continue;
    const tStar = bars.t[b] + bars.timeframeMs;
    const bucket = Math.min(
      TOD_BUCKETS - 1,
      Math.max(0, Math.floor((tStar - seg.windowStart[s]) / TOD_BUCKET_MS)),
    );
    out[b] = (typeIndex[s] * TOD_BUCKETS + bucket) * 3;
  }
  return out;
}

/** Full stratum of bar b: base + tercile of its recent volatility (middle tercile when unknown). */
export function stratumOf(
  base: Int32Array,
  vol: Float64Array,
  cuts: readonly [number, number],
  b: number,
): number {
  const v = vol[b];
  const tercile =
    !Number.isFinite(v) || !Number.isFinite(cuts[0]) ? 1 : v <= cuts[0] ? 0 : v <= cuts[1] ? 1 : 2;
  return base[b] + tercile;
}
