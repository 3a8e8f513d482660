/** Shared body of the TGAT parity test files: every kernel on both backends against the float64 reference. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  HALF_PARITY_BOUND,
  KERNEL_NAMES,
  TgatEncoder,
  createWeights,
  wasmAvailable,
} from '../../src/tgat/index.js';
import type { TgatConfig } from '../../src/tgat/index.js';
import { hasWasmVariant } from '../../src/tgat/kernels/registry.js';
import { maxAbsDiff, tgatFixture, windowKnnDag } from './tgat-fixtures.js';

export const PARITY = 5e-7;

export interface ParityCase {
  n: number;
  dag: boolean;
  config?: Partial<TgatConfig>;
  label?: string;
}

/** Register one test per case: reference once, then every kernel × backend compared on the embeddings. */
export function parityTests(cases: ParityCase[]): void {
  for (const c of cases) {
    const label = c.label ?? `${c.dag ? 'DAG-masked' : 'causal'} L=${c.n}`;
    test(`every kernel matches reference within 5e-7 max-abs: ${label}`, () => {
      const weights = createWeights(c.config ?? {}, 42);
      const f = tgatFixture(c.n, 7000 + c.n + (c.dag ? 1 : 0));
      const input = { ...f, dag: c.dag ? windowKnnDag(f.t) : null };
      const ts = new TgatEncoder(weights, { config: c.config, backend: 'ts' });
      const ref = new Float64Array(c.n * ts.config.hidden);
      ts.encode(input, 'reference', { out: ref, topM: false });
      for (let i = 0; i < ref.length; i++)
        assert.ok(Number.isFinite(ref[i]), 'reference output must be finite');
      const encoders = [ts];
      if (wasmAvailable()) encoders.push(new TgatEncoder(weights, { config: c.config, backend: 'wasm' }));
      const seen: string[] = [];
      for (const kernel of KERNEL_NAMES) {
        if (kernel === 'reference') continue;
        for (const enc of encoders) {
          const concrete = enc.kernelFor(kernel, c.n, c.dag);
          if (enc === encoders[1] && !hasWasmVariant(concrete.name)) continue; // same TS kernel as above
          const r = enc.encode(input, kernel, { topM: false });
          const err = maxAbsDiff(ref, r.embeddings);
          const bound = concrete.name === 'half' ? HALF_PARITY_BOUND : PARITY;
          assert.ok(
            err <= bound,
            `${kernel} (${r.kernel}/${r.backend}) max-abs ${err.toExponential(3)} > ${bound} at ${label}`,
          );
          if (concrete.name === 'half')
            assert.ok(err > 0, 'half must differ from reference (it stores fp16)');
          seen.push(`${kernel}/${r.backend}`);
        }
      }
      assert.ok(seen.length >= 6, `ran ${seen.join(', ')}`);
    });
  }
}
