/**
 * Drift between periods (section coverage, kind mix, Jensen–Shannon divergence), section coverage per session,
 * replication baselines (PARK / DISCARD under PROMOTE's rule), the rolling origin by trading day, and validation
 * skipped (not thrown) when there are too few sessions or days.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  EVENT_KINDS,
  type EventKind,
  type EventSource,
  type Session,
  type SessionEvent,
} from '../src/session/types.js';
import { sessionCoverage, summarizeCoverage } from '../src/session/coverage.js';
import { Rng } from '../src/stats/random.js';
import { benjaminiHochberg } from '../src/stats/multiple.js';
import { compareDrift, jensenShannon } from '../src/validation/drift.js';
import { validateOrSkip, validateOutOfSample } from '../src/validation/oos.js';
import { wilsonInterval } from '../src/validation/retest.js';
import { rollingOrigin, type RollingFold } from '../src/validation/rolling.js';
import type { MotifMiner } from '../src/validation/miner.js';
import { tripletMiner, type MinerCall } from './helpers/stage7-stub-miner.js';

function session(
  id: string,
  date: string,
  events: { kind: EventKind; source: EventSource }[],
  type: Session['type'] = 'NY_AM',
): Session {
  const startT = Date.parse(`${date}T13:30:00Z`);
  const ev: SessionEvent[] = events.map((e, i) => ({
    t: startT + i * 60_000,
    seq: i,
    price: 20_000 + i,
    kind: e.kind,
    source: e.source,
    rule: 'test',
    label: EVENT_KINDS[e.kind],
    levelKey: '',
    clock: '',
    raw: null,
  }));
  return {
    id,
    type,
    date,
    symbol: 'NQ',
    timeframe: 'M5',
    timezone: 'America/New_York',
    sourceFile: '<test>',
    startT,
    endT: startT + events.length * 60_000,
    open: 20_000,
    high: 20_000 + events.length,
    low: 20_000,
    close: 20_000 + events.length,
    events: ev,
    warnings: [],
  };
}

/** A period of `n` sessions; `withFpfvg` adds two fpfvg_interaction events (Redelivery) to each. */
function period(prefix: string, dates: string[], withFpfvg: boolean): Session[] {
  return dates.map((d, i) =>
    session(`${prefix}${i}_${d}`, d, [
      { kind: 0, source: 'price_movement' },
      { kind: 6, source: 'price_movement' },
      { kind: 4, source: 'liquidity_event' },
      { kind: 3, source: 'phase_transition' },
      ...(withFpfvg
        ? ([
            { kind: 5, source: 'fpfvg_interaction' },
            { kind: 5, source: 'fpfvg_interaction' },
          ] as const)
        : []),
    ]),
  );
}

describe('section coverage', () => {
  test('per session and per batch; a session missing a section most others have is named', () => {
    const a = period('A', ['2025-07-01', '2025-07-02', '2025-07-03'], true);
    const b = period('B', ['2025-07-04'], false);
    const c = sessionCoverage(b[0]);
    assert.deepEqual(c.sections, ['price_movement', 'liquidity_event', 'phase_transition']);
    assert.equal(c.bySource.price_movement, 2);
    assert.equal(c.bySource.fpfvg_interaction, 0);
    const s = summarizeCoverage([...a, ...b]);
    assert.equal(s.sessions, 4);
    assert.equal(s.presence.fpfvg_interaction, 0.75);
    assert.equal(s.presence.price_movement, 1);
    assert.equal(s.eventShare.fpfvg_interaction, 6 / 22);
    assert.deepEqual(s.missing, [{ source: 'fpfvg_interaction', presence: 0.75, sessions: [b[0].id] }]);
    // A section only a minority has is not "missing" from the others.
    assert.deepEqual(summarizeCoverage([a[0], ...b, ...period('C', ['2025-07-05'], false)]).missing, []);
  });
});

describe('Jensen–Shannon divergence', () => {
  test('against a hand computation (log base 2)', () => {
    // P = (1/2, 1/2, 0), Q = (0, 1/2, 1/2): M = (1/4, 1/2, 1/4).
    // KL(P‖M) = 1/2·log2(2) + 1/2·log2(1) = 1/2; KL(Q‖M) = 1/2 by symmetry; JSD = 1/2.
    assert.ok(Math.abs(jensenShannon([1, 1, 0], [0, 1, 1])! - 0.5) < 1e-15);
    // P = (1, 0), Q = (1/2, 1/2): M = (3/4, 1/4); KL(P‖M) = log2(4/3); KL(Q‖M) = 1/2·log2(2/3) + 1/2·log2(2).
    const hand = 0.5 * Math.log2(4 / 3) + 0.5 * (0.5 * Math.log2(2 / 3) + 0.5 * Math.log2(2));
    assert.ok(Math.abs(jensenShannon([3, 0], [5, 5])! - hand) < 1e-15);
    assert.equal(jensenShannon([1, 0], [0, 1]), 1);
    assert.equal(jensenShannon([2, 3, 5], [4, 6, 10]), 0);
    assert.equal(jensenShannon([0, 0], [1, 1]), null);
  });
});

