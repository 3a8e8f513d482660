import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NODE_FEATURES, N_NODE_FEATURES, nodeFeatures, rawNodeFeatures } from '../src/features/node.js';
import { EDGE_FEATURES, N_EDGE_FEATURES, edgeFeatures, rawEdgeFeatures } from '../src/features/edge.js';
import { standardizeColumns } from '../src/features/standardize.js';
import { sessionContext } from '../src/features/context.js';
import { buildTemporalGraph } from '../src/graph/temporal.js';
import { buildDag, dagInputFromSession, dagEdgeWeight } from '../src/graph/dag.js';
import { causalStrength } from '../src/graph/causal.js';
import { INTENT } from '../src/graph/types.js';
import { readSessions } from '../src/store/sessions.js';
import type { EventKind, EventSource, Session, SessionEvent } from '../src/session/types.js';
import { Rng } from '../src/stats/random.js';
import { randomSession } from '../src/synthetic/index.js';

const SAMPLE_DIR = 'data/sample/enhanced';
const T0 = Date.UTC(2025, 6, 29, 13, 30); // 09:30 ET

function ev(
  min: number,
  kind: EventKind,
  source: EventSource,
  price: number,
  levelKey = '',
  clock = '',
): SessionEvent {
  return {
    t: T0 + min * 60_000,
    seq: 0,
    price,
    kind,
    source,
    rule: 't',
    label: '',
    levelKey,
    clock,
    raw: null,
  };
}

function session(events: SessionEvent[], extra: Partial<Session> = {}): Session {
  events.forEach((e, i) => (e.seq = i));
  return {
    id: 'HAND',
    type: 'NY_AM',
    date: '2025-07-29',
    symbol: 'NQ',
    timeframe: 'M5',
    timezone: 'America/New_York',
    sourceFile: '',
    startT: T0,
    endT: T0 + 150 * 60_000,
    open: 100,
    high: 120,
    low: 80,
    close: 100,
    events,
    warnings: [],
    ...extra,
  };
}

/** Column j of a row-major matrix. */
function col(data: ArrayLike<number>, n: number, d: number, j: number): number[] {
  return Array.from({ length: n }, (_, r) => data[r * d + j]);
}

