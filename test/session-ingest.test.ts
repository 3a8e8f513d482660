import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, copyFile, readFile, rm } from 'node:fs/promises';
import { mkdtemp } from './helpers/tmp.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSessions } from '../src/store/sessions.js';
import { summarizeKinds } from '../src/session/summary.js';
import { parseSessionFileName } from '../src/session/filename.js';
import { wallClockToUtcMs } from '../src/session/time.js';
import { EVENT_KINDS } from '../src/session/types.js';

const SAMPLE = 'data/sample/enhanced';

describe('ingest on the real NQ sample', async () => {
  const r = await readSessions([SAMPLE]);

  test('reads 35 sessions, none dropped, one file per session (rel preferred)', () => {
    assert.equal(r.sessions.length, 35);
    assert.deepEqual(r.failures, []);
    assert.equal(r.skipped.length, 35);
    for (const s of r.sessions) assert.match(s.sourceFile, /enhanced_rel_/);
  });

  test('NY_AM and NY_PM are distinct sessions', () => {
    const ids = new Set(r.sessions.map((s) => s.id));
    assert.ok(ids.has('NY_AM_2025-07-29'));
    assert.ok(ids.has('NY_PM_2025-07-29'));
    assert.equal(ids.size, 35);
  });

  test('every kind is present and >= 95% of events are classified by a rule over their own words', () => {
    const k = summarizeKinds(r.sessions);
    for (const name of EVENT_KINDS) assert.ok(k.byKind[name] > 0, `kind ${name} missing`);
    assert.ok(k.classifiedByRuleShare >= 95, `only ${k.classifiedByRuleShare}% by rule`);
    assert.ok(k.byKind.Anchor / k.events < 0.3, 'Anchor should not dominate');
  });

  test('events are sorted by (t, seq) and carry finite prices and UTC times inside the day', () => {
    for (const s of r.sessions) {
      for (let i = 1; i < s.events.length; i++) {
        const a = s.events[i - 1];
        const b = s.events[i];
        assert.ok(a.t < b.t || (a.t === b.t && a.seq < b.seq), `${s.id} not sorted at ${i}`);
      }
      for (const e of s.events)
        assert.ok(Number.isFinite(e.price) && e.price > 1000, `${s.id} bad price ${e.price}`);
    }
  });

  test('uses every event section, not only price movements and liquidity events', () => {
    const k = summarizeKinds(r.sessions);
    for (const src of [
      'price_movement',
      'liquidity_event',
      'phase_transition',
      'level_interaction',
      'fair_value_gap',
      'fpfvg_interaction',
    ] as const) {
      assert.ok(k.bySource[src] > 0, `no events from ${src}`);
    }
  });

  test('ET wall clock becomes UTC: the 09:30 ET open on 2025-07-29 is 13:30 UTC (EDT, UTC-4)', () => {
    const s = r.sessions.find((x) => x.id === 'NY_AM_2025-07-29')!;
    const open = s.events.find((e) => e.rule === 'anchor:open')!;
    assert.equal(open.clock, '09:30:00');
    assert.equal(open.t, Date.UTC(2025, 6, 29, 13, 30));
  });

  test('session high/low anchors take their formation time from session_levels, not the 12:00/12:30 placeholders', () => {
    const s = r.sessions.find((x) => x.id === 'NY_AM_2025-07-29')!;
    const high = s.events.filter((e) => e.rule === 'anchor:high');
    assert.ok(high.length > 0);
    for (const e of high) assert.equal(e.clock, '09:38:00');
    for (const x of r.sessions) {
      for (const e of x.events.filter((e) => e.rule === 'anchor:high' || e.rule === 'anchor:low')) {
        assert.ok(
          e.t >= x.startT && e.t <= x.endT + 3_600_000,
          `${x.id} ${e.rule} at ${e.clock} outside the session`,
        );
      }
    }
  });
});

