/**
 * Motif mining with null models (SPEC stage 6): count the observed motifs, re-count only the tested ones in
 * seeded null replicates, then lift, z, empirical p, BH q, bootstrap CI and class per motif.
 *
 * Speed: nulls never canonicalize per occurrence (memoized per raw topology and kinds code in a frozen
 * catalog that ignores topologies no tested motif can have); kind-shuffle re-labels stored occurrences
 * instead of re-enumerating; all buffers are reused. Replicates run in batches walked session by session,
 * and each (model, replicate, session) has its own derived seed, so batch size and any future split of
 * batches across workers cannot change a result.
 */
import { elapsedMs, readClock, type Clock } from '../core/index.js';
import { buildDag } from '../graph/index.js';
import { DEFAULT_DAG_CONFIG, type Dag } from '../graph/index.js';
import { benjaminiHochberg, bhOrder } from '../stats/index.js';
import {
  bootstrapRatioCI,
  clusterByLabel,
  exactBootstrapRatioCI,
  MIN_BOOTSTRAP_UNITS,
  multisetCount,
} from '../stats/index.js';
import { classifyMotif, resolveThresholds, type ClassThresholds, type MotifClass } from '../stats/index.js';
import { CountMoments, CountTally, type CountMomentsState, type CountTallyState } from '../stats/index.js';
import { gammaTailP, lift as liftOf, zScore } from '../stats/index.js';
import { Rng, deriveSeed } from '../stats/index.js';
import { formEdges, formId, formKey, type MotifForm } from './canonical.js';
import { MotifCatalog } from './catalog.js';
import { CountSink, StoreSink, countStored } from './count.js';
import {
  groupMovableNodes,
  kindMovableNodes,
  movablePositions,
  OutcomeCache,
  sparseFromSink,
  splitStored,
  type SparseCounts,
} from './session-null.js';
import { BlockOutcomeCache, directBlocks, strataBlocks, type StrataBlocks } from './strata-blocks.js';
import { SubgraphEnumerator, sizeMask } from './esu.js';
import { EnumGraph } from './graph.js';
import {
  applyGroupPermutation,
  drawGroupPermutation,
  edgesByTargetKind,
  groupStrata,
  groupsPermutable,
  jitterBuffers,
  jitterSession,
  shuffleKinds,
  swapEdgeTargets,
  swapEdgeTargetsSameKind,
  type EdgesByTargetKind,
  type GroupStrata,
} from './nulls.js';
import { countMotifs, observedSubset, type ObservedMotifs } from './observe.js';
import { assignFamilies } from './families.js';
import {
  NULL_MODELS,
  type MineOptions,
  type MotifGroupRuns,
  type NullGroups,
  type MotifMiningRun,
  type MotifResult,
  type MotifSession,
  type MotifStatistic,
  type NullModelName,
  type PValueMethod,
  type SkippedSession,
} from './types.js';
import { validateMotifDag } from './validate.js';
import { SessionNullSums, type SparseSessionRows } from './null-sums.js';
import { exactKindShuffleMeans } from './exact-null.js';
import { DEFAULT_NULL_MODEL, DEFAULT_SEED, STREAMS } from '../core/index.js';

/** Stream number of each null model in seed derivation (stable: never renumber). */
/** Seed stream of each null model: replicate r of session si draws from deriveSeed(seed, stream, r, si). */
export const MODEL_STREAM: Record<NullModelName, number> = STREAMS.motifNull;
const BOOTSTRAP_STREAM = STREAMS.motifBootstrap;
const CLASS_ORDER: Record<MotifClass, number> = { PROMOTE: 0, 'FLOOR-LIMITED': 1, PARK: 2, DISCARD: 3 };

/**
 * The p-value of one tested motif against one null model's draws, conditioned on the selection filter
 * (CountTally): where the draws saw ≥ h exceedances the Monte-Carlo estimate (E + 1)/(S + 1) resolves it
 * (Besag & Clifford 1991: relative error ~1/√h); beyond that, the moment-matched tail of the selected draws
 * (stats/tail.ts: a moment-matched gamma); where neither is possible (fewer than `minSelectedNulls` selected draws, or a
 * constant null) the Monte-Carlo bound, marked 'floor' — a bound, not an estimate.
 */
export function motifPValue(
  tally: CountTally,
  t: number,
  observed: number,
  opts: Pick<ResolvedMineOptions, 'tailExceedances' | 'minSelectedNulls'>,
): { p: number; method: PValueMethod } {
  const S = tally.selected[t];
  const E = tally.selectedAtLeast[t];
  const mc = (E + 1) / (S + 1);
  if (S >= opts.minSelectedNulls && E >= opts.tailExceedances) return { p: mc, method: 'monte-carlo' };
  if (S >= opts.minSelectedNulls) {
    const tail = gammaTailP(observed, tally.mean[t], tally.sd(t));
    if (Number.isFinite(tail)) return { p: tail, method: 'tail' };
  }
  return { p: mc, method: 'floor' };
}

/**
 * The class, except that a motif whose p-value is only a Monte-Carlo bound and which would be promoted with a
 * smaller one (lift and CI pass, q does not) is FLOOR-LIMITED, with the null draws its q would need — never a
 * silent PARK or DISCARD.
 */
function classWithFloor(
  liftValue: number,
  q: number,
  ciLow: number,
  method: PValueMethod,
  tally: CountTally,
  t: number,
  rank: number,
  tested: number,
  opts: ResolvedMineOptions,
): { class: MotifClass; drawsNeeded: number | null } {
  const cls = classifyMotif(liftValue, q, ciLow, opts.thresholds);
  const th = opts.thresholds;
  const couldPromote = liftValue >= th.promoteLift && ciLow >= th.promoteCiLow;
  if (method !== 'floor' || cls === 'PROMOTE' || !couldPromote) return { class: cls, drawsNeeded: null };
  // BH: q ≈ p·m/rank < promoteQ needs p < promoteQ·rank/m, i.e. 1/(S'+1) of that with no exceedance.
  const selectedNeeded = Math.ceil(tested / (th.promoteQ * rank));
  const selectionRate = tally.n > 0 ? tally.selected[t] / tally.n : 0;
  return {
    class: 'FLOOR-LIMITED',
    drawsNeeded: selectionRate > 0 ? Math.ceil(selectedNeeded / selectionRate) : null,
  };
}

/** Options after defaults and validation. */
export interface ResolvedMineOptions {
  sizes: number[];
  nulls: number;
  models: NullModelName[];
  seed: number;
  thresholds: ClassThresholds;
  statistic: MotifStatistic;
  minSupport: number;
  minCount: number;
  maxMotifs: number;
  liftFloor: number;
  bootstrap: number;
  ciLevel: number;
  edgeLabels: boolean;
  jitterMs: number;
  swapsPerEdge: number;
  batchSize: number;
  maxStoredOccurrences: number;
  storeBudget: number;
  ciWorkBudget: number;
  exactNullMean: boolean;
  tailExceedances: number;
  minSelectedNulls: number;
  sessionLists: 'all' | 'promote';
}

function positiveInt(name: string, v: unknown, min = 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
    throw new Error(`${name} must be an integer ≥ ${min}, got ${String(v)}`);
  return v;
}

function sessionListsOption(v: unknown): 'all' | 'promote' {
  if (v === undefined || v === 'all' || v === 'promote') return v ?? 'all';
  throw new Error(`sessionLists must be "all" or "promote", got "${String(v)}"`);
}

