/**
 * One null batch of motif mining, computable anywhere (this thread, a worker thread, a queue worker): replicates
 * [r0, r1) of one null model over every session, for the frozen catalog of tested motifs.
 *
 * The per-session counter mirrors `makeCounter` in src/motifs/mine.ts (which is private there and must not
 * change): same transforms, same buffers, same seeds deriveSeed(seed, MODEL_STREAM[model], r, si). The
 * scale tests compare every result of this path with `mineMotifsDetailed`, so any drift between the two
 * fails a test. Counts are integers, so summing batches in any grouping is exact in float64.
 */
import { buildDag } from '../graph/dag.js';
import { DEFAULT_DAG_CONFIG, type Dag, type DagConfig } from '../graph/types.js';
import type { DagBuilderName } from '../graph/dag.js';
import { MotifCatalog } from '../motifs/catalog.js';
import type { MotifForm } from '../motifs/canonical.js';
import { CountSink, StoreSink, countStored, type StoredOccurrences } from '../motifs/count.js';
import { SubgraphEnumerator, sizeMask } from '../motifs/esu.js';
import { EnumGraph } from '../motifs/graph.js';
import { jitterBuffers, jitterSession, shuffleKinds, swapEdgeTargets } from '../motifs/nulls.js';
import type { ResolvedMineOptions } from '../motifs/mine.js';
import type { MotifSession, NullModelName } from '../motifs/types.js';
import { validateMotifDag } from '../motifs/validate.js';
import { Rng, deriveSeed } from '../stats/random.js';

/** Stream number of each null model in seed derivation; equal to MODEL_STREAM in src/motifs/mine.ts. */
export const NULL_MODEL_STREAM: Record<NullModelName, number> = {
  'kind-shuffle': 1,
  'time-jitter': 2,
  'edge-swap': 3,
};

/** The null options a batch needs: plain data only, so it crosses thread and process boundaries. */
export type NullBatchOptions = Omit<ResolvedMineOptions, 'thresholds'> & {
  dagConfig?: DagConfig;
  dagBuilder?: DagBuilderName;
};

/** Everything shared by all null batches of one mining run (sent once per worker, then cached). */
export interface NullContext {
  sessions: MotifSession[];
  /** Tested motifs in catalog order. */
  forms: MotifForm[];
  opts: NullBatchOptions;
}

/** Result of one null batch. */
export interface NullBatchResult {
  /** (r1 − r0) × nTested: the statistic of every tested motif per replicate, replicate-major. */
  batch: Float64Array;
  /** nSessions × nTested: Σ over the batch's replicates of each session's statistic. */
  sessionSum: Float64Array;
}

type SessionNullCounter = (sessionIndex: number, rng: Rng, sink: CountSink) => void;

