/**
 * The CSV bar layout shared by the streaming reader (bars-csv.ts) and the reference reader
 * (bars-csv-reference.ts): header names → column indices, the delimiter, and the text parse of one data row.
 * The row parse here is the general path (quotes, spaces, any number form Number() accepts, every timestamp
 * form); the streaming reader takes it for any row its byte fast path does not handle, so both readers give the
 * same values and the same error messages.
 */
import { makeTimestampParser, ProblemList, type ZoneClock } from '../detect/index.js';

export const ALIASES = {
  timestamp: ['timestamp', 'time', 'datetime', 'date_time', 'ts', 'open_time', 'timestamp_utc'],
  open: ['open', 'o'],
  high: ['high', 'h'],
  low: ['low', 'l'],
  close: ['close', 'c'],
  volume: ['volume', 'vol', 'v'],
} as const;
export type Field = keyof typeof ALIASES;
export const PRICE_FIELDS = ['open', 'high', 'low', 'close'] as const;

function normalizeName(s: string): string {
  return s.trim().replace(/^"|"$/g, '').trim().toLowerCase();
}

/** Column index per field (-1 when absent); `dateTime` set when timestamps come as separate date + time. */
export interface ColumnMap {
  index: Record<Field, number>;
  dateTime: [number, number] | null;
}

export function mapColumns(names: string[], source: string): ColumnMap {
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

export function splitCsvLine(line: string, delim: string): string[] {
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
export function parseNumber(s: string): number {
  const v = Number(s);
  return v === 0 && !/\d/.test(s) ? NaN : v;
}

export function isBlank(line: string): boolean {
  return line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '');
}

/** The delimiter a header line uses: `,`, `;` or tab (in that order of preference; `,` when none). */
export function csvDelimiter(header: string): string {
  return header.includes(',') ? ',' : header.includes(';') ? ';' : header.includes('\t') ? '\t' : ',';
}

/** What a data row is parsed against: the header's layout and the zone of wall-clock timestamps. */
export interface CsvLayout extends ColumnMap {
  delim: string;
  /** Number of header fields (a row with fewer is an error). */
  nNames: number;
  missingVolume: boolean;
  parseTime: (text: string) => number;
}

export function csvLayout(header: string, source: string, zone: ZoneClock): CsvLayout {
  const delim = csvDelimiter(header);
  const names = splitCsvLine(header, delim);
  const map = mapColumns(names, source);
  return {
    ...map,
    delim,
    nNames: names.length,
    missingVolume: map.index.volume < 0,
    parseTime: makeTimestampParser(zone),
  };
}

/** Writable bar columns (the rows parsed so far). */
export interface BarColumns {
  t: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  row: Int32Array;
}

/**
 * Parses the text of one non-blank data row into slot `k` (1-based data row `row`, file line `lineNo`),
 * recording each bad field in `problems`. The literal `NaN` parses (validation rejects it with its row).
 */
export function parseCsvRowText(
  line: string,
  lineNo: number,
  row: number,
  k: number,
  layout: CsvLayout,
  bars: BarColumns,
  problems: ProblemList,
): void {
  const { index, dateTime } = layout;
  const f = splitCsvLine(line, layout.delim);
  bars.row[k] = row;
  if (f.length < layout.nNames) {
    problems.add(row, 'row', `has ${f.length} fields, the header has ${layout.nNames} (line ${lineNo})`);
    bars.t[k] = NaN;
    return;
  }
  const tsText = dateTime ? `${f[dateTime[0]].trim()} ${f[dateTime[1]].trim()}` : f[index.timestamp];
  const t = layout.parseTime(tsText);
  if (Number.isNaN(t))
    problems.add(row, 'timestamp', `"${tsText.trim()}" is not a timestamp (line ${lineNo})`);
  bars.t[k] = t;
  for (const fld of PRICE_FIELDS) {
    const s = f[index[fld]];
    const v = parseNumber(s);
    if (Number.isNaN(v) && s.trim().toLowerCase() !== 'nan') {
      problems.add(row, fld, `"${s.trim()}" is not a number (line ${lineNo})`);
    }
    bars[fld][k] = v;
  }
  if (!layout.missingVolume) {
    const s = f[index.volume];
    const v = parseNumber(s);
    if (Number.isNaN(v) && s.trim().toLowerCase() !== 'nan') {
      problems.add(row, 'volume', `"${s.trim()}" is not a number (line ${lineNo})`);
    }
    bars.volume[k] = v;
  } else bars.volume[k] = 0;
}
