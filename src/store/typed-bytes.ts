/**
 * Typed bytes: a value made of plain objects, arrays, strings, numbers, booleans, null and typed arrays, as one
 * byte string and back — bit for bit (NaN, ±Infinity and −0 survive; typed arrays keep their class and bytes).
 *
 * Why not JSON or the queue's codec (scale/codec.ts, base64 inside JSON): a cache entry of a session holds
 * mostly Float32/Int32 arrays, and base64 costs a third more bytes and a pass over every byte. Here the
 * skeleton is JSON and the arrays' bytes follow it raw, 8-byte aligned, so decoding is one copy per array.
 *
 *   bytes 0..7   magic "IFGTV002"
 *   bytes 8..11  skeleton length L (uint32 LE)
 *   bytes 12..   skeleton: UTF-8 JSON {"v": value, "m": [path of every marker]}; a typed array is the marker
 *                {"$ta": class, "o": offset, "n": byteLength} into the blob, a non-finite or negative-zero
 *                number {"$num": "NaN" | "Infinity" | …}, a bigint {"$big": digits}
 *   then         zero padding to a multiple of 8, then the blob (every array's bytes, each 8-aligned)
 */

import { TYPED_ARRAYS, type TypedArrayName } from '../core/index.js';

const MAGIC = 'IFGTV002';

const TYPED = TYPED_ARRAYS;
type TypedName = TypedArrayName;

const pad8 = (n: number) => (n + 7) & ~7;

/** A path from the root to a value: object keys and array indices. */
type Path = (string | number)[];

/**
 * Encodes `value` (see the module comment for what it may hold); throws naming the key of anything else.
 * The skeleton is `{"v": value, "m": paths}` where `m` lists the path of every marker (typed array, special
 * number), so that decoding is one plain JSON.parse plus a visit of those paths only — a reviver (called for
 * every key of every object) costs 5× the parse on a day of sessions.
 */
export function encodeTypedBytes(value: unknown): Uint8Array {
  const parts: Uint8Array[] = [];
  let blobLength = 0;
  const markers: Path[] = [];
  // the path of every object or array the stringifier walks into (parents are visited before children)
  const pathOf = new WeakMap<object, Path>();
  const skeleton = JSON.stringify(value, function (this: object, key: string, v: unknown) {
    // the first call's holder is JSON.stringify's own wrapper, not in the map: that value is the root
    const holderPath = pathOf.get(this);
    const here = holderPath ? [...holderPath, Array.isArray(this) ? Number(key) : key] : [];
    const mark = (m: unknown) => {
      markers.push(here);
      return m;
    };
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return mark({ $num: 'NaN' });
      if (v === Infinity) return mark({ $num: 'Infinity' });
      if (v === -Infinity) return mark({ $num: '-Infinity' });
      if (Object.is(v, -0)) return mark({ $num: '-0' });
      return v;
    }
    if (typeof v === 'bigint') return mark({ $big: v.toString() });
    if (v instanceof DataView || v instanceof ArrayBuffer || v instanceof Map || v instanceof Set)
      // JSON would write these as {} and lose them silently
      throw new Error(`typed bytes: cannot encode ${v.constructor.name} at key "${key}"`);
    if (ArrayBuffer.isView(v)) {
      const name = v.constructor.name;
      if (!(name in TYPED)) throw new Error(`typed bytes: cannot encode ${name} at key "${key}"`);
      const o = blobLength;
      parts.push(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      blobLength = pad8(o + v.byteLength);
      return mark({ $ta: name, o, n: v.byteLength });
    }
    if (v !== null && typeof v === 'object') pathOf.set(v, here);
    return v;
  });
  if (skeleton === undefined) throw new Error('typed bytes: the value is not encodable (undefined)');
  const head = Buffer.from(`{"v":${skeleton},"m":${JSON.stringify(markers)}}`, 'utf8');
  const blobStart = pad8(12 + head.length);
  const out = new Uint8Array(blobStart + blobLength);
  out.set(Buffer.from(MAGIC, 'latin1'), 0);
  new DataView(out.buffer).setUint32(8, head.length, true);
  out.set(head, 12);
  let at = blobStart;
  for (const p of parts) {
    out.set(p, at);
    at = blobStart + pad8(at - blobStart + p.length);
  }
  return out;
}

/** Inverse of `encodeTypedBytes`; throws on bytes that are not typed bytes (wrong magic, lengths, offsets). */
export function decodeTypedBytes<T>(bytes: Uint8Array): T {
  if (bytes.length < 12 || Buffer.from(bytes.buffer, bytes.byteOffset, 8).toString('latin1') !== MAGIC)
    throw new Error('typed bytes: bad magic (not an ironforge typed-bytes value)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headLength = view.getUint32(8, true);
  if (12 + headLength > bytes.length)
    throw new Error(`typed bytes: skeleton of ${headLength} bytes overruns ${bytes.length} bytes`);
  const head = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 12, headLength).toString('utf8')) as {
    v: unknown;
    m: Path[];
  };
  if (!head || !Array.isArray(head.m)) throw new Error('typed bytes: skeleton without its marker list');
  const blobStart = pad8(12 + headLength);
  const holder: Record<string | number, unknown> = { '': head.v };
  for (const path of head.m) {
    // walk to the marker's parent; the root itself is a marker when the path is empty
    let parent: Record<string | number, unknown> = holder;
    let key: string | number = '';
    for (const step of path) {
      parent = parent[key] as Record<string | number, unknown>;
      key = step;
      if (parent === null || typeof parent !== 'object')
        throw new Error(`typed bytes: marker path ${JSON.stringify(path)} does not exist`);
    }
    parent[key] = unmark(parent[key], bytes, blobStart);
  }
  return holder[''] as T;
}

function unmark(v: unknown, bytes: Uint8Array, blobStart: number): unknown {
  const o = (v ?? {}) as Record<string, unknown>;
  if (typeof o.$num === 'string') return o.$num === '-0' ? -0 : Number(o.$num);
  if (typeof o.$big === 'string') return BigInt(o.$big);
  if (typeof o.$ta === 'string' && typeof o.o === 'number' && typeof o.n === 'number') {
    const Ctor = TYPED[o.$ta as TypedName];
    if (!Ctor) throw new Error(`typed bytes: unknown typed array "${o.$ta}"`);
    const from = blobStart + o.o;
    if (from + o.n > bytes.length || o.n % Ctor.BYTES_PER_ELEMENT !== 0)
      throw new Error(`typed bytes: ${o.$ta} of ${o.n} bytes at ${o.o} overruns the blob`);
    // a copy into its own buffer: aligned, and independent of the entry's bytes
    const own = new ArrayBuffer(o.n);
    new Uint8Array(own).set(bytes.subarray(from, from + o.n));
    return new Ctor(own);
  }
  throw new Error(`typed bytes: a marker path leads to ${JSON.stringify(v)}, not a marker`);
}
