/**
 * Edge features (SPEC stage 3): 20 named, documented dimensions per directed edge (src → dst), for any edge
 * list over a session's events — the temporal graph (with intents), the DAG (no intents: the intent columns
 * are 0 and standardize to 0), or an attention DAG. Computed in float64, standardized per session.
 */
import { dagEdgeWeight } from '../graph/index.js';
import { CAUSAL_MATRIX } from '../graph/index.js';
import { DEFAULT_DAG_CONFIG } from '../graph/index.js';
import { KIND, N_KINDS, type Session } from '../session/index.js';
import { sessionContext, type SessionContext } from './context.js';
import type { FeatureMatrix, FeatureOptions, FeatureSpec } from './types.js';
import { standardizeColumns } from './standardize.js';

/** The 20 edge features in column order. */
export const EDGE_FEATURES = [
  { name: 'gap_s', doc: 'time from src to dst in seconds, (t_dst − t_src)/1000' },
  { name: 'log_gap', doc: 'ln(1 + |gap_s|): compresses the long gaps' },
  { name: 'price_change', doc: '(P_dst − P_src)/R, signed, in session-range units' },
  { name: 'abs_price_change', doc: '|P_dst − P_src|/R' },
  { name: 'price_direction', doc: 'sign(P_dst − P_src): +1 up, −1 down, 0 unchanged' },
  { name: 'index_distance_log', doc: 'ln(1 + |dst − src|): how many events apart the endpoints are' },
  { name: 'intent_temporal_next', doc: '1 if the edge intent is TEMPORAL_NEXT' },
  { name: 'intent_movement_transition', doc: '1 if the edge intent is MOVEMENT_TRANSITION' },
  { name: 'intent_liq_link', doc: '1 if the edge intent is LIQ_LINK' },
  { name: 'intent_context', doc: '1 if the edge intent is CONTEXT' },
  { name: 'causal_strength', doc: 'kind-pair causal strength src → dst (src/graph/causal.ts)' },
  {
    name: 'dag_weight',
    doc: 'the DAG edge weight formula applied to this pair (default dtMax = 120 min), clamped to [0.1, 1]',
  },
  { name: 'same_kind', doc: '1 if both events have the same kind' },
  { name: 'liq_to_turn', doc: '1 if a LiquidityTaken event leads to a Reversal or Redelivery' },
  { name: 'impulse_to_pullback', doc: '1 if an Expansion leads to a Retracement or Consolidation' },
  { name: 'involves_anchor', doc: '1 if either endpoint is a session open/high/low/close Anchor' },
  {
    name: 'same_level',
    doc: '1 if both events touch the same named level/structure (equal non-empty levelKey)',
  },
  { name: 'same_source', doc: '1 if both events come from the same record section' },
  { name: 'src_session_frac', doc: 'where in the session the edge starts, (t_src − start)/(end − start)' },
  {
    name: 'crosses_equilibrium',
    doc: '1 if the endpoints lie on opposite sides of the range midpoint (premium ↔ discount)',
  },
] as const satisfies readonly FeatureSpec[];

export type EdgeFeatureName = (typeof EDGE_FEATURES)[number]['name'];
export const EDGE_FEATURE_NAMES: readonly EdgeFeatureName[] = EDGE_FEATURES.map((f) => f.name);
export const N_EDGE_FEATURES = EDGE_FEATURES.length;

const COL = Object.fromEntries(EDGE_FEATURES.map((f, i) => [f.name, i])) as Record<EdgeFeatureName, number>;

/**
 * Edges to featurize: parallel src/dst index arrays over the session's events; `intent` (EDGE_INTENTS codes)
 * when the edges have one. A TemporalGraph and a Dag both satisfy this.
 */
export interface EdgeInput {
  src: Int32Array;
  dst: Int32Array;
  intent?: Uint8Array;
}

