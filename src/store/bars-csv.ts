/**
 * The streaming CSV bar reader: bytes in (any chunking), typed bar columns out, no string or object per row.
 *
 * Why: bars come by the million and the text reader (split into lines, split into fields, a regex per
 * timestamp) ran at ~0.4M bars/s, a fifth of the detectors' speed, and needed the whole file as one string.
 * This reader scans each chunk's bytes once and parses the common forms straight into growable Float64Array /
 * Int32Array columns:
 * - numbers `-?digits[.digits]` with at most 15 digits: the integer mantissa divided by an exact power of ten,
 *   one correctly rounded IEEE division — the same double Number() gives (both round the exact decimal);
 * - timestamps `YYYY-MM-DD[T ]HH:MM[:SS]` with `Z`, `±HH`, `±HH:MM`, `±HHMM` or no offset (wall clock in the
 *   zone; the zone's offsets are cached per day in ZoneClock, never looked up per bar), a bare date, or an
 *   integer epoch of at most 15 digits.
 * A row with anything else (quotes, spaces, fractions of a second, exponents, too few fields, a bad value) is
 * decoded and parsed by the general text path (bar-columns.ts `parseCsvRowText`), so values and error messages
 * (file, line, row, field, value) are those of the text reader. test/store-bars-csv.test.ts checks both
 * readers agree byte for byte.
 *
 * Lines end at `\n`; a `\r` before it is dropped (a lone `\r` stays in the line, as `split(/\r?\n/)` did).
 */
import { allocBars, type Bars, epochToMs, ProblemList, ZoneClock } from '../detect/index.js';
import { type BarColumns, type CsvLayout, csvLayout, isBlank, parseCsvRowText } from './bar-columns.js';

const NL = 10;
const CR = 13;
const QUOTE = 34;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const COLON = 58;
const ZERO = 48;
const NINE = 57;
const SPACE = 32;
const UPPER_T = 84;
const UPPER_Z = 90;

