import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { readSessions } from '../src/store/sessions.js';
import type { Session } from '../src/session/index.js';
import { type KindTaskReport, kindModelWeights, runNextKindExperiment } from '../src/tgat/train/index.js';
import { decodeHeads, encodeWeights, makeHeads } from '../src/store/index.js';

let sessions: Session[] = [];
const OPTS = { seeds: [42], epochs: 4, patience: 4 };

before(async () => {
  sessions = (await readSessions(['data/sample/enhanced'])).sessions;
});

/** Replaces every event kind on the test dates (the last two of the sample). */
function poisonTest(all: readonly Session[], testDates: readonly string[]): Session[] {
  const set = new Set(testDates);
  return all.map((s) =>
    set.has(s.date)
      ? { ...s, events: s.events.map((e) => ({ ...e, kind: ((e.kind + 3) % 7) as typeof e.kind })) }
      : s,
  );
}

function selection(r: KindTaskReport) {
  return {
    split: r.split,
    bestBaseline: r.bestBaseline,
    baselines: r.baselines.map((b) => ({
      name: b.name,
      l2: b.l2,
      v: b.validationLogLoss,
      a: b.validationAccuracy,
    })),
    seeds: r.perSeed.map((s) => ({
      e: s.bestEpoch,
      n: s.epochsRun,
      v: s.validationLogLoss,
      a: s.validationAccuracy,
    })),
  };
}

describe('train: the honest protocol', () => {
  test('poisoning the test fold changes no choice and no validation figure, only the test figures', () => {
    const clean = runNextKindExperiment(sessions, OPTS);
    const bad = runNextKindExperiment(poisonTest(sessions, clean.split.test), OPTS);
    assert.deepEqual(selection(bad), selection(clean));
    assert.ok(
      Buffer.from(encodeWeights(kindModelWeights(bad.firstModel!))).equals(
        Buffer.from(encodeWeights(kindModelWeights(clean.firstModel!))),
      ),
    );
    assert.notEqual(bad.model!.metric, clean.model!.metric, 'the poison reached the test fold');
  });

  test('same seed ⇒ byte-identical weights; another seed ⇒ different weights', () => {
    const a = runNextKindExperiment(sessions, { ...OPTS, epochs: 2 });
    const b = runNextKindExperiment(sessions, { ...OPTS, epochs: 2 });
    const c = runNextKindExperiment(sessions, { ...OPTS, epochs: 2, seeds: [43] });
    const bytes = (r: KindTaskReport) => Buffer.from(encodeWeights(kindModelWeights(r.firstModel!, 42)));
    assert.ok(bytes(a).equals(bytes(b)));
    assert.ok(Buffer.from(a.firstModel!.params.buffer).equals(Buffer.from(b.firstModel!.params.buffer)));
    assert.ok(!bytes(a).equals(bytes(c)));
  });

  test('a task whose labels are constant is reported as such, not trained', () => {
    const flat = sessions.map((s) => ({ ...s, events: s.events.map((e) => ({ ...e, kind: 0 as const })) }));
    const r = runNextKindExperiment(flat, OPTS);
    assert.equal(r.constant, true);
    assert.equal(r.model, null);
    assert.match(r.note ?? '', /not trained/);
  });

  test('too few dates: the error names the count', () => {
    const two = sessions.filter((s) => s.date <= '2025-07-25');
    assert.throws(() => runNextKindExperiment(two, OPTS), /3-way split needs ≥ 3 trading dates, got 2/);
  });

  test('a heads sidecar of another version or shape is refused naming the file', () => {
    const h = makeHeads('/tmp/w.bin', {
      seed: 1,
      hidden: 2,
      features: { columns: ['a'], mean: [0], sd: [1] },
      kindHead: { classes: ['x', 'y'], W: [1, 2, 3, 4], b: [0, 0] },
    });
    assert.equal(decodeHeads(JSON.stringify(h), 'w.bin.heads.json', 2).hidden, 2);
    assert.throws(
      () => decodeHeads(JSON.stringify({ ...h, version: 2 }), 'w.bin.heads.json'),
      /w\.bin\.heads\.json: version 2/,
    );
    assert.throws(
      () => decodeHeads(JSON.stringify(h), 'w.bin.heads.json', 44),
      /w\.bin\.heads\.json: head width 2 .* hidden 44/,
    );
    assert.throws(
      () => decodeHeads(JSON.stringify({ ...h, kindHead: { ...h.kindHead, W: [1] } }), 'w.bin.heads.json'),
      /w\.bin\.heads\.json: kindHead shape/,
    );
  });
});
