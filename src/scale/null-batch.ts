/**
 * One null batch of motif mining, computable anywhere (this thread, a worker thread, a queue worker): replicates
 * [r0, r1) of one null model over every session, for the frozen catalog of tested motifs.
 *
 * The per-session counter is `makeCounter` of src/motifs/mine.ts, with the same seeds
 * deriveSeed(seed, MODEL_STREAM[model], r, si); the scale tests compare every result of this path with
 * `mineMotifsDetailed`. Counts are integers, so summing batches in any grouping is exact in float64.
 */
import type { DagConfig } from '../graph/index.js';
import type { DagBuilderName } from '../graph/index.js';
import { MotifCatalog } from '../motifs/index.js';
import type { MotifForm } from '../motifs/index.js';
import { CountSink } from '../motifs/index.js';
import {
  countNullBatch,
  makeCounter,
  MODEL_STREAM,
  type ResolvedMineOptions,
  type SessionNullCounter,
} from '../motifs/index.js';
import type { MotifSession, NullModelName } from '../motifs/index.js';
import { SessionNullSums, type SparseSessionRows } from '../motifs/index.js';

/** Stream number of each null model in seed derivation (the serial miner's). */
export const NULL_MODEL_STREAM = MODEL_STREAM;

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
  /** Σ over the batch's replicates of each session's statistic, sparse per session (SessionNullSums rows). */
  sessionSum: SparseSessionRows;
  /** (r1 − r0) × nTested: sessions containing each motif per replicate (the selection filter's support). */
  support: Float64Array;
  /** (r1 − r0) × nTested occurrences per replicate when the statistic is support; null when it is the count. */
  counts: Float64Array | null;
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
      counter = makeCounter(model, sessions, this.catalog, opts, opts);
      this.counters.set(model, counter);
    }
    const nS = sessions.length;
    const nT = this.catalog.size;
    const bsz = r1 - r0;
    const batch = new Float64Array(bsz * nT);
    const sums = new SessionNullSums(nS, nT);
    const support = new Float64Array(bsz * nT);
    const counts = opts.statistic === 'support' ? new Float64Array(bsz * nT) : null;
    countNullBatch(
      model,
      counter,
      this.sink,
      nS,
      opts.seed,
      r0,
      bsz,
      opts.statistic === 'support',
      batch,
      sums,
      support,
      counts,
    );
    return { batch, sessionSum: sums.toRows(), support, counts };
  }
}
