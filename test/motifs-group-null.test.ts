// group-shuffle (the default null), edge-kind-swap, the negative controls and the --control / --null-model flags.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  applyControl,
  applyGroupPermutation,
  drawGroupPermutation,
  edgesByTargetKind,
  groupStrata,
  mineMotifsDetailed,
  sessionPhase,
  swapEdgeTargetsSameKind,
  validateMotifDag,
  type MotifSession,
} from '../src/motifs/index.js';
import { buildDag, DEFAULT_DAG_CONFIG } from '../src/graph/index.js';
import { DEFAULT_NULL_MODEL } from '../src/core/index.js';
import { Rng } from '../src/stats/index.js';
import { dagFromPairs, randomDag, randomKinds, synthSessions } from './motifs-fixtures.js';

/** Hand-made session: 12 events, co-timed groups at t = 0, 10, 20, 30, 40, 50, 60 (span 60 ⇒ phases by 20). */
function handSession(): MotifSession {
  // group:    A(0)   B(10)  C(20) D(30)  E(40)  F(50) G(60)
  const t = Float64Array.from([0, 0, 10, 10, 20, 30, 30, 40, 40, 50, 60, 60]);
  const source = Uint8Array.from([0, 1, 0, 1, 2, 0, 1, 0, 1, 2, 0, 1]);
  const kind = Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 1, 0, 3, 2, 2]);
  const n = t.length;
  const pairs: [number, number][] = [];
  for (let i = 0; i + 1 < n; i++) pairs.push([i, i + 1]);
  for (let i = 0; i + 2 < n; i += 2) pairs.push([i, i + 2]);
  return {
    id: 'hand',
    n,
    t,
    price: new Float64Array(n).fill(100),
    kind,
    dag: dagFromPairs(n, pairs),
    source,
  };
}

/** Synthetic sessions with co-timed groups (times rounded to 5 min) and a source per event. */
function groupedSessions(seed: number, count: number, n: number): MotifSession[] {
  const rng = new Rng(seed + 1000);
  return synthSessions(seed, count, n, { meanGapMs: 60_000 }).map((s) => {
    const t = Float64Array.from(s.t, (x) => Math.floor(x / 300_000) * 300_000);
    const dag = buildDag({ t, price: s.price, kind: s.kind }, DEFAULT_DAG_CONFIG);
    const source = Uint8Array.from({ length: s.n }, () => rng.int(3));
    return { ...s, t, dag, source };
  });
}

const groupsOf = (s: { n: number; t: Float64Array }, cols: Uint8Array[]): string[] => {
  const out: string[] = [];
  let i = 0;
  while (i < s.n) {
    let j = i + 1;
    while (j < s.n && s.t[j] === s.t[i]) j++;
    out.push(`${j - i}:` + cols.map((c) => Array.from(c.subarray(i, j)).join(',')).join('/'));
    i = j;
  }
  return out;
};