describe('drift between two periods', () => {
  const disc = period('D', ['2025-07-01', '2025-07-02', '2025-07-03'], true);
  const hold = period('H', ['2025-07-04', '2025-07-05'], false);

  test('a section one period lacks entirely is named in a warning', () => {
    const d = compareDrift(disc, hold);
    const f = d.sections.find((s) => s.source === 'fpfvg_interaction')!;
    assert.equal(f.presenceA, 1);
    assert.equal(f.presenceB, 0);
    assert.equal(f.presenceDiff, -1);
    assert.ok(
      d.warnings.includes("section 'fpfvg_interaction' present in 100% of discovery sessions, 0% of holdout"),
      d.warnings.join('\n'),
    );
    // Kind mix: discovery 1/6 each of Expansion, LiquidityTaken, Reversal, Anchor and 2/6 Redelivery; holdout
    // 1/4 of the first four, no Redelivery. M = 5/24 each of four, 1/6 Redelivery.
    const kl = (p: number[], m: number[]) =>
      p.reduce((a, x, i) => (x > 0 ? a + x * Math.log2(x / m[i]) : a), 0);
    const P = [1 / 6, 1 / 6, 1 / 6, 1 / 6, 2 / 6];
    const Q = [1 / 4, 1 / 4, 1 / 4, 1 / 4, 0];
    const M = P.map((x, i) => (x + Q[i]) / 2);
    assert.ok(Math.abs(d.kindJsd! - (kl(P, M) + kl(Q, M)) / 2) < 1e-12);
    assert.ok(d.kindJsd! > 0.1);
    assert.ok(
      d.warnings.some((w) =>
        /^kind mix differs: JSD 0\.\d{3} > 0\.1 \(largest change: Redelivery 33% of discovery events, 0% of holdout\)$/.test(
          w,
        ),
      ),
      d.warnings.join('\n'),
    );
    assert.ok(d.warnings.some((w) => w.startsWith('section mix differs')));
    assert.equal(d.a.sessions, 3);
    assert.equal(d.b.days, 2);
  });

  test('identical periods: JSD 0, no warning', () => {
    const d = compareDrift(disc, period('E', ['2025-07-04', '2025-07-05'], true));
    assert.equal(d.kindJsd, 0);
    assert.equal(d.sectionJsd, 0);
    assert.deepEqual(d.warnings, []);
    for (const s of d.sections) assert.equal(s.presenceDiff, 0);
  });

  test('thresholds are options; labels name the periods', () => {
    const d = compareDrift(disc, hold, { presenceThreshold: 1, jsdThreshold: 1, labels: ['2024', '2025'] });
    assert.deepEqual(d.warnings, []);
    const e = compareDrift(disc, hold, { labels: ['2024', '2025'] });
    assert.match(e.warnings[0], /present in 100% of 2024 sessions, 0% of 2025/);
  });
});

// ---- replication baselines and rolling origin with the stub miner ----

const MOTIFS: Record<string, EventKind[]> = {
  EVERY: [3, 3, 4], // planted in every session
  EVERY2: [4, 4, 3], // planted in every session
  NEVER: [5, 4, 5], // never planted
  RARE: [5, 5, 5], // never planted either
};
const N_NULL = 199;

/** `perDay` sessions on each date; background kinds 0..2; EVERY and EVERY2 planted ×3 in every session. */
function planted(dates: string[], perDay = 2, seed = 5): Session[] {
  const rng = new Rng(seed);
  const out: Session[] = [];
  for (const date of dates)
    for (let j = 0; j < perDay; j++) {
      const kinds: number[] = Array.from({ length: 40 }, () => rng.int(3));
      for (let r = 0; r < 3; r++) {
        kinds.splice(1 + r * 12, 3, ...MOTIFS.EVERY);
        kinds.splice(6 + r * 12, 3, ...MOTIFS.EVERY2);
      }
      out.push(
        session(
          `${j ? 'NY_PM' : 'NY_AM'}_${date}`,
          date,
          kinds.map((k) => ({ kind: k as EventKind, source: 'price_movement' })),
          j ? 'NY_PM' : 'NY_AM',
        ),
      );
    }
  return out;
}

