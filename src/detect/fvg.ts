/**
 * Fair value gaps (three-bar gaps) and their redelivery / fill, causal.
 *
 * Bullish FVG at bars (i−2, i−1, i): low[i] > high[i−2]; the gap is [bottom, top] = [high[i−2], low[i]].
 * Bearish: high[i] < low[i−2]; the gap is [high[i], low[i−2]]. The gap must exceed
 * max(minGap, minGapAtr · ATR[i−1]) (ATR term ignored while ATR is not yet defined). Knowable at the close of
 * bar i: emitted there, origin = the middle (displacement) bar i−1, delay 1 bar. With `contiguousOnly` (default)
 * the three bars must be consecutive in time (t[i] − t[i−2] = 2 · timeframe): across a data gap there is no
 * three-bar pattern, only missing bars.
 *
 * From bar i + 1 on, the first bar that trades back into the gap (bullish: low ≤ top; bearish: high ≥ bottom)
 * REDELIVERS it; the first bar that trades through the far edge (bullish: low ≤ bottom; bearish: high ≥ top)
 * FILLS it (closes the gap; it is then no longer tracked). One bar may do both: redelivered, then filled.
 * Each is emitted at that bar with delay 0 from it.
 *
 * Kinds: formation → Expansion (a gap is left by displacement), redelivery and fill → Redelivery.
 * Level: fvg_bull / fvg_bear at the middle bar's time, shared by the gap and its redelivery and fill.
 * Open gaps live in heaps keyed by the edge price that triggers the next event, O(log n) per event.
 */
import type { Bars } from './bars.js';
import { wilderAtr } from './atr.js';
import { DETECTOR, EventBuffer, type EventColumns, LABEL, LEVEL } from './events.js';
import { MinHeap } from './heap.js';
import { KIND } from '../session/index.js';

export interface FvgParams {
  /** Minimum gap in price units (the gap must be strictly larger). Default 0. */
  minGap: number;
  /** Minimum gap as a multiple of ATR at the middle bar (0 = off). Default 0. */
  minGapAtr: number;
  /** ATR period for minGapAtr. */
  atrPeriod: number;
  /** Only gaps over three time-consecutive bars (no missing bar between them). Default true. */
  contiguousOnly: boolean;
}

export const DEFAULT_FVG_PARAMS: FvgParams = { minGap: 0, minGapAtr: 0, atrPeriod: 14, contiguousOnly: true };

