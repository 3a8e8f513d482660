/**
 * Seeded synthetic shards for storage tests and benchmarks (bench/parquet.ts).
 *
 * The content is random but shaped like a real shard: local node ids 0..L-1, strictly increasing UTC times with
 * 1 s – 10 min gaps, kinds 0..6, a quarter-tick price random walk, standard-normal float32 features, ≈ 2.5·L
 * forward edges to one of the next 4 nodes with dt = t[dst] − t[src]. It exercises the file format, not the
 * feature semantics; nothing here is calibrated on the sample data.
 */
import { Rng } from '../stats/index.js';
import { DEFAULT_EDGE_FEATURE_DIM, DEFAULT_NODE_FEATURE_DIM, type ShardData } from '../core/index.js';

export interface SyntheticShardOptions {
  /** Edges per node (rounded total). Default 2.5. */
  edgesPerNode?: number;
  nodeFeatureDim?: number;
  edgeFeatureDim?: number;
  /** First event time, UTC epoch ms. Default 2025-07-29T13:30:00Z. */
  startMs?: number;
  /** meta.conversion_timestamp (fixed by default for determinism). */
  conversionTimestamp?: string;
}

function hhmmss(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** A valid shard of `nodeCount` nodes, fully determined by (`nodeCount`, `seed`, options). */
export function syntheticShard(nodeCount: number, seed: number, opts: SyntheticShardOptions = {}): ShardData {
  if (!Number.isInteger(nodeCount) || nodeCount < 2)
    throw new Error(`syntheticShard: nodeCount must be an integer ≥ 2, got ${nodeCount}`);
  const rng = new Rng(seed);
  const nodeDim = opts.nodeFeatureDim ?? DEFAULT_NODE_FEATURE_DIM;
  const edgeDim = opts.edgeFeatureDim ?? DEFAULT_EDGE_FEATURE_DIM;
  const edgeCount = Math.round((opts.edgesPerNode ?? 2.5) * nodeCount);
  const sessionId = `SYN_${seed}_${nodeCount}`;
  const n = nodeCount;

  const nodeId = new Uint32Array(n);
  const t = new Float64Array(n);
  const kind = new Uint8Array(n);
  const price = new Float64Array(n);
  let time = opts.startMs ?? Date.UTC(2025, 6, 29, 13, 30);
  let p = 23000;
  for (let i = 0; i < n; i++) {
    nodeId[i] = i;
    time += 1000 * (1 + rng.int(600));
    t[i] = time;
    kind[i] = rng.int(7);
    p += 0.25 * Math.round(8 * rng.normal());
    price[i] = p;
  }
  const nodeFeatures = new Float32Array(n * nodeDim);
  for (let i = 0; i < nodeFeatures.length; i++) nodeFeatures[i] = rng.normal();

  const src = new Uint32Array(edgeCount);
  const dst = new Uint32Array(edgeCount);
  const etype = new Uint8Array(edgeCount);
  const dt = new Int32Array(edgeCount);
  for (let e = 0; e < edgeCount; e++) {
    const s = rng.int(n - 1);
    const d = s + 1 + rng.int(Math.min(4, n - 1 - s));
    src[e] = s;
    dst[e] = d;
    etype[e] = rng.int(4);
    dt[e] = t[d] - t[s];
  }
  const edgeFeatures = new Float32Array(edgeCount * edgeDim);
  for (let i = 0; i < edgeFeatures.length; i++) edgeFeatures[i] = rng.normal();

  const localIdx = new Float64Array(n);
  for (let i = 0; i < n; i++) localIdx[i] = i;
  return {
    meta: {
      session_id: sessionId,
      session_type: 'SYN',
      date: new Date(t[0]).toISOString().slice(0, 10),
      source_file: `synthetic:${seed}:${n}`,
      node_count: n,
      edge_count: edgeCount,
      symbol: 'NQ',
      timeframe: 'M5',
      timezone_source: 'UTC',
      timezone_target: 'UTC',
      feature_set: 'synthetic',
      conversion_timestamp: opts.conversionTimestamp ?? '2025-01-01T00:00:00.000Z',
    },
    nodes: {
      nodeId,
      t,
      kind,
      sessionId: new Array<string>(n).fill(sessionId),
      symbol: new Array<string>(n).fill('NQ'),
      tf: new Array<string>(n).fill('M5'),
      price,
      features: nodeFeatures,
      featureDim: nodeDim,
    },
    edges: { src, dst, etype, dt, features: edgeFeatures, featureDim: edgeDim },
    nodeMap: {
      sessionId: new Array<string>(n).fill(sessionId),
      localIdx,
      nodeId: Float64Array.from(nodeId),
      t: Float64Array.from(t),
      timestamp: Array.from(t, hhmmss),
      sourceType: Array.from(kind, (k) => (k === 4 || k === 5 ? 'liquidity_event' : 'price_movement')),
    },
  };
}
