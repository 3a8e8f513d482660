/**
 * Swing highs and lows, confirmed causally.
 *
 * Bar j is a swing high when its high is strictly above the highs of the `left` bars before it and at least the
 * highs of the `right` bars after it (so the first bar of a flat top is the swing); a swing low mirrors this.
 * The swing is only KNOWABLE at the close of bar j + right: the event is emitted there (`t` = that close time),
 * with origin = bar j and a confirmation delay of `right` bars (+ the swing bar itself: t − originT =
 * (right + 1) · timeframe). A centred window that reports the swing at bar j would look `right` bars ahead.
 *
 * Kind: Reversal (a swing is a local turning point). Level: swing_high / swing_low at the swing bar's time, so
 * the swing's later sweep and break share its level key.
 */
import type { Bars } from './bars.js';
import { DETECTOR, EventBuffer, type EventColumns, LABEL, LEVEL } from './events.js';
import { KIND } from '../session/index.js';

export interface SwingParams {
  /** Bars before the swing bar that must be strictly lower (highs) / higher (lows). */
  left: number;
  /** Bars after the swing bar that must not exceed it; also the confirmation delay in bars. */
  right: number;
}

export const DEFAULT_SWING_PARAMS: SwingParams = { left: 2, right: 2 };

function checkParams(p: SwingParams): void {
  for (const k of ['left', 'right'] as const) {
    if (!Number.isInteger(p[k]) || p[k] < 1)
      throw new Error(`swing.${k} must be an integer ≥ 1, got ${p[k]}`);
  }
}

/** Confirmed swing highs/lows (label swing_high / swing_low), in emission order; a high before a low on a bar. */
export function detectSwings(bars: Bars, params: SwingParams = DEFAULT_SWING_PARAMS): EventColumns {
  checkParams(params);
  const { left, right } = params;
  const { n, high, low, t, timeframeMs } = bars;
  const out = new EventBuffer(Math.ceil(n * 0.3));
  for (let k = left + right; k < n; k++) {
    const j = k - right;
    const h = high[j];
    const l = low[j];
    let isHigh = true;
    let isLow = true;
    for (let q = 1; q <= left && (isHigh || isLow); q++) {
      if (!(h > high[j - q])) isHigh = false;
      if (!(l < low[j - q])) isLow = false;
    }
    for (let q = 1; q <= right && (isHigh || isLow); q++) {
      if (!(h >= high[j + q])) isHigh = false;
      if (!(l <= low[j + q])) isLow = false;
    }
    const tk = t[k] + timeframeMs;
    if (isHigh) {
      out.push(k, tk, j, t[j], h, KIND.Reversal, DETECTOR.swing, LABEL.swing_high, LEVEL.swing_high, t[j]);
    }
    if (isLow) {
      out.push(k, tk, j, t[j], l, KIND.Reversal, DETECTOR.swing, LABEL.swing_low, LEVEL.swing_low, t[j]);
    }
  }
  return out.finish();
}
