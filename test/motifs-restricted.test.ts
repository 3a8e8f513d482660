// A re-test of chosen motifs (validation's holdout) mines only those: their p, lift, null moments, count and
// support must be what mining every observed motif gives them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDag, dagInputFromSession } from '../src/graph/index.js';
import { mineMotifsDetailed, type MotifSession } from '../src/motifs/index.js';
import { Rng } from '../src/stats/index.js';
import { randomSession } from '../src/synthetic/index.js';

function sessions(n: number): MotifSession[] {
  const out: MotifSession[] = [];
  for (let k = 0; k < n; k++) {
    const input = dagInputFromSession(randomSession(new Rng(300 + k), 80));
    out.push({ id: `s${k}`, day: `d${k}`, n: input.t.length, ...input, dag: buildDag(input) });
  }
  return out;
}

test('motifIds: the requested motifs alone are tested, with the statistics a full run gives them', () => {
  const ss = sessions(10);
  for (const nullModel of ['group-shuffle', 'kind-shuffle'] as const) {
    const o = { sizes: [3, 4], nulls: 40, nullModel, seed: 11, minSupport: 1 };
    const full = mineMotifsDetailed(ss, o);
    assert.ok(full.results.length > 20, `${full.results.length} motifs`);
    // every 7th motif, and one id that never occurs
    const chosen = full.results.filter((_, i) => i % 7 === 0);
    const ids = [...chosen.map((r) => r.id), 'M3:kinds=99,99,99:edges=0>1,1>2'];
    const part = mineMotifsDetailed(ss, { ...o, motifIds: ids });
    assert.equal(part.results.length, chosen.length, nullModel);
    const byId = new Map(full.results.map((r) => [r.id, r]));
    for (const r of part.results) {
      const f = byId.get(r.id);
      assert.ok(f, r.id);
      for (const k of ['count', 'support', 'p', 'lift', 'nullMean', 'nullSd', 'z'] as const)
        assert.equal(r[k], f[k], `${nullModel} ${r.id} ${k}`);
    }
  }
});
