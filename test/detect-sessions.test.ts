// Bars → Session objects: calendar split, event fields, level keys, the ironforge-session/v1 round trip, the
// real bar sample, the generator, and the ingest-bars command.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { barsFromArrays } from '../src/detect/bars.js';
import { DEFAULT_CALENDAR, parseCalendar, segmentSessions } from '../src/detect/calendar.js';
import { generateBars } from '../src/synthetic/index.js';
import { buildRecordBarsSample } from '../src/store/record-bars.js';
import { barsToSessions, ingestBarSeries } from '../src/detect/sessions.js';
import {
  parseSessionJson,
  readSessionJson,
  sessionToJson,
  writeSessionJson,
} from '../src/store/session-json.js';
import { validateBars } from '../src/detect/validate.js';
import { ZoneClock } from '../src/detect/zone.js';
import { register } from '../src/cli/commands/ingest-bars.js';
import { UsageError } from '../src/core/index.js';
import { Rng } from '../src/stats/random.js';
import { EVENT_KINDS, type Session } from '../src/session/types.js';

const ny = new ZoneClock('America/New_York');
// paths relative to the repository root, where the tests run (as the other stages' tests do)
const SAMPLE_CSV = 'data/sample/bars/nq_m5_from_records.csv';
const ENHANCED = 'data/sample/enhanced';

describe('detect: session calendar', () => {
  test('the default calendar splits a day into the eight sessions, in ET with DST', () => {
    // one bar per minute for one winter and one summer day
    for (const [y, m, d] of [
      [2025, 0, 15],
      [2025, 6, 29],
    ]) {
      const start = ny.wallToUtc(Date.UTC(y, m, d, 0, 0));
      const n = 1440;
      const t = Float64Array.from({ length: n }, (_, i) => start + i * 60_000);
      const one = new Float64Array(n).fill(1);
      const seg = segmentSessions(
        barsFromArrays({ t, open: one, high: one, low: one, close: one, timeframeMs: 60_000 }),
        DEFAULT_CALENDAR,
        ny,
      );
      assert.deepEqual(seg.type, [
        'MIDNIGHT',
        'LONDON',
        'PREMARKET',
        'NY_AM',
        'LUNCH',
        'NY_PM',
        'PREASIA',
        'ASIA',
      ]);
      const minutes = Array.from({ length: seg.count }, (_, s) => seg.lastBar[s] - seg.firstBar[s] + 1);
      assert.deepEqual(minutes, [30, 180, 150, 150, 60, 160, 77, 300]);
      const nyAm = seg.type.indexOf('NY_AM');
      assert.equal(ny.clock(seg.windowStart[nyAm]), '09:30:00');
      assert.equal(ny.clock(seg.windowEnd[nyAm]), '12:00:00');
      assert.equal(seg.firstBar[nyAm], 9 * 60 + 30);
    }
  });

  test('a window crossing midnight belongs to the day it starts on', () => {
    const cal = [{ type: 'ASIA' as const, start: '22:00', end: '01:59' }];
    const start = ny.wallToUtc(Date.UTC(2025, 6, 29, 21, 0));
    const t = Float64Array.from({ length: 6 * 12 }, (_, i) => start + i * 300_000);
    const one = new Float64Array(t.length).fill(1);
    const seg = segmentSessions(
      barsFromArrays({ t, open: one, high: one, low: one, close: one, timeframeMs: 300_000 }),
      cal,
      ny,
    );
    assert.equal(seg.count, 1);
    assert.equal(seg.id[0], 'ASIA_2025-07-29');
    assert.equal(seg.lastBar[0] - seg.firstBar[0] + 1, 48);
  });

  test('bad calendars are rejected naming the entry', () => {
    assert.throws(
      () => parseCalendar([{ type: 'TOKYO', start: '00:00', end: '01:00' }]),
      /calendar\[0\]\.type: "TOKYO" is not a session type/,
    );
    assert.throws(
      () => parseCalendar([{ type: 'ASIA', start: '25:00', end: '01:00' }]),
      /calendar\[0\]\.start: "25:00"/,
    );
    assert.throws(
      () =>
        parseCalendar([
          { type: 'ASIA', start: '00:00', end: '01:00' },
          { type: 'LONDON', start: '01:00', end: '02:00' },
        ]),
      /calendar\[1\] \(LONDON\) overlaps ASIA/,
    );
  });
});