/** The stub miner with a fixed class per motif on discovery (so each class has members). */
function classedMiner(
  classes: Record<string, 'PROMOTE' | 'PARK' | 'DISCARD'>,
  calls: MinerCall[],
): MotifMiner {
  const inner = tripletMiner(MOTIFS, N_NULL, calls);
  return async (s, o) => {
    const r = await inner(s, o);
    return { motifs: r.motifs.map((m) => ({ ...m, class: o.motifIds ? m.class : classes[m.id] })) };
  };
}

const DATES5 = ['2025-07-21', '2025-07-22', '2025-07-23', '2025-07-24', '2025-07-25'];

describe('replication baselines: PARK and DISCARD re-tested under PROMOTE’s rule', async () => {
  const sessions = planted(DATES5);
  const calls: MinerCall[] = [];
  const classes = { EVERY: 'PROMOTE', NEVER: 'PROMOTE', EVERY2: 'PARK', RARE: 'DISCARD' } as const;
  const rep = await validateOutOfSample(sessions, classedMiner(classes, calls), {
    seed: 42,
    splitDate: '2025-07-24',
  });

  test('one holdout call re-tests every class; the rates follow BH within each class', () => {
    assert.equal(calls.length, 2);
    assert.deepEqual(calls[1].opts.motifIds, ['EVERY', 'NEVER', 'EVERY2', 'RARE']);
    const b = rep.replication.byClass;
    assert.deepEqual([b.PROMOTE.tested, b.PARK.tested, b.DISCARD.tested], [2, 1, 1]);
    // PROMOTE: EVERY replicates, NEVER does not (absent → p = 1) — the same rule gives the PROMOTE summary.
    assert.equal(b.PROMOTE.replicated, rep.summary.replicated);
    assert.equal(b.PROMOTE.rate, 0.5);
    const q = benjaminiHochberg(rep.motifs.map((m) => m.holdout.p));
    assert.deepEqual(
      rep.motifs.map((m) => m.holdout.q),
      Array.from(q),
    );
    // PARK holds EVERY2, planted everywhere: it replicates exactly as a PROMOTE motif would; DISCARD's RARE does not.
    assert.equal(b.PARK.replicated, 1);
    assert.equal(b.PARK.rate, 1);
    assert.equal(b.DISCARD.replicated, 0);
    assert.equal(b.DISCARD.rate, 0);
    assert.deepEqual(b.PARK.ci95, wilsonInterval(1, 1));
    assert.equal(rep.replication.holdoutDays, 2);
    assert.equal(rep.replication.holdoutSessions, 4);
  });

  test('a class over the cap is re-tested on a seeded, deterministic sample', async () => {
    const allDiscard = { EVERY: 'DISCARD', NEVER: 'DISCARD', EVERY2: 'DISCARD', RARE: 'DISCARD' } as const;
    const c1: MinerCall[] = [];
    const r1 = await validateOutOfSample(sessions, classedMiner(allDiscard, c1), { baselineCap: 2 });
    const c2: MinerCall[] = [];
    await validateOutOfSample(sessions, classedMiner(allDiscard, c2), { baselineCap: 2 });
    assert.equal(r1.replication.byClass.DISCARD.tested, 2);
    assert.equal(r1.replication.byClass.DISCARD.inClass, 4);
    assert.equal(r1.replication.byClass.DISCARD.sampled, true);
    assert.deepEqual(c1[1].opts.motifIds, c2[1].opts.motifIds);
    assert.equal(r1.summary.promoted, 0);
    assert.equal(r1.replication.byClass.PROMOTE.rate, null);
    assert.equal(r1.replication.byClass.PROMOTE.ci95, null);
  });

  test('Wilson interval against a hand computation', () => {
    // k = 3, n = 10, z = 1.96: centre (0.3 + 0.19208)/1.38416, half (1.96/1.38416)·sqrt(0.021 + 0.009604).
    const z = 1.959963984540054;
    const den = 1 + (z * z) / 10;
    const centre = (0.3 + (z * z) / 20) / den;
    const half = (z / den) * Math.sqrt(0.021 + (z * z) / 400);
    const [lo, hi] = wilsonInterval(3, 10)!;
    assert.ok(Math.abs(lo - (centre - half)) < 1e-12 && Math.abs(hi - (centre + half)) < 1e-12);
    assert.ok(Math.abs(lo - 0.1078) < 1e-4 && Math.abs(hi - 0.6032) < 1e-4);
    assert.equal(wilsonInterval(0, 0), null);
  });
});

