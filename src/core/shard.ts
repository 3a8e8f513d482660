/**
 * The in-memory shape of a session shard (the original tool's on-disk schema is store/shard.ts): plain typed
 * arrays shared by the shard files (store/), the synthetic shards (synthetic/) and their users. Pure types.
 */

/** Feature widths of the original schema (f0..f44, e0..e19). */
export const DEFAULT_NODE_FEATURE_DIM = 45;
export const DEFAULT_EDGE_FEATURE_DIM = 20;

/** meta.json, field order as the original writes it. */
export interface ShardMeta {
  session_id: string;
  session_type: string;
  date: string;
  source_file: string;
  node_count: number;
  edge_count: number;
  symbol: string;
  timeframe: string;
  timezone_source: string;
  timezone_target: string;
  feature_set: string;
  /** UTC ISO time of conversion; passed in by the caller (never read from the clock here). */
  conversion_timestamp: string;
}

export interface ShardNodes {
  nodeId: Uint32Array;
  /** UTC epoch ms (integers). */
  t: Float64Array;
  kind: Uint8Array;
  sessionId: string[];
  symbol: string[];
  tf: string[];
  price: Float64Array;
  /** Row-major n × featureDim. */
  features: Float32Array;
  featureDim: number;
}

export interface ShardEdges {
  src: Uint32Array;
  dst: Uint32Array;
  etype: Uint8Array;
  /** Gap in ms (≥ 0). */
  dt: Int32Array;
  /** Row-major m × featureDim. */
  features: Float32Array;
  featureDim: number;
}

export interface ShardNodeMap {
  sessionId: string[];
  /** int64 columns as Float64Array of integers (see parquet.ts). */
  localIdx: Float64Array;
  nodeId: Float64Array;
  t: Float64Array;
  /** Original wall-clock `HH:MM:SS`. */
  timestamp: string[];
  sourceType: string[];
}

export interface ShardData {
  meta: ShardMeta;
  nodes: ShardNodes;
  edges: ShardEdges;
  nodeMap: ShardNodeMap;
}
