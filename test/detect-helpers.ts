// Shared builders for the detect-* tests (not a test file itself).
import { barsFromArrays, type Bars } from '../src/detect/bars.js';
import { DETECTORS, type EventColumns, LABELS, LEVEL_TYPES } from '../src/detect/events.js';

export const M5 = 300_000;
/** 2025-07-29 09:30 New York (EDT) = 13:30Z. */
export const T0 = Date.UTC(2025, 6, 29, 13, 30);

/** Bars from [high, low, close] rows (open = close unless given as a 4th entry), contiguous from `start`. */
export function mkBars(rows: number[][], opts: { start?: number; tf?: number; times?: number[] } = {}): Bars {
  const tf = opts.tf ?? M5;
  const start = opts.start ?? T0;
  return barsFromArrays({
    t: opts.times ?? rows.map((_, i) => start + i * tf),
    high: rows.map((r) => r[0]),
    low: rows.map((r) => r[1]),
    close: rows.map((r) => r[2]),
    open: rows.map((r) => (r.length > 3 ? r[3] : r[2])),
    timeframeMs: tf,
  });
}

export interface EventRow {
  bar: number;
  origin: number;
  label: string;
  price: number;
  detector: string;
  level: string;
  kind: number;
}

/** Events as plain rows, for deepStrictEqual against hand-written expectations. */
export function rows(ev: EventColumns): EventRow[] {
  const out: EventRow[] = [];
  for (let i = 0; i < ev.n; i++) {
    out.push({
      bar: ev.bar[i],
      origin: ev.originBar[i],
      label: LABELS[ev.label[i]],
      price: ev.price[i],
      detector: DETECTORS[ev.detector[i]],
      level: LEVEL_TYPES[ev.levelType[i]],
      kind: ev.kind[i],
    });
  }
  return out;
}

/** Compact "bar:label@price" strings. */
export function brief(ev: EventColumns): string[] {
  return rows(ev).map((r) => `${r.bar}:${r.label}@${r.price}`);
}
