// Reading and validating bars: formats, time zones, and bad input rejected with row numbers (or repaired).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Field,
  Float64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampNanosecond,
  tableToIPC,
} from 'apache-arrow';
import { parseTimeframe, formatTimeframe } from '../src/detect/bars.js';
import { parseBarsCsv, readBars } from '../src/store/bars.js';
import { BarValidationError, validateBars } from '../src/detect/validate.js';
import { makeTimestampParser } from '../src/detect/timestamp.js';
import { resolveZoneName, ZoneClock } from '../src/detect/zone.js';
import { writeParquet } from '../src/io/parquet.js';
import { parquetWasm } from '../src/io/parquet-wasm.js';
import { M5 } from './detect-helpers.js';

const HEADER = 'timestamp,open,high,low,close,volume';
const GOOD = [
  HEADER,
  '2025-07-29 09:30:00,100,101,99,100.5,10',
  '2025-07-29 09:35:00,100.5,102,100,101.5,12',
  '2025-07-29 09:40:00,101.5,101.75,100.25,100.5,9',
].join('\n');

function problemsOf(fn: () => unknown): { row: number; field: string; message: string }[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof BarValidationError, `expected BarValidationError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail('expected an error');
}

describe('detect: timestamps and zones', () => {
  const ny = new ZoneClock('America/New_York');
  const parse = makeTimestampParser(ny);

  test('wall-clock times are read in the zone, with DST', () => {
    assert.equal(parse('2025-07-29 09:30:00'), Date.UTC(2025, 6, 29, 13, 30)); // EDT
    assert.equal(parse('2025-01-15T09:30'), Date.UTC(2025, 0, 15, 14, 30)); // EST
    assert.equal(
      parse('2025-03-09 02:30:00'),
      Date.UTC(2025, 2, 9, 7, 30),
      'nonexistent 02:30 moves forward (03:30 EDT)',
    );
    assert.equal(
      parse('2025-11-02 01:30:00'),
      Date.UTC(2025, 10, 2, 5, 30),
      'ambiguous 01:30 takes the first (EDT)',
    );
    assert.equal(parse('2025-07-29'), Date.UTC(2025, 6, 29, 4, 0));
  });

  test('offsets and epochs are absolute', () => {
    assert.equal(parse('2025-07-29T13:30:00Z'), Date.UTC(2025, 6, 29, 13, 30));
    assert.equal(parse('2025-07-29T09:30:00-04:00'), Date.UTC(2025, 6, 29, 13, 30));
    assert.equal(parse('2025-07-29T15:30:00+0200'), Date.UTC(2025, 6, 29, 13, 30));
    const ms = Date.UTC(2025, 6, 29, 13, 30);
    assert.equal(parse(String(ms / 1000)), ms);
    assert.equal(parse(String(ms)), ms);
    assert.equal(parse(String(ms * 1000)), ms);
    assert.equal(parse(`${ms}000000`), ms);
  });

  test('not-a-time is NaN (nonexistent dates too)', () => {
    for (const s of ['yesterday', '2025-02-30 10:00', '2025-07-29 25:00', ''])
      assert.ok(Number.isNaN(parse(s)), s);
  });

  test('clock, date and offset formatting', () => {
    const t = Date.UTC(2025, 6, 29, 13, 30, 5);
    assert.equal(ny.clock(t), '09:30:05');
    assert.equal(ny.date(Date.UTC(2025, 6, 30, 3, 0)), '2025-07-29');
    assert.equal(ny.isoWithOffset(t), '2025-07-29T09:30:05-04:00');
    assert.equal(ny.isoWithOffset(Date.UTC(2025, 0, 15, 14, 30)), '2025-01-15T09:30:00-05:00');
  });

  test('an unknown time zone is a clear error', () => {
    assert.throws(() => resolveZoneName('Mars/Olympus'), /unknown time zone "Mars\/Olympus"/);
    assert.equal(resolveZoneName('ET'), 'America/New_York');
  });

  test('timeframes', () => {
    assert.equal(parseTimeframe('5m'), M5);
    assert.equal(parseTimeframe('M5'), M5);
    assert.equal(parseTimeframe('1h'), 3_600_000);
    assert.equal(parseTimeframe('H1'), 3_600_000);
    assert.equal(formatTimeframe(M5), '5m');
    assert.throws(() => parseTimeframe('5 parsecs'), /invalid timeframe "5 parsecs"/);
  });
});

describe('detect: CSV bars', () => {
  test('reads a good file, infers the timeframe', () => {
    const { bars, missingVolume } = parseBarsCsv(GOOD);
    const v = validateBars(bars);
    assert.equal(v.bars.n, 3);
    assert.equal(v.bars.timeframeMs, M5);
    assert.equal(v.report.inferredTimeframeMs, M5);
    assert.equal(missingVolume, false);
    assert.deepEqual(Array.from(v.bars.close), [100.5, 101.5, 100.5]);
    assert.equal(v.bars.t[0], Date.UTC(2025, 6, 29, 13, 30));
  });

  test('column aliases, separate date/time columns, semicolons, quotes, no volume', () => {
    const text = [
      '"Date";"Time";"O";"H";"L";"C"',
      '2025-07-29;09:30;100;101;99;100.5',
      '2025-07-29;09:35;100.5;102;100;101.5',
    ].join('\n');
    const { bars, missingVolume } = parseBarsCsv(text);
    assert.equal(missingVolume, true);
    assert.equal(bars.t[1], Date.UTC(2025, 6, 29, 13, 35));
    assert.deepEqual(Array.from(bars.volume), [0, 0]);
  });

  test('a missing column names it and lists what was found', () => {
    assert.throws(
      () => parseBarsCsv('timestamp,open,low,close\n2025-07-29 09:30,1,1,1', { source: 'x.csv' }),
      /x\.csv: missing column 'high' \(found: 'timestamp', 'open', 'low', 'close'/,
    );
  });

  test('non-numbers, bad times and short rows are reported with their rows', () => {
    const text = [
      HEADER,
      '2025-07-29 09:30,100,101,99,abc,1',
      'not a time,100,101,99,100,1',
      '2025-07-29 09:40,100,101',
    ].join('\n');
    const p = problemsOf(() => parseBarsCsv(text));
    assert.deepEqual(
      p.map((x) => [x.row, x.field]),
      [
        [1, 'close'],
        [2, 'timestamp'],
        [3, 'row'],
      ],
    );
    assert.match(p[0].message, /"abc" is not a number \(line 2\)/);
  });

  test('OHLC inconsistencies, NaN and negative volume are rejected with row and values', () => {
    const text = [
      HEADER,
      '2025-07-29 09:30,100,101,99,100.5,1',
      '2025-07-29 09:35,100,100.5,99,101,1', // high < close
      '2025-07-29 09:40,100,102,100.5,101,1', // low > open
      '2025-07-29 09:45,100,102,99,NaN,1', // NaN
      '2025-07-29 09:50,100,102,99,101,-5', // negative volume
    ].join('\n');
    const p = problemsOf(() => validateBars(parseBarsCsv(text).bars));
    assert.deepEqual(
      p.map((x) => [x.row, x.field]),
      [
        [2, 'high'],
        [3, 'low'],
        [4, 'close'],
        [5, 'volume'],
      ],
    );
    assert.match(p[0].message, /high 100\.5 < max\(open 100, close 101\)/);
    assert.match(p[1].message, /low 100\.5 > min\(open 100, close 101\)/);
    assert.match(p[2].message, /is NaN/);
  });

  test('unsorted and duplicate timestamps are errors naming both rows', () => {
    const text = [
      HEADER,
      '2025-07-29 09:30,100,101,99,100.5,1',
      '2025-07-29 09:40,100,101,99,100.5,1',
      '2025-07-29 09:35,100,101,99,100.5,1',
      '2025-07-29 09:35,100,101,99,100.5,1',
    ].join('\n');
    const err = (() => {
      try {
        validateBars(parseBarsCsv(text).bars, { source: 'bars.csv' });
      } catch (e) {
        return e as BarValidationError;
      }
      return null;
    })();
    assert.ok(err instanceof BarValidationError);
    assert.deepEqual(
      err.problems.map((x) => [x.row, x.field]),
      [
        [3, 'timestamp'],
        [4, 'timestamp'],
      ],
    );
    assert.match(err.problems[0].message, /before the previous row's \(row 2/);
    assert.match(err.problems[1].message, /duplicate timestamp .* \(same as row 3\)/);
    assert.match(err.message, /^bars\.csv: 2 bad bars:\n {2}row 3: timestamp:/);
  });

  test('--repair sorts and drops duplicates (keeping the last), with a report', () => {
    const text = [
      HEADER,
      '2025-07-29 09:30,100,101,99,100.5,1',
      '2025-07-29 09:40,100,101,99,100.5,1',
      '2025-07-29 09:35,100,101,99,100.5,1',
      '2025-07-29 09:35,100,101,99,100.25,2',
      '2025-07-29 09:30,100,101,99,100.5,1',
    ].join('\n');
    const { bars, report } = validateBars(parseBarsCsv(text).bars, { repair: true });
    assert.equal(bars.n, 3);
    assert.deepEqual(Array.from(bars.row), [5, 4, 2]);
    assert.deepEqual(Array.from(bars.close), [100.5, 100.25, 100.5]);
    assert.equal(report.sorted, true);
    assert.deepEqual(report.droppedDuplicates, [
      { row: 1, keptRow: 5, identical: true },
      { row: 3, keptRow: 4, identical: false },
    ]);
    assert.ok(report.movedRows > 0);
  });

  test('repair does not touch OHLC errors', () => {
    const text = [HEADER, '2025-07-29 09:35,100,99,98,100.5,1', '2025-07-29 09:30,100,101,99,100.5,1'].join(
      '\n',
    );
    const p = problemsOf(() => validateBars(parseBarsCsv(text).bars, { repair: true }));
    assert.deepEqual(
      p.map((x) => [x.row, x.field]),
      [[1, 'high']],
    );
  });

  test('a header without rows is "no bars"', () => {
    assert.throws(
      () => validateBars(parseBarsCsv(HEADER).bars, { source: 'e.csv' }),
      /^Error: e\.csv: no bars/,
    );
  });

  test('bars closer than the timeframe are overlapping', () => {
    const { bars } = parseBarsCsv(GOOD);
    bars.timeframeMs = 600_000;
    const p = problemsOf(() => validateBars(bars));
    assert.deepEqual(
      p.map((x) => x.row),
      [2, 3],
    );
    assert.match(p[0].message, /less than the timeframe 10m/);
  });

  test('the error lists at most maxProblems and counts the rest', () => {
    const lines = [HEADER];
    for (let i = 0; i < 30; i++) lines.push(`2025-07-29 10:${String(i).padStart(2, '0')},100,99,98,100,1`);
    try {
      validateBars(parseBarsCsv(lines.join('\n')).bars, { maxProblems: 5 });
      assert.fail('expected an error');
    } catch (err) {
      assert.ok(err instanceof BarValidationError);
      assert.equal(err.problems.length, 5);
      assert.equal(err.totalProblems, 30);
      assert.match(err.message, /… and 25 more/);
    }
  });
});

describe('detect: readBars (files)', () => {
  test('CSV file, timestamp as bar close, explicit timeframe, zone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ironforge-detect-'));
    try {
      const f = join(dir, 'b.csv');
      await writeFile(f, GOOD);
      const r = await readBars(f, { timeframe: '5m', timestampIs: 'close', tz: 'UTC' });
      assert.equal(r.bars.t[0], Date.UTC(2025, 6, 29, 9, 25));
      assert.equal(r.tz, 'UTC');
      await assert.rejects(readBars(join(dir, 'nope.csv')), /cannot read .*nope\.csv: no such file/);
      await assert.rejects(readBars(f, { tz: 'Nowhere/Land' }), /unknown time zone "Nowhere\/Land"/);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  test('Parquet with int64 epoch-ms and float64 columns (the store writer)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ironforge-detect-'));
    try {
      const f = join(dir, 'b.parquet');
      const t0 = Date.UTC(2025, 6, 29, 13, 30);
      await writeParquet(f, [
        { name: 'timestamp', type: 'int64', values: Float64Array.from([t0, t0 + M5, t0 + 2 * M5]) },
        { name: 'open', type: 'float64', values: Float64Array.from([100, 100.5, 101.5]) },
        { name: 'high', type: 'float64', values: Float64Array.from([101, 102, 101.75]) },
        { name: 'low', type: 'float64', values: Float64Array.from([99, 100, 100.25]) },
        { name: 'close', type: 'float64', values: Float64Array.from([100.5, 101.5, 100.5]) },
        { name: 'volume', type: 'int32', values: Int32Array.from([10, 12, 9]) },
      ]);
      const r = await readBars(f);
      assert.deepEqual(Array.from(r.bars.t), [t0, t0 + M5, t0 + 2 * M5]);
      assert.deepEqual(Array.from(r.bars.volume), [10, 12, 9]);
      assert.equal(r.bars.timeframeMs, M5);
      // a bad bar in Parquet is reported by row too
      await writeParquet(f, [
        { name: 'timestamp', type: 'int64', values: Float64Array.from([t0, t0 + M5]) },
        { name: 'open', type: 'float64', values: Float64Array.from([100, 100]) },
        { name: 'high', type: 'float64', values: Float64Array.from([101, 99]) },
        { name: 'low', type: 'float64', values: Float64Array.from([99, 98]) },
        { name: 'close', type: 'float64', values: Float64Array.from([100.5, 98.5]) },
      ]);
      await assert.rejects(readBars(f), /row 2: high: high 99 < max\(open 100, close 98\.5\)/);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  test('Parquet with an Arrow timestamp[ns] column (zone-less = wall clock in tz)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ironforge-detect-'));
    try {
      const wall = Date.UTC(2025, 6, 29, 9, 30); // 09:30 wall clock
      const n = 2;
      const tsType = new TimestampNanosecond(null);
      const fields: Field[] = [new Field('timestamp', tsType, false)];
      const children: ReturnType<typeof makeData>[] = [
        makeData({
          type: tsType,
          length: n,
          data: BigInt64Array.from([BigInt(wall) * 1_000_000n, BigInt(wall + M5) * 1_000_000n]),
        }),
      ];
      for (const [name, vals] of [
        ['open', [100, 100.5]],
        ['high', [101, 102]],
        ['low', [99, 100]],
        ['close', [100.5, 101.5]],
      ] as const) {
        fields.push(new Field(name, new Float64(), false));
        children.push(makeData({ type: new Float64(), length: n, data: Float64Array.from(vals) }));
      }
      const schema = new Schema(fields);
      const batch = new RecordBatch(
        schema,
        makeData({ type: new Struct(schema.fields), length: n, children }),
      );
      const pq = parquetWasm();
      const bytes = pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(new Table(schema, [batch]), 'stream')));
      const f = join(dir, 'ts.parquet');
      await writeFile(f, bytes);
      const r = await readBars(f, { tz: 'America/New_York' });
      assert.deepEqual(Array.from(r.bars.t), [Date.UTC(2025, 6, 29, 13, 30), Date.UTC(2025, 6, 29, 13, 35)]);
      assert.equal(r.missingVolume, true);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
