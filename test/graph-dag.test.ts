import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  DAG_BUILDERS,
  buildDag,
  buildDagBaseline,
  dagEdgeWeight,
  dagInputFromSession,
  isAcyclic,
  lowerBoundGap,
  timeGenerations,
  topologicalGenerations,
  type DagInput,
} from '../src/graph/dag.js';
import { CAUSAL_PAIRS, DEFAULT_CAUSAL_STRENGTH, causalStrength } from '../src/graph/causal.js';
import { DEFAULT_DAG_CONFIG, type Dag, type DagConfig } from '../src/graph/types.js';
import { KIND } from '../src/session/types.js';
import { readSessions } from '../src/store/sessions.js';
import { Rng } from '../src/stats/random.js';
import { randomSession } from '../src/synthetic/index.js';

const SAMPLE_DIR = 'data/sample/enhanced';

function bytes(a: Int32Array | Float32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Bit-identical comparison of every array of two DAGs. */
function assertSameDag(a: Dag, b: Dag, label: string): void {
  assert.equal(a.n, b.n, `${label}: n`);
  for (const key of ['src', 'dst', 'rowPtr', 'weight', 'dtMinutes'] as const) {
    assert.equal(a[key].length, b[key].length, `${label}: ${key}.length`);
    assert.ok(bytes(a[key]).equals(bytes(b[key])), `${label}: ${key} differs`);
  }
}

/** Structural invariants every DAG must satisfy, checked against the input and config. */
function assertDagInvariants(dag: Dag, input: DagInput, cfg: DagConfig, label: string): void {
  const m = dag.src.length;
  assert.equal(dag.rowPtr.length, dag.n + 1, `${label}: rowPtr length`);
  assert.equal(dag.rowPtr[dag.n], m, `${label}: rowPtr end`);
  for (let i = 0; i < dag.n; i++) {
    const deg = dag.rowPtr[i + 1] - dag.rowPtr[i];
    assert.ok(deg >= 0 && deg <= cfg.k, `${label}: degree of ${i} = ${deg}`);
    for (let e = dag.rowPtr[i]; e < dag.rowPtr[i + 1]; e++) assert.equal(dag.src[e], i, `${label}: CSR src`);
  }
  for (let e = 0; e < m; e++) {
    const s = dag.src[e];
    const d = dag.dst[e];
    assert.ok(s < d, `${label}: edge ${e} ${s} → ${d} not forward`);
    if (e > 0)
      assert.ok(dag.src[e - 1] < s || (dag.src[e - 1] === s && dag.dst[e - 1] < d), `${label}: order`);
    const gap = input.t[d] - input.t[s];
    assert.ok(gap >= cfg.dtMinMs && gap <= cfg.dtMaxMs, `${label}: gap ${gap} outside window`);
    assert.ok(dag.weight[e] >= 0.1 && dag.weight[e] <= 1, `${label}: weight ${dag.weight[e]}`);
    assert.equal(dag.dtMinutes[e], Math.fround(gap / 60_000), `${label}: dtMinutes`);
  }
  assert.ok(isAcyclic(dag), `${label}: cycle`);
}

function buildAll(input: DagInput, cfg: DagConfig, label: string): Dag {
  const ref = buildDag(input, cfg, 'baseline');
  assertDagInvariants(ref, input, cfg, label);
  for (const name of DAG_BUILDERS) assertSameDag(buildDag(input, cfg, name), ref, `${label} [${name}]`);
  return ref;
}

describe('graph/dag: hand-computed example', () => {
  // t in seconds: two nodes at 0, one at 30 s, two at 60 s, one at 120 s, one 3 h later.
  const t = Float64Array.from([0, 0, 30, 60, 60, 120, 10_800].map((s) => s * 1000));
  const price = Float64Array.from([100, 101, 99, 100, 0, 102, 100]);
  const kind = Uint8Array.from([KIND.LiquidityTaken, 0, 1, KIND.Reversal, 2, 3, 4]);
  const input = { t, price, kind };
  const cfg: DagConfig = { k: 2, dtMinMs: 60_000, dtMaxMs: 7_200_000 };

  test('every builder gives the expected edges', () => {
    for (const name of DAG_BUILDERS) {
      const dag = buildDag(input, cfg, name);
      const pairs = Array.from(dag.src, (s, e) => `${s}>${dag.dst[e]}`);
      // 0 and 1 reach 3, 4 (60 s) and 5 (120 s) → first two; 2 (at 30 s) only reaches 5 (90 s);
      // 3 and 4 reach 5 (60 s, 4 at gap 0 is too close); 5 → 6 is 2 h 58 min, past dtMax.
      assert.deepEqual(pairs, ['0>3', '0>4', '1>3', '1>4', '2>5', '3>5', '4>5'], name);
      assert.deepEqual(Array.from(dag.rowPtr), [0, 2, 4, 5, 6, 7, 7, 7], name);
      assert.deepEqual(Array.from(dag.dtMinutes), [1, 1, 1, 1, 1.5, 1, 1], name);
    }
  });

  test('weight of LiquidityTaken → Reversal at 1 min with Δp = 0 is clamp(0.5·(1 − 1/120) + 0.3·0.8 + 0.2·1)', () => {
    const dag = buildDag(input, cfg);
    const expected = 0.5 * (1 - 60 / 7200) + 0.3 * 0.8 + 0.2 * 1;
    assert.equal(dag.weight[0], Math.fround(expected));
    // 1 → 4 (Expansion → Retracement, 0.7): dst price 0 with src price 101 > 0 gives price term 1/(1 + 101/101).
    assert.equal(dag.weight[3], Math.fround(0.5 * (1 - 60 / 7200) + 0.3 * 0.7 + 0.2 * 0.5));
    // 4 → 5: source price 0 → price term 0.
    assert.equal(dag.weight[6], Math.fround(0.5 * (1 - 60 / 7200) + 0.3 * causalStrength(2, 3) + 0));
  });

  test('weight clamps to [0.1, 1]', () => {
    // Far end of the window, default causal, no price: 0.3·0.3 = 0.09 clamps up to 0.1.
    assert.equal(dagEdgeWeight(7_200_000, 7_200_000, KIND.Anchor, KIND.Anchor, 0, 5), 0.1);
    assert.equal(
      dagEdgeWeight(7_200_000, 7_200_000, KIND.Anchor, KIND.Anchor, 10, 10),
      0.3 * DEFAULT_CAUSAL_STRENGTH + 0.2,
    );
    assert.equal(dagEdgeWeight(7_200_000, 7_200_000, KIND.Anchor, KIND.Anchor, -1, 0), 0.1);
    // The strongest pair at gap 0 with Δp = 0 is the maximum reachable weight (the table tops out at 0.9).
    assert.equal(
      dagEdgeWeight(0, 7_200_000, KIND.LiquidityTaken, KIND.Redelivery, 100, 100),
      0.5 + 0.3 * 0.9 + 0.2,
    );
  });

  test('dtMin = 0 links equal-time nodes (in index order)', () => {
    const dag = buildAll(input, { k: 3, dtMinMs: 0, dtMaxMs: 60_000 }, 'dtMin=0');
    assert.deepEqual(Array.from(dag.dst.subarray(dag.rowPtr[0], dag.rowPtr[1])), [1, 2, 3]);
    assert.deepEqual(Array.from(dag.dst.subarray(dag.rowPtr[3], dag.rowPtr[4])), [4, 5]);
  });
});

describe('graph/dag: validation', () => {
  const ok: DagInput = { t: Float64Array.of(0, 1), price: Float64Array.of(1, 1), kind: Uint8Array.of(0, 0) };
  for (const name of DAG_BUILDERS) {
    test(`${name} rejects bad input and config with a clear error`, () => {
      assert.throws(
        () => buildDag({ ...ok, price: Float64Array.of(1) }, undefined, name),
        /price\.length \(1\)/,
      );
      assert.throws(() => buildDag({ ...ok, kind: Uint8Array.of(0) }, undefined, name), /kind\.length/);
      assert.throws(
        () => buildDag({ ...ok, t: Float64Array.of(0, NaN) }, undefined, name),
        /t\[1\] must be finite/,
      );
      assert.throws(
        () => buildDag({ ...ok, t: Float64Array.of(5, 1) }, undefined, name),
        /non-decreasing.*t\[1\] = 1/,
      );
      assert.throws(() => buildDag({ ...ok, kind: Uint8Array.of(0, 7) }, undefined, name), /kind\[1\] = 7/);
      assert.throws(
        () => buildDag(ok, { k: 0, dtMinMs: 0, dtMaxMs: 1 }, name),
        /k must be an integer ≥ 1, got 0/,
      );
      assert.throws(
        () => buildDag(ok, { k: 1, dtMinMs: 5, dtMaxMs: 5 }, name),
        /dtMinMs \(5\) must be < dtMaxMs \(5\)/,
      );
      assert.throws(() => buildDag(ok, { k: 1, dtMinMs: -1, dtMaxMs: 5 }, name), /dtMinMs must be a finite/);
    });
  }
  test('unknown builder name', () => {
    assert.throws(() => buildDag(ok, undefined, 'fast' as never), /unknown DAG builder "fast"/);
  });
  test('empty and single-node inputs give empty DAGs', () => {
    const empty = { t: new Float64Array(0), price: new Float64Array(0), kind: new Uint8Array(0) };
    for (const name of DAG_BUILDERS) {
      assert.equal(buildDag(empty, undefined, name).src.length, 0);
      assert.deepEqual(Array.from(buildDag(empty, undefined, name).rowPtr), [0]);
      const one = buildDag(
        { t: Float64Array.of(3), price: Float64Array.of(1), kind: Uint8Array.of(0) },
        undefined,
        name,
      );
      assert.deepEqual(Array.from(one.rowPtr), [0, 0]);
    }
  });
});

describe('graph/dag: the four builders agree', () => {
  test('property: identical arrays on random sessions (sizes 0–600, clustered times, random k/windows)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 180 }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        fc.constantFrom(60_000, 1000, 0),
        (seed, n, k, dtMinMinutes, spanMinutes, sameTimeProb, resolutionMs) => {
          const session = randomSession(new Rng(seed), n, { sameTimeProb, resolutionMs });
          const cfg: DagConfig = {
            k,
            dtMinMs: dtMinMinutes * 30_000,
            dtMaxMs: dtMinMinutes * 30_000 + spanMinutes * 60_000,
          };
          buildAll(dagInputFromSession(session), cfg, `seed ${seed} n ${n}`);
        },
      ),
      { seed: 20_250_729, numRuns: 150 },
    );
  });

  test('k larger than n, and a window wider than the session', () => {
    const session = randomSession(new Rng(7), 300);
    const dag = buildAll(dagInputFromSession(session), { k: 1000, dtMinMs: 0, dtMaxMs: 1e12 }, 'complete');
    assert.equal(dag.src.length, (300 * 299) / 2);
  });

  test('every real sample session, default and varied configs', async () => {
    const { sessions, failures } = await readSessions([SAMPLE_DIR]);
    assert.equal(failures.length, 0, JSON.stringify(failures));
    assert.ok(sessions.length >= 30, `only ${sessions.length} sessions`);
    let edges = 0;
    for (const s of sessions) {
      const input = dagInputFromSession(s);
      edges += buildAll(input, DEFAULT_DAG_CONFIG, s.id).src.length;
      buildAll(input, { k: 2, dtMinMs: 0, dtMaxMs: 600_000 }, `${s.id} k2`);
      buildAll(input, { k: 8, dtMinMs: 300_000, dtMaxMs: 3_600_000 }, `${s.id} k8`);
    }
    assert.ok(edges > sessions.length * 10, `only ${edges} DAG edges over the sample`);
  });
});