describe('group-shuffle null', () => {
  test('is the default null model', () => {
    assert.equal(DEFAULT_NULL_MODEL, 'group-shuffle');
    const run = mineMotifsDetailed(synthSessions(2, 3, 30), { sizes: [3], nulls: 3, bootstrap: 5 });
    assert.deepEqual(run.nullModels, ['group-shuffle']);
  });

  test('phases are terciles of [t_first, t_last]; a zero-span session is one phase', () => {
    assert.deepEqual(
      [0, 19, 20, 39, 40, 60].map((t) => sessionPhase(t, 0, 60)),
      [0, 0, 1, 1, 2, 2],
    );
    assert.equal(sessionPhase(5, 5, 5), 0);
  });

  test('groups move as units within (size, source sequence, phase) strata; sources and times stay', () => {
    const s = handSession();
    const g = groupStrata(s.n, s.t, s.source);
    assert.equal(g.groupStart.length, 7);
    assert.deepEqual(Array.from(g.groupPhase), [0, 0, 1, 1, 2, 2, 2]);
    // Permutable strata: {A, B} (size 2, sources 0,1, phase 0) and {E, G} (phase 2); C, D, F are alone.
    assert.deepEqual(Array.from(g.members), [0, 1, 4, 6]);
    const observed = groupsOf(s, [s.kind]);
    const seen = new Set<string>();
    const scratch = new Int32Array(g.members.length);
    for (let seed = 0; seed < 200; seed++) {
      const perm = drawGroupPermutation(g, new Rng(seed), scratch);
      const k = applyGroupPermutation(s.kind, g, perm, new Uint8Array(s.n));
      const got = groupsOf(s, [k]);
      seen.add(got.join(' '));
      // Unpermutable groups (C, D, F) never change; {A, B} and {E, G} swap as whole kind lists.
      for (const gi of [2, 3, 5]) assert.equal(got[gi], observed[gi]);
      assert.deepEqual([got[0], got[1]].sort(), [observed[0], observed[1]].sort());
      assert.deepEqual([got[4], got[6]].sort(), [observed[4], observed[6]].sort());
    }
    assert.equal(seen.size, 4, 'both strata swap independently (2 × 2 outcomes)');
  });

  test('sources split strata: groups with another source order never swap', () => {
    const s = handSession();
    const source = s.source!.slice();
    source[2] = 1;
    source[3] = 0; // B now has sources 1,0: A is alone in its stratum.
    const g = groupStrata(s.n, s.t, source);
    assert.deepEqual(Array.from(g.members), [4, 6]);
    const noSource = groupStrata(s.n, s.t, undefined);
    assert.deepEqual(Array.from(noSource.members), [0, 1, 4, 6], 'without sources: size and phase only');
  });

  test('every replicate keeps the multiset of kind lists per stratum (mined counts = re-enumeration)', () => {
    const sessions = groupedSessions(3, 4, 60);
    const opts = { sizes: [3, 4], nulls: 30, seed: 9, bootstrap: 20, nullModel: 'group-shuffle' as const };
    const stored = mineMotifsDetailed(sessions, opts);
    const enumerated = mineMotifsDetailed(sessions, { ...opts, maxStoredOccurrences: 0 });
    assert.ok(stored.testedMotifs > 10);
    assert.deepEqual(stored.results, enumerated.results, 'stored fast path = re-enumeration');
    for (const s of sessions) {
      const g = groupStrata(s.n, s.t, s.source);
      const strataOf = (k: Uint8Array) => {
        const by = new Map<number, string[]>();
        for (let gi = 0; gi < g.groupStart.length; gi++) {
          const list = Array.from(k.subarray(g.groupStart[gi], g.groupStart[gi] + g.groupLen[gi])).join(',');
          by.set(g.groupStratum[gi], [...(by.get(g.groupStratum[gi]) ?? []), list]);
        }
        return [...by.entries()].map(([id, l]) => `${id}:${l.sort().join('|')}`).sort();
      };
      const before = strataOf(s.kind);
      const dag = { src: s.dag.src.slice(), dst: s.dag.dst.slice() };
      for (let seed = 0; seed < 20; seed++) {
        const perm = drawGroupPermutation(g, new Rng(seed), new Int32Array(g.members.length));
        assert.deepEqual(strataOf(applyGroupPermutation(s.kind, g, perm, new Uint8Array(s.n))), before);
      }
      assert.deepEqual(dag, { src: s.dag.src, dst: s.dag.dst }, 'topology untouched');
    }
  });

  test('same seed ⇒ identical results; batch size does not matter; another seed draws other nulls', () => {
    const sessions = groupedSessions(4, 3, 50);
    const opts = { sizes: [3, 4], nulls: 24, seed: 5, bootstrap: 30 };
    const a = mineMotifsDetailed(sessions, opts);
    const b = mineMotifsDetailed(sessions, { ...opts, batchSize: 5 });
    const c = mineMotifsDetailed(sessions, { ...opts, seed: 6 });
    assert.deepEqual(a.results, b.results);
    assert.deepEqual(a.skippedSessions, b.skippedSessions);
    assert.notDeepEqual(
      a.results.map((r) => r.nullMean),
      c.results.map((r) => r.nullMean),
    );
  });

  test('a session with one group per stratum is reported and enters every replicate unchanged', () => {
    const s = handSession();
    // Sizes 1, 2, 3 in every phase: no stratum has two groups.
    const t = Float64Array.from([0, 10, 10, 20, 20, 20, 30, 40, 40, 50, 50, 50]);
    const frozen: MotifSession = { ...s, id: 'frozen', t, source: undefined };
    const run = mineMotifsDetailed([frozen], { sizes: [3], nulls: 10, minSupport: 1, bootstrap: 10 });
    assert.deepEqual(run.skippedSessions, [
      {
        session: 'frozen',
        model: 'group-shuffle',
        reason: 'no stratum (group size, source sequence, session phase) has 2 or more co-timed groups',
      },
    ]);
    assert.ok(run.testedMotifs > 0);
    for (const r of run.results) {
      assert.equal(r.nullMean, r.count, `${r.id}: replicate must equal the observed session`);
      assert.equal(r.nullSd, 0);
    }
    const moving = mineMotifsDetailed([s], { sizes: [3], nulls: 10, minSupport: 1, bootstrap: 10 });
    assert.deepEqual(moving.skippedSessions, []);
  });
});

