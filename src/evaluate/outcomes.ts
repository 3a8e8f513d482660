/**
 * Outcome labels from bars, fixed at t*: for every bar b that could emit a signal, what happened after it.
 *
 * Convention (the same for every outcome and every signal): the signal is knowable at the CLOSE of bar b
 * (t* = t[b] + timeframe); the trade enters at the OPEN of bar b + 1, which must belong to the same session;
 * the exit for horizon h is the as-of close at entry + h — the close of the last bar whose close time is
 * ≤ entryT + h (bars may have gaps; the price known at that time is the last close). A horizon whose end falls
 * after the session window is NaN ("horizon beyond the session") — labels never reach into the next session.
 * Horizon `close` exits at the session's last bar.
 *
 * Outcomes per horizon (points, from the entry price):
 *   ret    close[exit] − open[entry]                          signed forward return
 *   up     1 when ret > 0 else 0                              direction
 *   mfe    max high over entry…exit − entry price              maximum favourable (upward) excursion
 *   mae    entry price − min low over entry…exit               maximum adverse (downward) excursion
 *   range  mfe + mae                                          forward range (at `close`: the session's rest)
 *   rv     √Σ (Δclose)² over entry…exit (first Δ from the entry open)   realised volatility
 * and per bar (horizon `session`):
 *   next_swing_high   1 when the first swing confirmed after t* in the session is a swing high, 0 a swing low
 *   touch_up_1atr     1 when entry + ATR is touched before entry − ATR (ATR(14) at bar b), 0 the reverse,
 *                     NaN when neither before the session ends or both in one bar (order unknown)
 *   prev_high_first   1 when the previous session's high is touched before its low, 0 the reverse (NaN: neither,
 *                     both in one bar, or no previous session)
 *
 * Values live in one Float32Array per (outcome, horizon) column over all bars — O(bars × columns) memory, no
 * object per bar. Look-ahead: every value of bar b reads bars > b only as the outcome; nothing read at or
 * before t* depends on bars after it, and the strata (strata.ts) read bars ≤ b only.
 */
import { type Bars, type EventColumns, LABELS, type SessionSegments, wilderAtr } from '../detect/index.js';

export const PATH_OUTCOMES = ['ret', 'up', 'mfe', 'mae', 'range', 'rv'] as const;
export const SESSION_OUTCOMES = ['next_swing_high', 'touch_up_1atr', 'prev_high_first'] as const;
export type PathOutcome = (typeof PATH_OUTCOMES)[number];
export type SessionOutcome = (typeof SESSION_OUTCOMES)[number];
export type OutcomeName = PathOutcome | SessionOutcome;

/** A horizon: minutes after entry, `close` (the session's last bar) or `session` (event outcomes to the end). */
export type Horizon = number | 'close' | 'session';

export function horizonName(h: Horizon): string {
  return typeof h === 'number' ? `${h}m` : h;
}

/** Parses `5`, `15m`, `1h`, `close`; errors name the value. */
export function parseHorizon(s: string): Horizon {
  const v = s.trim().toLowerCase();
  if (v === 'close') return 'close';
  const m = /^(\d+)\s*(m|min|h)?$/.exec(v);
  if (!m) throw new Error(`horizon "${s}" is not minutes (5, 15m, 1h) or "close"`);
  const n = Number(m[1]) * (m[2] === 'h' ? 60 : 1);
  if (!(n >= 1)) throw new Error(`horizon "${s}" must be at least 1 minute`);
  return n;
}

export interface OutcomeColumn {
  outcome: OutcomeName;
  horizon: Horizon;
  /** `ret@15m`, `range@close`, `next_swing_high@session`. */
  name: string;
  /** Value per bar (as the emission bar b); NaN where undefined. */
  values: Float32Array;
}

export interface OutcomeTable {
  columns: OutcomeColumn[];
  /** 1 where bar b can emit a signal (in a session, with an entry bar in the same session). */
  eligible: Uint8Array;
  /** Label end time of bar b at its longest horizon (UTC ms), for purging; NaN where not eligible. */
  labelEnd: Float64Array;
  /** Bars whose label at some horizon ran past the session window (counted once per bar and horizon). */
  beyondSession: number;
}

export interface OutcomeOptions {
  horizons: readonly Horizon[];
  atrPeriod?: number;
}

const SWING_HIGH = LABELS.indexOf('swing_high');
const SWING_LOW = LABELS.indexOf('swing_low');

