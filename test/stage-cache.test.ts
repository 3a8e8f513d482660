/**
 * The stage cache (store/stage-cache.ts) and its typed bytes (store/typed-bytes.ts): values come back bit for
 * bit, and an entry that is torn, truncated, altered or of another key is detected and reported as absent —
 * recomputed, never trusted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile, copyFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  contentKey,
  decodeTypedBytes,
  encodeTypedBytes,
  StageCache,
  typedBytesCodec,
  typedStage,
} from '../src/store/index.js';

const value = () => ({
  name: 'NY_AM_2025-07-29',
  specials: [NaN, Infinity, -Infinity, -0, 0, 1.5e-300],
  big: 12345678901234567890n,
  nested: { x: Float32Array.of(1.5, NaN, -0), idx: Int32Array.of(-1, 2, 3), empty: new Float64Array(0) },
  // a view into a larger buffer at an odd offset: only its own bytes travel
  view: new Uint8Array(Uint8Array.of(9, 8, 7, 6, 5).buffer, 1, 3),
  wide: Float64Array.of(Math.PI, -Number.MAX_VALUE),
  list: ['a', null, true],
});

test('typed bytes: every number, typed array class and byte comes back', () => {
  const v = value();
  const back = decodeTypedBytes<ReturnType<typeof value>>(encodeTypedBytes(v));
  assert.deepEqual(back, v); // deepEqual tells -0 from 0 and NaN equals NaN under strict
  assert.ok(Object.is(back.specials[3], -0));
  assert.ok(back.nested.x instanceof Float32Array && back.view instanceof Uint8Array);
  assert.deepEqual([...back.view], [8, 7, 6]);
  assert.equal(Buffer.compare(encodeTypedBytes(back), encodeTypedBytes(v)), 0);
  // a marker at the root and inside arrays of arrays
  assert.deepEqual(decodeTypedBytes(encodeTypedBytes(Int16Array.of(-2, 7))), Int16Array.of(-2, 7));
  assert.ok(Number.isNaN(decodeTypedBytes(encodeTypedBytes(NaN))));
  const deep = [[1, [NaN, Uint8Array.of(3)]], { a: [{ b: -Infinity }] }];
  assert.deepEqual(decodeTypedBytes(encodeTypedBytes(deep)), deep);
  assert.throws(() => decodeTypedBytes(new Uint8Array(20)), /bad magic/);
  assert.throws(() => encodeTypedBytes({ d: new DataView(new ArrayBuffer(2)) }), /DataView|encode/);
});

test('contentKey separates its parts', () => {
  assert.notEqual(contentKey('ab', 'c'), contentKey('a', 'bc'));
  assert.equal(contentKey('a', Uint8Array.of(1)), contentKey('a', Uint8Array.of(1)));
  assert.match(contentKey('x'), /^[0-9a-f]{64}$/);
});

test('stage cache: put then get; damaged, truncated and misplaced entries read as absent', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ifg-cache-'));
  try {
    const problems: string[] = [];
    const cache = new StageCache(dir, (_p, why) => problems.push(why));
    const stage = typedStage(cache, 'discover', typedBytesCodec<ReturnType<typeof value>>());
    const k1 = contentKey('one');
    const k2 = contentKey('two');
    assert.equal(await stage.get(k1), null);
    await stage.put(k1, value());
    assert.deepEqual(await stage.get(k1), value());
    assert.deepEqual({ ...cache.stats }, { hits: 1, misses: 1, corrupt: 0, writes: 1 });
    // the write left no temp file beside the entry
    const path = cache.entryPath('discover', k1);
    assert.deepEqual(await readdir(dirname(path)), [`${k1}.bin`]);

    // one flipped byte in the payload: the checksum catches it
    const good = await readFile(path);
    const bad = Buffer.from(good);
    bad[bad.length - 3] ^= 0x40;
    await writeFile(path, bad);
    assert.equal(await stage.get(k1), null);
    assert.match(problems.at(-1)!, /checksum/);

    // a torn write (half the file)
    await writeFile(path, good);
    await truncate(path, Math.floor(good.length / 2));
    assert.equal(await stage.get(k1), null);
    // shorter than the prefix
    await truncate(path, 10);
    assert.equal(await stage.get(k1), null);

    // a complete entry of another key copied under this key's name
    await writeFile(path, good);
    const p2 = cache.entryPath('discover', k2);
    await mkdir(dirname(p2), { recursive: true });
    await copyFile(path, p2);
    assert.equal(await stage.get(k2), null);
    assert.match(problems.at(-1)!, /not discover\//);
    assert.equal(cache.stats.corrupt, 4);

    // an entry whose checksum holds but whose payload does not decode as this stage's codec: rejected, removed
    await cache.put('discover', k2, Uint8Array.of(1, 2, 3));
    assert.equal(await stage.get(k2), null);
    assert.match(problems.at(-1)!, /does not decode/);
    assert.equal(await cache.get('discover', k2), null, 'the undecodable entry was removed');

    // a recomputed entry replaces the damaged one and reads back
    await stage.put(k2, value());
    assert.deepEqual(await stage.get(k2), value());
    // a null cache holds nothing
    const off = typedStage(null, 'discover', typedBytesCodec<number>());
    await off.put(k1, 1);
    assert.equal(await off.get(k1), null);
    // a cache that cannot be written (its folder is a file) reports and goes on: the cache only saves time
    const blocked = join(dir, 'blocked');
    await writeFile(blocked, 'a file, not a folder');
    const stuck = new StageCache(blocked, (_p, why) => problems.push(why));
    await stuck.put('discover', k1, Uint8Array.of(1));
    assert.match(problems.at(-1)!, /not written/);
    assert.equal(stuck.stats.writes, 0);
    assert.throws(() => cache.entryPath('Bad Stage', k1), /stage name/);
    assert.throws(() => cache.entryPath('discover', '../x'), /hex/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
