/**
 * The one place that loads parquet-wasm.
 *
 * parquet-wasm 0.8 ships a Node build (`parquet-wasm/node`, CommonJS) that instantiates its WebAssembly module
 * synchronously when first required (the package's `node` export condition would also pick it for a bare
 * `'parquet-wasm'`; naming the entry keeps the choice explicit). Everything else in ironforge reaches
 * parquet-wasm through {@link parquetWasm} only, so a swap of build or library touches one file.
 *
 * Recovery: a Rust panic inside the decoder (seen on some corrupted files) surfaces as a
 * `WebAssembly.RuntimeError` ("unreachable") and may leave that instance's memory inconsistent. After such a
 * trap {@link recoverFromTrap} drops the module from the require cache and instantiates a fresh copy, so one
 * bad file cannot poison the reads that follow it in a batch.
 */
import { createRequire } from 'node:module';

export type ParquetWasm = typeof import('parquet-wasm/node');
export type { WriterProperties } from 'parquet-wasm/node';

const MODULE_ID = 'parquet-wasm/node';
const requireCjs = createRequire(import.meta.url);

let current = requireCjs(MODULE_ID) as ParquetWasm;
let reloads = 0;

/** The live parquet-wasm module (re-instantiated after a trap; do not cache it across calls). */
export function parquetWasm(): ParquetWasm {
  return current;
}

/** True when `err` is a WebAssembly trap (a panic in the Rust code), not an ordinary decode error. */
export function isWasmTrap(err: unknown): boolean {
  // WebAssembly is a Node global, but the project's `lib` setting does not declare it.
  const wa = (globalThis as unknown as { WebAssembly?: { RuntimeError: abstract new () => Error } })
    .WebAssembly;
  return wa !== undefined && err instanceof wa.RuntimeError;
}

/** After a trap, replace the wasm instance by a fresh one. Ordinary errors are left alone. */
export function recoverFromTrap(err: unknown): void {
  if (!isWasmTrap(err)) return;
  delete requireCjs.cache[requireCjs.resolve(MODULE_ID)];
  current = requireCjs(MODULE_ID) as ParquetWasm;
  reloads += 1;
}

/** How many times the wasm instance was replaced after a trap (for tests and `doctor`). */
export function wasmReloadCount(): number {
  return reloads;
}

/** Parquet codec name ('ZSTD', 'SNAPPY', 'UNCOMPRESSED', ...) of a parquet-wasm `Compression` code. */
export function codecName(code: number): string {
  return (current.Compression as unknown as Record<number, string>)[code] ?? `codec#${code}`;
}

/** Parquet encoding name ('PLAIN', 'RLE_DICTIONARY', ...) of a parquet-wasm `Encoding` code (arrow-rs order). */
export function encodingName(code: number): string {
  return (current.Encoding as unknown as Record<number, string>)[code] ?? `encoding#${code}`;
}
