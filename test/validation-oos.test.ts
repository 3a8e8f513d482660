import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { EVENT_KINDS, type EventKind, type Session, type SessionEvent } from '../src/session/types.js';
import { Rng } from '../src/stats/random.js';
import { benjaminiHochberg } from '../src/stats/multiple.js';
import { temporalSplit } from '../src/validation/split.js';
import { toJson, validateOutOfSample } from '../src/validation/oos.js';
import type { MotifMiner } from '../src/validation/miner.js';
import { tripletMiner, type MinerCall } from './helpers/stage7-stub-miner.js';

const MOTIFS: Record<string, EventKind[]> = {
  EARLY: [4, 5, 3], // planted in early (discovery) sessions only
  EVERY: [3, 3, 4], // planted in every session
  NEVER: [5, 4, 5], // never planted
};
const N_NULL = 499;
const stubMiner = (calls: MinerCall[]) => tripletMiner(MOTIFS, N_NULL, calls);

const DATES = [
  '2025-07-21',
  '2025-07-22',
  '2025-07-23',
  '2025-07-24',
  '2025-07-25',
  '2025-07-28',
  '2025-07-29',
  '2025-07-30',
];

/** Two sessions per date; background kinds 0..2; EARLY planted ×3 before 07-25, EVERY planted ×3 everywhere. */
function makeSessions(seed: number): Session[] {
  const rng = new Rng(seed);
  const out: Session[] = [];
  DATES.forEach((date, d) => {
    for (const type of ['NY_AM', 'NY_PM'] as const) {
      const kinds: number[] = Array.from({ length: 40 }, () => rng.int(3));
      const plant = (motif: number[], from: number) => {
        for (let j = 0; j < 3; j++) kinds.splice(from + j * 10, 3, ...motif);
      };
      plant(MOTIFS.EVERY, 1);
      if (date < '2025-07-25') plant(MOTIFS.EARLY, 5);
      const startT = Date.UTC(2025, 6, 21 + d, type === 'NY_AM' ? 13 : 17, 30);
      const events: SessionEvent[] = kinds.map((k, i) => ({
        t: startT + i * 60_000,
        seq: i,
        price: 20_000 + i,
        kind: k as EventKind,
        source: 'price_movement',
        rule: 'test',
        label: EVENT_KINDS[k],
        levelKey: '',
        clock: '',
        raw: null,
      }));
      out.push({
        id: `${type}_${date}`,
        type,
        date,
        symbol: 'NQ',
        timeframe: 'M5',
        timezone: 'America/New_York',
        sourceFile: '<test>',
        startT,
        endT: startT + 40 * 60_000,
        open: 20_000,
        high: 20_039,
        low: 20_000,
        close: 20_039,
        events,
        warnings: [],
      });
    }
  });
  return out;
}

