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
  checkBarOptions(o);
  const bars = allocBars(n, o.timeframeMs);
  return Object.assign(bars, { regime: walkBars(rng, bars, o, null) });
}

/** The option checks shared by `generateBars` and the planted generator (planted.ts). */
export function checkBarOptions(o: GenerateBarsOptions): void {
  if (!(o.tick > 0)) throw new Error(`generateBars: tick must be > 0, got ${o.tick}`);
  if (!(o.timeframeMs > 0)) throw new Error(`generateBars: timeframeMs must be > 0, got ${o.timeframeMs}`);
  if (!(o.persistence >= 0 && o.persistence <= 1))
    throw new Error(`generateBars: persistence must be in [0, 1], got ${o.persistence}`);
}

/**
 * What planted.ts lays over the walk, per bar (a null array: nothing of that kind). Kept as flat typed arrays so
 * the per-bar loop stays one loop with a few array reads, shared with `generateBars` rather than copied.
 */
export interface BarOverlay {
  /**
   * Points added to bar i's close-to-close move. The range regime's anchor moves with them, so its mean reversion
   * does not pull the added points back out: the walk with the overlay is the walk without it plus the added
   * points (tick rounding aside).
   */
  drift: Float64Array | null;
  /** Multiplier of bar i's σ (its close noise, gap and wicks). */
  vol: Float64Array | null;
  /**
   * 1 where bar i is a marker: the walk pauses for that bar (close = previous close, plus `drift[i]`), and its
   * open is close − body, body = max(tick, bodySigmas·σ of the bar) on the tick grid, wicks
   * |N(0,1)|·σ·markerWickFrac: a large bullish bar whose open gaps down by exactly its body. The marker thus
   * moves no close (every forward return from a later open, a signal's or a control's, is the walk's), and its
   * shape (body, gap, wicks) does not depend on the walk's move, so a rule that reads the shape selects no
   * regime or direction of the walk.
   */
  marker: Uint8Array | null;
  markerBodySigmas: number;
  markerWickFrac: number;
}

/**
 * The per-bar loop of the Markov-switching walk: fills `bars` (all `bars.n` of them) and returns the regime of
 * each bar. With `overlay` null the draws and arithmetic are exactly `generateBars`' (its outputs are pinned by
 * tests and the canary); an overlay changes values, never the sequence of draws, so a run with an overlay and
 * one without from the same Rng share every regime switch and every noise draw.
 */
export function walkBars(
  rng: Rng,
  bars: Bars,
  o: GenerateBarsOptions,
  overlay: BarOverlay | null,
): Uint8Array {
  const n = bars.n;
  const regime = new Uint8Array(n);
  const q = (x: number): number => Math.round(x / o.tick) * o.tick;
  const extra = overlay?.drift ?? null;
  const vol = overlay?.vol ?? null;
  const marker = overlay?.marker ?? null;
  const bodySigmas = overlay?.markerBodySigmas ?? 0;
  const markerWickFrac = overlay?.markerWickFrac ?? 0;
  let r = 0;
  let anchor = o.startPrice;
  let prevClose = q(o.startPrice);
  for (let i = 0; i < n; i++) {
    if (i > 0 && rng.float() >= o.persistence) {
      r = (r + 1 + rng.int(3)) % 4;
      anchor = prevClose;
    }
    regime[i] = r;
    const sigma = vol === null ? o.sigma * VOL_MULT[r] : o.sigma * VOL_MULT[r] * vol[i];
    let open = prevClose;
    if (rng.float() < o.gapProb) open = q(open + sigma * rng.normal());
    let drift = 0;
    if (r === 0) drift = -o.meanReversion * (open - anchor);
    else if (r === 1) drift = o.trendDrift * sigma;
    else if (r === 2) drift = -o.trendDrift * sigma;
    // `+ add` with add = 0 leaves every sum bit for bit as it was, so generateBars' outputs do not move
    const add = extra === null ? 0 : extra[i];
    anchor += add;
    let close = q(open + drift + add + sigma * rng.normal());
    // the two wick draws are taken in the same order whether or not the bar is a marker
    const w1 = Math.abs(rng.normal());
    const w2 = Math.abs(rng.normal());
    let wickFrac = o.wickFrac;
    if (marker !== null && marker[i] === 1) {
      close = q(prevClose + add);
      open = close - Math.max(o.tick, q(bodySigmas * sigma));
      wickFrac = markerWickFrac;
    }
    const high = q(Math.max(open, close) + w1 * sigma * wickFrac);
    const low = q(Math.min(open, close) - w2 * sigma * wickFrac);
    bars.t[i] = o.start + i * o.timeframeMs;
    bars.open[i] = open;
    bars.high[i] = Math.max(high, open, close);
    bars.low[i] = Math.min(low, open, close);
    bars.close[i] = close;
    bars.volume[i] = Math.round(o.baseVolume * VOL_MULT[r] * Math.exp(0.5 * rng.normal()));
    prevClose = close;
  }
  return regime;
}
