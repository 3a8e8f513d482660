/**
 * Motif mining with the null phase split into batches run by an executor. The observed counting and the
 * statistics after the nulls follow `mineMotifsDetailed` (src/motifs/mine.ts) step for step; the null batches
 * use absolute replicate numbers and merge in replicate order, so the results equal the serial ones exactly.
 */
import {
  finishMining,
  NullReducer,
  planMining,
  reducerSpec,
  skippedSessions,
  summaryOf,
  withGroups,
  type NullSummary,
} from '../motifs/index.js';
import type { MineOptions, MotifMiningRun, MotifSession } from '../motifs/index.js';
import { SessionNullSums } from '../motifs/index.js';
import type { NullBatchOptions, NullBatchResult } from './null-batch.js';
import type { ScaleExecutor, ScaleTask } from './tasks.js';

export interface ParallelMineOptions extends MineOptions {
  /** Id of the cached context on the workers (default unique per call). */
  contextId?: string;
}

let calls = 0;

/** Same result as `mineMotifsDetailed(sessions, options)` (timings aside), null batches run by `executor`. */
export async function mineMotifsParallel(
  sessions: readonly MotifSession[],
  executor: ScaleExecutor,
  options: ParallelMineOptions = {},
): Promise<MotifMiningRun> {
  if (options.rebuildDag)
    throw new Error(
      'not implemented: parallel nulls with a custom rebuildDag (a function cannot cross workers)',
    );
  const plan = planMining(sessions, options);
  const { opts, forms, nS, nT } = plan;

  const summaries: NullSummary[] = [];
  if (nT > 0) {
    const { thresholds: _thresholds, ...plain } = opts;
    const batchOpts: NullBatchOptions = {
      ...plain,
      dagConfig: options.dagConfig,
      dagBuilder: options.dagBuilder,
    };
    const contextId = options.contextId ?? `nulls-${process.pid}-${++calls}-${Date.now()}`;
    const groups = options.groups;
    const spec = reducerSpec(plan, groups);
    const context = {
      kind: 'nulls' as const,
      sessions: [...sessions],
      forms,
      opts: batchOpts,
      spec,
      ...(groups ? { groupOf: groups.of } : {}),
    };
    for (const model of opts.models) {
      const start = performance.now();
      const B = Math.min(opts.batchSize, opts.nulls);
      const tasks: ScaleTask[] = [];
      for (let r0 = 0; r0 < opts.nulls; r0 += B)
        tasks.push({ kind: 'nulls', model, r0, r1: Math.min(opts.nulls, r0 + B) });
      let doneReps = 0;
      const total = new NullReducer(spec);
      const sums = new SessionNullSums(nS, nT);
      // Each batch is merged as it arrives and dropped (keep: false): exact integer sums, so the completion order
      // does not change a bit, and this thread holds one batch result at a time instead of every one of them.
      await executor.run(
        contextId,
        context,
        tasks,
        (ti, result) => {
          const task = tasks[ti] as Extract<ScaleTask, { kind: 'nulls' }>;
          const r = result as NullBatchResult;
          if (
            r.reduced.moments.n !== task.r1 - task.r0 ||
            r.reduced.moments.sum.length !== nT ||
            r.sessionSum.ptr.length !== nS + 1
          )
            throw new Error(`null task ${ti} (${model} ${task.r0}..${task.r1}): result has the wrong shape`);
          sums.addRows(r.sessionSum);
          total.merge(r.reduced);
          doneReps += task.r1 - task.r0;
          options.onProgress?.({ model, done: doneReps, total: opts.nulls });
        },
        { keep: false },
      );
      summaries.push(summaryOf(model, total, sums, performance.now() - start));
    }
  }

  return withGroups(
    {
      ...finishMining(sessions, plan, summaries),
      skippedSessions: skippedSessions(opts.models, sessions),
    },
    sessions,
    plan,
    summaries,
    options,
  );
}
