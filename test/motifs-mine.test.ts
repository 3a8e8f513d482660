import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  attentionDagFromTopM,
  compareLiftRuns,
  formatTopMotifs,
  mineMotifs,
  mineMotifsDetailed,
  motifStability,
  NULL_MODELS,
  motifTable,
  type MotifResult,
  type MotifSession,
} from '../src/motifs/index.js';
import { dagFromPairs, synthSessions } from './motifs-fixtures.js';

const small = synthSessions(3, 8, 40);

function withDag(s: MotifSession, pairs: [number, number][]): MotifSession {
  const n = Math.max(3, ...pairs.flat().map((v) => v + 1));
  return {
    ...s,
    id: 'bad',
    n,
    t: s.t.slice(0, n),
    price: s.price.slice(0, n),
    kind: s.kind.slice(0, n),
    dag: dagFromPairs(n, pairs),
  };
}

describe('mineMotifs', () => {
  test('same seed ⇒ identical results for every null model; batch size does not matter', () => {
    for (const nullModel of NULL_MODELS) {
      const opts = { sizes: [3, 4], nulls: 24, nullModel, seed: 7, bootstrap: 100 };
      const a = mineMotifs(small, opts);
      const b = mineMotifs(small, { ...opts, batchSize: 5 });
      assert.ok(a.length > 20, `${nullModel}: too few motifs tested (${a.length})`);
      assert.deepEqual(a, b, `${nullModel}: results depend on the batch size or are not deterministic`);
      const c = mineMotifs(small, { ...opts, seed: 8 });
      // kind-shuffle reports the exact null mean (seed-free); its nulls still drive p and the null SD.
      const field = nullModel === 'kind-shuffle' ? 'nullSd' : 'nullMean';
      if (nullModel === 'kind-shuffle')
        assert.deepEqual(
          new Map(a.map((r) => [r.id, r.nullMean])),
          new Map(c.map((r) => [r.id, r.nullMean])),
          'kind-shuffle: the exact null mean must not depend on the seed',
        );
      assert.notDeepEqual(
        a.map((r) => r[field]),
        c.map((r) => r[field]),
        `${nullModel}: another seed must draw other nulls`,
      );
      for (const r of a) {
        assert.equal(r.nullModel, nullModel);
        assert.ok(r.p > 0 && r.p <= 1 && r.q >= r.p - 1e-15 && r.q <= 1);
        assert.ok(r.ciLow <= r.ciHigh);
      }
    }
  });

  test('observed counts and support are instance counts and #sessions (not confused)', () => {
    const run = mineMotifsDetailed(small, { sizes: [3], nulls: 5, minSupport: 1, bootstrap: 10 });
    for (const r of run.results) {
      assert.equal(r.support, r.sessions?.length);
      assert.ok(r.count >= r.support);
    }
    const total = run.results.reduce((a, r) => a + r.count, 0);
    assert.equal(
      total,
      run.occurrencesBySize[3],
      'with minSupport 1 every 3-node occurrence belongs to a tested motif',
    );
    assert.ok(run.results.some((r) => r.count > r.support));
  });

  test('maxMotifs keeps the most frequent motifs', () => {
    const opts = { sizes: [3, 4], nulls: 5, bootstrap: 10 };
    const full = mineMotifs(small, opts);
    const capped = mineMotifs(small, { ...opts, maxMotifs: 10 });
    assert.equal(capped.length, 10);
    const tenth = [...full].sort((a, b) => b.count - a.count)[9].count;
    assert.ok(capped.every((r) => r.count >= tenth));
    assert.throws(() => mineMotifs(small, { ...opts, maxMotifs: 0 }), /maxMotifs must be an integer ≥ 1/);
  });

  test('null-vs-null: data drawn from the kind-shuffle null give uniform-ish p-values and no discoveries', () => {
    const sessions = synthSessions(1, 30, 40); // kinds iid: exchangeable with their shuffles
    const results = mineMotifs(sessions, {
      sizes: [3],
      nulls: 199,
      seed: 11,
      bootstrap: 100,
      nullModel: 'kind-shuffle',
    });
    const ps = results.filter((r) => r.nullMean >= 5).map((r) => r.p);
    assert.ok(ps.length > 200, `${ps.length} motifs`);
    const frac = (x: number): number => ps.filter((p) => p <= x).length / ps.length;
    assert.ok(frac(0.05) <= 0.08, `P(p ≤ 0.05) = ${frac(0.05)}`);
    assert.ok(frac(0.05) >= 0.01, `P(p ≤ 0.05) = ${frac(0.05)}: p-values are not responsive`);
    assert.ok(frac(0.5) >= 0.35 && frac(0.5) <= 0.6, `P(p ≤ 0.5) = ${frac(0.5)}`);
    assert.ok(!results.some((r) => r.class === 'PROMOTE'), 'no motif may be promoted under the null');
    assert.ok(results.every((r) => r.q > 0.1));
  });

  test('a planted LiquidityTaken → Redelivery rule is found and promoted', () => {
    const sessions = synthSessions(1, 30, 40, { plant45: 0.9 });
    const results = mineMotifs(sessions, {
      sizes: [3],
      nulls: 1999,
      seed: 12,
      minSupport: 20,
      bootstrap: 300,
    });
    const promoted = results.filter((r) => r.class === 'PROMOTE');
    assert.ok(promoted.length > 0, formatTopMotifs(results, { top: 10 }));
    for (const r of promoted) {
      // Every promoted motif has a 4 → 5 edge (positions of kinds 4 and 5 joined forward).
      const has45 = r.edges.split(',').some((e) => {
        const [a, b] = e.split('>').map(Number);
        return r.kinds[a] === 4 && r.kinds[b] === 5;
      });
      assert.ok(has45, `${r.id} promoted without the planted edge`);
    }
  });

  test("sessionLists 'promote': only PROMOTE motifs keep their session list; every other field is unchanged", () => {
    const sessions = synthSessions(1, 30, 40, { plant45: 0.9 });
    const opts = { sizes: [3], nulls: 1999, seed: 12, minSupport: 20, bootstrap: 300 };
    const all = mineMotifsDetailed(sessions, opts);
    const lean = mineMotifsDetailed(sessions, { ...opts, sessionLists: 'promote' });
    assert.ok(all.results.some((r) => r.class === 'PROMOTE'));
    assert.ok(all.results.some((r) => r.class !== 'PROMOTE'));
    assert.equal(lean.results.length, all.results.length);
    lean.results.forEach((r, i) => {
      const { sessions: list, ...rest } = all.results[i];
      if (r.class === 'PROMOTE') assert.deepEqual(r, all.results[i]);
      else {
        assert.equal(r.sessions, undefined, r.id);
        assert.ok(list && list.length === r.support);
        assert.deepEqual(r, rest);
      }
    });
    assert.deepEqual(lean.families, all.families);
    assert.ok((lean.families ?? []).length > 0);
    assert.throws(
      () => mineMotifsDetailed(sessions, { ...opts, sessionLists: 'none' as 'all' }),
      /sessionLists must be "all" or "promote", got "none"/,
    );
  });

  test("'all' reports, per motif, the least significant of every model", () => {
    const opts = { sizes: [3], nulls: 30, seed: 5, bootstrap: 50 };
    const all = mineMotifs(small, { ...opts, nullModel: 'all' });
    const byModel = new Map(
      NULL_MODELS.map((m) => [
        m,
        new Map(mineMotifs(small, { ...opts, nullModel: m }).map((r) => [r.id, r])),
      ]),
    );
    const used = new Set<string>();
    for (const r of all) {
      const ps = [...byModel.values()].map((mp) => (mp.get(r.id) as MotifResult).p);
      assert.equal(r.p, Math.max(...ps));
      const own = byModel.get(r.nullModel)?.get(r.id) as MotifResult;
      assert.equal(r.nullMean, own.nullMean);
      assert.equal(r.lift, own.lift);
      used.add(r.nullModel);
    }
    assert.ok(used.size >= 2);
  });

  test('time-jitter with a zero-width window rebuilds the observed DAG exactly (null = observed, p = 1)', () => {
    const results = mineMotifs(small, {
      sizes: [3, 4],
      nulls: 10,
      nullModel: 'time-jitter',
      jitterMs: 1e-9,
      bootstrap: 20,
    });
    for (const r of results) {
      assert.equal(r.nullMean, r.count);
      assert.equal(r.nullSd, 0);
      assert.equal(r.p, 1);
      assert.equal(r.lift, 1);
    }
  });

  test('attention DAGs mine like DAGs; time-jitter on them needs an explicit rebuild', () => {
    const att = small.map((s) => {
      const m = 3;
      const index = new Int32Array(s.n * m).fill(-1);
      for (let i = 0; i < s.n; i++)
        for (let c = 0; c < m && i - 1 - c >= 0; c++)
          index[i * m + c] = i - 1 - 2 * c >= 0 ? i - 1 - 2 * c : -1;
      return { ...s, dag: attentionDagFromTopM(index, s.n, m, { t: s.t }) };
    });
    const r = mineMotifs(att, { sizes: [3], nulls: 10, nullModel: 'edge-swap', bootstrap: 20 });
    assert.ok(r.length > 0);
    assert.throws(
      () => mineMotifs(att, { sizes: [3], nulls: 10, nullModel: 'time-jitter', graphKind: 'attention' }),
      /needs rebuildDag/,
    );
  });

  test('bad input: sizes, nulls ≤ 0, empty session set, cycles, backward edges', () => {
    assert.throws(
      () => mineMotifs(small, { sizes: [2, 3] }),
      /motif size must be an integer in 3\.\.5, got 2/,
    );
    assert.throws(() => mineMotifs(small, { sizes: [6] }), /got 6/);
    assert.throws(() => mineMotifs(small, { sizes: [] }), /at least one motif size/);
    assert.throws(() => mineMotifs(small, { nulls: 0 }), /nulls must be an integer ≥ 1.*got 0/);
    assert.throws(() => mineMotifs(small, { nulls: -3 }), /got -3/);
    assert.throws(() => mineMotifs(small, { nulls: 2.5 }), /got 2.5/);
    assert.throws(() => mineMotifs([], { nulls: 5 }), /empty session set/);
    assert.throws(() => mineMotifs(small, { nullModel: 'shuffle' as never }), /nullModel must be one of/);
    const cyc = withDag(small[0], [
      [0, 1],
      [1, 2],
      [2, 0],
    ]);
    assert.throws(() => mineMotifs([cyc], { nulls: 5 }), /session 0 \(bad\)\.dag: graph has a cycle/);
    const self = withDag(small[0], [
      [0, 1],
      [1, 1],
    ]);
    assert.throws(() => mineMotifs([self], { nulls: 5 }), /cycle/);
    const back = withDag(small[0], [
      [0, 1],
      [2, 1],
    ]);
    assert.throws(() => mineMotifs([back], { nulls: 5 }), /higher to a lower index/);
    assert.throws(
      () => mineMotifs(small, { nulls: 5, nullModel: 'time-jitter', edgeLabels: true }),
      /not implemented/,
    );
  });
});

