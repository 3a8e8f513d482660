/**
 * Liquidity sweeps of prior swing highs/lows.
 *
 * A swing high confirmed at the close of bar c is resting liquidity from bar c + 1 on. The first later bar k
 * whose high trades strictly above it takes that liquidity: the event is emitted at bar k (delay 0 from the
 * sweep bar), labelled `swing_high_swept` when bar k closes back at or below the level (a sweep / stop run that
 * rejects) and `swing_high_broken` when it closes above. Each swing is taken once. Lows mirror this.
 *
 * Kind: LiquidityTaken. Level: the swing's own (swing_high / swing_low at the swing bar's time).
 * Open levels live in heaps keyed by price, so a bar takes all levels it reaches in O(log n) each.
 */
import type { Bars } from './bars.js';
import { DETECTOR, EventBuffer, type EventColumns, LABEL, LEVEL } from './events.js';
import { MinHeap } from './heap.js';
import { KIND } from '../session/index.js';

/** Sweeps of the swings in `swings` (the output of detectSwings on the same bars). */
export function detectSwingSweeps(bars: Bars, swings: EventColumns): EventColumns {
  const { n, high, low, close, t, timeframeMs } = bars;
  const out = new EventBuffer(Math.max(16, swings.n));
  const highs = new MinHeap(); // swing-high prices
  const lows = new MinHeap(); // negated swing-low prices
  let next = 0; // next swing event to activate
  for (let k = 0; k < n; k++) {
    const tk = t[k] + timeframeMs;
    while (highs.size > 0 && highs.peekKey() < high[k]) {
      const s = highs.pop();
      const level = swings.price[s];
      const label = close[k] > level ? LABEL.swing_high_broken : LABEL.swing_high_swept;
      out.push(
        k,
        tk,
        k,
        t[k],
        level,
        KIND.LiquidityTaken,
        DETECTOR.swing_sweep,
        label,
        LEVEL.swing_high,
        swings.originT[s],
        level,
        high[k],
      );
    }
    while (lows.size > 0 && -lows.peekKey() > low[k]) {
      const s = lows.pop();
      const level = swings.price[s];
      const label = close[k] < level ? LABEL.swing_low_broken : LABEL.swing_low_swept;
      out.push(
        k,
        tk,
        k,
        t[k],
        level,
        KIND.LiquidityTaken,
        DETECTOR.swing_sweep,
        label,
        LEVEL.swing_low,
        swings.originT[s],
        low[k],
        level,
      );
    }
    // swings confirmed at the close of bar k become resting liquidity for bar k + 1 on
    while (next < swings.n && swings.bar[next] === k) {
      if (swings.label[next] === LABEL.swing_high) highs.push(swings.price[next], next);
      else if (swings.label[next] === LABEL.swing_low) lows.push(-swings.price[next], next);
      next++;
    }
  }
  return out.finish();
}
