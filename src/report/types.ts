/**
 * The input of the HTML dashboard. Every section except `run` is optional: a section whose data is absent (or
 * empty) is left out of the page, so a partial run (e.g. no canary, no validation) still renders.
 *
 * The shapes are deliberately loose (plain arrays, numbers, strings) so each stage can fill them from its own
 * results without the report depending on those stages' internal types. Index arrays may be typed arrays or
 * plain number arrays. Times are UTC epoch milliseconds; wall-clock strings are shown as given. The evaluation and
 * the confluence calibration are the exceptions: their sections read `EvaluationResult` (src/evaluate) and the
 * summary fields of `ConfluenceCalibration` (src/confluence) as the stages return them.
 */
import type { ConfluenceCalibration } from '../confluence/index.js';
import type { EvaluationResult } from '../evaluate/index.js';

/** A stage's wall time, shown in the run header. */
export interface StageTiming {
  stage: string;
  ms: number;
}

export interface RunInfo {
  /** Page title, e.g. "ironforge run 2025-08-01". */
  title: string;
  /** Run date as the caller wants it shown (no clock is read by the report). */
  date?: string;
  seed?: number;
  /** Attention kernel used for the run (e.g. "auto → flash"). */
  kernel?: string;
  /** Versions of ironforge, Node, and anything else worth recording; shown sorted by key. */
  versions?: Record<string, string>;
  /** Number of input files read. */
  inputFiles?: number;
  /** Per-stage wall time, shown in the given order. */
  timings?: StageTiming[];
  /** Label of the zone the event clocks are in (axis titles), default "ET". */
  clockZone?: string;
  /** Free-text notes shown under the header (warnings, config summary). */
  notes?: string[];
  /** Instrument traded (the sessions' symbol, e.g. "NQ"). */
  instrument?: string;
  /** First and last session date of the data (ISO `YYYY-MM-DD`). */
  dataRange?: { first: string; last: string };
  /** Sessions per session type (e.g. LONDON: 7), shown in the given key order. */
  sessionsByType?: Record<string, number>;
  /** The input files read (shown as a collapsible list beside their count). */
  inputFileList?: string[];
  /** Null model(s) of the motif test and the number of null draws. */
  nullModel?: string;
  nulls?: number;
  /** Where the encoder's weights came from (manifest config.encoder: shipped, file or seeded). */
  encoder?: string;
  /** What the patterns cluster (manifest config.patterns: features, k, why). */
  patternFeatures?: string;
}

/** One event of a session (a marker on the session chart). */
export interface DashboardEvent {
  /** UTC epoch ms. */
  t: number;
  /** Wall clock `HH:MM` or `HH:MM:SS` in the session's zone; used for the time axis and tooltips. */
  clock: string;
  /** Event kind code 0..6 (Expansion … Anchor, see EVENT_KINDS). */
  kind: number;
  price: number;
  /** Which record section / detector produced the event. */
  source: string;
}

/** Directed edges as parallel arrays of event indices (src[i] → dst[i]). */
export interface EdgeArrays {
  src: ArrayLike<number>;
  dst: ArrayLike<number>;
}

export interface DashboardSession {
  id: string;
  type: string;
  /** ISO date `YYYY-MM-DD`. */
  date: string;
  /** Sorted by time. */
  events: DashboardEvent[];
  /** DAG edges over `events` indices (not drawn by the chart section; kept for callers that have them). */
  dag?: EdgeArrays;
  /** Session window, UTC ms (`end` exclusive); drawn as the window's boundaries on the chart. */
  window?: { start: number; end: number };
  /** The session's OHLCV bars when the run has bars (`run --bars`); absent for runs on enhanced records. */
  bars?: SessionBars;
}

/**
 * OHLCV bars of one session as parallel columns sorted by `t` (bar open, UTC ms, strictly increasing); prices
 * finite with low ≤ open, close ≤ high; volume ≥ 0 (all zero: no volume histogram).
 */
export interface SessionBars {
  t: ArrayLike<number>;
  o: ArrayLike<number>;
  h: ArrayLike<number>;
  l: ArrayLike<number>;
  c: ArrayLike<number>;
  v: ArrayLike<number>;
}

/**
 * Top-m attention of one session: row i lists the m predecessors event i attends to most, with their weights.
 * Rendered as a sparse n×n heatmap (row = attending event, column = predecessor).
 */
