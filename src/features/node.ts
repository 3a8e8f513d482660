/**
 * Node features (SPEC stage 3): 45 named, documented dimensions per event, computed in float64 from the
 * session alone, then standardized per session (z-score per column; see standardize.ts).
 *
 * Conventions: P is the event's feature price (context.ts: missing prices carried forward), O/H/L the session
 * open/high/low, R = H − L ("range units"). "Before" means events earlier in (t, seq) order — features that
 * look only backwards are causal and usable online; the density and next-gap features look both ways.
 */
import { EVENT_KINDS, EVENT_SOURCES, KIND, type Session } from '../session/index.js';
import { sessionContext, type SessionContext } from './context.js';
import { standardizeColumns } from './standardize.js';
import type { FeatureMatrix, FeatureOptions, FeatureSpec } from './types.js';

/** The 45 node features in column order. */
export const NODE_FEATURES = [
  { name: 'kind_expansion', doc: '1 if the event kind is Expansion' },
  { name: 'kind_consolidation', doc: '1 if the event kind is Consolidation' },
  { name: 'kind_retracement', doc: '1 if the event kind is Retracement' },
  { name: 'kind_reversal', doc: '1 if the event kind is Reversal' },
  { name: 'kind_liquidity_taken', doc: '1 if the event kind is LiquidityTaken' },
  { name: 'kind_redelivery', doc: '1 if the event kind is Redelivery' },
  { name: 'kind_anchor', doc: '1 if the event is a session open/high/low/close Anchor' },
  { name: 'source_price_movement', doc: '1 if the event came from price_movements' },
  { name: 'source_liquidity_event', doc: '1 if the event came from session_liquidity_events' },
  { name: 'source_phase_transition', doc: '1 if the event came from phase_transitions' },
  { name: 'source_level_interaction', doc: '1 if the event came from level_interactions' },
  { name: 'source_fair_value_gap', doc: '1 if the event came from structures_identified.fair_value_gaps' },
  { name: 'source_fpfvg_interaction', doc: '1 if the event came from fpfvg observations/interactions' },
  { name: 'source_bar_detector', doc: '1 if the event was derived from OHLCV bars by the detector' },
  { name: 'price_pos', doc: 'position in the session range, (P − L)/R: 0 at the low, 1 at the high' },
  { name: 'open_abs_dist', doc: 'distance from the session open in range units, |P − O|/R' },
  { name: 'above_open', doc: '1 if P > O (trading above the open: premium side of the day so far)' },
  {
    name: 'high_dist_log',
    doc: 'distance to the session high, ln(1 + 100·|H − P|/R): resolves the last 1% of range',
  },
  { name: 'low_dist_log', doc: 'distance to the session low, ln(1 + 100·|P − L|/R)' },
  { name: 'equilibrium_dist', doc: 'distance from the range midpoint, |price_pos − 0.5| (0 = equilibrium)' },
  {
    name: 'running_range_pos',
    doc: 'position within the range of prices seen so far (events 0..i); 0.5 while that range is empty',
  },
  {
    name: 'new_running_high',
    doc: '1 if P exceeds every earlier event price (a new high of the session so far)',
  },
  { name: 'new_running_low', doc: '1 if P is below every earlier event price (a new low so far)' },
  { name: 'mean_so_far_gap', doc: '(P − mean of prices of events 0..i)/R: stretch from the running average' },
  { name: 'ret_prev', doc: 'price change since the previous event, (P − P_prev)/R; 0 for the first event' },
  {
    name: 'ret_5m',
    doc: 'price change over 5 min, (P − P_ref)/R, P_ref = price of the last event at least 5 min earlier, else O',
  },
  {
    name: 'path_15m',
    doc: 'path length over the last 15 min: Σ|ΔP| between consecutive events within [t − 15 min, t], in R units',
  },
  { name: 'tod_sin', doc: 'sin(2π·time of day/24 h), local session time zone' },
  { name: 'tod_cos', doc: 'cos(2π·time of day/24 h)' },
  {
    name: 'hour_phase_sin',
    doc: 'sin(2π·minute-of-hour/60): the intra-hour cycle (e.g. :50–:10 macro windows)',
  },
  { name: 'hour_phase_cos', doc: 'cos(2π·minute-of-hour/60)' },
  {
    name: 'session_frac',
    doc: 'time since the session start as a fraction of its duration, (t − start)/(end − start)',
  },
  { name: 'order_frac', doc: 'rank of the event in the session, i/(n − 1) (0 when n = 1)' },
  { name: 'density_5m', doc: 'number of other events within ±5 min' },
  { name: 'density_15m', doc: 'number of other events within ±15 min' },
  { name: 'density_past_5m', doc: 'number of earlier events within the last 5 min (causal burst indicator)' },
  {
    name: 'gap_prev_log',
    doc: 'ln(1 + seconds since the previous event); the first event counts from the session start',
  },
  {
    name: 'gap_next_log',
    doc: 'ln(1 + seconds to the next event); the last event counts to the session end',
  },
  {
    name: 'same_time_count',
    doc: 'number of other events with exactly the same timestamp (clustered records)',
  },
  {
    name: 'liq_count_before',
    doc: 'number of earlier LiquidityTaken events (liquidity already taken this session)',
  },
  {
    name: 'fvg_count_before',
    doc: 'number of earlier fair-value-gap events (sources fair_value_gap and fpfvg_interaction)',
  },
  { name: 'redelivery_count_before', doc: 'number of earlier Redelivery events' },
  {
    name: 'level_touch_count',
    doc: 'number of earlier events touching the same level key (0 without a key)',
  },
  { name: 'has_level_key', doc: '1 if the event touches a named level or structure (non-empty levelKey)' },
  {
    name: 'since_liq_log',
    doc: 'ln(1 + seconds since the last earlier LiquidityTaken event, or since the session start if none)',
  },
] as const satisfies readonly FeatureSpec[];

