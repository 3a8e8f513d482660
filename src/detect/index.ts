/**
 * Bars → typed session events, causally: read and validate OHLCV bars, split them into sessions by a calendar,
 * and detect swings, liquidity sweeps, BOS/CHoCH, fair value gaps (+ redelivery/fill), phases and session
 * anchors, each event stamped with the time it became knowable.
 */
export {
  type Bars,
  allocBars,
  barsFromArrays,
  sliceBars,
  selectBars,
  parseTimeframe,
  formatTimeframe,
} from './bars.js';
export {
  type BarProblem,
  type RepairReport,
  type ValidateOptions,
  type ValidateResult,
  BarValidationError,
  validateBars,
  inferTimeframe,
} from './validate.js';
export {
  type SessionWindow,
  type SessionSegments,
  DEFAULT_CALENDAR,
  parseCalendar,
  segmentSessions,
} from './calendar.js';
export {
  type EventColumns,
  type DetectorName,
  type LabelName,
  type LevelTypeName,
  DETECTORS,
  LABELS,
  LEVEL_TYPES,
  mergeByBar,
} from './events.js';
export {
  type DetectParams,
  type DetectResult,
  DEFAULT_DETECT_PARAMS,
  detectEvents,
  resolveDetectParams,
} from './detect.js';
export { type SwingParams, DEFAULT_SWING_PARAMS, detectSwings } from './swings.js';
export { detectSwingSweeps } from './sweeps.js';
export { detectStructure } from './structure.js';
export { type FvgParams, DEFAULT_FVG_PARAMS, detectFvgs } from './fvg.js';
export { type PhaseParams, DEFAULT_PHASE_PARAMS, detectPhases } from './phases.js';
export { detectSessionAnchors, detectSessionSweeps, sessionExtremes, sessionEndT } from './session-levels.js';
export { wilderAtr } from './atr.js';
export {
  type BarsToSessionsOptions,
  type BarEventRaw,
  type BarSeriesIngest,
  barsToSessions,
  ingestBarSeries,
  levelKey,
} from './sessions.js';
export { ZoneClock, resolveZoneName } from './zone.js';
export * from './bars.js';
export * from './calendar.js';
export * from './sessions.js';
export * from './timestamp.js';
export * from './validate.js';
export * from './zone.js';
