/**
 * `evaluate(series, options)`: the whole evaluation of one bar series — outcome table, causal signals (detector
 * labels and kinds, user rules, extra signals from the caller, fold-fitted baselines), the walk-forward event
 * study against matched controls, BH, and the headline figures. Pure and deterministic given the seed.
 */
import {
  DEFAULT_EVAL_FDR,
  DEFAULT_EVAL_HORIZONS,
  DEFAULT_EVAL_LEVEL,
  DEFAULT_EVAL_MIN_CONTROL,
  DEFAULT_EVAL_CONTROL_DAYS,
  DEFAULT_EVAL_MIN_DAYS,
  DEFAULT_EVAL_MIN_OCCURRENCES,
  DEFAULT_EVAL_REPLICATES,
  DEFAULT_ORACLE_COVERAGE,
  DEFAULT_ORACLE_MINUTES,
  DEFAULT_SEED,
  STREAMS,
} from '../core/index.js';
import { deriveSeed, median } from '../stats/index.js';
import {
  type EffectOptions,
  type EffectResult,
  eventStudy,
  type EvaluationRow,
  type FoldContext,
} from './effects.js';
import { type Horizon, horizonName, type OutcomeName, outcomeTable } from './outcomes.js';
import { type OracleOptions, type OracleReport, sessionRangeOracle } from './oracle.js';
import { type FamilyOccurrences, type FamilySignalInfo, motifFamilySignals } from './motif-families.js';
import { recordSignals } from './records.js';
import { type Rule, ruleSignals } from './rules.js';
import type { Session } from '../session/index.js';
import { BASELINE_NAMES, baselineSignals, eventSignals } from './signals.js';
import type { EvalSeries, Signal, Skipped } from './types.js';
import { defaultWalkForward, type Fold, type WalkForwardOptions } from './walk-forward.js';

export interface EvaluateOptions {
  horizons?: readonly Horizon[];
  /** Outcomes to evaluate (default all). */
  outcomes?: readonly OutcomeName[];
  walkForward?: Partial<WalkForwardOptions>;
  minOccurrences?: number;
  minDays?: number;
  minControl?: number;
  controlDays?: number;
  /** Controls from bars away from the signal's firings (effects.ts: overstates regime-clustered signals). */
  cleanControls?: boolean;
  level?: number;
  fdr?: number;
  replicates?: number;
  seed?: number;
  /** User rules (rules.ts parseRules). */
  rules?: readonly Rule[];
  /** IANA zone of the calendar (rule clocks). */
  tz?: string;
  /** Extra signals fixed before the evaluation (causal by construction, e.g. from a causal score). */
  signals?: readonly Signal[];
  /**
   * Motif families as signals (motif-families.ts): each family fires at the close of the bar in which one of its
   * occurrences completes. The families come from the caller's mining (in-sample; said in the result).
   */
  motifFamilies?: readonly FamilyOccurrences[];
  /** Extra fold-fitted signals (e.g. motifs promoted on the training days). */
  foldSignals?: (ctx: FoldContext) => Signal[];
  /** Leave out the label/kind signals of the detectors (e.g. to evaluate only planted or user signals). */
  detectorSignals?: boolean;
  /** Leave out the momentum/ATR baselines. */
  baselines?: boolean;
  /** Enhanced session records of the same market: their events become signals (hindsight rules refused). */
  records?: readonly Session[];
  /** Evaluate only these signals (names as listed in the result); an unknown or refused name is reported. */
  only?: readonly string[];
  /** The session-range oracle's options; false leaves it out. */
  oracle?: OracleOptions | false;
}

export interface EvaluationHeadline {
  tested: number;
  significant: number;
  fdr: number;
  /** Median minimum detectable effect of the ret@30m cells with ≥ 2 days (points), when any. */
  medianMde30: number | null;
  /** One sentence: what the evaluation found. */
  text: string;
}

export interface EvaluationResult {
  kind: 'ironforge.evaluation';
  version: 1;
  source: string;
  bars: number;
  sessions: number;
  days: number;
  testDays: number;
  folds: Fold[];
  walkForward: WalkForwardOptions;
  horizons: string[];
  outcomes: string[];
  settings: Omit<EffectOptions, 'walkForward'>;
  signals: EffectResult['signals'];
  rows: EvaluationRow[];
  paths: EffectResult['paths'];
  headline: EvaluationHeadline;
  /** The session-range oracle (null when left out). */
  oracle: OracleReport | null;
  skipped: Skipped[];
  /** The motif families evaluated as signals (`motif:<family>`), when the caller gave any. */
  motifFamilies?: FamilySignalInfo[];
  /** Labels whose horizon ran past the session's end (bar × horizon cells left undefined). */
  beyondSession: number;
}

export function resolveEffectOptions(series: EvalSeries, o: EvaluateOptions): EffectOptions {
  const wf = { ...defaultWalkForward(series.days.length), ...o.walkForward };
  return {
    walkForward: wf,
    minOccurrences: o.minOccurrences ?? DEFAULT_EVAL_MIN_OCCURRENCES,
    minDays: o.minDays ?? DEFAULT_EVAL_MIN_DAYS,
    minControl: o.minControl ?? DEFAULT_EVAL_MIN_CONTROL,
    controlDays: o.controlDays ?? DEFAULT_EVAL_CONTROL_DAYS,
    cleanControls: o.cleanControls ?? false,
    level: o.level ?? DEFAULT_EVAL_LEVEL,
    fdr: o.fdr ?? DEFAULT_EVAL_FDR,
    replicates: o.replicates ?? DEFAULT_EVAL_REPLICATES,
    seed: deriveSeed(o.seed ?? DEFAULT_SEED, STREAMS.evaluateBootstrap),
  };
}

