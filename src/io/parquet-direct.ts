/**
 * The `direct` Parquet writer: typed columns straight to Parquet bytes (PLAIN encoding, uncompressed, required
 * columns, one data page per column chunk), with the footer written in Thrift compact protocol here.
 *
 * Why it exists: the general writer (`engine: 'arrow-rs'`) goes typed arrays → Arrow IPC (apache-arrow) →
 * parquet-wasm → arrow-rs, and pays a fixed cost per column at every hop (IPC field metadata, wasm column
 * writers, page bookkeeping). On the canary's node table (96 columns of ≤ 1,024 rows) that fixed cost is nearly
 * all of the encode time: it does not grow with the rows (bench/parquet.ts, "per-column cost"). Here a column
 * costs one page header and one copy of its bytes.
 *
 * What it writes is plain Parquet 1.0 (format version 1): the same schema as the general writer (uint8/uint32 as
 * INT32 with the unsigned INTEGER logical type, strings as BYTE_ARRAY UTF8, int64 as INT64, bool bit-packed),
 * read back by parquet-wasm (`decodeParquet`), hyparquet and DuckDB (test/store-parquet-direct.test.ts). No
 * statistics, no dictionary, no compression: a caller that wants ZSTD uses the general writer.
 *
 * Deterministic: the bytes depend only on the columns and options (no clock, no random).
 */
import { endianness } from 'node:os';
import type { Column } from '../core/index.js';

// Parquet enums (parquet.thrift).
const TYPE = { BOOLEAN: 0, INT32: 1, INT64: 2, FLOAT: 4, DOUBLE: 5, BYTE_ARRAY: 6 } as const;
const CONVERTED = { UTF8: 0, UINT_8: 11, UINT_32: 13 } as const;
const ENCODING_PLAIN = 0;
const ENCODING_RLE = 3;
const REQUIRED = 0;
const CODEC_UNCOMPRESSED = 0;
const PAGE_DATA = 0;

// Thrift compact protocol type ids.
const CT = { TRUE: 1, FALSE: 2, BYTE: 3, I16: 4, I32: 5, I64: 6, BINARY: 8, LIST: 9, STRUCT: 12 } as const;

const LITTLE_ENDIAN = endianness() === 'LE';
const utf8 = new TextEncoder();

