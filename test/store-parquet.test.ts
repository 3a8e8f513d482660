import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirWithDuckDb } from './helpers/duckdb-fixture.js';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { Rng } from '../src/stats/random.js';
import { allTypesTable, assertColumnsEqual } from './helpers/parquet-tables.js';
import { writeFileAtomic, writeFileAtomicSync, writeDirAtomic } from '../src/io/atomic.js';
import {
  decodeParquet,
  encodeParquet,
  getColumn,
  parquetMetadata,
  readParquet,
  writeParquet,
  type Column,
  type Compression,
} from '../src/io/parquet.js';
import { wasmReloadCount } from '../src/io/parquet-wasm.js';

const SAMPLE_NODES = 'data/sample/shards/shard_NY_2025-07-30/nodes.parquet';

const fx = tempDirWithDuckDb('ironforge-store-parquet-');

describe('round trip', () => {
  const codecs: Compression[] = ['zstd', 'snappy', 'none'];
  const rowGroupSizes = [7, 64, 1024 * 1024];
  const rows = 150;
  for (const compression of codecs) {
    for (const rowGroupSize of rowGroupSizes) {
      test(`every column type, ${compression}, rowGroupSize ${rowGroupSize}`, async () => {
        const cols = allTypesTable(rows, 11);
        const path = join(fx.dir, `rt-${compression}-${rowGroupSize}.parquet`);
        await writeParquet(path, cols, { compression, rowGroupSize });
        const table = await readParquet(path);
        assert.equal(table.numRows, rows);
        assertColumnsEqual(table.columns, cols);
        const info = await parquetMetadata(path);
        assert.equal(info.numRows, rows);
        assert.equal(info.rowGroups.length, Math.ceil(rows / rowGroupSize));
        assert.deepEqual(
          info.rowGroups.map((g) => g.numRows).reduce((a, b) => a + b, 0),
          rows,
        );
        const expectedCodec = { zstd: 'ZSTD', snappy: 'SNAPPY', none: 'UNCOMPRESSED' }[compression];
        assert.deepEqual(info.codecs, [expectedCodec]);
        assert.deepEqual(
          info.schema.map((f) => f.type),
          cols.map((c) => c.type),
        );
      });
    }
  }

  test('empty table (0 rows) keeps its schema', () => {
    const cols: Column[] = [
      { name: 'a', type: 'float64', values: new Float64Array(0) },
      { name: 's', type: 'string', values: [] },
    ];
    const t = decodeParquet(encodeParquet(cols));
    assert.equal(t.numRows, 0);
    assertColumnsEqual(t.columns, cols);
  });

  test('int64: BigInt64Array in, bigint out beyond 2^53; number mode refuses unsafe values', () => {
    const big = BigInt64Array.of(-(2n ** 63n), 2n ** 63n - 1n, 42n);
    const bytes = encodeParquet([{ name: 'id', type: 'int64', values: big }]);
    const asBig = decodeParquet(bytes, { int64: 'bigint' });
    assert.deepEqual(Array.from(getColumn(asBig, 'id', 'int64') as BigInt64Array), Array.from(big));
    assert.throws(() => decodeParquet(bytes, {}, 'big.parquet'), /big\.parquet: column 'id' \(int64\) row 0/);
    assert.throws(
      () => encodeParquet([{ name: 't', type: 'int64', values: Float64Array.of(1, 2.5) }]),
      /column 't' \(int64\) row 1: 2\.5 is not a safe integer/,
    );
  });

  test('column projection returns the requested order; unknown column is named', () => {
    const cols = allTypesTable(20, 3);
    const bytes = encodeParquet(cols);
    const t = decodeParquet(bytes, { columns: ['str', 'u8'] }, 'p.parquet');
    assert.deepEqual(
      t.columns.map((c) => c.name),
      ['str', 'u8'],
    );
    assertColumnsEqual(t.columns, [cols[6], cols[0]]);
    assert.throws(
      () => decodeParquet(bytes, { columns: ['nope'] }, 'p.parquet'),
      /p\.parquet has no column 'nope'/,
    );
    assert.throws(() => getColumn(t, 'u8', 'uint32'), /p\.parquet: column 'u8' is uint8, expected uint32/);
  });

  test("dictionary encoding: 'strings' (default) only on string columns; true / false on all / none", async () => {
    const cols = allTypesTable(200, 4);
    const dictCols = async (dictionary?: boolean | 'strings'): Promise<string[]> => {
      const path = join(fx.dir, `dict-${String(dictionary)}.parquet`);
      await writeParquet(path, cols, dictionary === undefined ? {} : { dictionary });
      assertColumnsEqual((await readParquet(path)).columns, cols);
      const info = await parquetMetadata(path);
      return info.rowGroups[0].columns
        .filter((c) => c.encodings.some((e) => e.includes('DICTIONARY')))
        .map((c) => c.name);
    };
    assert.deepEqual(await dictCols(), ['str']);
    assert.deepEqual(await dictCols('strings'), ['str']);
    assert.deepEqual(await dictCols(false), []);
    // arrow-rs never dictionary-encodes booleans.
    assert.deepEqual(await dictCols(true), ['u8', 'u32', 'i32', 'i64', 'f32', 'f64', 'str']);
    assert.throws(
      () => encodeParquet(cols, { dictionary: 'yes' as unknown as boolean }),
      /dictionary must be true, false or 'strings'/,
    );
  });

  test('key/value metadata round-trips and is visible to DuckDB', async () => {
    const path = join(fx.dir, 'kv.parquet');
    await writeParquet(path, [{ name: 'x', type: 'int32', values: Int32Array.of(1, 2) }], {
      metadata: { 'ironforge.table': 'scores', version: '1' },
    });
    const t = await readParquet(path);
    assert.deepEqual(t.metadata, { 'ironforge.table': 'scores', version: '1' });
    assert.deepEqual((await parquetMetadata(path)).keyValue, { 'ironforge.table': 'scores', version: '1' });
    const r = await fx.duck.runAndReadAll(
      `select decode(key) as k, decode(value) as v from parquet_kv_metadata('${path}') where decode(key) <> 'ARROW:schema' order by k`,
    );
    assert.deepEqual(r.getRowObjectsJS(), [
      { k: 'ironforge.table', v: 'scores' },
      { k: 'version', v: '1' },
    ]);
  });
});