export type NodeFeatureName = (typeof NODE_FEATURES)[number]['name'];
export const NODE_FEATURE_NAMES: readonly NodeFeatureName[] = NODE_FEATURES.map((f) => f.name);
export const N_NODE_FEATURES = NODE_FEATURES.length;

const COL = Object.fromEntries(NODE_FEATURES.map((f, i) => [f.name, i])) as Record<NodeFeatureName, number>;

/** snake_case of a kind name, e.g. LiquidityTaken → liquidity_taken. */
function snake(s: string): string {
  return s.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

// The one-hot blocks are indexed by kind/source code, so the table must list them in code order.
EVENT_KINDS.forEach((k, c) => {
  if (NODE_FEATURES[COL.kind_expansion + c].name !== `kind_${snake(k)}`)
    throw new Error(`NODE_FEATURES: kind ${k} out of order`);
});
EVENT_SOURCES.forEach((s, c) => {
  if (NODE_FEATURES[COL.source_price_movement + c].name !== `source_${s}`)
    throw new Error(`NODE_FEATURES: source ${s} out of order`);
});

const FIVE_MIN = 300_000;
const FIFTEEN_MIN = 900_000;
const TAU = 2 * Math.PI;

/** Count of indices j with lo ≤ t[j] ≤ hi in sorted t (two binary searches). */
function countInClosed(t: Float64Array, lo: number, hi: number): number {
  return upperBound(t, hi) - lowerBound(t, lo);
}
function lowerBound(t: Float64Array, x: number): number {
  let a = 0;
  let b = t.length;
  while (a < b) {
    const m = (a + b) >>> 1;
    if (t[m] < x) a = m + 1;
    else b = m;
  }
  return a;
}
function upperBound(t: Float64Array, x: number): number {
  let a = 0;
  let b = t.length;
  while (a < b) {
    const m = (a + b) >>> 1;
    if (t[m] <= x) a = m + 1;
    else b = m;
  }
  return a;
}

/**
 * Raw (unstandardized) node features in float64, n × 45 row-major. Exposed for inspection and tests;
 * {@link nodeFeatures} is what the pipeline uses. Throws if the events are not sorted by t.
 */
export function rawNodeFeatures(
  session: Session,
  ctx: SessionContext = sessionContext(session),
): Float64Array {
  const ev = session.events;
  const { n, t, price: P, open: O, high: H, low: L, range: R } = ctx;
  for (let i = 1; i < n; i++) {
    if (t[i] < t[i - 1]) throw new Error(`session ${session.id}: events not sorted by t at index ${i}`);
  }
  const d = N_NODE_FEATURES;
  const out = new Float64Array(n * d);
  const sourceIndex = new Map<string, number>(EVENT_SOURCES.map((s, k) => [s, k]));
  const touches = new Map<string, number>();
  let runHigh = -Infinity;
  let runLow = Infinity;
  let priceSum = 0;
  let liqBefore = 0;
  let fvgBefore = 0;
  let redeliveryBefore = 0;
  let lastLiqT = NaN;
  let ref5 = -1; // index of the last event with t ≤ t_i − 5 min
  let path15Start = 0; // first index with t ≥ t_i − 15 min
  for (let i = 0; i < n; i++) {
    const row = i * d;
    const e = ev[i];
    const p = P[i];
    const ti = t[i];
    if (e.kind < 0 || e.kind >= EVENT_KINDS.length)
      throw new Error(`session ${session.id}: events[${i}].kind = ${e.kind}`);
    out[row + COL.kind_expansion + e.kind] = 1;
    const si = sourceIndex.get(e.source);
    if (si === undefined)
      throw new Error(`session ${session.id}: events[${i}].source "${e.source}" is unknown`);
    out[row + COL.source_price_movement + si] = 1;

    const pos = (p - L) / R;
    out[row + COL.price_pos] = pos;
    out[row + COL.open_abs_dist] = Math.abs(p - O) / R;
    out[row + COL.above_open] = p > O ? 1 : 0;
    out[row + COL.high_dist_log] = Math.log1p((100 * Math.abs(H - p)) / R);
    out[row + COL.low_dist_log] = Math.log1p((100 * Math.abs(p - L)) / R);
    out[row + COL.equilibrium_dist] = Math.abs(pos - 0.5);

    out[row + COL.new_running_high] = i > 0 && p > runHigh ? 1 : 0;
    out[row + COL.new_running_low] = i > 0 && p < runLow ? 1 : 0;
    if (p > runHigh) runHigh = p;
    if (p < runLow) runLow = p;
    out[row + COL.running_range_pos] = runHigh > runLow ? (p - runLow) / (runHigh - runLow) : 0.5;
    priceSum += p;
    out[row + COL.mean_so_far_gap] = (p - priceSum / (i + 1)) / R;

    out[row + COL.ret_prev] = i > 0 ? (p - P[i - 1]) / R : 0;
    while (ref5 + 1 < i && t[ref5 + 1] <= ti - FIVE_MIN) ref5++;
    out[row + COL.ret_5m] = (p - (ref5 >= 0 && t[ref5] <= ti - FIVE_MIN ? P[ref5] : O)) / R;
    while (t[path15Start] < ti - FIFTEEN_MIN) path15Start++;
    let path = 0;
    for (let j = path15Start + 1; j <= i; j++) path += Math.abs(P[j] - P[j - 1]);
    out[row + COL.path_15m] = path / R;

    const tod = ctx.timeOfDay[i];
    out[row + COL.tod_sin] = Math.sin((TAU * tod) / 86_400);
    out[row + COL.tod_cos] = Math.cos((TAU * tod) / 86_400);
    out[row + COL.hour_phase_sin] = Math.sin((TAU * (tod % 3600)) / 3600);
    out[row + COL.hour_phase_cos] = Math.cos((TAU * (tod % 3600)) / 3600);
    out[row + COL.session_frac] = (ti - ctx.startT) / ctx.duration;
    out[row + COL.order_frac] = n > 1 ? i / (n - 1) : 0;

    out[row + COL.density_5m] = countInClosed(t, ti - FIVE_MIN, ti + FIVE_MIN) - 1;
    out[row + COL.density_15m] = countInClosed(t, ti - FIFTEEN_MIN, ti + FIFTEEN_MIN) - 1;
    // Earlier events (index < i) within the last 5 min: those at t ≥ ti − 5 min, up to i − 1.
    out[row + COL.density_past_5m] = i - Math.min(lowerBound(t, ti - FIVE_MIN), i);
    const prevT = i > 0 ? t[i - 1] : ctx.startT;
    const nextT = i + 1 < n ? t[i + 1] : ctx.startT + ctx.duration;
    out[row + COL.gap_prev_log] = Math.log1p(Math.max(ti - prevT, 0) / 1000);
    out[row + COL.gap_next_log] = Math.log1p(Math.max(nextT - ti, 0) / 1000);
    out[row + COL.same_time_count] = countInClosed(t, ti, ti) - 1;

    out[row + COL.liq_count_before] = liqBefore;
    out[row + COL.fvg_count_before] = fvgBefore;
    out[row + COL.redelivery_count_before] = redeliveryBefore;
    const key = e.levelKey;
    const touched = key ? (touches.get(key) ?? 0) : 0;
    out[row + COL.level_touch_count] = touched;
    out[row + COL.has_level_key] = key ? 1 : 0;
    if (key) touches.set(key, touched + 1);
    const sinceLiqFrom = Number.isNaN(lastLiqT) ? ctx.startT : lastLiqT;
    out[row + COL.since_liq_log] = Math.log1p(Math.max(ti - sinceLiqFrom, 0) / 1000);

    if (e.kind === KIND.LiquidityTaken) {
      liqBefore++;
      lastLiqT = ti;
    }
    if (e.kind === KIND.Redelivery) redeliveryBefore++;
    if (e.source === 'fair_value_gap' || e.source === 'fpfvg_interaction') fvgBefore++;
  }
  for (let k = 0; k < out.length; k++) {
    if (!Number.isFinite(out[k])) {
      const i = Math.floor(k / d);
      throw new Error(
        `session ${session.id}: node feature ${NODE_FEATURE_NAMES[k % d]} of event ${i} is ${out[k]}`,
      );
    }
  }
  return out;
}

/**
 * The node feature matrix of a session: n × 45 float32, row-major, columns named by {@link NODE_FEATURES},
 * standardized per session unless `standardize: false`.
 */
export function nodeFeatures(session: Session, opts: FeatureOptions = {}): FeatureMatrix {
  const raw = rawNodeFeatures(session);
  const n = session.events.length;
  const d = N_NODE_FEATURES;
  if (opts.standardize ?? true) standardizeColumns(raw, n, d);
  return { data: Float32Array.from(raw), n, d, names: NODE_FEATURE_NAMES };
}
