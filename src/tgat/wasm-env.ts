/**
 * IRONFORGE_TGAT_WASM: true | false | 1 | 0 (case-insensitive, trimmed; unset or empty = on). `0`/`false`
 * turns the WebAssembly SIMD backend of src/tgat off, so every caller takes the TypeScript path.
 *
 * Stages never read the environment; the entry points (the CLI, worker threads and processes, benches) call
 * `applyWasmEnv(process.env)` once at startup, which sets the module switch in src/tgat/wasm/runtime.ts.
 */
import { setWasmEnabled } from './index.js';

/** Parse IRONFORGE_TGAT_WASM from `env` and apply it; throws on a value other than true/false/1/0. */
export function applyWasmEnv(env: Record<string, string | undefined>): void {
  const flag = env.IRONFORGE_TGAT_WASM;
  if (flag === undefined || flag === '') {
    setWasmEnabled(true);
    return;
  }
  const v = flag.trim().toLowerCase();
  if (v === '0' || v === 'false') setWasmEnabled(false);
  else if (v === '1' || v === 'true') setWasmEnabled(true);
  else throw new Error(`IRONFORGE_TGAT_WASM must be true/false/1/0, got '${flag}'`);
}
