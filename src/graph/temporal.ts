/**
 * The temporal graph of a session (SPEC stage 4): directed edges between events with one of four intents.
 *
 * - TEMPORAL_NEXT        i → i+1 for every consecutive pair of events (time order).
 * - MOVEMENT_TRANSITION  i → i+1 when the two events' kinds differ and neither is an Anchor (session
 *                        open/high/low/close markers are bookkeeping, not market-structure moves).
 * - LIQ_LINK             each event whose source is `liquidity_event` or `level_interaction` is joined to the
 *                        `price_movement` event nearest in time, if strictly within 30 s (|Δt| < 30,000 ms; the
 *                        first minimum in index order wins), dt = |Δt|. Unlike the original converter (always
 *                        price event → liquidity event), the edge is oriented earlier → later (ties: lower index
 *                        first), so every edge of a TemporalGraph keeps dst.t ≥ src.t — the invariant causal
 *                        consumers (TGAT masks) rely on. The endpoints' `source` tells which side is which.
 * - CONTEXT              events with the same non-empty `levelKey` (an FVG formation and its later redelivery,
 *                        repeated tests of a level): each is linked to the next event with that key.
 *
 * dt = t_dst − t_src in ms, capped at 3,600,000 like the original shards. Edges are sorted by (src, dst, intent).
 */
import type { Session } from '../session/index.js';
import { EDGE_INTENTS, INTENT, type EdgeIntentName, type TemporalGraph } from './types.js';

/** dt cap of the original shards (1 h). */
export const TEMPORAL_DT_CAP_MS = 3_600_000;
/** LIQ_LINK search radius: strictly less than 30 s. */
export const LIQ_LINK_WINDOW_MS = 30_000;

const ANCHOR = 6;

/** Builds the temporal graph of a session (events must be sorted by t, as ingest guarantees; checked). */
export function buildTemporalGraph(session: Session): TemporalGraph {
  const ev = session.events;
  const n = ev.length;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(ev[i].t))
      throw new Error(`session ${session.id}: events[${i}].t is not finite (${ev[i].t})`);
    if (i > 0 && ev[i].t < ev[i - 1].t) {
      throw new Error(
        `session ${session.id}: events not sorted by t at index ${i} (${ev[i].t} < ${ev[i - 1].t})`,
      );
    }
  }
  const src: number[] = [];
  const dst: number[] = [];
  const intent: number[] = [];
  const add = (a: number, b: number, k: number): void => {
    src.push(a);
    dst.push(b);
    intent.push(k);
  };

  for (let i = 0; i + 1 < n; i++) {
    add(i, i + 1, INTENT.TEMPORAL_NEXT);
    const ka = ev[i].kind;
    const kb = ev[i + 1].kind;
    if (ka !== kb && ka !== ANCHOR && kb !== ANCHOR) add(i, i + 1, INTENT.MOVEMENT_TRANSITION);
  }

  // LIQ_LINK: price-movement indices are in time order, so a binary search finds the window start.
  const pm: number[] = [];
  for (let i = 0; i < n; i++) if (ev[i].source === 'price_movement') pm.push(i);
  for (let i = 0; i < n; i++) {
    const s = ev[i].source;
    if (s !== 'liquidity_event' && s !== 'level_interaction') continue;
    const ti = ev[i].t;
    let a = 0;
    let b = pm.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (ev[pm[mid]].t <= ti - LIQ_LINK_WINDOW_MS) a = mid + 1;
      else b = mid;
    }
    let best = -1;
    let bestD = Infinity;
    for (let q = a; q < pm.length; q++) {
      const d = ev[pm[q]].t - ti;
      if (d >= LIQ_LINK_WINDOW_MS) break;
      const ad = Math.abs(d);
      if (ad < bestD) {
        bestD = ad;
        best = pm[q];
      }
    }
    if (best >= 0) add(Math.min(best, i), Math.max(best, i), INTENT.LIQ_LINK);
  }

  const lastByKey = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const key = ev[i].levelKey;
    if (!key) continue;
    const prev = lastByKey.get(key);
    if (prev !== undefined) add(prev, i, INTENT.CONTEXT);
    lastByKey.set(key, i);
  }

  const m = src.length;
  const order = Array.from({ length: m }, (_, e) => e);
  order.sort((x, y) => src[x] - src[y] || dst[x] - dst[y] || intent[x] - intent[y]);
  const g: TemporalGraph = {
    n,
    src: new Int32Array(m),
    dst: new Int32Array(m),
    intent: new Uint8Array(m),
    dt: new Int32Array(m),
  };
  for (let r = 0; r < m; r++) {
    const e = order[r];
    g.src[r] = src[e];
    g.dst[r] = dst[e];
    g.intent[r] = intent[e];
    g.dt[r] = Math.min(Math.round(ev[dst[e]].t - ev[src[e]].t), TEMPORAL_DT_CAP_MS);
  }
  return g;
}

/** Number of edges of each intent. */
export function countByIntent(g: TemporalGraph): Record<EdgeIntentName, number> {
  const counts = new Int32Array(EDGE_INTENTS.length);
  for (let e = 0; e < g.intent.length; e++) {
    const k = g.intent[e];
    if (k >= EDGE_INTENTS.length) throw new Error(`TemporalGraph: intent[${e}] = ${k} is not an intent code`);
    counts[k]++;
  }
  const out = {} as Record<EdgeIntentName, number>;
  EDGE_INTENTS.forEach((name, k) => (out[name] = counts[k]));
  return out;
}