/** FVG formation, redelivery and fill events over `bars`. `atr` may be passed to share it with other detectors. */
export function detectFvgs(
  bars: Bars,
  params: FvgParams = DEFAULT_FVG_PARAMS,
  atr?: Float64Array,
): EventColumns {
  if (!(params.minGap >= 0)) throw new Error(`fvg.minGap must be ≥ 0, got ${params.minGap}`);
  if (!(params.minGapAtr >= 0)) throw new Error(`fvg.minGapAtr must be ≥ 0, got ${params.minGapAtr}`);
  const { n, high, low, t, timeframeMs } = bars;
  const useAtr = params.minGapAtr > 0;
  const a = useAtr ? (atr ?? wilderAtr(bars, params.atrPeriod)) : null;
  // capacity hint: ~0.65 events per bar on 5m random-walk bars (formation + redelivery + fill)
  const out = new EventBuffer(Math.ceil(n * 0.7));
  // gap table: bottom, top, origin time; grown as needed
  let cap = 1024;
  let gBottom = new Float64Array(cap);
  let gTop = new Float64Array(cap);
  let gOrigin = new Float64Array(cap);
  let gCount = 0;
  const bullFresh = new MinHeap(); // key −top: the highest top is reached first by a falling low
  const bullOpen = new MinHeap(); // key −bottom (redelivered, not yet filled)
  const bearFresh = new MinHeap(); // key bottom: the lowest bottom is reached first by a rising high
  const bearOpen = new MinHeap(); // key top

  for (let i = 0; i < n; i++) {
    const ti = t[i] + timeframeMs;
    const lo = low[i];
    const hi = high[i];
    // bullish gaps: redelivered when low ≤ top, filled when low ≤ bottom
    while (bullFresh.size > 0 && -bullFresh.peekKey() >= lo) {
      const g = bullFresh.pop();
      out.push(
        i,
        ti,
        i,
        t[i],
        gTop[g],
        KIND.Redelivery,
        DETECTOR.fvg,
        LABEL.fvg_bull_redelivered,
        LEVEL.fvg_bull,
        gOrigin[g],
        gBottom[g],
        gTop[g],
      );
      bullOpen.push(-gBottom[g], g);
    }
    while (bullOpen.size > 0 && -bullOpen.peekKey() >= lo) {
      const g = bullOpen.pop();
      out.push(
        i,
        ti,
        i,
        t[i],
        gBottom[g],
        KIND.Redelivery,
        DETECTOR.fvg,
        LABEL.fvg_bull_filled,
        LEVEL.fvg_bull,
        gOrigin[g],
        gBottom[g],
        gTop[g],
      );
    }
    // bearish gaps: redelivered when high ≥ bottom, filled when high ≥ top
    while (bearFresh.size > 0 && bearFresh.peekKey() <= hi) {
      const g = bearFresh.pop();
      out.push(
        i,
        ti,
        i,
        t[i],
        gBottom[g],
        KIND.Redelivery,
        DETECTOR.fvg,
        LABEL.fvg_bear_redelivered,
        LEVEL.fvg_bear,
        gOrigin[g],
        gBottom[g],
        gTop[g],
      );
      bearOpen.push(gTop[g], g);
    }
    while (bearOpen.size > 0 && bearOpen.peekKey() <= hi) {
      const g = bearOpen.pop();
      out.push(
        i,
        ti,
        i,
        t[i],
        gTop[g],
        KIND.Redelivery,
        DETECTOR.fvg,
        LABEL.fvg_bear_filled,
        LEVEL.fvg_bear,
        gOrigin[g],
        gBottom[g],
        gTop[g],
      );
    }
    if (i < 2) continue;
    if (params.contiguousOnly && t[i] - t[i - 2] !== 2 * timeframeMs) continue;
    let minGap = params.minGap;
    if (a !== null && a[i - 1] === a[i - 1]) minGap = Math.max(minGap, params.minGapAtr * a[i - 1]);
    let bottom: number;
    let top: number;
    let bull = false;
    if (lo - high[i - 2] > minGap) {
      bottom = high[i - 2];
      top = lo;
      bull = true;
    } else if (low[i - 2] - hi > minGap) {
      bottom = hi;
      top = low[i - 2];
    } else continue;
    if (gCount === cap) {
      cap *= 2;
      const nb = new Float64Array(cap);
      nb.set(gBottom);
      gBottom = nb;
      const nt = new Float64Array(cap);
      nt.set(gTop);
      gTop = nt;
      const no = new Float64Array(cap);
      no.set(gOrigin);
      gOrigin = no;
    }
    const g = gCount++;
    gBottom[g] = bottom;
    gTop[g] = top;
    gOrigin[g] = t[i - 1];
    const mid = (bottom + top) / 2;
    if (bull) {
      out.push(
        i,
        ti,
        i - 1,
        t[i - 1],
        mid,
        KIND.Expansion,
        DETECTOR.fvg,
        LABEL.fvg_bull,
        LEVEL.fvg_bull,
        t[i - 1],
        bottom,
        top,
      );
      bullFresh.push(-top, g);
    } else {
      out.push(
        i,
        ti,
        i - 1,
        t[i - 1],
        mid,
        KIND.Expansion,
        DETECTOR.fvg,
        LABEL.fvg_bear,
        LEVEL.fvg_bear,
        t[i - 1],
        bottom,
        top,
      );
      bearFresh.push(bottom, g);
    }
  }
  return out.finish();
}
