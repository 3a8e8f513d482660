import type { Clock } from '../core/index.js';
/** Public types of motif mining (SPEC stage 6). */
import type { Dag, DagConfig } from '../graph/index.js';
import type { DagBuilderName, DagInput } from '../graph/index.js';
import type { ClassThresholds, MotifClass } from '../stats/index.js';

/** One session as motif mining sees it: event columns plus the graph to mine. */
export interface MotifSession {
  id: string;
  n: number;
  /** UTC ms, non-decreasing. */
  t: Float64Array;
  price: Float64Array;
  /** Event kind 0..6 per node. */
  kind: Uint8Array;
  /** Edges i → j with i < j, CSR sorted by (src, dst): the DAG, or an attention DAG. */
  dag: Dag;
  /** Optional edge label per DAG edge (0..3, e.g. an edge intent); used when `edgeLabels: true`. */
  edgeLabels?: Uint8Array;
  /** Record source per node (index into EVENT_SOURCES): nulls that respect the recording format stratify by it. */
  source?: Uint8Array;
  /** Trading day (YYYY-MM-DD): the resampling unit of day-clustered confidence intervals. */
  day?: string;
}

/**
 * Null models (see nulls.ts for what each preserves). `group-shuffle` is the default (DEFAULT_NULL_MODEL): it
 * keeps the recording format's co-timed groups; `edge-kind-swap` keeps degrees and every kind → kind edge count.
 */
export const NULL_MODELS = [
  'kind-shuffle',
  'time-jitter',
  'edge-swap',
  'group-shuffle',
  'edge-kind-swap',
] as const;
export type NullModelName = (typeof NULL_MODELS)[number];
export type NullModelOption = NullModelName | 'all';

/** Which per-motif quantity is tested against the nulls. */
export type MotifStatistic = 'count' | 'support';

/** How a motif's p-value was obtained (see MotifResult.pMethod). */
export type PValueMethod = 'monte-carlo' | 'tail' | 'floor';