describe('determinism', () => {
  test('identical input and options ⇒ byte-identical files', async () => {
    const a = join(fx.dir, 'det-a.parquet');
    const b = join(fx.dir, 'det-b.parquet');
    await writeParquet(a, allTypesTable(500, 5), { compression: 'zstd', rowGroupSize: 100 });
    await writeParquet(b, allTypesTable(500, 5), { compression: 'zstd', rowGroupSize: 100 });
    assert.ok((await readFile(a)).equals(await readFile(b)));
    // ...and the bytes do depend on the content (the comparison above can fail).
    const c = encodeParquet(allTypesTable(500, 6), { compression: 'zstd', rowGroupSize: 100 });
    assert.ok(!Buffer.from(c).equals(await readFile(a)));
  });
});

describe('independent readers', () => {
  test('DuckDB reads values, types, row groups and codec of our file', async () => {
    const cols = allTypesTable(300, 21);
    const path = join(fx.dir, 'duck.parquet');
    await writeParquet(path, cols, { compression: 'snappy', rowGroupSize: 64 });
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
    const res = await fx.duck.runAndReadAll(`select * from read_parquet('${path}')`);
    const rows = res.getRowObjects();
    assert.equal(rows.length, 300);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const want = [
        Number(cols[0].values[i]),
        Number(cols[1].values[i]),
        Number(cols[2].values[i]),
        Number(cols[3].values[i]),
        cols[4].values[i],
        cols[5].values[i],
        cols[6].values[i],
        cols[7].values[i] === 1,
      ];
      const got = [Number(r.u8), Number(r.u32), Number(r.i32), Number(r.i64), r.f32, r.f64, r.str, r.flag];
      for (let k = 0; k < want.length; k++) {
        if (!Object.is(got[k], want[k]))
          assert.fail(`row ${i} column ${cols[k].name}: DuckDB ${String(got[k])}, ours ${String(want[k])}`);
      }
    }
    const md = await fx.duck.runAndReadAll(
      `select count(distinct row_group_id) as groups, list(distinct compression) as codecs from parquet_metadata('${path}')`,
    );
    const m = md.getRowObjectsJS()[0];
    assert.equal(Number(m.groups), Math.ceil(300 / 64));
    assert.deepEqual(m.codecs, ['SNAPPY']);
  });

  test('we read a file DuckDB wrote (all our types, ZSTD, several row groups); float nulls → NaN', async () => {
    const path = join(fx.dir, 'by-duckdb.parquet');
    await fx.duck.run(
      `copy (select (i % 256)::utinyint as u8, (i * 858993)::uinteger as u32, (i - 500)::integer as i32,
                    (1753804800000 + i * 60000)::bigint as i64, (i / 7)::float as f32,
                    case when i % 10 = 0 then null else i / 3 end::double as f64,
                    'row-' || i as str, i % 3 = 0 as flag
             from range(0, 5000) t(i))
       to '${path}' (format parquet, compression zstd, row_group_size 2048)`,
    );
    const t = await readParquet(path);
    assert.equal(t.numRows, 5000);
    assert.deepEqual(
      t.columns.map((c) => c.type),
      ['uint8', 'uint32', 'int32', 'int64', 'float32', 'float64', 'string', 'bool'],
    );
    for (let i = 0; i < 5000; i++) {
      assert.equal(getColumn(t, 'u8', 'uint8')[i], i % 256);
      assert.equal(getColumn(t, 'u32', 'uint32')[i], i * 858993);
      assert.equal(getColumn(t, 'i32', 'int32')[i], i - 500);
      assert.equal(getColumn(t, 'i64', 'int64')[i], 1753804800000 + i * 60000);
      assert.equal(getColumn(t, 'f32', 'float32')[i], Math.fround(i / 7));
      const f64 = getColumn(t, 'f64', 'float64')[i];
      if (i % 10 === 0) assert.ok(Number.isNaN(f64), `row ${i}: null → NaN`);
      else assert.equal(f64, i / 3);
      assert.equal(getColumn(t, 'str', 'string')[i], `row-${i}`);
      assert.equal(getColumn(t, 'flag', 'bool')[i], i % 3 === 0 ? 1 : 0);
    }
    const info = await parquetMetadata(path);
    assert.deepEqual(info.codecs, ['ZSTD']);
    assert.ok(info.rowGroups.length >= 2, `DuckDB wrote ${info.rowGroups.length} row groups`);
    // Nulls in a non-float column cannot live in a typed array: named error.
    const nullInt = join(fx.dir, 'null-int.parquet');
    await fx.duck.run(
      `copy (select case when i = 3 then null else i end::integer as k from range(5) t(i)) to '${nullInt}'`,
    );
    await assert.rejects(
      readParquet(nullInt),
      (e: Error) => e.message.includes(nullInt) && /column 'k' \(int32\) has 1 null/.test(e.message),
    );
  });

  test('hyparquet (pure JS) reads the same values from a ZSTD file', async () => {
    const cols = allTypesTable(100, 8);
    const bytes = encodeParquet(cols, { compression: 'zstd', rowGroupSize: 30 });
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const rows = (await parquetReadObjects({ file, compressors })) as Record<string, unknown>[];
    assert.equal(rows.length, 100);
    for (let i = 0; i < 100; i++) {
      assert.equal(rows[i].u32, cols[1].values[i]);
      assert.equal(Number(rows[i].i64), cols[3].values[i]);
      assert.ok(Object.is(rows[i].f32, cols[4].values[i]), `f32 row ${i}`);
      assert.equal(rows[i].str, cols[6].values[i]);
    }
  });
});