export interface AttentionView {
  sessionId: string;
  /** Events in the session. */
  n: number;
  /** Predecessors kept per event. */
  m: number;
  /** Row-major n×m predecessor indices; −1 marks an empty slot (fewer than m predecessors). */
  index: ArrayLike<number>;
  /** Row-major n×m weights, aligned with `index`. */
  weight: ArrayLike<number>;
  /** What the weights are, e.g. "last layer, mean over heads". */
  label?: string;
  /** Wall clock of each event (`HH:MM[:SS]`, length n): labels the heatmap's axes with times instead of numbers. */
  clocks?: readonly string[];
}

export interface MotifRow {
  /** Canonical motif ID. */
  id: string;
  size: number;
  /** Kind code of each node in canonical order (node i is drawn i-th from the left). */
  kinds: ArrayLike<number>;
  /** Edges between canonical nodes: the canonical string `p>q,p>q@label,…` or explicit pairs. */
  edges: string | ReadonlyArray<readonly [number, number]>;
  count: number;
  support: number;
  lift: number;
  p: number;
  q: number;
  ciLow: number;
  ciHigh: number;
  /** PROMOTE, FLOOR-LIMITED, PARK or DISCARD (any string is shown, escaped). */
  class: string;
  /** Family id (e.g. `F1`) of a PROMOTE motif. */
  family?: string;
  /** How `p` was obtained: 'monte-carlo', 'tail' or 'floor' (src/motifs PValueMethod). */
  pMethod?: string;
  /** z of the tested statistic against the null; ranks the motifs the browser keeps beyond its cap. */
  z?: number;
  /** FLOOR-LIMITED: null draws that would let q reach the PROMOTE threshold. */
  drawsNeeded?: number | null;
}

/** One occurrence of a motif (src/motifs `findMotifOccurrences`): event indices into a session. */
export interface MotifOccurrenceRow {
  motifId: string;
  sessionId: string;
  /** Event indices of the occurrence in its session, ascending. */
  nodes: ArrayLike<number>;
  /**
   * The session DAG's edges among these events (the motif is their induced subgraph), flattened pairs of positions
   * into `nodes` (from, to, from, to, …); drawn on the chart when an occurrence is shown.
   */
  edges?: ArrayLike<number>;
}

/** A session the motif occurrences point into: its event times and wall clocks (for the ET clock shown). */
export interface MotifBrowserSession {
  id: string;
  /** ISO date `YYYY-MM-DD`. */
  date?: string;
  /** UTC ms per event, in event-index order. */
  t: ArrayLike<number>;
  /** Wall clock `HH:MM[:SS]` per event (session zone); used to recover the zone offset. */
  clocks?: readonly string[];
}

/**
 * Extras of the motif browser: what the class rules were, under which null, and where the shown motifs occur.
 * `DashboardData.motifs` holds every tested motif; the browser keeps a capped selection (`selectBrowserMotifs`).
 */
export interface MotifBrowserInfo {
  /** The null model(s) the p-values are against, e.g. "group-shuffle". */
  nullModel?: string;
  /** Null replicates per model. */
  nulls?: number;
  /**
   * The class rules (src/stats ClassThresholds). Default PROMOTE lift ≥ 2, q < 0.01, CI low ≥ 1.5; DISCARD lift < 1.5,
   * q > 0.05 or CI low ≤ 1.
   */
  thresholds?: {
    promoteLift: number;
    promoteQ: number;
    promoteCiLow: number;
    discardLift?: number;
    discardQ?: number;
    discardCiLow?: number;
  };
  /** Sessions the occurrences refer to (by id). */
  sessions?: MotifBrowserSession[];
  /** Occurrences of the browser's motifs (any order; the renderer caps them per motif). */
  occurrences?: MotifOccurrenceRow[];
}

export interface PatternExampleRow {
  sessionId: string;
  clock: string;
  kind: number;
  price: number | null;
  /** Distance to the pattern centroid. */
  distance?: number;
}

