/**
 * The ground floor: values every ring shares and nothing else — defaults, the registry of random streams,
 * the injected clock type, typed column tables, the in-memory shard shape. Pure; imports nothing. See README.md.
 */
export * from './defaults.js';
export * from './streams.js';
export * from './clock.js';
export * from './table.js';
export * from './errors.js';
export * from './shard.js';
export * from './typed-arrays.js';
