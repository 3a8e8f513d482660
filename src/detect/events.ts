/**
 * Detector output: events as columns of typed arrays (no object per event until sessions are built).
 *
 * Every event has an EMISSION bar — the bar at whose close it became knowable — and `t`, that knowable time.
 * `originBar`/`originT` is where the thing it describes happened (the swing bar, the FVG's middle bar, the
 * start of a phase window); `t − originT` is the confirmation delay, stated in each event's raw record.
 * `levelType` + `levelRef` name the price level or structure an event touches: an FVG and its redelivery, or a
 * swing, its sweep and its break, share the pair and therefore the session event's `levelKey`.
 */
import type { EventKind } from '../session/index.js';

/** Detector names (the event's `rule`). */
export const DETECTORS = [
  'session_anchor',
  'swing',
  'swing_sweep',
  'session_sweep',
  'structure',
  'fvg',
  'phase',
] as const;
export type DetectorName = (typeof DETECTORS)[number];
export const DETECTOR: { [K in DetectorName]: number } = Object.fromEntries(
  DETECTORS.map((d, i) => [d, i]),
) as {
  [K in DetectorName]: number;
};

/** Event labels (the event's `label`). */
export const LABELS = [
  'session_open',
  'session_high',
  'session_low',
  'session_close',
  'swing_high',
  'swing_low',
  'swing_high_swept',
  'swing_high_broken',
  'swing_low_swept',
  'swing_low_broken',
  'prev_session_high_swept',
  'prev_session_high_broken',
  'prev_session_low_swept',
  'prev_session_low_broken',
  'bos_up',
  'bos_down',
  'choch_up',
  'choch_down',
  'fvg_bull',
  'fvg_bear',
  'fvg_bull_redelivered',
  'fvg_bear_redelivered',
  'fvg_bull_filled',
  'fvg_bear_filled',
  'expansion:up',
  'expansion:down',
  'consolidation',
  'retracement:up_leg',
  'retracement:down_leg',
  'reversal:up_leg',
  'reversal:down_leg',
] as const;
export type LabelName = (typeof LABELS)[number];
export const LABEL: { [K in LabelName]: number } = Object.fromEntries(LABELS.map((d, i) => [d, i])) as {
  [K in LabelName]: number;
};

/**
 * Level kinds. `levelRef` is the level's origin time (UTC ms) for swings, FVGs, legs and ranges, and the
 * session index for session levels.
 */
export const LEVEL_TYPES = [
  'none',
  'swing_high',
  'swing_low',
  'fvg_bull',
  'fvg_bear',
  'leg',
  'range',
  'session_open',
  'session_high',
  'session_low',
  'session_close',
] as const;
export type LevelTypeName = (typeof LEVEL_TYPES)[number];
export const LEVEL: { [K in LevelTypeName]: number } = Object.fromEntries(
  LEVEL_TYPES.map((d, i) => [d, i]),
) as {
  [K in LevelTypeName]: number;
};

export interface EventColumns {
  n: number;
  /** Emission bar: the bar at whose close the event became knowable. */
  bar: Int32Array;
  /** Knowable time, UTC ms (the emission bar's close time; for session-end anchors, the session's end). */
  t: Float64Array;
  originBar: Int32Array;
  originT: Float64Array;
  price: Float64Array;
  kind: Uint8Array;
  /** Index into DETECTORS. */
  detector: Uint8Array;
  /** Index into LABELS. */
  label: Uint8Array;
  /** Index into LEVEL_TYPES. */
  levelType: Uint8Array;
  levelRef: Float64Array;
  /** Session the event belongs to (-1: none). */
  session: Int32Array;
  /** Price zone the event concerns (FVG bounds, swept level and extreme, phase window range); NaN when none. */
  zoneLow: Float64Array;
  zoneHigh: Float64Array;
}

/** Growable event columns; `push` appends one event, `finish` returns trimmed views. */
export class EventBuffer {
  n = 0;
  private cap: number;
  bar: Int32Array;
  t: Float64Array;
  originBar: Int32Array;
  originT: Float64Array;
  price: Float64Array;
  kind: Uint8Array;
  detector: Uint8Array;
  label: Uint8Array;
  levelType: Uint8Array;
  levelRef: Float64Array;
  session: Int32Array;
  zoneLow: Float64Array;
  zoneHigh: Float64Array;

  constructor(capacity = 256) {
    this.cap = Math.max(16, capacity);
    this.bar = new Int32Array(this.cap);
    this.t = new Float64Array(this.cap);
    this.originBar = new Int32Array(this.cap);
    this.originT = new Float64Array(this.cap);
    this.price = new Float64Array(this.cap);
    this.kind = new Uint8Array(this.cap);
    this.detector = new Uint8Array(this.cap);
    this.label = new Uint8Array(this.cap);
    this.levelType = new Uint8Array(this.cap);
    this.levelRef = new Float64Array(this.cap);
    this.session = new Int32Array(this.cap);
    this.zoneLow = new Float64Array(this.cap);
    this.zoneHigh = new Float64Array(this.cap);
  }