describe('detect: barsToSessions', () => {
  const bars = generateBars(new Rng(31), 288 * 3 + 3); // three days and the first 15 minutes of a fourth
  const sessions = barsToSessions(bars, { symbol: 'SYN', sourceFile: 'gen' });

  test('sessions carry typed, sorted, bar_detector events with clock and raw', () => {
    assert.equal(
      sessions.length,
      8 * 3 + 1,
      'three full days plus the next MIDNIGHT (bars run to 00:00 on day 4)',
    );
    for (const s of sessions) {
      assert.match(s.id, /^[A-Z_]+_\d{4}-\d{2}-\d{2}$/);
      assert.equal(s.symbol, 'SYN');
      assert.equal(s.timeframe, '5m');
      assert.equal(s.timezone, 'America/New_York');
      assert.ok(s.events.length > 0);
      s.events.forEach((e, i) => {
        assert.equal(e.seq, i);
        if (i > 0) assert.ok(e.t >= s.events[i - 1].t, `${s.id}: events sorted by t`);
        assert.equal(e.source, 'bar_detector');
        assert.ok(e.kind >= 0 && e.kind <= 6);
        assert.equal(e.clock, ny.clock(e.t));
        assert.ok(e.t >= s.startT && e.t <= s.endT, `${s.id}: event inside the session`);
        const raw = e.raw as { delayMs: number; originT: number; detector: string; label: string };
        assert.equal(raw.delayMs, e.t - raw.originT);
        assert.equal(raw.detector, e.rule);
        assert.equal(raw.label, e.label);
      });
      assert.equal(s.events[0].label, 'session_open');
    }
    const last = sessions.at(-1)!;
    assert.ok(last.warnings.some((w) => /bars end before the session does/.test(w)));
    assert.ok(!last.events.some((e) => e.label === 'session_high'));
  });

  test('the session’s OHLC match its bars', () => {
    const seg = segmentSessions(bars, DEFAULT_CALENDAR, ny);
    for (let s = 0; s < seg.count; s++) {
      const f = seg.firstBar[s];
      const l = seg.lastBar[s];
      assert.equal(sessions[s].open, bars.open[f]);
      assert.equal(sessions[s].close, bars.close[l]);
      assert.equal(sessions[s].high, Math.max(...bars.high.subarray(f, l + 1)));
      assert.equal(sessions[s].low, Math.min(...bars.low.subarray(f, l + 1)));
    }
  });

  test('level keys join an FVG with its redelivery and a swing with its sweep', () => {
    let fvgPairs = 0;
    let swingPairs = 0;
    for (const s of sessions) {
      const byKey = new Map<string, string[]>();
      for (const e of s.events)
        if (e.levelKey) byKey.set(e.levelKey, [...(byKey.get(e.levelKey) ?? []), e.label]);
      for (const [key, labels] of byKey) {
        if (
          key.startsWith('fvg_') &&
          labels.some((l) => l.startsWith('fvg_') && !l.includes('_re') && !l.includes('fill')) &&
          labels.some((l) => l.endsWith('_redelivered'))
        )
          fvgPairs++;
        if (
          key.startsWith('swing_') &&
          labels.some((l) => l === 'swing_high' || l === 'swing_low') &&
          labels.some((l) => /_swept|_broken/.test(l))
        )
          swingPairs++;
        assert.match(
          key,
          /^(swing_high|swing_low|fvg_bull|fvg_bear|leg|range)@\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$|^session_(open|high|low|close):[A-Z_]+_\d{4}-\d{2}-\d{2}$/,
        );
      }
    }
    assert.ok(fvgPairs > 10, `FVG + redelivery pairs: ${fvgPairs}`);
    assert.ok(swingPairs > 10, `swing + sweep pairs: ${swingPairs}`);
  });

  test('every kind of the taxonomy occurs', () => {
    const seen = new Set(sessions.flatMap((s) => s.events.map((e) => EVENT_KINDS[e.kind])));
    assert.deepEqual(
      EVENT_KINDS.filter((k) => !seen.has(k)),
      [],
    );
  });

  test('ironforge-session/v1: write, read back equal; bad files name the field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ironforge-sessions-'));
    try {
      const path = await writeSessionJson(dir, sessions[3]);
      assert.ok(path.endsWith(`${sessions[3].id}.json`));
      const back: Session = await readSessionJson(path);
      assert.deepEqual(back, sessions[3]);
      assert.equal(sessionToJson(back), sessionToJson(sessions[3]), 'deterministic text');
      const doc = JSON.parse(await readFile(path, 'utf8'));
      doc.session.events[2].kind = 9;
      assert.throws(
        () => parseSessionJson(JSON.stringify(doc), 'f.json'),
        /f\.json: session\.events\.2\.kind/,
      );
      doc.session.events[2].kind = 0;
      doc.session.events[2].kindName = 'Anchor';
      assert.throws(() => parseSessionJson(JSON.stringify(doc), 'f.json'), /kindName does not match kind/);
      assert.throws(
        () => parseSessionJson('{"format":"other"}', 'f.json'),
        /format: expected "ironforge-session\/v1"/,
      );
      const d2 = JSON.parse(sessionToJson(sessions[3]));
      [d2.session.events[0], d2.session.events[5]] = [d2.session.events[5], d2.session.events[0]];
      assert.throws(() => parseSessionJson(JSON.stringify(d2), 'f.json'), /not sorted by \(t, seq\)/);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});

