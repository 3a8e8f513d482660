/** Test tables for the Parquet writers: one column of every type, and exact column comparison. */
import assert from 'node:assert/strict';
import { Rng } from '../../src/stats/random.js';
import type { Column } from '../../src/io/parquet.js';

/** One column of every type, `n` rows, seeded, with edge values in the first rows. */
export function allTypesTable(n: number, seed: number): Column[] {
  const rng = new Rng(seed);
  const u8 = new Uint8Array(n);
  const u32 = new Uint32Array(n);
  const i32 = new Int32Array(n);
  const i64 = new Float64Array(n);
  const f32 = new Float32Array(n);
  const f64 = new Float64Array(n);
  const str: string[] = [];
  const bool = new Uint8Array(n);
  const words = ['', 'NQ', 'ünïcödé', '東京', 'a,b;"c"', 'x'.repeat(300)];
  for (let i = 0; i < n; i++) {
    u8[i] = rng.int(256);
    u32[i] = rng.int(2 ** 32);
    i32[i] = rng.int(2 ** 32) - 2 ** 31;
    i64[i] = 1753804800000 + rng.int(2 ** 30) * (rng.int(2) ? 1 : -1);
    f32[i] = rng.normal();
    f64[i] = rng.normal() * 1e6;
    str.push(words[rng.int(words.length)] + (rng.int(3) === 0 ? String(i) : ''));
    bool[i] = rng.int(2);
  }
  if (n >= 4) {
    u8[0] = 255;
    u32[0] = 2 ** 32 - 1;
    i32[0] = -(2 ** 31);
    i32[1] = 2 ** 31 - 1;
    i64[0] = Number.MAX_SAFE_INTEGER;
    i64[1] = Number.MIN_SAFE_INTEGER;
    f32[0] = NaN;
    f32[1] = -0;
    f32[2] = Infinity;
    f64[0] = -Infinity;
    f64[1] = 5e-324;
  }
  return [
    { name: 'u8', type: 'uint8', values: u8 },
    { name: 'u32', type: 'uint32', values: u32 },
    { name: 'i32', type: 'int32', values: i32 },
    { name: 'i64', type: 'int64', values: i64 },
    { name: 'f32', type: 'float32', values: f32 },
    { name: 'f64', type: 'float64', values: f64 },
    { name: 'str', type: 'string', values: str },
    { name: 'flag', type: 'bool', values: bool },
  ];
}

/** Element-wise equality with Object.is (NaN equals NaN, −0 differs from +0). */
export function assertColumnsEqual(actual: Column[], expected: Column[]): void {
  assert.deepEqual(
    actual.map((c) => `${c.name}:${c.type}`),
    expected.map((c) => `${c.name}:${c.type}`),
  );
  for (let k = 0; k < expected.length; k++) {
    const a = actual[k].values as ArrayLike<unknown>;
    const e = expected[k].values as ArrayLike<unknown>;
    assert.equal(a.length, e.length, `column ${expected[k].name} length`);
    for (let i = 0; i < e.length; i++) {
      if (!Object.is(a[i], e[i]))
        assert.fail(`column ${expected[k].name} row ${i}: got ${String(a[i])}, expected ${String(e[i])}`);
    }
  }
}
