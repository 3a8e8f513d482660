export * from './enhanced.js';
export * from './errors.js';
export * from './filename.js';
export * from './summary.js';
export * from './time.js';
export * from './types.js';