export interface PatternCard {
  id: number;
  /** Events in the pattern. */
  size: number;
  /** size / all clustered events (0..1). */
  share?: number;
  /** Distinct sessions with at least one member. */
  sessions?: number;
  /** Members per kind code, length 7. */
  kindCounts: ArrayLike<number>;
  /** Members per hour of day 0..23 (session clock). */
  hourHistogram: ArrayLike<number>;
  examples?: PatternExampleRow[];
  /**
   * Position leakage (patterns/ positionLeakage): correlation of membership with the normalised position in the
   * session, and whether the pattern is flagged position-only (|r| ≥ threshold).
   */
  position?: { r: number | null; positionOnly: boolean; threshold: number };
}

export interface ConfluenceWindowPoint {
  sessionId: string;
  /** Window start, UTC ms. */
  start: number;
  /** Wall clock of the window start. */
  clock: string;
  /** 0..100, or null when the window has no score (e.g. no events). */
  score: number | null;
}

/**
 * The walk-forward calibration of the confluence windows of one bar file (src/confluence `calibrateConfluence`):
 * the summary fields only (a whole `ConfluenceCalibration`, windows included, is accepted as it is).
 */
export interface ConfluenceCalibrationView {
  /** The bar file the windows' sessions and labels came from. */
  source: string;
  calibration: Pick<
    ConfluenceCalibration,
    'outcomeDoc' | 'method' | 'walkForward' | 'folds' | 'reliability' | 'brier'
  >;
}

export interface ConfluenceView {
  /** Descriptive score per session 0..100 (null = not scored), in display order. */
  sessions: { sessionId: string; score: number | null }[];
  /** Per-window scores; one line chart per session that has windows (selectable). */
  windows?: ConfluenceWindowPoint[];
  /** Component weights used, shown as a small table. */
  weights?: Record<string, number>;
}

export interface ValidationMotifRow {
  id: string;
  discoveryLift: number;
  discoveryQ?: number;
  /** Share of holdout sessions containing the motif (0..1). */
  holdoutRecurrence: number | null;
  holdoutLift: number | null;
  holdoutP: number | null;
  replicated: boolean;
}

export interface ValidationSummary {
  /** How the sessions were split, e.g. "date ≥ 2025-08-05". */
  split?: string;
  discoverySessions?: number;
  holdoutSessions?: number;
  promoted?: number;
  replicated?: number;
  /** replicated / promoted (0..1), null when nothing was promoted. */
  replicationRate?: number | null;
  /** The same re-test and rule applied to PARK / DISCARD motifs (baselines), 0..1. */
  parkReplicationRate?: number | null;
  discardReplicationRate?: number | null;
  /** Drift between the periods and parts skipped, one line each. */
  warnings?: string[];
  /** Set when validation did not run: why (e.g. too few sessions). */
  skipped?: string;
  /** Negative controls beside the real PROMOTE count, one line each. */
  controls?: string[];
  meanHoldoutRecurrence?: number | null;
  medianHoldoutLift?: number | null;
  motifs?: ValidationMotifRow[];
}

/**
 * A canary gate row. `value`/`threshold` may be numbers or preformatted strings; null = not measured.
 * `pass`: true, false, or null for skipped.
 */
export interface CanaryGateRow {
  name: string;
  value: number | string | null;
  /** Shown between value and threshold, e.g. "≥". */
  comparator?: string;
  threshold: number | string | null;
  pass: boolean | null;
  unit?: string;
  note?: string;
}

/** One configuration's times: `ms[i]` at `L[i]`; null = not measured (left as a gap). */
export interface CanarySeries {
  name: string;
  L: ArrayLike<number>;
  ms: ArrayLike<number | null>;
}

export interface CanaryPerfChart {
  title: string;
  /** Axis titles; defaults "L (events)" and "ms (median)". */
  xLabel?: string;
  yLabel?: string;
  /** Log-scale y (default true). */
  logY?: boolean;
  series: CanarySeries[];
}

/**
 * Canary figures for the dashboard (documented loose shape the canary stage adapts to):
 * `{ gates: {name, value, threshold, pass}[], series?: {name, L, ms}[], charts?: {title, series}[] }`.
 * `series` alone is drawn as one chart titled "Attention kernels: time vs L"; `charts` adds more charts
 * (e.g. DAG builders, Parquet writes). Each chart uses a log-scale y unless `logY: false`.
 */