/** Every column has mean ≈ 0 and population sd ≈ 1, or is all 0; no NaN. Returns the constant columns. */
function assertStandardized(data: Float32Array, n: number, d: number, label: string): number[] {
  const constant: number[] = [];
  for (let j = 0; j < d; j++) {
    const c = col(data, n, d, j);
    assert.ok(c.every(Number.isFinite), `${label}: column ${j} has a non-finite value`);
    if (c.every((x) => x === 0)) {
      constant.push(j);
      continue;
    }
    const mean = c.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(c.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    assert.ok(Math.abs(mean) < 1e-5, `${label}: column ${j} mean ${mean}`);
    assert.ok(Math.abs(sd - 1) < 1e-4, `${label}: column ${j} sd ${sd}`);
  }
  return constant;
}

describe('features: tables', () => {
  test('45 node and 20 edge features, unique names, documented', () => {
    assert.equal(N_NODE_FEATURES, 45);
    assert.equal(N_EDGE_FEATURES, 20);
    for (const table of [NODE_FEATURES, EDGE_FEATURES]) {
      const names = table.map((f) => f.name);
      assert.equal(new Set(names).size, names.length, 'duplicate feature name');
      for (const f of table) {
        assert.match(f.name, /^[a-z][a-z0-9_]*$/);
        assert.ok(f.doc.length >= 15, `feature ${f.name} has no real doc`);
      }
    }
  });
});

describe('features: standardizeColumns', () => {
  test('matches a float64 reference; constant columns become 0', () => {
    const rng = new Rng(5);
    const n = 57;
    const d = 4;
    const data = new Float64Array(n * d);
    for (let r = 0; r < n; r++) {
      data[r * d] = 1e6 + rng.normal(); // large offset: float64 accumulation matters
      data[r * d + 1] = rng.float() < 0.1 ? 1 : 0;
      data[r * d + 2] = 3.25; // constant
      data[r * d + 3] = rng.normal() * 1e-3;
    }
    const ref = new Float64Array(data);
    for (let j = 0; j < d; j++) {
      const c = col(ref, n, d, j);
      const mean = c.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(c.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
      for (let r = 0; r < n; r++) ref[r * d + j] = sd === 0 ? 0 : (ref[r * d + j] - mean) / sd;
    }
    const f32 = Float32Array.from(data);
    const stats = standardizeColumns(data, n, d);
    assert.deepEqual(Array.from(stats.constant), [0, 0, 1, 0]);
    for (let k = 0; k < data.length; k++) assert.ok(Math.abs(data[k] - ref[k]) < 1e-9, `entry ${k}`);
    assert.ok(col(data, n, d, 2).every((x) => x === 0));
    standardizeColumns(f32, n, d); // float32 storage, float64 accumulation
    for (const j of [1, 3])
      for (let r = 0; r < n; r++) assert.ok(Math.abs(f32[r * d + j] - ref[r * d + j]) < 1e-5);
  });

  test('errors and edge cases', () => {
    assert.throws(() => standardizeColumns(new Float32Array(5), 2, 3), /data\.length 5 ≠ n·d = 6/);
    assert.throws(() => standardizeColumns(Float64Array.of(1, NaN), 2, 1), /row 1, column 0 is NaN/);
    const one = Float64Array.of(4, 5);
    standardizeColumns(one, 1, 2);
    assert.deepEqual(Array.from(one), [0, 0]);
    standardizeColumns(new Float64Array(0), 0, 3);
  });
});

describe('features: hand-computed node features', () => {
  // Session range 80..120 (R = 40), open 100.
  const s = session([
    ev(0, 6, 'price_movement', 100, '', '09:30:00'), // 0 anchor open
    ev(0, 4, 'liquidity_event', 0, '', '09:30:00'), // 1 no price → carries 100
    ev(3, 0, 'price_movement', 110, 'fpfvg:am', '09:33:00'), // 2
    ev(6, 5, 'fair_value_gap', 90, 'fpfvg:am', '09:36:00'), // 3
    ev(20, 4, 'level_interaction', 120, 'fpfvg:am', '09:50:00'), // 4
  ]);
  const raw = rawNodeFeatures(s);
  const d = N_NODE_FEATURES;
  const f = (i: number, name: string) => raw[i * d + NODE_FEATURES.findIndex((x) => x.name === name)];

  test('one-hots', () => {
    assert.equal(f(0, 'kind_anchor'), 1);
    assert.equal(f(1, 'kind_liquidity_taken'), 1);
    assert.equal(f(3, 'kind_redelivery'), 1);
    assert.equal(f(3, 'source_fair_value_gap'), 1);
    for (let i = 0; i < 5; i++) {
      let kinds = 0;
      let sources = 0;
      for (let j = 0; j < 7; j++) kinds += raw[i * d + j];
      for (let j = 7; j < 14; j++) sources += raw[i * d + j];
      assert.equal(kinds, 1);
      assert.equal(sources, 1);
    }
  });

  test('price position and distances', () => {
    assert.equal(f(2, 'price_pos'), 0.75);
    assert.equal(f(2, 'open_abs_dist'), 0.25);
    assert.equal(f(2, 'above_open'), 1);
    assert.equal(f(1, 'above_open'), 0, 'missing price carried forward from the open event');
    assert.equal(f(4, 'high_dist_log'), 0);
    assert.equal(f(3, 'low_dist_log'), Math.log1p(25));
    assert.equal(f(0, 'equilibrium_dist'), 0);
    assert.equal(f(4, 'equilibrium_dist'), 0.5);
  });

  test('running price features', () => {
    assert.equal(f(0, 'running_range_pos'), 0.5);
    assert.equal(f(2, 'running_range_pos'), 1);
    assert.equal(f(3, 'running_range_pos'), 0);
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((i) => f(i, 'new_running_high')),
      [0, 0, 1, 0, 1],
    );
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((i) => f(i, 'new_running_low')),
      [0, 0, 0, 1, 0],
    );
    assert.equal(f(3, 'mean_so_far_gap'), (90 - 100) / 40);
    assert.equal(f(2, 'ret_prev'), 0.25);
    // ret_5m: event 3 (09:36) refers to the last event at or before 09:31 → event 1 (price 100).
    assert.equal(f(3, 'ret_5m'), -0.25);
    assert.equal(f(2, 'ret_5m'), 0.25, 'no event 5 min earlier → the open');
    // path over 15 min at 09:50: events from 09:35 on → 3 (90) → 4 (120): 30/40.
    assert.equal(f(4, 'path_15m'), 0.75);
    assert.equal(f(3, 'path_15m'), (0 + 10 + 20) / 40);
  });

  test('time features', () => {
    const tod = 9 * 3600 + 50 * 60;
    assert.ok(Math.abs(f(4, 'tod_sin') - Math.sin((2 * Math.PI * tod) / 86400)) < 1e-15);
    assert.ok(Math.abs(f(4, 'hour_phase_cos') - Math.cos((2 * Math.PI * 50) / 60)) < 1e-12);
    assert.equal(f(4, 'session_frac'), 20 / 150);
    assert.equal(f(2, 'order_frac'), 0.5);
    assert.equal(f(0, 'gap_prev_log'), 0);
    assert.equal(f(2, 'gap_prev_log'), Math.log1p(180));
    assert.equal(f(4, 'gap_next_log'), Math.log1p(130 * 60));
    assert.equal(f(0, 'same_time_count'), 1);
    assert.equal(f(2, 'same_time_count'), 0);
  });

  test('density and context counts', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((i) => f(i, 'density_5m')),
      [2, 2, 3, 1, 0],
    );
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((i) => f(i, 'density_15m')),
      [3, 3, 3, 4, 1],
    );
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((i) => f(i, 'density_past_5m')),
      [0, 1, 2, 1, 0],
    );
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((i) => f(i, 'liq_count_before')),
      [0, 0, 1, 1, 1],
    );
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((i) => f(i, 'fvg_count_before')),
      [0, 0, 0, 0, 1],
    );
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((i) => f(i, 'redelivery_count_before')),
      [0, 0, 0, 0, 1],
    );
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((i) => f(i, 'level_touch_count')),
      [0, 0, 0, 1, 2],
    );
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((i) => f(i, 'has_level_key')),
      [0, 0, 1, 1, 1],
    );
    assert.equal(f(1, 'since_liq_log'), 0);
    assert.equal(f(4, 'since_liq_log'), Math.log1p(20 * 60));
  });

  test('time of day falls back to Intl in the session zone when the clock is missing', () => {
    const s2 = session([ev(0, 0, 'price_movement', 100), ev(95, 0, 'price_movement', 101)]);
    assert.deepEqual(Array.from(sessionContext(s2).timeOfDay), [9.5 * 3600, 11.0 * 3600 + 5 * 60]);
  });

  test('density features agree with a brute-force count on generated sessions', () => {
    const rng = new Rng(11);
    for (let r = 0; r < 20; r++) {
      const g = randomSession(rng.fork(r), 50 + rng.int(250));
      const x = rawNodeFeatures(g);
      const n = g.events.length;
      const t = g.events.map((e) => e.t);
      const j5 = NODE_FEATURES.findIndex((q) => q.name === 'density_5m');
      const j15 = NODE_FEATURES.findIndex((q) => q.name === 'density_15m');
      const jp = NODE_FEATURES.findIndex((q) => q.name === 'density_past_5m');
      for (let i = 0; i < n; i++) {
        let c5 = 0;
        let c15 = 0;
        let past = 0;
        for (let j = 0; j < n; j++) {
          if (j === i) continue;
          const dt = Math.abs(t[j] - t[i]);
          if (dt <= 300_000) c5++;
          if (dt <= 900_000) c15++;
          if (j < i && t[i] - t[j] <= 300_000) past++;
        }
        assert.equal(x[i * d + j5], c5);
        assert.equal(x[i * d + j15], c15);
        assert.equal(x[i * d + jp], past);
      }
    }
  });
});