function makeNullCounter(
  model: NullModelName,
  sessions: readonly MotifSession[],
  catalog: MotifCatalog,
  opts: NullBatchOptions,
): SessionNullCounter {
  const mask = sizeMask(opts.sizes);
  const labeled = opts.edgeLabels;
  const graph = new EnumGraph();
  const esu = new SubgraphEnumerator();
  const maxN = sessions.reduce((m, s) => Math.max(m, s.n), 0);
  const maxE = sessions.reduce((m, s) => Math.max(m, s.dag.src.length), 0);
  const enumerate = (
    s: MotifSession,
    src: Int32Array,
    dst: Int32Array,
    kind: Uint8Array,
    sink: CountSink,
  ): void => {
    graph.load(s.n, src, dst, src.length, labeled ? s.edgeLabels : undefined);
    esu.run(graph, mask, sink, labeled, kind);
  };
  if (model === 'kind-shuffle') {
    const stores: (StoredOccurrences | null)[] = [];
    const store = new StoreSink(catalog, opts.maxStoredOccurrences);
    for (const s of sessions) {
      graph.load(s.n, s.dag.src, s.dag.dst, s.dag.src.length, labeled ? s.edgeLabels : undefined);
      esu.run(graph, mask, store, labeled);
      if (store.overflow) {
        stores.push(null);
        store.reset();
      } else stores.push(store.take());
    }
    const shuffled = new Uint8Array(maxN);
    return (i, rng, sink) => {
      const s = sessions[i];
      const k = shuffleKinds(s.kind, shuffled.subarray(0, s.n), rng);
      const occ = stores[i];
      if (occ) countStored(occ, k, sink);
      else enumerate(s, s.dag.src, s.dag.dst, k, sink);
    };
  }
  if (model === 'edge-swap') {
    const dstBuf = new Int32Array(maxE);
    return (i, rng, sink) => {
      const s = sessions[i];
      const E = s.dag.src.length;
      const dst = dstBuf.subarray(0, E);
      dst.set(s.dag.dst);
      swapEdgeTargets(s.dag.src, dst, s.dag.rowPtr, E, Math.round(opts.swapsPerEdge * E), rng);
      enumerate(s, s.dag.src, dst, s.kind, sink);
    };
  }
  // time-jitter (the default window-kNN rebuild only: a custom rebuildDag function cannot cross threads)
  const bufs = jitterBuffers(maxN);
  const cfg = opts.dagConfig ?? DEFAULT_DAG_CONFIG;
  const builder = opts.dagBuilder ?? 'vectorized';
  return (i, rng, sink) => {
    const s = sessions[i];
    jitterSession(s.t, s.price, s.kind, opts.jitterMs, rng, bufs);
    const input = {
      t: bufs.t.subarray(0, s.n),
      price: bufs.price.subarray(0, s.n),
      kind: bufs.kind.subarray(0, s.n),
    };
    const dag: Dag = buildDag(input, cfg, builder);
    validateMotifDag(dag, s.n, `time-jitter rebuild of session ${i} (${s.id})`);
    enumerate(s, dag.src, dag.dst, input.kind, sink);
  };
}

/** A prepared context: catalog and per-model counters are built once and reused by every batch. */
export class NullBatchRunner {
  private readonly catalog: MotifCatalog;
  private readonly counters = new Map<NullModelName, SessionNullCounter>();
  private readonly sink: CountSink;

  constructor(readonly context: NullContext) {
    this.catalog = MotifCatalog.frozen(context.forms, context.opts.edgeLabels);
    this.sink = new CountSink(this.catalog);
  }

  /** Replicates [r0, r1) of `model` (absolute replicate numbers, so any split gives the same values). */
  run(model: NullModelName, r0: number, r1: number): NullBatchResult {
    const { sessions, opts } = this.context;
    if (!Number.isInteger(r0) || !Number.isInteger(r1) || r0 < 0 || r1 <= r0)
      throw new Error(`null batch range must be integers 0 ≤ r0 < r1, got r0=${r0} r1=${r1}`);
    let counter = this.counters.get(model);
    if (!counter) {
      counter = makeNullCounter(model, sessions, this.catalog, opts);
      this.counters.set(model, counter);
    }
    const nS = sessions.length;
    const nT = this.catalog.size;
    const bsz = r1 - r0;
    const batch = new Float64Array(bsz * nT);
    const sessionSum = new Float64Array(nS * nT);
    const sink = this.sink;
    const bySupport = opts.statistic === 'support';
    for (let si = 0; si < nS; si++) {
      const row = si * nT;
      for (let r = 0; r < bsz; r++) {
        const rng = new Rng(deriveSeed(opts.seed, NULL_MODEL_STREAM[model], r0 + r, si));
        counter(si, rng, sink);
        const off = r * nT;
        for (let k = 0; k < sink.nTouched; k++) {
          const m = sink.touched[k];
          const v = bySupport ? 1 : sink.counts[m];
          batch[off + m] += v;
          sessionSum[row + m] += v;
        }
        sink.clear();
      }
    }
    return { batch, sessionSum };
  }
}