export interface MineOptions {
  /** Monotonic ms clock for `timing` (the app passes `performance.now`); without it timings are null. */
  clock?: Clock;
  /** Motif sizes (each 3, 4 or 5). Default [3, 4, 5]. */
  sizes?: number[];
  /** Null replicates per null model (integer ≥ 1). Default 1000. */
  nulls?: number;
  /**
   * Null model (default DEFAULT_NULL_MODEL, group-shuffle); 'all' runs each model with `nulls` replicates and
   * reports, per motif, the least significant.
   */
  nullModel?: NullModelOption;
  /** Seed of every random step (nulls, bootstrap). Default DEFAULT_SEED (core/defaults.ts). */
  seed?: number;
  thresholds?: Partial<ClassThresholds>;
  /** Tested quantity: occurrences ('count', default) or #sessions containing the motif ('support'). */
  statistic?: MotifStatistic;
  /** Only motifs found in at least this many sessions are tested. Default 3 (the original miner's default). */
  minSupport?: number;
  /** Only motifs with at least this many occurrences are tested. Default 1. */
  minCount?: number;
  /**
   * Test at most this many motifs: the most frequent (by count, ties by canonical key) among those passing
   * minSupport/minCount. Default: no cap. Null-phase memory is about 8·sessions·tested·(2 + models) bytes.
   */
  maxMotifs?: number;
  /**
   * Test only these motifs (canonical ids), among those passing minSupport/minCount: a re-test of chosen motifs
   * (validation's holdout) counts their nulls alone instead of every observed motif's. A motif's p, lift and null
   * moments do not depend on which other motifs are tested; its q and class do (BH over the tested family).
   */
  motifIds?: readonly string[];
  /** Floor of the null mean in lift = obs / max(mean, floor). Default 0.1. */
  liftFloor?: number;
  /** Bootstrap replicates over sessions for the lift CI. Default 1000. */
  bootstrap?: number;
  /** CI level. Default 0.95. */
  ciLevel?: number;
  /** Include edge labels (session.edgeLabels) in motif identity. Default false. */
  edgeLabels?: boolean;
  /** time-jitter: each event time moves by U(−jitterMs, +jitterMs). Default 600,000 (±10 min). */
  jitterMs?: number;
  /** time-jitter: DAG rule used for the rebuild (default DEFAULT_DAG_CONFIG) and builder (default vectorized). */
  dagConfig?: DagConfig;
  dagBuilder?: DagBuilderName;
  /**
   * time-jitter: rebuild a session's graph from jittered, re-sorted columns. Default buildDag(input, dagConfig,
   * dagBuilder). Required for graphs that buildDag does not make (attention DAGs; see `graphKind`).
   */
  rebuildDag?: (input: DagInput, sessionIndex: number) => Dag;
  /** 'attention' marks graphs that are not window-kNN DAGs, so time-jitter refuses the default rebuild. */
  graphKind?: 'dag' | 'attention';
  /** edge-swap and edge-kind-swap: swap attempts per edge per replicate. Default 10. */
  swapsPerEdge?: number;
  /** Null replicates per batch (sessions are walked once per batch). Default 32. Does not change results. */
  batchSize?: number;
  /**
   * kind-shuffle and group-shuffle store occurrences up to this many per session, else they re-enumerate.
   * Default 4,000,000.
   */
  maxStoredOccurrences?: number;
  /**
   * Relabel nulls: stored occurrences kept across null batches, in total over all sessions (each stored occurrence
   * costs 1 + size ints). Sessions past the budget are enumerated again once per batch of replicates and dropped
   * after it, so memory stays bounded however many sessions there are; counts are the same either way. Default
   * 16,000,000 (64 MB of Int32; each worker thread holds its own).
   */
  storeBudget?: number;
  /**
   * Work (units × resamples × motifs) up to which the lift CI is computed for every motif; beyond it only for the
   * motifs whose class can depend on it (mine.ts CI_WORK_BUDGET, the default).
   */
  ciWorkBudget?: number;
  /**
   * kind-shuffle + count: use the exact null expectation (src/motifs/exact-null.ts) for null mean, lift and the
   * bootstrap denominators instead of the Monte-Carlo mean, so lift does not depend on the null seed; p-values
   * stay empirical. Default true.
   */
  exactNullMean?: boolean;
  /**
   * p-values: the Monte-Carlo estimate is used where the selected null draws reached the observed value at least
   * this many times (h of Besag & Clifford 1991); below that the moment-matched tail. Default 10.
   */
  tailExceedances?: number;
  /** Fewer selected null draws than this: the p-value is only a Monte-Carlo bound ('floor'). Default 100. */
  minSelectedNulls?: number;
  /**
   * Which results carry their session list (`MotifResult.sessions`): 'all' (default) or 'promote' — PROMOTE motifs
   * only (what families need), the others leave it out. The lists hold one entry per (motif, session containing
   * it): on months of one-minute bars that is tens of millions of entries, and `run` writes none of them.
   */
  sessionLists?: 'all' | 'promote';
  /** Called after every batch. */
  onProgress?: (p: { model: NullModelName; done: number; total: number }) => void;
  /**
   * Parts of the sessions whose statistics are wanted too (validation's discovery and holdout): their null
   * counts are reduced in the run's own null phase (the draws are per session, sessionSeedKeys), and
   * `run.groupRuns.finish(g)` gives what mining part g alone with these options would.
   */
  groups?: NullGroups;
}

/** Parts of a mining run's sessions (MineOptions.groups). */
export interface NullGroups {
  /** Part of each session (−1: none), in session order. */
  of: Int32Array;
  /** Per part: the minimum support of its tested motifs (and so of its selection filter). */
  minSupport: readonly number[];
}

/** The parts of a run mined with MineOptions.groups, finished on demand (never serialized). */
export interface MotifGroupRuns {
  /** Number of parts. */
  readonly count: number;
  /** Ids of part g's sessions, in order. */
  sessions(g: number): string[];
  /**
   * Part g's run: as mining its sessions alone with the run's options (and these), or null when that needs motifs
   * the run did not test (then mine the part).
   */
  finish(g: number, extra?: Pick<MineOptions, 'minSupport' | 'motifIds'>): MotifMiningRun | null;
  toJSON(): undefined;
}

