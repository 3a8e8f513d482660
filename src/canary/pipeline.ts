/**
 * The per-session pipeline the canary times with the enabled and the baseline configuration:
 * features (n × 45, standardized) → DAG (the configured builder) → TGAT forward (the configured kernel) →
 * Parquet encode (nodes with features and embeddings, and DAG edges, with the configured codec and writer).
 * Each stage is timed on its own, so the report can show where the time goes.
 */
import { nodeFeatures } from '../features/index.js';
import { buildDag, type DagBuilderName, type DagInput } from '../graph/index.js';
import { DEFAULT_DAG_CONFIG, type Dag } from '../graph/index.js';
import type { Session } from '../session/index.js';
import { encodeParquet, matrixColumns, type Column } from '../io/index.js';
import type { ParquetChoice } from './parquet-choice.js';
import type { TgatRunner } from './tgat-adapter.js';
import type { PipelineStage } from './types.js';

export const PIPELINE_STAGES: readonly PipelineStage[] = ['features', 'dag', 'tgat', 'parquet'];

export interface PipelineConfig {
  /** Kernel for a session of n events. */
  kernelFor: (n: number) => string;
  dagBuilder: DagBuilderName;
  /** Parquet codec, writer and row groups for a session of n events (parquet-choice.ts). */
  parquetFor: (n: number) => ParquetChoice;
}

export interface PipelineRun {
  /** Milliseconds per stage, in PIPELINE_STAGES order. */
  stageMs: Float64Array;
  totalMs: number;
  /** Encoded Parquet bytes (nodes + edges). */
  bytes: number;
  kernel: string;
  /** The Parquet configuration that ran. */
  parquet: string;
  /** The stage outputs, returned only when `probe` was given (so they stay alive while it samples). */
  held?: unknown[];
}

/** Event columns of a session (the DAG builders' input). */
export function sessionColumns(s: Session): DagInput {
  const n = s.events.length;
  const t = new Float64Array(n);
  const price = new Float64Array(n);
  const kind = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const e = s.events[i];
    t[i] = e.t;
    price[i] = e.price;
    kind[i] = e.kind;
  }
  return { t, price, kind };
}

/** The node table: t, kind, price, f0..f44 and (when given) the embeddings z0..z(h−1). */
export function nodeTable(
  cols: DagInput,
  features: Float32Array,
  featureDim: number,
  emb?: { data: ArrayLike<number>; dim: number },
): Column[] {
  const n = cols.t.length;
  return [
    { name: 't', type: 'int64', values: cols.t },
    { name: 'kind', type: 'uint8', values: cols.kind },
    { name: 'price', type: 'float64', values: cols.price },
    ...matrixColumns('f', features, n, featureDim),
    ...(emb ? matrixColumns('z', emb.data, n, emb.dim) : []),
  ];
}

/** The DAG edge table: src, dst, weight, dt_minutes. */
export function edgeTable(dag: Dag): Column[] {
  return [
    { name: 'src', type: 'int32', values: dag.src },
    { name: 'dst', type: 'int32', values: dag.dst },
    { name: 'weight', type: 'float32', values: dag.weight },
    { name: 'dt_minutes', type: 'float32', values: dag.dtMinutes },
  ];
}

/**
 * Runs the pipeline once on `session` with `cfg`, timing each stage. `probe`, when given, is called after
 * every stage while all outputs so far are alive (memory sampling); it adds to the stage times.
 */
export function runPipeline(
  session: Session,
  cfg: PipelineConfig,
  tgat: TgatRunner,
  probe?: () => void,
): PipelineRun {
  const stageMs = new Float64Array(PIPELINE_STAGES.length);
  const t0 = performance.now();
  const feats = nodeFeatures(session);
  probe?.();
  const t1 = performance.now();
  const cols = sessionColumns(session);
  const dag = buildDag(cols, DEFAULT_DAG_CONFIG, cfg.dagBuilder);
  probe?.();
  const t2 = performance.now();
  const kernel = cfg.kernelFor(feats.n);
  const enc = tgat.encode(kernel, feats.data, feats.n, feats.d, cols.t, dag);
  probe?.();
  const t3 = performance.now();
  const pq = cfg.parquetFor(feats.n);
  const popts = { compression: pq.compression, engine: pq.engine, rowGroupSize: pq.rowGroupSize };
  const nodes = encodeParquet(
    nodeTable(cols, feats.data, feats.d, { data: enc.embeddings, dim: enc.hidden }),
    popts,
  );
  const edges = encodeParquet(edgeTable(dag), popts);
  probe?.();
  const t4 = performance.now();
  stageMs[0] = t1 - t0;
  stageMs[1] = t2 - t1;
  stageMs[2] = t3 - t2;
  stageMs[3] = t4 - t3;
  const run: PipelineRun = {
    stageMs,
    totalMs: t4 - t0,
    bytes: nodes.length + edges.length,
    kernel,
    parquet: pq.name,
  };
  if (probe) run.held = [feats, cols, dag, enc, nodes, edges];
  return run;
}