export interface CanaryFigures {
  /** Overall verdict text, e.g. "PASS" / "FAIL". */
  verdict?: string;
  gates: CanaryGateRow[];
  series?: CanarySeries[];
  charts?: CanaryPerfChart[];
  /** Free-text lines (machine, scale, notes). */
  notes?: string[];
}

export interface DashboardData {
  run: RunInfo;
  sessions?: DashboardSession[];
  attention?: AttentionView[];
  motifs?: MotifRow[];
  /** The motif browser's thresholds, null model, sessions and occurrences (optional: the table works without). */
  motifBrowser?: MotifBrowserInfo;
  patterns?: PatternCard[];
  confluence?: ConfluenceView;
  validation?: ValidationSummary;
  canary?: CanaryFigures;
  /**
   * The evaluation of the bars ("What happened next"). Absent: the section is left out. `null`: the run has no
   * evaluation (it ran on enhanced records, not bars); the section says in one line that it needs bars.
   */
  evaluation?: EvaluationResult | null;
  /**
   * The calibrated confluence, one entry per bar file, shown inside the confluence section. Absent, `null` or
   * empty: the run has no calibration (no bars); the section says in one line that it needs bars.
   */
  confluenceCalibration?: ConfluenceCalibrationView[] | null;
  /** Evidence at a glance per motif family (absent: the section is left out). */
  evidence?: EvidenceView;
}

/** The forward path of a motif family's occurrences against its matched control (src/evaluate, `motif:<family>`). */
export interface FamilyForwardPath {
  /** Occurrences on the evaluated bars, and the distinct bars they fired on (one firing per bar). */
  occurrences: number;
  firings: number;
  /** Minutes after t*, with the signal's mean forward return, its matched control's, the q10–q90 band and n. */
  horizons: number[];
  mean: number[];
  control: number[];
  q10: number[];
  q90: number[];
  n: number[];
  /** The ret@30m cell (effect over control with its day-clustered CI), when the evaluation has one. */
  ret30?: {
    effect: number;
    ciLow: number;
    ciHigh: number;
    q: number | null;
    tested: boolean;
    n: number;
    days: number;
  };
}

/** One motif family's evidence at a glance. */
export interface FamilyEvidenceRow {
  /** `F1`, … */
  family: string;
  /** The representative's readable name. */
  name: string;
  representative: string;
  /** PROMOTE members on the real data (the family's size). */
  members: number;
  /** Sessions containing any member. */
  support: number;
  /** Per negative control: how many of these same motifs it also promotes. */
  controls: { control: string; alsoPromoted: number }[];
  /** The representative's (largest z) lift, BH q and bootstrap CI of lift (resampling `EvidenceView.ciUnit`). */
  lift: number;
  q: number;
  ciLow: number;
  ciHigh: number;
  /** Single temporal split: members promoted on the discovery period, and how many replicated on the holdout. */
  replication: { promotedInDiscovery: number; replicated: number } | null;
  /** Forward path; null when the evaluation has none for this family (see `EvidenceView.evaluation`). */
  forward: FamilyForwardPath | null;
}

/** "Evidence at a glance": real against control PROMOTE counts, CIs, replication and forward paths per family. */
export interface EvidenceView {
  /** Null model(s) of the real test. */
  nullModel: string;
  /** Motifs tested and PROMOTE on the real data. */
  tested: number;
  realPromote: number;
  /** The negative controls mined beside the real data (same options). */
  controls: { control: string; tested: number; promote: number }[];
  /** What the lift CIs resample ('day' = trading days) and how many units there were. */
  ciUnit?: string;
  ciUnits?: number;
  families: FamilyEvidenceRow[];
  /** The PROMOTE rules (stats ClassThresholds). */
  thresholds: { promoteLift: number; promoteQ: number; promoteCiLow: number };
  /**
   * The lift a motif with this run's median relative CI width needs for its CI low to reach the PROMOTE bound (and
   * at least the lift rule); null when no tested motif has a CI.
   */
  minDetectableLift: number | null;
  /** 'present': forward paths come from the run's evaluation; 'no-bars': the run has no bars; 'failed': it failed. */
  evaluation: 'present' | 'no-bars' | 'failed';
  /** The validation split in words, or why it was skipped; the rolling origin's pooled PROMOTE replication. */
  validation: { status: 'done' | 'skipped'; text: string; rolling?: string };
}