describe('edge-kind-swap null', () => {
  test('keeps in/out degrees, every kind → kind edge count, i < j and simplicity', () => {
    for (let trial = 0; trial < 5; trial++) {
      const rng = new Rng(100 + trial);
      const n = 60;
      const dag = randomDag(rng, n, 0.15, 12);
      const kind = randomKinds(rng, n, 4);
      const E = dag.src.length;
      const dst = dag.dst.slice();
      const byKind = edgesByTargetKind(dst, E, kind);
      const accepted = swapEdgeTargetsSameKind(dag.src, dst, dag.rowPtr, E, 20 * E, kind, byKind, rng);
      assert.ok(accepted > E / 2, `too few swaps accepted: ${accepted} of ${E} edges`);
      assert.notDeepEqual(dst, dag.dst, 'some edge must move');
      const inDeg = (d: Int32Array) => {
        const c = new Int32Array(n);
        for (const v of d) c[v]++;
        return Array.from(c);
      };
      assert.deepEqual(inDeg(dst), inDeg(dag.dst));
      const pairCounts = (d: Int32Array) => {
        const c = new Array(16).fill(0);
        for (let e = 0; e < E; e++) c[kind[dag.src[e]] * 4 + kind[d[e]]]++;
        return c;
      };
      assert.deepEqual(pairCounts(dst), pairCounts(dag.dst), 'kind → kind edge counts');
      const seen = new Set<string>();
      for (let e = 0; e < E; e++) {
        assert.ok(dag.src[e] < dst[e], 'edges stay forward (acyclic)');
        const key = `${dag.src[e]}>${dst[e]}`;
        assert.ok(!seen.has(key), `duplicate edge ${key}`);
        seen.add(key);
      }
      // Out-degree is the CSR row length, untouched since only targets move.
    }
  });

  test('mining with edge-kind-swap is deterministic and batch-size free', () => {
    const sessions = groupedSessions(7, 3, 40);
    const opts = { sizes: [3], nulls: 12, seed: 3, bootstrap: 20, nullModel: 'edge-kind-swap' as const };
    const a = mineMotifsDetailed(sessions, opts);
    assert.deepEqual(a.results, mineMotifsDetailed(sessions, { ...opts, batchSize: 5 }).results);
    assert.ok(a.results.every((r) => r.nullModel === 'edge-kind-swap'));
  });
});

