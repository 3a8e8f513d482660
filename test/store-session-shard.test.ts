import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { mkdtemp } from './helpers/tmp.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSessions } from '../src/store/sessions.js';
import { sessionToShard } from '../src/store/session-shard.js';
import { writeShard } from '../src/store/shard.js';
import { EDGE_INTENTS } from '../src/graph/types.js';

describe('sessions ⇄ shards', async () => {
  const { sessions } = await readSessions(['data/sample/enhanced']);
  const out = await mkdtemp(join(tmpdir(), 'ifg-shards-'));
  for (const s of sessions) {
    await writeShard(
      join(out, `shard_${s.id}`),
      sessionToShard(s, { conversionTimestamp: '2026-01-01T00:00:00Z' }),
    );
  }

  test('every sample session round-trips through our shards: times, prices, kinds and sources equal', async () => {
    const back = await readSessions([out]);
    assert.deepEqual(back.failures, []);
    assert.equal(back.sessions.length, sessions.length);
    const byId = new Map(back.sessions.map((s) => [s.id, s]));
    for (const s of sessions) {
      const b = byId.get(s.id)!;
      assert.ok(b, `missing ${s.id}`);
      assert.deepEqual(
        b.events.map((e) => [e.t, e.price, e.kind, e.source, e.clock]),
        s.events.map((e) => [e.t, e.price, e.kind, e.source, e.clock]),
      );
    }
  });

  test('shards carry all four edge intents across the sample', () => {
    const counts = new Array(EDGE_INTENTS.length).fill(0);
    for (const s of sessions)
      for (const k of sessionToShard(s, { conversionTimestamp: 'x' }).edges.etype) counts[k]++;
    for (let k = 0; k < counts.length; k++) assert.ok(counts[k] > 0, `no ${EDGE_INTENTS[k]} edges`);
  });

  test('the original pyarrow shards read as 32 sessions, NY shards by their source file (AM or PM)', async () => {
    const r = await readSessions(['data/sample/shards']);
    assert.deepEqual(r.failures, []);
    assert.equal(r.sessions.length, 32);
    const ids = new Set(r.sessions.map((s) => s.id));
    assert.ok(ids.has('NY_PM_2025-07-29'));
    assert.ok(!ids.has('NY_AM_2025-07-29'));
    const s = r.sessions.find((x) => x.id === 'NY_PM_2025-07-29')!;
    const meta = JSON.parse(await readFile('data/sample/shards/shard_NY_2025-07-29/meta.json', 'utf8'));
    assert.equal(s.events.length, meta.node_count);
  });

  test('a corrupt shard fails alone, naming the file; the other shards still read', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'ifg-badshard-'));
    const good = join(bad, 'shard_A');
    await writeShard(good, sessionToShard(sessions[0], { conversionTimestamp: 'x' }));
    const broken = join(bad, 'shard_B');
    await writeShard(broken, sessionToShard(sessions[1], { conversionTimestamp: 'x' }));
    const bytes = await readFile(join(broken, 'nodes.parquet'));
    await writeFile(join(broken, 'nodes.parquet'), bytes.subarray(0, bytes.length >> 1));
    const r = await readSessions([bad]);
    assert.equal(r.sessions.length, 1);
    assert.equal(r.failures.length, 1);
    assert.match(r.failures[0].error, /shard_B.*nodes\.parquet/);
  });
});
