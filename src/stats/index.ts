/** Statistics used by motif mining and validation: seeded randomness, p-values, FDR, bootstrap, classes. */
export { Rng, deriveSeed } from './random.js';
export { benjaminiHochberg, benjaminiHochbergReference } from './multiple.js';
export { lift, zScore, empiricalP } from './pvalue.js';
export { bootstrapRatioCI, quantileSorted, type RatioBootstrapInput } from './bootstrap.js';
export {
  classifyMotif,
  resolveThresholds,
  DEFAULT_THRESHOLDS,
  type ClassThresholds,
  type MotifClass,
} from './classify.js';
export * from './bootstrap.js';
export * from './classify.js';
export * from './multiple.js';
export * from './pvalue.js';
export * from './random.js';
export * from './tail.js';
export * from './exact-bootstrap.js';
export * from './student-t.js';
export * from './day-mean.js';
export * from './median.js';
export * from './count-moments.js';
