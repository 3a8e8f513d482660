/** Families of PROMOTE motifs, and the day-clustered lift CI of a mining run. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assignFamilies,
  canonicalForm,
  formId,
  formKey,
  mineMotifsDetailed,
  motifFamilies,
  oneNodeSubMotifKeys,
  pairIndex,
  type MotifResult,
  type MotifSession,
} from '../src/motifs/index.js';
import type { MotifClass } from '../src/stats/index.js';
import { synthSessions } from './motifs-fixtures.js';

function motif(kinds: number[], edges: [number, number][], cls: MotifClass, z: number): MotifResult {
  const s = kinds.length;
  const pairs = new Array<number>((s * (s - 1)) / 2).fill(0);
  for (const [p, q] of edges) pairs[pairIndex(p, q, s)] = 1;
  const form = canonicalForm(s, kinds, pairs);
  return {
    id: formId(form),
    key: formKey(form),
    size: s,
    kinds: form.kinds,
    edges: '',
    count: 10 * s,
    support: 3,
    sessions: [`S${s}`, `T${z}`],
    statistic: 'count',
    nullModel: 'kind-shuffle',
    nullMean: 1,
    nullSd: 1,
    lift: z / 2,
    z,
    p: 0.001,
    pMethod: 'tail',
    nullSelected: 1000,
    drawsNeeded: null,
    q: 0.001,
    ciLow: 2,
    ciHigh: 3,
    class: cls,
  };
}

// A 3-node chain inside a 4-node chain inside a 5-node motif, an unrelated promoted fork, and a PARK motif
// that contains the fork.
const chain3 = motif(
  [4, 5, 6],
  [
    [0, 1],
    [1, 2],
  ],
  'PROMOTE',
  8,
);
const chain4 = motif(
  [4, 5, 6, 0],
  [
    [0, 1],
    [1, 2],
    [2, 3],
  ],
  'PROMOTE',
  12,
);
const five = motif(
  [4, 5, 6, 0, 1],
  [
    [0, 1],
    [1, 2],
    [2, 3],
    [2, 4],
  ],
  'PROMOTE',
  10,
);
const fork = motif(
  [1, 1, 1],
  [
    [0, 1],
    [0, 2],
  ],
  'PROMOTE',
  20,
);
const parkedSuper = motif(
  [1, 1, 1, 3],
  [
    [0, 1],
    [0, 2],
    [2, 3],
  ],
  'PARK',
  30,
);
const discardedSub = motif(
  [5, 6, 0],
  [
    [0, 1],
    [1, 2],
  ],
  'DISCARD',
  40,
);

describe('motif families', () => {
  test('one-node deletions: only connected induced sub-motifs count', () => {
    const keys = oneNodeSubMotifKeys(canonicalForm(4, [4, 5, 6, 0], [1, 0, 0, 1, 0, 1]));
    // Deleting an end keeps a chain; deleting a middle node disconnects it.
    assert.deepEqual(new Set(keys), new Set([chain3.key, discardedSub.key]));
    assert.deepEqual(oneNodeSubMotifKeys(canonicalForm(3, [4, 5, 6], [1, 0, 1])), []);
  });

  test('nested chains form one family, the unrelated fork another; non-PROMOTE motifs never join', () => {
    const results = [parkedSuper, chain3, five, fork, discardedSub, chain4];
    const fams = motifFamilies(results, 'count');
    assert.equal(fams.length, 2);
    assert.deepEqual(fams[0], {
      id: 'F1',
      representative: fork.id,
      members: [fork.id],
      sizes: [3],
      statistic: 'count',
      z: 20,
      lift: 10,
      count: 30,
      support: 2,
    });
    assert.equal(fams[1].id, 'F2');
    assert.equal(fams[1].representative, chain4.id, 'largest z');
    assert.deepEqual(fams[1].members, [chain3.id, chain4.id, five.id]);
    assert.deepEqual(fams[1].sizes, [3, 4, 5]);
    assert.equal(fams[1].support, 6, 'sessions containing any member: S3, T8, S4, T12, S5, T10');
    const { results: tagged, families } = assignFamilies(results, 'count');
    assert.deepEqual(families, fams);
    const famOf = Object.fromEntries(tagged.map((r) => [r.id, r.family]));
    assert.equal(famOf[fork.id], 'F1');
    assert.equal(famOf[chain3.id], 'F2');
    assert.equal(famOf[five.id], 'F2');
    assert.equal(famOf[parkedSuper.id], undefined);
    assert.equal(famOf[discardedSub.id], undefined);
    assert.ok(!('family' in tagged[0]), 'no family key on a PARK motif');
  });

  test('a missing middle size splits a chain; z ties go to the smaller motif, then the id', () => {
    const fams = motifFamilies([chain3, five], 'support');
    assert.deepEqual(
      fams.map((f) => [f.id, f.representative, f.statistic]),
      [
        ['F1', five.id, 'support'],
        ['F2', chain3.id, 'support'],
      ],
    );
    const tie = motifFamilies([{ ...chain4, z: 8 }, chain3], 'count');
    assert.equal(tie.length, 1);
    assert.equal(tie[0].representative, chain3.id);
    assert.deepEqual(motifFamilies([{ ...chain3, class: 'PARK' }], 'count'), []);
  });
});

describe('day-clustered lift CI in a mining run', () => {
  const base = synthSessions(5, 9, 40, { plant45: 0.9 });
  // Lenient q thresholds, so that the planted rule promotes with few nulls.
  const opts = {
    sizes: [3, 4],
    nulls: 100,
    seed: 3,
    bootstrap: 200,
    minSupport: 3,
    thresholds: { promoteQ: 0.5, discardQ: 0.5 },
    // The planted rule is an order effect that kind-shuffle rejects; this block is about the CI unit.
    nullModel: 'kind-shuffle' as const,
    minSelectedNulls: 50,
  };
  const onDays = (days: (string | undefined)[]): MotifSession[] =>
    base.map((s, i) => (days[i] === undefined ? s : { ...s, day: days[i] }));

  test('without days the unit is the session; one day per session gives the very same CIs', () => {
    const bySession = mineMotifsDetailed(base, opts);
    assert.equal(bySession.ciUnit, 'session');
    assert.equal(bySession.ciUnits, 9);
    assert.equal(bySession.notes, undefined);
    const distinct = mineMotifsDetailed(onDays(base.map((_, i) => `2025-07-${10 + i}`)), opts);
    assert.equal(distinct.ciUnit, 'day');
    assert.equal(distinct.ciUnits, 9);
    assert.deepEqual(distinct.results, bySession.results);
    const promoted = bySession.results.filter((r) => r.class === 'PROMOTE');
    assert.ok(promoted.length > 0, 'the planted 4→5 rule promotes');
    assert.ok(promoted.every((r) => r.family !== undefined));
    assert.ok(bySession.results.every((r) => r.class === 'PROMOTE' || r.family === undefined));
    const members = (bySession.families ?? []).flatMap((f) => f.members).sort();
    assert.deepEqual(members, promoted.map((r) => r.id).sort());
    assert.ok(
      (bySession.families ?? []).some((f) => f.members.length > 1),
      'nested variants share a family',
    );
    assert.ok((bySession.families ?? []).length < promoted.length);
  });

  test('sessions are clustered by day (undated ones are their own unit) and the CI changes', () => {
    const days = ['d1', 'd1', 'd1', 'd2', 'd2', 'd3', undefined, 'd4', 'd4'];
    const run = mineMotifsDetailed(onDays(days), opts);
    assert.equal(run.ciUnit, 'day');
    assert.equal(run.ciUnits, 5);
    const plain = mineMotifsDetailed(base, opts);
    assert.notDeepEqual(
      run.results.map((r) => r.ciLow),
      plain.results.map((r) => r.ciLow),
    );
    // Lift, p and q do not depend on the resampling unit.
    assert.deepEqual(
      run.results.map((r) => [r.id, r.lift, r.q]).sort(),
      plain.results.map((r) => [r.id, r.lift, r.q]).sort(),
    );
  });

  test('fewer than 3 trading days: no CI, no PROMOTE, and a note saying why', () => {
    const run = mineMotifsDetailed(onDays(base.map((_, i) => (i < 5 ? 'd1' : 'd2'))), opts);
    assert.equal(run.ciUnit, 'day');
    assert.equal(run.ciUnits, 2);
    assert.ok(run.results.length > 0);
    assert.ok(run.results.every((r) => Number.isNaN(r.ciLow) && Number.isNaN(r.ciHigh)));
    assert.ok(run.results.every((r) => r.class !== 'PROMOTE'));
    assert.deepEqual(run.families, []);
    assert.equal(run.notes?.length, 1);
    assert.match(run.notes![0], /day-clustered CI needs ≥ 3 trading days, got 2/);
  });
});
