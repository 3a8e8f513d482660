/**
 * Causal signals from the bar detectors' events and from bars: one signal per event label and per event kind
 * (fires at the emission bar — the bar at whose close the detector could know it), and the trivial baselines
 * every finding must beat (momentum, high ATR). User rules are in rules.ts.
 */
import { type Bars, type EventColumns, LABELS } from '../detect/index.js';
import { EVENT_KINDS } from '../session/index.js';
import type { Signal, SignalSource } from './types.js';

/** Sorted unique bars of `list`. */
export function uniqueBars(list: ArrayLike<number>): Int32Array {
  const a = Int32Array.from(list).sort();
  let k = 0;
  for (let i = 0; i < a.length; i++) if (i === 0 || a[i] !== a[i - 1]) a[k++] = a[i];
  return a.slice(0, k);
}

function bySelector(
  ev: EventColumns,
  names: readonly string[],
  pick: (i: number) => number,
  source: SignalSource,
  prefix: string,
  doc: (name: string) => string,
): Signal[] {
  const lists: number[][] = names.map(() => []);
  for (let i = 0; i < ev.n; i++) if (ev.session[i] >= 0) lists[pick(i)].push(ev.bar[i]);
  const out: Signal[] = [];
  names.forEach((name, k) => {
    if (lists[k].length > 0)
      out.push({ name: `${prefix}:${name}`, source, doc: doc(name), bar: uniqueBars(lists[k]) });
  });
  return out;
}

/** One signal per detector label and per event kind present (in-session events only). */
export function eventSignals(ev: EventColumns): Signal[] {
  return [
    ...bySelector(
      ev,
      LABELS,
      (i) => ev.label[i],
      'label',
      'label',
      (l) => `a ${l} event, at the close of the bar that confirms it`,
    ),
    ...bySelector(
      ev,
      EVENT_KINDS,
      (i) => ev.kind[i],
      'kind',
      'kind',
      (k) => `any ${k} event, at the close of the bar that confirms it`,
    ),
  ];
}

/** Names of the baseline signals (fold-fitted, so they exist only per fold). */
export const BASELINE_NAMES = [
  'baseline:momentum_up',
  'baseline:momentum_down',
  'baseline:atr_high',
] as const;

/**
 * Baselines: `momentum_up`/`momentum_down` — the close at b is above/below the as-of close 30 minutes earlier
 * (fires on the first bar of each run, so a trend does not fire every bar); `atr_high` — the 12-bar mean |Δclose|
 * crosses above `volCut` (the fold's training upper tercile, passed in by the caller).
 */
export function baselineSignals(bars: Bars, recentVol: Float64Array, volCut: number): Signal[] {
  const n = bars.n;
  const { t, close } = bars;
  const up: number[] = [];
  const down: number[] = [];
  const hot: number[] = [];
  let j = 0;
  let prevDir = 0;
  let prevHot = false;
  for (let b = 0; b < n; b++) {
    const past = t[b] + bars.timeframeMs - 30 * 60_000; // as-of close 30 minutes before t*
    while (j + 1 <= b && t[j + 1] + bars.timeframeMs <= past) j++;
    const dir = t[j] + bars.timeframeMs <= past ? Math.sign(close[b] - close[j]) : 0;
    if (dir > 0 && prevDir <= 0) up.push(b);
    if (dir < 0 && prevDir >= 0) down.push(b);
    prevDir = dir;
    const isHot = recentVol[b] > volCut;
    if (isHot && !prevHot) hot.push(b);
    prevHot = isHot;
  }
  const mk = (name: string, doc: string, list: number[]): Signal => ({
    name: `baseline:${name}`,
    source: 'baseline',
    doc,
    bar: Int32Array.from(list),
  });
  return [
    mk('momentum_up', 'the close turns above the close 30 minutes earlier (first bar of the run)', up),
    mk('momentum_down', 'the close turns below the close 30 minutes earlier (first bar of the run)', down),
    mk('atr_high', 'recent 12-bar volatility crosses above its upper tercile (training days)', hot),
  ];
}