describe('errors name the file', () => {
  test('missing file', async () => {
    const p = join(fx.dir, 'does-not-exist.parquet');
    await assert.rejects(
      readParquet(p),
      (e: Error) => e.message.includes(p) && /no such file/.test(e.message),
    );
    await assert.rejects(parquetMetadata(p), (e: Error) => e.message.includes(p));
  });

  test('empty file', async () => {
    const p = join(fx.dir, 'empty.parquet');
    await writeFile(p, new Uint8Array(0));
    await assert.rejects(
      readParquet(p),
      (e: Error) => e.message.includes(p) && /empty \(0 bytes\)/.test(e.message),
    );
  });

  test('random bytes', async () => {
    const rng = new Rng(99);
    const junk = new Uint8Array(4096);
    for (let i = 0; i < junk.length; i++) junk[i] = rng.int(256);
    const p = join(fx.dir, 'random.parquet');
    await writeFile(p, junk);
    await assert.rejects(
      readParquet(p),
      (e: Error) => e.message.includes(p) && /not a Parquet file/.test(e.message),
    );
    // Random bytes that happen to carry both magics still fail cleanly in the decoder.
    junk.set([0x50, 0x41, 0x52, 0x31], 0);
    junk.set([0x50, 0x41, 0x52, 0x31], junk.length - 4);
    await writeFile(p, junk);
    await assert.rejects(readParquet(p), (e: Error) => e.message.includes(p) && /corrupt/.test(e.message));
  });

  test('truncated files (half, and missing the last byte)', async () => {
    const whole = encodeParquet(allTypesTable(200, 1));
    for (const len of [Math.floor(whole.length / 2), whole.length - 1, 8]) {
      const p = join(fx.dir, `trunc-${len}.parquet`);
      await writeFile(p, whole.subarray(0, len));
      await assert.rejects(
        readParquet(p),
        (e: Error) => e.message.includes(p) && /truncated or corrupt/.test(e.message),
      );
    }
  });

  test('corrupted footer and pages: clear error; a wasm trap does not poison later reads', () => {
    const good = new Uint8Array(readFileSync(SAMPLE_NODES));
    const footer = good.slice();
    for (let i = footer.length - 60; i < footer.length - 8; i++) footer[i] ^= 0x5a;
    assert.throws(() => decodeParquet(footer, {}, 'footer.parquet'), /footer\.parquet is corrupt/);
    // These two flipped bytes make parquet-wasm 0.8.0 panic (WebAssembly "unreachable" trap) inside a page.
    const trap = good.slice();
    trap[1203] ^= 0xff;
    trap[1204] ^= 0x13;
    const reloadsBefore = wasmReloadCount();
    assert.throws(() => decodeParquet(trap, {}, 'trap.parquet'), /trap\.parquet is corrupt or unreadable/);
    assert.equal(wasmReloadCount(), reloadsBefore + 1, 'the trapped wasm instance was replaced');
    assert.equal(decodeParquet(good, {}, SAMPLE_NODES).numRows, 68);
  });

  test('bad columns on write name the column', () => {
    const u = (name: string, n: number): Column => ({ name, type: 'uint32', values: new Uint32Array(n) });
    assert.throws(() => encodeParquet([]), /at least one column/);
    assert.throws(() => encodeParquet([u('a', 3), u('b', 4)]), /column 'b' has 4 rows, expected 3/);
    assert.throws(() => encodeParquet([u('a', 3), u('a', 3)]), /duplicate column name 'a'/);
    assert.throws(
      () => encodeParquet([{ name: 'k', type: 'uint32', values: new Int32Array(2) } as unknown as Column]),
      /column 'k' \(uint32\) needs a Uint32Array/,
    );
    assert.throws(
      () => encodeParquet([{ name: 'b', type: 'bool', values: Uint8Array.of(0, 2) }]),
      /column 'b' \(bool\) row 1: 2/,
    );
    assert.throws(
      () => encodeParquet([{ name: 's', type: 'string', values: ['a', undefined as unknown as string] }]),
      /column 's' \(string\) row 1/,
    );
    assert.throws(
      () => encodeParquet([u('a', 1)], { compression: 'lz4' as Compression }),
      /compression must be one of/,
    );
    assert.throws(
      () => encodeParquet([u('a', 1)], { rowGroupSize: 0 }),
      /rowGroupSize must be a positive integer, got 0/,
    );
  });
});

