/** Features stage: per-node (45) and per-edge (20) named feature matrices, standardized per session. */
export * from './types.js';
export * from './standardize.js';
export * from './context.js';
export * from './node.js';
export * from './edge.js';
