import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSessions } from '../src/store/sessions.js';
import { dagMotifSessions } from '../src/discover/motif-input.js';
import { mineMotifs } from '../src/motifs/mine.js';
import { findMotifOccurrences } from '../src/motifs/hits.js';

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

test('maxPerMotif keeps the first occurrences of each motif; edges are the induced DAG edges by position', async () => {
  const { sessions } = await readSessions(['data/sample/enhanced']);
  const ms = dagMotifSessions(sessions.slice(0, 10));
  const results = mineMotifs(ms, { sizes: [3, 4, 5], nulls: 3, bootstrap: 5, seed: 4 });
  const chosen = [...results].sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1)).slice(0, 40);
  const all = findMotifOccurrences(ms, chosen);
  const cap = 7;
  const seen = new Map<string, number>();
  const firstOnes = all.filter((o) => {
    const n = seen.get(o.motifId) ?? 0;
    seen.set(o.motifId, n + 1);
    return n < cap;
  });
  assert.ok(
    firstOnes.length < all.length,
    'the cap must drop some occurrences for this check to mean anything',
  );
  const capped = findMotifOccurrences(ms, chosen, { maxPerMotif: cap, edges: true });
  assert.deepEqual(
    capped.map(({ sessionId, motifId, nodes }) => ({ sessionId, motifId, nodes })),
    firstOnes,
  );
  // brute force: every ordered pair of positions (a ≠ b) whose events are joined by a DAG edge a → b
  const byId = new Map(ms.map((s) => [s.id, s]));
  let withEdges = 0;
  for (const o of capped) {
    const s = byId.get(o.sessionId)!;
    const set = new Set<number>();
    for (let e = 0; e < s.dag.src.length; e++) set.add(s.dag.src[e] * s.n + s.dag.dst[e]);
    const want: number[] = [];
    for (let a = 0; a < o.nodes.length; a++)
      for (let b = 0; b < o.nodes.length; b++)
        if (a !== b && set.has(o.nodes[a] * s.n + o.nodes[b])) want.push(a, b);
    assert.deepEqual(o.edges, want, `${o.motifId} in ${o.sessionId}`);
    if (want.length > 0) withEdges++;
  }
  assert.equal(withEdges, capped.length, 'a motif occurrence is connected: it has edges');
  assert.equal(findMotifOccurrences(ms, chosen, { maxPerMotif: 0 }).length, 0);
});
