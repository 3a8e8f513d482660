import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readSessions } from '../src/store/sessions.js';
import { EVENT_KINDS, type EventKind, type Session, type SessionEvent } from '../src/session/types.js';
import { Rng } from '../src/stats/random.js';
import { embeddingTableFromSessions } from '../src/patterns/embeddings.js';
import { buildPatterns, patternsBySession } from '../src/patterns/patterns.js';
import {
  CONFLUENCE_COMPONENTS,
  buildConfluenceInputs,
  confluenceSessionColumns,
  confluenceWindowColumns,
  parseWeights,
  scoreConfluence,
  type ConfluenceWindowRow,
} from '../src/confluence/index.js';
import type { MotifHit } from '../src/validation/miner.js';

const T0 = Date.UTC(2025, 6, 29, 13, 30); // 09:30 ET
const MIN = 60_000;

function mkSession(id: string, startT: number, endT: number, events: [number, EventKind, number][]): Session {
  const ev: SessionEvent[] = events.map(([min, kind, price], i) => ({
    t: startT + min * MIN,
    seq: i,
    price,
    kind,
    source: 'price_movement',
    rule: 'test',
    label: EVENT_KINDS[kind],
    levelKey: '',
    clock: '',
    raw: null,
  }));
  return {
    id,
    type: 'NY_AM',
    date: '2025-07-29',
    symbol: 'NQ',
    timeframe: 'M5',
    timezone: 'America/New_York',
    sourceFile: '<test>',
    startT,
    endT,
    open: events[0][2],
    high: Math.max(...events.map((e) => e[2])),
    low: Math.min(...events.map((e) => e[2])),
    close: events[events.length - 1][2],
    events: ev,
    warnings: [],
  };
}

// 09:30–10:29 ET → four 15-minute windows. Events (minute, kind, price); the last one (12:00 ET) is outside.
const S = mkSession('NY_AM_2025-07-29', T0, T0 + 59 * MIN, [
  [0, 6, 100], // w0 open anchor
  [5, 4, 102], // w0 LiquidityTaken
  [10, 5, 101], // w0 Redelivery
  [20, 0, 105], // w1 Expansion
  [50, 4, 99], // w3 LiquidityTaken
  [55, 2, 98], // w3 Retracement
  [150, 6, 98], // outside the session window
]);
S.close = 98; // open 100 → close 98: session direction down
const PREV = mkSession('PREMARKET_2025-07-29', T0 - 150 * MIN, T0 - 1 * MIN, [
  [0, 6, 10],
  [60, 0, 20],
]); // up
// The NY_AM session the day before: structural events per window 1, 1, 1, 0 (the structure history of S).
const PRIOR = mkSession('NY_AM_2025-07-28', T0 - 1440 * MIN, T0 - 1440 * MIN + 59 * MIN, [
  [0, 6, 100],
  [10, 4, 101],
  [20, 5, 102],
  [40, 4, 103],
  [50, 0, 104],
]);
const PATTERNS = Int32Array.from([0, 0, 1, 2, 0, 1, 0]);
const FREQ = Float64Array.from([0.5, 0.25, 0.25]); // −ln f min–max scaled: 0, 1, 1
const HITS: MotifHit[] = [
  { sessionId: S.id, motifId: 'M', nodes: [1, 2] },
  { sessionId: S.id, motifId: 'X', nodes: [3, 4] }, // not promoted: ignored by buildConfluenceInputs
];

/** Scores PRIOR and S (S's previous session is PREV); returns S's rows only. */
function scoreHand(config: Parameters<typeof scoreConfluence>[1] = {}, hits = HITS) {
  const [input, prior] = buildConfluenceInputs([S, PRIOR, PREV], {
    patternsBySession: new Map([
      [S.id, PATTERNS],
      [PRIOR.id, new Int32Array(PRIOR.events.length)],
    ]),
    motifs: { promotedIds: ['M'], hits },
  });
  const r = scoreConfluence({ sessions: [prior, input], patternFrequency: FREQ }, config);
  return {
    ...r,
    windows: r.windows.filter((w) => w.session_id === S.id),
    sessions: r.sessions.filter((w) => w.session_id === S.id),
  };
}

