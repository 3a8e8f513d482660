/**
 * Expansion / consolidation / retracement / reversal phases, causal.
 *
 * Each bar i (once ATR is defined w bars back) is classified from the last `window` bars W = [i−w+1, i] and the
 * yardstick A = ATR[i−w] — the ATR just BEFORE the window, so the window's own bars do not inflate it:
 * 1. Expansion up/down when |close[i] − open[i−w+1]| ≥ expansionAtr · A. Entering it starts a new leg (or
 *    continues the current one when it points the same way): leg origin = lowest low (up) / highest high (down)
 *    of W, leg extreme = highest high / lowest low so far.
 * 2. Otherwise, with a leg of range R = |extreme − origin| > 0 (the extreme is updated every bar):
 *    depth = (extreme − close) / R for an up leg ((close − extreme) / R down).
 *    depth > 1 (closed beyond the leg's origin) → Reversal of the leg (one-shot; the leg ends);
 *    retraceFrac ≤ depth ≤ 1 → Retracement.
 * 3. Otherwise Consolidation when max(high) − min(low) over W ≤ consolidationAtr · A.
 * 4. Otherwise no phase.
 * An event is emitted when the class CHANGES to a phase (a run of equal classes emits once), at bar i, i.e. at
 * its close. Origins: expansion → the leg-origin bar; retracement / reversal → the leg-extreme bar;
 * consolidation → the window's first bar. So the stated delay is how long the phase took to become evident.
 *
 * Kinds: Expansion, Consolidation, Retracement, Reversal. Level: `leg` at the leg-origin time for expansion,
 * retracement and reversal (one leg, one key); `range` at the window start for consolidation.
 */
import type { Bars } from './bars.js';
import { wilderAtr } from './atr.js';
import { DETECTOR, EventBuffer, type EventColumns, LABEL, LEVEL } from './events.js';
import { KIND } from '../session/index.js';

export interface PhaseParams {
  /** Window length in bars. */
  window: number;
  /** Net move over the window, in ATRs, that makes an expansion. */
  expansionAtr: number;
  /** Window range, in ATRs, at or under which the market is consolidating. */
  consolidationAtr: number;
  /** Pullback, as a fraction of the leg, that makes a retracement (a pullback beyond the leg's origin is a reversal). */
  retraceFrac: number;
  atrPeriod: number;
}

export const DEFAULT_PHASE_PARAMS: PhaseParams = {
  window: 6,
  expansionAtr: 2,
  consolidationAtr: 1.5,
  retraceFrac: 0.5,
  atrPeriod: 14,
};

const NONE = 0;
const EXP_UP = 1;
const EXP_DOWN = 2;
const RETRACE = 3;
const REVERSAL = 4;
const CONSOLIDATION = 5;

function checkParams(p: PhaseParams): void {
  if (!Number.isInteger(p.window) || p.window < 2)
    throw new Error(`phase.window must be an integer ≥ 2, got ${p.window}`);
  if (!(p.expansionAtr > 0)) throw new Error(`phase.expansionAtr must be > 0, got ${p.expansionAtr}`);
  if (!(p.consolidationAtr > 0))
    throw new Error(`phase.consolidationAtr must be > 0, got ${p.consolidationAtr}`);
  if (!(p.retraceFrac > 0 && p.retraceFrac <= 1))
    throw new Error(`phase.retraceFrac must be in (0, 1], got ${p.retraceFrac}`);
}

