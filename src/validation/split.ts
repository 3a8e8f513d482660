/**
 * Temporal split by calendar date: discovery = sessions dated before the split date, holdout = on or after it.
 * A date is never divided between the two sides, so no holdout session shares a day with a discovery session
 * (sessions of one day overlap in market information: NY_AM and NY_PM see the same overnight levels).
 *
 * With a fraction instead of a date, the split date is the distinct date whose cut puts the share of holdout
 * sessions closest to the fraction (ties → the later cut, keeping more data for discovery, which must first
 * find something to validate). Both sides must be non-empty.
 */

import { UsageError } from '../core/index.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Too few sessions or trading days for a temporal split: an input problem, not a bug. `validateOrSkip` turns it
 * into a report that says validation was skipped and why (the counts are in the message and the fields).
 */
export class TooFewForSplitError extends UsageError {
  override name = 'TooFewForSplitError';
  constructor(
    message: string,
    readonly sessions: number,
    readonly days: number,
  ) {
    super(message);
  }
}

export interface SplitOptions {
  /** First holdout date (YYYY-MM-DD). Takes precedence over `holdoutFraction`. */
  splitDate?: string;
  /**
   * Target share of sessions in the holdout, in (0, 1). Default 0.5: both sides then hold about the same number
   * of sessions, so a motif's recurrence is measured on as many sessions as it was discovered on.
   */
  holdoutFraction?: number;
}

export interface TemporalSplit<T> {
  method: 'date' | 'fraction';
  /** First holdout date. */
  splitDate: string;
  discovery: T[];
  holdout: T[];
  discoveryDates: string[];
  holdoutDates: string[];
  /** Requested holdout fraction (null when a date was given) and the achieved share. */
  requestedHoldoutFraction: number | null;
  holdoutShare: number;
}

/** Splits `sessions` (any objects with `id` and ISO `date`) by date; input order is kept within each side. */
export function temporalSplit<T extends { id: string; date: string }>(
  sessions: readonly T[],
  opts: SplitOptions = {},
): TemporalSplit<T> {
  if (sessions.length < 2)
    throw new TooFewForSplitError(
      `temporal split: needs at least 2 sessions, got ${sessions.length}`,
      sessions.length,
      new Set(sessions.map((s) => s.date)).size,
    );
  for (const s of sessions)
    if (!ISO_DATE.test(s.date))
      throw new Error(`temporal split: session ${s.id} has date "${s.date}", expected YYYY-MM-DD`);
  const dates = [...new Set(sessions.map((s) => s.date))].sort();
  if (dates.length < 2)
    throw new TooFewForSplitError(
      `temporal split: all ${sessions.length} sessions share the date ${dates[0]}; a date split needs at least 2 dates`,
      sessions.length,
      dates.length,
    );
  let splitDate: string;
  let method: 'date' | 'fraction';
  let requested: number | null = null;
  if (opts.splitDate !== undefined) {
    if (!ISO_DATE.test(opts.splitDate))
      throw new Error(`temporal split: splitDate "${opts.splitDate}" is not YYYY-MM-DD`);
    splitDate = opts.splitDate;
    method = 'date';
  } else {
    const f = opts.holdoutFraction ?? 0.5;
    if (!(typeof f === 'number' && f > 0 && f < 1))
      throw new Error(`temporal split: holdoutFraction must be in (0, 1), got ${String(f)}`);
    requested = f;
    method = 'fraction';
    const perDate = new Map<string, number>();
    for (const s of sessions) perDate.set(s.date, (perDate.get(s.date) ?? 0) + 1);
    let best = 1;
    let bestGap = Infinity;
    let holdout = sessions.length;
    for (let c = 1; c < dates.length; c++) {
      holdout -= perDate.get(dates[c - 1])!;
      const gap = Math.abs(holdout / sessions.length - f);
      if (gap <= bestGap) {
        bestGap = gap;
        best = c;
      }
    }
    splitDate = dates[best];
  }
  const discovery = sessions.filter((s) => s.date < splitDate);
  const holdout = sessions.filter((s) => s.date >= splitDate);
  if (discovery.length === 0)
    throw new Error(`temporal split: no discovery sessions before ${splitDate} (first date ${dates[0]})`);
  if (holdout.length === 0)
    throw new Error(
      `temporal split: no holdout sessions on or after ${splitDate} (last date ${dates[dates.length - 1]})`,
    );
  return {
    method,
    splitDate,
    discovery,
    holdout,
    discoveryDates: dates.filter((d) => d < splitDate),
    holdoutDates: dates.filter((d) => d >= splitDate),
    requestedHoldoutFraction: requested,
    holdoutShare: holdout.length / sessions.length,
  };
}
