/** Parquet column sets of the pipeline outputs (embeddings, attention, motifs). */
import { embeddingTableColumns, embeddingTableFromSessions } from '../patterns/index.js';
import type { Column } from '../io/index.js';
import { motifTable } from '../motifs/index.js';
import type { MotifResult } from '../motifs/index.js';
import type { Session } from '../session/index.js';
import type { AttentionTopM } from '../tgat/index.js';

/** What the run tables need of a discovered session (app/discover's DiscoveredSession satisfies it). */
export interface EncodedSession {
  session: Session;
  /** n × hidden. */
  embeddings: Float32Array;
  attention: AttentionTopM;
}

/** embeddings.parquet: session_id, node_id, t, kind, e0…e{hidden−1}; one row per event. */
export function embeddingColumns(ds: readonly EncodedSession[]): Column[] {
  if (ds.length === 0) return embeddingTableColumns(embeddingTableFromSessions([], []));
  const dim = ds[0].embeddings.length / Math.max(1, ds[0].session.events.length) || 44;
  return embeddingTableColumns(
    embeddingTableFromSessions(
      ds.map((d) => d.session),
      ds.map((d) => d.embeddings),
      dim,
    ),
  );
}

/**
 * attention.parquet: the last layer's top-m predecessors of every node, one row per (node, rank) that has a
 * predecessor: session_id, node_id, rank (0 = strongest), pred_id, weight (head-averaged attention).
 */
export function attentionColumns(ds: readonly EncodedSession[]): Column[] {
  // two passes, straight into typed columns: one JS number per row and column was ~40 B a row on months of bars
  let rows = 0;
  for (const d of ds) {
    const { m, index } = d.attention;
    const cells = d.session.events.length * m;
    for (let c = 0; c < cells; c++) if (index[c] >= 0) rows++;
  }
  const session = new Array<string>(rows);
  const node = new Uint32Array(rows);
  const rank = new Uint8Array(rows);
  const pred = new Uint32Array(rows);
  const weight = new Float32Array(rows);
  let k = 0;
  for (const d of ds) {
    const { m, index, weight: w } = d.attention;
    const n = d.session.events.length;
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < m; r++) {
        const p = index[i * m + r];
        if (p < 0) continue;
        session[k] = d.session.id;
        node[k] = i;
        rank[k] = r;
        pred[k] = p;
        weight[k] = w[i * m + r];
        k++;
      }
    }
  }
  return [
    { name: 'session_id', type: 'string', values: session },
    { name: 'node_id', type: 'uint32', values: node },
    { name: 'rank', type: 'uint8', values: rank },
    { name: 'pred_id', type: 'uint32', values: pred },
    { name: 'weight', type: 'float32', values: weight },
  ];
}

/** motifs.parquet: one row per tested motif (columns of `motifTable`, typed). */
export function motifColumns(results: readonly MotifResult[]): Column[] {
  const t = motifTable(results);
  const f64 = (xs: number[]) => Float64Array.from(xs);
  return [
    { name: 'id', type: 'string', values: t.id },
    { name: 'key', type: 'float64', values: f64(t.key) },
    { name: 'size', type: 'uint8', values: Uint8Array.from(t.size) },
    { name: 'kinds', type: 'string', values: t.kinds },
    { name: 'edges', type: 'string', values: t.edges },
    { name: 'count', type: 'int64', values: f64(t.count) },
    { name: 'support', type: 'int32', values: Int32Array.from(t.support) },
    { name: 'null_mean', type: 'float64', values: f64(t.null_mean) },
    { name: 'null_sd', type: 'float64', values: f64(t.null_sd) },
    { name: 'lift', type: 'float64', values: f64(t.lift) },
    { name: 'z', type: 'float64', values: f64(t.z) },
    { name: 'p', type: 'float64', values: f64(t.p) },
    { name: 'q', type: 'float64', values: f64(t.q) },
    { name: 'ci_low', type: 'float64', values: f64(t.ci_low) },
    { name: 'ci_high', type: 'float64', values: f64(t.ci_high) },
    { name: 'class', type: 'string', values: t.class },
    { name: 'null_model', type: 'string', values: t.null_model },
    { name: 'statistic', type: 'string', values: t.statistic },
    { name: 'p_method', type: 'string', values: t.p_method },
    { name: 'null_selected', type: 'int32', values: Int32Array.from(t.null_selected) },
    { name: 'draws_needed', type: 'float64', values: f64(t.draws_needed) },
  ];
}
