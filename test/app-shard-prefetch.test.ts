// Shards encoded ahead while the workers count nulls (src/app/shard-prefetch.ts): within the byte budget, each
// handed over once, stopped on request, quiet on a failure (the writer encodes that shard and reports it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShardPrefetch } from '../src/app/shard-prefetch.js';
import type { Session } from '../src/session/index.js';
import type { EncodedShard } from '../src/store/index.js';

const sessions = Array.from({ length: 10 }, (_, i) => ({ id: `s${i}` }) as unknown as Session);
const shardOf = (s: Session): EncodedShard => ({
  nodes: new Uint8Array(100),
  edges: new Uint8Array(0),
  nodeMap: new Uint8Array(0),
  metaJson: s.id,
});
const settle = async (): Promise<void> => {
  for (let i = 0; i < 40; i++) await new Promise<void>((r) => setImmediate(r));
};

test('encodes ahead in order until the byte budget is reached, and hands each shard over once', async () => {
  const produced: string[] = [];
  const ahead = new ShardPrefetch(async (s) => {
    produced.push(s.id);
    return shardOf(s);
  }, 250); // 102 bytes per shard: stops once ≥ 250 bytes are held, after 3 shards
  ahead.start(sessions);
  await settle();
  assert.deepEqual(produced, ['s0', 's1', 's2']);
  assert.equal(ahead.take(sessions[1])?.metaJson, 's1');
  assert.equal(ahead.take(sessions[1]), undefined, 'handed over once');
  assert.equal(ahead.take(sessions[5]), undefined, 'beyond the budget: the writer encodes it');
});

test('stop ends it; a failure ends it quietly', async () => {
  const produced: string[] = [];
  const stopped = new ShardPrefetch(async (s) => {
    produced.push(s.id);
    return shardOf(s);
  });
  stopped.start(sessions);
  stopped.stop();
  await settle();
  assert.equal(produced.length, 0);
  const failing = new ShardPrefetch(async (s) => {
    if (s.id === 's2') throw new Error('disk full');
    produced.push(s.id);
    return shardOf(s);
  });
  failing.start(sessions);
  await settle();
  assert.deepEqual(produced, ['s0', 's1']);
  assert.equal(failing.take(sessions[0])?.metaJson, 's0');
});