/** One tested motif. */
export interface MotifResult {
  /** Readable canonical ID, e.g. `M4:kinds=0,0,4,5:edges=0>1,0>2,2>3`. */
  id: string;
  /** Compact numeric canonical key (exact float64 integer), for hashing and joins. */
  key: number;
  size: number;
  /** Kind codes of the canonical node order. */
  kinds: number[];
  /** Canonical edges `p>q` (with `@label` when labeled), comma-joined. */
  edges: string;
  /** Occurrences over all sessions. */
  count: number;
  /** Sessions containing the motif at least once. */
  support: number;
  /**
   * IDs of those sessions, in input order; absent when mined with `sessionLists: 'promote'` and the motif is not
   * PROMOTE.
   */
  sessions?: string[];
  /** Tested statistic (count or support) and the null model whose result is reported. */
  statistic: MotifStatistic;
  nullModel: NullModelName;
  nullMean: number;
  /** Sample SD (n − 1) of the null statistic. */
  nullSd: number;
  lift: number;
  z: number;
  /**
   * One-sided p against the nulls that pass the same support/count filter as the observed motif (see
   * `pMethod`): Monte Carlo (#selected null ≥ obs + 1)/(#selected + 1) when resolvable, else a tail estimate.
   */
  p: number;
  /** How `p` was obtained: 'monte-carlo', 'tail' (beyond the draws' resolution) or 'floor' (only a bound). */
  pMethod: PValueMethod;
  /** Null draws of the reported model that passed the selection filter (the p-value's sample size). */
  nullSelected: number;
  /** FLOOR-LIMITED only: null draws that would let q reach the PROMOTE threshold (null when none can say). */
  drawsNeeded: number | null;
  /** Benjamini–Hochberg q over all tested motifs. */
  q: number;
  /**
   * Percentile bootstrap CI of lift, resampling the run's `ciUnit` (trading days when sessions carry `day`,
   * else sessions). NaN when unavailable (fewer than MIN_BOOTSTRAP_UNITS units; see MotifMiningRun.notes).
   */
  ciLow: number;
  ciHigh: number;
  class: MotifClass;
  /** Family (MotifFamily.id) of a PROMOTE motif; undefined for PARK and DISCARD. */
  family?: string;
}

/**
 * A family of PROMOTE motifs: the connected components of "one is a one-node-deleted connected induced
 * sub-motif of the other" among PROMOTE motifs (src/motifs/families.ts). Nested variants of one pattern are
 * not independent findings, so a family is reported once, through its representative.
 */
export interface MotifFamily {
  /** `F1`, `F2`, … ordered by the representative's z (descending), then representative id. */
  id: string;
  /** Member with the largest z (ties: smaller size, then id). */
  representative: string;
  /** Member ids, by size then id. */
  members: string[];
  /** Sizes of the members, aligned with `members`. */
  sizes: number[];
  /**
   * The tested statistic behind z, lift and the class of every member: 'count' = occurrences (overlapping
   * occurrences each count), 'support' = sessions containing the motif.
   */
  statistic: MotifStatistic;
  /** Representative's z and lift (of `statistic`). */
  z: number;
  lift: number;
  /** Representative's occurrences (overlapping ones each count). */
  count: number;
  /** Support of the family: sessions containing at least one member (not a sum over members). */
  support: number;
}

/**
 * A session a null model cannot move: its replicates equal the observed session, so it contributes no evidence
 * against that null (it is still counted, as a constant, in every replicate).
 */
export interface SkippedSession {
  session: string;
  model: NullModelName;
  reason: string;
}

/** Everything a mining run measured. */
export interface MotifMiningRun {
  /** Tested motifs: PROMOTE, then PARK, then DISCARD; within a class by lift descending, then id. */
  results: MotifResult[];
  /** With MineOptions.groups: the parts, finished on demand (not serialized). */
  groupRuns?: MotifGroupRuns;
  /** Distinct canonical motifs observed (before the support/count filter). */
  observedMotifs: number;
  testedMotifs: number;
  /** Observed connected induced subgraphs per size (index = size). */
  occurrencesBySize: number[];
  nulls: number;
  nullModels: NullModelName[];
  seed: number;
  /**
   * Resampling unit of the lift CIs: 'day' (trading days; sessions without `day` are each their own unit) when
   * any session carries `day`, else 'session'; `ciUnits` is how many units there were.
   */
  ciUnit?: 'day' | 'session';
  ciUnits?: number;
  /** True when the CI enumerated every resample of the units exactly (few units), false when it drew them. */
  ciExact?: boolean;
  /** Families of the PROMOTE motifs (see MotifFamily), in family order. */
  families?: MotifFamily[];
  /** Caveats of this run, e.g. that the CI was unavailable. */
  notes?: string[];
  /** Sessions some null model cannot permute (model order, then session order); empty when none. */
  skippedSessions?: SkippedSession[];
  /** Timings in ms, null where the caller passed no `clock` (stages never read the clock themselves). */
  timing: {
    /** Enumerating and counting the observed sessions. */
    observeMs: number | null;
    /** Per null model: wall time and replicates per second (one replicate = every session once). */
    nulls: { model: NullModelName; ms: number | null; nullsPerSecond: number | null }[];
    statsMs: number | null;
  };
}
