/**
 * Worker-thread execution gives the serial bytes: Parquet encodings of the embeddings, attention and motif
 * tables from 2 threads equal those of `discoverSessions` / `mineMotifsDetailed` in this thread.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mineMotifsDetailed } from '../src/motifs/mine.js';
import type { MineOptions } from '../src/motifs/types.js';
import { discoverSessions } from '../src/discover/discover.js';
import { dagMotifSessions } from '../src/discover/motif-input.js';
import { attentionColumns, embeddingColumns, motifColumns } from '../src/store/run-tables.js';
import {
  discoverSessionsParallel,
  mineMotifsParallel,
  serialExecutor,
  threadPoolExecutor,
} from '../src/scale/index.js';
import type { ScaleExecutor } from '../src/scale/index.js';
import { readSessions } from '../src/store/sessions.js';
import type { Session } from '../src/session/types.js';
import { encodeParquet } from '../src/io/parquet.js';

const MINE: MineOptions & { nulls: number; batchSize: number } = {
  sizes: [3, 4],
  nulls: 40,
  batchSize: 8,
  bootstrap: 200,
  seed: 11,
};

describe('scale: worker threads give the serial bytes', () => {
  let sessions: Session[] = [];
  let pool: ScaleExecutor;
  before(async () => {
    sessions = (await readSessions(['data/sample/enhanced'])).sessions.slice(0, 12);
    pool = threadPoolExecutor(2);
  });
  after(() => pool.close());

  test('discovery on 2 threads: embeddings and attention Parquet bytes equal serial', async () => {
    const serial = discoverSessions(sessions, { seed: 5, kernel: 'auto' });
    const par = await discoverSessionsParallel(sessions, pool, { seed: 5, kernel: 'auto', chunkSize: 2 });
    assert.equal(par.length, sessions.length);
    assert.deepEqual(
      par.map((d) => d.session.id),
      serial.map((d) => d.session.id),
    );
    assert.deepEqual(encodeParquet(embeddingColumns(par)), encodeParquet(embeddingColumns(serial)));
    assert.deepEqual(encodeParquet(attentionColumns(par)), encodeParquet(attentionColumns(serial)));
  });

  test('motif nulls (all three models) on 2 threads: motif table Parquet bytes equal serial', async () => {
    const ms = dagMotifSessions(sessions);
    const serial = mineMotifsDetailed(ms, { ...MINE, nullModel: 'all' });
    const par = await mineMotifsParallel(ms, pool, { ...MINE, nullModel: 'all' });
    assert.ok(serial.testedMotifs > 0, 'fixture must test some motifs');
    assert.equal(par.testedMotifs, serial.testedMotifs);
    assert.deepEqual(encodeParquet(motifColumns(par.results)), encodeParquet(motifColumns(serial.results)));
  });

  test('a different seed changes the motif bytes (the comparison can fail)', async () => {
    const ms = dagMotifSessions(sessions);
    const a = await mineMotifsParallel(ms, serialExecutor(), { ...MINE });
    const b = await mineMotifsParallel(ms, serialExecutor(), { ...MINE, seed: 12 });
    assert.notDeepEqual(encodeParquet(motifColumns(a.results)), encodeParquet(motifColumns(b.results)));
  });

  test('batch split does not change results: batchSize 3 vs 40 on the serial executor', async () => {
    const ms = dagMotifSessions(sessions);
    const a = await mineMotifsParallel(ms, serialExecutor(), {
      ...MINE,
      batchSize: 3,
      nullModel: 'edge-swap',
    });
    const b = mineMotifsDetailed(ms, { ...MINE, batchSize: 40, nullModel: 'edge-swap' });
    assert.deepEqual(encodeParquet(motifColumns(a.results)), encodeParquet(motifColumns(b.results)));
  });

  test('bad workers value is refused with a clear error', () => {
    assert.throws(() => threadPoolExecutor(0), /workers must be an integer ≥ 1, got 0/);
  });
});
