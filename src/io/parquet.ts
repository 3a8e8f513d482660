/**
 * Generic typed-column Parquet tables: every tabular output of ironforge (shards, embeddings, motifs, patterns,
 * scores) is written and read through this module.
 *
 * A table is a list of named, typed columns of equal length backed by typed arrays (strings: `string[]`).
 * Encoding goes typed arrays → Arrow (apache-arrow, IPC stream) → parquet-wasm (arrow-rs Parquet writer);
 * decoding the reverse. The files are plain Parquet readable by pyarrow, pandas and DuckDB.
 *
 * Representation choices (documented contract):
 * - `int64` columns are `Float64Array` of integers by default: values must be safe integers (|v| ≤ 2^53 − 1);
 *   epoch milliseconds, counts and ids all fit. Writing accepts `Float64Array` or `BigInt64Array`; reading
 *   returns `Float64Array` (an out-of-range value is an error naming the file, column and row) unless
 *   `{ int64: 'bigint' }` asks for `BigInt64Array`.
 * - `bool` columns are `Uint8Array` of 0/1.
 * - Columns are written non-nullable. When reading files written by other tools, nulls in float columns become
 *   NaN; nulls in any other column type are an error (typed arrays cannot hold them).
 * - Key/value metadata (`metadata`) is stored in the Arrow schema metadata of the file and returned on read
 *   (pyarrow's `pandas` entry shows up there too). `ARROW:schema` is internal and never returned.
 *
 * Identical input and options give byte-identical files (the writer embeds no time stamps).
 */
import {
  Bool,
  DataType,
  Field,
  Float32,
  Float64,
  Int32,
  Int64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableFromIPC,
  tableToIPC,
  Uint32,
  Uint8,
  Utf8,
  type Data,
  type Vector,
} from 'apache-arrow';
import {
  getColumn,
  matrixColumns,
  type Column,
  type ColumnType,
  type ColumnValuesByType,
  type ParquetTable,
} from '../core/index.js';
import { writeFileAtomic } from './atomic.js';
import { encodeParquetDirect } from './parquet-direct.js';
import { readFileExplained } from './read.js';
import {
  codecName,
  encodingName,
  parquetWasm,
  recoverFromTrap,
  type WriterProperties,
} from './parquet-wasm.js';

export { getColumn, matrixColumns, type Column, type ColumnType, type ColumnValuesByType, type ParquetTable };

export type Compression = 'zstd' | 'snappy' | 'none';

/**
 * Which writer encodes: 'arrow-rs' (default: Arrow IPC → parquet-wasm; every codec, dictionary pages) or
 * 'direct' (parquet-direct.ts: PLAIN, uncompressed, no dictionary; a small fixed cost per column).
 */
export type ParquetEngine = 'arrow-rs' | 'direct';

export const PARQUET_ENGINES: readonly ParquetEngine[] = ['arrow-rs', 'direct'];

export interface WriteOptions {
  /** Codec for every column. Default 'zstd' (what the original shards use). */
  compression?: Compression;
  /** Maximum rows per row group. Default 1,048,576 (pyarrow's and arrow-rs's default: one group for us). */
  rowGroupSize?: number;
  /** Extra key/value metadata stored in the file. */
  metadata?: Record<string, string>;
  /**
   * Dictionary encoding: true (all columns, pyarrow's default), false (none), or 'strings' (string columns
   * only; the default). Measured on shards (bench/parquet.ts and the 32 sample shards): dictionary pages on
   * numeric columns made files larger and encoding ~5–10× slower, while repeated strings (session_id, symbol)
   * still benefit.
   */
  dictionary?: boolean | 'strings';
  /** Writer (default 'arrow-rs'). 'direct' writes uncompressed only: another `compression` is an error. */
  engine?: ParquetEngine;
}

export interface ReadOptions {
  /** Read only these columns, returned in this order. Default: all, in file order. */
  columns?: string[];
  /** How int64 columns come back: 'number' (Float64Array, default) or 'bigint' (BigInt64Array). */
  int64?: 'number' | 'bigint';
}