describe('time zone conversion across DST', () => {
  test('standard and daylight offsets', () => {
    assert.equal(wallClockToUtcMs('2025-01-15', '09:30:00', 'ET'), Date.UTC(2025, 0, 15, 14, 30));
    assert.equal(wallClockToUtcMs('2025-07-15', '09:30:00', 'ET'), Date.UTC(2025, 6, 15, 13, 30));
  });
  test('spring-forward day: 01:59:59 EST then 03:00 EDT are one second apart; 02:30 does not exist', () => {
    const before = wallClockToUtcMs('2025-03-09', '01:59:59', 'ET');
    const after = wallClockToUtcMs('2025-03-09', '03:00:00', 'ET');
    assert.equal(after - before, 1000);
    assert.equal(wallClockToUtcMs('2025-03-09', '02:30:00', 'ET'), Date.UTC(2025, 2, 9, 7, 30));
  });
  test('fall-back day: 00:30 EDT and 02:30 EST are three hours apart', () => {
    const a = wallClockToUtcMs('2025-11-02', '00:30:00', 'ET');
    const b = wallClockToUtcMs('2025-11-02', '02:30:00', 'ET');
    assert.equal(b - a, 3 * 3600 * 1000);
  });
  test('bad clock, bad date and unknown zone throw with the value', () => {
    assert.throws(() => wallClockToUtcMs('2025-07-29', '25:61:00', 'ET'), /25:61:00/);
    assert.throws(() => wallClockToUtcMs('2025-13-40', '10:00:00', 'ET'), /2025-13-40/);
    assert.throws(() => wallClockToUtcMs('2025-07-29', '10:00:00', 'Mars/Olympus'), /Mars\/Olympus/);
  });
});

describe('file names', () => {
  test('full session type, rel flag and suffixes', () => {
    assert.deepEqual(parseSessionFileName('enhanced_rel_NY_PM_Lvl-1_2025_07_29.json'), {
      type: 'NY_PM',
      date: '2025-07-29',
      relative: true,
      suffix: '',
    });
    assert.equal(parseSessionFileName('enhanced_NY_AM_Lvl-1_2025_08_07_FRESH.json')?.suffix, 'FRESH');
    assert.equal(parseSessionFileName('enhanced_NYAM_Lvl-1_2025_08_07.json')?.type, 'NY_AM');
    assert.equal(parseSessionFileName('notes.json'), null);
  });
});

describe('bad input never aborts the batch', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ifg-ingest-'));
  const good = join(SAMPLE, 'enhanced_rel_NY_AM_Lvl-1_2025_07_29.json');
  const record = JSON.parse(await readFile(good, 'utf8'));
  await copyFile(good, join(dir, 'enhanced_NY_AM_Lvl-1_2025_08_07_FRESH.json'));
  await writeFile(join(dir, 'enhanced_LONDON_Lvl-1_2025_08_01.json'), '{"session_metadata": {', 'utf8');
  await writeFile(join(dir, 'enhanced_ASIA_Lvl-1_2025_08_01.json'), '', 'utf8');
  const noEvents = {
    ...record,
    price_movements: undefined,
    session_liquidity_events: [],
    phase_transitions: [],
    level_interactions: [],
    structures_identified: {},
    fpfvg_observations: {},
  };
  await writeFile(join(dir, 'enhanced_LUNCH_Lvl-1_2025_08_01.json'), JSON.stringify(noEvents), 'utf8');
  const weird = structuredClone(record);
  weird.price_movements[3].timestamp = '25:99:00';
  weird.price_movements[4].price_level = 'high';
  weird.session_liquidity_events[0].event_type = 'teleport';
  weird.phase_transitions = 'not a list';
  await writeFile(join(dir, 'enhanced_NY_PM_Lvl-1_2025_08_01.json'), JSON.stringify(weird), 'utf8');
  const badZone = structuredClone(record);
  badZone.session_metadata.timezone = 'Nowhere/Land';
  await writeFile(join(dir, 'enhanced_PREMARKET_Lvl-1_2025_08_01.json'), JSON.stringify(badZone), 'utf8');

  const r = await readSessions([dir, join(dir, 'missing-file.json')]);
  const err = (name: string) => r.failures.find((f) => f.file.includes(name))?.error ?? '';

  test('good files are read, including a _FRESH suffix', () => {
    assert.deepEqual(r.sessions.map((s) => s.id).sort(), ['NY_AM_2025-08-07', 'NY_PM_2025-08-01']);
  });
  test('malformed JSON, empty file, no events, unknown zone and a missing path fail with file and field', () => {
    assert.match(err('LONDON'), /enhanced_LONDON_Lvl-1_2025_08_01\.json: malformed JSON/);
    assert.match(err('ASIA'), /ASIA_Lvl-1_2025_08_01\.json: empty file/);
    assert.match(err('LUNCH'), /LUNCH_Lvl-1_2025_08_01\.json: price_movements: no usable events/);
    assert.match(err('PREMARKET'), /session_metadata\.timezone: unknown time zone "Nowhere\/Land"/);
    assert.match(err('missing-file'), /cannot read: ENOENT/);
    assert.equal(r.failures.length, 5);
  });
  test('bad items become warnings naming field and value; the session stays usable', () => {
    const s = r.sessions.find((x) => x.id === 'NY_PM_2025-08-01')!;
    const w = s.warnings.join('\n');
    assert.match(w, /price_movements\[3\]\.timestamp: not a HH:MM:SS time \(value "25:99:00"\)/);
    assert.match(w, /price_movements\[4\]\.price_level: .*\(value "high"\)/);
    assert.match(w, /event_type: unknown vocabulary word "teleport"/);
    assert.match(w, /phase_transitions: expected an array/);
    assert.ok(s.events.length > 30);
  });
});

