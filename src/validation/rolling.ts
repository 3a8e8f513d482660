/**
 * Rolling origin by trading day (walk-forward, EVIDENCE.md §5): for each trading day d after the first
 * `minDays` days, discovery = every session dated before d, holdout = the sessions of day d. Each fold re-mines
 * its discovery sessions (so everything selected — the PROMOTE list — is fitted on the past only and frozen for
 * day d) and re-tests PROMOTE, PARK and DISCARD on day d with the one replication rule of retest.ts. Pooled
 * rates add replicated and tested motifs over the folds (a motif re-tested in several folds counts each time).
 */
import { DEFAULT_ROLLING_MIN_DAYS, STREAMS } from '../core/index.js';
import type { Session } from '../session/index.js';
import { deriveSeed } from '../stats/index.js';
import { compareDrift, type DriftOptions } from './drift.js';
import type { MotifClassName, MotifMiner } from './miner.js';
import { MOTIF_CLASSES, retestSplit } from './retest.js';

export interface RollingOptions {
  seed: number;
  alpha: number;
  /** Days always in discovery before the first fold (default DEFAULT_ROLLING_MIN_DAYS, ≥ 1). */
  minDays?: number;
  baselineCap?: number;
  drift?: Omit<DriftOptions, 'labels'>;
  /** Called after each fold (progress). */
  onFold?: (done: number, total: number) => void;
}

export interface RollingFold {
  /** The holdout trading day. */
  day: string;
  discoveryDays: number;
  discoverySessions: number;
  holdoutSessions: number;
  /** Discovery motifs per class in this fold. */
  classes: Record<MotifClassName, number>;
  promoted: number;
  replicated: number;
  /** replicated / promoted; null when nothing was promoted. */
  rate: number | null;
  parkTested: number;
  parkReplicated: number;
  parkRate: number | null;
  discardTested: number;
  discardReplicated: number;
  discardRate: number | null;
  /** Drift warnings of this fold (discovery days vs day d). */
  driftWarnings: string[];
}

export interface PooledRate {
  tested: number;
  replicated: number;
  rate: number | null;
}

export type RollingReport =
  | {
      status: 'done';
      minDays: number;
      days: number;
      folds: RollingFold[];
      pooled: Record<MotifClassName, PooledRate>;
      criterion: string;
    }
  | { status: 'skipped'; minDays: number; days: number; reason: string };

/** The rolling-origin folds over `sessions` (see the module comment); skipped with a reason when too few days. */
export async function rollingOrigin(
  sessions: readonly Session[],
  mine: MotifMiner,
  opts: RollingOptions,
): Promise<RollingReport> {
  const minDays = opts.minDays ?? DEFAULT_ROLLING_MIN_DAYS;
  if (!(Number.isInteger(minDays) && minDays >= 1))
    throw new Error(`rolling origin: minDays must be an integer ≥ 1, got ${minDays}`);
  const days = [...new Set(sessions.map((s) => s.date))].sort();
  if (days.length < minDays + 1)
    return {
      status: 'skipped',
      minDays,
      days: days.length,
      reason:
        `rolling origin needs at least ${minDays + 1} trading days (${minDays} for the first discovery ` +
        `+ 1 holdout day), got ${days.length}`,
    };
  const folds: RollingFold[] = [];
  const total = days.length - minDays;
  for (let i = minDays; i < days.length; i++) {
    const day = days[i];
    const discovery = sessions.filter((s) => s.date < day);
    const holdout = sessions.filter((s) => s.date === day);
    const r = await retestSplit(discovery, holdout, mine, {
      seed: deriveSeed(opts.seed, STREAMS.validationRollingFold, i),
      alpha: opts.alpha,
      baselineCap: opts.baselineCap,
    });
    const drift = compareDrift(discovery, holdout, { ...opts.drift, labels: ['discovery', `day ${day}`] });
    const b = r.byClass;
    folds.push({
      day,
      discoveryDays: i,
      discoverySessions: discovery.length,
      holdoutSessions: holdout.length,
      classes: r.classes,
      promoted: b.PROMOTE.tested,
      replicated: b.PROMOTE.replicated,
      rate: b.PROMOTE.rate,
      parkTested: b.PARK.tested,
      parkReplicated: b.PARK.replicated,
      parkRate: b.PARK.rate,
      discardTested: b.DISCARD.tested,
      discardReplicated: b.DISCARD.replicated,
      discardRate: b.DISCARD.rate,
      driftWarnings: drift.warnings,
    });
    opts.onFold?.(folds.length, total);
  }
  const pooled = {} as Record<MotifClassName, PooledRate>;
  for (const c of MOTIF_CLASSES) {
    const pick = (f: RollingFold): [number, number] =>
      c === 'PROMOTE'
        ? [f.promoted, f.replicated]
        : c === 'PARK'
          ? [f.parkTested, f.parkReplicated]
          : [f.discardTested, f.discardReplicated];
    let tested = 0;
    let replicated = 0;
    for (const f of folds) {
      const [t, k] = pick(f);
      tested += t;
      replicated += k;
    }
    pooled[c] = { tested, replicated, rate: tested ? replicated / tested : null };
  }
  return {
    status: 'done',
    minDays,
    days: days.length,
    folds,
    pooled,
    criterion:
      `for each trading day d after the first ${minDays}, motifs are mined on the days before d and re-tested on ` +
      `day d alone; same replication rule per class as the single split`,
  };
}
