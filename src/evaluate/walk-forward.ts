/**
 * Rolling-origin walk-forward by trading day, with purge and embargo (López de Prado 2018, ch. 7).
 *
 * Fold k tests days [testFrom, testTo) and trains on days [0, testFrom − embargoDays): everything fitted for the
 * fold (strata thresholds, calibrators, promoted lists, conformal quantiles) is fitted on those days and frozen.
 * The embargo leaves a gap of whole days between the last training day and the first test day. Purge drops
 * training samples whose label interval reaches into the test block (or its embargo), so a label that is still
 * being written when the test starts never trains anything.
 */

export interface WalkForwardOptions {
  /** Days before the first test day (the first fold's training window, embargo included). */
  minTrainDays: number;
  /** Days per test block. */
  testDays: number;
  /** Whole days left out between the training window and the test block. */
  embargoDays: number;
}

export interface Fold {
  index: number;
  /** Training days [0, trainTo). */
  trainTo: number;
  /** Test days [testFrom, testTo). */
  testFrom: number;
  testTo: number;
}

/** Defaults for `days` trading days: a third of them (≥ 2) as the first training window, ≤ 20 test blocks. */
export function defaultWalkForward(days: number): WalkForwardOptions {
  const minTrainDays = Math.max(2, Math.floor(days / 3));
  const testDays = Math.max(1, Math.ceil((days - minTrainDays) / 20));
  return { minTrainDays, testDays, embargoDays: 0 };
}

/** Checks options; errors name the field and value. */
export function checkWalkForward(o: WalkForwardOptions): void {
  for (const k of ['minTrainDays', 'testDays', 'embargoDays'] as const) {
    const v = o[k];
    if (!Number.isInteger(v) || v < (k === 'embargoDays' ? 0 : 1))
      throw new Error(`walk-forward: ${k} must be an integer ≥ ${k === 'embargoDays' ? 0 : 1}, got ${v}`);
  }
  if (o.embargoDays >= o.minTrainDays)
    throw new Error(
      `walk-forward: embargoDays (${o.embargoDays}) must be below minTrainDays (${o.minTrainDays}): no day would train`,
    );
}

/** The folds over `days` trading days (empty when there are not enough days for one fold). */
export function walkForwardFolds(days: number, o: WalkForwardOptions): Fold[] {
  checkWalkForward(o);
  const folds: Fold[] = [];
  for (let from = o.minTrainDays; from < days; from += o.testDays) {
    folds.push({
      index: folds.length,
      trainTo: from - o.embargoDays,
      testFrom: from,
      testTo: Math.min(days, from + o.testDays),
    });
  }
  return folds;
}

/**
 * Purge: 1 for each training candidate whose label interval [labelStart, labelEnd] ends before `testStart −
 * embargoMs` or starts at/after `testEnd + embargoMs`; 0 when it overlaps the test block widened by the embargo.
 * `candidate[i]` = 0 marks samples that are not training candidates at all (they stay 0).
 */
export function purgeMask(
  labelStart: ArrayLike<number>,
  labelEnd: ArrayLike<number>,
  candidate: ArrayLike<number>,
  testStart: number,
  testEnd: number,
  embargoMs = 0,
): Uint8Array {
  const n = labelStart.length;
  if (labelEnd.length !== n || candidate.length !== n)
    throw new Error(
      `purgeMask: labelStart, labelEnd and candidate differ in length (${n}, ${labelEnd.length}, ${candidate.length})`,
    );
  const lo = testStart - embargoMs;
  const hi = testEnd + embargoMs;
  const keep = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (!candidate[i]) continue;
    keep[i] = labelEnd[i] < lo || labelStart[i] >= hi ? 1 : 0;
  }
  return keep;
}