describe('detect: the real bar sample', () => {
  test('the committed CSV is exactly what the builder makes from the session records', async () => {
    const built = await buildRecordBarsSample(ENHANCED);
    assert.equal(built.csv, await readFile(SAMPLE_CSV, 'utf8'));
    assert.equal(built.sessions.length, 35);
  });

  test('it ingests into sessions matching the records’ ids', async () => {
    const { parseBarsCsv } = await import('../src/store/bars.js');
    const { bars } = validateBars(parseBarsCsv(await readFile(SAMPLE_CSV, 'utf8')).bars);
    const r = ingestBarSeries(bars, { symbol: 'NQ' });
    const files = (await readdir(ENHANCED)).filter((f) => f.startsWith('enhanced_rel_'));
    const ids = files
      .map((f) => f.replace(/^enhanced_rel_(.+)_Lvl-1_(\d{4})_(\d{2})_(\d{2})\.json$/, '$1_$2-$3-$4'))
      .sort();
    assert.deepEqual(r.sessions.map((s) => s.id).sort(), ids);
  });
});

test('detect: generateBars is deterministic, valid, and switches regimes', () => {
  const a = generateBars(new Rng(42), 5000);
  const b = generateBars(new Rng(42), 5000);
  const c = generateBars(new Rng(43), 5000);
  assert.deepEqual(a.close, b.close);
  assert.notDeepEqual(a.close, c.close);
  validateBars(a);
  assert.equal(new Set(a.regime).size, 4);
  for (let i = 0; i < a.n; i++) assert.equal(a.close[i] % 0.25, 0, 'prices on the tick grid');
});

describe('detect: ingest-bars command', () => {
  async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const program = new Command().exitOverride();
    register(program);
    let out = '';
    let err = '';
    const ow = process.stdout.write.bind(process.stdout);
    const ew = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
    process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
    const before = process.exitCode;
    process.exitCode = 0;
    let code: number;
    try {
      await program.parseAsync(['node', 'ironforge', 'ingest-bars', ...args]);
      code = typeof process.exitCode === 'number' ? process.exitCode : 0;
    } catch (e) {
      if (e instanceof UsageError) {
        err += e.message;
        code = 2;
      } else throw e;
    } finally {
      process.stdout.write = ow;
      process.stderr.write = ew;
      process.exitCode = before;
    }
    return { code, out, err };
  }

  test('summary as JSON, and --out writes one readable file per session', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ironforge-cli-'));
    try {
      const r = await run([SAMPLE_CSV, '--symbol', 'NQ', '--json', '--out', dir]);
      assert.equal(r.code, 0, r.err);
      const j = JSON.parse(r.out);
      assert.equal(j.sessions, 35);
      assert.equal(j.timeframe, '5m');
      assert.equal(
        Object.values(j.byKind as Record<string, number>).reduce((x, y) => x + y, 0),
        j.events,
      );
      const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
      assert.equal(files.length, 35);
      const s = await readSessionJson(join(dir, 'NY_AM_2025-07-29.json'));
      assert.equal(s.symbol, 'NQ');
      assert.ok(s.events.length > 5);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  test('text summary lists kinds', async () => {
    const r = await run([SAMPLE_CSV]);
    assert.equal(r.code, 0);
    assert.match(r.out, /264 bars, 5m \(inferred\)/);
    assert.match(r.out, /LiquidityTaken/);
  });

  test('bad bars: exit 1 with the rows; --repair fixes order problems and reports them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ironforge-cli-'));
    try {
      const f = join(dir, 'b.csv');
      await writeFile(
        f,
        [
          'timestamp,open,high,low,close,volume',
          '2025-07-29 09:40,1,2,0.5,1.5,1',
          '2025-07-29 09:30,1,2,0.5,1.5,1',
          '2025-07-29 09:35,1,2,0.5,1.5,1',
          '2025-07-29 09:35,1,2,0.5,1.5,1',
        ].join('\n'),
      );
      const bad = await run([f]);
      assert.equal(bad.code, 1);
      assert.match(bad.err, /row 2: timestamp: .*before the previous row's \(row 1/);
      assert.match(bad.err, /row 4: timestamp: duplicate timestamp/);
      const fixed = await run([f, '--repair']);
      assert.equal(fixed.code, 0, fixed.err);
      assert.match(fixed.out, /repaired: sorted \(\d+ rows moved\), 1 duplicate timestamp rows dropped/);
      assert.match(fixed.out, /dropped row 3 \(kept row 4, identical\)/);
      await writeFile(f, 'timestamp,open,close\n2025-07-29 09:40,1,1\n');
      const missing = await run([f]);
      assert.equal(missing.code, 1);
      assert.match(missing.err, /missing columns 'high', 'low'/);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  test('usage errors exit 2: unknown zone, bad timeframe', async () => {
    const tz = await run([SAMPLE_CSV, '--tz', 'Atlantis/Capital']);
    assert.equal(tz.code, 2);
    assert.match(tz.err, /unknown time zone "Atlantis\/Capital"/);
    const tf = await run([SAMPLE_CSV, '--timeframe', 'often']);
    assert.equal(tf.code, 2);
    assert.match(tf.err, /invalid timeframe "often"/);
  });
});
