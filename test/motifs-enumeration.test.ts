import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EnumGraph,
  SubgraphEnumerator,
  attentionDagFromTopM,
  bruteForceSubgraphs,
  countMotifs,
  sizeMask,
  type OccurrenceSink,
} from '../src/motifs/index.js';
import type { Dag } from '../src/graph/types.js';
import { Rng } from '../src/stats/random.js';
import { dagFromPairs, randomDag, randomKinds } from './motifs-fixtures.js';

/** All node sets ESU emits, per size, as sorted "a,b,c" strings (duplicates kept, to catch them). */
function esuSets(dag: Dag, sizes: number[]): Map<number, string[]> {
  const g = new EnumGraph().load(dag.n, dag.src, dag.dst, dag.src.length);
  const out = new Map<number, string[]>(sizes.map((s) => [s, []]));
  const sink: OccurrenceSink = {
    emit(size, nodes) {
      out.get(size)?.push(Array.from(nodes.subarray(0, size)).join(','));
    },
  };
  new SubgraphEnumerator().run(g, sizeMask(sizes), sink);
  return out;
}

/** Per canonical key, occurrences in one session by countMotifs (fast path). */
function fastCounts(dag: Dag, kind: Uint8Array, size: number, labels?: Uint8Array): Map<number, number> {
  const obs = countMotifs(
    [
      {
        id: 'x',
        n: dag.n,
        t: new Float64Array(dag.n),
        price: new Float64Array(dag.n),
        kind,
        dag,
        edgeLabels: labels,
      },
    ],
    {
      sizes: [size],
      edgeLabels: labels !== undefined,
    },
  );
  const m = new Map<number, number>();
  const ps = obs.perSession[0];
  for (let i = 0; i < ps.index.length; i++) m.set(obs.catalog.keys[ps.index[i]], ps.count[i]);
  return m;
}

function bruteCounts(dag: Dag, kind: Uint8Array, size: number, labels?: Uint8Array): Map<number, number> {
  const m = new Map<number, number>();
  for (const o of bruteForceSubgraphs(dag, kind, size, labels)) m.set(o.key, (m.get(o.key) ?? 0) + 1);
  return m;
}

