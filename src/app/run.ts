/**
 * The whole pipeline over one batch of sessions, in memory: discovery (features → DAG → TGAT), motifs on the
 * DAG, patterns over the embeddings, confluence scores, and the temporal out-of-sample validation.
 * `ironforge run` (src/cli/commands/run.ts) writes what this returns.
 */
import { buildConfluenceInputs, scoreConfluence, type ConfluenceResult } from '../confluence/index.js';
import { findMotifOccurrences } from '../motifs/index.js';
import { applyControl, mineMotifsDetailed, type MotifControl } from '../motifs/index.js';
import type { MineOptions, MotifMiningRun, MotifSession } from '../motifs/index.js';
import { embeddingTableFromSessions, type EmbeddingTable } from '../patterns/index.js';
import {
  buildPatterns,
  patternsBySession,
  positionLeakage,
  type PatternSet,
  type PositionLeakage,
} from '../patterns/index.js';
import type { Session } from '../session/index.js';
import {
  encoderInput,
  type FeatureScaler,
  fitScaler,
  type KernelName,
  causalRawFeatures,
  type TgatWeights,
} from '../tgat/index.js';
import { N_NODE_FEATURES } from '../features/index.js';
import {
  validateOrSkip,
  type ControlReport,
  type MotifCounts,
  type ValidationReport,
} from '../validation/index.js';
import { discoverSessions, type DiscoveredSession, type DiscoverOptions } from '../discover/index.js';
import { dagMotifMiner, runPartsMiner, validationParts } from './miner.js';
import { motifSessions } from '../discover/index.js';

/**
 * The causal hand features of every session's events, scaled over all of them (a descriptive clustering input:
 * the same 45 columns the encoder sees, with the look-ahead columns zeroed — tgat/ CAUSAL_NODE_COLUMNS).
 */
export function handFeatureRows(sessions: readonly Session[]): Float32Array[] {
  const raws = sessions.map((s) => causalRawFeatures(s));
  const scaler = fitScaler(raws);
  return raws.map((k) => encoderInput(k, scaler));
}

export const RUN_STAGES = [
  'discover',
  'motifs',
  'controls',
  'patterns',
  'confluence',
  'validation',
  'evaluate',
] as const;
export type RunStage = (typeof RUN_STAGES)[number];

export interface PipelineOptions {
  seed: number;
  kernel: KernelName;
  weights?: TgatWeights;
  /** The causal-feature scaler the weights were trained with (their heads sidecar); see DiscoverOptions. */
  inputScaler?: FeatureScaler;
  /**
   * What the patterns cluster (default 'embeddings'): the encoder's embeddings, or 'hand' — the causal hand
   * features (scaled over the run's events), used when no encoder has shown it beats the baselines (README).
   */
  patternFeatures?: 'embeddings' | 'hand';
  /** Motif mining: sizes, nulls, null model (seed comes from `seed`). */
  motifs: Omit<MineOptions, 'seed' | 'onProgress'>;
  /** First holdout date of the validation (default: half of the sessions by date). */
  splitDate?: string;
  holdoutFraction?: number;
  /**
   * Also run the rolling origin by trading day in the validation stage (re-mines motifs once per fold, so it
   * multiplies the validation time by about the number of folds; default false — `ironforge validate --rolling`).
   */
  rolling?: boolean;
  /**
   * Negative controls mined beside the real data, with the same options (default ['group-shuffle']: the
   * recording-format control; [] to skip). Their PROMOTE counts go into the validation report.
   */
  controls?: MotifControl[];
  /** Progress of a stage: done/total units. */
  onProgress?: (stage: RunStage, done: number, total: number) => void;
  /**
   * Work for this thread once its own share of the concurrent jobs (the patterns) is done, while the motif nulls
   * run on the executor: `run` loads the chart library its dashboard needs here instead of at start-up.
   */
  whileMining?: () => void;
  /**
   * Replacements for the two expensive stages (src/scale runs them on worker threads or a queue); they must
   * return what the serial functions return for the same input.
   */
  stages?: {
    discover?: (sessions: readonly Session[], opts: DiscoverOptions) => Promise<DiscoveredSession[]>;
    mine?: (sessions: readonly MotifSession[], opts: MineOptions) => Promise<MotifMiningRun>;
  };
  /**
   * Wraps the discover stage (serial or replaced): `executeRun` puts the stage cache in front of it
   * (app/run-cache.ts), so unchanged sessions are read back instead of recomputed. Must return what the
   * wrapped function returns.
   */
  wrapDiscover?: (discover: DiscoverStage) => DiscoverStage;
}

/** The discover stage's signature (serial `discoverSessions`, its parallel twin, or a cached wrapper). */
export type DiscoverStage = (
  sessions: readonly Session[],
  opts: DiscoverOptions,
) => Promise<DiscoveredSession[]>;