describe('features: edge features', () => {
  const s = session([
    ev(0, 4, 'liquidity_event', 100, 'level:x'),
    ev(2, 3, 'price_movement', 110, 'level:x'),
    ev(5, 0, 'price_movement', 90),
  ]);
  const edges = {
    src: Int32Array.of(0, 0, 1),
    dst: Int32Array.of(1, 2, 2),
    intent: Uint8Array.of(INTENT.CONTEXT, 0, 1),
  };
  const raw = rawEdgeFeatures(s, edges);
  const d = N_EDGE_FEATURES;
  const f = (e: number, name: string) => raw[e * d + EDGE_FEATURES.findIndex((x) => x.name === name)];

  test('hand-computed values', () => {
    assert.equal(f(0, 'gap_s'), 120);
    assert.equal(f(0, 'log_gap'), Math.log1p(120));
    assert.equal(f(2, 'price_change'), -0.5);
    assert.equal(f(2, 'abs_price_change'), 0.5);
    assert.equal(f(2, 'price_direction'), -1);
    assert.equal(f(1, 'index_distance_log'), Math.log1p(2));
    assert.deepEqual(
      [0, 1, 2].map((e) => f(e, 'intent_context')),
      [1, 0, 0],
    );
    assert.deepEqual(
      [0, 1, 2].map((e) => f(e, 'intent_temporal_next')),
      [0, 1, 0],
    );
    assert.equal(f(0, 'causal_strength'), causalStrength(4, 3));
    assert.equal(f(0, 'dag_weight'), dagEdgeWeight(120_000, 7_200_000, 4, 3, 100, 110));
    assert.deepEqual(
      [0, 1, 2].map((e) => f(e, 'liq_to_turn')),
      [1, 0, 0],
    );
    assert.deepEqual(
      [0, 1, 2].map((e) => f(e, 'same_level')),
      [1, 0, 0],
    );
    assert.deepEqual(
      [0, 1, 2].map((e) => f(e, 'same_source')),
      [0, 0, 1],
    );
    assert.equal(f(2, 'src_session_frac'), 2 / 150);
    // 110 is premium (pos 0.75), 90 discount (0.25), 100 is exactly equilibrium (0.5 → no side).
    assert.deepEqual(
      [0, 1, 2].map((e) => f(e, 'crosses_equilibrium')),
      [0, 0, 1],
    );
  });

  test('bad edges are rejected', () => {
    assert.throws(
      () => rawEdgeFeatures(s, { src: Int32Array.of(0), dst: Int32Array.of(3) }),
      /edge 0 \(0 → 3\) out of range/,
    );
    assert.throws(
      () => rawEdgeFeatures(s, { src: Int32Array.of(0), dst: Int32Array.of(1, 2) }),
      /dst\.length 2/,
    );
    assert.throws(
      () => rawEdgeFeatures(s, { src: Int32Array.of(0), dst: Int32Array.of(1), intent: Uint8Array.of(4) }),
      /intent\[0\] = 4/,
    );
  });
});

