/** What a caller of `runCanary` chooses: the mode's measurement effort, the corpus, the inputs, the hooks. */

/** Measurement effort of a mode. */
export interface CanaryPreset {
  /** Timed calls per configuration in the per-L tables, after `warmup` discarded calls. */
  trials: number;
  warmup: number;
  /** Timed pipeline runs per session and configuration (after one warm-up pass). */
  pipelineTrials: number;
  /** Null replicates per motif-mining run. */
  nulls: number;
  /** Null seeds for motif stability (a prefix of STABILITY_SEEDS, core/defaults.ts). */
  motifSeeds: number;
  /** Bootstrap replicates of each mining run (the CI is not used by the gate). */
  bootstrap: number;
}

/** Sized so that the default run takes a few minutes on 2 cores; strict follows the original's strict preset. */
export const PRESETS: Record<'standard' | 'strict', CanaryPreset> = {
  standard: { trials: 5, warmup: 2, pipelineTrials: 3, nulls: 1000, motifSeeds: 3, bootstrap: 100 },
  strict: { trials: 10, warmup: 3, pipelineTrials: 5, nulls: 10_000, motifSeeds: 10, bootstrap: 100 },
};

export interface CanaryOptions {
  sessions: number;
  strict: boolean;
  seed: number;
  /** Previous canary.json for the regression table. */
  baselineFile: string | null;
  /** Directory of real session JSON (default: the bundled sample). */
  sampleDir?: string;
  /** Environment to read the flags from (default process.env). */
  env?: Record<string, string | undefined>;
  /** Overrides of the preset. */
  preset?: Partial<CanaryPreset>;
  /** Benchmark lengths (default 128/256/512/1024). */
  lengths?: number[];
  motifSizes?: number[];
  motifRankBy?: 'lift' | 'count' | 'z';
  motifTopK?: number;
  /** Phase start and per-phase progress (for a progress bar). */
  onPhase?: (name: string, total: number) => void;
  onProgress?: (done: number) => void;
  /** Clock for createdAt (tests). */
  now?: () => Date;
}

/** The bundled sample, relative to the package root (the default of `sampleDir`). */
export const DEFAULT_SAMPLE_DIR = 'data/sample/enhanced';
