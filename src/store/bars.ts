/**
 * Reading OHLCV bars from CSV or Parquet.
 *
 * Columns (names case-insensitive, surrounding spaces and quotes ignored):
 * - `timestamp` (aliases: time, datetime, date_time, ts, open_time); or separate `date` + `time` columns,
 *   joined with a space. Text forms and epoch units: see ./timestamp.ts. By default the timestamp is the bar's
 *   OPEN time; `timestampIs: 'close'` reads it as the close time (shifted back by one timeframe).
 * - `open`, `high`, `low`, `close` (aliases o/h/l/c) — required;
 * - `volume` (aliases vol, v) — optional; 0 when the file has none (reported in `ReadBarsResult.missingVolume`).
 *
 * CSV: delimiter `,`, `;` or tab (whichever the header uses), optional double quotes around fields, blank lines
 * skipped. Parquet: any numeric column type, string or Arrow Timestamp timestamps (a Timestamp with a zone is an
 * instant; a zone-less one is wall-clock time in `tz`).
 *
 * A missing column, a value that is not a number or a time, or a row with the wrong number of fields is an error
 * naming the row (1-based data row; the CSV line number is row + 1). Then `validateBars` runs (unless
 * `validate: false`).
 */
import { extname } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { allocBars, type Bars, parseTimeframe } from '../detect/index.js';
import { makeTimestampParser, epochToMs } from '../detect/index.js';
import { type RepairReport, ProblemList, validateBars } from '../detect/index.js';
import { ZoneClock } from '../detect/index.js';
import { decodeParquet, parquetMetadataOf } from '../io/index.js';
import { parquetWasm, recoverFromTrap } from '../io/index.js';
import { readFileExplained, readTextExplained } from '../io/index.js';

export interface ReadBarsOptions {
  /** IANA zone of wall-clock timestamps without an offset (default America/New_York). */
  tz?: string;
  /** Bar length, e.g. `5m` or ms; inferred from the spacing when absent. */
  timeframe?: string | number;
  /** Whether the timestamp marks the bar's open (default) or close. */
  timestampIs?: 'open' | 'close';
  /** File format; default from the extension (.parquet/.pq → parquet, else csv). */
  format?: 'csv' | 'parquet';
  /** Validate after reading (default true). */
  validate?: boolean;
  /** Sort / drop duplicate timestamps instead of failing on them (see validateBars). */
  repair?: boolean;
  /** How many bad rows an error lists (default 20). */
  maxProblems?: number;
}

export interface ReadBarsResult {
  bars: Bars;
  /** What validation repaired (all empty when nothing was). Null when `validate: false`. */
  report: RepairReport | null;
  /** True when the file had no volume column (volumes are 0). */
  missingVolume: boolean;
  /** The IANA zone used for wall-clock timestamps. */
  tz: string;
}

const ALIASES = {
  timestamp: ['timestamp', 'time', 'datetime', 'date_time', 'ts', 'open_time', 'timestamp_utc'],
  open: ['open', 'o'],
  high: ['high', 'h'],
  low: ['low', 'l'],
  close: ['close', 'c'],
  volume: ['volume', 'vol', 'v'],
} as const;
type Field = keyof typeof ALIASES;
const PRICE_FIELDS = ['open', 'high', 'low', 'close'] as const;

function normalizeName(s: string): string {
  return s.trim().replace(/^"|"$/g, '').trim().toLowerCase();
}

/** Column index per field (-1 when absent); `dateTime` set when timestamps come as separate date + time. */
interface ColumnMap {
  index: Record<Field, number>;
  dateTime: [number, number] | null;
}

function mapColumns(names: string[], source: string): ColumnMap {
  const norm = names.map(normalizeName);
  const index = {} as Record<Field, number>;
  for (const f of Object.keys(ALIASES) as Field[]) {
    index[f] = -1;
    for (const a of ALIASES[f]) {
      const i = norm.indexOf(a);
      if (i >= 0) {
        index[f] = i;
        break;
      }
    }
  }
  let dateTime: [number, number] | null = null;
  const dateCol = norm.indexOf('date');
  if (index.timestamp >= 0 && norm[index.timestamp] === 'time' && dateCol >= 0)
    dateTime = [dateCol, index.timestamp];
  else if (index.timestamp < 0 && dateCol >= 0) index.timestamp = dateCol;
  const missing = (['timestamp', ...PRICE_FIELDS] as Field[]).filter((f) => index[f] < 0);
  if (missing.length > 0) {
    throw new Error(
      `${source}: missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')} ` +
        `(found: ${names.map((n) => `'${n.trim()}'`).join(', ') || 'none'}; need timestamp, open, high, low, close[, volume])`,
    );
  }
  return { index, dateTime };
}