export function evaluate(series: EvalSeries, o: EvaluateOptions = {}): EvaluationResult {
  const horizons = o.horizons ?? DEFAULT_EVAL_HORIZONS;
  const opts = resolveEffectOptions(series, o);
  const skipped: Skipped[] = [];
  const table = outcomeTable(series.bars, series.segments, series.events, { horizons });
  if (o.outcomes) {
    const keep = new Set<string>(o.outcomes);
    table.columns = table.columns.filter((c) => keep.has(c.outcome));
  }
  if (!series.events && horizons.includes('session'))
    skipped.push({ signal: '*', reason: 'no detector events: next_swing_high is not computed' });
  const signals: Signal[] = [];
  if (series.events && o.detectorSignals !== false) signals.push(...eventSignals(series.events));
  if (o.rules && o.rules.length > 0) {
    if (series.events)
      signals.push(...ruleSignals(o.rules, series.events, series.segments, o.tz ?? 'America/New_York'));
    else
      for (const r of o.rules)
        skipped.push({ signal: `rule:${r.name}`, reason: 'no detector events to match rules on' });
  }
  if (o.signals) signals.push(...o.signals);
  const families = o.motifFamilies ? motifFamilySignals(series.bars, o.motifFamilies) : null;
  if (families) {
    signals.push(...families.signals);
    skipped.push(...families.skipped);
  }
  if (o.records && o.records.length > 0) {
    const rec = recordSignals(o.records, series);
    signals.push(...rec.signals);
    skipped.push(...rec.skipped);
  }
  if (o.only) {
    const want = new Set(o.only);
    const have = new Set([...signals.map((x) => x.name), ...BASELINE_NAMES]);
    const kept = signals.filter((x) => want.has(x.name));
    signals.length = 0;
    signals.push(...kept);
    for (const name of o.only)
      if (!have.has(name) && !skipped.some((k) => k.signal === name))
        skipped.push({
          signal: name,
          reason: `unknown signal (names look like label:bos_up, kind:LiquidityTaken, rule:<name>, record:<rule>; ${have.size} available here)`,
        });
  }
  const foldSignals = (ctx: FoldContext): Signal[] =>
    [
      ...(o.baselines === false ? [] : baselineSignals(series.bars, ctx.recentVol, ctx.volCuts[1])),
      ...(o.foldSignals ? o.foldSignals(ctx) : []),
    ].filter((x) => !o.only || o.only.includes(x.name));
  const study = eventStudy(series, table, signals, opts, foldSignals);
  skipped.push(...study.skipped);
  const { walkForward, ...settings } = opts;
  return {
    kind: 'ironforge.evaluation',
    version: 1,
    source: series.source,
    bars: series.bars.n,
    sessions: series.segments.count,
    days: series.days.length,
    testDays: study.testDays,
    folds: study.folds,
    walkForward,
    horizons: horizons.map(horizonName),
    outcomes: [...new Set(table.columns.map((c) => c.outcome))],
    settings,
    signals: study.signals,
    rows: study.rows,
    paths: study.paths,
    headline: headline(study.rows, opts.fdr),
    oracle:
      o.oracle === false
        ? null
        : sessionRangeOracle(series, {
            ...(o.oracle?.fraction === undefined ? { minutes: DEFAULT_ORACLE_MINUTES } : {}),
            coverage: DEFAULT_ORACLE_COVERAGE,
            walkForward,
            ...o.oracle,
          }),
    skipped,
    ...(families ? { motifFamilies: families.info } : {}),
    beyondSession: table.beyondSession,
  };
}

/** The headline counts the signals fixed in advance; motif families (in-sample, their own BH family) are apart. */
function headline(rows: readonly EvaluationRow[], fdr: number): EvaluationHeadline {
  const tested = rows.filter((r) => r.tested && r.source !== 'motif');
  const sig = tested.filter((r) => r.significant && r.source !== 'baseline');
  const mde = median(
    rows.filter((r) => r.outcome === 'ret' && r.horizon === '30m' && r.mde !== null).map((r) => r.mde!),
  );
  const mdeText =
    mde === null ? '' : `; the median minimum detectable 30-minute effect is ${mde.toFixed(2)} points`;
  const text =
    tested.length === 0
      ? `nothing could be tested: no signal reached the minimum sample per cell on the test days${mdeText}`
      : sig.length === 0
        ? `no signal distinguishable from its matched control at this sample size (${tested.length} cells tested, BH at ${fdr})${mdeText}`
        : `${sig.length} of ${tested.length} tested cells differ from their matched control (BH at ${fdr})${mdeText}`;
  const fam = rows.filter((r) => r.tested && r.source === 'motif');
  const famText =
    fam.length === 0
      ? ''
      : `; motif families (in-sample, their own BH family): ${fam.filter((r) => r.significant).length} of ${fam.length} cells`;
  return { tested: tested.length, significant: sig.length, fdr, medianMde30: mde, text: text + famText };
}
