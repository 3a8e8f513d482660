import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { tempDirWithDuckDb } from './helpers/duckdb-fixture.js';
import { encodeParquet, parquetMetadata, readParquet, type Column } from '../src/io/parquet.js';
import {
  EDGES_FILE,
  META_FILE,
  NODE_MAP_FILE,
  NODES_FILE,
  encodeShard,
  listShardDirs,
  readShard,
  writeShard,
} from '../src/store/shard.js';
import type { ShardData } from '../src/core/index.js';
import { syntheticShard } from '../src/synthetic/index.js';

const SHARD_ROOT = 'data/sample/shards';
const FIXED_TS = '2025-08-18T17:02:48.507258Z';

const fx = tempDirWithDuckDb('ironforge-store-shard-');

function sameArray(a: ArrayLike<unknown>, b: ArrayLike<unknown>, what: string): void {
  assert.equal(a.length, b.length, `${what} length`);
  for (let i = 0; i < b.length; i++)
    if (!Object.is(a[i], b[i])) assert.fail(`${what}[${i}]: ${String(a[i])} ≠ ${String(b[i])}`);
}

function assertShardsEqual(a: ShardData, b: ShardData): void {
  assert.deepEqual(a.meta, b.meta);
  for (const k of Object.keys(b.nodes) as (keyof ShardData['nodes'])[]) {
    if (k === 'featureDim') assert.equal(a.nodes.featureDim, b.nodes.featureDim);
    else sameArray(a.nodes[k] as ArrayLike<unknown>, b.nodes[k] as ArrayLike<unknown>, `nodes.${k}`);
  }
  for (const k of Object.keys(b.edges) as (keyof ShardData['edges'])[]) {
    if (k === 'featureDim') assert.equal(a.edges.featureDim, b.edges.featureDim);
    else sameArray(a.edges[k] as ArrayLike<unknown>, b.edges[k] as ArrayLike<unknown>, `edges.${k}`);
  }
  for (const k of Object.keys(b.nodeMap) as (keyof ShardData['nodeMap'])[])
    sameArray(a.nodeMap[k] as ArrayLike<unknown>, b.nodeMap[k] as ArrayLike<unknown>, `nodeMap.${k}`);
}