describe('rolling origin by trading day', async () => {
  const classes = { EVERY: 'PROMOTE', NEVER: 'PROMOTE', EVERY2: 'PARK', RARE: 'DISCARD' } as const;

  test('5 days, minDays 3: folds for days 4 and 5; pooled rates add the folds', async () => {
    const calls: MinerCall[] = [];
    const r = await rollingOrigin(planted(DATES5), classedMiner(classes, calls), {
      seed: 42,
      alpha: 0.05,
      minDays: 3,
    });
    assert.equal(r.status, 'done');
    if (r.status !== 'done') return;
    assert.deepEqual(
      r.folds.map((f) => f.day),
      ['2025-07-24', '2025-07-25'],
    );
    assert.deepEqual(
      r.folds.map((f) => [f.discoveryDays, f.discoverySessions, f.holdoutSessions]),
      [
        [3, 6, 2],
        [4, 8, 2],
      ],
    );
    // Discovery of fold d sees only the days before d; its holdout is day d alone.
    assert.equal(calls.length, 4);
    assert.ok(calls[0].sessions.every((id) => id.slice(-10) < '2025-07-24'));
    assert.deepEqual(calls[1].sessions, ['NY_AM_2025-07-24', 'NY_PM_2025-07-24']);
    assert.ok(calls[2].sessions.every((id) => id.slice(-10) < '2025-07-25'));
    assert.deepEqual(calls[3].sessions, ['NY_AM_2025-07-25', 'NY_PM_2025-07-25']);
    for (const f of r.folds) {
      assert.equal(f.promoted, 2);
      assert.equal(f.rate, f.replicated / 2);
      assert.equal(f.parkRate, f.parkReplicated / f.parkTested);
      assert.equal(f.discardRate, 0);
    }
    const sum = (g: (f: RollingFold) => number) => r.folds.reduce((a, f) => a + g(f), 0);
    assert.deepEqual(r.pooled.PROMOTE, {
      tested: 4,
      replicated: sum((f) => f.replicated),
      rate: sum((f) => f.replicated) / 4,
    });
    assert.equal(r.pooled.PARK.tested, 2);
    assert.equal(r.pooled.DISCARD.rate, 0);
  });

  test('3 days: skipped with a message naming the count; the single split still runs', async () => {
    const sessions = planted(DATES5.slice(0, 3));
    const r = await rollingOrigin(sessions, classedMiner(classes, []), { seed: 1, alpha: 0.05 });
    assert.deepEqual(r, {
      status: 'skipped',
      minDays: 3,
      days: 3,
      reason:
        'rolling origin needs at least 4 trading days (3 for the first discovery + 1 holdout day), got 3',
    });
    const v = await validateOutOfSample(sessions, classedMiner(classes, []), { rolling: true });
    assert.equal(v.status, 'done');
    assert.equal(v.rolling?.status, 'skipped');
    assert.deepEqual(v.skipped, [`rolling origin: ${r.reason}`]);
    assert.equal(v.summary.promoted, 2);
  });

  test('in the report when asked for; absent (null) otherwise', async () => {
    const sessions = planted(DATES5);
    const off = await validateOutOfSample(sessions, classedMiner(classes, []));
    assert.equal(off.rolling, null);
    const on = await validateOutOfSample(sessions, classedMiner(classes, []), { rolling: true });
    assert.equal(on.rolling?.status, 'done');
  });
});

describe('too few sessions or days for a split', () => {
  const classes = { EVERY: 'PROMOTE', NEVER: 'PROMOTE', EVERY2: 'PARK', RARE: 'DISCARD' } as const;

  test('one session: validation skipped with the reason, nothing thrown', async () => {
    const r = await validateOrSkip(planted(['2025-07-21'], 1), classedMiner(classes, []), { rolling: true });
    assert.equal(r.status, 'skipped');
    if (r.status !== 'skipped') return;
    assert.equal(r.reason, 'temporal split: needs at least 2 sessions, got 1');
    assert.equal(r.sessions, 1);
    assert.equal(r.days, 1);
    assert.ok(r.skipped.includes('temporal split') && r.skipped.includes('rolling origin'));
  });

  test('several sessions on one day: skipped, naming the count of days', async () => {
    const r = await validateOrSkip(planted(['2025-07-21'], 2), classedMiner(classes, []));
    assert.equal(r.status, 'skipped');
    if (r.status === 'skipped') assert.match(r.reason, /all 2 sessions share the date 2025-07-21/);
  });

  test('other errors still throw', async () => {
    await assert.rejects(
      validateOrSkip(planted(DATES5), classedMiner(classes, []), { splitDate: '2020-01-01' }),
      /no discovery sessions before 2020-01-01/,
    );
  });
});
