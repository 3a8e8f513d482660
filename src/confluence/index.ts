/**
 * Confluence: a documented, causal 0–100 score per session and time window from configurable component weights
 * (descriptive), and its walk-forward calibration into a probability of a stated outcome (calibrate.ts).
 */
export {
  CONFLUENCE_COMPONENTS,
  DEFAULT_CONFLUENCE_CONFIG,
  DEFAULT_CONFLUENCE_WEIGHTS,
  parseWeights,
  resolveConfluenceConfig,
  type ConfluenceComponent,
  type ConfluenceConfig,
  type ConfluenceWeights,
  type HtfReference,
} from './weights.js';
export {
  COMPONENT_DOCS,
  combineScore,
  directionAgreement,
  directionOf,
  saturatingRatio,
} from './components.js';
export {
  buildConfluenceInputs,
  confluenceSessionColumns,
  confluenceStats,
  confluenceWindowColumns,
  scoreConfluence,
  type BuildInputsOptions,
  type ComponentValues,
  type ConfluenceBatchInput,
  type ConfluenceResult,
  type ConfluenceSessionRow,
  type ConfluenceWindowRow,
  type SessionConfluenceInput,
} from './score.js';
export {
  CONFLUENCE_HORIZON_MINUTES,
  CONFLUENCE_OUTCOME,
  LOGISTIC_RIDGE,
  NOT_ENOUGH_HISTORY,
  NO_TRADING_DAY,
  calibrateConfluence,
  calibrateWalkForward,
  confluenceWindowLabels,
  fitIsotonic,
  fitLogistic,
  medianMoveLabeler,
  reliabilityTable,
  type BrierSummary,
  type CalibratedWindowRow,
  type CalibrationInput,
  type CalibrationMethod,
  type CalibrationOptions,
  type CalibrationResult,
  type Calibrator,
  type ConfluenceCalibration,
  type ConfluenceWindowLabels,
  type FoldFit,
  type FoldLabeler,
  type ReliabilityBin,
} from './calibrate.js';
export * from './score.js';
export * from './weights.js';
