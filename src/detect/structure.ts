/**
 * Break of structure (BOS) and change of character (CHoCH), causal.
 *
 * The structure levels are the most recent CONFIRMED swing high and swing low (a newer swing replaces the older
 * one, whether or not the older was broken). A bar k CLOSING strictly above the current swing high breaks it
 * (once per swing): that is a CHoCH up when the prevailing structure was down (the last break was downward), and
 * a BOS up otherwise (including the first break of the series). Downward breaks mirror this. Emitted at bar k
 * (delay 0 from the breaking bar); a swing confirmed at bar c is breakable from bar c + 1 on.
 *
 * Unlike libraries that keep only breaks "confirmed" by later price action, nothing here depends on bars after k.
 *
 * Kind: BOS → Expansion (continuation), CHoCH → Reversal. Level: the broken swing's key.
 */
import type { Bars } from './bars.js';
import { DETECTOR, EventBuffer, type EventColumns, LABEL, LEVEL } from './events.js';
import { KIND } from '../session/index.js';

/** BOS / CHoCH events over `bars`, from the swings found by detectSwings on the same bars. */
export function detectStructure(bars: Bars, swings: EventColumns): EventColumns {
  const { n, close, t, timeframeMs } = bars;
  const out = new EventBuffer(Math.max(16, swings.n >> 1));
  let hiPrice = NaN;
  let hiRef = NaN;
  let hiBroken = true;
  let loPrice = NaN;
  let loRef = NaN;
  let loBroken = true;
  let trend = 0; // +1 up, -1 down, 0 none yet
  let next = 0;
  for (let k = 0; k < n; k++) {
    const tk = t[k] + timeframeMs;
    if (!hiBroken && close[k] > hiPrice) {
      const choch = trend === -1;
      out.push(
        k,
        tk,
        k,
        t[k],
        hiPrice,
        choch ? KIND.Reversal : KIND.Expansion,
        DETECTOR.structure,
        choch ? LABEL.choch_up : LABEL.bos_up,
        LEVEL.swing_high,
        hiRef,
        hiPrice,
        close[k],
      );
      hiBroken = true;
      trend = 1;
    }
    if (!loBroken && close[k] < loPrice) {
      const choch = trend === 1;
      out.push(
        k,
        tk,
        k,
        t[k],
        loPrice,
        choch ? KIND.Reversal : KIND.Expansion,
        DETECTOR.structure,
        choch ? LABEL.choch_down : LABEL.bos_down,
        LEVEL.swing_low,
        loRef,
        close[k],
        loPrice,
      );
      loBroken = true;
      trend = -1;
    }
    while (next < swings.n && swings.bar[next] === k) {
      if (swings.label[next] === LABEL.swing_high) {
        hiPrice = swings.price[next];
        hiRef = swings.originT[next];
        hiBroken = false;
      } else if (swings.label[next] === LABEL.swing_low) {
        loPrice = swings.price[next];
        loRef = swings.originT[next];
        loBroken = false;
      }
      next++;
    }
  }
  return out.finish();
}