export const DEFAULT_ROW_GROUP_SIZE = 1024 * 1024;

const PARQUET_MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"

type TypedArrayCtor = abstract new (...args: never[]) => ArrayLike<number>;
const TYPED_ARRAY_FOR: Record<
  Exclude<ColumnType, 'string' | 'int64'>,
  { ctor: TypedArrayCtor; name: string }
> = {
  uint8: { ctor: Uint8Array, name: 'Uint8Array' },
  uint32: { ctor: Uint32Array, name: 'Uint32Array' },
  int32: { ctor: Int32Array, name: 'Int32Array' },
  float32: { ctor: Float32Array, name: 'Float32Array' },
  float64: { ctor: Float64Array, name: 'Float64Array' },
  bool: { ctor: Uint8Array, name: 'Uint8Array (0/1)' },
};

// ---------------------------------------------------------------------------------------------------------------
// Encoding

function columnLength(col: Column): number {
  return col.values.length;
}

/** Check names, array kinds and lengths; returns the common row count. Errors name the column. */
function validateColumns(columns: readonly Column[]): number {
  if (columns.length === 0) throw new Error('parquet: a table needs at least one column');
  const seen = new Set<string>();
  const rows = columnLength(columns[0]);
  for (const col of columns) {
    if (typeof col.name !== 'string' || col.name.length === 0)
      throw new Error('parquet: column name must be a non-empty string');
    if (seen.has(col.name)) throw new Error(`parquet: duplicate column name '${col.name}'`);
    seen.add(col.name);
    const t = col.type as ColumnType;
    if (t === 'string') {
      if (!Array.isArray(col.values))
        throw new Error(`parquet: column '${col.name}' (string) needs a string[]`);
    } else if (t === 'int64') {
      if (!(col.values instanceof Float64Array) && !(col.values instanceof BigInt64Array))
        throw new Error(
          `parquet: column '${col.name}' (int64) needs a Float64Array of integers or a BigInt64Array`,
        );
    } else {
      const spec = TYPED_ARRAY_FOR[t];
      if (spec === undefined)
        throw new Error(`parquet: column '${col.name}' has unknown type '${String(t)}'`);
      if (!(col.values instanceof spec.ctor))
        throw new Error(`parquet: column '${col.name}' (${t}) needs a ${spec.name}`);
    }
    if (columnLength(col) !== rows)
      throw new Error(
        `parquet: column '${col.name}' has ${columnLength(col)} rows, expected ${rows} (column '${columns[0].name}')`,
      );
  }
  return rows;
}

function int64Data(col: Column<'int64'>): BigInt64Array {
  if (col.values instanceof BigInt64Array) return col.values;
  const src = col.values;
  const out = new BigInt64Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (!Number.isSafeInteger(v))
      throw new Error(`parquet: column '${col.name}' (int64) row ${i}: ${v} is not a safe integer`);
    out[i] = BigInt(v);
  }
  return out;
}

const encoder = new TextEncoder();

function utf8Data(col: Column<'string'>): { offsets: Int32Array; bytes: Uint8Array } {
  const values = col.values;
  const offsets = new Int32Array(values.length + 1);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const s = values[i];
    if (typeof s !== 'string')
      throw new Error(`parquet: column '${col.name}' (string) row ${i}: ${String(s)} is not a string`);
    total += Buffer.byteLength(s, 'utf8');
    if (total > 0x7fffffff) throw new Error(`parquet: column '${col.name}' (string) exceeds 2 GiB of text`);
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  for (let i = 0; i < values.length; i++)
    encoder.encodeInto(values[i], bytes.subarray(offsets[i], offsets[i + 1]));
  return { offsets, bytes };
}

