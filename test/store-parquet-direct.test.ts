/**
 * The direct Parquet writer (engine 'direct', io/parquet-direct.ts): what it writes must read back exactly
 * through our decoder (parquet-wasm/arrow-rs) and through two independent readers (hyparquet, DuckDB), with the
 * same column types as the arrow-rs writer's files, so every existing reader keeps working on its output.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { parquetReadObjects } from 'hyparquet';
import {
  DIRECT_CREATED_BY,
  decodeParquet,
  encodeParquet,
  matrixColumns,
  parquetMetadataOf,
  type Column,
} from '../src/io/index.js';
import { tempDirWithDuckDb } from './helpers/duckdb-fixture.js';
import { allTypesTable, assertColumnsEqual } from './helpers/parquet-tables.js';

const fx = tempDirWithDuckDb('ironforge-parquet-direct-');

const direct = (cols: readonly Column[], rowGroupSize?: number, metadata?: Record<string, string>) =>
  encodeParquet(cols, { compression: 'none', engine: 'direct', rowGroupSize, metadata });

describe('direct writer: round trip through our decoder', () => {
  for (const rowGroupSize of [7, 64, 1024 * 1024]) {
    test(`every column type, rowGroupSize ${rowGroupSize}`, async () => {
      const rows = 150;
      const cols = allTypesTable(rows, 11);
      const bytes = direct(cols, rowGroupSize);
      const t = decodeParquet(bytes);
      assert.equal(t.numRows, rows);
      assertColumnsEqual(t.columns, cols);
      const info = await parquetMetadataOf(bytes);
      assert.equal(info.rowGroups.length, Math.ceil(rows / rowGroupSize));
      assert.equal(
        info.rowGroups.reduce((a, g) => a + g.numRows, 0),
        rows,
      );
      assert.deepEqual(info.codecs, ['UNCOMPRESSED']);
      assert.equal(info.createdBy, DIRECT_CREATED_BY);
      // The same column types as the arrow-rs writer gives: readers cannot tell the writers apart by schema.
      const viaArrow = await parquetMetadataOf(encodeParquet(cols, { compression: 'none' }));
      assert.deepEqual(
        info.schema.map((f) => `${f.name}:${f.type}`),
        viaArrow.schema.map((f) => `${f.name}:${f.type}`),
      );
    });
  }

  test('int64 given as BigInt64Array, and values past 2^32 and below 0', () => {
    const big = BigInt64Array.of(0n, -1n, 2n ** 62n, -(2n ** 62n));
    const num = Float64Array.of(0, -1, 2 ** 40 + 3, -(2 ** 40) - 3);
    const t = decodeParquet(
      direct([
        { name: 'b', type: 'int64', values: big },
        { name: 'n', type: 'int64', values: num },
      ]),
      { int64: 'bigint' },
    );
    assert.deepEqual(Array.from(t.columns[0].values as BigInt64Array), Array.from(big));
    assert.deepEqual(
      Array.from(t.columns[1].values as BigInt64Array),
      Array.from(num, (v) => BigInt(v)),
    );
  });

  test('empty table (0 rows) keeps its schema', () => {
    const cols: Column[] = [
      { name: 'a', type: 'float64', values: new Float64Array(0) },
      { name: 's', type: 'string', values: [] },
    ];
    const t = decodeParquet(direct(cols));
    assert.equal(t.numRows, 0);
    assertColumnsEqual(t.columns, cols);
  });

  test('a wide table (the canary node table: 96 columns, 1,000 rows) reads back equal', () => {
    const n = 1000;
    const feats = Float32Array.from({ length: n * 93 }, (_, i) => Math.sin(i) * 1e3);
    const cols: Column[] = [
      { name: 't', type: 'int64', values: Float64Array.from({ length: n }, (_, i) => 1.75e12 + i * 60_000) },
      { name: 'kind', type: 'uint8', values: Uint8Array.from({ length: n }, (_, i) => i % 7) },
      { name: 'price', type: 'float64', values: Float64Array.from({ length: n }, (_, i) => 21000 + i / 4) },
      ...matrixColumns('f', feats, n, 93),
    ];
    assertColumnsEqual(decodeParquet(direct(cols)).columns, cols);
  });

  test('key/value metadata is returned on read', async () => {
    const bytes = direct([{ name: 'x', type: 'int32', values: Int32Array.of(1, 2) }], undefined, {
      'ironforge.table': 'scores',
      version: '1',
    });
    assert.deepEqual(decodeParquet(bytes).metadata, { 'ironforge.table': 'scores', version: '1' });
    assert.deepEqual((await parquetMetadataOf(bytes)).keyValue, {
      'ironforge.table': 'scores',
      version: '1',
    });
  });
});

describe('direct writer: determinism and refusals', () => {
  test('identical input ⇒ byte-identical bytes; other content ⇒ other bytes', () => {
    const a = direct(allTypesTable(500, 5), 100);
    const b = direct(allTypesTable(500, 5), 100);
    assert.ok(Buffer.from(a).equals(Buffer.from(b)));
    assert.ok(!Buffer.from(direct(allTypesTable(500, 6), 100)).equals(Buffer.from(a)));
  });

  test('a codec other than none, an unknown engine, bad values: errors naming what is wrong', () => {
    const x: Column = { name: 'x', type: 'int32', values: Int32Array.of(1) };
    assert.throws(
      () => encodeParquet([x], { compression: 'zstd', engine: 'direct' }),
      /direct engine writes uncompressed only.*'zstd'/,
    );
    assert.throws(
      () => encodeParquet([x], { engine: 'fast' as 'direct' }),
      /engine must be one of arrow-rs\|direct, got 'fast'/,
    );
    assert.throws(
      () => direct([{ name: 't', type: 'int64', values: Float64Array.of(1, 0.5) }]),
      /column 't' \(int64\) row 1: 0.5 is not a safe integer/,
    );
    assert.throws(
      () => direct([{ name: 'b', type: 'bool', values: Uint8Array.of(0, 2) }]),
      /column 'b' \(bool\) row 1: 2 is not 0 or 1/,
    );
    assert.throws(() => direct([x, { ...x }]), /duplicate column name 'x'/);
  });
});

describe('direct writer: independent readers', () => {
  test('hyparquet reads every value', async () => {
    const cols = allTypesTable(200, 31);
    const bytes = direct(cols, 64);
    const rows = (await parquetReadObjects({
      file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer,
    })) as Record<string, unknown>[];
    assert.equal(rows.length, 200);
    for (let i = 0; i < rows.length; i++) {
      for (const c of cols) {
        const want: unknown =
          c.type === 'int64'
            ? BigInt(c.values[i] as number)
            : c.type === 'bool'
              ? c.values[i] === 1
              : c.values[i];
        if (!Object.is(rows[i][c.name], want))
          assert.fail(
            `row ${i} column ${c.name}: hyparquet ${String(rows[i][c.name])}, ours ${String(want)}`,
          );
      }
    }
  });

  test('DuckDB reads values, types, row groups and codec', async () => {
    const cols = allTypesTable(300, 21);
    const path = join(fx.dir, 'direct.parquet');
    await writeFile(path, direct(cols, 64, { k: 'v' }));
    const types = await fx.duck.runAndReadAll(`describe select * from read_parquet('${path}')`);
    assert.deepEqual(
      types.getRowObjectsJS().map((r) => `${r.column_name}:${r.column_type}`),
      [
        'u8:UTINYINT',
        'u32:UINTEGER',
        'i32:INTEGER',
        'i64:BIGINT',
        'f32:FLOAT',
        'f64:DOUBLE',
        'str:VARCHAR',
        'flag:BOOLEAN',
      ],
    );
    const rows = (await fx.duck.runAndReadAll(`select * from read_parquet('${path}')`)).getRowObjects();
    assert.equal(rows.length, 300);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const got = [Number(r.u8), Number(r.u32), Number(r.i32), Number(r.i64), r.f32, r.f64, r.str, r.flag];
      const want = cols.map((c) =>
        c.type === 'bool' ? c.values[i] === 1 : c.type === 'string' ? c.values[i] : Number(c.values[i]),
      );
      for (let k = 0; k < want.length; k++)
        if (!Object.is(got[k], want[k]))
          assert.fail(`row ${i} column ${cols[k].name}: DuckDB ${String(got[k])}, ours ${String(want[k])}`);
    }
    const md = await fx.duck.runAndReadAll(
      `select count(distinct row_group_id) as groups, list(distinct compression) as codecs from parquet_metadata('${path}')`,
    );
    const m = md.getRowObjectsJS()[0];
    assert.equal(Number(m.groups), Math.ceil(300 / 64));
    assert.deepEqual(m.codecs, ['UNCOMPRESSED']);
  });
});
