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
  makeCounter,
  newNullBatchScratch,
  reduceNullBatch,
  sessionSeedKeys,
  type NullReducerState,
  type ReducerSpec,
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
  /** Thresholds and selection filters of the run and its parts: a batch is reduced where it is counted. */
  spec: ReducerSpec;
  /** Part of each session (MineOptions.groups; −1: none), when the run has parts. */
  groupOf?: Int32Array;
}

/** Result of one null batch: its replicates reduced, and its per-session sums. */
export interface NullBatchResult {
  reduced: NullReducerState;
  /** Σ over the batch's replicates of each session's statistic, sparse per session (SessionNullSums rows). */
  sessionSum: SparseSessionRows;
}

/** A prepared context: catalog and per-model counters are built once and reused by every batch. */
export class NullBatchRunner {
  private readonly catalog: MotifCatalog;
  private readonly counters = new Map<NullModelName, SessionNullCounter>();
  private readonly sink: CountSink;
  private readonly keys: Int32Array;
  private readonly scratch = newNullBatchScratch();

  constructor(readonly context: NullContext) {
    this.catalog = MotifCatalog.frozen(context.forms, context.opts.edgeLabels);
    this.sink = new CountSink(this.catalog);
    this.keys = sessionSeedKeys(context.sessions);
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
    const sums = new SessionNullSums(sessions.length, this.catalog.size);
    const reduced = reduceNullBatch(
      model,
      counter,
      this.sink,
      this.keys,
      opts,
      this.context.spec,
      this.context.groupOf ?? null,
      r0,
      r1 - r0,
      sums,
      this.scratch,
    );
    return { reduced: reduced.toState(), sessionSum: sums.toRows() };
  }
}