function boolData(col: Column<'bool'>): Uint8Array {
  const v = col.values;
  const packed = new Uint8Array((v.length + 7) >> 3);
  for (let i = 0; i < v.length; i++) {
    if (v[i] > 1) throw new Error(`parquet: column '${col.name}' (bool) row ${i}: ${v[i]} is not 0 or 1`);
    if (v[i] === 1) packed[i >> 3] |= 1 << (i & 7);
  }
  return packed;
}

/** Arrow data for one column (no nulls). */
function arrowColumn(col: Column, length: number): { field: Field; data: Data } {
  let data: Data;
  switch (col.type) {
    case 'uint8':
      data = makeData({ type: new Uint8(), length, nullCount: 0, data: col.values });
      break;
    case 'uint32':
      data = makeData({ type: new Uint32(), length, nullCount: 0, data: col.values });
      break;
    case 'int32':
      data = makeData({ type: new Int32(), length, nullCount: 0, data: col.values });
      break;
    case 'int64':
      data = makeData({ type: new Int64(), length, nullCount: 0, data: int64Data(col) });
      break;
    case 'float32':
      data = makeData({ type: new Float32(), length, nullCount: 0, data: col.values });
      break;
    case 'float64':
      data = makeData({ type: new Float64(), length, nullCount: 0, data: col.values });
      break;
    case 'bool':
      data = makeData({ type: new Bool(), length, nullCount: 0, data: boolData(col) });
      break;
    case 'string': {
      const { offsets, bytes } = utf8Data(col);
      data = makeData({ type: new Utf8(), length, nullCount: 0, valueOffsets: offsets, data: bytes });
      break;
    }
  }
  return { field: new Field(col.name, data.type, false), data };
}

function writerProperties(opts: WriteOptions, columns: readonly Column[]): WriterProperties {
  const pq = parquetWasm();
  const compression = opts.compression ?? 'zstd';
  const codes: Record<Compression, number> = {
    zstd: pq.Compression.ZSTD,
    snappy: pq.Compression.SNAPPY,
    none: pq.Compression.UNCOMPRESSED,
  };
  const code = Object.hasOwn(codes, compression) ? codes[compression] : undefined;
  if (code === undefined)
    throw new Error(`parquet: compression must be one of zstd|snappy|none, got '${String(compression)}'`);
  const dictionary = opts.dictionary ?? 'strings';
  if (dictionary !== true && dictionary !== false && dictionary !== 'strings')
    throw new Error(`parquet: dictionary must be true, false or 'strings', got ${String(dictionary)}`);
  const rowGroupSize = opts.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1)
    throw new Error(`parquet: rowGroupSize must be a positive integer, got ${rowGroupSize}`);
  // Builder methods consume the builder and return a new one (wasm-bindgen by-value self): always reassign.
  let builder = new pq.WriterPropertiesBuilder()
    .setCompression(code)
    .setMaxRowGroupSize(rowGroupSize)
    .setDictionaryEnabled(dictionary === true);
  if (dictionary === 'strings') {
    for (const c of columns)
      if (c.type === 'string') builder = builder.setColumnDictionaryEnabled(c.name, true);
  }
  // Also put user metadata in the Parquet footer's key/value list (arrow-rs only embeds it inside ARROW:schema),
  // so DuckDB's parquet_kv_metadata and pyarrow's schema.metadata both show it.
  const kv = Object.entries(opts.metadata ?? {});
  if (kv.length > 0) builder = builder.setKeyValueMetadata(new Map(kv));
  return builder.build();
}

/**
 * Encode columns as a Parquet file in memory. Validates names, array kinds and lengths first; errors name the
 * offending column. Pure: same columns and options ⇒ byte-identical output.
 */