export interface PipelineResult {
  discovered: DiscoveredSession[];
  motifs: MotifMiningRun;
  embeddings: EmbeddingTable;
  patterns: PatternSet;
  /** Do the patterns only encode the event's position in its session? (patterns/ positionLeakage) */
  positionLeakage: PositionLeakage;
  confluence: ConfluenceResult;
  validation: ValidationReport;
  timings: { stage: RunStage; ms: number }[];
  /** The sessions every stage after discover ran on (the input minus `faults`). */
  sessions: readonly Session[];
  /** Sessions left out by a stage, with the file, field and value. */
  faults: StageFault[];
}

/** A session a stage could not use: where, what and which value. */
export interface StageFault {
  file: string;
  session: string;
  stage: RunStage;
  field: string;
  value: string;
}

function describeFaults(faults: readonly StageFault[]): string {
  return faults.map((f) => `${f.file}: ${f.stage}: ${f.field} = ${f.value}`).join('; ');
}

/** The first non-finite value of a row-major array (its flat index and value), or null. */
function firstNonFinite(a: ArrayLike<number>, field: string): { field: string; value: string } | null {
  for (let i = 0; i < a.length; i++)
    if (!Number.isFinite(a[i])) return { field: `${field}[${i}]`, value: String(a[i]) };
  return null;
}

/** The controls `run` mines by default: the co-timed group shuffle (what the recording format alone produces). */
export const DEFAULT_RUN_CONTROLS: readonly MotifControl[] = ['group-shuffle'];

function motifCounts(run: MotifMiningRun): MotifCounts {
  const n = (c: string) => run.results.filter((r) => r.class === c).length;
  return { tested: run.testedMotifs, promote: n('PROMOTE'), floorLimited: n('FLOOR-LIMITED') };
}

