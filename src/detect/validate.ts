/**
 * Bar validation (and the optional repair of ordering problems).
 *
 * Checked, for every bar: open/high/low/close/volume are finite numbers (no NaN, no ±Infinity), volume ≥ 0,
 * high ≥ max(open, close), low ≤ min(open, close); and across bars: timestamps strictly increasing and at least
 * one timeframe apart (a smaller spacing means overlapping bars: the timeframe is wrong or rows are duplicated).
 * Every problem names the source row, the field and the value; up to `maxProblems` are listed in the error.
 *
 * Repair (`repair: true`) fixes only what can be fixed without inventing prices: it sorts the bars by time
 * (stable) and removes duplicate timestamps, keeping the LAST row in file order (data vendors re-send corrected
 * bars) and reporting every dropped row. OHLC inconsistencies and non-numbers are never repaired.
 */
import { type Bars, formatTimeframe, selectBars } from './bars.js';

export interface BarProblem {
  /** 1-based data row in the source (header excluded). */
  row: number;
  field: string;
  message: string;
}

/** Bars that cannot be used; `problems` lists each with its row. */
export class BarValidationError extends Error {
  override name = 'BarValidationError';
  constructor(
    readonly problems: BarProblem[],
    readonly totalProblems: number,
    readonly source = '',
  ) {
    const shown = problems.map((p) => `  row ${p.row}: ${p.field}: ${p.message}`).join('\n');
    const more = totalProblems > problems.length ? `\n  … and ${totalProblems - problems.length} more` : '';
    super(
      `${source ? `${source}: ` : ''}${totalProblems} bad bar${totalProblems === 1 ? '' : 's'}:\n${shown}${more}`,
    );
  }
}

/** Collects problems, keeping the first `max` for the message and counting the rest. */
export class ProblemList {
  readonly items: BarProblem[] = [];
  total = 0;
  constructor(readonly max: number) {}
  add(row: number, field: string, message: string): void {
    this.total++;
    if (this.items.length < this.max) this.items.push({ row, field, message });
  }
  throwIfAny(source = ''): void {
    if (this.total > 0) throw new BarValidationError(this.items, this.total, source);
  }
}

export interface ValidateOptions {
  /** Sort by time and drop duplicate timestamps (keeping the last row), reporting what changed. */
  repair?: boolean;
  /** How many problems the error lists (default 20); all are counted. */
  maxProblems?: number;
  /** Name of the source for messages (e.g. the file path). */
  source?: string;
}

export interface RepairReport {
  /** True when the rows were not in time order and have been sorted. */
  sorted: boolean;
  /** Number of rows that changed position in the sort. */
  movedRows: number;
  /** Rows dropped as duplicate timestamps: the dropped row, the row kept, and whether their values were equal. */
  droppedDuplicates: { row: number; keptRow: number; identical: boolean }[];
  /** Timeframe inferred from the bar spacing (ms), or null when it was given. */
  inferredTimeframeMs: number | null;
}

export interface ValidateResult {
  bars: Bars;
  report: RepairReport;
}

const VALUE_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}

/**
 * Validates `bars` and returns them (repaired when `opts.repair`), with the timeframe filled in when it was 0
 * (inferred as the most common positive spacing). Throws `BarValidationError` listing each bad row.
 */