function splitCsvLine(line: string, delim: string): string[] {
  if (!line.includes('"')) return line.split(delim);
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delim) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Number(s), except that empty / blank text is NaN (Number gives 0 for it). Surrounding spaces are allowed. */
function parseNumber(s: string): number {
  const v = Number(s);
  return v === 0 && !/\d/.test(s) ? NaN : v;
}

function isBlank(line: string): boolean {
  return line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '');
}

/**
 * Parses CSV text into (unvalidated) bars. Throws naming the row for missing columns, wrong field counts, and
 * values that are not numbers or times. The literal `NaN` parses (validation rejects it with its row).
 */
export function parseBarsCsv(
  text: string,
  opts: { tz?: string; source?: string; maxProblems?: number } = {},
): {
  bars: Bars;
  missingVolume: boolean;
} {
  const source = opts.source ?? '<csv>';
  const zone = new ZoneClock(opts.tz ?? 'America/New_York');
  const parseTime = makeTimestampParser(zone);
  const lines = text.split(/\r?\n/);
  let h = 0;
  while (h < lines.length && lines[h].trim() === '') h++;
  if (h >= lines.length) throw new Error(`${source}: empty file (no header line)`);
  const header = lines[h].replace(/^\uFEFF/, '');
  const delim = header.includes(',') ? ',' : header.includes(';') ? ';' : header.includes('\t') ? '\t' : ',';
  const names = splitCsvLine(header, delim);
  const { index, dateTime } = mapColumns(names, source);
  const missingVolume = index.volume < 0;

  let count = 0;
  for (let i = h + 1; i < lines.length; i++) if (!isBlank(lines[i])) count++;
  const bars = allocBars(count);
  const problems = new ProblemList(opts.maxProblems ?? 20);
  let k = 0;
  for (let i = h + 1; i < lines.length; i++) {
    const line = lines[i];
    if (isBlank(line)) continue;
    const row = k + 1;
    const f = splitCsvLine(line, delim);
    bars.row[k] = row;
    if (f.length < names.length) {
      problems.add(row, 'row', `has ${f.length} fields, the header has ${names.length} (line ${i + 1})`);
      bars.t[k] = NaN;
      k++;
      continue;
    }
    const tsText = dateTime ? `${f[dateTime[0]].trim()} ${f[dateTime[1]].trim()}` : f[index.timestamp];
    const t = parseTime(tsText);
    if (Number.isNaN(t))
      problems.add(row, 'timestamp', `"${tsText.trim()}" is not a timestamp (line ${i + 1})`);
    bars.t[k] = t;
    for (const fld of PRICE_FIELDS) {
      const s = f[index[fld]];
      const v = parseNumber(s);
      if (Number.isNaN(v) && s.trim().toLowerCase() !== 'nan') {
        problems.add(row, fld, `"${s.trim()}" is not a number (line ${i + 1})`);
      }
      bars[fld][k] = v;
    }
    if (!missingVolume) {
      const s = f[index.volume];
      const v = parseNumber(s);
      if (Number.isNaN(v) && s.trim().toLowerCase() !== 'nan') {
        problems.add(row, 'volume', `"${s.trim()}" is not a number (line ${i + 1})`);
      }
      bars.volume[k] = v;
    }
    k++;
  }
  problems.throwIfAny(source);
  return { bars, missingVolume };
}