describe('atomic writes', () => {
  test('a write that throws midway leaves the old file intact and no temp file behind', async () => {
    const sub = join(fx.dir, 'atomic');
    const p = join(sub, 'target.parquet');
    await writeFileAtomic(p, 'OLD CONTENT');
    function* failingChunks(): Generator<Uint8Array> {
      yield new Uint8Array(1000).fill(7);
      throw new Error('disk full (simulated)');
    }
    await assert.rejects(
      writeFileAtomic(p, failingChunks()),
      (e: Error) => e.message.includes(p) && /simulated/.test(e.message),
    );
    assert.equal(await readFile(p, 'utf8'), 'OLD CONTENT');
    assert.throws(() => writeFileAtomicSync(p, failingChunks()), /simulated/);
    assert.equal(await readFile(p, 'utf8'), 'OLD CONTENT');
    // An encode error in writeParquet happens before any byte hits the disk.
    await assert.rejects(
      writeParquet(p, [{ name: 't', type: 'int64', values: Float64Array.of(0.5) }]),
      (e: Error) => e.message.includes(p) && /column 't'/.test(e.message),
    );
    assert.equal(await readFile(p, 'utf8'), 'OLD CONTENT');
    assert.deepEqual(await readdir(sub), ['target.parquet']);
    // A successful write replaces it completely.
    await writeParquet(p, [{ name: 'x', type: 'uint8', values: Uint8Array.of(9) }]);
    assert.deepEqual(Array.from(getColumn(await readParquet(p), 'x', 'uint8')), [9]);
    writeFileAtomicSync(p, 'NEW');
    assert.equal(await readFile(p, 'utf8'), 'NEW');
    assert.deepEqual(await readdir(sub), ['target.parquet']);
  });

  test('writeDirAtomic: a fill that throws leaves the old directory intact and no temp dir', async () => {
    const parent = join(fx.dir, 'dirs');
    const target = join(parent, 'run');
    await writeDirAtomic(target, async (tmp) => {
      await writeFile(join(tmp, 'a.txt'), 'old-a');
    });
    await assert.rejects(
      writeDirAtomic(target, async (tmp) => {
        await writeFile(join(tmp, 'a.txt'), 'new-a');
        throw new Error('crash after first file (simulated)');
      }),
      /simulated/,
    );
    assert.deepEqual(await readdir(parent), ['run']);
    assert.deepEqual(await readdir(target), ['a.txt']);
    assert.equal(await readFile(join(target, 'a.txt'), 'utf8'), 'old-a');
    await writeDirAtomic(target, async (tmp) => {
      await writeFile(join(tmp, 'b.txt'), 'new-b');
    });
    assert.deepEqual(await readdir(parent), ['run']);
    assert.deepEqual(await readdir(target), ['b.txt']);
  });

  test('writeDirAtomic: files and nested directories are written in place and published together', async () => {
    const parent = join(fx.dir, 'tree');
    const target = join(parent, 'run');
    const outside = join(fx.dir, 'outside.txt');
    await writeDirAtomic(target, async (tmp) => {
      await writeFileAtomic(join(tmp, 'deep', 'er', 'a.txt'), 'A');
      // In place: no hidden temp sibling beside the file while the tree is unpublished.
      assert.deepEqual(await readdir(join(tmp, 'deep', 'er')), ['a.txt']);
      await writeDirAtomic(join(tmp, 'shards', 's1'), async (dir) => {
        await writeFileAtomic(join(dir, 'x.txt'), 'X');
      });
      // A nested fill that throws leaves no partial directory; the outer fill may go on.
      await assert.rejects(
        writeDirAtomic(join(tmp, 'shards', 's2'), async (dir) => {
          await writeFileAtomic(join(dir, 'y.txt'), 'Y');
          throw new Error('nested failure (simulated)');
        }),
        /simulated/,
      );
      // A path outside the tree keeps the full per-file protocol (it is not published by the outer rename).
      await writeFileAtomic(outside, 'O');
      assert.ok(!(await readdir(parent)).includes('run'), 'nothing under the final name before the end');
    });
    assert.deepEqual(await readdir(parent), ['run']);
    assert.equal(await readFile(join(target, 'deep', 'er', 'a.txt'), 'utf8'), 'A');
    assert.equal(await readFile(join(target, 'shards', 's1', 'x.txt'), 'utf8'), 'X');
    assert.deepEqual(await readdir(join(target, 'shards')), ['s1']);
    assert.equal(await readFile(outside, 'utf8'), 'O');
  });
});
