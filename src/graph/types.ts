/**
 * Graph data shared by the graph, features, tgat and motifs stages. Everything is typed arrays:
 * an edge list is parallel arrays, adjacency is CSR (row pointer + column index).
 */

/** The four edge intents of the temporal graph; the code is the shard `etype`. */
export const EDGE_INTENTS = ['TEMPORAL_NEXT', 'MOVEMENT_TRANSITION', 'LIQ_LINK', 'CONTEXT'] as const;
export type EdgeIntentName = (typeof EDGE_INTENTS)[number];
export const INTENT = { TEMPORAL_NEXT: 0, MOVEMENT_TRANSITION: 1, LIQ_LINK: 2, CONTEXT: 3 } as const;

/** The temporal graph of one session: directed edges (earlier → later event) with an intent each. */
export interface TemporalGraph {
  n: number;
  src: Int32Array;
  dst: Int32Array;
  intent: Uint8Array;
  /** dst.t − src.t in ms (≥ 0), capped at 3,600,000 like the original shards. */
  dt: Int32Array;
}

/**
 * The session DAG: node i links to at most k later nodes j whose gap lies in [dtMin, dtMax].
 * Edges are sorted by (src, dst); `rowPtr` is the CSR row pointer over src (length n + 1), so the
 * successors of i are dst[rowPtr[i] .. rowPtr[i+1]).
 */
export interface Dag {
  n: number;
  src: Int32Array;
  dst: Int32Array;
  rowPtr: Int32Array;
  /** Edge weight in [0.1, 1]: 0.5·temporal + 0.3·causal + 0.2·price. */
  weight: Float32Array;
  /** Gap in minutes. */
  dtMinutes: Float32Array;
}

export interface DagConfig {
  /** Successors per node (default 4). */
  k: number;
  /** Minimum gap in ms (default 60,000 = 1 min). */
  dtMinMs: number;
  /** Maximum gap in ms (default 7,200,000 = 120 min). */
  dtMaxMs: number;
}

export const DEFAULT_DAG_CONFIG: DagConfig = { k: 4, dtMinMs: 60_000, dtMaxMs: 7_200_000 };
