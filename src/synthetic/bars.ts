/**
 * A seeded OHLCV bar generator: a random walk with Markov-switching regimes, for tests and benchmarks.
 *
 * Regimes: 0 range (mean-reverting towards the price where the regime began, low volatility), 1 trend up,
 * 2 trend down, 3 volatile (no drift, 2.5× volatility). Each bar keeps the regime with probability
 * `persistence`, else switches to one of the others uniformly. Per bar: open = previous close (plus, with
 * probability `gapProb`, a gap of one σ), close = open + drift + σ·N(0,1), wicks |N(0,1)|·σ·wickFrac beyond the
 * body; prices on the `tick` grid; volume log-normal, larger in volatile regimes. Bars are contiguous, one
 * timeframe apart (24 h a day; weekends are not skipped). Deterministic given the Rng's seed.
 */
import { allocBars, type Bars } from '../detect/index.js';
import type { Rng } from '../stats/index.js';

export interface GenerateBarsOptions {
  /** Open time of the first bar, UTC ms (default 2025-07-28T00:00 New York = 04:00Z). */
  start: number;
  timeframeMs: number;
  startPrice: number;
  /** Price grid (NQ: 0.25). */
  tick: number;
  /** Per-bar volatility σ in price units in the range regime's … base (trend: ×1.2, volatile: ×2.5, range: ×0.6). */
  sigma: number;
  /** Drift per bar in trend regimes, in σ. */
  trendDrift: number;
  /** Mean-reversion strength in the range regime (fraction of the distance per bar). */
  meanReversion: number;
  persistence: number;
  wickFrac: number;
  gapProb: number;
  baseVolume: number;
}

export const DEFAULT_GENERATE_OPTIONS: GenerateBarsOptions = {
  start: Date.UTC(2025, 6, 28, 4, 0),
  timeframeMs: 300_000,
  startPrice: 23500,
  tick: 0.25,
  sigma: 8,
  trendDrift: 0.35,
  meanReversion: 0.08,
  persistence: 0.97,
  wickFrac: 0.6,
  gapProb: 0.02,
  baseVolume: 1500,
};

const VOL_MULT = [0.6, 1.2, 1.2, 2.5];

/** `n` bars from `rng`; also returns the regime of each bar. */
export function generateBars(
  rng: Rng,
  n: number,
  opts: Partial<GenerateBarsOptions> = {},
): Bars & { regime: Uint8Array } {
  const o = { ...DEFAULT_GENERATE_OPTIONS, ...opts };
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`generateBars: n must be a non-negative integer, got ${n}`);
  if (!(o.tick > 0)) throw new Error(`generateBars: tick must be > 0, got ${o.tick}`);
  if (!(o.timeframeMs > 0)) throw new Error(`generateBars: timeframeMs must be > 0, got ${o.timeframeMs}`);
  if (!(o.persistence >= 0 && o.persistence <= 1))
    throw new Error(`generateBars: persistence must be in [0, 1], got ${o.persistence}`);
  const bars = allocBars(n, o.timeframeMs);
  const regime = new Uint8Array(n);
  const q = (x: number): number => Math.round(x / o.tick) * o.tick;
  let r = 0;
  let anchor = o.startPrice;
  let prevClose = q(o.startPrice);
  for (let i = 0; i < n; i++) {
    if (i > 0 && rng.float() >= o.persistence) {
      r = (r + 1 + rng.int(3)) % 4;
      anchor = prevClose;
    }
    regime[i] = r;
    const sigma = o.sigma * VOL_MULT[r];
    let open = prevClose;
    if (rng.float() < o.gapProb) open = q(open + sigma * rng.normal());
    let drift = 0;
    if (r === 0) drift = -o.meanReversion * (open - anchor);
    else if (r === 1) drift = o.trendDrift * sigma;
    else if (r === 2) drift = -o.trendDrift * sigma;
    const close = q(open + drift + sigma * rng.normal());
    const high = q(Math.max(open, close) + Math.abs(rng.normal()) * sigma * o.wickFrac);
    const low = q(Math.min(open, close) - Math.abs(rng.normal()) * sigma * o.wickFrac);
    bars.t[i] = o.start + i * o.timeframeMs;
    bars.open[i] = open;
    bars.high[i] = Math.max(high, open, close);
    bars.low[i] = Math.min(low, open, close);
    bars.close[i] = close;
    bars.volume[i] = Math.round(o.baseVolume * VOL_MULT[r] * Math.exp(0.5 * rng.normal()));
    prevClose = close;
  }
  return Object.assign(bars, { regime });
}
