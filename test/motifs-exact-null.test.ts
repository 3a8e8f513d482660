import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDag } from '../src/graph/dag.js';
import { MotifCatalog } from '../src/motifs/catalog.js';
import { formFromKey } from '../src/motifs/canonical.js';
import { exactKindShuffleMeans } from '../src/motifs/exact-null.js';
import { countMotifs } from '../src/motifs/observe.js';
import type { MotifSession } from '../src/motifs/types.js';
import { Rng } from '../src/stats/random.js';

function permutations(xs: number[]): number[][] {
  if (xs.length <= 1) return [xs.slice()];
  const out: number[][] = [];
  xs.forEach((x, i) => {
    for (const rest of permutations([...xs.slice(0, i), ...xs.slice(i + 1)])) out.push([x, ...rest]);
  });
  return out;
}

function session(rng: Rng, n: number, id: string, kinds: number[]): MotifSession {
  const t = new Float64Array(n);
  for (let i = 1; i < n; i++) t[i] = t[i - 1] + 60_000 * (1 + rng.int(4));
  const price = Float64Array.from({ length: n }, () => 100 + rng.int(10));
  const kind = Uint8Array.from(kinds);
  return {
    id,
    n,
    t,
    price,
    kind,
    dag: buildDag({ t, price, kind }, { k: 3, dtMinMs: 60_000, dtMaxMs: 7_200_000 }),
  };
}

test('exact kind-shuffle expectation equals the average over every permutation of the kinds (brute force)', () => {
  const rng = new Rng(5);
  const sessions = [session(rng, 6, 'a', [0, 0, 4, 5, 5, 6]), session(rng, 7, 'b', [1, 2, 2, 3, 4, 4, 0])];
  const sizes = [3, 4, 5];
  // Every motif any permutation can produce, with its brute-force mean count per session.
  const perms = sessions.map((s) => permutations(Array.from(s.kind)));
  const sums = new Map<number, number[]>();
  sessions.forEach((s, si) => {
    for (const p of perms[si]) {
      const obs = countMotifs([{ ...s, kind: Uint8Array.from(p) }], { sizes });
      for (let m = 0; m < obs.catalog.size; m++) {
        const key = obs.catalog.keys[m];
        const v = sums.get(key) ?? [0, 0];
        v[si] += obs.count[m] / perms[si].length;
        sums.set(key, v);
      }
    }
  });
  const keys = [...sums.keys()].sort((a, b) => a - b);
  const catalog = MotifCatalog.frozen(keys.map(formFromKey), false);
  const exact = exactKindShuffleMeans(sessions, catalog, sizes);
  assert.ok(keys.length > 20);
  keys.forEach((key, t) => {
    const brute = sums.get(key)!;
    const idx = catalog.indexOfKey(key);
    for (let si = 0; si < sessions.length; si++) {
      assert.ok(
        Math.abs(exact[si * catalog.size + idx] - brute[si]) < 1e-9,
        `motif ${key} session ${si}: ${exact[si * catalog.size + idx]} vs ${brute[si]}`,
      );
    }
    void t;
  });
});