describe('temporal split', () => {
  const sessions = makeSessions(1);

  test('by date: every discovery date is before every holdout date, no date divided', () => {
    const s = temporalSplit(sessions, { splitDate: '2025-07-25' });
    assert.equal(s.method, 'date');
    assert.deepEqual(s.discoveryDates, DATES.slice(0, 4));
    assert.deepEqual(s.holdoutDates, DATES.slice(4));
    for (const a of s.discovery) for (const b of s.holdout) assert.ok(a.date < b.date);
    assert.equal(s.discovery.length + s.holdout.length, sessions.length);
  });

  test('by fraction: the cut closest to the requested holdout share, on a date boundary', () => {
    const half = temporalSplit(sessions, { holdoutFraction: 0.5 });
    assert.equal(half.splitDate, '2025-07-25');
    assert.equal(half.holdoutShare, 0.5);
    const quarter = temporalSplit(sessions, { holdoutFraction: 0.25 });
    assert.equal(quarter.splitDate, '2025-07-29');
    // Uneven days: 5 sessions on the first date, 1 on each of two later dates. 0.5 → closest cut keeps dates whole.
    const uneven = [
      ...Array.from({ length: 5 }, (_, i) => ({ id: `a${i}`, date: '2025-07-01' })),
      { id: 'b', date: '2025-07-02' },
      { id: 'c', date: '2025-07-03' },
    ];
    const u = temporalSplit(uneven, { holdoutFraction: 0.5 });
    assert.equal(u.splitDate, '2025-07-02');
    assert.deepEqual(
      u.holdout.map((x) => x.id),
      ['b', 'c'],
    );
    // Input order does not matter.
    const shuffled = new Rng(3).shuffle([...sessions]);
    assert.equal(temporalSplit(shuffled, { holdoutFraction: 0.5 }).splitDate, '2025-07-25');
  });

  test('errors name the problem', () => {
    assert.throws(
      () => temporalSplit(sessions, { splitDate: '2025-07-01' }),
      /no discovery sessions before 2025-07-01 \(first date 2025-07-21\)/,
    );
    assert.throws(
      () => temporalSplit(sessions, { splitDate: '2025-08-30' }),
      /no holdout sessions on or after 2025-08-30 \(last date 2025-07-30\)/,
    );
    assert.throws(
      () => temporalSplit(sessions, { splitDate: '25-07-2025' }),
      /splitDate "25-07-2025" is not YYYY-MM-DD/,
    );
    assert.throws(
      () => temporalSplit(sessions, { holdoutFraction: 1 }),
      /holdoutFraction must be in \(0, 1\), got 1/,
    );
    const oneDay = sessions.filter((s) => s.date === DATES[0]);
    assert.throws(
      () => temporalSplit(oneDay),
      /share the date 2025-07-21; a date split needs at least 2 dates/,
    );
    assert.throws(
      () => temporalSplit([{ id: 'x', date: '2025/07/01' }, sessions[0]]),
      /session x has date "2025\/07\/01"/,
    );
  });
});