/** Apply defaults and check every option; throws a clear Error naming the option and value. */
export function resolveMineOptions(o: MineOptions = {}): ResolvedMineOptions {
  const sizes = o.sizes ?? [3, 4, 5];
  sizeMask(sizes);
  const nulls = o.nulls ?? 1000;
  if (typeof nulls !== 'number' || !Number.isInteger(nulls) || nulls <= 0)
    throw new Error(`nulls must be an integer ≥ 1 (the number of null replicates), got ${String(nulls)}`);
  const model = o.nullModel ?? DEFAULT_NULL_MODEL;
  if (model !== 'all' && !(NULL_MODELS as readonly string[]).includes(model))
    throw new Error(`nullModel must be one of ${NULL_MODELS.join(', ')}, all; got "${String(model)}"`);
  const models: NullModelName[] = model === 'all' ? [...NULL_MODELS] : [model];
  const seed = o.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${String(seed)}`);
  const statistic = o.statistic ?? 'count';
  if (statistic !== 'count' && statistic !== 'support')
    throw new Error(`statistic must be "count" or "support", got "${String(statistic)}"`);
  const liftFloor = o.liftFloor ?? 0.1;
  if (!(liftFloor > 0) || !Number.isFinite(liftFloor))
    throw new Error(`liftFloor must be > 0, got ${liftFloor}`);
  const ciLevel = o.ciLevel ?? 0.95;
  if (!(ciLevel > 0 && ciLevel < 1)) throw new Error(`ciLevel must be in (0, 1), got ${ciLevel}`);
  const jitterMs = o.jitterMs ?? 600_000;
  if (!(jitterMs > 0) || !Number.isFinite(jitterMs)) throw new Error(`jitterMs must be > 0, got ${jitterMs}`);
  const swapsPerEdge = o.swapsPerEdge ?? 10;
  if (!(swapsPerEdge > 0) || !Number.isFinite(swapsPerEdge))
    throw new Error(`swapsPerEdge must be > 0, got ${swapsPerEdge}`);
  const edgeLabels = o.edgeLabels ?? false;
  if (edgeLabels && models.includes('time-jitter'))
    throw new Error(
      'not implemented: time-jitter null with edgeLabels (a rebuilt DAG carries no edge labels)',
    );
  if (models.includes('time-jitter') && o.graphKind === 'attention' && !o.rebuildDag)
    throw new Error(
      'time-jitter on an attention DAG needs rebuildDag (re-running attention on the jittered session); ' +
        'the default rebuild makes a window-kNN DAG, which is not a null of the attention graph',
    );
  return {
    sizes: [...new Set(sizes)].sort((a, b) => a - b),
    nulls,
    models,
    seed,
    thresholds: resolveThresholds(o.thresholds),
    statistic,
    minSupport: positiveInt('minSupport', o.minSupport ?? 3),
    minCount: positiveInt('minCount', o.minCount ?? 1),
    maxMotifs: o.maxMotifs === undefined ? Infinity : positiveInt('maxMotifs', o.maxMotifs),
    liftFloor,
    bootstrap: positiveInt('bootstrap', o.bootstrap ?? 1000),
    ciLevel,
    edgeLabels,
    jitterMs,
    swapsPerEdge,
    batchSize: positiveInt('batchSize', o.batchSize ?? 32),
    maxStoredOccurrences: positiveInt('maxStoredOccurrences', o.maxStoredOccurrences ?? 4_000_000, 0),
    storeBudget: positiveInt('storeBudget', o.storeBudget ?? 16_000_000, 0),
    ciWorkBudget: positiveInt('ciWorkBudget', o.ciWorkBudget ?? CI_WORK_BUDGET, 0),
    exactNullMean: o.exactNullMean ?? true,
    tailExceedances: positiveInt('tailExceedances', o.tailExceedances ?? 10),
    minSelectedNulls: positiveInt('minSelectedNulls', o.minSelectedNulls ?? 100),
    sessionLists: sessionListsOption(o.sessionLists),
  };
}

/**
 * One null model's per-session counter. `fixed(si)` is what no replicate of session si can change (the
 * occurrences on nodes the model never relabels, counted once; null when there is no such part) and
 * `count(si, rng, sink)` the replicate's counts of the rest (valid until the next call; the sink is left empty).
 * A replicate's full counts are fixed + count, so callers reduce the fixed part once per session.
 */
export interface SessionNullCounter {
  fixed(sessionIndex: number): SparseCounts | null;
  count(sessionIndex: number, rng: Rng, sink: CountSink): SparseCounts;
}

/**
 * The per-session null transform + count of one model (also used by the parallel null batches in src/scale,
 * so both paths count the same way by construction).
 */
export function makeCounter(
  model: NullModelName,
  sessions: readonly MotifSession[],
  catalog: MotifCatalog,
  opts: Pick<
    ResolvedMineOptions,
    'sizes' | 'edgeLabels' | 'maxStoredOccurrences' | 'storeBudget' | 'swapsPerEdge' | 'jitterMs'
  >,
  o: Pick<MineOptions, 'dagConfig' | 'dagBuilder' | 'rebuildDag'>,
): SessionNullCounter {
  const mask = sizeMask(opts.sizes);
  const labeled = opts.edgeLabels;
  const graph = new EnumGraph();
  const esu = new SubgraphEnumerator();
  const maxN = sessions.reduce((m, s) => Math.max(m, s.n), 0);
  const maxE = sessions.reduce((m, s) => Math.max(m, s.dag.src.length), 0);
  const out: SparseCounts = { index: new Int32Array(16), count: new Int32Array(16), n: 0 };
  const readOut = (sink: CountSink): SparseCounts => {
    if (out.index.length < sink.nTouched) {
      out.index = new Int32Array(sink.nTouched * 2);
      out.count = new Int32Array(sink.nTouched * 2);
    }
    sparseFromSink(sink, out);
    sink.clear();
    return out;
  };
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
  if (model === 'kind-shuffle' || model === 'group-shuffle') {
    // Relabel models: store each session's occurrences once, count those on never-relabelled nodes once (the
    // fixed part), and re-label only the rest per replicate, with repeated outcomes served from a cache
    // (session-null.ts). A session with too many occurrences to keep re-enumerates in every replicate instead.
    const strata = model === 'group-shuffle' ? sessions.map(sessionStrata) : null;
    const nS = sessions.length;
    // Per session: its movable node positions, fixed part (computed at its first use), and where its moving
    // occurrences live — kept for the whole run while the store budget lasts, else re-enumerated once per batch
    // into the one transient slot (countNullBatch walks a batch session by session).
    const mode = new Uint8Array(nS); // 0 not seen, 1 kept, 2 transient, 3 too many to store (re-enumerate)
    const kept: (StrataBlocks | null)[] = new Array<StrataBlocks | null>(nS).fill(null);
    const fixed: (SparseCounts | null)[] = new Array<SparseCounts | null>(nS).fill(null);
    const positions: Int32Array[] = new Array<Int32Array>(nS);
    let transientSession = -1;
    let transient: StrataBlocks | null = null;
    let budgetLeft = opts.storeBudget;
    const store = new StoreSink(catalog, opts.maxStoredOccurrences);
    const fixedSink = new CountSink(catalog);
    const prepare = (i: number): void => {
      if (mode[i] === 1 || mode[i] === 3 || (mode[i] === 2 && transientSession === i)) return;
      const s = sessions[i];
      const movable = strata ? groupMovableNodes(s.n, s.kind, strata[i]) : kindMovableNodes(s.n, s.kind);
      const first = mode[i] === 0;
      if (first) positions[i] = movablePositions(movable);
      graph.load(s.n, s.dag.src, s.dag.dst, s.dag.src.length, labeled ? s.edgeLabels : undefined);
      esu.run(graph, mask, store, labeled);
      if (store.overflow) {
        store.reset();
        mode[i] = 3;
        return;
      }
      const split = splitStored(store.take(), movable);
      const blocks = strata
        ? strataBlocks(split.moving, s.kind, strata[i], movable)
        : directBlocks(split.moving);
      if (first && split.still.total > 0) {
        countStored(split.still, s.kind, fixedSink);
        fixed[i] = sparseFromSink(fixedSink);
        fixedSink.clear();
      }
      let ints = 0;
      for (let size = 0; size < split.moving.slots.length; size++)
        ints += split.moving.slots[size].length * (1 + size);
      if (first && ints <= budgetLeft) {
        budgetLeft -= ints;
        kept[i] = blocks;
        mode[i] = 1;
      } else {
        mode[i] = 2;
        transientSession = i;
        transient = blocks;
      }
    };
    const shuffled = new Uint8Array(maxN);
    const scratch = new Int32Array(maxN);
    // kind-shuffle outcomes almost never repeat (a multiset permutation of every node): no cache there.
    const cache = strata ? new OutcomeCache() : null;
    const blockCache = new BlockOutcomeCache();
    const blockSink = new CountSink(catalog);
    return {
      fixed: (i) => {
        prepare(i);
        return fixed[i];
      },
      count: (i, rng, sink) => {
        prepare(i);
        const s = sessions[i];
        const k = shuffled.subarray(0, s.n);
        if (strata) {
          const g = strata[i];
          applyGroupPermutation(
            s.kind,
            g,
            drawGroupPermutation(g, rng, scratch.subarray(0, g.members.length)),
            k,
          );
        } else shuffleKinds(s.kind, k, rng);
        const pos = positions[i];
        const h = cache ? OutcomeCache.hash(k, pos) : 0;
        if (cache) {
          cache.begin(i);
          const hit = cache.get(k, pos, h);
          if (hit) return hit;
        }
        const blocks = mode[i] === 1 ? kept[i] : mode[i] === 2 ? transient : null;
        if (blocks) blockCache.count(i, blocks, k, sink, blockSink);
        else enumerate(s, s.dag.src, s.dag.dst, k, sink);
        if (!cache?.hasRoom) return readOut(sink);
        const outcome = sparseFromSink(sink);
        sink.clear();
        cache.put(k, pos, h, outcome);
        return outcome;
      },
    };
  }
  if (model === 'edge-kind-swap' || model === 'edge-swap') {
    // Both rewire a copy of the targets with swapsPerEdge·E attempts and re-enumerate the swapped graph.
    const buckets: EdgesByTargetKind[] | null =
      model === 'edge-kind-swap'
        ? sessions.map((s) => edgesByTargetKind(s.dag.dst, s.dag.src.length, s.kind))
        : null;
    const dstBuf = new Int32Array(maxE);
    return {
      fixed: () => null,
      count: (i, rng, sink) => {
        const s = sessions[i];
        const E = s.dag.src.length;
        const dst = dstBuf.subarray(0, E);
        dst.set(s.dag.dst);
        const attempts = Math.round(opts.swapsPerEdge * E);
        if (buckets)
          swapEdgeTargetsSameKind(s.dag.src, dst, s.dag.rowPtr, E, attempts, s.kind, buckets[i], rng);
        else swapEdgeTargets(s.dag.src, dst, s.dag.rowPtr, E, attempts, rng);
        enumerate(s, s.dag.src, dst, s.kind, sink);
        return readOut(sink);
      },
    };
  }
  // time-jitter
  const bufs = jitterBuffers(maxN);
  const cfg = o.dagConfig ?? DEFAULT_DAG_CONFIG;
  const builder = o.dagBuilder ?? 'vectorized';
  const rebuild = o.rebuildDag ?? ((input) => buildDag(input, cfg, builder));
  return {
    fixed: () => null,
    count: (i, rng, sink) => {
      const s = sessions[i];
      jitterSession(s.t, s.price, s.kind, opts.jitterMs, rng, bufs);
      const input = {
        t: bufs.t.subarray(0, s.n),
        price: bufs.price.subarray(0, s.n),
        kind: bufs.kind.subarray(0, s.n),
      };
      const dag: Dag = rebuild(input, i);
      validateMotifDag(dag, s.n, `time-jitter rebuild of session ${i} (${s.id})`);
      enumerate(s, dag.src, dag.dst, input.kind, sink);
      return readOut(sink);
    },
  };
}

/** The group-shuffle strata of a session: (group size, ordered source sequence when present, session phase). */
export function sessionStrata(s: MotifSession): GroupStrata {
  return groupStrata(s.n, s.t, s.source);
}

/** Why `model` cannot move session `s` (its replicates equal the observed session), or null when it can. */
export function unpermutableReason(model: NullModelName, s: MotifSession): string | null {
  if (model === 'group-shuffle') {
    const g = sessionStrata(s);
    if (g.members.length === 0)
      return 'no stratum (group size, source sequence, session phase) has 2 or more co-timed groups';
    if (!groupsPermutable(s.kind, g))
      return 'every stratum with 2 or more co-timed groups holds identical kind lists';
    return null;
  }
  if (model === 'kind-shuffle') {
    for (let i = 1; i < s.n; i++) if (s.kind[i] !== s.kind[0]) return null;
    return 'all events have one kind';
  }
  if (model === 'edge-kind-swap' || model === 'edge-swap') {
    // A swap a → b, c → d needs a ≠ c, b ≠ d and both new edges forward (a < d, c < b); for edge-kind-swap also
    // kind[b] = kind[d]. (Necessary, not sufficient: a pair can still be blocked by existing edges.)
    const { src, dst } = s.dag;
    const E = src.length;
    for (let e1 = 0; e1 < E; e1++)
      for (let e2 = e1 + 1; e2 < E; e2++) {
        const a = src[e1];
        const b = dst[e1];
        const c = src[e2];
        const d = dst[e2];
        if (a === c || b === d || a >= d || c >= b) continue;
        if (model === 'edge-kind-swap' && s.kind[b] !== s.kind[d]) continue;
        return null;
      }
    return model === 'edge-kind-swap'
      ? 'no two edges with different sources have different targets of one kind'
      : 'no two edges have different sources and different targets';
  }
  return null;
}

/**
 * Sessions each model cannot permute, model by model in `models` order, sessions in input order (deterministic;
 * computed from the same strata the counters use). Such sessions are never an error: they enter every replicate
 * unchanged.
 */
export function skippedSessions(
  models: readonly NullModelName[],
  sessions: readonly MotifSession[],
): SkippedSession[] {
  const out: SkippedSession[] = [];
  for (const model of models)
    for (const s of sessions) {
      const reason = unpermutableReason(model, s);
      if (reason !== null) out.push({ session: s.id, model, reason });
    }
  return out;
}

/**
 * Seed key of each session: a hash of its id (FNV-1a), so replicate r of a session draws the same numbers in any
 * run that holds it — the whole run, validation's discovery or holdout part, a later run with one more day — and
 * a part's null counts are the whole run's counts of those sessions. A repeated id (synthetic inputs) also mixes
 * in how many sessions before it carry that id, so two sessions never share draws.
 */
export function sessionSeedKeys(sessions: readonly { id: string }[]): Int32Array {
  const seen = new Map<string, number>();
  return Int32Array.from(sessions, (s) => {
    const dup = seen.get(s.id) ?? 0;
    seen.set(s.id, dup + 1);
    let h = 0x811c9dc5;
    for (let i = 0; i < s.id.length; i++) h = Math.imul(h ^ s.id.charCodeAt(i), 0x01000193);
    return dup === 0 ? h | 0 : deriveSeed(h, dup);
  });
}

/**
 * Per-group replicate rows of a null batch (validation's discovery and holdout parts mined inside the run's null
 * phase): session si adds to group of[si] (−1: none). Arrays are one lane (nTested × bsz, laid out as batchStrides says) per group, group after group.
 */
export interface GroupRows {
  of: Int32Array;
  n: number;
  batch: Float64Array;
  support: Float64Array;
  /** Occurrences per replicate when the statistic is support; null when it is the count. */
  counts: Float64Array | null;
}

/** Largest lane (nT × bsz float64) laid out motif-major: about what a core's share of the L3 cache holds. */
export const MOTIF_MAJOR_MAX_BYTES = 8 * 2 ** 20;

/**
 * Where motif m of replicate r sits in a null batch's arrays (one lane, nT motifs × bsz replicates):
 * m·ms + r·rs. Motif-major (ms = bsz, rs = 1) keeps a session's replicates of one motif on shared cache lines,
 * which pays when a session touches few of the tested motifs; replicate-major (ms = 1, rs = nT) keeps one
 * replicate's row in cache, which pays on a large motif table. A speed choice only: every sum is of integers.
 */
export function batchStrides(nT: number, bsz: number): { ms: number; rs: number } {
  return nT * bsz * 8 <= MOTIF_MAJOR_MAX_BYTES ? { ms: bsz, rs: 1 } : { ms: 1, rs: nT };
}

/**
 * Replicates [r0, r0 + bsz) of one null model over every session: adds each replicate's statistic per tested
 * motif into `batch` (laid out as batchStrides says) and per session into `sessionSum`; with `support` (and `counts`, needed
 * only when the statistic is support) also each replicate's support and occurrences, for the selection filter;
 * with `groups`, the same per group of sessions. Replicate r of session si always draws from
 * deriveSeed(seed, MODEL_STREAM[model], r, keys[si]) (sessionSeedKeys), so any split into batches — or into
 * parts of the sessions — gives the same numbers. A session's fixed part (SessionNullCounter.fixed) is the same
 * in every replicate: it is reduced once per session and added to every replicate row at the end (integer sums,
 * exact in any order).
 */
export function countNullBatch(
  model: NullModelName,
  counter: SessionNullCounter,
  sink: CountSink,
  keys: Int32Array,
  seed: number,
  r0: number,
  bsz: number,
  bySupport: boolean,
  batch: Float64Array,
  sessionSum: SessionNullSums,
  support: Float64Array | null = null,
  counts: Float64Array | null = null,
  groups: GroupRows | null = null,
): void {
  const nT = sink.catalog.size;
  const nS = keys.length;
  const lanes = 1 + (groups?.n ?? 0);
  const { ms, rs } = batchStrides(nT, bsz);
  // This session's fixed counts by motif (0 = none), and the fixed parts summed over sessions, per lane (lane 0:
  // every session; lane 1 + g: group g).
  const fixedHere = new Int32Array(nT);
  const fixedStat = new Float64Array(lanes * nT);
  const fixedSupport = new Float64Array(lanes * nT);
  const fixedCount = new Float64Array(lanes * nT);
  let anyFixed = false;
  const deferred = new Map<SparseCounts, number>();
  for (let si = 0; si < nS; si++) {
    const g = groups ? groups.of[si] : -1;
    const lane = (1 + g) * nT;
    const f = counter.fixed(si);
    if (f) {
      anyFixed = true;
      for (let k = 0; k < f.n; k++) {
        const m = f.index[k];
        const c = f.count[k];
        const v = bySupport ? 1 : c;
        fixedHere[m] = c;
        fixedStat[m] += v;
        fixedSupport[m] += 1;
        fixedCount[m] += c;
        if (g >= 0) {
          fixedStat[lane + m] += v;
          fixedSupport[lane + m] += 1;
          fixedCount[lane + m] += c;
        }
        sessionSum.add(m, bsz * v);
      }
    }
    const gb = groups ? groups.batch : null;
    const gs = groups ? groups.support : null;
    const gc = groups ? groups.counts : null;
    for (let r = 0; r < bsz; r++) {
      const rng = new Rng(deriveSeed(seed, MODEL_STREAM[model], r0 + r, keys[si]));
      const got = counter.count(si, rng, sink);
      // A cached outcome (the same object every time it repeats) is added to the session's sums once per
      // distinct outcome, times its repeats, after the batch: integer sums, so the same numbers.
      const defer = got.cached === true;
      if (defer) deferred.set(got, (deferred.get(got) ?? 0) + 1);
      // Motif m of replicate r sits at m·ms + r·rs (batchStrides: motif- or replicate-major by table size).
      const rOff = r * rs;
      const goff = g >= 0 ? g * bsz * nT + rOff : -1;
      const { index, count: cnt, n } = got;
      for (let k = 0; k < n; k++) {
        const m = index[k];
        const c = cnt[k];
        const mOff = m * ms;
        const at = mOff + rOff;
        if (counts) counts[at] += c;
        if (gc && goff >= 0) gc[goff + mOff] += c;
        // Where the fixed part already holds the motif, the session's support is counted there.
        const held = fixedHere[m] > 0;
        const v = held ? (bySupport ? 0 : c) : bySupport ? 1 : c;
        if (v > 0) {
          batch[at] += v;
          if (!defer) sessionSum.add(m, v);
          if (gb && goff >= 0) gb[goff + mOff] += v;
        }
        if (!held) {
          if (support) support[at] += 1;
          if (gs && goff >= 0) gs[goff + mOff] += 1;
        }
      }
    }
    for (const [o, times] of deferred)
      for (let k = 0; k < o.n; k++) {
        const m = o.index[k];
        const v = fixedHere[m] > 0 ? (bySupport ? 0 : o.count[k]) : bySupport ? 1 : o.count[k];
        if (v > 0) sessionSum.add(m, times * v);
      }
    deferred.clear();
    sessionSum.flush(si);
    if (f) for (let k = 0; k < f.n; k++) fixedHere[f.index[k]] = 0;
  }
  if (!anyFixed) return;
  for (let lane = 0; lane < lanes; lane++) {
    const b = lane === 0 ? batch : groups!.batch;
    const su = lane === 0 ? support : groups!.support;
    const co = lane === 0 ? counts : groups!.counts;
    const base = lane === 0 ? 0 : (lane - 1) * bsz * nT;
    const fo = lane * nT;
    for (let m = 0; m < nT; m++) {
      if (fixedSupport[fo + m] === 0) continue;
      const fs = fixedStat[fo + m];
      const fu = fixedSupport[fo + m];
      const fc = fixedCount[fo + m];
      for (let r = 0, at = base + m * ms; r < bsz; r++, at += rs) {
        b[at] += fs;
        if (su) su[at] += fu;
        if (co) co[at] += fc;
      }
    }
  }
}

/** Each part's observed statistic per run-tested motif (from the plan's per-session rows). */
export function groupObserved(
  plan: Pick<MiningPlan, 'obsRows' | 'nS' | 'nT'>,
  groups: NullGroups,
): Float64Array[] {
  const observed = Array.from({ length: groups.minSupport.length }, () => new Float64Array(plan.nT));
  for (let si = 0; si < plan.nS; si++) {
    const g = groups.of[si];
    if (g < 0) continue;
    for (let e = plan.obsRows.ptr[si]; e < plan.obsRows.ptr[si + 1]; e++)
      observed[g][plan.obsRows.index[e]] += plan.obsRows.value[e];
  }
  return observed;
}

/** What a null reducer needs to know: thresholds and selection filters of the run and of each part. */
export interface ReducerSpec {
  observed: Float64Array;
  minSupport: number;
  minCount: number;
  /** Per part (MineOptions.groups): its observed statistic and minimum support. */
  groups?: { observed: Float64Array[]; minSupport: readonly number[] };
}

/** NullReducer as plain data (what a null batch sends back). */
export interface NullReducerState {
  moments: CountMomentsState;
  tally: CountTallyState;
  groups: { moments: CountMomentsState; tally: CountTallyState }[];
}

/**
 * Reduces null replicates into the moments and the selection tally of the run and of each part. A batch is
 * reduced where it is counted (a worker, or this thread) and sent back as state; the run merges the batches in
 * replicate order, the same way on every path, so the bits do not depend on where a batch ran.
 */
export class NullReducer {
  readonly moments: CountMoments;
  readonly tally: CountTally;
  readonly groupMoments: CountMoments[];
  readonly groupTallies: CountTally[];

  constructor(readonly spec: ReducerSpec) {
    this.moments = new CountMoments(spec.observed);
    this.tally = new CountTally(spec.observed, spec.minSupport, spec.minCount);
    const g = spec.groups;
    this.groupMoments = g ? g.observed.map((o) => new CountMoments(o)) : [];
    this.groupTallies = g ? g.observed.map((o, k) => new CountTally(o, g.minSupport[k], spec.minCount)) : [];
  }

  get parts(): number {
    return this.groupMoments.length;
  }

  /** Reduce a batch of `bsz` replicates (laid out as batchStrides says) and its GroupRows. */
  pushBatch(
    nT: number,
    bsz: number,
    batch: Float64Array,
    support: Float64Array,
    counts: Float64Array | null,
    rows: GroupRows | null,
  ): void {
    const { ms, rs } = batchStrides(nT, bsz);
    this.moments.pushStrided(batch, 0, bsz, ms, rs);
    this.tally.pushStrided(batch, support, counts ?? batch, 0, bsz, ms, rs);
    if (!rows) return;
    for (let g = 0; g < this.parts; g++) {
      const off = g * bsz * nT;
      this.groupMoments[g].pushStrided(rows.batch, off, bsz, ms, rs);
      this.groupTallies[g].pushStrided(rows.batch, rows.support, rows.counts ?? rows.batch, off, bsz, ms, rs);
    }
  }

  merge(o: NullReducerState): void {
    if (o.groups.length !== this.parts)
      throw new Error(`null reducer: merging ${o.groups.length} parts into ${this.parts}`);
    this.moments.merge(o.moments);
    this.tally.merge(o.tally);
    o.groups.forEach((g, k) => {
      this.groupMoments[k].merge(g.moments);
      this.groupTallies[k].merge(g.tally);
    });
  }

  toState(): NullReducerState {
    return {
      moments: this.moments.toState(),
      tally: this.tally.toState(),
      groups: this.groupMoments.map((m, k) => ({
        moments: m.toState(),
        tally: this.groupTallies[k].toState(),
      })),
    };
  }
}

/** The reducer spec of a plan (and its parts). */
export function reducerSpec(plan: MiningPlan, groups: NullGroups | undefined): ReducerSpec {
  return {
    observed: plan.observed,
    minSupport: plan.opts.minSupport,
    minCount: plan.opts.minCount,
    ...(groups ? { groups: { observed: groupObserved(plan, groups), minSupport: groups.minSupport } } : {}),
  };
}

/** Batch buffers a caller keeps across its null batches (reduceNullBatch grows and zeroes them). */
export interface NullBatchScratch {
  batch: Float64Array;
  support: Float64Array;
  counts: Float64Array | null;
}

export function newNullBatchScratch(): NullBatchScratch {
  return { batch: new Float64Array(0), support: new Float64Array(0), counts: null };
}

/**
 * One batch of replicates [r0, r0 + bsz) counted and reduced: the batch's reducer state and its per-session sums
 * added into `sums`. The one body of the serial miner's loop and of a worker's null task.
 */
export function reduceNullBatch(
  model: NullModelName,
  counter: SessionNullCounter,
  sink: CountSink,
  keys: Int32Array,
  opts: Pick<ResolvedMineOptions, 'seed' | 'statistic'>,
  spec: ReducerSpec,
  groupOf: Int32Array | null,
  r0: number,
  bsz: number,
  sums: SessionNullSums,
  scratch: NullBatchScratch,
): NullReducer {
  const nT = sink.catalog.size;
  const bySupport = opts.statistic === 'support';
  const parts = groupOf ? (spec.groups?.minSupport.length ?? 0) : 0;
  // Replicate rows of the run and of each part, reused across batches (zeroed here): allocating them per batch
  // (tens of MB on a large motif table) kept the garbage collector busy.
  const lanes = 1 + parts;
  const need = lanes * bsz * nT;
  if (scratch.batch.length < need || (bySupport && (scratch.counts?.length ?? 0) < need)) {
    scratch.batch = new Float64Array(need);
    scratch.support = new Float64Array(need);
    scratch.counts = bySupport ? new Float64Array(need) : null;
  } else {
    scratch.batch.fill(0, 0, need);
    scratch.support.fill(0, 0, need);
    if (bySupport) scratch.counts?.fill(0, 0, need);
  }
  const run = bsz * nT;
  const batch = scratch.batch.subarray(0, run);
  const support = scratch.support.subarray(0, run);
  const counts = bySupport && scratch.counts ? scratch.counts.subarray(0, run) : null;
  const rows: GroupRows | null =
    groupOf && parts > 0
      ? {
          of: groupOf,
          n: parts,
          batch: scratch.batch.subarray(run, need),
          support: scratch.support.subarray(run, need),
          counts: bySupport && scratch.counts ? scratch.counts.subarray(run, need) : null,
        }
      : null;
  countNullBatch(
    model,
    counter,
    sink,
    keys,
    opts.seed,
    r0,
    bsz,
    bySupport,
    batch,
    sums,
    support,
    counts,
    rows,
  );
  const reducer = new NullReducer(spec);
  reducer.pushBatch(nT, bsz, batch, support, counts, rows);
  return reducer;
}

function runNullModel(
  model: NullModelName,
  sessions: readonly MotifSession[],
  plan: MiningPlan,
  o: MineOptions,
): NullSummary {
  const { frozen: catalog, opts } = plan;
  const start = readClock(o.clock);
  const nS = sessions.length;
  const nT = catalog.size;
  const counter = makeCounter(model, sessions, catalog, opts, o);
  const sink = new CountSink(catalog);
  const sums = new SessionNullSums(nS, nT);
  const keys = sessionSeedKeys(sessions);
  const spec = reducerSpec(plan, o.groups);
  const total = new NullReducer(spec);
  const scratch = newNullBatchScratch();
  const B = Math.min(opts.batchSize, opts.nulls);
  for (let r0 = 0; r0 < opts.nulls; r0 += B) {
    const bsz = Math.min(B, opts.nulls - r0);
    const part = reduceNullBatch(
      model,
      counter,
      sink,
      keys,
      opts,
      spec,
      o.groups?.of ?? null,
      r0,
      bsz,
      sums,
      scratch,
    );
    total.merge(part.toState());
    o.onProgress?.({ model, done: r0 + bsz, total: opts.nulls });
  }
  return summaryOf(model, total, sums, elapsedMs(o.clock, start));
}

/** A model's NullSummary from its merged reducer. */
export function summaryOf(
  model: NullModelName,
  total: NullReducer,
  sums: SessionNullSums,
  ms: number | null,
): NullSummary {
  return {
    model,
    moments: total.moments,
    tally: total.tally,
    sums,
    ms,
    ...(total.parts > 0 ? { groups: { moments: total.groupMoments, tallies: total.groupTallies } } : {}),
  };
}

/**
 * Everything a mining run knows before its null phase: the observed counts, the tested motifs (canonical order)
 * and the frozen catalog the nulls count against. Shared by the serial miner and the parallel one (src/scale).
 */
export interface MiningPlan {
  opts: ResolvedMineOptions;
  obs: ReturnType<typeof countMotifs>;
  testedObsIdx: number[];
  forms: MotifForm[];
  frozen: MotifCatalog;
  /** Observed statistic per session, sparse over tested motifs (bootstrap numerators, motif session lists). */
  obsRows: SparseSessionRows;
  observed: Float64Array;
  nS: number;
  nT: number;
  observeMs: number | null;
  /** The caller's clock (see MineOptions.clock), kept for the timing of the statistics phase. */
  clock?: Clock;
}

/** The null summary of one model: running moments over replicates and the per-session mean null statistic. */
export interface NullSummary {
  model: NullModelName;
  moments: CountMoments;
  /** Exceedances and moments over the replicates that pass the same support/count filter as the observed data. */
  tally: CountTally;
  /** Σ over replicates of each session's null statistic, sparse (÷ nulls: the bootstrap's denominators). */
  sums: SessionNullSums;
  ms: number | null;
  /** With MineOptions.groups: each part's moments and tally over the run's tested motifs. */
  groups?: { moments: CountMoments[]; tallies: CountTally[] };
}

/**
 * Observe and choose the motifs to test (see MiningPlan). `counted`: these sessions' counts already taken
 * (observedSubset of a run that holds them), so they are not enumerated again.
 */
export function planMining(
  sessions: readonly MotifSession[],
  options: MineOptions = {},
  counted?: ObservedMotifs,
): MiningPlan {
  const opts = resolveMineOptions(options);
  const t0 = readClock(options.clock);
  const obs = counted ?? countMotifs(sessions, { sizes: opts.sizes, edgeLabels: opts.edgeLabels });
  // Motifs under test, ordered by canonical key (size first) so the order never depends on discovery.
  const testedObsIdx: number[] = [];
  const only = options.motifIds ? new Set(options.motifIds) : null;
  for (let m = 0; m < obs.catalog.size; m++)
    if (obs.support[m] >= opts.minSupport && obs.count[m] >= opts.minCount)
      if (!only || only.has(formId(obs.catalog.form(m), opts.edgeLabels))) testedObsIdx.push(m);
  if (testedObsIdx.length > opts.maxMotifs) {
    testedObsIdx.sort((a, b) => obs.count[b] - obs.count[a] || obs.catalog.keys[a] - obs.catalog.keys[b]);
    testedObsIdx.length = opts.maxMotifs;
  }
  testedObsIdx.sort((a, b) => obs.catalog.keys[a] - obs.catalog.keys[b]);
  const forms: MotifForm[] = testedObsIdx.map((m) => obs.catalog.form(m));
  const nS = sessions.length;
  const nT = forms.length;
  const frozen = MotifCatalog.frozen(forms, opts.edgeLabels);
  const toTested = new Int32Array(obs.catalog.size).fill(-1);
  testedObsIdx.forEach((m, t) => (toTested[m] = t));
  // Observed statistic per session (bootstrap numerators), sparse over tested motifs, and in total.
  const ptr = new Int32Array(nS + 1);
  obs.perSession.forEach((ps, si) => {
    let n = 0;
    for (let i = 0; i < ps.index.length; i++) if (toTested[ps.index[i]] >= 0) n++;
    ptr[si + 1] = ptr[si] + n;
  });
  const obsRows: SparseSessionRows = {
    ptr,
    index: new Int32Array(ptr[nS]),
    value: new Float64Array(ptr[nS]),
  };
  obs.perSession.forEach((ps, si) => {
    const pairs: [number, number][] = [];
    for (let i = 0; i < ps.index.length; i++) {
      const t = toTested[ps.index[i]];
      if (t >= 0) pairs.push([t, opts.statistic === 'support' ? 1 : ps.count[i]]);
    }
    pairs.sort((a, b) => a[0] - b[0]);
    pairs.forEach(([t, v], k) => {
      obsRows.index[ptr[si] + k] = t;
      obsRows.value[ptr[si] + k] = v;
    });
  });
  const observed = new Float64Array(nT);
  for (let t = 0; t < nT; t++) {
    const m = testedObsIdx[t];
    observed[t] = opts.statistic === 'support' ? obs.support[m] : obs.count[m];
  }
  const observeMs = elapsedMs(options.clock, t0);

  return {
    opts,
    obs,
    testedObsIdx,
    forms,
    frozen,
    obsRows,
    observed,
    nS,
    nT,
    observeMs,
    clock: options.clock,
  };
}

/**
 * A null summary with the mean used for lift: exact under kind-shuffle + count, else the Monte-Carlo mean; with
 * the exact mean, the exact per-session means (dense nSessions × nTested) replace the Monte-Carlo sums.
 */
interface ScoredSummary extends NullSummary {
  mean: Float64Array;
  exactSessionMean?: Float64Array;
}

function withExactMean(s: NullSummary, sessions: readonly MotifSession[], plan: MiningPlan): ScoredSummary {
  const { opts, frozen, nS, nT } = plan;
  if (!(opts.exactNullMean && s.model === 'kind-shuffle' && opts.statistic === 'count'))
    return { ...s, mean: s.moments.mean };
  const sessionMean = exactKindShuffleMeans(sessions, frozen, opts.sizes, opts.edgeLabels);
  const mean = new Float64Array(nT);
  for (let si = 0; si < nS; si++) for (let t = 0; t < nT; t++) mean[t] += sessionMean[si * nT + t];
  return { ...s, exactSessionMean: sessionMean, mean };
}

/** Statistics, classes and ordering from the plan and the null summaries of every model. */
export function finishMining(
  sessions: readonly MotifSession[],
  plan: MiningPlan,
  rawSummaries: readonly NullSummary[],
): MotifMiningRun {
  const { opts, obs, testedObsIdx, forms, obsRows, observed, nS, nT, observeMs } = plan;
  const t1 = readClock(plan.clock);
  const summaries = rawSummaries.map((s) => withExactMean(s, sessions, plan));
  // Per motif: the binding model is the least significant one (largest p, then smallest lift).
  const bind = new Int32Array(nT);
  const pv = new Float64Array(nT);
  const method: PValueMethod[] = new Array(nT);
  const lifts = new Float64Array(nT);
  for (let t = 0; t < nT; t++) {
    let best = -1;
    for (let k = 0; k < summaries.length; k++) {
      const { p, method: how } = motifPValue(summaries[k].tally, t, observed[t], opts);
      const l = liftOf(observed[t], summaries[k].mean[t], opts.liftFloor);
      if (best < 0 || p > pv[t] || (p === pv[t] && l < lifts[t])) {
        best = k;
        pv[t] = p;
        method[t] = how;
        lifts[t] = l;
      }
    }
    bind[t] = best;
  }
  // One BH order serves the q-values and the ranks the FLOOR-LIMITED draw counts need.
  const order = bhOrder(pv);
  const q = benjaminiHochberg(pv, order);
  const rank = new Int32Array(nT);
  order.forEach((i, r) => (rank[i] = r + 1));
  const th = opts.thresholds;
  const boot = liftCI(
    sessions,
    obsRows,
    summaries,
    bind,
    nT,
    opts,
    (t) =>
      // The class can depend on the CI only here (classifyMotif; classWithFloor's FLOOR-LIMITED check).
      (q[t] <= th.discardQ && lifts[t] >= th.discardLift) ||
      (method[t] === 'floor' && lifts[t] >= th.promoteLift),
  );
  const ci = boot.ci;
  const classes = Array.from({ length: nT }, (_, t) =>
    classWithFloor(lifts[t], q[t], ci.low[t], method[t], summaries[bind[t]].tally, t, rank[t], nT, opts),
  );
  // Sessions holding each motif, in session order: for every motif, or (sessionLists 'promote') for PROMOTE ones
  const listed = (t: number) => opts.sessionLists === 'all' || classes[t].class === 'PROMOTE';
  const sessionLists: (string[] | undefined)[] = Array.from({ length: nT }, (_, t) =>
    listed(t) ? [] : undefined,
  );
  for (let si = 0; si < nS; si++)
    for (let e = obsRows.ptr[si]; e < obsRows.ptr[si + 1]; e++)
      if (obsRows.value[e] > 0) sessionLists[obsRows.index[e]]?.push(sessions[si].id);

  const results: MotifResult[] = [];
  for (let t = 0; t < nT; t++) {
    const m = testedObsIdx[t];
    const form = forms[t];
    const s = summaries[bind[t]];
    const mean = s.mean[t];
    const sd = s.moments.sd(t);
    const sessionIds = sessionLists[t];
    results.push({
      id: formId(form, opts.edgeLabels),
      key: formKey(form),
      size: form.size,
      kinds: form.kinds.slice(),
      edges: formEdges(form)
        .map((e) => `${e.from}>${e.to}${opts.edgeLabels ? `@${e.label}` : ''}`)
        .join(','),
      count: obs.count[m],
      support: obs.support[m],
      ...(sessionIds ? { sessions: sessionIds } : {}),
      statistic: opts.statistic,
      nullModel: s.model,
      nullMean: mean,
      nullSd: sd,
      lift: lifts[t],
      z: zScore(observed[t], mean, sd),
      p: pv[t],
      q: q[t],
      ciLow: ci.low[t],
      ciHigh: ci.high[t],
      ...classes[t],
      pMethod: method[t],
      nullSelected: s.tally.selected[t],
    });
  }
  results.sort(
    (a, b) =>
      CLASS_ORDER[a.class] - CLASS_ORDER[b.class] ||
      b.lift - a.lift ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const run: MotifMiningRun = {
    results,
    observedMotifs: obs.catalog.size,
    testedMotifs: nT,
    occurrencesBySize: obs.occurrencesBySize,
    nulls: opts.nulls,
    nullModels: opts.models,
    seed: opts.seed,
    timing: {
      observeMs,
      nulls: summaries.map((s) => ({
        model: s.model,
        ms: s.ms,
        nullsPerSecond: s.ms === null ? null : opts.nulls / (s.ms / 1000),
      })),
      statsMs: elapsedMs(plan.clock, t1),
    },
    ciUnit: boot.unit,
    ciUnits: boot.units,
    ciExact: boot.exact ?? false,
    ...(boot.note ? { notes: [boot.note] } : {}),
  };
  // Families of the PROMOTE motifs, last (they only read the classes above).
  const fam = assignFamilies(run.results, opts.statistic);
  return { ...run, results: fam.results, families: fam.families };
}

/** Resamples up to this many (C(2U−1, U): 9 units → 24,310) are enumerated exactly instead of drawn. */
const EXACT_BOOTSTRAP_MAX_RESAMPLES = 25_000;

/**
 * Work (unit visits × motifs) up to which the lift CI is computed for every tested motif. Beyond it, only for the
 * motifs whose class can depend on it (the rest are DISCARD by q or lift whatever the CI), the others get NaN
 * CI bounds and a note: on two years of one-minute bars (~500 days × ~10⁵ motifs × 1,000 resamples) the full
 * bootstrap alone would be ~5·10¹⁰ steps. A CI that is computed is the same number either way (each motif's
 * resampled sums are formed unit by unit in the same order, whatever other motifs are computed with it).
 */
export const CI_WORK_BUDGET = 5e8;

/**
 * Percentile bootstrap CI of every lift, resampling trading days (observations inside one day are dependent):
 * per-session numerator/denominator rows are summed into per-day rows (a session without `day` is its own
 * unit). Without any `day` the units are sessions. Fewer than MIN_BOOTSTRAP_UNITS units give no CI: NaN
 * bounds (classifyMotif never promotes on them) and a note saying so. The day tables are built only for the
 * motifs computed (see CI_WORK_BUDGET), from the sparse per-session rows, so they never hold sessions × motifs.
 */
function liftCI(
  sessions: readonly MotifSession[],
  numerator: SparseSessionRows,
  summaries: readonly ScoredSummary[],
  bind: Int32Array,
  nT: number,
  opts: ResolvedMineOptions,
  classNeedsCI: (t: number) => boolean,
): {
  ci: { low: Float64Array; high: Float64Array };
  unit: 'day' | 'session';
  units: number;
  exact?: boolean;
  note?: string;
} {
  const nS = sessions.length;
  const unit = sessions.some((s) => s.day !== undefined && s.day !== '') ? 'day' : 'session';
  const { clusterOf, nClusters } = clusterByLabel(sessions.map((s) => (unit === 'day' ? s.day : undefined)));
  const low = new Float64Array(nT).fill(NaN);
  const high = new Float64Array(nT).fill(NaN);
  if (nClusters < MIN_BOOTSTRAP_UNITS) {
    const what =
      unit === 'day'
        ? `day-clustered CI needs ≥ ${MIN_BOOTSTRAP_UNITS} trading days`
        : `session bootstrap CI needs ≥ ${MIN_BOOTSTRAP_UNITS} sessions`;
    return {
      ci: { low, high },
      unit,
      units: nClusters,
      note: `${what}, got ${nClusters}: lift CIs unavailable (NaN), so no motif can be PROMOTE`,
    };
  }
  if (nT === 0) return { ci: { low, high }, unit, units: nClusters };
  const exact = multisetCount(nClusters) <= EXACT_BOOTSTRAP_MAX_RESAMPLES;
  const perMotif = exact ? multisetCount(nClusters) : opts.bootstrap * nClusters;
  const all = perMotif * nT <= opts.ciWorkBudget;
  const cols: number[] = [];
  for (let t = 0; t < nT; t++) if (all || classNeedsCI(t)) cols.push(t);
  const J = cols.length;
  const colOf = new Int32Array(nT).fill(-1);
  cols.forEach((t, j) => (colOf[t] = j));
  // Unit rows (days × computed motifs), summed session by session in session order — the same additions as
  // clusterRows over dense per-session rows (zeros add nothing).
  const num = new Float64Array(nClusters * J);
  const den = new Float64Array(nClusters * J);
  for (let si = 0; si < nS; si++) {
    const u = clusterOf[si] * J;
    for (let e = numerator.ptr[si]; e < numerator.ptr[si + 1]; e++) {
      const j = colOf[numerator.index[e]];
      if (j >= 0) num[u + j] += numerator.value[e];
    }
    summaries.forEach((sm, k) => {
      if (sm.exactSessionMean) {
        for (let j = 0; j < J; j++)
          if (bind[cols[j]] === k) den[u + j] += sm.exactSessionMean[si * nT + cols[j]];
        return;
      }
      const row = sm.sums.row(si);
      for (let e = 0; e < row.index.length; e++) {
        const t = row.index[e];
        const j = colOf[t];
        if (j >= 0 && bind[t] === k) den[u + j] += row.value[e] / opts.nulls;
      }
    });
  }
  const note = all
    ? undefined
    : `lift CI computed for the ${J} of ${nT} motifs whose class can depend on it (q ≤ ${opts.thresholds.discardQ} ` +
      `and lift ≥ ${opts.thresholds.discardLift}, or a floor p-value with lift ≥ ${opts.thresholds.promoteLift}); ` +
      `the others are DISCARD whatever their CI and have NaN CI bounds (work ${perMotif * nT} > budget ${opts.ciWorkBudget})`;
  if (J === 0) return { ci: { low, high }, unit, units: nClusters, exact, ...(note ? { note } : {}) };
  const input = {
    nUnits: nClusters,
    nRatios: J,
    numerator: num,
    denominator: den,
    floor: opts.liftFloor,
    level: opts.ciLevel,
  };
  // Few units (e.g. a week of trading days): the exact bootstrap over every resample, so the CI — and the
  // class — cannot move with the seed; many units: Monte-Carlo resamples.
  const got = exact
    ? exactBootstrapRatioCI(input)
    : bootstrapRatioCI({
        ...input,
        replicates: opts.bootstrap,
        seed: deriveSeed(opts.seed, BOOTSTRAP_STREAM),
      });
  cols.forEach((t, j) => {
    low[t] = got.low[j];
    high[t] = got.high[j];
  });
  return { ci: { low, high }, unit, units: nClusters, exact, ...(note ? { note } : {}) };
}

/** Mine motifs and return every measured quantity (results, counts, timings). */
export function mineMotifsDetailed(
  sessions: readonly MotifSession[],
  options: MineOptions = {},
): MotifMiningRun {
  const plan = planMining(sessions, options);
  const summaries: NullSummary[] = [];
  if (plan.nT > 0)
    for (const model of plan.opts.models) summaries.push(runNullModel(model, sessions, plan, options));
  return withGroups(
    {
      ...finishMining(sessions, plan, summaries),
      skippedSessions: skippedSessions(plan.opts.models, sessions),
    },
    sessions,
    plan,
    summaries,
    options,
  );
}

/**
 * The run with `groupRuns` attached when it was mined with MineOptions.groups: finishing a group gives what
 * mining that group's sessions alone with the same options would (test/motifs-groups). Kept off the JSON.
 */
export function withGroups(
  run: MotifMiningRun,
  sessions: readonly MotifSession[],
  plan: MiningPlan,
  summaries: readonly NullSummary[],
  options: MineOptions,
): MotifMiningRun {
  if (!options.groups) return run;
  const groups = options.groups;
  // Only what finishing a part reads is kept until the parts are dropped: the observed counts (each part's are read
  // from them), not the frozen catalog nor the run's own moments and tallies.
  const kept: GroupPlan = { opts: plan.opts, forms: plan.forms, nT: plan.nT, obs: plan.obs };
  const keptSummaries: GroupSummary[] = summaries.map(({ model, sums, ms, groups: parts }) => ({
    model,
    sums,
    ms,
    groups: parts,
  }));
  const finish: MotifGroupRuns = {
    count: groups.minSupport.length,
    sessions: (g) => sessions.filter((_, si) => groups.of[si] === g).map((s) => s.id),
    finish: (g, extra = {}) => finishGroup(sessions, kept, keptSummaries, options, g, extra),
    toJSON: () => undefined,
  };
  return { ...run, groupRuns: finish };
}

/**
 * What finishing a part needs of the run's plan (withGroups keeps only this): `obs` gives each part its observed
 * counts without a second enumeration (observedSubset), held until the parts are dropped after validation.
 */
type GroupPlan = Pick<MiningPlan, 'opts' | 'forms' | 'nT' | 'obs'>;
/** What finishing a part needs of a null summary: the parts' moments and tallies, and the per-session sums. */
type GroupSummary = Pick<NullSummary, 'model' | 'sums' | 'ms' | 'groups'>;

/**
 * Statistics of group g's sessions alone from the run's null phase: the group's own observed motifs and tested
 * set (its options: minSupport, motifIds), its moments and tallies picked from the run's, its sessions' null sums.
 * Null when the group tests a motif the run did not (a cap on the tested motifs): the caller mines it instead.
 */
function finishGroup(
  sessions: readonly MotifSession[],
  plan: GroupPlan,
  summaries: readonly GroupSummary[],
  options: MineOptions,
  g: number,
  extra: Pick<MineOptions, 'minSupport' | 'motifIds'>,
): MotifMiningRun | null {
  const groups = options.groups;
  if (!groups || !(g >= 0 && g < groups.minSupport.length)) return null;
  const minSupport = extra.minSupport ?? plan.opts.minSupport;
  if (minSupport !== groups.minSupport[g]) return null;
  const members: number[] = [];
  sessions.forEach((_, si) => groups.of[si] === g && members.push(si));
  const mine = members.map((si) => sessions[si]);
  const { groups: _g, onProgress: _p, ...rest } = options;
  // The part's observed counts are the run's rows of its sessions (no second enumeration).
  const gPlan = planMining(mine, { ...rest, ...extra }, observedSubset(plan.obs, members));
  // Group tested motif t' ↔ run tested motif pick[t'] (both in canonical key order).
  const runIndex = new Map<string, number>();
  const labels = plan.opts.edgeLabels;
  plan.forms.forEach((f, t) => runIndex.set(formId(f, labels), t));
  const pick = new Int32Array(gPlan.nT);
  for (let t = 0; t < gPlan.nT; t++) {
    const at = runIndex.get(formId(gPlan.forms[t], labels));
    if (at === undefined) return null;
    pick[t] = at;
  }
  const toGroup = new Int32Array(plan.nT).fill(-1);
  pick.forEach((t, k) => (toGroup[t] = k));
  const gSummaries: NullSummary[] = summaries.map((s) => {
    if (!s.groups) throw new Error('finishGroup: the run was mined without groups');
    // each member's row added straight into the part's sums (what addRows does with a CSR of them), without
    // first gathering every entry of the part into JS arrays (~16 B an entry, millions of entries on months of bars)
    const sums = new SessionNullSums(mine.length, gPlan.nT);
    members.forEach((si, k) => {
      const row = s.sums.row(si);
      let added = 0;
      for (let e = 0; e < row.index.length; e++) {
        const t = toGroup[row.index[e]];
        if (t < 0) continue;
        sums.add(t, row.value[e]);
        added++;
      }
      if (added > 0) sums.flush(k);
    });
    return {
      model: s.model,
      moments: s.groups.moments[g].subset(pick),
      tally: s.groups.tallies[g].subset(pick),
      sums,
      ms: s.ms,
    };
  });
  return {
    ...finishMining(mine, gPlan, gSummaries),
    skippedSessions: skippedSessions(gPlan.opts.models, mine),
  };
}

/**
 * Mine labeled DAG motifs of the given sizes with seeded null models and return the tested motifs with their
 * statistics and class (see MotifResult). Same sessions + options ⇒ identical results.
 */
export function mineMotifs(sessions: readonly MotifSession[], options: MineOptions = {}): MotifResult[] {
  return mineMotifsDetailed(sessions, options).results;
}