export async function runPipeline(
  allSessions: readonly Session[],
  opts: PipelineOptions,
): Promise<PipelineResult> {
  const timings: PipelineResult['timings'] = [];
  const progress = opts.onProgress ?? (() => undefined);
  async function stage<T>(name: RunStage, fn: () => T | Promise<T>): Promise<T> {
    const t0 = performance.now();
    progress(name, 0, 1);
    const r = await fn();
    timings.push({ stage: name, ms: performance.now() - t0 });
    progress(name, 1, 1);
    return r;
  }

  const computeDiscover: DiscoverStage =
    opts.stages?.discover ?? ((s, o) => Promise.resolve(discoverSessions(s, o)));
  const discover = opts.wrapDiscover ? opts.wrapDiscover(computeDiscover) : computeDiscover;
  const mine = opts.stages?.mine ?? ((s, o) => Promise.resolve(mineMotifsDetailed(s, o)));
  // Fault isolation, before discover: events whose time or price is not finite would fail the DAG or poison the
  // features; such a session is left out of every stage and reported. After discover: non-finite features or
  // embeddings (below). The other sessions go on.
  const faults: StageFault[] = [];
  const usable: Session[] = [];
  for (const s of allSessions) {
    const i = s.events.findIndex((e) => !Number.isFinite(e.t) || !Number.isFinite(e.price));
    if (i < 0) usable.push(s);
    else
      faults.push({
        file: s.sourceFile,
        session: s.id,
        stage: 'discover',
        field: `events[${i}].${Number.isFinite(s.events[i].t) ? 'price' : 't'}`,
        value: String(Number.isFinite(s.events[i].t) ? s.events[i].price : s.events[i].t),
      });
  }
  if (usable.length === 0) throw new Error(`no session is usable: ${describeFaults(faults)}`);
  const discoveredAll = await stage('discover', () =>
    discover(usable, {
      kernel: opts.kernel,
      seed: opts.seed,
      weights: opts.weights,
      inputScaler: opts.inputScaler,
      onSession: (d, n) => progress('discover', d, n),
    }),
  );
  // Fault isolation: a session whose features or embeddings are not finite is left out of every later stage and
  // reported (file, stage, field, value); the others go on.
  const keep: number[] = [];
  discoveredAll.forEach((d, i) => {
    const bad = firstNonFinite(d.x, 'features') ?? firstNonFinite(d.embeddings, 'embeddings');
    if (!bad) keep.push(i);
    else
      faults.push({
        file: d.session.sourceFile,
        session: d.session.id,
        stage: 'discover',
        field: bad.field,
        value: bad.value,
      });
  });
  if (keep.length === 0) throw new Error(`every session failed in discover: ${describeFaults(faults)}`);
  const sessions = keep.length === allSessions.length ? allSessions : keep.map((i) => usable[i]);
  const discovered = keep.length === discoveredAll.length ? discoveredAll : keep.map((i) => discoveredAll[i]);
  // Motifs are mined on the DAGs discovery already built (same rule and builder as dagMotifSessions).
  const motifInput = motifSessions(discovered, 'dag');
  // The mining jobs (real data with validation's parts, negative controls) are independent: they start together, so their null batches share the executor's workers and one job's serial phases (observing,
  // statistics) overlap another's nulls; patterns run on this thread meanwhile. Each job's result is what it
  // would be alone (absolute replicate seeds, own context), so the outputs do not depend on the overlap; the
  // stage times in the manifest are each job's own span and overlap.
  // Validation's discovery and holdout parts are reduced in the motif stage's own null phase (the draws are per
  // session), so the validation stage finishes them instead of mining them again (test/motifs-groups).
  const parts = validationParts(
    sessions,
    { splitDate: opts.splitDate, holdoutFraction: opts.holdoutFraction },
    opts.motifs,
  );
  // `run` writes no motif's session list, and families need the PROMOTE ones only (sessionLists: one entry per
  // motif and session holding it, tens of millions on months of bars); the controls use only PROMOTE ids too
  const motifsJob = stage('motifs', () =>
    mine(motifInput, {
      sessionLists: 'promote',
      ...opts.motifs,
      seed: opts.seed,
      onProgress: (p) => progress('motifs', p.done, p.total),
      ...(parts ? { groups: parts } : {}),
    }),
  );
  const controlsJob = stage('controls', async () => {
    const runs: (Omit<ControlReport['controls'][number], 'promotedIds'> & { promotedIds: string[] })[] = [];
    for (const control of opts.controls ?? DEFAULT_RUN_CONTROLS) {
      const run = await mine(applyControl(motifInput, control, opts.seed), {
        sessionLists: 'promote',
        ...opts.motifs,
        seed: opts.seed,
      });
      const promotedIds = run.results.filter((r) => r.class === 'PROMOTE').map((r) => r.id);
      runs.push({ control, ...motifCounts(run), promotedIds });
    }
    return runs;
  });
  // Too few sessions or trading days for a split: the report says validation was skipped and why; the run goes on.
  const validationJob = motifsJob.then((motifs) =>
    stage('validation', () =>
      validateOrSkip(sessions, runPartsMiner(motifs, opts.seed, dagMotifMiner(opts.motifs, mine)), {
        seed: opts.seed,
        splitDate: opts.splitDate,
        holdoutFraction: opts.holdoutFraction,
        rolling: opts.rolling ?? false,
      }),
    ),
  );
  const embeddings = embeddingTableFromSessions(
    sessions,
    discovered.map((d) => d.embeddings),
  );
  // the table the patterns cluster: same rows (sessions × events, in order) as the embeddings either way
  const patternsJob = (async () => {
    const patternTable =
      opts.patternFeatures === 'hand'
        ? embeddingTableFromSessions(sessions, handFeatureRows(sessions), N_NODE_FEATURES)
        : embeddings;
    const patterns = await stage('patterns', () => buildPatterns(patternTable, { seed: opts.seed }));
    const leakage = positionLeakage(patternTable, patterns.assign, patterns.k, {
      sessionStart: new Map(sessions.map((s) => [s.id, s.startT])),
    });
    opts.whileMining?.();
    return { patterns, leakage };
  })();
  // Settle every job before failing on one, so none is left running on the workers after an error.
  const jobs = [motifsJob, controlsJob, validationJob, patternsJob] as const;
  const failed = (await Promise.allSettled(jobs)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  const [minedWithParts, controlRuns, validation, { patterns, leakage }] = await Promise.all(jobs);
  // validation has finished its parts: their null sums and the sessions they read are not kept for the rest of the
  // run (the writing phase holds the result until the end)
  const { groupRuns: _parts, ...motifs } = minedWithParts;
  const controls: ControlReport = {
    nullModel: motifs.nullModels.join(', '),
    real: motifCounts(motifs),
    controls: controlRuns,
  };
  const confluence = await stage('confluence', () => {
    const bySession = patternsBySession(embeddings, patterns.assign);
    const frequency = Float64Array.from(patterns.patterns, (p) => p.share);
    // Occurrences of the PROMOTED motifs drive the confluence motif component.
    const promoted = motifs.results.filter((r) => r.class === 'PROMOTE');
    const hits = findMotifOccurrences(motifInput, promoted);
    const inputs = buildConfluenceInputs(sessions, {
      patternsBySession: bySession,
      motifs: { promotedIds: promoted.map((r) => r.id), hits },
    });
    return scoreConfluence({ sessions: inputs, patternFrequency: frequency });
  });
  // Stages overlap and finish in any order: list their times in pipeline order.
  timings.sort((a, b) => RUN_STAGES.indexOf(a.stage) - RUN_STAGES.indexOf(b.stage));
  return {
    discovered,
    motifs,
    embeddings,
    patterns,
    positionLeakage: leakage,
    confluence,
    validation: { ...validation, controls },
    timings,
    sessions,
    faults,
  };
}
