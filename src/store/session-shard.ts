/**
 * Sessions ⇄ shards. `sessionToShard` builds the original shard schema from a typed session (temporal graph
 * edges with their four intents as `etype`, standardized node/edge features, node_map with the record's
 * wall-clock times); `sessionFromShard` turns a shard — ours or the original tool's — back into a `Session`.
 *
 * Node ids in our shards are per-session local indices 0..n−1 (the original used a global counter whose values
 * depended on conversion history and carried no meaning).
 */
import { buildTemporalGraph } from '../graph/index.js';
import type { TemporalGraph } from '../graph/index.js';
import { edgeFeatures, nodeFeatures } from '../features/index.js';
import {
  KIND,
  EVENT_SOURCES,
  type EventKind,
  type EventSource,
  type Session,
  type SessionEvent,
} from '../session/index.js';
import { normalizeSessionType, parseSessionFileName } from '../session/index.js';
import type { ShardData } from '../core/index.js';
import type { ShardInput } from './shard.js';

/** `feature_set` of shards written by ironforge; the original wrote "v1.0" with a different kind code. */
export const IRONFORGE_FEATURE_SET = 'ironforge-1';

export interface SessionShardOptions {
  /** UTC ISO time recorded in meta.json; an input so that the same session gives the same bytes. */
  conversionTimestamp: string;
  graph?: TemporalGraph;
}

export function sessionToShard(session: Session, opts: SessionShardOptions): ShardInput {
  const n = session.events.length;
  const graph = opts.graph ?? buildTemporalGraph(session);
  const nf = nodeFeatures(session);
  const ef = edgeFeatures(session, graph);
  const t = Float64Array.from(session.events, (e) => e.t);
  const repeat = (s: string) => new Array<string>(n).fill(s);
  return {
    meta: {
      session_id: session.id,
      session_type: session.type,
      date: session.date,
      source_file: session.sourceFile,
      symbol: session.symbol,
      timeframe: session.timeframe,
      timezone_source: session.timezone,
      timezone_target: 'UTC',
      feature_set: IRONFORGE_FEATURE_SET,
      conversion_timestamp: opts.conversionTimestamp,
    },
    nodes: {
      nodeId: Uint32Array.from({ length: n }, (_, i) => i),
      t,
      kind: Uint8Array.from(session.events, (e) => e.kind),
      sessionId: repeat(session.id),
      symbol: repeat(session.symbol),
      tf: repeat(session.timeframe),
      price: Float64Array.from(session.events, (e) => e.price),
      features: nf.data,
      featureDim: nf.d,
    },
    edges: {
      src: Uint32Array.from(graph.src),
      dst: Uint32Array.from(graph.dst),
      etype: Uint8Array.from(graph.intent),
      dt: Int32Array.from(graph.dt),
      features: ef.data,
      featureDim: ef.d,
    },
    nodeMap: {
      sessionId: repeat(session.id),
      localIdx: Float64Array.from({ length: n }, (_, i) => i),
      nodeId: Float64Array.from({ length: n }, (_, i) => i),
      t: t.slice(),
      timestamp: session.events.map((e) => e.clock),
      sourceType: session.events.map((e) => e.source),
    },
  };
}

/**
 * Kind of an original-tool node from its semantic flags (original-pipeline.md §2.1: f0 fvg_redelivery,
 * f1 expansion, f2 consolidation, f3 retracement, f4 reversal, f5 liq_sweep; f9 movement code 1–4 = open, close,
 * session_high, session_low). Most original shards set few flags, so many nodes fall back to their source:
 * the rule id says which, and `ingest` reports the fallback share.
 */
function originalKind(
  f: Float32Array,
  row: number,
  d: number,
  isLiquidity: boolean,
): { kind: EventKind; rule: string } {
  const at = (j: number) => f[row * d + j];
  const code = at(9);
  if (code >= 1 && code <= 4) return { kind: KIND.Anchor, rule: 'shard:f9-anchor' };
  if (at(0) > 0) return { kind: KIND.Redelivery, rule: 'shard:f0' };
  if (at(5) > 0) return { kind: KIND.LiquidityTaken, rule: 'shard:f5' };
  if (at(4) > 0) return { kind: KIND.Reversal, rule: 'shard:f4' };
  if (at(3) > 0) return { kind: KIND.Retracement, rule: 'shard:f3' };
  if (at(2) > 0) return { kind: KIND.Consolidation, rule: 'shard:f2' };
  if (at(1) > 0) return { kind: KIND.Expansion, rule: 'shard:f1' };
  return isLiquidity
    ? { kind: KIND.Redelivery, rule: 'fallback:shard_liquidity_event' }
    : { kind: KIND.Expansion, rule: 'fallback:shard_price_movement' };
}

/** A Session from a shard read by `readShard` (ours: kinds as written; the original's: from its flags). */
export function sessionFromShard(shard: ShardData, dir: string): Session {
  const { meta, nodes, nodeMap } = shard;
  const n = nodes.t.length;
  const ours = meta.feature_set === IRONFORGE_FEATURE_SET;
  const idToRow = new Map<number, number>();
  for (let i = 0; i < nodeMap.nodeId.length; i++) idToRow.set(nodeMap.nodeId[i], i);
  const events: SessionEvent[] = [];
  for (let i = 0; i < n; i++) {
    const m = idToRow.get(nodes.nodeId[i]);
    const rawSource = m === undefined ? '' : nodeMap.sourceType[m];
    const source: EventSource = (EVENT_SOURCES as readonly string[]).includes(rawSource)
      ? (rawSource as EventSource)
      : nodes.kind[i] === 1 && !ours
        ? 'liquidity_event'
        : 'price_movement';
    const cls = ours
      ? { kind: nodes.kind[i] as EventKind, rule: 'shard:kind' }
      : originalKind(nodes.features, i, nodes.featureDim, source === 'liquidity_event');
    events.push({
      t: nodes.t[i],
      seq: m === undefined ? i : nodeMap.localIdx[m],
      price: nodes.price[i],
      kind: cls.kind,
      source,
      rule: cls.rule,
      label: `node:${nodes.nodeId[i]}`,
      levelKey: '',
      clock: m === undefined ? '' : nodeMap.timestamp[m],
      raw: { nodeId: nodes.nodeId[i] },
    });
  }
  events.sort((a, b) => a.t - b.t || a.seq - b.seq);
  // The original wrote session_type "NY" for both NY_AM and NY_PM (its collision bug); the source file name
  // still tells them apart, so it decides when it parses.
  const fromFile = parseSessionFileName(meta.source_file.split(/[\\/]/).pop() ?? '');
  const type = fromFile?.type ?? normalizeSessionType(meta.session_type);
  if (!type) throw new Error(`${dir}/meta.json: session_type: unknown session type "${meta.session_type}"`);
  const prices = events.map((e) => e.price).filter((p) => p > 0);
  const warnings: string[] = [];
  return {
    id: `${type}_${meta.date}`,
    type,
    date: meta.date,
    symbol: meta.symbol,
    timeframe: meta.timeframe,
    timezone: meta.timezone_source === 'ET' ? 'America/New_York' : meta.timezone_source,
    sourceFile: dir,
    startT: events[0]?.t ?? 0,
    endT: events[events.length - 1]?.t ?? 0,
    open: prices[0] ?? 0,
    high: prices.length ? Math.max(...prices) : 0,
    low: prices.length ? Math.min(...prices) : 0,
    close: prices[prices.length - 1] ?? 0,
    events,
    warnings,
  };
}
