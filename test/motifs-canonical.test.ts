import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MotifCatalog,
  bruteIsomorphic,
  canonicalForm,
  formFromKey,
  formId,
  formKey,
  pairCount,
  pairIndex,
  parseFormId,
  rawPairCode,
  type SmallDigraph,
} from '../src/motifs/index.js';
import { Rng } from '../src/stats/random.js';

/** Random labeled DAG on s nodes in a random (non-topological) node order. */
function randomDigraph(rng: Rng, s: number, nKinds: number, nLabels: number, p = 0.5): SmallDigraph {
  const hidden = Array.from({ length: s }, (_, i) => i);
  rng.shuffle(hidden);
  const adj = Array.from({ length: s }, () => new Array<number>(s).fill(0));
  for (let a = 0; a < s; a++)
    for (let b = a + 1; b < s; b++) if (rng.float() < p) adj[hidden[a]][hidden[b]] = 1 + rng.int(nLabels);
  return { kinds: Array.from({ length: s }, () => rng.int(nKinds)), adj };
}

function relabel(g: SmallDigraph, sigma: number[]): SmallDigraph {
  // New node sigma[i] is old node i.
  const s = g.kinds.length;
  const kinds = new Array<number>(s);
  const adj = Array.from({ length: s }, () => new Array<number>(s).fill(0));
  for (let i = 0; i < s; i++) {
    kinds[sigma[i]] = g.kinds[i];
    for (let j = 0; j < s; j++) adj[sigma[i]][sigma[j]] = g.adj[i][j];
  }
  return { kinds, adj };
}

/** A random topological order (random Kahn), then the raw form in that order. */
function rawForm(rng: Rng, g: SmallDigraph): { kinds: number[]; pairs: number[] } {
  const s = g.kinds.length;
  const indeg = new Array<number>(s).fill(0);
  for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) if (g.adj[i][j]) indeg[j]++;
  const order: number[] = [];
  const ready = indeg.flatMap((d, i) => (d === 0 ? [i] : []));
  while (ready.length) {
    const u = ready.splice(rng.int(ready.length), 1)[0];
    order.push(u);
    for (let v = 0; v < s; v++) if (g.adj[u][v] && --indeg[v] === 0) ready.push(v);
  }
  assert.equal(order.length, s, 'fixture must be acyclic');
  const pairs = new Array<number>(pairCount(s)).fill(0);
  for (let a = 0; a < s; a++)
    for (let b = a + 1; b < s; b++) pairs[pairIndex(a, b, s)] = g.adj[order[a]][order[b]];
  return { kinds: order.map((v) => g.kinds[v]), pairs };
}

/** Canonical key by the reference canonicalForm and by the catalog's memoized fast path; asserts they agree. */
function keyOf(rng: Rng, g: SmallDigraph, labeled: boolean): number {
  const s = g.kinds.length;
  const raw = rawForm(rng, g);
  const ref = formKey(canonicalForm(s, raw.kinds, raw.pairs));
  const cat = MotifCatalog.observing(labeled);
  const slot = cat.slotOf(s, rawPairCode(raw.pairs, labeled));
  let kc = 0;
  for (let p = s - 1; p >= 0; p--) kc = kc * 7 + raw.kinds[p];
  assert.equal(cat.canonicalKey(slot, kc), ref, 'catalog fast path ≠ canonicalForm');
  return ref;
}