/** A growable byte buffer with the Thrift compact protocol's primitives. */
class ByteSink {
  buf: Uint8Array;
  len = 0;
  private fieldStack: number[] = [];
  private lastField = 0;

  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(64, capacity));
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** Unsigned varint of a non-negative safe integer (arithmetic, not bit operations: values may pass 2^31). */
  varint(v: number): void {
    this.ensure(10);
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }

  /** Zigzag varint (i16/i32/i64 in the compact protocol) of a safe integer. */
  zigzag(v: number): void {
    this.varint(v >= 0 ? 2 * v : -2 * v - 1);
  }

  fieldHeader(id: number, type: number): void {
    const delta = id - this.lastField;
    if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
    else {
      this.byte(type);
      this.zigzag(id);
    }
    this.lastField = id;
  }

  i32(id: number, v: number): void {
    this.fieldHeader(id, CT.I32);
    this.zigzag(v);
  }

  i64(id: number, v: number): void {
    this.fieldHeader(id, CT.I64);
    this.zigzag(v);
  }

  i16(id: number, v: number): void {
    this.fieldHeader(id, CT.I16);
    this.zigzag(v);
  }

  i8(id: number, v: number): void {
    this.fieldHeader(id, CT.BYTE);
    this.byte(v & 0xff);
  }

  bool(id: number, v: boolean): void {
    this.fieldHeader(id, v ? CT.TRUE : CT.FALSE);
  }

  binary(b: Uint8Array): void {
    this.varint(b.length);
    this.bytes(b);
  }

  string(id: number, s: string): void {
    this.fieldHeader(id, CT.BINARY);
    this.binary(utf8.encode(s));
  }

  listHeader(id: number, elemType: number, size: number): void {
    this.fieldHeader(id, CT.LIST);
    if (size < 15) this.byte((size << 4) | elemType);
    else {
      this.byte(0xf0 | elemType);
      this.varint(size);
    }
  }

  /** Begin a struct (as field `id`, or as a list element / top-level value when id is null). */
  beginStruct(id: number | null): void {
    if (id !== null) this.fieldHeader(id, CT.STRUCT);
    this.fieldStack.push(this.lastField);
    this.lastField = 0;
  }

  endStruct(): void {
    this.byte(0);
    this.lastField = this.fieldStack.pop() ?? 0;
  }

  result(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

/** Physical type, converted type and logical-type writer of a column type. */
function schemaOf(col: Column): { type: number; converted?: number; logical?: (s: ByteSink) => void } {
  const unsignedInt = (bits: number) => (s: ByteSink) => {
    s.beginStruct(10); // LogicalType.INTEGER
    s.i8(1, bits);
    s.bool(2, false);
    s.endStruct();
  };
  switch (col.type) {
    case 'uint8':
      return { type: TYPE.INT32, converted: CONVERTED.UINT_8, logical: unsignedInt(8) };
    case 'uint32':
      return { type: TYPE.INT32, converted: CONVERTED.UINT_32, logical: unsignedInt(32) };
    case 'int32':
      return { type: TYPE.INT32 };
    case 'int64':
      return { type: TYPE.INT64 };
    case 'float32':
      return { type: TYPE.FLOAT };
    case 'float64':
      return { type: TYPE.DOUBLE };
    case 'bool':
      return { type: TYPE.BOOLEAN };
    case 'string':
      return {
        type: TYPE.BYTE_ARRAY,
        converted: CONVERTED.UTF8,
        logical: (s) => {
          s.beginStruct(1); // LogicalType.STRING
          s.endStruct();
        },
      };
  }
}

/** Little-endian bytes of rows [from, to) of a typed array (a view when the platform is little-endian). */
function leBytes(
  values: Float32Array | Float64Array | Int32Array | Uint32Array,
  from: number,
  to: number,
): Uint8Array {
  const bpe = values.BYTES_PER_ELEMENT;
  if (LITTLE_ENDIAN) return new Uint8Array(values.buffer, values.byteOffset + from * bpe, (to - from) * bpe);
  const out = new Uint8Array((to - from) * bpe);
  const dv = new DataView(out.buffer);
  for (let i = from; i < to; i++) {
    const o = (i - from) * bpe;
    if (values instanceof Float32Array) dv.setFloat32(o, values[i], true);
    else if (values instanceof Float64Array) dv.setFloat64(o, values[i], true);
    else if (values instanceof Int32Array) dv.setInt32(o, values[i], true);
    else dv.setUint32(o, values[i], true);
  }
  return out;
}

/** PLAIN page body of rows [from, to) of one column. Errors name the column and row. */
function plainValues(col: Column, from: number, to: number): Uint8Array {
  const count = to - from;
  switch (col.type) {
    case 'float32':
    case 'float64':
    case 'int32':
    case 'uint32':
      return leBytes(col.values as Float32Array | Float64Array | Int32Array | Uint32Array, from, to);
    case 'uint8': {
      const v = col.values as Uint8Array;
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = v[from + i];
      return leBytes(out, 0, count);
    }
    case 'int64': {
      const out = new Uint8Array(count * 8);
      const dv = new DataView(out.buffer);
      const v = col.values as Float64Array | BigInt64Array;
      if (v instanceof BigInt64Array) {
        for (let i = 0; i < count; i++) dv.setBigInt64(i * 8, v[from + i], true);
        return out;
      }
      for (let i = 0; i < count; i++) {
        const x = v[from + i];
        if (!Number.isSafeInteger(x))
          throw new Error(
            `parquet: column '${col.name}' (int64) row ${from + i}: ${x} is not a safe integer`,
          );
        const hi = Math.floor(x / 4294967296);
        dv.setUint32(i * 8, x - hi * 4294967296, true);
        dv.setInt32(i * 8 + 4, hi, true);
      }
      return out;
    }
    case 'bool': {
      const v = col.values as Uint8Array;
      const out = new Uint8Array((count + 7) >> 3);
      for (let i = 0; i < count; i++) {
        const b = v[from + i];
        if (b > 1)
          throw new Error(`parquet: column '${col.name}' (bool) row ${from + i}: ${b} is not 0 or 1`);
        if (b === 1) out[i >> 3] |= 1 << (i & 7);
      }
      return out;
    }
    case 'string': {
      const v = col.values as string[];
      const parts: Uint8Array[] = new Array(count);
      let total = 0;
      for (let i = 0; i < count; i++) {
        const s = v[from + i];
        if (typeof s !== 'string')
          throw new Error(
            `parquet: column '${col.name}' (string) row ${from + i}: ${String(s)} is not a string`,
          );
        parts[i] = utf8.encode(s);
        total += 4 + parts[i].length;
      }
      const out = new Uint8Array(total);
      const dv = new DataView(out.buffer);
      let o = 0;
      for (const p of parts) {
        dv.setUint32(o, p.length, true);
        out.set(p, o + 4);
        o += 4 + p.length;
      }
      return out;
    }
  }
}

interface ChunkInfo {
  offset: number;
  size: number;
}

/** `created_by` of files this writer makes (readers key known-bug workarounds on it; this names no other tool). */
export const DIRECT_CREATED_BY = 'ironforge direct parquet writer 1';

/**
 * Encode validated columns of `rows` rows as Parquet bytes (see the module comment). `rowGroupSize` ≥ 1 rows
 * per row group; `metadata` goes to the footer's key/value list.
 */
export function encodeParquetDirect(
  columns: readonly Column[],
  rows: number,
  opts: { rowGroupSize: number; metadata?: Record<string, string> },
): Uint8Array {
  const groupSize = opts.rowGroupSize;
  const groups = rows === 0 ? 0 : Math.ceil(rows / groupSize);
  let estimate = 1024;
  for (const c of columns)
    estimate += 64 * Math.max(1, groups) + rows * (c.type === 'float64' || c.type === 'int64' ? 8 : 4);
  const out = new ByteSink(estimate);
  out.bytes(new Uint8Array([0x50, 0x41, 0x52, 0x31]));
  const chunks: ChunkInfo[][] = [];
  for (let g = 0; g < groups; g++) {
    const from = g * groupSize;
    const to = Math.min(rows, from + groupSize);
    const row: ChunkInfo[] = [];
    for (const col of columns) {
      const body = plainValues(col, from, to);
      const offset = out.len;
      out.beginStruct(null); // PageHeader
      out.i32(1, PAGE_DATA);
      out.i32(2, body.length);
      out.i32(3, body.length);
      out.beginStruct(5); // DataPageHeader
      out.i32(1, to - from);
      out.i32(2, ENCODING_PLAIN);
      out.i32(3, ENCODING_RLE);
      out.i32(4, ENCODING_RLE);
      out.endStruct();
      out.endStruct();
      out.bytes(body);
      row.push({ offset, size: out.len - offset });
    }
    chunks.push(row);
  }
  const footerStart = out.len;
  out.beginStruct(null); // FileMetaData
  out.i32(1, 1);
  out.listHeader(2, CT.STRUCT, columns.length + 1);
  out.beginStruct(null); // root
  out.string(4, 'schema');
  out.i32(5, columns.length);
  out.endStruct();
  for (const col of columns) {
    const s = schemaOf(col);
    out.beginStruct(null);
    out.i32(1, s.type);
    out.i32(3, REQUIRED);
    out.string(4, col.name);
    if (s.converted !== undefined) out.i32(6, s.converted);
    if (s.logical) {
      out.beginStruct(10);
      s.logical(out);
      out.endStruct();
    }
    out.endStruct();
  }
  out.i64(3, rows);
  out.listHeader(4, CT.STRUCT, groups);
  for (let g = 0; g < groups; g++) {
    const from = g * groupSize;
    const n = Math.min(rows, from + groupSize) - from;
    const row = chunks[g];
    const total = row.reduce((a, c) => a + c.size, 0);
    out.beginStruct(null); // RowGroup
    out.listHeader(1, CT.STRUCT, columns.length);
    columns.forEach((col, j) => {
      const ck = row[j];
      out.beginStruct(null); // ColumnChunk
      out.i64(2, ck.offset);
      out.beginStruct(3); // ColumnMetaData
      out.i32(1, schemaOf(col).type);
      out.listHeader(2, CT.I32, 1);
      out.zigzag(ENCODING_PLAIN);
      out.listHeader(3, CT.BINARY, 1);
      out.binary(utf8.encode(col.name));
      out.i32(4, CODEC_UNCOMPRESSED);
      out.i64(5, n);
      out.i64(6, ck.size);
      out.i64(7, ck.size);
      out.i64(9, ck.offset);
      out.endStruct();
      out.endStruct();
    });
    out.i64(2, total);
    out.i64(3, n);
    out.i64(5, row[0].offset);
    out.i64(6, total);
    out.i16(7, g);
    out.endStruct();
  }
  const kv = Object.entries(opts.metadata ?? {});
  if (kv.length > 0) {
    out.listHeader(5, CT.STRUCT, kv.length);
    for (const [k, v] of kv) {
      out.beginStruct(null);
      out.string(1, k);
      out.string(2, v);
      out.endStruct();
    }
  }
  out.string(6, DIRECT_CREATED_BY);
  out.endStruct();
  const footerLen = out.len - footerStart;
  out.bytes(
    new Uint8Array([footerLen & 0xff, (footerLen >>> 8) & 0xff, (footerLen >>> 16) & 0xff, footerLen >>> 24]),
  );
  out.bytes(new Uint8Array([0x50, 0x41, 0x52, 0x31]));
  return out.result().slice();
}
