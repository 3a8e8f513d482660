/**
 * Self-supervised tasks the timestamps do not answer, defined on sessions: NEXT EVENT KIND.
 *
 * Events are sorted by (t, seq) and the enhanced records write one market moment as several co-timed rows, so
 * the example unit is a co-timed group: for every group that has a later group, the example sits on the LAST
 * row i of the group (everything at time ≤ t_i is known) and its label is the kind of row i + 1, the first row
 * of the next strictly later time. The TGAT embedding of node i is causal: its DAG predecessors are events at
 * least dtMin earlier (graph/ buildDag: edges only point forward in time), and it attends to them and itself.
 *
 * Inputs are CAUSAL node features only: the columns of features/ NODE_FEATURES that look backwards (kind and
 * source one-hots, running range, time of day, past density and gaps, counts before …). The hindsight columns
 * (session high/low/range units, session end and event count, two-sided densities, gap to the NEXT event) are
 * set to 0, and the causal ones are standardized with the TRAIN fold's column mean and sd (per-session z-scores
 * would read the whole session). The column count stays 45, so an encoder trained here has the usual shape.
 */
import { NODE_FEATURES, N_NODE_FEATURES, rawNodeFeatures } from '../../features/index.js';
import { buildDag, dagInputFromSession, DEFAULT_DAG_CONFIG, type Dag } from '../../graph/index.js';
import { N_KINDS, type Session } from '../../session/index.js';
import type { TgatConfig } from '../config.js';
import { buildMask } from '../mask.js';
import { relativeTimes } from '../time-encoding.js';
import { type PairList, pairList } from './model.js';

/** Node feature columns usable online (they read only events at or before the row). */
export const CAUSAL_NODE_COLUMNS: readonly string[] = [
  'kind_expansion',
  'kind_consolidation',
  'kind_retracement',
  'kind_reversal',
  'kind_liquidity_taken',
  'kind_redelivery',
  'kind_anchor',
  'source_price_movement',
  'source_liquidity_event',
  'source_phase_transition',
  'source_level_interaction',
  'source_fair_value_gap',
  'source_fpfvg_interaction',
  'source_bar_detector',
  'above_open',
  'running_range_pos',
  'new_running_high',
  'new_running_low',
  'tod_sin',
  'tod_cos',
  'hour_phase_sin',
  'hour_phase_cos',
  'density_past_5m',
  'gap_prev_log',
  'same_time_count',
  'liq_count_before',
  'fvg_count_before',
  'redelivery_count_before',
  'level_touch_count',
  'has_level_key',
  'since_liq_log',
];

/** Indices of {@link CAUSAL_NODE_COLUMNS} in NODE_FEATURES. */
export const CAUSAL_COLUMN_INDEX: readonly number[] = CAUSAL_NODE_COLUMNS.map((name) => {
  const i = NODE_FEATURES.findIndex((f) => f.name === name);
  if (i < 0) throw new Error(`CAUSAL_NODE_COLUMNS: no node feature '${name}'`);
  return i;
});

/** Next-kind examples of one session: node i (last row of its co-timed group) → kind of row i + 1. */
export interface KindExamples {
  node: Int32Array;
  label: Int32Array;
}

export function nextKindExamples(s: Session): KindExamples {
  const ev = s.events;
  const node: number[] = [];
  const label: number[] = [];
  for (let i = 0; i + 1 < ev.length; i++) {
    if (ev[i + 1].t === ev[i].t) continue; // not the last row of its co-timed group
    if (ev[i + 1].t < ev[i].t) throw new Error(`session ${s.id}: events are not sorted by time at row ${i}`);
    node.push(i);
    label.push(ev[i + 1].kind);
  }
  return { node: Int32Array.from(node), label: Int32Array.from(label) };
}

/** One session ready for the kind task. */
export interface KindSession {
  id: string;
  date: string;
  n: number;
  /** Event kinds in (t, seq) order. */
  kinds: Int32Array;
  t: Float64Array;
  /** Raw causal features, n × CAUSAL_NODE_COLUMNS.length (float64, unstandardized). */
  raw: Float64Array;
  dag: Dag;
  ex: KindExamples;
}

/** The raw (unstandardized) causal feature columns of a session's events: n × CAUSAL_NODE_COLUMNS.length. */
export function causalRawFeatures(s: Session): { n: number; raw: Float64Array } {
  const C = CAUSAL_COLUMN_INDEX.length;
  const all = rawNodeFeatures(s);
  const n = s.events.length;
  const raw = new Float64Array(n * C);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < C; c++) raw[i * C + c] = all[i * N_NODE_FEATURES + CAUSAL_COLUMN_INDEX[c]];
  return { n, raw };
}

export function prepareKindSessions(sessions: readonly Session[]): KindSession[] {
  return sessions.map((s) => {
    const { n, raw } = causalRawFeatures(s);
    return {
      id: s.id,
      date: s.date,
      n,
      kinds: Int32Array.from(s.events, (e) => e.kind),
      t: Float64Array.from(s.events, (e) => e.t),
      raw,
      dag: buildDag(dagInputFromSession(s), DEFAULT_DAG_CONFIG, 'vectorized'),
      ex: nextKindExamples(s),
    };
  });
}

/** Column mean and sd of the causal features over every node of `sessions` (the training fold). */
export interface FeatureScaler {
  columns: readonly string[];
  mean: number[];
  sd: number[];
}

export function fitScaler(sessions: readonly Pick<KindSession, 'n' | 'raw'>[]): FeatureScaler {
  const C = CAUSAL_COLUMN_INDEX.length;
  const mean = new Array<number>(C).fill(0);
  const sq = new Array<number>(C).fill(0);
  let count = 0;
  for (const s of sessions) {
    for (let i = 0; i < s.n; i++) for (let c = 0; c < C; c++) mean[c] += s.raw[i * C + c];
    count += s.n;
  }
  for (let c = 0; c < C; c++) mean[c] /= Math.max(count, 1);
  for (const s of sessions)
    for (let i = 0; i < s.n; i++) for (let c = 0; c < C; c++) sq[c] += (s.raw[i * C + c] - mean[c]) ** 2;
  const sd = sq.map((v) => {
    const x = Math.sqrt(v / Math.max(count, 1));
    return x > 1e-12 ? x : 1;
  });
  return { columns: CAUSAL_NODE_COLUMNS, mean, sd };
}

/** The 45-column encoder input of a session: standardized causal columns, hindsight columns 0. */
export function encoderInput(s: Pick<KindSession, 'n' | 'raw'>, sc: FeatureScaler): Float32Array {
  const C = CAUSAL_COLUMN_INDEX.length;
  const x = new Float32Array(s.n * N_NODE_FEATURES);
  for (let i = 0; i < s.n; i++)
    for (let c = 0; c < C; c++)
      x[i * N_NODE_FEATURES + CAUSAL_COLUMN_INDEX[c]] = (s.raw[i * C + c] - sc.mean[c]) / sc.sd[c];
  return x;
}

/** The attention pairs of the full session DAG (no held-out edges) under config `c`. */
export function sessionPairs(s: KindSession, c: TgatConfig): PairList {
  const mask = buildMask(s.n, s.t, { windowMs: c.windowMs, selfAttention: c.selfAttention, dag: s.dag });
  return pairList(mask, relativeTimes(s.t, c.timeUnitMs));
}

/** Count of each label over the examples of `sessions`. */
export function labelCounts(sessions: readonly KindSession[], classes: number = N_KINDS): number[] {
  const out = new Array<number>(classes).fill(0);
  for (const s of sessions) for (const y of s.ex.label) out[y]++;
  return out;
}
