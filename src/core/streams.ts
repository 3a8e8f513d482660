/**
 * The registry of random streams: every `deriveSeed(seed, stream, …)` in ironforge names its stream here, so
 * two steps never draw from the same numbers by accident and a new step picks a free id in one place.
 *
 * A stream id is scoped by the seed it is derived from: ids under one root must differ, ids under different
 * roots may repeat (e.g. the validation's discovery miner gets `deriveSeed(seed, 1)` as its root seed, and the
 * nulls inside that miner derive from that root). Values are frozen: renumbering changes every output.
 */
export const STREAMS = {
  /** motifs: replicate r of session si of a null model draws from deriveSeed(seed, stream, r, si). */
  motifNull: { 'kind-shuffle': 1, 'time-jitter': 2, 'edge-swap': 3, 'group-shuffle': 4, 'edge-kind-swap': 5 },
  /** motifs: negative controls (controls.ts); session si of a control draws from deriveSeed(seed, stream, si). */
  motifControl: { 'kind-shuffle': 101, 'group-shuffle': 102, 'time-reverse': 103 },
  /** motifs: the bootstrap of the lift CI. */
  motifBootstrap: 99,
  /**
   * validation: formerly the root seeds of the discovery and holdout miners; retired (never reuse the numbers):
   * both now mine with the run's seed, their draws per session id, so the run reduces them in its null phase.
   */
  validationDiscovery: 1,
  validationHoldout: 2,
  /** validation: the seeded sample of PARK/DISCARD motifs re-tested as baselines (per class index). */
  validationBaselineSample: 3,
  /** validation: root seed of rolling-origin fold d (deriveSeed(seed, validationRollingFold, d)). */
  validationRollingFold: 4,
  /** patterns: the subsample of the silhouette when choosing k (k-means restarts use deriveSeed(seed, r)). */
  patternSubsample: 0x5eed,
  /** training: negative sampling of the scorer, validation tasks (per session i), epoch shuffles. */
  trainScorer: 0x5c0e,
  trainValidationTasks: 0x7a1,
  trainEpochShuffle: 0xe90c,
  /** training of the next-kind head: its Glorot init, the per-epoch session shuffle, the day bootstrap of the CI. */
  trainKindHead: 0x4d1,
  trainKindShuffle: 0x4d2,
  trainKindBootstrap: 0x4d3,
  /**
   * canary: the synthetic corpus (session i from deriveSeed(seed, canaryCorpus, i)), the bench sessions
   * (deriveSeed(seed, canaryBenchSession, L)), the TGAT weights. The generators of src/synthetic draw from the
   * seed or Rng their caller passes and derive no streams of their own.
   */
  canaryCorpus: 1,
  canaryBenchSession: 2,
  canaryWeights: 3,
  /** evaluate: the day-cluster bootstrap of the event-study CIs. */
  evaluateBootstrap: 0xe7a1,
  /** confluence: the day-clustered bootstrap of the calibrated score's Brier improvement over climatology. */
  confluenceBrierBootstrap: 0xca1b,
  /** evaluate: the day-clustered bootstrap of the feature-set ablation's loss differences. */
  ablationBootstrap: 0xab1a,
} as const;

/**
 * Indexed streams, derived as deriveSeed(seed, index): TGAT weight tensor k, k-means restart r, the clustering
 * seed of candidate k in select-k, and the per-epoch batch tasks deriveSeed(seed, epoch, i). Their indices
 * start at 0/1 under their own root seeds.
 */
export const INDEXED_STREAMS = ['tgat weight tensor', 'k-means restart', 'select-k candidate', 'epoch batch'];
