import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSessions } from '../src/store/sessions.js';
import { dagMotifSessions } from '../src/discover/motif-input.js';
import { mineMotifs } from '../src/motifs/mine.js';
import { findMotifOccurrences, motifOccurrences } from '../src/motifs/hits.js';

test('findMotifOccurrences finds exactly `count` occurrences of each mined motif, with matching kinds', async () => {
  const { sessions } = await readSessions(['data/sample/enhanced']);
  const ms = dagMotifSessions(sessions.slice(0, 12));
  const results = mineMotifs(ms, { sizes: [3, 4], nulls: 5, bootstrap: 10, seed: 3 });
  const chosen = [...results].sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1)).slice(0, 8);
  const hits = findMotifOccurrences(ms, chosen);
  const byId = new Map(ms.map((s) => [s.id, s]));
  for (const m of chosen) {
    const mine = hits.filter((h) => h.motifId === m.id);
    assert.equal(mine.length, m.count, `${m.id}: ${mine.length} hits, count ${m.count}`);
    assert.equal(new Set(mine.map((h) => h.sessionId)).size, m.support);
    for (const h of mine) {
      assert.equal(h.nodes.length, m.size);
      const kinds = h.nodes.map((i) => byId.get(h.sessionId)!.kind[i]).sort();
      assert.deepEqual(kinds, [...m.kinds].sort());
    }
  }
});

test('motifOccurrences is lazy: the first occurrence is yielded before a later session is read', async () => {
  const { sessions } = await readSessions(['data/sample/enhanced']);
  const ms = dagMotifSessions(sessions.slice(0, 6));
  const results = mineMotifs(ms, { sizes: [3], nulls: 5, bootstrap: 10, seed: 3 });
  const chosen = results.filter((r) => r.support > 0).slice(0, 5);
  assert.ok(chosen.length > 0);
  // the sessions as an array whose elements record when they are read
  const read: number[] = [];
  const watched: typeof ms = [];
  ms.forEach((s, i) =>
    Object.defineProperty(watched, i, {
      get: () => (read.push(i), s),
      enumerable: true,
    }),
  );
  const it = motifOccurrences(watched, chosen);
  const first = it.next();
  assert.equal(first.done, false);
  const firstSession = ms.findIndex((s) => s.id === first.value!.sessionId);
  assert.ok(firstSession >= 0 && firstSession < ms.length - 1, 'the first hit is not in the last session');
  assert.ok(
    read.every((i) => i <= firstSession),
    `sessions read before the first occurrence: ${read.join(', ')} (first hit in session ${firstSession})`,
  );
  // and, consumed to the end, exactly findMotifOccurrences's list in the same order
  const rest = [first.value!, ...it];
  assert.deepEqual(rest, findMotifOccurrences(ms, chosen));
});