/** Phase-change events over `bars`. `atr` (Wilder, params.atrPeriod) may be passed to share it. */
export function detectPhases(
  bars: Bars,
  params: PhaseParams = DEFAULT_PHASE_PARAMS,
  atr?: Float64Array,
): EventColumns {
  checkParams(params);
  const { n, open, high, low, close, t, timeframeMs } = bars;
  const w = params.window;
  const a = atr ?? wilderAtr(bars, params.atrPeriod);
  const out = new EventBuffer(Math.ceil(n / 6));
  let prevClass = NONE;
  let legDir = 0;
  let legOrigin = NaN;
  let legOriginBar = -1;
  let legExtreme = NaN;
  let legExtremeBar = -1;
  for (let i = w; i < n; i++) {
    const ref = a[i - w];
    if (!(ref > 0)) {
      prevClass = NONE;
      continue;
    }
    const s = i - w + 1;
    let wHigh = high[s];
    let wHighBar = s;
    let wLow = low[s];
    let wLowBar = s;
    for (let q = s + 1; q <= i; q++) {
      if (high[q] > wHigh) {
        wHigh = high[q];
        wHighBar = q;
      }
      if (low[q] < wLow) {
        wLow = low[q];
        wLowBar = q;
      }
    }
    if (legDir > 0 && high[i] > legExtreme) {
      legExtreme = high[i];
      legExtremeBar = i;
    } else if (legDir < 0 && low[i] < legExtreme) {
      legExtreme = low[i];
      legExtremeBar = i;
    }
    const net = close[i] - open[s];
    let cls = NONE;
    if (Math.abs(net) >= params.expansionAtr * ref) {
      const dir = net > 0 ? 1 : -1;
      cls = dir > 0 ? EXP_UP : EXP_DOWN;
      if (legDir !== dir) {
        legDir = dir;
        legOrigin = dir > 0 ? wLow : wHigh;
        legOriginBar = dir > 0 ? wLowBar : wHighBar;
        legExtreme = dir > 0 ? wHigh : wLow;
        legExtremeBar = dir > 0 ? wHighBar : wLowBar;
      }
    } else {
      const range = legDir === 0 ? 0 : Math.abs(legExtreme - legOrigin);
      if (range > 0) {
        const depth = legDir > 0 ? (legExtreme - close[i]) / range : (close[i] - legExtreme) / range;
        if (depth > 1) cls = REVERSAL;
        else if (depth >= params.retraceFrac) cls = RETRACE;
      }
      if (cls === NONE && wHigh - wLow <= params.consolidationAtr * ref) cls = CONSOLIDATION;
    }
    if (cls !== prevClass && cls !== NONE) {
      const ti = t[i] + timeframeMs;
      if (cls === EXP_UP || cls === EXP_DOWN) {
        const label = cls === EXP_UP ? LABEL['expansion:up'] : LABEL['expansion:down'];
        out.push(
          i,
          ti,
          legOriginBar,
          t[legOriginBar],
          close[i],
          KIND.Expansion,
          DETECTOR.phase,
          label,
          LEVEL.leg,
          t[legOriginBar],
          Math.min(legOrigin, legExtreme),
          Math.max(legOrigin, legExtreme),
        );
      } else if (cls === RETRACE || cls === REVERSAL) {
        const up = legDir > 0;
        const label =
          cls === RETRACE
            ? up
              ? LABEL['retracement:up_leg']
              : LABEL['retracement:down_leg']
            : up
              ? LABEL['reversal:up_leg']
              : LABEL['reversal:down_leg'];
        out.push(
          i,
          ti,
          legExtremeBar,
          t[legExtremeBar],
          close[i],
          cls === RETRACE ? KIND.Retracement : KIND.Reversal,
          DETECTOR.phase,
          label,
          LEVEL.leg,
          t[legOriginBar],
          Math.min(legOrigin, legExtreme),
          Math.max(legOrigin, legExtreme),
        );
      } else {
        out.push(
          i,
          ti,
          s,
          t[s],
          (wHigh + wLow) / 2,
          KIND.Consolidation,
          DETECTOR.phase,
          LABEL.consolidation,
          LEVEL.range,
          t[s],
          wLow,
          wHigh,
        );
      }
    }
    if (cls === REVERSAL) {
      legDir = 0;
      legOrigin = legExtreme = NaN;
      legOriginBar = legExtremeBar = -1;
    }
    prevClass = cls;
  }
  return out.finish();
}
