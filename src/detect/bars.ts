/**
 * OHLCV bars as columns of typed arrays (one Float64Array per field), the input of every detector.
 *
 * Convention: `t[i]` is the bar's OPEN time (UTC epoch ms); the bar covers [t[i], t[i] + timeframeMs) and its
 * values become knowable at its close time `t[i] + timeframeMs`. Every detector event is stamped with the close
 * time of the bar that confirms it.
 */

export interface Bars {
  n: number;
  /** Bar open time, UTC epoch ms (strictly increasing, at least `timeframeMs` apart, once validated). */
  t: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  /** Bar length in ms; 0 means "not known yet" (validateBars infers it from the spacing of the bars). */
  timeframeMs: number;
  /** 1-based data row of each bar in its source file (header excluded), for error messages. */
  row: Int32Array;
}

/** Allocates `n` zeroed bars. */
export function allocBars(n: number, timeframeMs = 0): Bars {
  const row = new Int32Array(n);
  for (let i = 0; i < n; i++) row[i] = i + 1;
  return {
    n,
    t: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
    timeframeMs,
    row,
  };
}

/** Bars from plain arrays (tests, small inputs). `t` in UTC ms; volume defaults to 0. */
export function barsFromArrays(cols: {
  t: ArrayLike<number>;
  open: ArrayLike<number>;
  high: ArrayLike<number>;
  low: ArrayLike<number>;
  close: ArrayLike<number>;
  volume?: ArrayLike<number>;
  timeframeMs: number;
}): Bars {
  const n = cols.t.length;
  for (const f of ['open', 'high', 'low', 'close'] as const) {
    if (cols[f].length !== n) throw new Error(`bars: column ${f} has ${cols[f].length} values, t has ${n}`);
  }
  if (cols.volume && cols.volume.length !== n) {
    throw new Error(`bars: column volume has ${cols.volume.length} values, t has ${n}`);
  }
  const b = allocBars(n, cols.timeframeMs);
  b.t.set(cols.t);
  b.open.set(cols.open);
  b.high.set(cols.high);
  b.low.set(cols.low);
  b.close.set(cols.close);
  if (cols.volume) b.volume.set(cols.volume);
  return b;
}

/** Bars [from, to) as views (no copy); rows keep their source numbers. */
export function sliceBars(b: Bars, from: number, to: number): Bars {
  return {
    n: to - from,
    t: b.t.subarray(from, to),
    open: b.open.subarray(from, to),
    high: b.high.subarray(from, to),
    low: b.low.subarray(from, to),
    close: b.close.subarray(from, to),
    volume: b.volume.subarray(from, to),
    timeframeMs: b.timeframeMs,
    row: b.row.subarray(from, to),
  };
}

/** Bars in the order given by `index` (copies). */
export function selectBars(b: Bars, index: ArrayLike<number>): Bars {
  const out = allocBars(index.length, b.timeframeMs);
  for (let k = 0; k < index.length; k++) {
    const i = index[k];
    out.t[k] = b.t[i];
    out.open[k] = b.open[i];
    out.high[k] = b.high[i];
    out.low[k] = b.low[i];
    out.close[k] = b.close[i];
    out.volume[k] = b.volume[i];
    out.row[k] = b.row[i];
  }
  return out;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a timeframe such as `5m`, `1h`, `30s`, `1d`, or the MetaTrader-style `M5`, `H1`, `D1` into ms.
 * Throws naming the value when it is not one of these forms.
 */
export function parseTimeframe(tf: string): number {
  const s = tf.trim();
  let m = /^(\d+)\s*(s|m|min|h|d)$/i.exec(s);
  if (m) {
    const unit = m[2].toLowerCase() === 'min' ? 'm' : m[2].toLowerCase();
    const ms = Number(m[1]) * UNIT_MS[unit];
    if (ms > 0) return ms;
  }
  m = /^(S|M|H|D)(\d+)$/i.exec(s);
  if (m) {
    const ms = Number(m[2]) * UNIT_MS[m[1].toLowerCase()];
    if (ms > 0) return ms;
  }
  throw new Error(`invalid timeframe "${tf}" (expected e.g. 1m, 5m, 15m, 1h, 1d or M5, H1)`);
}

/** The short name of a bar length: 300000 → `5m`, 3600000 → `1h`. */
export function formatTimeframe(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