describe('ESU enumeration', () => {
  test('hand-checked counts: path, transitive tournament, two components', () => {
    const path = dagFromPairs(4, [
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    let sets = esuSets(path, [3, 4]);
    assert.deepEqual(sets.get(3)?.sort(), ['0,1,2', '1,2,3']);
    assert.deepEqual(sets.get(4), ['0,1,2,3']);
    const full: [number, number][] = [];
    for (let i = 0; i < 5; i++) for (let j = i + 1; j < 5; j++) full.push([i, j]);
    sets = esuSets(dagFromPairs(5, full), [3, 4, 5]);
    assert.equal(sets.get(3)?.length, 10);
    assert.equal(sets.get(4)?.length, 5);
    assert.equal(sets.get(5)?.length, 1);
    // 0→1→2 and 3→4→5: two connected triples, nothing of size 4.
    sets = esuSets(
      dagFromPairs(6, [
        [0, 1],
        [1, 2],
        [3, 4],
        [4, 5],
      ]),
      [3, 4],
    );
    assert.deepEqual(sets.get(3)?.sort(), ['0,1,2', '3,4,5']);
    assert.equal(sets.get(4)?.length, 0);
  });

  test('each connected induced subset exactly once, equal to all-k-subsets brute force (60 random DAGs)', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 60; trial++) {
      const n = 5 + rng.int(8);
      const dag = randomDag(rng, n, 0.15 + 0.5 * rng.float(), 2 + rng.int(n));
      const kind = randomKinds(rng, n, 3);
      const sets = esuSets(dag, [3, 4, 5]);
      for (const k of [3, 4, 5]) {
        const esu = sets.get(k) ?? [];
        assert.equal(new Set(esu).size, esu.length, `trial ${trial} size ${k}: a subset was emitted twice`);
        const brute = bruteForceSubgraphs(dag, kind, k).map((o) => o.nodes.join(','));
        assert.deepEqual([...esu].sort(), brute.sort(), `trial ${trial} size ${k}: subsets differ`);
      }
    }
  });

  test('motif counts per canonical ID equal brute force (unlabeled and edge-labeled)', () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 40; trial++) {
      const n = 6 + rng.int(6);
      const dag = randomDag(rng, n, 0.45, 4);
      const kind = randomKinds(rng, n, 2 + rng.int(5));
      const labels = trial % 2 ? Uint8Array.from(dag.src, () => rng.int(4)) : undefined;
      for (const k of [3, 4, 5]) {
        const fast = fastCounts(dag, kind, k, labels);
        const brute = bruteCounts(dag, kind, k, labels);
        assert.deepEqual(
          [...fast].sort((a, b) => a[0] - b[0]),
          [...brute].sort((a, b) => a[0] - b[0]),
          `trial ${trial} k=${k}`,
        );
      }
    }
  });

  test('attention DAG: built from top-m indices and enumerated like any DAG', () => {
    const rng = new Rng(5);
    const n = 11;
    const m = 3;
    const index = new Int32Array(n * m).fill(-1);
    for (let i = 1; i < n; i++) {
      const cands = Array.from({ length: i }, (_, j) => j);
      rng.shuffle(cands);
      for (let c = 0; c < Math.min(m, i); c++) index[i * m + c] = cands[c];
    }
    index[5 * m + 2] = 5; // a self entry is not an edge
    const dag = attentionDagFromTopM(index, n, m);
    // Every listed predecessor is an edge j → i; rows sorted.
    const edges = new Set(Array.from(dag.src, (s, e) => `${s},${dag.dst[e]}`));
    for (let i = 0; i < n; i++)
      for (let c = 0; c < m; c++) {
        const j = index[i * m + c];
        if (j >= 0 && j !== i) assert.ok(edges.has(`${j},${i}`));
      }
    assert.equal(edges.size, dag.src.length);
    for (let e = 1; e < dag.src.length; e++)
      assert.ok(
        dag.src[e] > dag.src[e - 1] || (dag.src[e] === dag.src[e - 1] && dag.dst[e] > dag.dst[e - 1]),
      );
    const kind = randomKinds(rng, n);
    for (const k of [3, 4, 5]) assert.deepEqual(fastCounts(dag, kind, k), bruteCounts(dag, kind, k));
  });

  test('attentionDagFromTopM rejects non-causal, out-of-range and repeated entries', () => {
    assert.throws(() => attentionDagFromTopM(Int32Array.from([1, -1, -1, -1]), 2, 2), /later in time/);
    assert.throws(() => attentionDagFromTopM(Int32Array.from([-1, -1, 7, -1]), 2, 2), /out of range/);
    assert.throws(() => attentionDagFromTopM(Int32Array.from([-1, -1, 0, 0]), 2, 2), /twice/);
    assert.throws(() => attentionDagFromTopM(new Int32Array(3), 2, 2), /n·m = 4/);
  });

  test('EnumGraph.load sorts rows from an unsorted edge list; hasEdge/edgeIndex agree with the edge set', () => {
    const rng = new Rng(3);
    const n = 30;
    const pairs: [number, number][] = [];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (rng.float() < 0.2) pairs.push([i, j]);
    rng.shuffle(pairs);
    const src = Int32Array.from(pairs.map((p) => p[0]));
    const dst = Int32Array.from(pairs.map((p) => p[1]));
    const label = Uint8Array.from(pairs, () => rng.int(4));
    const g = new EnumGraph().load(n, src, dst, pairs.length, label);
    const set = new Map(pairs.map((p, e) => [`${p[0]},${p[1]}`, label[e]]));
    for (let u = 0; u < n; u++) {
      for (let e = g.succPtr[u] + 1; e < g.succPtr[u + 1]; e++) assert.ok(g.succ[e] > g.succ[e - 1]);
      for (let e = g.predPtr[u] + 1; e < g.predPtr[u + 1]; e++) assert.ok(g.pred[e] > g.pred[e - 1]);
      for (let v = u + 1; v < n; v++) {
        const lab = set.get(`${u},${v}`);
        assert.equal(g.hasEdge(u, v), lab !== undefined);
        const ei = g.edgeIndex(u, v);
        assert.equal(ei >= 0, lab !== undefined);
        if (lab !== undefined) assert.equal(g.succLabel[ei], lab);
      }
    }
  });
});