/** The outcome table of every bar. */
export function outcomeTable(
  bars: Bars,
  seg: SessionSegments,
  events: EventColumns | null,
  opts: OutcomeOptions,
): OutcomeTable {
  const n = bars.n;
  const tf = bars.timeframeMs;
  const { t, open, high, low, close } = bars;
  const eligible = new Uint8Array(n);
  for (let b = 0; b + 1 < n; b++) {
    const s = seg.sessionOfBar[b];
    if (s >= 0 && seg.sessionOfBar[b + 1] === s) eligible[b] = 1;
  }
  const labelEnd = new Float64Array(n).fill(NaN);
  const columns: OutcomeColumn[] = [];
  let beyondSession = 0;
  for (const h of opts.horizons) {
    if (h === 'session') continue;
    const cols = Object.fromEntries(PATH_OUTCOMES.map((o) => [o, new Float32Array(n).fill(NaN)])) as Record<
      PathOutcome,
      Float32Array
    >;
    for (let b = 0; b < n; b++) {
      if (!eligible[b]) continue;
      const s = seg.sessionOfBar[b];
      const e = b + 1;
      const entryT = t[e];
      let exitT: number;
      if (h === 'close') exitT = seg.windowEnd[s];
      else {
        exitT = entryT + h * 60_000;
        if (exitT > seg.windowEnd[s]) {
          beyondSession++;
          continue;
        }
      }
      const last = seg.lastBar[s];
      const px = open[e];
      let hi = -Infinity;
      let lo = Infinity;
      let ss = 0;
      let prev = px;
      let j = -1;
      for (let k = e; k <= last && t[k] + tf <= exitT; k++) {
        if (high[k] > hi) hi = high[k];
        if (low[k] < lo) lo = low[k];
        const d = close[k] - prev;
        ss += d * d;
        prev = close[k];
        j = k;
      }
      if (j < 0) continue; // the entry bar itself closes after entry + h (h shorter than a bar)
      const ret = close[j] - px;
      cols.ret[b] = ret;
      cols.up[b] = ret > 0 ? 1 : 0;
      cols.mfe[b] = hi - px;
      cols.mae[b] = px - lo;
      cols.range[b] = hi - lo;
      cols.rv[b] = Math.sqrt(ss);
      const end = t[j] + tf;
      if (!(end <= labelEnd[b])) labelEnd[b] = end;
    }
    for (const o of PATH_OUTCOMES)
      columns.push({ outcome: o, horizon: h, name: `${o}@${horizonName(h)}`, values: cols[o] });
  }
  if (opts.horizons.includes('session')) {
    columns.push(...sessionOutcomes(bars, seg, events, eligible, opts.atrPeriod ?? 14, labelEnd));
  }
  return { columns, eligible, labelEnd, beyondSession };
}

function sessionOutcomes(
  bars: Bars,
  seg: SessionSegments,
  events: EventColumns | null,
  eligible: Uint8Array,
  atrPeriod: number,
  labelEnd: Float64Array,
): OutcomeColumn[] {
  const n = bars.n;
  const { t, open, high, low } = bars;
  const tf = bars.timeframeMs;
  const col = (o: SessionOutcome, values: Float32Array): OutcomeColumn => ({
    outcome: o,
    horizon: 'session',
    name: `${o}@session`,
    values,
  });
  const out: OutcomeColumn[] = [];

  // next confirmed swing: walk the swing events backwards, remembering the next one's label per time.
  if (events) {
    const v = new Float32Array(n).fill(NaN);
    const swingT: number[] = [];
    const swingIsHigh: number[] = [];
    const swingSession: number[] = [];
    for (let i = 0; i < events.n; i++) {
      const l = events.label[i];
      if (l !== SWING_HIGH && l !== SWING_LOW) continue;
      swingT.push(events.t[i]);
      swingIsHigh.push(l === SWING_HIGH ? 1 : 0);
      swingSession.push(events.session[i]);
    }
    // events are ordered by emission bar; for each eligible bar find the first swing with t > t* in its session
    let k = 0;
    for (let b = 0; b < n; b++) {
      if (!eligible[b]) continue;
      const tStar = t[b] + tf;
      while (k < swingT.length && swingT[k] <= tStar) k++;
      const s = seg.sessionOfBar[b];
      if (k < swingT.length && swingSession[k] === s) v[b] = swingIsHigh[k];
    }
    out.push(col('next_swing_high', v));
  }

  const atr = wilderAtr(bars, atrPeriod);
  out.push(
    col(
      'touch_up_1atr',
      firstTouch(
        bars,
        seg,
        eligible,
        (b) => open[b + 1] + atr[b],
        (b) => open[b + 1] - atr[b],
      ),
    ),
  );
  // previous session (in time) high/low, known at its end — before any bar of this session
  const prevHigh = new Float64Array(seg.count).fill(NaN);
  const prevLow = new Float64Array(seg.count).fill(NaN);
  for (let s = 1; s < seg.count; s++) {
    let hi = -Infinity;
    let lo = Infinity;
    for (let k = seg.firstBar[s - 1]; k <= seg.lastBar[s - 1]; k++) {
      if (high[k] > hi) hi = high[k];
      if (low[k] < lo) lo = low[k];
    }
    prevHigh[s] = hi;
    prevLow[s] = lo;
  }
  out.push(
    col(
      'prev_high_first',
      firstTouch(
        bars,
        seg,
        eligible,
        (b) => prevHigh[seg.sessionOfBar[b]],
        (b) => prevLow[seg.sessionOfBar[b]],
      ),
    ),
  );
  for (let b = 0; b < n; b++)
    if (eligible[b]) labelEnd[b] = Math.max(labelEnd[b] || 0, seg.windowEnd[seg.sessionOfBar[b]]);
  return out;
}

/**
 * 1 when `up(b)` is reached (high ≥ up) before `down(b)` (low ≤ down) from the entry bar to the session's end,
 * 0 the reverse, NaN when neither, both in one bar, a level is not finite, or the entry already lies outside
 * (up ≤ entry or down ≥ entry: the touch is not ahead).
 */
function firstTouch(
  bars: Bars,
  seg: SessionSegments,
  eligible: Uint8Array,
  up: (b: number) => number,
  down: (b: number) => number,
): Float32Array {
  const n = bars.n;
  const v = new Float32Array(n).fill(NaN);
  const { open, high, low } = bars;
  for (let b = 0; b < n; b++) {
    if (!eligible[b]) continue;
    const u = up(b);
    const d = down(b);
    const px = open[b + 1];
    if (!(u > px && d < px)) continue;
    const last = seg.lastBar[seg.sessionOfBar[b]];
    for (let k = b + 1; k <= last; k++) {
      const hitU = high[k] >= u;
      const hitD = low[k] <= d;
      if (hitU && hitD) break;
      if (hitU || hitD) {
        v[b] = hitU ? 1 : 0;
        break;
      }
    }
  }
  return v;
}
