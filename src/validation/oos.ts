/**
 * Out-of-sample validation of mined motifs. Motifs are mined and tested on the discovery part of a temporal
 * split (split.ts); those classed PROMOTE there are re-tested on the holdout part only, against their nulls
 * recomputed on the holdout sessions (the injected miner, restricted to the promoted ids).
 *
 * Per promoted motif the report gives the holdout recurrence (share of holdout sessions containing it), lift,
 * p-value and a BH q-value over the family of promoted motifs (the hypotheses actually re-tested). A motif
 * REPLICATES when its holdout q < alpha (the p-value is one-sided: observed ≥ null, so a replicating motif is
 * over-represented again, not merely present). A promoted motif the miner does not report on the holdout (no
 * occurrence, or filtered out by the miner, e.g. below its minimum support) is treated as absent there: count
 * and lift 0 and p = 1 — conservative, and exact when it truly has no occurrence (every null count is ≥ 0).
 *
 * Beside PROMOTE's rate the report gives PARK's and DISCARD's under the same re-test and rule (retest.ts): what
 * motifs the discovery test did not select do on the holdout. It also compares the two periods' section coverage
 * and kind mix (drift.ts) and, with `rolling: true`, runs the rolling origin by trading day (rolling.ts).
 * Too few sessions or days for a split: `validateOutOfSample` throws TooFewForSplitError; `validateOrSkip`
 * returns a report with status 'skipped' and the reason instead.
 */
import {
  DEFAULT_BASELINE_SAMPLE,
  DEFAULT_ROLLING_MIN_DAYS,
  DEFAULT_SEED,
  DEFAULT_VALIDATION_ALPHA,
} from '../core/index.js';
import { median } from '../stats/index.js';
import type { Session } from '../session/index.js';
import { compareDrift, type DriftOptions, type DriftReport } from './drift.js';
import type { MotifClassName, MotifMiner } from './miner.js';
import { retestSplit, type ClassReplication, type MotifValidation } from './retest.js';
import { rollingOrigin, type RollingReport } from './rolling.js';
import { temporalSplit, TooFewForSplitError, type SplitOptions } from './split.js';

export type { MotifValidation } from './retest.js';

export interface ValidationOptions extends SplitOptions {
  /**
   * Default DEFAULT_SEED. Discovery and holdout mining both use it: draws are per session id and the parts share
   * no session (see RetestOptions.seed).
   */
  seed?: number;
  /** FDR level for replication (default DEFAULT_VALIDATION_ALPHA = 0.05). */
  alpha?: number;
  /** PARK / DISCARD motifs re-tested per class as baselines (seeded sample; default DEFAULT_BASELINE_SAMPLE). */
  baselineCap?: number;
  /** Also run the rolling origin by trading day (re-mines per fold; default false). */
  rolling?: boolean;
  /** Days before the first rolling fold (default DEFAULT_ROLLING_MIN_DAYS). */
  minDays?: number;
  /** Drift thresholds (defaults in core/defaults.ts). */
  drift?: Omit<DriftOptions, 'labels'>;
  /** Progress of the rolling folds. */
  onFold?: (done: number, total: number) => void;
}

export const VALIDATION_VERSION = 2;

/** PROMOTE counts of a mining run: the real data, or a negative control (the same pipeline on transformed input). */
export interface MotifCounts {
  tested: number;
  promote: number;
  floorLimited: number;
}

/**
 * Negative controls run beside the real mining (`ironforge run` runs the co-timed group shuffle): a sound
 * pipeline finds ~nothing on them, so their PROMOTE count is the yardstick for the real one.
 */
export interface ControlReport {
  nullModel: string;
  real: MotifCounts;
  /** Each control's counts and the ids it promoted (the evidence panel: which real families it also promotes). */
  controls: ({ control: string; promotedIds?: string[] } & MotifCounts)[];
}

/** A completed validation (the single temporal split; optionally the rolling origin). */
export interface ValidationDone {
  kind: 'ironforge.validation';
  version: typeof VALIDATION_VERSION;
  status: 'done';
  seed: number;
  alpha: number;
  criterion: string;
  split: {
    method: 'date' | 'fraction';
    splitDate: string;
    requestedHoldoutFraction: number | null;
    holdoutShare: number;
    discoveryDates: string[];
    holdoutDates: string[];
    discoverySessions: string[];
    holdoutSessions: string[];
  };
  discovery: {
    sessions: number;
    motifsTested: number;
    classes: Record<MotifClassName, number>;
  };
  holdout: {
    sessions: number;
    /** Motifs the miner returned on the holdout that were not asked for (ignored). */
    unrequestedIgnored: number;
  };
  /** The PROMOTE motifs, one row each. */
  motifs: MotifValidation[];
  summary: {
    promoted: number;
    replicated: number;
    /** replicated / promoted; null when nothing was promoted. */
    replicationRate: number | null;
    meanHoldoutRecurrence: number | null;
    medianHoldoutLift: number | null;
  };
  /** Replication of every class under the same holdout test (PARK / DISCARD: what unselected motifs do). */
  replication: {
    criterion: string;
    ciMethod: string;
    /** Trading days in the holdout: the number of independent market days behind every rate below. */
    holdoutDays: number;
    holdoutSessions: number;
    baselineCap: number;
    byClass: Record<MotifClassName, ClassReplication>;
  };
  /** Discovery vs holdout: section coverage and kind mix. */
  drift: DriftReport;
  /** Rolling origin by trading day; null when not requested. */
  rolling: RollingReport | null;
  /** Parts that were skipped, each with its reason (empty when nothing was). */
  skipped: string[];
  /** Negative controls run with the real mining (set by the run that composed them). */
  controls?: ControlReport;
}