describe('graph/dag: helpers', () => {
  test('lowerBoundGap matches a linear scan', () => {
    const t = Float64Array.from([0, 0, 1, 1, 1, 4, 9, 9]);
    for (let from = 0; from <= t.length; from++) {
      for (const ti of [0, 1, 4]) {
        for (const gap of [0, 0.5, 1, 3, 8, 100]) {
          let j = from;
          while (j < t.length && t[j] - ti < gap) j++;
          assert.equal(lowerBoundGap(t, from, ti, gap), j, `from ${from} ti ${ti} gap ${gap}`);
        }
      }
    }
  });

  test('timeGenerations groups equal times', () => {
    assert.deepEqual(Array.from(timeGenerations(Float64Array.from([1, 1, 2, 3, 3, 3]))), [0, 2, 3, 6]);
    assert.deepEqual(Array.from(timeGenerations(new Float64Array(0))), [0]);
  });

  test('topologicalGenerations gives Kahn layers; isAcyclic detects a cycle', () => {
    const g = { n: 5, src: Int32Array.of(0, 0, 1, 3), dst: Int32Array.of(1, 2, 2, 4) };
    const { order, layerPtr } = topologicalGenerations(g);
    assert.deepEqual(Array.from(order), [0, 3, 1, 4, 2]);
    assert.deepEqual(Array.from(layerPtr), [0, 2, 4, 5]);
    const cyc = { n: 3, src: Int32Array.of(0, 1, 2), dst: Int32Array.of(1, 2, 1) };
    assert.equal(isAcyclic(cyc), false);
    assert.throws(() => topologicalGenerations(cyc), /cycle \(2 nodes unplaced\)/);
    assert.equal(isAcyclic(g), true);
  });

  test('baseline DAG is acyclic and topological layers respect every edge', () => {
    const dag = buildDagBaseline(dagInputFromSession(randomSession(new Rng(3), 200)), DEFAULT_DAG_CONFIG);
    const { order, layerPtr } = topologicalGenerations(dag);
    const layerOf = new Int32Array(dag.n);
    for (let g = 0; g + 1 < layerPtr.length; g++)
      for (let q = layerPtr[g]; q < layerPtr[g + 1]; q++) layerOf[order[q]] = g;
    for (let e = 0; e < dag.src.length; e++) assert.ok(layerOf[dag.src[e]] < layerOf[dag.dst[e]]);
  });

  test('causal table: listed pairs, default elsewhere, directed', () => {
    assert.equal(causalStrength(KIND.LiquidityTaken, KIND.Reversal), 0.8);
    assert.equal(causalStrength(KIND.Expansion, KIND.Retracement), 0.7);
    assert.equal(causalStrength(KIND.LiquidityTaken, KIND.Redelivery), 0.9);
    assert.equal(causalStrength(KIND.Reversal, KIND.LiquidityTaken), DEFAULT_CAUSAL_STRENGTH);
    assert.equal(causalStrength(KIND.Anchor, KIND.Expansion), DEFAULT_CAUSAL_STRENGTH);
    assert.ok(CAUSAL_PAIRS.every((p) => p.why.length > 10));
    assert.throws(() => causalStrength(7, 0), /kind codes must be in 0\.\.6/);
  });
});