const close = (a: number | null, b: number, msg = '') =>
  assert.ok(a !== null && Math.abs(a - b) < 1e-12, `${msg}: ${a} vs ${b}`);

describe('confluence components on a hand-computed session', () => {
  const r = scoreHand();
  const w = r.windows;

  test('windows tile the session window in 15-minute steps aligned to the quarter hour', () => {
    assert.equal(w.length, 4);
    w.forEach((row, i) => {
      assert.equal(row.window_start, T0 + i * 15 * MIN);
      assert.equal(row.window_end, T0 + (i + 1) * 15 * MIN);
    });
    assert.deepEqual(
      w.map((x) => x.window_clock),
      ['09:30:00', '09:45:00', '10:00:00', '10:15:00'],
    );
    assert.deepEqual(
      w.map((x) => x.events),
      [3, 1, 0, 2],
    );
    assert.equal(r.sessions[0].events_outside, 1);
  });

  test('motif = share of window events covered by PROMOTED hits', () => {
    assert.deepEqual(
      w.map((x) => x.motif),
      [2 / 3, 0, 0, 0],
    );
  });

  test('an occurrence counts only from the window in which it is complete (its last node)', () => {
    // Node 0 (09:30, w0) + node 3 (09:50, w1): not known in w0, so event 0 is not covered there.
    const late = scoreHand({}, [...HITS, { sessionId: S.id, motifId: 'M', nodes: [0, 3] }]).windows;
    assert.deepEqual(
      late.map((x) => x.motif),
      [2 / 3, 1, 0, 0],
    );
  });

  test('rarity = mean min–max scaled −ln(frequency) of the window’s patterns', () => {
    const v = w.map((x) => x.rarity);
    close(v[0], 1 / 3, 'w0');
    close(v[1], 1, 'w1');
    close(v[2], 0, 'w2');
    close(v[3], 0.5, 'w3');
  });

  test('rarity is 0 everywhere when every pattern is equally common (nothing is rare)', () => {
    const [input] = buildConfluenceInputs([S], { patternsBySession: new Map([[S.id, PATTERNS]]) });
    const even = scoreConfluence({
      sessions: [input],
      patternFrequency: Float64Array.from([1 / 3, 1 / 3, 1 / 3]),
    });
    for (const row of even.windows) assert.equal(row.rarity, 0);
  });

  test('structure = c/(c + m), m = running mean LiquidityTaken+Redelivery per finished NY_AM window', () => {
    // History: PRIOR's windows (1, 1, 1, 0), then S's own finished windows (2, 0, 0).
    close(w[0].structure, 2 / (2 + 3 / 4), 'w0: m = 3/4 (PRIOR only)');
    close(w[1].structure, 0, 'w1: c = 0');
    close(w[2].structure, 0, 'w2: c = 0');
    close(w[3].structure, 1 / (1 + 5 / 7), 'w3: m = (3 + 2 + 0 + 0)/7');
  });

  test('htf = mean agreement with the session so far (open → last price) and the previous session (up)', () => {
    // Window directions up, up, flat, down; so far up, up, up, down (100 → 98 at 10:25).
    assert.deepEqual(
      w.map((x) => x.htf),
      [1, 1, 0, 0.5],
    );
  });

  test('score = 100 × mean of the components with equal default weights', () => {
    for (const row of w) {
      const mean = CONFLUENCE_COMPONENTS.reduce((a, c) => a + (row[c] as number), 0) / 4;
      close(row.score, 100 * mean, row.window_clock);
    }
  });

  test('session row: covered share, rarity over events, structure vs earlier NY_AM rate, htf vs previous', () => {
    const s = r.sessions[0];
    close(s.motif, 2 / 6, 'motif');
    close(s.rarity, 3 / 6, 'rarity');
    close(s.structure, 0.5, 'structure (3 per 59 minutes, as in PRIOR)');
    assert.equal(s.htf, 0);
    close(s.score, (100 * (2 / 6 + 3 / 6 + 0.5 + 0)) / 4, 'score');
    assert.equal(s.max_window_score, Math.max(...w.map((x) => x.score as number)));
  });
});

