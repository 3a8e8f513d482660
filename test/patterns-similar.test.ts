import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../src/stats/random.js';
import type { Session } from '../src/session/types.js';
import {
  attachSessionPrices,
  embeddingTableColumns,
  embeddingTableFromSessions,
  loadEmbeddingsTable,
} from '../src/patterns/embeddings.js';
import { findMoment, similarMoments } from '../src/patterns/similar.js';
import { decodeParquet, encodeParquet, type Column, type ParquetTable } from '../src/io/parquet.js';
import { randomSession } from '../src/synthetic/index.js';

const DIM = 44;

function seededEmbeddings(rng: Rng, s: Session): Float32Array {
  const e = new Float32Array(s.events.length * DIM);
  for (let i = 0; i < e.length; i++) e[i] = rng.normal();
  return e;
}

const rng = new Rng(2024);
const sessions: Session[] = Array.from({ length: 5 }, (_, s) => {
  const day = 24 + s;
  const ses = randomSession(rng, 30 + 5 * s, { startT: Date.UTC(2025, 6, day, 13, 30) });
  return { ...ses, id: `NY_AM_2025-07-${day}`, date: `2025-07-${day}` };
});
const embeddings = sessions.map((s) => seededEmbeddings(rng, s));
// An exact copy of session 0 under another id (and another date): its rows are at cosine distance 0.
const copy: Session = { ...sessions[0], id: 'COPY_2025-08-01', date: '2025-08-01' };
const table = embeddingTableFromSessions([...sessions, copy], [...embeddings, embeddings[0]], DIM);

/** Brute-force cosine distance on plain arrays (the oracle). */
function cosineRef(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return 1 - dot / Math.sqrt(na * nb);
}
const rowVec = (r: number) => Array.from(table.vectors.subarray(r * DIM, (r + 1) * DIM));

describe('similarMoments', () => {
  const q = sessions[0];
  const qi = 17;
  const at = q.events[qi].t;

  test('ranks the exact copy first and never returns the query session', () => {
    const r = similarMoments(table, q.id, at, 10);
    assert.equal(r.moments.length, 10);
    assert.equal(r.moments[0].sessionId, copy.id);
    assert.equal(r.moments[0].nodeId, r.query.nodeId);
    assert.ok(r.moments[0].distance <= 1e-12);
    for (const m of r.moments) assert.notEqual(m.sessionId, q.id);
    for (let i = 1; i < r.moments.length; i++) assert.ok(r.moments[i].distance >= r.moments[i - 1].distance);
    assert.deepEqual(
      r.moments.map((m) => m.rank),
      Array.from({ length: 10 }, (_, i) => i + 1),
    );
  });

  test('ranking equals brute-force cosine over every row of other sessions', () => {
    const r = similarMoments(table, q.id, at, 15);
    const qRow = r.query.row;
    const brute = [...Array(table.n).keys()]
      .filter((x) => table.sessionIds[table.sessionIndex[x]] !== q.id)
      .map((x) => ({ x, d: cosineRef(rowVec(qRow), rowVec(x)) }))
      .sort((a, b) => a.d - b.d || a.x - b.x)
      .slice(0, 15);
    assert.deepEqual(
      r.moments.map((m) => m.row),
      brute.map((b) => b.x),
    );
    for (let i = 0; i < 15; i++) assert.ok(Math.abs(r.moments[i].distance - brute[i].d) < 1e-12);
  });

  test('the query moment is the latest event at or before the time (HH:MM clock in ET)', () => {
    // Between two distinct event times: must pick the last event at the earlier time.
    const ev = q.events;
    let i = 1;
    while (!(ev[i].t > ev[i - 1].t && ev[i].t - ev[i - 1].t >= 120_000)) i++;
    const before = ev[i - 1].t;
    let last = i - 1;
    while (last + 1 < ev.length && ev[last + 1].t === before) last++;
    const clock = ev[i - 1].clock.slice(0, 5); // HH:MM of the earlier event, ET
    const minuteAfter = before + 60_000;
    assert.ok(minuteAfter < ev[i].t);
    assert.equal(table.nodeId[findMoment(table, q.id, minuteAfter)], last);
    assert.equal(table.nodeId[findMoment(table, q.id, clock)], last);
    const r = similarMoments(table, q.id, clock, 3);
    assert.equal(r.query.clock, ev[last].clock);
    assert.equal(r.query.price, ev[last].price);
  });

  test('maxPerSession spreads the answer over sessions', () => {
    const r = similarMoments(table, q.id, at, 5, { maxPerSession: 1 });
    assert.equal(new Set(r.moments.map((m) => m.sessionId)).size, 5);
    assert.equal(r.moments[0].sessionId, copy.id);
  });

  test('clear errors: unknown session, time before the first event, bad clock, bad k', () => {
    assert.throws(() => similarMoments(table, 'NOPE', at), /session "NOPE" is not in the embeddings/);
    assert.throws(
      () => similarMoments(table, q.id, '08:00'),
      /no event at or before 08:00 .*first event at 09:30:00/,
    );
    assert.throws(() => similarMoments(table, q.id, '9h30'), /time "9h30" is not HH:MM or HH:MM:SS/);
    assert.throws(() => similarMoments(table, q.id, at, 0), /k must be a positive integer/);
  });

  test('an all-zero query embedding is an error, zero candidates rank as orthogonal', () => {
    const z = embeddings.map((e) => Float32Array.from(e));
    z[1].fill(0); // session 1 all zeros
    const t2 = embeddingTableFromSessions(sessions, z, DIM);
    assert.throws(() => similarMoments(t2, sessions[1].id, sessions[1].events[3].t), /all zeros/);
    const r = similarMoments(t2, q.id, at, t2.n);
    for (const m of r.moments) if (m.sessionId === sessions[1].id) assert.equal(m.distance, 1);
  });
});

