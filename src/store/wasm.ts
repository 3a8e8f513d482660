/**
 * The one place that loads parquet-wasm.
 *
 * parquet-wasm 0.8 ships a Node build (`parquet-wasm/node`, CommonJS) that instantiates its WebAssembly module
 * synchronously at import time; the package's `node` export condition selects it for a bare
 * `import 'parquet-wasm'`. Importing the `node` entry explicitly keeps the choice visible and independent of
 * bundler conditions. Everything else in ironforge imports parquet-wasm through this module only, so a future
 * swap (another build, another library) touches one file.
 */
import * as parquetWasm from 'parquet-wasm/node';

export const pq = parquetWasm;

/** Parquet codec names (as DuckDB / pyarrow print them) by parquet-wasm's `Compression` code. */
export const CODEC_NAMES: Readonly<Record<number, string>> = {
  0: 'UNCOMPRESSED',
  1: 'SNAPPY',
  2: 'GZIP',
  3: 'BROTLI',
  4: 'LZ4',
  5: 'ZSTD',
  6: 'LZ4_RAW',
  7: 'LZO',
};
