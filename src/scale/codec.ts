/**
 * JSON encoding that keeps what structured clone keeps and JSON loses: typed arrays (as base64 of their
 * bytes), NaN, ±Infinity and −0. Queue jobs, their results and run contexts travel through Redis this way, so
 * a distributed run sees bit-identical inputs and returns bit-identical arrays.
 */
import { TYPED_ARRAYS, type TypedArrayName } from '../core/index.js';

const TYPED = TYPED_ARRAYS;
type TypedName = TypedArrayName;

function replacer(this: unknown, key: string, value: unknown): unknown {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return { $num: 'NaN' };
    if (value === Infinity) return { $num: 'Infinity' };
    if (value === -Infinity) return { $num: '-Infinity' };
    if (Object.is(value, -0)) return { $num: '-0' };
    return value;
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const name = value.constructor.name;
    if (!(name in TYPED)) throw new Error(`codec: cannot encode ${name} at key "${key}"`);
    return {
      $ta: name,
      b64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'),
    };
  }
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if (typeof o.$num === 'string' && Object.keys(o).length === 1)
      return Number(o.$num === '-0' ? -0 : o.$num);
    if (typeof o.$ta === 'string' && typeof o.b64 === 'string' && Object.keys(o).length === 2) {
      const Ctor = TYPED[o.$ta as TypedName];
      if (!Ctor) throw new Error(`codec: unknown typed array "${o.$ta}"`);
      const bytes = Buffer.from(o.b64, 'base64');
      const ab = new ArrayBuffer(bytes.length);
      new Uint8Array(ab).set(bytes);
      return new Ctor(ab);
    }
  }
  return value;
}

/** Encode a value (plain objects, arrays, numbers, strings, typed arrays) as a JSON string. */
export function encodeValue(v: unknown): string {
  return JSON.stringify(v, replacer);
}

/** Inverse of `encodeValue`. */
export function decodeValue<T>(s: string): T {
  return JSON.parse(s, reviver) as T;
}
