/** The canary (SPEC stage 10): the release benchmark's library surface. */
export {
  runCanary,
  PRESETS,
  DEFAULT_SAMPLE_DIR,
  TUNED_ROW_GROUP,
  type CanaryOptions,
  type CanaryPreset,
} from './run.js';
export { renderMarkdown, categoryStatus } from './report-md.js';
export {
  parseFlags,
  enabledKernel,
  enabledDagBuilder,
  enabledCompression,
  flagsAsExports,
  DEFAULT_FLAGS,
  FLAG_ENV,
  FlagError,
  type CanaryFlags,
  type FlashMode,
} from './flags.js';
export {
  evaluateGates,
  exitCodeFor,
  verdict,
  thresholdsFor,
  coefficientOfVariation,
  DEFAULT_THRESHOLDS,
  STRICT_THRESHOLDS,
  type GateFigures,
  type GateResult,
  type GateThresholds,
  type CanaryVerdict,
} from './gates.js';
export {
  sessionStats,
  compareStats,
  ksDistance,
  CALIBRATION_TOLERANCES,
  type CalibrationCheckRow,
  type SessionStats,
} from './calibration-check.js';
export { SCALE_CATEGORIES, BENCH_LENGTHS, categoryCounts, syntheticCorpus, benchSession } from './scale.js';
export { compareRuns, readBaseline, parseBaseline, configDifferences } from './regression.js';
export { CANARY_SCHEMA, type CanaryResult, type Chart, type ChartSeries } from './types.js';
export * from './flags.js';
export * from './format.js';
export * from './report-md.js';
export * from './run.js';
export * from './options.js';
export * from './types.js';