describe('negative controls', () => {
  const sessions = groupedSessions(11, 3, 80);

  test('kind-shuffle keeps each session kind multiset, times and sources', () => {
    const out = applyControl(sessions, 'kind-shuffle', 1);
    out.forEach((c, i) => {
      const s = sessions[i];
      assert.deepEqual(Array.from(c.kind).sort(), Array.from(s.kind).sort());
      assert.deepEqual(c.t, s.t);
      assert.deepEqual(c.source, s.source);
      validateMotifDag(c.dag, c.n);
    });
    assert.ok(out.some((c, i) => c.kind.some((k, j) => k !== sessions[i].kind[j])));
  });

  test('group-shuffle keeps the multiset of (size, kind list, source list) groups and the times', () => {
    const out = applyControl(sessions, 'group-shuffle', 1);
    out.forEach((c, i) => {
      const s = sessions[i];
      assert.deepEqual(c.t, s.t);
      assert.deepEqual(groupsOf(c, [c.kind, c.source!]).sort(), groupsOf(s, [s.kind, s.source!]).sort());
    });
    assert.ok(
      out.some((c, i) => c.kind.some((k, j) => k !== sessions[i].kind[j])),
      'some session must change',
    );
  });

  test('time-reverse reverses the order, mirrors times and rebuilds a valid DAG', () => {
    const out = applyControl(sessions, 'time-reverse', 1);
    out.forEach((c, i) => {
      const s = sessions[i];
      const n = s.n;
      for (let j = 0; j < n; j++) {
        assert.equal(c.kind[j], s.kind[n - 1 - j]);
        assert.equal(c.source![j], s.source![n - 1 - j]);
        assert.equal(c.t[j], s.t[0] + s.t[n - 1] - s.t[n - 1 - j]);
        if (j > 0) assert.ok(c.t[j] >= c.t[j - 1]);
      }
      validateMotifDag(c.dag, n);
      assert.deepEqual(c.dag, buildDag({ t: c.t, price: c.price, kind: c.kind }, DEFAULT_DAG_CONFIG));
    });
  });

  test('same seed ⇒ identical output; another seed differs; attention graphs need a rebuild', () => {
    for (const control of ['kind-shuffle', 'group-shuffle', 'time-reverse'] as const)
      assert.deepEqual(applyControl(sessions, control, 7), applyControl(sessions, control, 7));
    assert.notDeepEqual(
      applyControl(sessions, 'group-shuffle', 7).map((c) => c.kind),
      applyControl(sessions, 'group-shuffle', 8).map((c) => c.kind),
    );
    assert.throws(
      () => applyControl(sessions, 'time-reverse', 1, { graphKind: 'attention' }),
      /attention graph needs rebuildDag/,
    );
    assert.throws(() => applyControl(sessions, 'bogus' as never, 1), /control must be one of/);
  });
});

describe(
  'CLI: --control and --null-model',
  { skip: !existsSync('dist/src/cli/main.js') && 'run `npm run build` first' },
  () => {
    const run = (...args: string[]) => {
      const r = spawnSync(process.execPath, ['bin/ironforge.js', ...args], { encoding: 'utf8' });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    test('unknown --control / --null-model are usage errors naming the flag and the allowed values', () => {
      const a = run('motifs', 'data/sample/enhanced', '--out', '/tmp/x', '--control', 'bogus');
      assert.equal(a.code, 2);
      assert.match(
        a.stderr,
        /--control must be one of kind-shuffle, group-shuffle, time-reverse; got "bogus"/,
      );
      const b = run('motifs', 'data/sample/enhanced', '--out', '/tmp/x', '--null-model', 'bogus');
      assert.equal(b.code, 2);
      assert.match(b.stderr, /--null-model must be one of .*group-shuffle, edge-kind-swap, all; got "bogus"/);
    });
  },
);
