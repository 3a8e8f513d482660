/** Maps pipeline results (and an optional canary.json) onto the dashboard's input (src/report/types.ts). */
import type { ConfluenceCalibration } from '../confluence/index.js';
import type { Bars } from '../detect/index.js';
import { firstAtOrAfter, type EvaluationResult } from '../evaluate/index.js';
import type {
  CanaryFigures,
  ConfluenceCalibrationView,
  DashboardData,
  DashboardSession,
  EvidenceView,
  RunInfo,
  SessionBars,
} from '../report/index.js';
import type { Session } from '../session/index.js';
import type { ValidationSummary } from '../report/index.js';
import type { ValidationReport } from '../validation/index.js';
import { motifSessions } from '../discover/index.js';
import { motifOccurrences, type MotifSession } from '../motifs/index.js';
import { OCCURRENCES_PER_MOTIF, selectBrowserMotifs } from '../report/index.js';
import type { MotifBrowserInfo, MotifOccurrenceRow } from '../report/index.js';
import { DEFAULT_THRESHOLDS } from '../stats/index.js';
import { evidenceView } from './evidence-data.js';
import type { PipelineResult } from './run.js';

/** Sessions shown in the attention view: the 4 largest keep the page light (≈ 55 KB each; the chart lists every session). */
const MAX_SESSION_VIEWS = 4;
/**
 * Most heatmap cells (events × kept predecessors) over the attention views: each cell is ~50 bytes of SVG, so
 * sessions of one-minute bars (hundreds of events) would cost ~250 KB each. Largest sessions first, skipping any
 * that would pass the budget (at least one is always shown); every session's weights are in
 * embeddings/attention.parquet.
 */
export const ATTENTION_CELL_BUDGET = 6000;

/** The sessions whose attention the dashboard draws (largest first, within MAX_SESSION_VIEWS and the budget). */
function attentionViews(discovered: PipelineResult['discovered']): PipelineResult['discovered'] {
  const bySize = [...discovered].sort(
    (a, b) => b.session.events.length - a.session.events.length || (a.session.id < b.session.id ? -1 : 1),
  );
  const out: PipelineResult['discovered'] = [];
  let cells = 0;
  for (const d of bySize) {
    if (out.length >= MAX_SESSION_VIEWS) break;
    const c = d.session.events.length * d.attention.m;
    if (out.length > 0 && cells + c > ATTENTION_CELL_BUDGET) continue;
    out.push(d);
    cells += c;
  }
  return out;
}

/**
 * `evaluation`: the run's evaluation of its bars, passed through as given — `null` for a run without one (enhanced
 * records: the dashboard says the evaluation needs bars), omitted to leave the section out.
 * `confluenceCalibration`: the run's calibrated confluence per bar file (`evaluateRunBars` → `calibrations`), shown
 * as a summary in the confluence section; omitted, `null` or empty: the section says it needs bars.
 * `bars`: the run's bar files (`run --bars`; run-job's `BarInput[]`): each session read from one of them gets its
 * own bars (those opening inside its window) for the chart's candles; sessions from records get none.
 * `evidence`: the evidence panel (evidence-data.ts); default: built from `result` and `evaluation` (none: no bars).
 */
export function dashboardData(
  result: PipelineResult,
  run: RunInfo,
  canary?: CanaryFigures,
  evaluation?: EvaluationResult | null,
  confluenceCalibration?: readonly { source: string; calibration: ConfluenceCalibration }[] | null,
  bars?: readonly { file: string; bars: Bars }[],
  evidence?: EvidenceView,
): DashboardData {
  const views = attentionViews(result.discovered);
  return {
    run,
    sessions: result.discovered.map((d) => chartSession(d.session, bars ?? [])),
    attention: views.map((d) => ({
      sessionId: d.session.id,
      n: d.session.events.length,
      m: d.attention.m,
      index: d.attention.index,
      weight: d.attention.weight,
      label: `kernel ${d.kernel}`,
      clocks: d.session.events.map((e) => e.clock),
    })),
    motifs: result.motifs.results, // the browser keeps a capped selection; counts and charts use every tested motif
    motifBrowser: motifBrowserInfo(result),
    patterns: result.patterns.patterns.map((p) => ({
      position: {
        r: result.positionLeakage.patterns[p.id]?.rPosition ?? null,
        positionOnly: result.positionLeakage.patterns[p.id]?.positionOnly ?? false,
        threshold: result.positionLeakage.threshold,
      },
      id: p.id,
      size: p.size,
      share: p.share,
      sessions: p.sessions,
      kindCounts: p.kindCounts,
      hourHistogram: p.hourHistogram,
      examples: p.examples.map((e) => ({
        sessionId: e.sessionId,
        clock: e.clock,
        kind: e.kind,
        price: e.price,
        distance: e.distance,
      })),
    })),
    confluence: {
      sessions: result.confluence.sessions.map((s) => ({ sessionId: s.session_id, score: s.score })),
      windows: result.confluence.windows.map((w) => ({
        sessionId: w.session_id,
        start: w.window_start,
        clock: w.window_clock,
        score: w.score,
      })),
      weights: { ...result.confluence.config.weights },
    },
    validation: validationSummary(result.validation),
    evidence: evidence ?? evidenceView(result, evaluation ?? null),
    ...(canary ? { canary } : {}),
    ...(evaluation !== undefined ? { evaluation } : {}),
    ...(confluenceCalibration != null
      ? { confluenceCalibration: confluenceCalibration.map(calibrationView) }
      : {}),
  };
}