export function encodeParquet(columns: readonly Column[], opts: WriteOptions = {}): Uint8Array {
  const rows = validateColumns(columns);
  const meta = new Map(Object.entries(opts.metadata ?? {}));
  for (const [k, v] of meta) {
    if (typeof v !== 'string') throw new Error(`parquet: metadata '${k}' must be a string, got ${typeof v}`);
    if (k === 'ARROW:schema') throw new Error(`parquet: metadata key 'ARROW:schema' is reserved`);
  }
  const engine = opts.engine ?? 'arrow-rs';
  if (!PARQUET_ENGINES.includes(engine))
    throw new Error(`parquet: engine must be one of ${PARQUET_ENGINES.join('|')}, got '${String(engine)}'`);
  if (engine === 'direct') {
    const compression = opts.compression ?? 'zstd';
    if (compression !== 'none')
      throw new Error(
        `parquet: the direct engine writes uncompressed only (compression 'none'), got '${String(compression)}'`,
      );
    const rowGroupSize = opts.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
    if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1)
      throw new Error(`parquet: rowGroupSize must be a positive integer, got ${rowGroupSize}`);
    return encodeParquetDirect(columns, rows, { rowGroupSize, metadata: opts.metadata });
  }
  const parts = columns.map((c) => arrowColumn(c, rows));
  const props = writerProperties(opts, columns);
  const schema = new Schema(
    parts.map((p) => p.field),
    meta,
  );
  const struct = makeData({
    type: new Struct(schema.fields),
    length: rows,
    nullCount: 0,
    children: parts.map((p) => p.data),
  });
  const ipc = tableToIPC(new Table([new RecordBatch(schema, struct)]), 'stream');
  try {
    const pq = parquetWasm();
    return pq.writeParquet(pq.Table.fromIPCStream(ipc), props);
  } catch (err) {
    recoverFromTrap(err);
    throw new Error(`parquet: encoding failed: ${errorText(err)}`, { cause: err });
  }
}

/** Encode and write atomically (temp file + fsync + rename): `path` is never left half-written. */
export async function writeParquet(
  path: string,
  columns: readonly Column[],
  opts: WriteOptions = {},
): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = encodeParquet(columns, opts);
  } catch (err) {
    throw new Error(`${(err as Error).message} (writing ${path})`, { cause: err });
  }
  await writeFileAtomic(path, bytes);
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Reject obviously non-Parquet bytes before they reach the decoder, with a message a user can act on. */
function checkMagic(bytes: Uint8Array, source: string): void {
  if (bytes.length === 0) throw new Error(`parquet: ${source} is empty (0 bytes), not a Parquet file`);
  const head = PARQUET_MAGIC.every((b, i) => bytes[i] === b);
  if (!head) throw new Error(`parquet: ${source} is not a Parquet file (no PAR1 magic at the start)`);
  const n = bytes.length;
  const tail = n >= 12 && PARQUET_MAGIC.every((b, i) => bytes[n - 4 + i] === b);
  if (!tail)
    throw new Error(`parquet: ${source} is truncated or corrupt (no PAR1 magic at the end, ${n} bytes)`);
}

/** Our column type for an Arrow type, or null when there is none. Dictionary-encoded text counts as string. */
function columnTypeOf(type: DataType): ColumnType | null {
  if (DataType.isInt(type)) {
    const t = type as unknown as { bitWidth: number; isSigned: boolean };
    if (t.bitWidth === 8 && !t.isSigned) return 'uint8';
    if (t.bitWidth === 32 && !t.isSigned) return 'uint32';
    if (t.bitWidth === 32 && t.isSigned) return 'int32';
    if (t.bitWidth === 64 && t.isSigned) return 'int64';
    return null;
  }
  if (DataType.isFloat(type)) {
    const p = (type as Float32).precision;
    return p === 1 ? 'float32' : p === 2 ? 'float64' : null;
  }
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return 'string';
  if (DataType.isBool(type)) return 'bool';
  if (DataType.isDictionary(type)) {
    const v = (type as unknown as { dictionary: DataType }).dictionary;
    return DataType.isUtf8(v) || DataType.isLargeUtf8(v) ? 'string' : null;
  }
  return null;
}