describe('out-of-sample validation with a stub miner', async () => {
  const sessions = makeSessions(7);
  const calls: MinerCall[] = [];
  const report = await validateOutOfSample(sessions, stubMiner(calls), { seed: 42, splitDate: '2025-07-25' });

  test('the miner sees discovery sessions first, then only holdout sessions restricted to the re-tested ids', () => {
    assert.equal(calls.length, 2);
    assert.deepEqual(calls[0].sessions, report.split.discoverySessions);
    assert.equal(calls[0].opts.role, 'discovery');
    assert.equal(calls[0].opts.motifIds, undefined);
    assert.deepEqual(calls[1].sessions, report.split.holdoutSessions);
    assert.equal(calls[1].opts.role, 'holdout');
    // PROMOTE first, then the PARK / DISCARD baselines (NEVER, unplanted, is one of them).
    assert.deepEqual(calls[1].opts.motifIds, ['EARLY', 'EVERY', 'NEVER']);
    assert.equal(report.replication.byClass.PROMOTE.tested, 2);
    assert.equal(report.replication.byClass.PARK.tested + report.replication.byClass.DISCARD.tested, 1);
    // both parts with the run's seed: draws are per session id and the parts share no session, so the run can
    // reduce both in its own null phase (app/miner.ts runPartsMiner)
    assert.equal(calls[0].opts.seed, 42);
    assert.equal(calls[1].opts.seed, 42);
    for (const id of calls[0].sessions) assert.ok(id.slice(-10) < '2025-07-25');
    for (const id of calls[1].sessions) assert.ok(id.slice(-10) >= '2025-07-25');
  });

  test('both planted motifs are promoted on discovery; the unplanted one is not', () => {
    assert.equal(report.discovery.motifsTested, 3);
    assert.equal(report.discovery.classes.PROMOTE, 2);
    assert.deepEqual(
      report.motifs.map((m) => m.id),
      ['EARLY', 'EVERY'],
    );
  });

  test('the motif planted only in early sessions fails to replicate (absent on the holdout)', () => {
    const early = report.motifs.find((m) => m.id === 'EARLY')!;
    assert.equal(early.discovery.recurrence, 1);
    assert.equal(early.holdout.count, 0);
    assert.equal(early.holdout.recurrence, 0);
    assert.equal(early.holdout.p, 1);
    assert.equal(early.holdout.replicated, false);
  });

  test('the motif planted everywhere replicates with high lift and recurrence 1', () => {
    const every = report.motifs.find((m) => m.id === 'EVERY')!;
    assert.equal(every.holdout.recurrence, 1);
    assert.equal(every.holdout.count, 3 * 8);
    assert.ok(every.holdout.lift > 2, `lift ${every.holdout.lift}`);
    assert.ok(every.holdout.p <= 1 / (N_NULL + 1) + 1e-15, `p ${every.holdout.p}`);
    assert.ok(every.holdout.q < 0.05);
    assert.equal(every.holdout.replicated, true);
  });

  test('holdout q = BH over the promoted motifs; summary counts agree', () => {
    const q = benjaminiHochberg(report.motifs.map((m) => m.holdout.p));
    report.motifs.forEach((m, i) => assert.equal(m.holdout.q, q[i]));
    assert.deepEqual(report.summary, {
      promoted: 2,
      replicated: 1,
      replicationRate: 0.5,
      meanHoldoutRecurrence: 0.5,
      medianHoldoutLift: report.motifs.reduce((a, m) => a + m.holdout.lift, 0) / 2,
    });
    assert.equal(report.holdout.sessions, 8);
    assert.equal(report.discovery.sessions, 8);
  });

  test('deterministic and JSON-ready (no NaN/Infinity in the text)', async () => {
    const again = await validateOutOfSample(sessions, stubMiner([]), { seed: 42, splitDate: '2025-07-25' });
    assert.deepEqual(again, report);
    const text = toJson(report);
    assert.doesNotMatch(text, /NaN|Infinity/);
    assert.equal(JSON.parse(text).summary.replicated, 1);
  });

  test('nothing promoted → empty summary; the holdout call re-tests only baselines (none with baselineCap 0)', async () => {
    const calls2: MinerCall[] = [];
    const inner = stubMiner(calls2);
    const noPromote: MotifMiner = async (s, o) => {
      const r = await inner(s, o);
      return { motifs: r.motifs.map((m) => ({ ...m, class: 'PARK' as const })) };
    };
    const r = await validateOutOfSample(sessions, noPromote, { holdoutFraction: 0.5, baselineCap: 0 });
    assert.equal(calls2.length, 1);
    assert.equal(r.summary.promoted, 0);
    assert.equal(r.summary.replicationRate, null);
    assert.equal(r.replication.byClass.PARK.tested, 0);
    const r2 = await validateOutOfSample(sessions, noPromote, { holdoutFraction: 0.5 });
    assert.equal(calls2.length, 3);
    assert.deepEqual(calls2[2].opts.motifIds, ['EARLY', 'EVERY', 'NEVER']);
    assert.equal(r2.summary.promoted, 0);
    assert.equal(r2.replication.byClass.PARK.tested, 3);
  });

  test('a miner returning a bad p-value or duplicate motif is rejected', async () => {
    const badP: MotifMiner = async (s, o) => {
      const r = await stubMiner([])(s, o);
      return { motifs: r.motifs.map((m) => ({ ...m, p: 2 })) };
    };
    await assert.rejects(
      validateOutOfSample(sessions, badP),
      /discovery\): motif EARLY has p = 2, outside \[0, 1\]/,
    );
    const dup: MotifMiner = async (s, o) => {
      const r = await stubMiner([])(s, o);
      return { motifs: [...r.motifs, r.motifs[0]] };
    };
    await assert.rejects(validateOutOfSample(sessions, dup), /returned motif EARLY twice/);
  });
});
