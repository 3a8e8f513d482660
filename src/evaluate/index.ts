/**
 * Pure stage: what happens next. Causal signals at their knowable time, outcome labels from bars, matched
 * controls, walk-forward with purge and embargo, effects with day-clustered CIs and BH, the session-range
 * oracle and the causal calibrated confluence. See README.md.
 */
export * from './types.js';
export * from './days.js';
export * from './series.js';
export * from './walk-forward.js';
export * from './outcomes.js';
export * from './strata.js';
export * from './signals.js';
export * from './motif-families.js';
export * from './rules.js';
export * from './effects.js';
export * from './evaluate.js';
export * from './oracle.js';
export * from './records.js';
export * from './ablation.js';
