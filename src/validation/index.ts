/** Out-of-sample validation: temporal split by date and re-test of promoted motifs on the holdout. */
export type {
  MineOptions,
  MotifClassName,
  MotifHit,
  MotifMiner,
  MotifMiningResult,
  MotifStat,
} from './miner.js';
export { temporalSplit, type SplitOptions, type TemporalSplit } from './split.js';
export {
  toJson,
  validateOutOfSample,
  type MotifValidation,
  type ValidationOptions,
  type ValidationReport,
} from './oos.js';
export * from './miner.js';
export * from './oos.js';
export * from './split.js';
