/**
 * Average true range (Wilder), causal: ATR[i] uses bars 0…i only.
 * TR[0] = high − low; TR[i] = max(high − low, |high − close[i−1]|, |low − close[i−1]|).
 * ATR[period−1] = mean(TR[0…period−1]); ATR[i] = (ATR[i−1]·(period−1) + TR[i]) / period. NaN before period−1.
 */
import type { Bars } from './bars.js';

export function wilderAtr(bars: Bars, period: number): Float64Array {
  if (!Number.isInteger(period) || period < 1)
    throw new Error(`atrPeriod must be an integer ≥ 1, got ${period}`);
  const { n, high, low, close } = bars;
  const atr = new Float64Array(n).fill(NaN);
  let sum = 0;
  let prev = NaN;
  for (let i = 0; i < n; i++) {
    let tr = high[i] - low[i];
    if (i > 0) {
      const a = Math.abs(high[i] - close[i - 1]);
      const b = Math.abs(low[i] - close[i - 1]);
      if (a > tr) tr = a;
      if (b > tr) tr = b;
    }
    if (i < period) {
      sum += tr;
      if (i === period - 1) prev = atr[i] = sum / period;
    } else {
      prev = atr[i] = (prev * (period - 1) + tr) / period;
    }
  }
  return atr;
}
