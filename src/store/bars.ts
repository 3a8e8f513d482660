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
 * skipped; read in 1 MiB chunks by the streaming byte reader (./bars-csv.ts), so the text is never held whole;
 * a file whose bars would exceed `memoryBudget` (default half the RAM) is refused early, naming its size. Parquet: any numeric column type, string or Arrow Timestamp timestamps (a Timestamp with a zone is an
 * instant; a zone-less one is wall-clock time in `tz`).
 *
 * A missing column, a value that is not a number or a time, or a row with the wrong number of fields is an error
 * naming the row (1-based data row; the CSV line number is row + 1). Then `validateBars` runs (unless
 * `validate: false`).
 */
import { totalmem } from 'node:os';
import { extname } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { allocBars, type Bars, parseTimeframe } from '../detect/index.js';
import { makeTimestampParser, epochToMs } from '../detect/index.js';
import { type RepairReport, ProblemList, validateBars } from '../detect/index.js';
import { ZoneClock } from '../detect/index.js';
import { decodeParquet, parquetMetadataOf } from '../io/index.js';
import { parquetWasm, recoverFromTrap } from '../io/index.js';
import { fileSizeExplained, readChunksExplained, readFileExplained } from '../io/index.js';
import { mapColumns, type Field } from './bar-columns.js';
import { BarCsvReader, formatBytes, parseBarsCsvBytes } from './bars-csv.js';

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
  /**
   * Most bytes the bars of one file may take in memory (default: half the RAM). A larger file is refused
   * before it is read, naming its size.
   */
  memoryBudget?: number;
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

/**
 * Parses CSV text into (unvalidated) bars. Throws naming the row for missing columns, wrong field counts, and
 * values that are not numbers or times. The literal `NaN` parses (validation rejects it with its row).
 * Text already in memory; files are read in chunks by {@link readBars} (see ./bars-csv.ts).
 */
export function parseBarsCsv(
  text: string,
  opts: { tz?: string; source?: string; maxProblems?: number } = {},
): {
  bars: Bars;
  missingVolume: boolean;
} {
  return parseBarsCsvBytes(Buffer.from(text, 'utf8'), opts);
}

/**
 * The default memory budget of a bar file's columns: half of this machine's RAM. A file whose bars would not
 * fit is refused before it is read (with its size), instead of being read until the process is killed.
 */
export function defaultBarMemoryBudget(): number {
  return Math.floor(totalmem() / 2);
}

/** Reads a CSV bar file in 1 MiB chunks; refuses it early when its bars would not fit in `budget` bytes. */
async function readBarsCsvFile(
  path: string,
  opts: { tz: string; maxProblems?: number; budget: number },
): Promise<{ bars: Bars; missingVolume: boolean }> {
  const reader = new BarCsvReader({
    tz: opts.tz,
    source: path,
    maxProblems: opts.maxProblems,
    totalBytes: await fileSizeExplained(path),
    maxColumnBytes: opts.budget,
  });
  await readChunksExplained(path, (chunk) => reader.push(chunk));
  return reader.finish();
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
  const budget = opts.memoryBudget ?? defaultBarMemoryBudget();
  let parsed: { bars: Bars; missingVolume: boolean };
  if (format === 'parquet') {
    const size = await fileSizeExplained(path);
    // decoded columns take at least the file's size (Parquet compresses), plus the file's bytes themselves
    if (2 * size > budget)
      throw new Error(
        `${path}: ${formatBytes(size)} Parquet bar file needs more than ${formatBytes(2 * size)} in memory; ` +
          `the budget is ${formatBytes(budget)} (half the RAM): split the file and pass the parts`,
      );
    parsed = await parseBarsParquet(path, { tz });
  } else parsed = await readBarsCsvFile(path, { tz, maxProblems: opts.maxProblems, budget });
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