describe('weights', () => {
  const base = scoreHand().windows[0];

  test('a single non-zero weight makes the score 100 × that component', () => {
    for (const c of CONFLUENCE_COMPONENTS) {
      const weights = { motif: 0, rarity: 0, structure: 0, htf: 0, [c]: 2 };
      close(scoreHand({ weights }).windows[0].score, 100 * (base[c] as number), c);
    }
  });

  test('only ratios matter: scaling every weight leaves the score unchanged', () => {
    const scaled = scoreHand({ weights: { motif: 3, rarity: 3, structure: 3, htf: 3 } }).windows;
    scoreHand().windows.forEach((row, i) => close(scaled[i].score, row.score as number));
  });

  test('raising the weight of a component above the score raises the score, below it lowers it', () => {
    const s0 = base.score as number;
    const up = scoreHand({ weights: { structure: 3 } }).windows[0].score as number; // structure 0.727 > 0.682
    const down = scoreHand({ weights: { rarity: 3 } }).windows[0].score as number; // rarity 0.333 < 0.682
    assert.ok(100 * (base.structure as number) > s0 && up > s0, `${up} > ${s0}`);
    assert.ok(100 * (base.rarity as number) < s0 && down < s0, `${down} < ${s0}`);
    close(up, (100 * (base.motif! + base.rarity! + 3 * base.structure! + base.htf!)) / 6);
  });

  test('bad weights and config are rejected naming the field', () => {
    assert.throws(
      () => scoreHand({ weights: { motif: -1 } }),
      /weights\.motif must be a finite number ≥ 0, got -1/,
    );
    assert.throws(
      () => scoreHand({ weights: { motif: 0, rarity: 0, structure: 0, htf: 0 } }),
      /at least one weight must be > 0/,
    );
    assert.throws(() => scoreHand({ weights: { bogus: 1 } as never }), /unknown weight "bogus"/);
    assert.throws(() => scoreHand({ windowMinutes: 0 }), /windowMinutes must be a number > 0, got 0/);
    assert.throws(() => scoreHand({ htfReferences: ['weekly' as never] }), /htfReferences entries must be/);
    assert.deepEqual(parseWeights('motif=2, htf=0.5'), { motif: 2, htf: 0.5 });
    assert.throws(() => parseWeights('motif'), /"motif" is not name=value/);
    assert.throws(() => parseWeights('foo=1'), /unknown component "foo"/);
    assert.throws(() => parseWeights('htf=-2'), /htf must be a finite number ≥ 0, got "-2"/);
  });
});

describe('availability and input checks', () => {
  test('components without input are null and left out of the score (not counted as 0)', () => {
    const [input] = buildConfluenceInputs([S]);
    const r = scoreConfluence({ sessions: [input] });
    const w0 = r.windows[0];
    assert.equal(w0.motif, null);
    assert.equal(w0.rarity, null);
    // No finished NY_AM window before 09:30: no structure reference yet.
    assert.equal(w0.structure, null);
    // No previous session: htf compares with the session so far only (up window, up so far → 1).
    assert.equal(w0.htf, 1);
    close(w0.score, 100);
    assert.equal(r.sessions[0].htf, null);
    assert.equal(r.sessions[0].structure, null);
    // Parquet columns carry NaN for the unavailable values.
    const cols = confluenceWindowColumns(r.windows);
    const motifCol = cols.find((c) => c.name === 'motif')!.values as Float64Array;
    assert.ok(Number.isNaN(motifCol[0]));
    assert.equal(confluenceSessionColumns(r.sessions).length, 12);
  });

  test('bad hits and pattern arrays fail with a clear message', () => {
    const bad = { session: S, promotedHits: [{ sessionId: S.id, motifId: 'M', nodes: [99] }] };
    assert.throws(
      () => scoreConfluence({ sessions: [bad] }),
      /hit of motif M in NY_AM_2025-07-29 names node 99, outside 0\.\.6/,
    );
    const short = { session: S, patternOfEvent: new Int32Array(3) };
    assert.throws(
      () => scoreConfluence({ sessions: [short], patternFrequency: FREQ }),
      /has 7 events but patternOfEvent has 3/,
    );
    const noFreq = { session: S, patternOfEvent: PATTERNS };
    assert.throws(() => scoreConfluence({ sessions: [noFreq] }), /no patternFrequency was given/);
  });

  test('previous session = the last one that had ended by the start (its close is known)', () => {
    const later = { ...S, id: 'LUNCH_2025-07-29', startT: S.endT + MIN, endT: S.endT + 60 * MIN };
    // Starts after PREV but is still running when S starts: not S's previous session.
    const overlap = { ...PREV, id: 'OVERLAP_2025-07-29', startT: T0 - 30 * MIN, endT: T0 + 10 * MIN };
    const inputs = buildConfluenceInputs([later, S, PREV, overlap]);
    assert.equal(inputs[0].previous?.id, S.id);
    assert.equal(inputs[1].previous?.id, PREV.id);
    assert.equal(inputs[2].previous, null);
    assert.equal(inputs[3].previous, null); // PREV was still running at 09:00
    // A previous session that had not ended is refused: its close would be hindsight.
    assert.throws(
      () => scoreConfluence({ sessions: [{ session: S, previous: overlap }] }),
      /previous session of NY_AM_2025-07-29 \(OVERLAP_2025-07-29\) ends at .* after NY_AM_2025-07-29 starts/,
    );
  });
});

