// The streaming CSV bar reader (store/bars-csv.ts) against the text reader it replaced (bars-csv-reference.ts):
// same columns bit for bit and the same errors, on the bundled bars, on generated one-minute bars across both
// DST switches in several timestamp forms, under any chunking; the memory budget refuses big files early.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import fc from 'fast-check';
import type { Bars } from '../src/detect/bars.js';
import { BarValidationError } from '../src/detect/validate.js';
import { ZoneClock } from '../src/detect/zone.js';
import { BarCsvReader, fastNumber, parseBarsCsvBytes } from '../src/store/bars-csv.js';
import { parseBarsCsvReference } from '../src/store/bars-csv-reference.js';
import { readBars } from '../src/store/bars.js';
import { generateBars } from '../src/synthetic/index.js';
import { Rng } from '../src/stats/random.js';

const SAMPLE_CSV = new URL('../../data/sample/bars/nq_m5_from_records.csv', import.meta.url);
const NY = 'America/New_York';
const COLUMNS = ['t', 'open', 'high', 'low', 'close', 'volume', 'row'] as const;

function bytesOf(a: Float64Array | Int32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Both readers' bars are equal bit for bit (NaN payloads and −0 included). */
function assertSameBars(got: Bars, want: Bars, what: string): void {
  assert.equal(got.n, want.n, `${what}: bar count`);
  assert.equal(got.timeframeMs, want.timeframeMs, `${what}: timeframe`);
  for (const c of COLUMNS)
    assert.ok(bytesOf(got[c]).equals(bytesOf(want[c])), `${what}: column ${c} differs`);
}

/** The streaming reader fed `bytes` in chunks of `size` bytes. */
function readChunked(bytes: Buffer, size: number, tz = NY, source?: string) {
  const r = new BarCsvReader({ tz, source, totalBytes: bytes.length });
  for (let p = 0; p < bytes.length; p += size) r.push(bytes.subarray(p, p + size));
  return r.finish();
}

/** The error each reader throws (or null), for comparing messages. */
function errorOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

function assertSameParse(text: string, what: string, tz = NY): void {
  const bytes = Buffer.from(text, 'utf8');
  const wantErr = errorOf(() => parseBarsCsvReference(text, { tz, source: 'x.csv' }));
  for (const size of [bytes.length || 1, 1, 7, 4096]) {
    const gotErr = errorOf(() => readChunked(bytes, size, tz, 'x.csv'));
    assert.equal(gotErr, wantErr, `${what} (chunks of ${size}): error`);
    if (wantErr === null) {
      const want = parseBarsCsvReference(text, { tz });
      const got = readChunked(bytes, size, tz);
      assert.equal(got.missingVolume, want.missingVolume, `${what}: missingVolume`);
      assertSameBars(got.bars, want.bars, `${what} (chunks of ${size})`);
    }
  }
}

/** Generated one-minute bars from `startUtc`, `n` of them (seeded). */
function minuteBars(seed: number, startUtc: number, n: number): Bars {
  return generateBars(new Rng(seed), n, { start: startUtc, timeframeMs: 60_000 });
}

/** CSV of `bars` with timestamps written by `ts`, values by String (JS shortest round-trip form). */
function csvOf(bars: Bars, ts: (t: number) => string, opts: { delim?: string; eol?: string } = {}): string {
  const d = opts.delim ?? ',';
  const lines = [['timestamp', 'open', 'high', 'low', 'close', 'volume'].join(d)];
  for (let i = 0; i < bars.n; i++) {
    lines.push(
      [ts(bars.t[i]), bars.open[i], bars.high[i], bars.low[i], bars.close[i], bars.volume[i]].join(d),
    );
  }
  return lines.join(opts.eol ?? '\n') + (opts.eol ?? '\n');
}

// Both 2025 DST switches in New York: spring forward Sun 9 March, fall back Sun 2 November.
const SPRING = Date.UTC(2025, 2, 7, 5, 0); // Fri 7 March 00:00 EST
const FALL = Date.UTC(2025, 9, 31, 4, 0); // Fri 31 October 00:00 EDT
const DAYS_5 = 5 * 1440;

describe('store: streaming CSV bar reader vs the text reader', () => {
  test('the bundled bar sample: identical columns', async () => {
    const bytes = await readFile(SAMPLE_CSV);
    const want = parseBarsCsvReference(bytes.toString('utf8'));
    assertSameBars(parseBarsCsvBytes(bytes).bars, want.bars, 'sample');
    for (const size of [1, 13, 1000])
      assertSameBars(readChunked(bytes, size).bars, want.bars, `sample/${size}`);
  });

  test('generated one-minute bars across both DST switches, every timestamp form, any chunking', () => {
    const zone = new ZoneClock(NY);
    const forms: [string, (t: number) => string][] = [
      ['ISO with the ET offset', (t) => zone.isoWithOffset(t)],
      ['wall clock, no offset', (t) => zone.localIso(t).replace('T', ' ')],
      ['UTC Z', (t) => new Date(t).toISOString().slice(0, 19) + 'Z'],
      ['UTC with milliseconds', (t) => new Date(t).toISOString()],
      ['offset without colon', (t) => zone.isoWithOffset(t).replace(/:(\d\d)$/, '$1')],
      ['minutes only', (t) => zone.isoWithOffset(t).replace(/:00([+-])/, '$1')],
      ['epoch ms', (t) => String(t)],
      ['epoch s', (t) => String(t / 1000)],
    ];
    for (const [start, season] of [
      [SPRING, 'spring'],
      [FALL, 'fall'],
    ] as const) {
      const bars = minuteBars(start === SPRING ? 11 : 12, start, DAYS_5);
      for (const [name, ts] of forms) assertSameParse(csvOf(bars, ts), `${season}: ${name}`);
      assertSameParse(csvOf(bars, forms[0][1], { delim: ';', eol: '\r\n' }), `${season}: ; and CRLF`);
      assertSameParse(csvOf(bars, forms[1][1], { delim: '\t' }), `${season}: tab, wall clock`);
    }
  });

  test('wall-clock and offset timestamps agree with luxon on every minute of both DST days', () => {
    const zone = new ZoneClock(NY);
    for (const day of [Date.UTC(2025, 2, 9, 0, 0), Date.UTC(2025, 10, 2, 0, 0)]) {
      const lines = ['timestamp,open,high,low,close'];
      const want: number[] = [];
      const wallLines = ['timestamp,open,high,low,close'];
      const wallWant: number[] = [];
      for (let t = day - 3_600_000; t < day + 30 * 3_600_000; t += 60_000) {
        const dt = DateTime.fromMillis(t, { zone: NY });
        lines.push(`${dt.toISO({ suppressMilliseconds: true })},1,1,1,1`);
        want.push(t);
        const wall = dt.toFormat("yyyy-MM-dd'T'HH:mm:ss");
        wallLines.push(`${wall},1,1,1,1`);
        // luxon takes the second (standard-time) occurrence of the repeated hour of the fall-back day;
        // ironforge takes the first (daylight) one, as documented in ZoneClock.wallToUtc: one hour earlier
        const lux = DateTime.fromISO(wall, { zone: NY });
        const repeated = lux.minus({ hours: 1 }).toFormat("yyyy-MM-dd'T'HH:mm:ss") === wall && !lux.isInDST;
        wallWant.push(repeated ? lux.toMillis() - 3_600_000 : lux.toMillis());
      }
      const got = parseBarsCsvBytes(Buffer.from(lines.join('\n'))).bars;
      assert.deepEqual(Array.from(got.t), want, 'ISO with offset = the instant');
      const gotWall = parseBarsCsvBytes(Buffer.from(wallLines.join('\n'))).bars;
      assert.deepEqual(Array.from(gotWall.t), wallWant, 'wall clock read as luxon reads it');
      // and the offset cache gives luxon's offset on every one of those minutes
      for (const t of want) {
        assert.equal(
          zone.offsetMs(t),
          DateTime.fromMillis(t, { zone: NY }).offset * 60_000,
          new Date(t).toISOString(),
        );
      }
    }
  });

  test('bad and unusual rows: the same values, or the same error naming file, row, field, value and line', () => {
    const H = 'timestamp,open,high,low,close,volume';
    const cases: [string, string[]][] = [
      ['too few fields', [H, '2025-07-29 09:30,100,101', '2025-07-29 09:35,1,2,0.5,1,3']],
      ['bad number', [H, '2025-07-29 09:30,100,101,99,abc,1']],
      ['bad time', [H, 'not a time,100,101,99,100,1']],
      ['nonexistent date', [H, '2025-02-30 09:30,100,101,99,100,1']],
      ['hour 24', [H, '2025-07-29 24:00,100,101,99,100,1']],
      ['empty field', [H, '2025-07-29 09:30,100,,99,100,1']],
      ['NaN literal', [H, '2025-07-29 09:30,100,101,99,NaN,1']],
      ['spaces', [H, ' 2025-07-29 09:30 , 100 ,101,99,100,1']],
      ['quotes', [H, '"2025-07-29 09:30","100","101","99","100","1"']],
      ['quoted delimiter', ['timestamp,open,high,low,close,note', '2025-07-29 09:30,1,2,0.5,1,"a,b"']],
      ['extra fields', [H, '2025-07-29 09:30,1,2,0.5,1,3,extra,"q"']],
      ['plus sign, exponent, hex', [H, '2025-07-29 09:30,+1,2e0,0x0,1,1']],
      ['16 and 17 digits', [H, '2025-07-29 09:30,1234567890.123456,1234567890123.4567,0.5,1,1']],
      ['leading dot, trailing dot, -0', [H, '2025-07-29 09:30,.5,5.,-0,-0.0,0']],
      ['Infinity', [H, '2025-07-29 09:30,1,Infinity,0.5,1,1']],
      ['blank lines and a lone CR', ['', '  ', H, '', '2025-07-29 09:30,1,2,0.5,1,1\r', '\r', '']],
      [
        'CRLF with a last line without EOL',
        [H + '\r', '2025-07-29 09:30,1,2,0.5,1,1\r', '2025-07-29 09:31,1,2,0.5,1,1'],
      ],
      ['BOM', ['\uFEFF' + H, '2025-07-29 09:30,1,2,0.5,1,1']],
      [
        'lower-case t, z, UTC suffix',
        [
          H,
          '2025-07-29t09:30,1,2,0.5,1,1',
          '2025-07-29 09:31z,1,2,0.5,1,1',
          '2025-07-29 09:32 UTC,1,2,0.5,1,1',
        ],
      ],
      [
        'fractional seconds and offsets',
        [
          H,
          '2025-07-29T09:30:00.5+05:30,1,2,0.5,1,1',
          '2025-07-29T09:30+05,1,2,0.5,1,1',
          '2025-07-29T09:30+05:3,1,2,0.5,1,1',
        ],
      ],
      [
        'bare date, negative and fractional epochs',
        [H, '2025-07-29,1,2,0.5,1,1', '-1000,1,2,0.5,1,1', '1722259800.5,1,2,0.5,1,1'],
      ],
      ['non-ASCII value', [H, '2025-07-29 09:30,1,2,0.5,1,1', '2025-07-29 09:35,1,2,0.5,1€,1']],
      ['separate date and time columns', ['Date;Time;O;H;L;C', '2025-07-29;09:30;100;101;99;100.5']],
      ['header only', [H]],
      ['empty file', ['', '']],
      ['missing column', ['timestamp,open,low,close', '2025-07-29 09:30,1,1,1']],
    ];
    for (const [what, lines] of cases) assertSameParse(lines.join('\n'), what);
    const err = errorOf(() =>
      parseBarsCsvBytes(Buffer.from([H, '2025-07-29 09:30,1,2,0.5,x1,1'].join('\n')), { source: 'f.csv' }),
    );
    assert.match(err ?? '', /f\.csv: 1 bad bar:\n {2}row 1: close: "x1" is not a number \(line 2\)/);
  });

  test('the number fast path equals Number() on random decimals of up to 15 digits', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 999_999_999_999_999n }),
        fc.integer({ min: 0, max: 15 }),
        fc.boolean(),
        (m, point, neg) => {
          const digits = m.toString();
          const at = Math.min(point, digits.length);
          const text = `${neg ? '-' : ''}${digits.slice(0, digits.length - at)}.${digits.slice(digits.length - at)}`;
          const b = Buffer.from(text);
          return Object.is(fastNumber(b, 0, b.length), Number(text));
        },
      ),
      { numRuns: 20_000, seed: 20 },
    );
  });

  test('a file whose bars exceed the memory budget is refused early, naming its size', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ironforge-bars-csv-'));
    try {
      const file = join(dir, 'big.csv');
      const zone = new ZoneClock(NY);
      await writeFile(
        file,
        csvOf(minuteBars(5, SPRING, 20_000), (t) => zone.isoWithOffset(t)),
      );
      // 20,000 bars need ~1 MB of columns: refused under a 256 KiB budget, read under the default
      await assert.rejects(
        readBars(file, { memoryBudget: 256 * 1024 }),
        (e: Error) =>
          e.message.startsWith(`${file}: `) &&
          /1\.\d MiB of bars, about 2\d,\d{3} bars, need about \d+\.\d [KM]iB in memory; the budget is 256\.0 KiB/.test(
            e.message,
          ),
      );
      const ok = await readBars(file);
      assert.equal(ok.bars.n, 20_000);
      // the budget also bounds the columns when the size is unknown (bytes pushed without totalBytes)
      const r = new BarCsvReader({ maxColumnBytes: 200 * 1024 });
      const bytes = await readFile(file);
      assert.throws(() => r.push(bytes), /more bars than the memory budget holds: \d+ rows read/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a row error names the file line, counting blank lines and the header', () => {
    const text = [
      '',
      'timestamp,open,high,low,close',
      '',
      '2025-07-29 09:30,1,2,0.5,1',
      '',
      '2025-07-29 09:35,1,2,oops,1',
    ].join('\n');
    assert.throws(
      () => parseBarsCsvBytes(Buffer.from(text), { source: 'g.csv' }),
      (e: unknown) =>
        e instanceof BarValidationError && /row 2: low: "oops" is not a number \(line 6\)/.test(e.message),
    );
  });
});
