/**
 * Ground floor of the I/O wing: generic primitives that touch the file system — atomic writes, file reading with
 * actionable errors, Parquet encode/decode of typed column tables. No file format of ironforge lives here
 * (that is `store/`). See README.md.
 */
export * from './atomic.js';
export * from './read.js';
export * from './parquet.js';
export { wasmReloadCount, isWasmTrap, recoverFromTrap, parquetWasm } from './parquet-wasm.js';
export * from './parquet-wasm.js';
export { DIRECT_CREATED_BY } from './parquet-direct.js';