  private grow(): void {
    const cap = this.cap * 2;
    const g = <T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.bar = g(this.bar, (k) => new Int32Array(k));
    this.t = g(this.t, (k) => new Float64Array(k));
    this.originBar = g(this.originBar, (k) => new Int32Array(k));
    this.originT = g(this.originT, (k) => new Float64Array(k));
    this.price = g(this.price, (k) => new Float64Array(k));
    this.kind = g(this.kind, (k) => new Uint8Array(k));
    this.detector = g(this.detector, (k) => new Uint8Array(k));
    this.label = g(this.label, (k) => new Uint8Array(k));
    this.levelType = g(this.levelType, (k) => new Uint8Array(k));
    this.levelRef = g(this.levelRef, (k) => new Float64Array(k));
    this.session = g(this.session, (k) => new Int32Array(k));
    this.zoneLow = g(this.zoneLow, (k) => new Float64Array(k));
    this.zoneHigh = g(this.zoneHigh, (k) => new Float64Array(k));
    this.cap = cap;
  }

  push(
    bar: number,
    t: number,
    originBar: number,
    originT: number,
    price: number,
    kind: EventKind,
    detector: number,
    label: number,
    levelType: number,
    levelRef: number,
    zoneLow = NaN,
    zoneHigh = NaN,
    session = -1,
  ): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.bar[i] = bar;
    this.t[i] = t;
    this.originBar[i] = originBar;
    this.originT[i] = originT;
    this.price[i] = price;
    this.kind[i] = kind;
    this.detector[i] = detector;
    this.label[i] = label;
    this.levelType[i] = levelType;
    this.levelRef[i] = levelRef;
    this.zoneLow[i] = zoneLow;
    this.zoneHigh[i] = zoneHigh;
    this.session[i] = session;
  }

  finish(): EventColumns {
    const n = this.n;
    return {
      n,
      bar: this.bar.subarray(0, n),
      t: this.t.subarray(0, n),
      originBar: this.originBar.subarray(0, n),
      originT: this.originT.subarray(0, n),
      price: this.price.subarray(0, n),
      kind: this.kind.subarray(0, n),
      detector: this.detector.subarray(0, n),
      label: this.label.subarray(0, n),
      levelType: this.levelType.subarray(0, n),
      levelRef: this.levelRef.subarray(0, n),
      session: this.session.subarray(0, n),
      zoneLow: this.zoneLow.subarray(0, n),
      zoneHigh: this.zoneHigh.subarray(0, n),
    };
  }
}

/** The column names of EventColumns that hold per-event values (for copying and comparing). */
export const EVENT_COLUMN_NAMES = [
  'bar',
  't',
  'originBar',
  'originT',
  'price',
  'kind',
  'detector',
  'label',
  'levelType',
  'levelRef',
  'session',
  'zoneLow',
  'zoneHigh',
] as const;

/**
 * Merges event streams into one ordered by emission bar; within a bar, streams keep the order they are given
 * in (the detector priority) and each stream keeps its own order. Counting sort: O(total events + bars); the
 * destination of every event is computed once, then each column is scattered in its own tight loop.
 */
export function mergeByBar(streams: readonly EventColumns[], nBars: number): EventColumns {
  let total = 0;
  for (const s of streams) total += s.n;
  const next = new Int32Array(nBars + 1);
  for (const s of streams) {
    const bar = s.bar;
    for (let i = 0; i < s.n; i++) next[bar[i] + 1]++;
  }
  for (let b = 0; b < nBars; b++) next[b + 1] += next[b];
  const dest = streams.map((s) => {
    const d = new Int32Array(s.n);
    const bar = s.bar;
    for (let i = 0; i < s.n; i++) d[i] = next[bar[i]]++;
    return d;
  });
  const out = new EventBuffer(total);
  out.n = total;
  // one monomorphic loop per array type (a generic scatter over mixed typed-array types deoptimizes)
  for (let k = 0; k < streams.length; k++) {
    const s = streams[k];
    const d = dest[k];
    scatterI32(out.bar, s.bar, d);
    scatterF64(out.t, s.t, d);
    scatterI32(out.originBar, s.originBar, d);
    scatterF64(out.originT, s.originT, d);
    scatterF64(out.price, s.price, d);
    scatterU8(out.kind, s.kind, d);
    scatterU8(out.detector, s.detector, d);
    scatterU8(out.label, s.label, d);
    scatterU8(out.levelType, s.levelType, d);
    scatterF64(out.levelRef, s.levelRef, d);
    scatterI32(out.session, s.session, d);
    scatterF64(out.zoneLow, s.zoneLow, d);
    scatterF64(out.zoneHigh, s.zoneHigh, d);
  }
  return out.finish();
}

function scatterF64(dst: Float64Array, src: Float64Array, dest: Int32Array): void {
  for (let i = 0; i < dest.length; i++) dst[dest[i]] = src[i];
}

function scatterI32(dst: Int32Array, src: Int32Array, dest: Int32Array): void {
  for (let i = 0; i < dest.length; i++) dst[dest[i]] = src[i];
}

function scatterU8(dst: Uint8Array, src: Uint8Array, dest: Int32Array): void {
  for (let i = 0; i < dest.length; i++) dst[dest[i]] = src[i];
}