async function duckRows(sql: string): Promise<Record<string, unknown>[]> {
  return (await fx.duck.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

/** Deep-enough copy to mutate one field of a shard in a test. */
function cloneShard(s: ShardData): ShardData {
  return structuredClone(s);
}

describe('original pyarrow shards', () => {
  test('every sample shard reads with meta.json row counts and 45/20 feature columns', async () => {
    const dirs = await listShardDirs(SHARD_ROOT);
    assert.equal(dirs.length, 32);
    for (const d of dirs) {
      const meta = JSON.parse(await readFile(join(d, META_FILE), 'utf8'));
      const s = await readShard(d, { nodeFeatureDim: 45, edgeFeatureDim: 20 });
      assert.equal(s.nodes.nodeId.length, meta.node_count, `${d} nodes`);
      assert.equal(s.edges.src.length, meta.edge_count, `${d} edges`);
      assert.equal(s.nodeMap.nodeId.length, meta.node_count, `${d} node_map`);
      assert.equal(s.meta.session_id, basename(d).replace(/^shard_/, ''));
      assert.equal(s.nodes.features.length, meta.node_count * 45);
      assert.equal(s.edges.features.length, meta.edge_count * 20);
    }
  });

  test('values agree with DuckDB reading the same pyarrow files', async () => {
    const d = join(SHARD_ROOT, 'shard_NY_2025-07-29');
    const s = await readShard(d);
    const nodes = await duckRows(`select * from read_parquet('${join(d, NODES_FILE)}')`);
    assert.equal(nodes.length, 60);
    for (let i = 0; i < nodes.length; i++) {
      assert.equal(Number(nodes[i].node_id), s.nodes.nodeId[i]);
      assert.equal(Number(nodes[i].t), s.nodes.t[i]);
      assert.equal(nodes[i].price, s.nodes.price[i]);
      for (let j = 0; j < 45; j++)
        assert.equal(nodes[i][`f${j}`], s.nodes.features[i * 45 + j], `row ${i} f${j}`);
    }
    const edges = await duckRows(`select * from read_parquet('${join(d, EDGES_FILE)}')`);
    assert.equal(edges.length, s.edges.src.length);
    for (let e = 0; e < edges.length; e++) {
      assert.equal(Number(edges[e].dst), s.edges.dst[e]);
      assert.equal(Number(edges[e].dt), s.edges.dt[e]);
      for (let j = 0; j < 20; j++) assert.equal(edges[e][`e${j}`], s.edges.features[e * 20 + j]);
    }
  });
});

describe('our shards', () => {
  test('pyarrow shard → ours (zstd) → read back equal; DuckDB sees the original schema, values and ZSTD', async () => {
    const src = join(SHARD_ROOT, 'shard_NY_2025-07-30');
    const original = await readShard(src);
    const out = join(fx.dir, 'copy', 'shard_NY_2025-07-30');
    await writeShard(out, original, { compression: 'zstd' });
    assertShardsEqual(await readShard(out), original);
    assert.equal(await readFile(join(out, META_FILE), 'utf8'), await readFile(join(src, META_FILE), 'utf8'));
    for (const file of [NODES_FILE, EDGES_FILE, NODE_MAP_FILE]) {
      const schemaOf = (p: string): Promise<Record<string, unknown>[]> =>
        duckRows(`select column_name, column_type from (describe select * from read_parquet('${p}'))`);
      assert.deepEqual(await schemaOf(join(out, file)), await schemaOf(join(src, file)), `${file} schema`);
      const diff = await duckRows(
        `select count(*) as n from (select * from read_parquet('${join(out, file)}') except all select * from read_parquet('${join(src, file)}'))`,
      );
      assert.equal(Number(diff[0].n), 0, `${file}: rows differ from the pyarrow original`);
      const count = await duckRows(`select count(*) as n from read_parquet('${join(out, file)}')`);
      assert.equal(
        Number(count[0].n),
        file === EDGES_FILE ? original.meta.edge_count : original.meta.node_count,
      );
      const codecs = await duckRows(
        `select distinct compression from parquet_metadata('${join(out, file)}')`,
      );
      assert.deepEqual(codecs, [{ compression: 'ZSTD' }], `${file} codec`);
    }
  });

  test('synthetic shard round-trips for each codec × row-group size (multiple row groups)', async () => {
    const shard = syntheticShard(300, 7);
    for (const compression of ['zstd', 'snappy', 'none'] as const) {
      for (const rowGroupSize of [64, 1024 * 1024]) {
        const out = join(fx.dir, 'syn', `shard_${compression}_${rowGroupSize}`);
        await writeShard(out, shard, { compression, rowGroupSize });
        assertShardsEqual(await readShard(out, { nodeFeatureDim: 45, edgeFeatureDim: 20 }), shard);
        const info = await parquetMetadata(join(out, EDGES_FILE));
        assert.equal(info.rowGroups.length, Math.ceil(750 / rowGroupSize));
        assert.deepEqual(info.codecs, [
          { zstd: 'ZSTD', snappy: 'SNAPPY', none: 'UNCOMPRESSED' }[compression],
        ]);
      }
    }
  });

  test('DuckDB reads our synthetic nodes/edges with the same values', async () => {
    const shard = syntheticShard(200, 3);
    const out = join(fx.dir, 'syn-duck', 'shard_S');
    await writeShard(out, shard, { rowGroupSize: 50 });
    const nodes = await duckRows(`select * from read_parquet('${join(out, NODES_FILE)}')`);
    assert.equal(nodes.length, 200);
    for (let i = 0; i < 200; i++) {
      assert.equal(Number(nodes[i].node_id), shard.nodes.nodeId[i]);
      assert.equal(Number(nodes[i].t), shard.nodes.t[i]);
      assert.equal(Number(nodes[i].kind), shard.nodes.kind[i]);
      assert.equal(nodes[i].price, shard.nodes.price[i]);
      for (let j = 0; j < 45; j++) assert.equal(nodes[i][`f${j}`], shard.nodes.features[i * 45 + j]);
    }
    const edges = await duckRows(`select * from read_parquet('${join(out, EDGES_FILE)}')`);
    assert.equal(edges.length, 500);
    for (let e = 0; e < 500; e++) {
      assert.equal(Number(edges[e].src), shard.edges.src[e]);
      assert.equal(Number(edges[e].dst), shard.edges.dst[e]);
      assert.equal(Number(edges[e].etype), shard.edges.etype[e]);
      assert.equal(Number(edges[e].dt), shard.edges.dt[e]);
      for (let j = 0; j < 20; j++) assert.equal(edges[e][`e${j}`], shard.edges.features[e * 20 + j]);
    }
    const groups = await duckRows(
      `select count(distinct row_group_id) as g from parquet_metadata('${join(out, NODES_FILE)}')`,
    );
    assert.equal(Number(groups[0].g), 4);
  });

  test('same input ⇒ byte-identical files; conversion_timestamp changes only meta.json', async () => {
    const a = join(fx.dir, 'det', 'a');
    const b = join(fx.dir, 'det', 'b');
    const c = join(fx.dir, 'det', 'c');
    await writeShard(a, syntheticShard(128, 1, { conversionTimestamp: FIXED_TS }));
    await writeShard(b, syntheticShard(128, 1, { conversionTimestamp: FIXED_TS }));
    await writeShard(c, syntheticShard(128, 1, { conversionTimestamp: '2030-01-01T00:00:00Z' }));
    for (const f of [NODES_FILE, EDGES_FILE, NODE_MAP_FILE, META_FILE]) {
      const [x, y, z] = await Promise.all([readFile(join(a, f)), readFile(join(b, f)), readFile(join(c, f))]);
      assert.ok(x.equals(y), `${f} differs between identical writes`);
      assert.equal(x.equals(z), f !== META_FILE, `${f} vs other conversion_timestamp`);
    }
    const other = encodeShard(syntheticShard(128, 2, { conversionTimestamp: FIXED_TS }));
    assert.ok(!Buffer.from(other.nodes).equals(await readFile(join(a, NODES_FILE))));
  });

  test('node_count/edge_count may be omitted (computed) but must match when given', () => {
    const s = syntheticShard(10, 4);
    const { node_count: _n, edge_count: _e, ...rest } = s.meta;
    assert.match(encodeShard({ ...s, meta: rest }).metaJson, /"node_count": 10,\n {2}"edge_count": 25/);
    assert.throws(
      () => encodeShard({ ...s, meta: { ...s.meta, edge_count: 24 } }),
      /meta\.json: edge_count 24 but edges\.parquet has 25 rows/,
    );
  });
});

describe('validation errors name file, field and value', () => {
  const base = syntheticShard(20, 9);
  const cases: [string, (s: ShardData) => void, RegExp][] = [
    [
      'duplicate node id',
      (s) => (s.nodes.nodeId[5] = 3),
      /nodes\.parquet: node_id 3 is not unique \(rows 3 and 5\)/,
    ],
    ['t = 0', (s) => (s.nodes.t[2] = 0), /nodes\.parquet: row 2: t = 0 must be an integer > 0/],
    ['dangling src', (s) => (s.edges.src[4] = 999), /edges\.parquet: row 4: src 999 is not a node_id/],
    ['dangling dst', (s) => (s.edges.dst[0] = 77), /edges\.parquet: row 0: dst 77 is not a node_id/],
    ['negative dt', (s) => (s.edges.dt[6] = -1), /edges\.parquet: row 6: dt = -1 must be ≥ 0/],
    [
      'feature size',
      (s) => (s.nodes.features = new Float32Array(20 * 44)),
      /nodes\.parquet: features \(20 × 45\) has 880 rows, expected 900/,
    ],
    [
      'short column',
      (s) => (s.nodes.kind = new Uint8Array(19)),
      /nodes\.parquet: kind has 19 rows, expected 20/,
    ],
    [
      'node_map ref',
      (s) => (s.nodeMap.nodeId[1] = 500),
      /node_map\.parquet: row 1: node_id 500 is not a node_id/,
    ],
    [
      'meta type',
      (s) => ((s.meta as unknown as Record<string, unknown>).symbol = 5),
      /meta\.json: symbol must be a string, got 5/,
    ],
  ];
  for (const [name, mutate, pattern] of cases) {
    test(`writeShard refuses: ${name}`, async () => {
      const s = cloneShard(base);
      mutate(s);
      const out = join(fx.dir, 'invalid', name.replace(/\W+/g, '_'));
      await assert.rejects(writeShard(out, s), pattern);
      await assert.rejects(readdir(out), /ENOENT/);
    });
  }

  test('readShard reports a bad file in a shard directory by path', async () => {
    const good = join(fx.dir, 'bad-read', 'shard_good');
    await writeShard(good, base);
    const d = join(fx.dir, 'bad-read', 'shard_bad');
    const write = async (name: string, data: Uint8Array | string): Promise<void> => {
      await mkdir(d, { recursive: true });
      for (const f of [NODES_FILE, EDGES_FILE, NODE_MAP_FILE, META_FILE])
        await writeFile(join(d, f), await readFile(join(good, f)));
      await writeFile(join(d, name), data);
    };
    // Edge pointing at a missing node.
    const edges = await readParquet(join(good, EDGES_FILE));
    const dst = edges.columns.find((c) => c.name === 'dst') as Column<'uint32'>;
    dst.values[3] = 12345;
    await write(EDGES_FILE, encodeParquet(edges.columns));
    await assert.rejects(
      readShard(d),
      (e: Error) => e.message.includes(join(d, EDGES_FILE)) && /row 3: dst 12345/.test(e.message),
    );
    // Wrong column type (node_id as int32).
    const nodes = await readParquet(join(good, NODES_FILE));
    const ids = nodes.columns.findIndex((c) => c.name === 'node_id');
    nodes.columns[ids] = {
      name: 'node_id',
      type: 'int32',
      values: Int32Array.from(nodes.columns[ids].values as Uint32Array),
    };
    await write(NODES_FILE, encodeParquet(nodes.columns));
    await assert.rejects(
      readShard(d),
      (e: Error) =>
        e.message.includes(join(d, NODES_FILE)) && /'node_id' is int32, expected uint32/.test(e.message),
    );
    // Gap in the feature columns and wrong feature count.
    const noF7 = (await readParquet(join(good, NODES_FILE))).columns.filter((c) => c.name !== 'f7');
    await write(NODES_FILE, encodeParquet(noF7));
    await assert.rejects(readShard(d), /nodes\.parquet: feature columns f0\.\.f43 expected, f7 is missing/);
    await write(NODES_FILE, await readFile(join(good, NODES_FILE)));
    await assert.rejects(
      readShard(d, { nodeFeatureDim: 51 }),
      /has 45 feature columns \(f0\.\.f44\), expected 51/,
    );
    // Truncated Parquet, broken meta.json, missing file.
    await write(NODE_MAP_FILE, (await readFile(join(good, NODE_MAP_FILE))).subarray(0, 100));
    await assert.rejects(
      readShard(d),
      (e: Error) => e.message.includes(join(d, NODE_MAP_FILE)) && /truncated or corrupt/.test(e.message),
    );
    await write(META_FILE, '{"session_id": ');
    await assert.rejects(
      readShard(d),
      (e: Error) => e.message.includes(join(d, META_FILE)) && /invalid JSON/.test(e.message),
    );
    await write(META_FILE, JSON.stringify({ ...base.meta, node_count: 21 }));
    await assert.rejects(readShard(d), /meta\.json: node_count 21 but nodes\.parquet has 20 rows/);
    await rm(join(d, EDGES_FILE));
    await assert.rejects(
      readShard(d),
      (e: Error) => e.message.includes(join(d, EDGES_FILE)) && /no such file/.test(e.message),
    );
  });
});

describe('atomic shard directories and listing', () => {
  test('a failed rewrite leaves the previous shard intact; a good one replaces it without leftovers', async () => {
    const parent = join(fx.dir, 'atomic-shards');
    const target = join(parent, 'shard_A');
    const first = syntheticShard(40, 1);
    await writeShard(target, first);
    const bad = cloneShard(syntheticShard(50, 2));
    bad.edges.dt[10] = -5;
    await assert.rejects(writeShard(target, bad), /dt = -5/);
    assertShardsEqual(await readShard(target), first);
    assert.deepEqual(await readdir(parent), ['shard_A']);
    const second = syntheticShard(50, 2);
    await writeShard(target, second);
    assertShardsEqual(await readShard(target), second);
    assert.deepEqual(await readdir(parent), ['shard_A']);
    assert.deepEqual(
      (await readdir(target)).sort(),
      [EDGES_FILE, META_FILE, NODE_MAP_FILE, NODES_FILE].sort(),
    );
  });

  test('listShardDirs: sorted shard_* directories, skipping files and hidden temp dirs', async () => {
    const root = join(fx.dir, 'list');
    await mkdir(join(root, 'shard_B'), { recursive: true });
    await mkdir(join(root, 'shard_A'));
    await mkdir(join(root, '.shard_C.tmp-1-1-x'));
    await mkdir(join(root, 'other'));
    await writeFile(join(root, 'shard_file'), 'x');
    assert.deepEqual(await listShardDirs(root), [join(root, 'shard_A'), join(root, 'shard_B')]);
    await assert.rejects(listShardDirs(join(root, 'missing')), /cannot list .*missing: no such directory/);
  });
});