describe('confluence on the real sample (seeded embeddings)', async () => {
  const { sessions } = await readSessions(['data/sample/enhanced']);
  const rng = new Rng(42);
  const dim = 16;
  const emb = sessions.map((s) => Float32Array.from({ length: s.events.length * dim }, () => rng.normal()));
  const table = embeddingTableFromSessions(sessions, emb, dim);
  const set = buildPatterns(table, { seed: 42, k: 6 });
  const counts = new Map(sessions.map((s) => [s.id, s.events.length]));
  // Stub "promoted motif": every LiquidityTaken → Redelivery consecutive pair.
  const hits: MotifHit[] = [];
  for (const s of sessions)
    for (let i = 1; i < s.events.length; i++)
      if (s.events[i - 1].kind === 4 && s.events[i].kind === 5)
        hits.push({ sessionId: s.id, motifId: 'LT>RD', nodes: [i - 1, i] });
  const inputs = buildConfluenceInputs(sessions, {
    patternsBySession: patternsBySession(table, set.assign, counts),
    motifs: { promotedIds: ['LT>RD'], hits },
  });
  const r = scoreConfluence({
    sessions: inputs,
    patternFrequency: Float64Array.from(set.patterns, (p) => p.share),
  });

  test('35 session rows; windows tile each session window; every component in [0, 1], score in [0, 100]', () => {
    assert.equal(r.sessions.length, 35);
    const check = (row: ConfluenceWindowRow | (typeof r.sessions)[number]) => {
      for (const c of CONFLUENCE_COMPONENTS) {
        const v = row[c];
        if (v !== null) assert.ok(v >= 0 && v <= 1, `${row.session_id} ${c} = ${v}`);
      }
      assert.ok(
        row.score !== null && row.score >= 0 && row.score <= 100,
        `${row.session_id} score ${row.score}`,
      );
    };
    r.windows.forEach(check);
    r.sessions.forEach(check);
    for (const s of sessions) {
      const rows = r.windows.filter((w) => w.session_id === s.id);
      assert.ok(rows[0].window_start <= s.startT && rows[0].window_end > s.startT);
      assert.ok(rows[rows.length - 1].window_end > s.endT);
      const sessRow = r.sessions.find((x) => x.session_id === s.id)!;
      assert.equal(
        rows.reduce((a, w) => a + w.events, 0),
        sessRow.events,
      );
      assert.equal(sessRow.events + sessRow.events_outside, s.events.length);
    }
    // Every component is exercised (some non-zero value somewhere).
    for (const c of CONFLUENCE_COMPONENTS)
      assert.ok(
        r.windows.some((w) => (w[c] ?? 0) > 0),
        `${c} never > 0`,
      );
    // The first session in time has no previous session: its session-level htf is unavailable.
    assert.equal(r.sessions.filter((x) => x.htf === null).length, 1);
  });

  test('deterministic: scoring twice gives identical rows', () => {
    const again = scoreConfluence({
      sessions: inputs,
      patternFrequency: Float64Array.from(set.patterns, (p) => p.share),
    });
    assert.deepEqual(again, r);
  });
});
