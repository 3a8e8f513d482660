/**
 * The units of parallel work and how any worker (thread, queue process, or this thread) runs them. A task
 * carries a context id; the context (TGAT weights, or the motif sessions and tested motifs) is built once per
 * worker and cached, so only the first task a worker sees pays for it.
 */
import type { DagBuilderName } from '../graph/index.js';
import type { Dag, DagConfig } from '../graph/index.js';
import type { NullModelName } from '../motifs/index.js';
import type { Session } from '../session/index.js';
import type {
  AttentionTopM,
  ConcreteKernelName,
  KernelName,
  TgatConfig,
  TgatWeights,
  FeatureScaler,
} from '../tgat/index.js';
import { NullBatchRunner, type NullBatchResult, type NullContext } from './null-batch.js';
import { discoverSessions, type DiscoverOptions } from '../discover/index.js';

/** Shared inputs of the discovery tasks of one run. */
export interface DiscoverContext {
  kind: 'discover';
  weights: TgatWeights;
  kernel: KernelName;
  config?: Partial<TgatConfig>;
  dagConfig?: DagConfig;
  dagBuilder?: DagBuilderName;
  dagMask?: boolean;
  inputScaler?: FeatureScaler;
}

export type ScaleContext = DiscoverContext | ({ kind: 'nulls' } & NullContext);

/** Discovery of a contiguous chunk of sessions. */
export interface DiscoverTask {
  kind: 'discover';
  /** Position of the chunk's first session in the run (for ordering only). */
  first: number;
  sessions: Session[];
}

/** Null replicates [r0, r1) of one model. */
export interface NullTask {
  kind: 'nulls';
  model: NullModelName;
  r0: number;
  r1: number;
}

export type ScaleTask = DiscoverTask | NullTask;

/** What discovery returns per session (the session object itself stays with the caller). */
export interface DiscoveredArrays {
  x: Float32Array;
  dag: Dag;
  embeddings: Float32Array;
  attention: AttentionTopM;
  kernel: ConcreteKernelName;
}

export type ScaleTaskResult = DiscoveredArrays[] | NullBatchResult;

/**
 * Contexts this worker has prepared, by id (at most 4, oldest dropped first: contexts can hold large occurrence
 * stores). A run mines the real data, its negative control and validation's discovery and holdout at the same
 * time, so 4 are live at once; with fewer, their tasks evicted each other and every task re-enumerated.
 */
const prepared = new Map<string, DiscoverContext | NullBatchRunner>();
const MAX_PREPARED = 4;

function prepare(id: string, ctx: ScaleContext): DiscoverContext | NullBatchRunner {
  let p = prepared.get(id);
  if (!p) {
    p = ctx.kind === 'discover' ? ctx : new NullBatchRunner(ctx);
    prepared.set(id, p);
    while (prepared.size > MAX_PREPARED) prepared.delete(prepared.keys().next().value as string);
  }
  return p;
}

/** True when this worker already holds context `id` (then `runScaleTask` needs no context). */
export function hasContext(id: string): boolean {
  return prepared.has(id);
}

/** Run one task against its context (prepared on first use and cached under `contextId`). */
export function runScaleTask(
  contextId: string,
  context: ScaleContext | null,
  task: ScaleTask,
): ScaleTaskResult {
  const cached = prepared.get(contextId);
  const p = cached ?? (context ? prepare(contextId, context) : null);
  if (!p) throw new Error(`scale task: context "${contextId}" is neither cached nor given`);
  if (task.kind === 'discover') {
    if (p instanceof NullBatchRunner)
      throw new Error(`scale task: context "${contextId}" is not a discover context`);
    const opts: DiscoverOptions = {
      weights: p.weights,
      kernel: p.kernel,
      config: p.config,
      dagConfig: p.dagConfig,
      dagBuilder: p.dagBuilder,
      dagMask: p.dagMask,
      inputScaler: p.inputScaler,
    };
    return discoverSessions(task.sessions, opts).map((d) => ({
      x: d.x,
      dag: d.dag,
      embeddings: d.embeddings,
      attention: d.attention,
      kernel: d.kernel,
    }));
  }
  if (!(p instanceof NullBatchRunner))
    throw new Error(`scale task: context "${contextId}" is not a nulls context`);
  return p.run(task.model, task.r0, task.r1);
}

/** An executor runs tasks of one context anywhere and returns their results in task order. */
export interface ScaleExecutor {
  /** Human-readable name for logs and benches (e.g. "serial", "threads×2", "queue"). */
  readonly name: string;
  /**
   * `onTaskDone(i, result)`: task i finished (any order), for progress or to reduce its result at once. With
   * `keep: false` the results are not kept (the promise resolves to nulls): a caller that reduces in
   * `onTaskDone` then holds one task's result at a time, not all of them.
   */
  run(
    contextId: string,
    context: ScaleContext,
    tasks: readonly ScaleTask[],
    onTaskDone?: (index: number, result: ScaleTaskResult) => void,
    opts?: { keep?: boolean },
  ): Promise<(ScaleTaskResult | null)[]>;
  close(): Promise<void>;
}

/** Runs every task in this thread, in order: the reference the parallel executors must match. */
export function serialExecutor(): ScaleExecutor {
  return {
    name: 'serial',
    run(contextId, context, tasks, onTaskDone, opts) {
      try {
        return Promise.resolve(
          tasks.map((t, i) => {
            const r = runScaleTask(contextId, context, t);
            onTaskDone?.(i, r);
            return opts?.keep === false ? null : r;
          }),
        );
      } finally {
        prepared.delete(contextId);
      }
    },
    close: () => Promise.resolve(),
  };
}
