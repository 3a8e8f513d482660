/**
 * Phase 1, prepare: the run's settings (mode, preset, flags, thresholds, lengths, seed, sample directory), the
 * previous run for the regression table, the corpus (real sample, calibration, synthetic sessions, the
 * calibration check) and the benchmark inputs (one session per L, the TGAT runner, the timing options).
 */
import { join, resolve } from 'node:path';
import { packageRoot } from '../../app/index.js';
import { STREAMS } from '../../core/index.js';
import type { Session } from '../../session/index.js';
import { deriveSeed } from '../../stats/index.js';
import { readSessions } from '../../store/index.js';
import { calibrate, type Calibration } from '../../synthetic/index.js';
import { compareStats, sessionStats, type CalibrationCheckRow } from '../calibration-check.js';
import { parseFlags, type CanaryFlags } from '../flags.js';
import { thresholdsFor, type GateThresholds } from '../gates.js';
import { injectRunner, parseInjection, type Injection } from '../inject.js';
import { thresholdsFromEnv } from '../threshold-env.js';
import type { TimingOptions } from '../measure.js';
import { DEFAULT_SAMPLE_DIR, PRESETS, type CanaryOptions, type CanaryPreset } from '../options.js';
import { readBaseline } from '../regression.js';
import {
  BENCH_LENGTHS,
  JIT_WARMUP_ROUNDS,
  benchSession,
  syntheticCorpus,
  type CorpusSession,
} from '../scale.js';
import { createTgatRunner, type TgatRunner } from '../tgat-adapter.js';
import type { CanaryResult } from '../types.js';

/** Everything the phases read from the options, resolved and validated once. */
export interface CanarySettings {
  mode: 'standard' | 'strict';
  strict: boolean;
  preset: CanaryPreset;
  flags: CanaryFlags;
  flagSource: Record<keyof CanaryFlags, 'env' | 'default'>;
  thresholds: GateThresholds;
  /** Thresholds an environment variable set ("VAR=value"); empty when all are the mode's. */
  thresholdsFromEnv: string[];
  /** TEST-ONLY injected regressions (IRONFORGE_CANARY_INJECT), null in a real run. */
  inject: Injection | null;
  /** The package root (versions, git). */
  root: string;
  sampleDir: string;
  /** Benchmark lengths of the per-L tables. */
  L: number[];
  seed: number;
  /** Synthetic sessions asked for. */
  sessions: number;
  baselineFile: string | null;
  motif: { sizes: number[]; topK: number; rankBy: 'lift' | 'count' | 'z' };
}

/** Resolves the options; throws FlagError on a bad environment flag and an Error on a non-integer seed. */
export function resolveSettings(opts: CanaryOptions): CanarySettings {
  const mode = opts.strict ? 'strict' : 'standard';
  const preset: CanaryPreset = { ...PRESETS[mode], ...opts.preset };
  const env = opts.env ?? process.env;
  const { flags, source: flagSource } = parseFlags(env);
  const { thresholds, fromEnv } = thresholdsFromEnv(thresholdsFor(opts.strict), env);
  const inject = parseInjection(env);
  const root = packageRoot();
  const sampleDir = resolve(opts.sampleDir ?? join(root, DEFAULT_SAMPLE_DIR));
  const L = [...(opts.lengths ?? BENCH_LENGTHS)];
  const seed = opts.seed;
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${seed}`);
  return {
    mode,
    strict: opts.strict,
    preset,
    flags,
    flagSource,
    thresholds,
    thresholdsFromEnv: fromEnv,
    inject,
    root,
    sampleDir,
    L,
    seed,
    sessions: opts.sessions,
    baselineFile: opts.baselineFile,
    motif: { sizes: opts.motifSizes ?? [3], topK: opts.motifTopK ?? 10, rankBy: opts.motifRankBy ?? 'count' },
  };
}

/** The previous canary.json named by `--baseline`, or null without one. */
export async function readPreviousRun(baselineFile: string | null): Promise<CanaryResult | null> {
  return baselineFile ? await readBaseline(baselineFile) : null;
}

export interface Corpus {
  /** The real sample sessions. */
  real: Session[];
  cal: Calibration;
  /** The synthetic sessions in the scale mix. */
  synthetic: CorpusSession[];
  /** The calibration check of the synthetic sessions against the sample. */
  check: CalibrationCheckRow[];
  /** Synthetic, then real: what the pipeline phase runs over. */
  corpus: CorpusSession[];
}

/** Reads and calibrates on the real sample and generates the corpus; unreadable sample files become notes. */
export async function loadCorpus(s: CanarySettings, notes: string[]): Promise<Corpus> {
  const ingest = await readSessions([s.sampleDir]);
  const real = ingest.sessions;
  if (real.length === 0)
    throw new Error(
      `no sessions could be read from ${s.sampleDir}${ingest.failures[0] ? `: ${ingest.failures[0].error}` : ''}`,
    );
  if (ingest.failures.length)
    notes.push(
      `${ingest.failures.length} sample file(s) could not be read: ${ingest.failures.map((f) => f.file).join(', ')}`,
    );
  const cal = calibrate(real);
  const synthetic = syntheticCorpus(cal, s.sessions, s.seed);
  const check = compareStats(sessionStats(real), sessionStats(synthetic.map((c) => c.session)));
  const corpus: CorpusSession[] = [
    ...synthetic,
    ...real.map((session) => ({ session, category: 'real' as const })),
  ];
  return { real, cal, synthetic, check, corpus };
}

/** The inputs of the per-L tables. */
export interface Bench {
  L: number[];
  /** The synthetic session of exactly L[i] events. */
  sessions: Session[];
  tgat: TgatRunner;
  /** Every kernel of the runner, `reference` and `auto` included. */
  kernelNames: string[];
  timing: TimingOptions;
  /** The timing options at L[i]: the first L also pays for JIT compilation, so it gets more warm-up. */
  timingAt: (i: number) => TimingOptions;
}

export function prepareBench(s: CanarySettings, cal: Calibration): Bench {
  const tgat = injectRunner(createTgatRunner(deriveSeed(s.seed, STREAMS.canaryWeights)), s.inject);
  const timing = { warmup: s.preset.warmup, trials: s.preset.trials };
  return {
    L: s.L,
    sessions: s.L.map((l) => benchSession(cal, l, s.seed)),
    tgat,
    kernelNames: [...tgat.kernelNames],
    timing,
    // The first L of each table also pays for JIT compilation of the code under test (measured: the Parquet
    // encoder's first calls are ~10× slower), so it gets JIT_WARMUP_ROUNDS more discarded rounds.
    timingAt: (i) => (i === 0 ? { ...timing, warmup: timing.warmup + JIT_WARMUP_ROUNDS } : timing),
  };
}