/** Raw (unstandardized) edge features in float64, m × 20 row-major. */
export function rawEdgeFeatures(
  session: Session,
  edges: EdgeInput,
  ctx: SessionContext = sessionContext(session),
): Float64Array {
  const { src, dst, intent } = edges;
  const m = src.length;
  if (dst.length !== m) throw new Error(`edgeFeatures: dst.length ${dst.length} ≠ src.length ${m}`);
  if (intent && intent.length !== m)
    throw new Error(`edgeFeatures: intent.length ${intent.length} ≠ src.length ${m}`);
  const ev = session.events;
  const { n, t, price: P, low: L, range: R } = ctx;
  const d = N_EDGE_FEATURES;
  const out = new Float64Array(m * d);
  for (let e = 0; e < m; e++) {
    const a = src[e];
    const b = dst[e];
    if (!(a >= 0 && a < n && b >= 0 && b < n))
      throw new Error(`edgeFeatures: edge ${e} (${a} → ${b}) out of range 0..${n - 1}`);
    const row = e * d;
    const ea = ev[a];
    const eb = ev[b];
    const gapMs = t[b] - t[a];
    const dp = P[b] - P[a];
    out[row + COL.gap_s] = gapMs / 1000;
    out[row + COL.log_gap] = Math.log1p(Math.abs(gapMs) / 1000);
    out[row + COL.price_change] = dp / R;
    out[row + COL.abs_price_change] = Math.abs(dp) / R;
    out[row + COL.price_direction] = Math.sign(dp);
    out[row + COL.index_distance_log] = Math.log1p(Math.abs(b - a));
    if (intent) {
      const k = intent[e];
      if (k > 3) throw new Error(`edgeFeatures: intent[${e}] = ${k} is not an intent code 0..3`);
      out[row + COL.intent_temporal_next + k] = 1;
    }
    const ka = ea.kind;
    const kb = eb.kind;
    out[row + COL.causal_strength] = CAUSAL_MATRIX[ka * N_KINDS + kb];
    out[row + COL.dag_weight] = dagEdgeWeight(
      Math.abs(gapMs),
      DEFAULT_DAG_CONFIG.dtMaxMs,
      ka,
      kb,
      P[a],
      P[b],
    );
    out[row + COL.same_kind] = ka === kb ? 1 : 0;
    out[row + COL.liq_to_turn] =
      ka === KIND.LiquidityTaken && (kb === KIND.Reversal || kb === KIND.Redelivery) ? 1 : 0;
    out[row + COL.impulse_to_pullback] =
      ka === KIND.Expansion && (kb === KIND.Retracement || kb === KIND.Consolidation) ? 1 : 0;
    out[row + COL.involves_anchor] = ka === KIND.Anchor || kb === KIND.Anchor ? 1 : 0;
    out[row + COL.same_level] = ea.levelKey !== '' && ea.levelKey === eb.levelKey ? 1 : 0;
    out[row + COL.same_source] = ea.source === eb.source ? 1 : 0;
    out[row + COL.src_session_frac] = (t[a] - ctx.startT) / ctx.duration;
    out[row + COL.crosses_equilibrium] = ((P[a] - L) / R - 0.5) * ((P[b] - L) / R - 0.5) < 0 ? 1 : 0;
  }
  for (let k = 0; k < out.length; k++) {
    if (!Number.isFinite(out[k])) {
      throw new Error(
        `session ${session.id}: edge feature ${EDGE_FEATURE_NAMES[k % d]} of edge ${Math.floor(k / d)} is ${out[k]}`,
      );
    }
  }
  return out;
}

/**
 * The edge feature matrix: m × 20 float32, row-major, columns named by {@link EDGE_FEATURES}, standardized per
 * session (over the given edge list) unless `standardize: false`.
 */
export function edgeFeatures(session: Session, edges: EdgeInput, opts: FeatureOptions = {}): FeatureMatrix {
  const raw = rawEdgeFeatures(session, edges);
  const m = edges.src.length;
  const d = N_EDGE_FEATURES;
  if (opts.standardize ?? true) standardizeColumns(raw, m, d);
  return { data: Float32Array.from(raw), n: m, d, names: EDGE_FEATURE_NAMES };
}