/** 10^k, exact in float64 for k ≤ 22 (the fast path uses k ≤ 15). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** Mantissas longer than this may exceed 2^53 and would not be exact: they take the text path. */
const MAX_FAST_DIGITS = 15;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function daysInMonth(year: number, month: number): number {
  if (month !== 2) return MONTH_DAYS[month - 1];
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** Rows read before the input's row count is estimated from its size. */
const ESTIMATE_AFTER_ROWS = 1000;

/** Bytes per bar held by the columns: six float64 values and an int32 row number. */
export const BYTES_PER_BAR = 6 * 8 + 4;

export interface BarCsvReaderOptions {
  tz?: string;
  /** Name of the source in messages (default `<csv>`). */
  source?: string;
  /** How many bad rows an error lists (default 20). */
  maxProblems?: number;
  /**
   * Size of the whole input in bytes, when known: after the first rows the columns are sized for it in one
   * step, and an input whose bars would exceed `maxColumnBytes` is refused then, naming its size.
   */
  totalBytes?: number;
  /**
   * Most bytes the columns may take; growing past it throws naming the source, the rows read and the bytes
   * (default: no limit). The file reader also refuses early from the file size (bars.ts).
   */
  maxColumnBytes?: number;
}

/** Reads CSV bars from byte chunks: `push` each chunk in order, then `finish`. */
export class BarCsvReader {
  private readonly source: string;
  private readonly zone: ZoneClock;
  private readonly problems: ProblemList;
  private readonly maxColumnBytes: number;
  private readonly totalBytes: number;
  private layout: CsvLayout | null = null;
  /** Fast path usable: one timestamp column, a one-byte delimiter. */
  private fast = false;
  private delim = 44;
  private tsCol = 0;
  private oCol = 0;
  private hCol = 0;
  private lCol = 0;
  private cCol = 0;
  private vCol = -1;
  /** Highest column index the fast path must reach (the row needs at least nNames fields anyway). */
  private lastCol = 0;
  private cols: BarColumns;
  private cap: number;
  /** Bars parsed. */
  private k = 0;
  /** Lines consumed (the file line number of the last one). */
  private lineNo = 0;
  /** The start of a line cut by chunk boundaries, in pieces (joined once, when its line end arrives). */
  private carry: Buffer[] = [];
  /** Per-date cache of the timestamp fast path: `Date.UTC` of the last date seen. */
  private lastDateKey = -1;
  private lastDateMs = 0;
  /** Bytes of data rows seen by the fast path, for `bytesPerRow`. */
  private rowBytes = 0;
  /** Scratch slot of the fast path: one row's values before they are committed. */
  private readonly v = new Float64Array(6);

  constructor(opts: BarCsvReaderOptions = {}) {
    this.source = opts.source ?? '<csv>';
    this.zone = new ZoneClock(opts.tz ?? 'America/New_York');
    this.problems = new ProblemList(opts.maxProblems ?? 20);
    this.maxColumnBytes = opts.maxColumnBytes ?? Infinity;
    this.totalBytes = opts.totalBytes ?? 0;
    this.cap = 2 * ESTIMATE_AFTER_ROWS;
    this.checkBudget(this.cap);
    this.cols = allocBars(this.cap);
  }

  /** Bars parsed so far. */
  get rows(): number {
    return this.k;
  }

  /** Mean bytes per data row so far (line end included), 0 before the first row. */
  get bytesPerRow(): number {
    return this.k > 0 ? this.rowBytes / this.k : 0;
  }

  /** Parses the complete lines of `chunk` (after any line cut at the previous chunk's end). */
  push(chunk: Uint8Array): void {
    const buf = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    if (this.carry.length > 0) {
      const nl = buf.indexOf(NL);
      if (nl < 0) {
        this.carry.push(Buffer.from(buf)); // a copy: the caller may reuse its buffer
        return;
      }
      const line = Buffer.concat([...this.carry, buf.subarray(0, nl + 1)]);
      this.carry = [];
      this.line(line, 0, line.length - 1, true);
      pos = nl + 1;
    }
    const n = buf.length;
    while (pos < n) {
      if (this.fast && this.k < this.cap) {
        const end = this.fastRow(buf, pos, n);
        if (end >= 0) {
          this.lineNo++;
          this.rowBytes += end + 1 - pos;
          if (this.k === ESTIMATE_AFTER_ROWS) this.reserveFromEstimate();
          pos = end + 1;
          continue;
        }
      }
      const nl = buf.indexOf(NL, pos);
      if (nl < 0) {
        this.carry.push(Buffer.from(buf.subarray(pos))); // a copy: the caller may reuse its buffer
        return;
      }
      this.line(buf, pos, nl, true);
      pos = nl + 1;
    }
  }

  /** Parses the last line (one without a line end), throws listing the bad rows, returns the bars. */
  finish(): { bars: Bars; missingVolume: boolean } {
    if (this.carry.length > 0) {
      const last = Buffer.concat(this.carry);
      this.carry = [];
      this.line(last, 0, last.length, false);
    }
    if (!this.layout) throw new Error(`${this.source}: empty file (no header line)`);
    this.problems.throwIfAny(this.source);
    const n = this.k;
    const c = this.cols;
    // views when little is unused (no copy), else exact copies (the unused tail is freed)
    const view = n >= 0.9 * this.cap;
    const fit = <A extends Float64Array | Int32Array>(a: A): A =>
      (n === this.cap ? a : view ? a.subarray(0, n) : a.slice(0, n)) as A;
    const bars: Bars = {
      n,
      t: fit(c.t),
      open: fit(c.open),
      high: fit(c.high),
      low: fit(c.low),
      close: fit(c.close),
      volume: fit(c.volume),
      timeframeMs: 0,
      row: fit(c.row),
    };
    return { bars, missingVolume: this.layout.missingVolume };
  }

  /** One line: bytes [s, e) of `b`, where `e` is the `\n` (or the end of the data when `terminated` is false). */
  private line(b: Buffer, s: number, e: number, terminated: boolean): void {
    this.lineNo++;
    if (terminated && e > s && b[e - 1] === CR) e--;
    if (!this.layout) {
      const text = b.toString('utf8', s, e);
      if (text.trim() === '') return;
      this.setHeader(text.replace(/^\uFEFF/, ''));
      return;
    }
    if (e === s) return;
    if (this.k === this.cap) this.grow(2 * this.cap);
    const text = b.toString('utf8', s, e);
    if (isBlank(text)) return;
    this.rowBytes += e - s + 1;
    parseCsvRowText(text, this.lineNo, this.k + 1, this.k, this.layout, this.cols, this.problems);
    this.k++;
    if (this.k === ESTIMATE_AFTER_ROWS) this.reserveFromEstimate();
  }

  /**
   * Once the first rows give the bytes per row, sizes the columns for the whole input (when its size is known)
   * in one step, and refuses an input whose bars would not fit in the budget, naming its size.
   */
  private reserveFromEstimate(): void {
    if (!(this.totalBytes > 0)) return;
    const rows = Math.ceil(this.totalBytes / this.bytesPerRow);
    const need = rows * BYTES_PER_BAR;
    if (need > this.maxColumnBytes) {
      throw new Error(
        `${this.source}: ${formatBytes(this.totalBytes)} of bars, about ${rows.toLocaleString('en-US')} bars, ` +
          `need about ${formatBytes(need)} in memory; the budget is ${formatBytes(this.maxColumnBytes)}: split ` +
          `the file (e.g. one per month) and pass the parts`,
      );
    }
    // 2% slack: row lengths vary a little (prices gain a digit, volumes grow)
    const want = Math.ceil(rows * 1.02) + 16;
    if (want > this.cap) this.grow(want);
  }

  private setHeader(header: string): void {
    const layout = csvLayout(header, this.source, this.zone);
    this.layout = layout;
    const { index } = layout;
    this.fast = layout.dateTime === null && layout.delim.length === 1;
    this.delim = layout.delim.charCodeAt(0);
    this.tsCol = index.timestamp;
    this.oCol = index.open;
    this.hCol = index.high;
    this.lCol = index.low;
    this.cCol = index.close;
    this.vCol = index.volume;
    this.lastCol = layout.nNames - 1;
  }

  /**
   * The byte fast path, from `s` (a line start) to at most `n`: parses one row and returns the index of its
   * `\n`; returns −1 with nothing stored when the row is not all in fast forms (a needed field in another form,
   * a quote, a lone `\r`, too few fields, a blank line) or has no `\n` before `n` — the text path takes it.
   */
  private fastRow(b: Buffer, s: number, n: number): number {
    const delim = this.delim;
    const v = this.v;
    const lastCol = this.lastCol;
    if (!(b[s] > SPACE)) return -1;
    let a = s;
    let z = s;
    for (let col = 0; col <= lastCol; col++) {
      z = a;
      let ch = 0;
      while (z < n) {
        ch = b[z];
        if (ch === delim || ch === NL || ch === CR || ch === QUOTE) break;
        z++;
      }
      if (z === n || ch === QUOTE) return -1;
      if (ch !== delim && col < lastCol) return -1; // the line ends before the header's last field
      if (col === this.tsCol) {
        const t = this.fastTime(b, a, z);
        if (t !== t) return -1;
        v[0] = t;
      } else if (col === this.oCol) v[1] = fastNumber(b, a, z);
      else if (col === this.hCol) v[2] = fastNumber(b, a, z);
      else if (col === this.lCol) v[3] = fastNumber(b, a, z);
      else if (col === this.cCol) v[4] = fastNumber(b, a, z);
      else if (col === this.vCol) v[5] = fastNumber(b, a, z);
      a = z + 1;
    }
    // the rest of the line (fields past the header's, ignored as the text path ignores them)
    while (z < n && b[z] !== NL && b[z] !== CR) z++;
    if (z === n) return -1;
    if (b[z] === CR) {
      if (z + 1 >= n || b[z + 1] !== NL) return -1;
      z++;
    }
    if (v[1] !== v[1] || v[2] !== v[2] || v[3] !== v[3] || v[4] !== v[4]) return -1;
    if (this.vCol >= 0 && v[5] !== v[5]) return -1;
    const k = this.k;
    const c = this.cols;
    c.t[k] = v[0];
    c.open[k] = v[1];
    c.high[k] = v[2];
    c.low[k] = v[3];
    c.close[k] = v[4];
    c.volume[k] = this.vCol >= 0 ? v[5] : 0;
    c.row[k] = k + 1;
    this.k = k + 1;
    return z;
  }

  /** UTC ms of the timestamp in bytes [a, z), or NaN when it is not in a fast form. */
  private fastTime(b: Buffer, a: number, z: number): number {
    const len = z - a;
    if (len < 10 || b[a + 4] !== MINUS || b[a + 7] !== MINUS) return fastEpoch(b, a, z);
    const year = digits(b, a, 4);
    const month = digits(b, a + 5, 2);
    const day = digits(b, a + 8, 2);
    if (year < 0 || month < 0 || day < 0) return NaN;
    let hour = 0;
    let minute = 0;
    let second = 0;
    let p = a + 10;
    if (len > 10) {
      const sep = b[p];
      if ((sep !== UPPER_T && sep !== SPACE) || len < 16 || b[a + 13] !== COLON) return NaN;
      hour = digits(b, a + 11, 2);
      minute = digits(b, a + 14, 2);
      if (hour < 0 || minute < 0) return NaN;
      p = a + 16;
      if (p < z && b[p] === COLON) {
        second = digits(b, p + 1, 2);
        if (second < 0 || p + 3 > z) return NaN;
        p += 3;
      }
    }
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return NaN;
    const key = year * 10_000 + month * 100 + day;
    if (key !== this.lastDateKey) {
      if (day > daysInMonth(year, month)) return NaN;
      this.lastDateMs = Date.UTC(year, month - 1, day);
      this.lastDateKey = key;
    }
    const wall = this.lastDateMs + hour * 3_600_000 + minute * 60_000 + second * 1000;
    if (p === z) return this.zone.wallToUtc(wall);
    const ch = b[p];
    if (ch === UPPER_Z) return p + 1 === z ? wall : NaN;
    if (ch !== PLUS && ch !== MINUS) return NaN;
    const rest = z - p - 1;
    const oh = digits(b, p + 1, 2);
    let om: number;
    if (rest === 2) om = 0;
    else if (rest === 5 && b[p + 3] === COLON) om = digits(b, p + 4, 2);
    else if (rest === 4) om = digits(b, p + 3, 2);
    else return NaN;
    if (oh < 0 || om < 0) return NaN;
    const sign = ch === MINUS ? -1 : 1;
    return wall - sign * (oh * 60 + om) * 60_000;
  }

  private grow(cap: number): void {
    this.checkBudget(cap);
    const next = allocBars(cap);
    const c = this.cols;
    next.t.set(c.t);
    next.open.set(c.open);
    next.high.set(c.high);
    next.low.set(c.low);
    next.close.set(c.close);
    next.volume.set(c.volume);
    next.row.set(c.row);
    this.cols = next;
    this.cap = cap;
  }

  private checkBudget(rows: number): void {
    const bytes = rows * BYTES_PER_BAR;
    if (bytes > this.maxColumnBytes) {
      throw new Error(
        `${this.source}: more bars than the memory budget holds: ${this.k} rows read, room for ${rows} needs ` +
          `${formatBytes(bytes)} of columns, the budget is ${formatBytes(this.maxColumnBytes)}; split the file ` +
          `(e.g. one per month) and pass the parts`,
      );
    }
  }
}

/** The value of `count` ASCII digits at `p`, or −1 when one is not a digit. */
function digits(b: Buffer, p: number, count: number): number {
  let x = 0;
  for (let i = 0; i < count; i++) {
    const d = b[p + i] - ZERO; // NaN past the end of the buffer: rejected below
    if (!(d >= 0 && d <= 9)) return -1;
    x = x * 10 + d;
  }
  return x;
}

/** An integer epoch (s, ms, µs or ns by magnitude) in bytes [a, z), or NaN when not all digits / too long. */
function fastEpoch(b: Buffer, a: number, z: number): number {
  const len = z - a;
  if (len === 0 || len > MAX_FAST_DIGITS) return NaN;
  let m = 0;
  for (let i = a; i < z; i++) {
    const d = b[i] - ZERO;
    if (d < 0 || d > 9) return NaN;
    m = m * 10 + d;
  }
  return epochToMs(m);
}

/**
 * The number in bytes [a, z) when it is `-?digits[.digits]` (either digit run may be empty, not both) with at
 * most 15 digits, else NaN. m / 10^f is one correctly rounded division of two exact doubles, so it equals the
 * correctly rounded decimal, which is what Number() returns.
 */
export function fastNumber(b: Uint8Array, a: number, z: number): number {
  let i = a;
  const neg = i < z && b[i] === MINUS;
  if (neg) i++;
  let m = 0;
  let nd = 0;
  while (i < z) {
    const ch = b[i];
    if (ch < ZERO || ch > NINE) break;
    m = m * 10 + (ch - ZERO);
    nd++;
    i++;
  }
  let frac = 0;
  if (i < z && b[i] === DOT) {
    i++;
    while (i < z) {
      const ch = b[i];
      if (ch < ZERO || ch > NINE) break;
      m = m * 10 + (ch - ZERO);
      frac++;
      i++;
    }
  }
  const total = nd + frac;
  if (i !== z || total === 0 || total > MAX_FAST_DIGITS) return NaN;
  const x = frac === 0 ? m : m / POW10[frac];
  return neg ? -x : x;
}

export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(1)} KiB`;
  return `${n} B`;
}

/** Parses CSV bytes held in memory (one chunk); see {@link BarCsvReader}. */
export function parseBarsCsvBytes(
  bytes: Uint8Array,
  opts: Omit<BarCsvReaderOptions, 'totalBytes'> = {},
): { bars: Bars; missingVolume: boolean } {
  const reader = new BarCsvReader({ ...opts, totalBytes: bytes.length });
  reader.push(bytes);
  return reader.finish();
}