/**
 * The motif browser's extras: the PROMOTE rules, the null model, and the occurrences (session, event indices) of
 * the motifs the browser shows (the same selection as the renderer's, at most OCCURRENCES_PER_MOTIF each).
 */
function motifBrowserInfo(result: PipelineResult): MotifBrowserInfo {
  const run = result.motifs;
  const chosen = selectBrowserMotifs(run.results).map((i) => run.results[i]);
  const perMotif = new Map<string, number>();
  const occurrences: MotifOccurrenceRow[] = [];
  if (chosen.length > 0) {
    const input = motifSessions(result.discovered, 'dag');
    // occurrences arrive session by session (motifOccurrences is lazy): only the current session's DAG edges are
    // kept as a set of src·n + dst (the occurrences' induced edges, drawn on the chart), and only the capped
    // share of occurrences — every occurrence of every shown motif was millions of objects on months of bars
    const byId = new Map(input.map((m) => [m.id, m]));
    let edgeSession: string | null = null;
    let g: { n: number; set: Set<number> } | undefined;
    for (const o of motifOccurrences(input, chosen)) {
      const n = perMotif.get(o.motifId) ?? 0;
      perMotif.set(o.motifId, n + 1);
      if (n >= OCCURRENCES_PER_MOTIF) continue;
      if (o.sessionId !== edgeSession) {
        edgeSession = o.sessionId;
        g = edgeSetOf(byId.get(o.sessionId));
      }
      const edges: number[] = [];
      if (g)
        for (let a = 0; a < o.nodes.length; a++)
          for (let b = 0; b < o.nodes.length; b++)
            if (a !== b && g.set.has(o.nodes[a] * g.n + o.nodes[b])) edges.push(a, b);
      occurrences.push({ ...o, edges });
    }
  }
  return {
    nullModel: run.nullModels.join(', '),
    nulls: run.nulls,
    thresholds: {
      promoteLift: DEFAULT_THRESHOLDS.promoteLift,
      promoteQ: DEFAULT_THRESHOLDS.promoteQ,
      promoteCiLow: DEFAULT_THRESHOLDS.promoteCiLow,
      discardLift: DEFAULT_THRESHOLDS.discardLift,
      discardQ: DEFAULT_THRESHOLDS.discardQ,
      discardCiLow: DEFAULT_THRESHOLDS.discardCiLow,
    },
    sessions: result.discovered.map((d) => ({
      id: d.session.id,
      date: d.session.date,
      t: d.session.events.map((e) => e.t),
      clocks: d.session.events.map((e) => e.clock),
    })),
    occurrences,
  };
}

/** A session's DAG edges as a set of src·n + dst (undefined for no session). */
function edgeSetOf(m: MotifSession | undefined): { n: number; set: Set<number> } | undefined {
  if (!m) return undefined;
  const set = new Set<number>();
  for (let k = 0; k < m.dag.src.length; k++) set.add(m.dag.src[k] * m.n + m.dag.dst[k]);
  return { n: m.n, set };
}

/** A session for the chart: its events, window and (when it was read from a bar file) its bars. */
function chartSession(s: Session, bars: readonly { file: string; bars: Bars }[]): DashboardSession {
  const src = bars.find((b) => b.file === s.sourceFile);
  const own = src ? sliceBars(src.bars, s.startT, s.endT) : undefined;
  return {
    id: s.id,
    type: s.type,
    date: s.date,
    events: s.events.map((e) => ({ t: e.t, clock: e.clock, kind: e.kind, price: e.price, source: e.source })),
    ...(Number.isFinite(s.startT) && Number.isFinite(s.endT) && s.startT <= s.endT
      ? { window: { start: s.startT, end: s.endT } }
      : {}),
    ...(own && own.t.length > 0 ? { bars: own } : {}),
  };
}