/** Reads a Parquet bar file into (unvalidated) bars. */
export async function parseBarsParquet(
  path: string,
  opts: { tz?: string } = {},
): Promise<{ bars: Bars; missingVolume: boolean }> {
  const zone = new ZoneClock(opts.tz ?? 'America/New_York');
  const bytes = await readFileExplained(path);
  const fields = (await parquetMetadataOf(bytes, path)).schema;
  const names = fields.map((f) => f.name);
  const { index, dateTime } = mapColumns(names, path);
  if (dateTime)
    throw new Error(
      `${path}: separate date and time columns are supported in CSV only; use one timestamp column`,
    );
  const missingVolume = index.volume < 0;
  const numeric: Field[] = [
    'open',
    'high',
    'low',
    'close',
    ...(missingVolume ? [] : (['volume'] as Field[])),
  ];
  for (const f of numeric) {
    const fi = fields[index[f]];
    if (fi.type === null || fi.type === 'string' || fi.type === 'bool') {
      throw new Error(
        `${path}: column '${fi.name}' (${f}) has type ${fi.arrowType}, expected a numeric type`,
      );
    }
  }
  const tsField = fields[index.timestamp];
  const table = decodeParquet(
    bytes,
    { columns: [...numeric.map((f) => names[index[f]]), ...(tsField.type !== null ? [tsField.name] : [])] },
    path,
  );
  const n = table.numRows;
  const bars = allocBars(n);
  for (const f of numeric) {
    const col = table.columns.find((c) => c.name === names[index[f]]);
    if (!col) throw new Error(`${path}: column '${names[index[f]]}' could not be read`);
    const dst = bars[f as 'open'];
    const src = col.values as ArrayLike<number | bigint>;
    for (let i = 0; i < n; i++) dst[i] = Number(src[i]);
  }
  const parseTime = makeTimestampParser(zone);
  if (tsField.type === 'string') {
    const src = table.columns.find((c) => c.name === tsField.name)!.values as string[];
    const problems = new ProblemList(20);
    for (let i = 0; i < n; i++) {
      bars.t[i] = parseTime(src[i] ?? '');
      if (Number.isNaN(bars.t[i])) problems.add(i + 1, 'timestamp', `"${src[i]}" is not a timestamp`);
    }
    problems.throwIfAny(path);
  } else if (tsField.type !== null) {
    const src = table.columns.find((c) => c.name === tsField.name)!.values as ArrayLike<number | bigint>;
    for (let i = 0; i < n; i++) bars.t[i] = epochToMs(Number(src[i]));
  } else if (tsField.arrowType.startsWith('Timestamp')) {
    // Arrow timestamps: arrow-js returns epoch ms whatever the stored unit. The store reader does not decode
    // this type, so the one column is decoded here.
    let vec;
    try {
      vec = tableFromIPC(
        parquetWasm()
          .readParquet(bytes, { columns: [tsField.name] })
          .intoIPCStream(),
      ).getChild(tsField.name);
    } catch (err) {
      recoverFromTrap(err);
      throw new Error(`${path}: cannot decode column '${tsField.name}': ${(err as Error).message}`, {
        cause: err,
      });
    }
    if (!vec) throw new Error(`${path}: column '${tsField.name}' missing after decoding`);
    // a Timestamp with a zone is an instant; without one it is wall-clock time (Arrow's convention)
    const withZone = Boolean((vec.type as { timezone?: string | null }).timezone);
    for (let i = 0; i < n; i++) {
      const v = vec.get(i) as number | null;
      bars.t[i] = v === null ? NaN : withZone ? v : zone.wallToUtc(v);
    }
  } else {
    throw new Error(
      `${path}: column '${tsField.name}' has type ${tsField.arrowType}, expected a timestamp, integer or string`,
    );
  }
  return { bars, missingVolume };
}

/** Reads, then (by default) validates a CSV or Parquet bar file. See the module comment for the format. */
export async function readBars(path: string, opts: ReadBarsOptions = {}): Promise<ReadBarsResult> {
  const tz = new ZoneClock(opts.tz ?? 'America/New_York').name;
  const ext = extname(path).toLowerCase();
  const format = opts.format ?? (ext === '.parquet' || ext === '.pq' ? 'parquet' : 'csv');
  let parsed: { bars: Bars; missingVolume: boolean };
  if (format === 'parquet') parsed = await parseBarsParquet(path, { tz });
  else {
    const text = await readTextExplained(path);
    parsed = parseBarsCsv(text, { tz, source: path, maxProblems: opts.maxProblems });
  }
  let { bars } = parsed;
  if (opts.timeframe !== undefined) {
    bars.timeframeMs = typeof opts.timeframe === 'number' ? opts.timeframe : parseTimeframe(opts.timeframe);
    if (!(bars.timeframeMs > 0)) throw new Error(`invalid timeframe ${opts.timeframe}`);
  }
  let report: RepairReport | null = null;
  if (opts.validate !== false) {
    const res = validateBars(bars, { repair: opts.repair, maxProblems: opts.maxProblems, source: path });
    bars = res.bars;
    report = res.report;
  }
  if (opts.timestampIs === 'close') {
    if (!(bars.timeframeMs > 0))
      throw new Error(`${path}: timestampIs 'close' needs a timeframe (pass --timeframe)`);
    for (let i = 0; i < bars.n; i++) bars.t[i] -= bars.timeframeMs;
  }
  return { bars, report, missingVolume: parsed.missingVolume, tz };
}
