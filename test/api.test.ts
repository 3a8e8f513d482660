// The public API (src/index.ts) as the README shows it: the example runs and gives sane shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ironforge from '../src/index.js';

test('README library example: ingest → DAG → features → TGAT embeddings', async () => {
  const { readSessions, buildDag, dagInputFromSession, nodeFeatures, encodeSession, createWeights } =
    ironforge;
  const { sessions } = await readSessions(['data/sample/enhanced']);
  const s = sessions.find((x) => x.id === 'NY_AM_2025-07-29')!;
  const dag = buildDag(dagInputFromSession(s));
  const x = nodeFeatures(s);
  const { embeddings, attentionTopM } = encodeSession({
    x: x.data,
    n: x.n,
    inDim: x.d,
    t: Float64Array.from(s.events, (e) => e.t),
    dag,
    kernel: 'auto',
    weights: createWeights({}, 42),
  });
  assert.equal(x.d, 45);
  assert.equal(embeddings.length, s.events.length * 44);
  assert.ok(embeddings.every(Number.isFinite));
  assert.equal(attentionTopM.index.length, s.events.length * attentionTopM.m);
  assert.ok(dag.src.length > s.events.length);
});

test('every stage is reachable from the package entry point', () => {
  for (const name of [
    'readSessions',
    'buildTemporalGraph',
    'mineMotifs',
    'writeParquet',
    'readShard',
    'runPipeline',
    'discoverSessions',
    'Rng',
  ]) {
    assert.equal(typeof (ironforge as Record<string, unknown>)[name], 'function', name);
  }
  for (const ns of [
    'detect',
    'patterns',
    'confluence',
    'validation',
    'report',
    'canary',
    'stats',
    'taxonomy',
  ]) {
    assert.equal(typeof (ironforge as Record<string, unknown>)[ns], 'object', ns);
  }
});
