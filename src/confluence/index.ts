/** Confluence: a documented 0–100 score per session and time window from configurable component weights. */
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
export * from './score.js';
export * from './weights.js';