function decodeColumn(vec: Vector, name: string, source: string, int64: 'number' | 'bigint'): Column {
  const type = columnTypeOf(vec.type);
  if (type === null)
    throw new Error(`parquet: ${source}: column '${name}' has unsupported type ${String(vec.type)}`);
  const n = vec.length;
  const nulls = vec.nullCount;
  if (nulls > 0 && type !== 'float32' && type !== 'float64')
    throw new Error(
      `parquet: ${source}: column '${name}' (${type}) has ${nulls} null(s); only float columns may hold nulls (read as NaN)`,
    );
  switch (type) {
    case 'float32':
    case 'float64': {
      const values = type === 'float32' ? new Float32Array(n) : new Float64Array(n);
      values.set(vec.toArray() as ArrayLike<number>);
      if (nulls > 0) for (let i = 0; i < n; i++) if (!vec.isValid(i)) values[i] = NaN;
      return { name, type, values } as Column;
    }
    case 'uint8':
      return { name, type, values: Uint8Array.from(vec.toArray() as Uint8Array) };
    case 'uint32':
      return { name, type, values: Uint32Array.from(vec.toArray() as Uint32Array) };
    case 'int32':
      return { name, type, values: Int32Array.from(vec.toArray() as Int32Array) };
    case 'int64': {
      const raw = vec.toArray() as BigInt64Array;
      if (int64 === 'bigint') return { name, type, values: BigInt64Array.from(raw) };
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = Number(raw[i]);
        if (!Number.isSafeInteger(v))
          throw new Error(
            `parquet: ${source}: column '${name}' (int64) row ${i}: ${raw[i]} exceeds 2^53; read with { int64: 'bigint' }`,
          );
        values[i] = v;
      }
      return { name, type, values };
    }
    case 'bool': {
      const values = new Uint8Array(n);
      for (let i = 0; i < n; i++) values[i] = vec.get(i) ? 1 : 0;
      return { name, type, values };
    }
    case 'string': {
      const values: string[] = new Array(n);
      for (let i = 0; i < n; i++) values[i] = vec.get(i) as string;
      return { name, type, values };
    }
  }
}

function schemaOf(bytes: Uint8Array, source: string): Schema {
  try {
    return tableFromIPC(parquetWasm().readSchema(bytes).intoIPCStream()).schema;
  } catch (err) {
    recoverFromTrap(err);
    throw new Error(`parquet: ${source} is corrupt (cannot read the footer/schema): ${errorText(err)}`, {
      cause: err,
    });
  }
}

/**
 * Decode a Parquet file held in memory. `source` names it in error messages (a path, by default '<bytes>').
 * Errors: not Parquet / truncated / corrupt (naming `source`), a requested column that is missing, a column of
 * an unsupported type, nulls in a non-float column (naming the column).
 */
export function decodeParquet(bytes: Uint8Array, opts: ReadOptions = {}, source = '<bytes>'): ParquetTable {
  checkMagic(bytes, source);
  const int64 = opts.int64 ?? 'number';
  let wanted: string[] | undefined;
  if (opts.columns !== undefined) {
    const available = schemaOf(bytes, source).fields.map((f) => f.name);
    for (const c of opts.columns) {
      if (!available.includes(c))
        throw new Error(`parquet: ${source} has no column '${c}' (columns: ${available.join(', ')})`);
    }
    wanted = opts.columns;
  }
  let table: Table;
  try {
    const wasmTable = parquetWasm().readParquet(bytes, wanted ? { columns: wanted } : undefined);
    table = tableFromIPC(wasmTable.intoIPCStream());
  } catch (err) {
    recoverFromTrap(err);
    throw new Error(`parquet: ${source} is corrupt or unreadable: ${errorText(err)}`, { cause: err });
  }
  const names = wanted ?? table.schema.fields.map((f) => f.name);
  const columns = names.map((name) => {
    const vec = table.getChild(name);
    if (vec === null) throw new Error(`parquet: ${source}: column '${name}' missing after decoding`);
    return decodeColumn(vec, name, source, int64);
  });
  const metadata: Record<string, string> = {};
  for (const [k, v] of table.schema.metadata) if (k !== 'ARROW:schema') metadata[k] = v;
  return { source, numRows: table.numRows, columns, metadata };
}

