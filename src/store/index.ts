/** Storage stage: atomic writes, generic typed Parquet tables, session shards in the original schema. */
export * from './atomic.js';
export * from './parquet.js';
export * from './shard.js';
export * from './synthetic-shard.js';
export { wasmReloadCount } from './wasm.js';
