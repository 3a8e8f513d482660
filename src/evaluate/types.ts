/**
 * The evaluation's inputs and shared vocabulary: a bar series split into sessions, each session's trading day
 * (the unit of clustering and of the walk-forward), and signals — sets of bars at whose close something became
 * knowable (t* = the close time of the emission bar; entry is the next bar's open).
 */
import type { Bars, EventColumns, SessionSegments } from '../detect/index.js';

/** A bar series with its sessions (and, when bars went through the causal detectors, their events). */
export interface EvalSeries {
  bars: Bars;
  segments: SessionSegments;
  /** Trading-day index of each session (0…days-1, time order): the clustering unit and walk-forward step. */
  dayOfSession: Int32Array;
  /** `YYYY-MM-DD` of each trading day. */
  days: string[];
  /** Causal detector events (bars → detectors); null when none were computed. */
  events: EventColumns | null;
  /** Where the bars came from (file path or "generated"), for messages. */
  source: string;
}

/** Where a signal comes from. */
export type SignalSource =
  'label' | 'kind' | 'rule' | 'motif' | 'pattern' | 'confluence' | 'baseline' | 'external';

/**
 * A signal: the emission bars at whose close it fired (sorted, unique per bar; several firings in one bar
 * count once). `t* = bars.t[bar] + timeframe`; the trade enters at the open of bar + 1.
 */
export interface Signal {
  name: string;
  source: SignalSource;
  /** One line: what fires it and when it is knowable. */
  doc: string;
  bar: Int32Array;
  /** Outcomes its cells are reported and tested on (default every outcome of the evaluation). */
  outcomes?: readonly string[];
}

/** A signal (or a whole evaluation part) left out, and why. */
export interface Skipped {
  signal: string;
  reason: string;
  /** File, field or value concerned, when there is one. */
  detail?: string;
}