export function validateBars(bars: Bars, opts: ValidateOptions = {}): ValidateResult {
  const problems = new ProblemList(opts.maxProblems ?? 20);
  const report: RepairReport = {
    sorted: false,
    movedRows: 0,
    droppedDuplicates: [],
    inferredTimeframeMs: null,
  };
  const { n, open, high, low, close, volume, t, row } = bars;
  if (n === 0)
    throw new Error(`${opts.source ? `${opts.source}: ` : ''}no bars (no data rows after the header)`);

  for (let i = 0; i < n; i++) {
    const r = row[i];
    if (!Number.isFinite(t[i])) problems.add(r, 'timestamp', `is not a valid time (${t[i]})`);
    // one test for the common case (all finite: a finite sum); the per-field messages only when it fails,
    // so no array or tuple is built per bar
    if (!Number.isFinite(open[i] + high[i] + low[i] + close[i] + volume[i])) {
      let finite = true;
      for (let c = 0; c < VALUE_FIELDS.length; c++) {
        const x = bars[VALUE_FIELDS[c]][i];
        if (!Number.isFinite(x)) {
          problems.add(r, VALUE_FIELDS[c], `is ${x}, expected a finite number`);
          finite = false;
        }
      }
      if (!finite) continue;
    }
    if (high[i] < Math.max(open[i], close[i])) {
      problems.add(r, 'high', `high ${high[i]} < max(open ${open[i]}, close ${close[i]})`);
    }
    if (low[i] > Math.min(open[i], close[i])) {
      problems.add(r, 'low', `low ${low[i]} > min(open ${open[i]}, close ${close[i]})`);
    }
    if (volume[i] < 0) problems.add(r, 'volume', `volume ${volume[i]} is negative`);
  }

  let out = bars;
  if (opts.repair) out = repairOrder(bars, report);
  else {
    for (let i = 1; i < n; i++) {
      if (t[i] === t[i - 1]) {
        problems.add(
          row[i],
          'timestamp',
          `duplicate timestamp ${iso(t[i])} (same as row ${row[i - 1]}); use --repair to drop duplicates`,
        );
      } else if (t[i] < t[i - 1]) {
        problems.add(
          row[i],
          'timestamp',
          `timestamp ${iso(t[i])} is before the previous row's (row ${row[i - 1]}, ${iso(t[i - 1])}); use --repair to sort`,
        );
      }
    }
  }

  let tf = out.timeframeMs;
  if (!(tf > 0)) {
    tf = inferTimeframe(out.t);
    report.inferredTimeframeMs = tf;
    if (!(tf > 0))
      problems.add(
        out.n > 0 ? out.row[0] : 0,
        'timestamp',
        'cannot infer the timeframe: need at least two bars with distinct times; pass --timeframe',
      );
  }
  if (tf > 0) {
    for (let i = 1; i < out.n; i++) {
      const gap = out.t[i] - out.t[i - 1];
      if (gap > 0 && gap < tf) {
        problems.add(
          out.row[i],
          'timestamp',
          `only ${gap / 1000}s after row ${out.row[i - 1]}, less than the timeframe ${formatTimeframe(tf)} (overlapping bars; wrong --timeframe?)`,
        );
      }
    }
  }
  problems.throwIfAny(opts.source);
  if (out.timeframeMs !== tf) out = { ...out, timeframeMs: tf };
  return { bars: out, report };
}

/** Stable sort by time, then drop duplicate timestamps keeping the last row of each run (in file order). */
function repairOrder(bars: Bars, report: RepairReport): Bars {
  const { n, t } = bars;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  let ordered = true;
  for (let i = 1; i < n && ordered; i++) if (!(t[i] >= t[i - 1])) ordered = false;
  if (!ordered) {
    const sorted = Array.from(idx).sort((a, b) => t[a] - t[b] || a - b);
    for (let k = 0; k < n; k++) {
      if (sorted[k] !== k) report.movedRows++;
      idx[k] = sorted[k];
    }
    report.sorted = true;
  }
  const keep: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = idx[k];
    if (k + 1 < n && t[idx[k + 1]] === t[i]) {
      // a later row (in file order, since the sort is stable) has the same time: this one is dropped
      let last = k + 1;
      while (last + 1 < n && t[idx[last + 1]] === t[i]) last++;
      const kept = idx[last];
      report.droppedDuplicates.push({
        row: bars.row[i],
        keptRow: bars.row[kept],
        identical: sameValues(bars, i, kept),
      });
      continue;
    }
    keep.push(i);
  }
  if (!report.sorted && keep.length === n) return bars;
  return selectBars(bars, keep);
}

function sameValues(b: Bars, i: number, j: number): boolean {
  return (
    b.open[i] === b.open[j] &&
    b.high[i] === b.high[j] &&
    b.low[i] === b.low[j] &&
    b.close[i] === b.close[j] &&
    b.volume[i] === b.volume[j]
  );
}

/** Most common positive spacing between consecutive times (ties: the smaller), or 0 when there is none. */
export function inferTimeframe(t: Float64Array): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < t.length; i++) {
    const d = t[i] - t[i - 1];
    if (d > 0) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [d, c] of counts) {
    if (c > bestCount || (c === bestCount && d < best)) {
      best = d;
      bestCount = c;
    }
  }
  return best;
}
