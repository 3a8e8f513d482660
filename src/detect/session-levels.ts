/**
 * Session anchors (open/high/low/close) and sweeps of the previous session's high/low.
 *
 * Anchors (kind Anchor):
 * - `session_open`: emitted at the close of the session's first bar (price = its open; origin = its open time).
 * - `session_high`, `session_low`, `session_close`: a session's extremes are only known once it is over. The
 *   session is over at endT = max(window end, close of its last bar); the three anchors are emitted at the first
 *   bar whose close is ≥ endT (normally the session's last bar) with t = endT, and origin = the bar that made
 *   the high / low (first one on ties) / the last bar. When the series stops before endT, they are not emitted
 *   (the session is incomplete; `incomplete` flags it).
 *
 * Previous-session sweeps (kind LiquidityTaken): during session s, the first bar whose high trades strictly
 * above the high of session s−1 (the previous session in the series, whatever its type) emits
 * `prev_session_high_swept` (closed back at or below it) or `prev_session_high_broken` (closed above); lows
 * mirror this. At most one of each per session. Session s−1's extremes are known before session s starts
 * (windows do not overlap and bars do not overlap), so this is causal.
 *
 * Levels: session_open/high/low/close with `levelRef` = the session index of the level's session, so a sweep
 * of the previous session's high shares the key of that session's `session_high` anchor.
 */
import type { Bars } from './bars.js';
import type { SessionSegments } from './calendar.js';
import { DETECTOR, EventBuffer, type EventColumns, LABEL, LEVEL } from './events.js';
import { KIND } from '../session/index.js';

export interface SessionAnchorResult {
  /** session_open events (emitted at each session's first bar). */
  opens: EventColumns;
  /** session_high / session_low / session_close events (emitted when each session is over). */
  ends: EventColumns;
  /** Per session: 1 when the series ends before the session does (no end anchors). */
  incomplete: Uint8Array;
}

/** High, low and their bars for each session. */
export interface SessionExtremes {
  high: Float64Array;
  low: Float64Array;
  highBar: Int32Array;
  lowBar: Int32Array;
}

export function sessionExtremes(bars: Bars, seg: SessionSegments): SessionExtremes {
  const m = seg.count;
  const ex: SessionExtremes = {
    high: new Float64Array(m),
    low: new Float64Array(m),
    highBar: new Int32Array(m),
    lowBar: new Int32Array(m),
  };
  for (let s = 0; s < m; s++) {
    let hb = seg.firstBar[s];
    let lb = hb;
    for (let i = hb + 1; i <= seg.lastBar[s]; i++) {
      if (bars.high[i] > bars.high[hb]) hb = i;
      if (bars.low[i] < bars.low[lb]) lb = i;
    }
    ex.high[s] = bars.high[hb];
    ex.low[s] = bars.low[lb];
    ex.highBar[s] = hb;
    ex.lowBar[s] = lb;
  }
  return ex;
}

/** When each session is over (UTC ms): max(window end, close of its last bar). */
export function sessionEndT(bars: Bars, seg: SessionSegments): Float64Array {
  const end = new Float64Array(seg.count);
  for (let s = 0; s < seg.count; s++) {
    end[s] = Math.max(seg.windowEnd[s], bars.t[seg.lastBar[s]] + bars.timeframeMs);
  }
  return end;
}

/** Open/high/low/close anchors of every session in `seg`. */
export function detectSessionAnchors(bars: Bars, seg: SessionSegments): SessionAnchorResult {
  const { t, timeframeMs, n } = bars;
  const opens = new EventBuffer(seg.count + 1);
  const ends = new EventBuffer(3 * seg.count + 1);
  const incomplete = new Uint8Array(seg.count);
  const ex = sessionExtremes(bars, seg);
  const endT = sessionEndT(bars, seg);
  let j = 0; // emission bar search pointer (end times increase with s)
  for (let s = 0; s < seg.count; s++) {
    const f = seg.firstBar[s];
    opens.push(
      f,
      t[f] + timeframeMs,
      f,
      t[f],
      bars.open[f],
      KIND.Anchor,
      DETECTOR.session_anchor,
      LABEL.session_open,
      LEVEL.session_open,
      s,
      NaN,
      NaN,
      s,
    );
    const last = seg.lastBar[s];
    if (j < last) j = last;
    while (j < n && t[j] + timeframeMs < endT[s]) j++;
    if (j >= n) {
      incomplete[s] = 1;
      continue;
    }
    const e = endT[s];
    const d = DETECTOR.session_anchor;
    ends.push(
      j,
      e,
      ex.highBar[s],
      t[ex.highBar[s]],
      ex.high[s],
      KIND.Anchor,
      d,
      LABEL.session_high,
      LEVEL.session_high,
      s,
      NaN,
      NaN,
      s,
    );
    ends.push(
      j,
      e,
      ex.lowBar[s],
      t[ex.lowBar[s]],
      ex.low[s],
      KIND.Anchor,
      d,
      LABEL.session_low,
      LEVEL.session_low,
      s,
      NaN,
      NaN,
      s,
    );
    ends.push(
      j,
      e,
      last,
      t[last],
      bars.close[last],
      KIND.Anchor,
      d,
      LABEL.session_close,
      LEVEL.session_close,
      s,
      NaN,
      NaN,
      s,
    );
  }
  return { opens: opens.finish(), ends: ends.finish(), incomplete };
}

/** Sweeps of the previous session's high and low, at most one of each per session. */
export function detectSessionSweeps(bars: Bars, seg: SessionSegments): EventColumns {
  const { high, low, close, t, timeframeMs } = bars;
  const out = new EventBuffer(2 * seg.count + 1);
  const ex = sessionExtremes(bars, seg);
  for (let s = 1; s < seg.count; s++) {
    const ph = ex.high[s - 1];
    const pl = ex.low[s - 1];
    let highTaken = false;
    let lowTaken = false;
    for (let k = seg.firstBar[s]; k <= seg.lastBar[s] && !(highTaken && lowTaken); k++) {
      const tk = t[k] + timeframeMs;
      if (!highTaken && high[k] > ph) {
        highTaken = true;
        const label = close[k] > ph ? LABEL.prev_session_high_broken : LABEL.prev_session_high_swept;
        out.push(
          k,
          tk,
          k,
          t[k],
          ph,
          KIND.LiquidityTaken,
          DETECTOR.session_sweep,
          label,
          LEVEL.session_high,
          s - 1,
          ph,
          high[k],
          s,
        );
      }
      if (!lowTaken && low[k] < pl) {
        lowTaken = true;
        const label = close[k] < pl ? LABEL.prev_session_low_broken : LABEL.prev_session_low_swept;
        out.push(
          k,
          tk,
          k,
          t[k],
          pl,
          KIND.LiquidityTaken,
          DETECTOR.session_sweep,
          label,
          LEVEL.session_low,
          s - 1,
          low[k],
          pl,
          s,
        );
      }
    }
  }
  return out.finish();
}