/** Validation that could not run (too few sessions or trading days); says why. */
export interface ValidationSkipped {
  kind: 'ironforge.validation';
  version: typeof VALIDATION_VERSION;
  status: 'skipped';
  seed: number;
  alpha: number;
  /** Why, naming the counts. */
  reason: string;
  sessions: number;
  days: number;
  /** What was skipped. */
  skipped: string[];
  /** Negative controls run with the real mining (set by the run that composed them). */
  controls?: ControlReport;
}

export type ValidationReport = ValidationDone | ValidationSkipped;

function checkCommon(opts: ValidationOptions): { seed: number; alpha: number } {
  const seed = opts.seed ?? DEFAULT_SEED;
  const alpha = opts.alpha ?? DEFAULT_VALIDATION_ALPHA;
  if (!Number.isInteger(seed)) throw new Error(`validation: seed must be an integer, got ${seed}`);
  if (!(alpha > 0 && alpha < 1)) throw new Error(`validation: alpha must be in (0, 1), got ${alpha}`);
  return { seed, alpha };
}

/** Runs the temporal out-of-sample validation (see the module comment). */
export async function validateOutOfSample(
  sessions: readonly Session[],
  mine: MotifMiner,
  opts: ValidationOptions = {},
): Promise<ValidationDone> {
  const { seed, alpha } = checkCommon(opts);
  const baselineCap = opts.baselineCap ?? DEFAULT_BASELINE_SAMPLE;
  const split = temporalSplit(sessions, opts);
  const drift = compareDrift(split.discovery, split.holdout, opts.drift);
  const r = await retestSplit(split.discovery, split.holdout, mine, { seed, alpha, baselineCap });
  const motifs = r.promoted;
  const replicated = motifs.filter((m) => m.holdout.replicated).length;
  const skipped: string[] = [];
  let rolling: RollingReport | null = null;
  if (opts.rolling) {
    rolling = await rollingOrigin(sessions, mine, {
      seed,
      alpha,
      minDays: opts.minDays ?? DEFAULT_ROLLING_MIN_DAYS,
      baselineCap,
      drift: opts.drift,
      onFold: opts.onFold,
    });
    if (rolling.status === 'skipped') skipped.push(`rolling origin: ${rolling.reason}`);
  }
  const rule = `one-sided holdout p-value, BH-adjusted within the class's re-tested motifs, is < ${alpha}`;
  return {
    kind: 'ironforge.validation',
    version: VALIDATION_VERSION,
    status: 'done',
    seed,
    alpha,
    criterion:
      `motifs classed PROMOTE on the discovery dates are re-tested on the holdout dates against nulls recomputed ` +
      `there; a motif replicates when its one-sided holdout p-value, BH-adjusted over the promoted motifs, is < ${alpha}`,
    split: {
      method: split.method,
      splitDate: split.splitDate,
      requestedHoldoutFraction: split.requestedHoldoutFraction,
      holdoutShare: split.holdoutShare,
      discoveryDates: split.discoveryDates,
      holdoutDates: split.holdoutDates,
      discoverySessions: split.discovery.map((s) => s.id),
      holdoutSessions: split.holdout.map((s) => s.id),
    },
    discovery: { sessions: split.discovery.length, motifsTested: r.discoveryMotifs, classes: r.classes },
    holdout: { sessions: split.holdout.length, unrequestedIgnored: r.unrequestedIgnored },
    motifs,
    summary: {
      promoted: motifs.length,
      replicated,
      replicationRate: motifs.length > 0 ? replicated / motifs.length : null,
      meanHoldoutRecurrence:
        motifs.length > 0 ? motifs.reduce((a, m) => a + m.holdout.recurrence, 0) / motifs.length : null,
      medianHoldoutLift: median(motifs.map((m) => m.holdout.lift)),
    },
    replication: {
      criterion:
        `every PROMOTE motif and a seeded sample of at most ${baselineCap} PARK and DISCARD motifs are re-tested on ` +
        `the same holdout; a motif replicates when its ${rule}`,
      ciMethod:
        `95% Wilson interval over the re-tested motifs (replication is one outcome per motif, so there is no ` +
        `per-day indicator to bootstrap by day); motifs share the same ${split.holdoutDates.length} holdout days, ` +
        `so the interval is optimistic`,
      holdoutDays: split.holdoutDates.length,
      holdoutSessions: split.holdout.length,
      baselineCap,
      byClass: r.byClass,
    },
    drift,
    rolling,
    skipped,
  };
}

/**
 * `validateOutOfSample`, except that too few sessions or trading days for a split give a report with status
 * 'skipped' and the reason (naming the counts) instead of an error. Every other error still throws.
 */
export async function validateOrSkip(
  sessions: readonly Session[],
  mine: MotifMiner,
  opts: ValidationOptions = {},
): Promise<ValidationReport> {
  try {
    return await validateOutOfSample(sessions, mine, opts);
  } catch (e) {
    if (!(e instanceof TooFewForSplitError)) throw e;
    const { seed, alpha } = checkCommon(opts);
    return {
      kind: 'ironforge.validation',
      version: VALIDATION_VERSION,
      status: 'skipped',
      seed,
      alpha,
      reason: e.message,
      sessions: e.sessions,
      days: e.days,
      skipped: [
        'temporal split',
        'replication (PROMOTE, PARK, DISCARD)',
        'drift',
        ...(opts.rolling ? ['rolling origin'] : []),
      ],
    };
  }
}

/** JSON text of a report (or any value) with non-finite numbers written as null, 2-space indented. */
export function toJson(value: unknown): string {
  return (
    JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n'
  );
}