describe('broken prices and very large sessions', () => {
  const SRC = 'data/sample/enhanced/enhanced_ASIA_Lvl-1_2025_07_24.json';

  test('a price of 1e308 (or 1e6 on an instrument near 23,000): the session is left out, naming file, field and value', async () => {
    const rec = JSON.parse(await readFile(SRC, 'utf8'));
    rec.price_movements[2].price_level = 1e308;
    rec.price_movements[3].price_level = 1e6;
    const dir = await mkdtemp(join(tmpdir(), 'ifg-price-'));
    try {
      const file = join(dir, 'enhanced_ASIA_Lvl-1_2025_07_24.json');
      await writeFile(file, JSON.stringify(rec));
      const { sessions, failures } = await readSessions([file]);
      assert.equal(sessions.length, 0);
      assert.equal(failures.length, 1);
      assert.match(
        failures[0].error,
        /enhanced_ASIA_Lvl-1_2025_07_24\.json: price_movement at .*: price: 1e\+308 \(more than 10× from the session's median price/,
      );
      assert.match(failures[0].error, /price: 1000000 /);
      // kept on request: repaired (never kept as such), with the warning
      const kept = await readSessions([file], { keepFaulty: true });
      assert.equal(kept.sessions.length, 1);
      for (const e of kept.sessions[0].events) assert.ok(e.price > 2e4 && e.price < 3e4, `price ${e.price}`);
      assert.ok(
        kept.warnings.some((w) =>
          /2 event\(s\) with an implausible price \(e\.g\. price_movement at .*1e\+308/.test(w),
        ),
        kept.warnings.join('\n'),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a session of 150,000 price movements parses (no spread of every price onto the call stack)', async () => {
    const rec = JSON.parse(await readFile(SRC, 'utf8'));
    const base = rec.price_movements[0];
    rec.price_movements = Array.from({ length: 150_000 }, (_, i) => ({
      ...base,
      timestamp: `${String(19 + (Math.floor(i / 3600) % 5)).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`,
      price_level: 23_000 + (i % 400) / 4,
      movement_type: `step_${i}`,
    }));
    delete rec.session_metadata.session_high;
    const dir = await mkdtemp(join(tmpdir(), 'ifg-big-'));
    const file = join(dir, 'enhanced_ASIA_Lvl-1_2025_07_24.json');
    await writeFile(file, JSON.stringify(rec));
    const { sessions, failures } = await readSessions([file]);
    assert.deepEqual(failures, []);
    assert.ok(sessions[0].events.length > 100_000);
    assert.ok(sessions[0].high >= 23_099 && sessions[0].low <= 23_000);
  });
});