describe('features: real sample', () => {
  test('node/edge matrices: dims, no NaN, standardized; no column is constant on every session', async () => {
    const { sessions, failures } = await readSessions([SAMPLE_DIR]);
    assert.equal(failures.length, 0);
    assert.ok(sessions.length >= 30);
    const nodeVaries = new Uint8Array(N_NODE_FEATURES);
    const edgeVaries = new Uint8Array(N_EDGE_FEATURES);
    let constantNodeCols = 0;
    for (const s of sessions) {
      const nf = nodeFeatures(s);
      assert.equal(nf.d, 45);
      assert.equal(nf.data.length, s.events.length * 45);
      assert.deepEqual(
        nf.names,
        NODE_FEATURES.map((x) => x.name),
      );
      const cn = assertStandardized(nf.data, nf.n, nf.d, `${s.id} nodes`);
      constantNodeCols += cn.length;
      for (let j = 0; j < 45; j++) if (!cn.includes(j)) nodeVaries[j] = 1;

      const g = buildTemporalGraph(s);
      const ef = edgeFeatures(s, g);
      assert.equal(ef.data.length, g.src.length * 20);
      const ce = assertStandardized(ef.data, ef.n, ef.d, `${s.id} edges`);
      for (let j = 0; j < 20; j++) if (!ce.includes(j)) edgeVaries[j] = 1;

      const dag = buildDag(dagInputFromSession(s));
      const df = edgeFeatures(s, dag);
      assert.equal(df.data.length, dag.src.length * 20);
      assertStandardized(df.data, df.n, df.d, `${s.id} dag edges`);

      // Deterministic: a second computation gives the same bytes.
      assert.ok(Buffer.from(nodeFeatures(s).data.buffer).equals(Buffer.from(nf.data.buffer)));
    }
    const deadNode = NODE_FEATURES.filter((_, j) => !nodeVaries[j]).map((x) => x.name);
    const deadEdge = EDGE_FEATURES.filter((_, j) => !edgeVaries[j]).map((x) => x.name);
    console.log(
      `node columns constant within a session: ${constantNodeCols} of ${sessions.length * 45}; ` +
        `never varying on the sample: nodes [${deadNode}] edges [${deadEdge}]`,
    );
    // bar_detector events only come from OHLCV input, so that one-hot cannot vary on enhanced JSON.
    assert.deepEqual(deadNode, ['source_bar_detector']);
    assert.deepEqual(deadEdge, []);
  });

  test('generated sessions: no NaN, standardized, including n = 0 and n = 1', () => {
    const rng = new Rng(3);
    for (const n of [0, 1, 2, 17, 300]) {
      const s = randomSession(rng.fork(n), n);
      const nf = nodeFeatures(s);
      assert.equal(nf.data.length, n * 45);
      assertStandardized(nf.data, nf.n, nf.d, `n=${n}`);
      const ef = edgeFeatures(s, buildTemporalGraph(s));
      assertStandardized(ef.data, ef.n, ef.d, `n=${n} edges`);
    }
  });
});
