/**
 * Out-of-sample validation: temporal split by date, re-test of promoted motifs on the holdout beside PARK/DISCARD
 * baselines, drift between the periods, rolling origin by trading day.
 */
export type {
  MineOptions,
  MotifClassName,
  MotifHit,
  MotifMiner,
  MotifMiningResult,
  MotifStat,
} from './miner.js';
export { temporalSplit, TooFewForSplitError, type SplitOptions, type TemporalSplit } from './split.js';
export {
  toJson,
  validateOrSkip,
  validateOutOfSample,
  type MotifValidation,
  type ValidationDone,
  type ValidationOptions,
  type ValidationReport,
  type ValidationSkipped,
} from './oos.js';
export * from './drift.js';
export * from './miner.js';
export * from './oos.js';
export * from './retest.js';
export * from './rolling.js';
export * from './split.js';