/** Read a Parquet file into typed columns. See {@link decodeParquet} for options and errors. */
export async function readParquet(path: string, opts: ReadOptions = {}): Promise<ParquetTable> {
  return decodeParquet(await readFileExplained(path, 'parquet: '), opts, path);
}

// ---------------------------------------------------------------------------------------------------------------
// Metadata

export interface ParquetColumnChunkInfo {
  name: string;
  codec: string;
  compressedBytes: number;
  uncompressedBytes: number;
  numValues: number;
  /** Encodings used in the chunk, e.g. ['PLAIN', 'RLE', 'RLE_DICTIONARY']. */
  encodings: string[];
}

export interface ParquetRowGroupInfo {
  numRows: number;
  compressedBytes: number;
  uncompressedBytes: number;
  columns: ParquetColumnChunkInfo[];
}

export interface ParquetFieldInfo {
  name: string;
  /** Our column type, or null when the Arrow type has no ironforge equivalent. */
  type: ColumnType | null;
  /** The Arrow type as text, e.g. 'Uint32', 'Utf8'. */
  arrowType: string;
  nullable: boolean;
}

export interface ParquetFileInfo {
  source: string;
  sizeBytes: number;
  numRows: number;
  createdBy: string | null;
  rowGroups: ParquetRowGroupInfo[];
  /** Distinct codecs over all column chunks, sorted. */
  codecs: string[];
  schema: ParquetFieldInfo[];
  /** File key/value metadata, without the internal 'ARROW:schema' entry. */
  keyValue: Record<string, string>;
}

/** Footer facts about in-memory Parquet bytes: row groups, codecs, schema. */
export async function parquetMetadataOf(bytes: Uint8Array, source = '<bytes>'): Promise<ParquetFileInfo> {
  checkMagic(bytes, source);
  const schema = schemaOf(bytes, source);
  let info: Omit<ParquetFileInfo, 'schema' | 'source' | 'sizeBytes'>;
  try {
    const file = await parquetWasm().ParquetFile.fromFile(new Blob([bytes as Uint8Array<ArrayBuffer>]));
    const md = file.metadata();
    const fmd = md.fileMetadata();
    const rowGroups = md.rowGroups().map((rg) => ({
      numRows: rg.numRows(),
      compressedBytes: rg.compressedSize(),
      uncompressedBytes: rg.totalByteSize(),
      columns: rg.columns().map((c) => ({
        name: c.columnPath().join('.'),
        codec: codecName(c.compression()),
        compressedBytes: c.compressedSize(),
        uncompressedBytes: c.uncompressedSize(),
        numValues: c.numValues(),
        encodings: c.encodings().map(encodingName),
      })),
    }));
    const keyValue: Record<string, string> = {};
    for (const [k, v] of fmd.keyValueMetadata() as Map<string, string>)
      if (k !== 'ARROW:schema') keyValue[k] = v;
    const codecs = [...new Set(rowGroups.flatMap((rg) => rg.columns.map((c) => c.codec)))].sort();
    info = { numRows: fmd.numRows(), createdBy: fmd.createdBy() ?? null, rowGroups, codecs, keyValue };
    file.free();
  } catch (err) {
    recoverFromTrap(err);
    throw new Error(`parquet: ${source} is corrupt (cannot read the footer): ${errorText(err)}`, {
      cause: err,
    });
  }
  return {
    source,
    sizeBytes: bytes.length,
    ...info,
    schema: schema.fields.map((f) => ({
      name: f.name,
      type: columnTypeOf(f.type),
      arrowType: String(f.type),
      nullable: f.nullable,
    })),
  };
}

/** Footer facts about a Parquet file (for tests and `doctor`): row groups, codec per column chunk, schema. */
export async function parquetMetadata(path: string): Promise<ParquetFileInfo> {
  return parquetMetadataOf(await readFileExplained(path, 'parquet: '), path);
}
