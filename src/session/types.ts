/**
 * The typed session model every later stage consumes.
 *
 * A `Session` is one trading session (e.g. NY_AM on 2025-07-29) as a time-sorted list of `SessionEvent`s.
 * Each event carries exactly one `EventKind` of the six-kind taxonomy (plus Anchor for the session's
 * open/high/low/close markers), the rule that assigned it, and the raw record it came from.
 */

/** The six market-structure kinds, plus Anchor. The numeric code is the index (stored as `kind` uint8). */
export const EVENT_KINDS = [
  'Expansion',
  'Consolidation',
  'Retracement',
  'Reversal',
  'LiquidityTaken',
  'Redelivery',
  'Anchor',
] as const;
export type EventKindName = (typeof EVENT_KINDS)[number];
/** Numeric kind code: 0 Expansion … 5 Redelivery, 6 Anchor. */
export type EventKind = 0 | 1 | 2 | 3 | 4 | 5 | 6;
export const KIND = {
  Expansion: 0,
  Consolidation: 1,
  Retracement: 2,
  Reversal: 3,
  LiquidityTaken: 4,
  Redelivery: 5,
  Anchor: 6,
} as const satisfies Record<EventKindName, EventKind>;
export const N_KINDS = EVENT_KINDS.length;

/** Which section of a session record (or which detector) produced an event. */
export const EVENT_SOURCES = [
  'price_movement',
  'liquidity_event',
  'phase_transition',
  'level_interaction',
  'fair_value_gap',
  'fpfvg_interaction',
  'bar_detector',
] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

/** The eight session types of the sample (ET windows in src/session/calendar.ts). */
export const SESSION_TYPES = [
  'MIDNIGHT',
  'LONDON',
  'PREMARKET',
  'NY_AM',
  'LUNCH',
  'NY_PM',
  'PREASIA',
  'ASIA',
] as const;
export type SessionType = (typeof SESSION_TYPES)[number];

export interface SessionEvent {
  /** UTC epoch milliseconds. */
  t: number;
  /** Order of appearance within the source record; breaks ties on `t` (events are sorted by (t, seq)). */
  seq: number;
  /** Price in instrument points (NQ). Estimated from the nearest price event when the record has none. */
  price: number;
  kind: EventKind;
  source: EventSource;
  /** Identifier of the taxonomy rule that assigned `kind` (see src/session/taxonomy.ts). */
  rule: string;
  /** The raw vocabulary word(s) the rule looked at, e.g. "session_high" or "sweep:broken". */
  label: string;
  /**
   * Key of the price level / structure this event touches (e.g. "fpfvg:london", "level:asia_low"),
   * or "" when none. Events sharing a key are joined by CONTEXT edges.
   */
  levelKey: string;
  /** Wall-clock time as written in the record (HH:MM:SS, ET), for display and node_map. */
  clock: string;
  /** The record the event came from, untouched. */
  raw: unknown;
}

export interface Session {
  /** `<TYPE>_<YYYY-MM-DD>`, e.g. `NY_AM_2025-07-29`. */
  id: string;
  type: SessionType;
  /** Session date, ISO `YYYY-MM-DD`. */
  date: string;
  symbol: string;
  timeframe: string;
  /** IANA zone the wall-clock times were read in. */
  timezone: string;
  /** Path of the file it was read from. */
  sourceFile: string;
  /** Session window (UTC ms), from the record's metadata when present, else from the events. */
  startT: number;
  endT: number;
  /** Open/high/low/close of the session (from relativity_stats, else from the events' prices). */
  open: number;
  high: number;
  low: number;
  close: number;
  /** Sorted by (t, seq). */
  events: SessionEvent[];
  /** Problems that did not stop the session from being usable. */
  warnings: string[];
  /**
   * Values that are broken, not unusual (e.g. a price of 1e308 on an instrument near 23,000): the reader
   * repaired them so the session parses, and readers of batches leave such a session out by default, naming
   * each field and value (store/sessions.ts).
   */
  faults?: DataFault[];
}

/** One broken value of a record: where it is, what it was, why it is broken. */
export interface DataFault {
  field: string;
  value: string;
  reason: string;
}

/** Column-oriented view of a session for the numeric stages (graph, features, tgat, motifs). */
export interface SessionColumns {
  n: number;
  /** UTC ms, non-decreasing. */
  t: Float64Array;
  price: Float64Array;
  kind: Uint8Array;
  /** Index into EVENT_SOURCES. */
  source: Uint8Array;
}