describe('embeddings table I/O', () => {
  test('columns → Parquet → loadEmbeddingsTable round trip keeps every row', () => {
    const cols = embeddingTableColumns(table);
    assert.deepEqual(
      cols.slice(0, 5).map((c) => [c.name, c.type]),
      [
        ['session_id', 'string'],
        ['node_id', 'uint32'],
        ['t', 'int64'],
        ['kind', 'uint8'],
        ['e0', 'float32'],
      ],
    );
    const decoded = decodeParquet(encodeParquet(cols), {}, 'mem.parquet');
    const back = loadEmbeddingsTable(decoded);
    assert.equal(back.n, table.n);
    assert.equal(back.dim, DIM);
    assert.deepEqual(back.vectors, table.vectors);
    assert.deepEqual(back.t, table.t);
    assert.deepEqual(back.kind, table.kind);
    assert.deepEqual(back.nodeId, table.nodeId);
    assert.deepEqual(back.sessionIds, table.sessionIds);
    assert.ok(Number.isNaN(back.price[0]));
    assert.equal(back.sessionDates.get('NY_AM_2025-07-24'), '2025-07-24');
    attachSessionPrices(back, [...sessions, copy]);
    assert.deepEqual(back.price, table.price);
    // Same answers from the loaded table.
    const a = similarMoments(table, sessions[2].id, '10:00', 4);
    const b = similarMoments(back, sessions[2].id, '10:00', 4);
    assert.deepEqual(b, a);
  });

  test('several tables (one file per session) pool in order', () => {
    const one = (s: number): ParquetTable => {
      const t = embeddingTableFromSessions([sessions[s]], [embeddings[s]], DIM);
      return { source: `s${s}.parquet`, numRows: t.n, columns: embeddingTableColumns(t), metadata: {} };
    };
    const pooled = loadEmbeddingsTable([one(0), one(1), one(2)]);
    assert.deepEqual(
      pooled.sessionIds,
      sessions.slice(0, 3).map((s) => s.id),
    );
    assert.equal(pooled.n, sessions[0].events.length + sessions[1].events.length + sessions[2].events.length);
  });

  test('bad tables fail naming the source, column and row', () => {
    const cols = embeddingTableColumns(table);
    const mk = (c: typeof cols): ParquetTable => ({
      source: 'bad.parquet',
      numRows: table.n,
      columns: c,
      metadata: {},
    });
    assert.throws(
      () => loadEmbeddingsTable(mk(cols.filter((c) => c.name !== 'kind'))),
      /bad\.parquet: embeddings table has no column "kind"/,
    );
    assert.throws(
      () => loadEmbeddingsTable(mk(cols.filter((c) => c.name !== 'e3'))),
      /bad\.parquet: embedding columns must be e0\.\.e2 without gaps; found e4/,
    );
    const dupNode = cols.map((c): Column =>
      c.name === 'node_id' ? { name: c.name, type: 'uint32', values: new Uint32Array(table.n) } : c,
    );
    assert.throws(
      () => loadEmbeddingsTable(mk(dupNode)),
      /duplicate \(session_id, node_id\) = \(NY_AM_2025-07-24, 0\) at row 1/,
    );
    const badKind = cols.map((c): Column =>
      c.name === 'kind' ? { name: c.name, type: 'uint8', values: new Uint8Array(table.n).fill(9) } : c,
    );
    assert.throws(() => loadEmbeddingsTable(mk(badKind)), /kind at row 0 is 9, expected 0\.\.6/);
    const nan = cols.map((c): Column =>
      c.name === 'e5' ? { name: c.name, type: 'float32', values: new Float32Array(table.n).fill(NaN) } : c,
    );
    assert.throws(() => loadEmbeddingsTable(mk(nan)), /e5 at row 0 is NaN/);
  });

  test('embeddingTableFromSessions checks lengths', () => {
    assert.throws(
      () => embeddingTableFromSessions([sessions[0]], [new Float32Array(3)], DIM),
      /session NY_AM_2025-07-24 has 30 events × dim 44 = 1320 values, got 3/,
    );
  });
});
