// Group-shuffle replicates counted block by block (src/motifs/strata-blocks.ts): the arrangement counts, the
// partition of the moving occurrences, and counts equal to counting every occurrence — with and without room to
// keep outcomes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyGroupPermutation,
  BLOCK_MAX_ARRANGEMENTS,
  BlockOutcomeCache,
  countMotifs,
  CountSink,
  countStored,
  drawGroupPermutation,
  groupMovableNodes,
  groupStrata,
  MotifCatalog,
  sizeMask,
  splitStored,
  StoreSink,
  strataArrangements,
  strataBlocks,
  SubgraphEnumerator,
  EnumGraph,
  type GroupStrata,
  type MotifSession,
} from '../src/motifs/index.js';
import { buildDag, DEFAULT_DAG_CONFIG } from '../src/graph/index.js';
import { Rng } from '../src/stats/index.js';
import { synthSessions } from './motifs-fixtures.js';

/** Sessions with co-timed groups (times rounded to 2 min) and a source per event drawn from `sources` values. */
function groupedSessions(seed: number, count: number, n: number, sources: number): MotifSession[] {
  const rng = new Rng(seed + 1000);
  return synthSessions(seed, count, n, { meanGapMs: 60_000 }).map((s) => {
    const t = Float64Array.from(s.t, (x) => Math.floor(x / 120_000) * 120_000);
    const dag = buildDag({ t, price: s.price, kind: s.kind }, DEFAULT_DAG_CONFIG);
    const source = Uint8Array.from({ length: s.n }, () => rng.int(sources));
    return { ...s, t, dag, source };
  });
}

/** Distinct kind arrays reachable by permuting stratum p's groups (brute force over every permutation). */
function bruteArrangements(kind: Uint8Array, g: GroupStrata, p: number): number {
  const slots = Array.from(g.members.subarray(g.memberStart[p], g.memberStart[p + 1]));
  const lists = slots.map((grp) =>
    Array.from(kind.subarray(g.groupStart[grp], g.groupStart[grp] + g.groupLen[grp])).join(','),
  );
  const seen = new Set<string>();
  const walk = (left: string[], acc: string[]): void => {
    if (left.length === 0) {
      seen.add(acc.join('|'));
      return;
    }
    left.forEach((l, i) => walk([...left.slice(0, i), ...left.slice(i + 1)], [...acc, l]));
  };
  walk(lists, []);
  return seen.size;
}

describe('strata blocks (group-shuffle)', () => {
  test('arrangements per stratum = distinct permutations of its kind lists (brute force), capped', () => {
    let checked = 0;
    let capped = 0;
    for (const s of groupedSessions(11, 6, 50, 1)) {
      const g = groupStrata(s.n, s.t, s.source);
      const got = strataArrangements(s.kind, g, BLOCK_MAX_ARRANGEMENTS);
      const small = strataArrangements(s.kind, g, 2);
      for (let p = 0; p + 1 < g.memberStart.length; p++) {
        if (g.memberStart[p + 1] - g.memberStart[p] > 7) continue; // brute force stays small
        const want = bruteArrangements(s.kind, g, p);
        assert.equal(got[p], Math.min(want, BLOCK_MAX_ARRANGEMENTS + 1), `stratum ${p}`);
        assert.equal(small[p], Math.min(want, 3), `stratum ${p}, cap 2: anything above reads 3`);
        if (want > 2) capped++;
        checked++;
      }
    }
    assert.ok(checked >= 20, `checked ${checked} strata`);
    assert.ok(capped >= 5, `strata over a cap of 2: ${capped}`);
  });

  for (const budget of [Infinity, 0, 4096]) {
    test(`counts equal counting every moving occurrence (cache budget ${budget} bytes)`, () => {
      const sessions = groupedSessions(5, 4, 70, 1);
      const obs = countMotifs(sessions, { sizes: [3, 4, 5] });
      const forms = Array.from({ length: obs.catalog.size }, (_, i) => obs.catalog.form(i));
      const catalog = MotifCatalog.frozen(forms, false);
      let cachedBlocks = 0;
      let hits = 0;
      for (const [si, s] of sessions.entries()) {
        const g = groupStrata(s.n, s.t, s.source);
        const movable = groupMovableNodes(s.n, s.kind, g);
        const store = new StoreSink(catalog, 1e9);
        const graph = new EnumGraph();
        graph.load(s.n, s.dag.src, s.dag.dst, s.dag.src.length);
        new SubgraphEnumerator().run(graph, sizeMask([3, 4, 5]), store, false);
        const { moving } = splitStored(store.take(), movable);
        const blocks = strataBlocks(moving, s.kind, g, movable);
        cachedBlocks += blocks.cached.length;
        // The blocks partition the moving rows.
        const rows = (o: typeof moving): number => o.slots.reduce((a, x) => a + x.length, 0);
        assert.equal(
          blocks.cached.reduce((a, b) => a + rows(b.occ), 0) + rows(blocks.direct),
          rows(moving),
          'every moving row in exactly one block',
        );
        const cache = new BlockOutcomeCache(budget);
        const k = new Uint8Array(s.n);
        for (let r = 0; r < 60; r++) {
          const perm = drawGroupPermutation(g, new Rng(1000 * si + r), new Int32Array(g.members.length));
          applyGroupPermutation(s.kind, g, perm, k);
          const want = new CountSink(catalog);
          countStored(moving, k, want);
          const got = new CountSink(catalog);
          cache.count(si, blocks, k, got, new CountSink(catalog));
          assert.deepEqual(got.counts.subarray(0, catalog.size), want.counts.subarray(0, catalog.size));
          assert.equal(got.nTouched, want.nTouched);
        }
        hits += cache.hits;
      }
      assert.ok(cachedBlocks >= 4, `blocks cached: ${cachedBlocks}`);
      if (budget === 0) assert.equal(hits, 0, 'nothing kept, nothing served');
      else assert.ok(hits >= 100, `block outcomes served from the cache: ${hits}`);
    });
  }
});
