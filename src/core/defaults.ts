/**
 * Every default a user can change, written once. The CLI's flags, `RunConfig` (app/run-config.ts) and the stages'
 * option defaults all read these; a changed default changes everywhere at once.
 */

/** Seed of every random step (weights, nulls, bootstrap, clustering, splits) when none is given. */
export const DEFAULT_SEED = 42;

/** Seeds of the strict stability studies (motif classes across seeds); the first is DEFAULT_SEED. */
export const STABILITY_SEEDS: readonly number[] = [
  DEFAULT_SEED,
  1337,
  9999,
  2025,
  8765,
  3141,
  2718,
  1618,
  1234,
  5678,
];

/** Motif sizes mined by `run` and `motifs`. */
export const DEFAULT_MOTIF_SIZES: readonly number[] = [3, 4, 5];

/** Null replicates per null model. */
export const DEFAULT_NULLS = 1000;

/**
 * Null model of `run`, `motifs` and mining: co-timed groups permuted as units within (size, source sequence,
 * session phase) strata, so the recording format itself cannot reject the null (src/motifs/nulls.ts).
 */
export const DEFAULT_NULL_MODEL = 'group-shuffle';

/** Attention kernel (`auto` picks from the measured table). */
export const DEFAULT_KERNEL = 'auto';

/** The runs directory (`run --out`, `status --runs`, the canary's home). */
export const DEFAULT_RUNS_DIR = 'runs';

/** Time zone of bar timestamps that carry no offset. */
export const DEFAULT_BAR_ZONE = 'America/New_York';

/** Confluence window, minutes. */
export const DEFAULT_WINDOW_MINUTES = 15;

/** Nearest moments returned by `similar`. */
export const DEFAULT_SIMILAR_K = 5;

/** Seed bounds: a seed is a signed 32-bit integer (the one rule every `--seed` uses). */
export const SEED_MIN = -(2 ** 31 - 1);
export const SEED_MAX = 2 ** 31 - 1;

/** Validation: FDR level at which a re-tested motif "replicates" on the holdout. */
export const DEFAULT_VALIDATION_ALPHA = 0.05;

/** Validation: PARK and DISCARD motifs re-tested on the holdout as replication baselines (seeded sample, per class). */
export const DEFAULT_BASELINE_SAMPLE = 300;

/** Validation: trading days always in discovery before the first rolling-origin fold (`--rolling`). */
export const DEFAULT_ROLLING_MIN_DAYS = 3;

/** Drift: a section whose share of sessions having it differs between two periods by more than this is named. */
export const DRIFT_PRESENCE_THRESHOLD = 0.5;

/** Drift: a Jensen–Shannon divergence (log 2, in [0, 1]) of kind or section mix above this is named. */
export const DRIFT_JSD_THRESHOLD = 0.1;

/** Ingest: a section present in more than this share of sessions is expected; sessions lacking it are named. */
export const COVERAGE_MAJORITY = 0.5;

/**
 * Ingest: the largest session JSON file read (bytes), checked with `stat` before reading. Real enhanced records
 * are under 1 MB; a file far larger is refused with its size and this limit (`ingest --max-bytes` raises it).
 */
export const DEFAULT_SESSION_MAX_BYTES = 64 * 1024 * 1024;

/** evaluate: forward horizons in minutes (plus the session close and the session-level event outcomes). */
export const DEFAULT_EVAL_HORIZONS: readonly (number | 'close' | 'session')[] = [
  5,
  15,
  30,
  60,
  'close',
  'session',
];

/** evaluate: a cell is tested only with at least this many occurrences on at least DEFAULT_EVAL_MIN_DAYS days. */
export const DEFAULT_EVAL_MIN_OCCURRENCES = 20;
export const DEFAULT_EVAL_MIN_DAYS = 5;

/** evaluate: an occurrence needs at least this many other bars in its stratum to have a matched control. */
export const DEFAULT_EVAL_MIN_CONTROL = 5;

/** evaluate: the matched-control pool is the test block plus this many trading days before it (recent regime). */
export const DEFAULT_EVAL_CONTROL_DAYS = 20;

/** evaluate: BH level over signals × horizons × outcomes, and the CI level. */
export const DEFAULT_EVAL_FDR = 0.1;
export const DEFAULT_EVAL_LEVEL = 0.95;

/** evaluate: day-cluster bootstrap replicates (≤ 9 days: exact enumeration instead). */
export const DEFAULT_EVAL_REPLICATES = 999;

/** evaluate: the session-range oracle's cut (first minutes of a session) and nominal interval coverage. */
export const DEFAULT_ORACLE_MINUTES = 30;
export const DEFAULT_ORACLE_COVERAGE = 0.9;
