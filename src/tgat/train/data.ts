/**
 * Training data of temporal link prediction: per session the node features, times and DAG, and per epoch a
 * seeded task — a share of the DAG edges held out as targets (removed from the attention mask, so an
 * embedding never sees the edge it is asked about), each paired with negatives drawn from the other events
 * in the same time window as the edge (the DAG's window [t_u + dtMin, t_u + dtMax]) that u has no edge to.
 */
import { nodeFeatures } from '../../features/index.js';
import { buildDag, dagInputFromSession, rowPtrFromSortedSrc } from '../../graph/index.js';
import { DEFAULT_DAG_CONFIG, type Dag, type DagConfig } from '../../graph/index.js';
import type { Session } from '../../session/index.js';
import { Rng } from '../../stats/index.js';
import type { TgatConfig } from '../config.js';
import { buildMask } from '../mask.js';
import { relativeTimes } from '../time-encoding.js';
import { type PairList, pairList } from './model.js';

export interface PreparedSession {
  id: string;
  date: string;
  n: number;
  /** n × inDim standardized features. */
  x: Float32Array;
  /** Event times, UTC ms. */
  t: Float64Array;
  dag: Dag;
}

/** Features, times and DAG of each session (the same steps as discoverSessions). */
export function prepareSessions(
  sessions: readonly Session[],
  dagConfig: DagConfig = DEFAULT_DAG_CONFIG,
): PreparedSession[] {
  return sessions.map((s) => {
    const f = nodeFeatures(s);
    return {
      id: s.id,
      date: s.date,
      n: f.n,
      x: f.data,
      t: Float64Array.from(s.events, (e) => e.t),
      dag: buildDag(dagInputFromSession(s), dagConfig, 'vectorized'),
    };
  });
}

export interface TaskOptions {
  /** Share of DAG edges held out as targets, in (0, 1] (default 0.3). */
  targetFraction: number;
  /** Negatives per target edge (default 1). */
  negatives: number;
  /** The window negatives are drawn from, relative to t_u (the DAG's own window by default). */
  dtMinMs: number;
  dtMaxMs: number;
}

export const DEFAULT_TASK: Readonly<TaskOptions> = Object.freeze({
  targetFraction: 0.3,
  negatives: 1,
  dtMinMs: DEFAULT_DAG_CONFIG.dtMinMs,
  dtMaxMs: DEFAULT_DAG_CONFIG.dtMaxMs,
});

/** One session's link-prediction task. */
export interface LinkTask {
  /** Attention pairs of the mask built from the non-target edges. */
  pairs: PairList;
  /** Scored pairs u → v with label 1 (held-out DAG edge) or 0 (negative). */
  u: Int32Array;
  v: Int32Array;
  label: Uint8Array;
}

/** Build the task of one session with `rng` (deterministic given the rng's seed). */
export function sampleTask(
  s: PreparedSession,
  c: TgatConfig,
  rng: Rng,
  o: TaskOptions = DEFAULT_TASK,
): LinkTask {
  if (!(o.targetFraction > 0 && o.targetFraction <= 1))
    throw new Error(`targetFraction must be in (0, 1], got ${o.targetFraction}`);
  if (!(Number.isInteger(o.negatives) && o.negatives >= 1))
    throw new Error(`negatives must be an integer ≥ 1, got ${o.negatives}`);
  const { dag, t, n } = s;
  const m = dag.src.length;
  const edgeSet = new Set<number>();
  for (let e = 0; e < m; e++) edgeSet.add(dag.src[e] * n + dag.dst[e]);
  const keepSrc: number[] = [];
  const keepDst: number[] = [];
  const u: number[] = [];
  const v: number[] = [];
  const label: number[] = [];
  const cand: number[] = [];
  for (let e = 0; e < m; e++) {
    const a = dag.src[e];
    const b = dag.dst[e];
    if (rng.float() >= o.targetFraction) {
      keepSrc.push(a);
      keepDst.push(b);
      continue;
    }
    cand.length = 0;
    for (let j = a + 1; j < n; j++) {
      const dt = t[j] - t[a];
      if (dt > o.dtMaxMs) break;
      if (dt >= o.dtMinMs && !edgeSet.has(a * n + j)) cand.push(j);
    }
    if (cand.length === 0) {
      keepSrc.push(a); // no negative in the window: the edge stays a message edge
      keepDst.push(b);
      continue;
    }
    u.push(a);
    v.push(b);
    label.push(1);
    for (let k = 0; k < o.negatives; k++) {
      u.push(a);
      v.push(cand[rng.int(cand.length)]);
      label.push(0);
    }
  }
  const src = Int32Array.from(keepSrc);
  const maskDag: Dag = {
    n,
    src,
    dst: Int32Array.from(keepDst),
    rowPtr: rowPtrFromSortedSrc(src, n),
    weight: new Float32Array(keepSrc.length),
    dtMinutes: new Float32Array(keepSrc.length),
  };
  const mask = buildMask(n, t, { windowMs: c.windowMs, selfAttention: c.selfAttention, dag: maskDag });
  return {
    pairs: pairList(mask, relativeTimes(t, c.timeUnitMs)),
    u: Int32Array.from(u),
    v: Int32Array.from(v),
    label: Uint8Array.from(label),
  };
}
