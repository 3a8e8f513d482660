import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyWasmEnv } from '../src/tgat/wasm-env.js';
import { setWasmEnabled, wasmAvailable, wasmLoadError } from '../src/tgat/wasm/runtime.js';

test('IRONFORGE_TGAT_WASM is applied through setWasmEnabled, not read by the runtime', (t) => {
  if (wasmLoadError() !== null) return t.skip('wasm unavailable');
  try {
    applyWasmEnv({ IRONFORGE_TGAT_WASM: ' False ' });
    assert.equal(wasmAvailable(), false);
    applyWasmEnv({ IRONFORGE_TGAT_WASM: '1' });
    assert.equal(wasmAvailable(), true);
    applyWasmEnv({ IRONFORGE_TGAT_WASM: '0' });
    applyWasmEnv({});
    assert.equal(wasmAvailable(), true, 'unset means enabled');
    assert.throws(
      () => applyWasmEnv({ IRONFORGE_TGAT_WASM: 'yes' }),
      /IRONFORGE_TGAT_WASM must be true\/false\/1\/0, got 'yes'/,
    );
    setWasmEnabled(false);
    assert.equal(wasmAvailable(), false);
  } finally {
    setWasmEnabled(true);
  }
});