/** The bars opening in [start, end) (views, no copies). */
function sliceBars(b: Bars, start: number, end: number): SessionBars {
  const i = firstAtOrAfter(b.t, b.n, start);
  const j = Math.max(i, firstAtOrAfter(b.t, b.n, end));
  return {
    t: b.t.subarray(i, j),
    o: b.open.subarray(i, j),
    h: b.high.subarray(i, j),
    l: b.low.subarray(i, j),
    c: b.close.subarray(i, j),
    v: b.volume.subarray(i, j),
  };
}

/** The summary the dashboard shows (the per-window rows stay in confluence/windows.parquet). */
function calibrationView({
  source,
  calibration: c,
}: {
  source: string;
  calibration: ConfluenceCalibration;
}): ConfluenceCalibrationView {
  return {
    source,
    calibration: {
      outcomeDoc: c.outcomeDoc,
      method: c.method,
      walkForward: c.walkForward,
      folds: c.folds,
      reliability: c.reliability,
      brier: c.brier,
    },
  };
}

/** The dashboard's validation section; a skipped validation shows its reason. */
function validationSummary(v: ValidationReport): ValidationSummary {
  const controls = v.controls?.controls.map(
    (c) =>
      `${c.control}: ${c.promote} PROMOTE (real data: ${v.controls!.real.promote}; ${v.controls!.nullModel} null)`,
  );
  if (v.status === 'skipped') return { skipped: v.reason, controls };
  const b = v.replication.byClass;
  return {
    split: `discovery ${v.split.discoveryDates[0]} … ${v.split.discoveryDates.at(-1)} | holdout from ${v.split.splitDate}`,
    discoverySessions: v.discovery.sessions,
    holdoutSessions: v.holdout.sessions,
    promoted: v.summary.promoted,
    replicated: v.summary.replicated,
    replicationRate: v.summary.replicationRate,
    parkReplicationRate: b.PARK.rate,
    discardReplicationRate: b.DISCARD.rate,
    meanHoldoutRecurrence: v.summary.meanHoldoutRecurrence,
    medianHoldoutLift: v.summary.medianHoldoutLift,
    controls,
    warnings: [...v.drift.warnings, ...v.skipped],
    motifs: v.motifs.slice(0, 100).map((m) => ({
      id: m.id,
      discoveryLift: m.discovery.lift,
      discoveryQ: m.discovery.q,
      holdoutRecurrence: m.holdout.recurrence,
      holdoutLift: m.holdout.found ? m.holdout.lift : null,
      holdoutP: m.holdout.p,
      replicated: m.holdout.replicated,
    })),
  };
}

interface CanaryJsonLike {
  verdict?: string;
  gates?: {
    id?: string;
    name: string;
    measured: number | null;
    comparator?: string;
    threshold: number;
    status: string;
    note?: string;
  }[];
  charts?: Record<
    string,
    {
      title: string;
      x?: string;
      y?: string;
      logY?: boolean;
      L: number[];
      series: { name: string; label?: string; median: (number | null)[] }[];
    }
  >;
}

/** Gates whose figures are shares, shown in percent as canary.md shows them (digits of the measured value). */
const PERCENT_GATES = new Map<string, number>([
  ['memory', 3],
  ['regime', 2],
]);
const pct = (f: number, digits: number) => `${(f * 100).toFixed(digits)}%`;

/** The dashboard's canary section from a canary.json (written by `ironforge canary`). */
export function canaryFigures(json: unknown): CanaryFigures | undefined {
  const c = json as CanaryJsonLike;
  if (!c || !Array.isArray(c.gates)) return undefined;
  return {
    verdict: c.verdict,
    gates: c.gates.map((g) => ({
      name: g.name,
      value:
        PERCENT_GATES.has(g.id ?? '') && g.measured !== null
          ? pct(g.measured, PERCENT_GATES.get(g.id!)!)
          : g.measured,
      comparator: g.comparator,
      threshold: PERCENT_GATES.has(g.id ?? '') ? pct(g.threshold, 0) : g.threshold,
      pass: g.status === 'pass' ? true : g.status === 'fail' ? false : null,
      note: g.note,
    })),
    charts: Object.values(c.charts ?? {}).map((ch) => ({
      title: ch.title,
      xLabel: ch.x,
      yLabel: ch.y,
      logY: ch.logY ?? true,
      series: ch.series.map((s) => ({ name: s.label ?? s.name, L: ch.L, ms: s.median })),
    })),
  };
}