describe('motif table, text, stability', () => {
  const run = mineMotifsDetailed(small, { sizes: [3, 4], nulls: 40, seed: 3, bootstrap: 50 });

  test('motifTable: one column entry per result, values copied, and a readable top list', () => {
    const cols = motifTable(run.results);
    const names = [
      'id',
      'size',
      'kinds',
      'edges',
      'count',
      'support',
      'null_mean',
      'null_sd',
      'lift',
      'z',
      'p',
      'q',
      'ci_low',
      'ci_high',
      'class',
    ];
    for (const c of names)
      assert.equal((cols as unknown as Record<string, unknown[]>)[c].length, run.results.length, c);
    const i = Math.floor(run.results.length / 2);
    const r = run.results[i];
    assert.equal(cols.id[i], r.id);
    assert.equal(cols.kinds[i], r.kinds.join(','));
    assert.equal(cols.q[i], r.q);
    assert.equal(cols.class[i], r.class);
    assert.ok(r.id.startsWith(`M${r.size}:kinds=${cols.kinds[i]}:edges=${cols.edges[i]}`));
    const text = formatTopMotifs(run.results, { top: 5 });
    assert.equal(text.split('\n').length, 6);
    assert.match(text, /class +lift/);
  });

  test('compareLiftRuns: Δlift = max − min over runs, +∞ when a top motif vanishes', () => {
    const mk = (id: string, lift: number): MotifResult => ({ ...run.results[0], id, lift });
    const rep = compareLiftRuns(
      [
        { label: 'a', results: [mk('x', 3), mk('y', 2), mk('z', 1)] },
        { label: 'b', results: [mk('x', 3.5), mk('y', 2), mk('z', 0.5)] },
        { label: 'c', results: [mk('x', 2.75), mk('y', 2.25)] },
      ],
      { topK: 3 },
    );
    assert.deepEqual(
      rep.rows.map((r) => [r.id, r.deltaLift]),
      [
        ['x', 0.75],
        ['y', 0.25],
        ['z', Infinity],
      ],
    );
    assert.equal(rep.maxDeltaLift, Infinity);
    assert.throws(() => compareLiftRuns([{ label: 'a', results: [] }]), /at least 2 runs/);
  });

  test('motifStability over seeds: finite Δlift; repeating one seed gives Δlift 0', () => {
    const rep = motifStability([{ label: 'dag', sessions: small }], {
      sizes: [3],
      nulls: 30,
      seeds: [1, 2, 3],
      bootstrap: 20,
      exactNullMean: false,
    });
    assert.equal(rep.rows.length, 10);
    assert.ok(rep.rows.every((r) => Number.isFinite(r.deltaLift) && r.deltaLift >= 0));
    assert.ok(rep.maxDeltaLift > 0, 'different seeds draw different nulls');
    const same = motifStability([{ label: 'dag', sessions: small }], {
      sizes: [3],
      nulls: 30,
      seeds: [4, 4],
      bootstrap: 20,
    });
    assert.equal(same.maxDeltaLift, 0);
    const exact = motifStability([{ label: 'dag', sessions: small }], {
      sizes: [3],
      nulls: 30,
      seeds: [1, 2, 3],
      bootstrap: 20,
      nullModel: 'kind-shuffle',
    });
    assert.equal(exact.maxDeltaLift, 0, 'exact kind-shuffle means make lift seed-independent');
  });
});