describe('canonical motif IDs', () => {
  test('isomorphic labeled DAGs get one ID whatever their node/temporal order (sizes 3–5, labels on/off)', () => {
    const rng = new Rng(1);
    for (let trial = 0; trial < 600; trial++) {
      const s = 3 + (trial % 3);
      const labeled = trial % 2 === 1;
      const g = randomDigraph(rng, s, 3, labeled ? 4 : 1);
      const sigma = Array.from({ length: s }, (_, i) => i);
      rng.shuffle(sigma);
      const h = relabel(g, sigma);
      assert.ok(bruteIsomorphic(g, h));
      const kg = keyOf(rng, g, labeled);
      assert.equal(keyOf(rng, h, labeled), kg, `trial ${trial}`);
      assert.equal(formId(formFromKey(kg), labeled), formId(formFromKey(keyOf(rng, h, labeled)), labeled));
    }
  });

  test('exhaustive size 3, kinds {0,1}: same ID ⇔ isomorphic (brute force over all 6 permutations)', () => {
    const graphs: SmallDigraph[] = [];
    const pairsList: [number, number][] = [
      [0, 1],
      [0, 2],
      [1, 2],
    ];
    for (let code = 0; code < 27; code++) {
      const adj = [
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
      ];
      let c = code;
      for (const [a, b] of pairsList) {
        const st = c % 3;
        c = Math.floor(c / 3);
        if (st === 1) adj[a][b] = 1;
        if (st === 2) adj[b][a] = 1;
      }
      const cyclic = (adj[0][1] && adj[1][2] && adj[2][0]) || (adj[0][2] && adj[2][1] && adj[1][0]);
      if (cyclic) continue;
      for (let k = 0; k < 8; k++) graphs.push({ kinds: [k & 1, (k >> 1) & 1, (k >> 2) & 1], adj });
    }
    assert.equal(graphs.length, 25 * 8);
    const rng = new Rng(2);
    const keys = graphs.map((g) => keyOf(rng, g, false));
    for (let i = 0; i < graphs.length; i++)
      for (let j = i + 1; j < graphs.length; j++)
        assert.equal(keys[i] === keys[j], bruteIsomorphic(graphs[i], graphs[j]), `graphs ${i}, ${j}`);
    // 16 unlabeled DAG classes on 3 nodes (incl. disconnected) — the kinds split them further; sanity check
    // that the number of classes is neither 1 nor all.
    const classes = new Set(keys).size;
    assert.ok(classes > 16 && classes < 200, `classes = ${classes}`);
  });

  test('random near-miss pairs (one edge or kind changed): same ID ⇔ isomorphic', () => {
    const rng = new Rng(3);
    let iso = 0;
    let non = 0;
    for (let trial = 0; trial < 1500; trial++) {
      const s = 3 + (trial % 3);
      const labeled = trial % 4 === 0;
      const g = randomDigraph(rng, s, 2, labeled ? 2 : 1);
      const sigma = Array.from({ length: s }, (_, i) => i);
      rng.shuffle(sigma);
      const h = relabel(g, sigma);
      if (rng.float() < 0.5) {
        if (rng.float() < 0.5) h.kinds[rng.int(s)] ^= 1;
        else {
          // Drop one edge, if any (keeps it acyclic).
          const edges: [number, number][] = [];
          for (let a = 0; a < s; a++) for (let b = 0; b < s; b++) if (h.adj[a][b]) edges.push([a, b]);
          if (edges.length) {
            const [a, b] = edges[rng.int(edges.length)];
            h.adj[a][b] = 0;
          }
        }
      }
      const same = keyOf(rng, g, labeled) === keyOf(rng, h, labeled);
      const brute = bruteIsomorphic(g, h);
      assert.equal(same, brute, `trial ${trial}`);
      if (brute) iso++;
      else non++;
    }
    assert.ok(iso > 300 && non > 300, `iso ${iso}, non-iso ${non}: both cases must be exercised`);
  });

  test('readable ID and numeric key: worked example, round trips, sizes never collide', () => {
    // Raw (time) order: LiquidityTaken(4) → Redelivery(5) ← Expansion(0).
    const form = canonicalForm(3, [4, 0, 5], [0, 1, 1]);
    assert.equal(formId(form), 'M3:kinds=0,4,5:edges=0>2,1>2');
    assert.deepEqual(parseFormId('M3:kinds=0,4,5:edges=0>2,1>2'), form);
    assert.deepEqual(formFromKey(formKey(form)), form);
    const labeled = canonicalForm(4, [0, 0, 4, 5], [2, 1, 0, 0, 0, 3]);
    assert.deepEqual(parseFormId(formId(labeled, true)), labeled);
    const k3 = formKey({ size: 3, kinds: [0, 0, 0], pairs: [0, 0, 0] });
    const k4 = formKey({ size: 4, kinds: [0, 0, 0, 0], pairs: [0, 0, 0, 0, 0, 0] });
    assert.notEqual(k3, k4);
    assert.ok(
      Number.isSafeInteger(formKey({ size: 5, kinds: [6, 6, 6, 6, 6], pairs: new Array(10).fill(4) })),
    );
  });

  test('bad input: sizes outside 3–5 and malformed IDs throw clear errors', () => {
    assert.throws(() => canonicalForm(2, [0, 0], [1]), /size must be an integer in 3\.\.5, got 2/);
    assert.throws(() => canonicalForm(6, [0, 0, 0, 0, 0, 0], new Array(15).fill(0)), /got 6/);
    assert.throws(() => canonicalForm(3, [0, 9, 0], [0, 0, 0]), /kinds\[1\] = 9/);
    assert.throws(() => parseFormId('P3[0->1]'), /malformed motif id/);
    assert.throws(() => parseFormId('M3:kinds=0,0,0:edges=2>1'), /from < to/);
  });
});
