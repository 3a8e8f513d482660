/**
 * The I/O wing: every file format ironforge reads or writes — enhanced session JSON, `ironforge-session/v1`
 * files, OHLCV bars (CSV/Parquet), Parquet shards in the original schema, embeddings, TGAT weights, the
 * dashboard file and the run directory. Built on the generic primitives of `io/`. See README.md.
 */
export * from './sessions.js';
export * from './bars.js';
export { BarCsvReader, type BarCsvReaderOptions, parseBarsCsvBytes } from './bars-csv.js';
export * from './record-bars.js';
export * from './session-json.js';
export * from './shard.js';
export * from './session-shard.js';
export * from './embeddings.js';
export * from './weights.js';
export * from './dashboard.js';
export * from './auto-table.js';
export * from './run-tables.js';
export * from './run-dir.js';
export * from './canary.js';
export * from './evaluation.js';
export * from './heads.js';
export * from './typed-bytes.js';
export * from './stage-cache.js';
