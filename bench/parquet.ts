/**
 * Parquet shard benchmark: for L = 128/256/512/1024 nodes (≈ 2.5·L edges, 45 node / 20 edge float32 feature
 * columns, seeded synthetic content from src/synthetic/shards.ts), every codec (zstd, snappy, none, and
 * `direct` = uncompressed through the direct writer, io/parquet-direct.ts) × row-group size (64, 1024,
 * 1,048,576 rows), it measures per shard (nodes + edges + node_map + meta.json):
 *   encode  — validate + encode the three Parquet files in memory (encodeShard)
 *   write   — writeShard to disk: encode + atomic temp dir + fsync + rename
 *   decode  — decode + validate from bytes already in memory (decodeShard)
 *   read    — readShard from disk: read files + decode + validate
 * and the bytes of the three Parquet files. Warm-up, then min and median over trials (ms).
 *
 * Dictionary encoding follows the library default ('strings'); `--dictionary true` gives pyarrow's default.
 *
 *   npx tsx bench/parquet.ts [--json] [--trials N] [--sizes 128,256] [--dictionary strings|true|false] [--dir /tmp/x]
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Compression, ParquetEngine } from '../src/io/parquet.js';
import {
  EDGES_FILE,
  META_FILE,
  NODE_MAP_FILE,
  NODES_FILE,
  decodeShard,
  encodeShard,
  readShard,
  writeShard,
  type EncodedShard,
} from '../src/store/shard.js';
import { syntheticShard } from '../src/synthetic/index.js';
import { deriveSeed } from '../src/stats/random.js';

interface Timing {
  minMs: number;
  medianMs: number;
}

interface Row {
  L: number;
  edges: number;
  /** The codec, or 'direct' (uncompressed, direct writer). */
  compression: Compression | 'direct';
  rowGroupSize: number;
  nodeRowGroups: number;
  edgeRowGroups: number;
  bytes: { nodes: number; edges: number; nodeMap: number; total: number };
  encode: Timing;
  write: Timing;
  decode: Timing;
  read: Timing;
  trials: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const asJson = process.argv.includes('--json');
const trials = Number(arg('--trials') ?? 11);
const sizes = (arg('--sizes') ?? '128,256,512,1024').split(',').map(Number);
const dictionaryArg = arg('--dictionary') ?? 'strings';
const dictionary: boolean | 'strings' =
  dictionaryArg === 'true' ? true : dictionaryArg === 'false' ? false : 'strings';
if (!['true', 'false', 'strings'].includes(dictionaryArg))
  throw new Error(`--dictionary must be strings|true|false, got ${dictionaryArg}`);
const CODECS: { name: Compression | 'direct'; compression: Compression; engine: ParquetEngine }[] = [
  { name: 'zstd', compression: 'zstd', engine: 'arrow-rs' },
  { name: 'snappy', compression: 'snappy', engine: 'arrow-rs' },
  { name: 'none', compression: 'none', engine: 'arrow-rs' },
  { name: 'direct', compression: 'none', engine: 'direct' },
];
const ROW_GROUP_SIZES = [64, 1024, 1024 * 1024];
const WARMUP = 3;
const SEED = 42;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function timeIt(fn: () => unknown): Promise<Timing> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < trials; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { minMs: Math.min(...ms), medianMs: median(ms) };
}

let sink = 0;
const root = arg('--dir') ?? (await mkdtemp(join(tmpdir(), 'ironforge-bench-parquet-')));
const rows: Row[] = [];
try {
  for (const L of sizes) {
    const shard = syntheticShard(L, deriveSeed(SEED, L));
    for (const { name, compression, engine } of CODECS) {
      for (const rowGroupSize of ROW_GROUP_SIZES) {
        const opts = { compression, rowGroupSize, dictionary, engine };
        const dir = join(root, `shard_L${L}_${name}_${rowGroupSize}`);
        let enc: EncodedShard = encodeShard(shard, opts);
        const encode = await timeIt(() => {
          enc = encodeShard(shard, opts);
          sink += enc.nodes.length;
        });
        const write = await timeIt(() => writeShard(dir, shard, opts));
        const files = {
          nodes: await readFile(join(dir, NODES_FILE)),
          edges: await readFile(join(dir, EDGES_FILE)),
          nodeMap: await readFile(join(dir, NODE_MAP_FILE)),
          metaJson: await readFile(join(dir, META_FILE), 'utf8'),
        };
        const decode = await timeIt(() => {
          sink += decodeShard(files, dir).nodes.nodeId.length;
        });
        const read = await timeIt(async () => {
          sink += (await readShard(dir)).edges.src.length;
        });
        rows.push({
          L,
          edges: shard.edges.src.length,
          compression: name,
          rowGroupSize,
          nodeRowGroups: Math.ceil(L / rowGroupSize),
          edgeRowGroups: Math.ceil(shard.edges.src.length / rowGroupSize),
          bytes: {
            nodes: enc.nodes.length,
            edges: enc.edges.length,
            nodeMap: enc.nodeMap.length,
            total: enc.nodes.length + enc.edges.length + enc.nodeMap.length,
          },
          encode,
          write,
          decode,
          read,
          trials,
        });
      }
    }
  }
} finally {
  if (arg('--dir') === undefined) await rm(root, { recursive: true, force: true });
}

if (asJson) {
  console.log(
    JSON.stringify(
      {
        bench: 'parquet',
        node: process.version,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        dictionary,
        warmup: WARMUP,
        rows,
      },
      null,
      2,
    ),
  );
} else {
  const f = (t: Timing): string => `${t.minMs.toFixed(2).padStart(7)} ${t.medianMs.toFixed(2).padStart(7)}`;
  console.log(
    `Parquet shard I/O — dictionary ${String(dictionary)}; ${trials} trials after ${WARMUP} warm-up;` +
      ' times in ms (min median); rg = row groups in nodes/edges; KiB of the 3 Parquet files',
  );
  console.log(
    `${'L'.padStart(5)} ${'edges'.padStart(5)} ${'codec'.padEnd(6)} ${'rowGroup'.padStart(8)} ${'rg'.padStart(6)} ${'KiB'.padStart(8)}` +
      ` ${'encode'.padStart(15)} ${'write'.padStart(15)} ${'decode'.padStart(15)} ${'read'.padStart(15)}`,
  );
  for (const r of rows) {
    console.log(
      `${String(r.L).padStart(5)} ${String(r.edges).padStart(5)} ${r.compression.padEnd(6)} ${String(r.rowGroupSize).padStart(8)}` +
        ` ${`${r.nodeRowGroups}/${r.edgeRowGroups}`.padStart(6)} ${(r.bytes.total / 1024).toFixed(1).padStart(8)}` +
        ` ${f(r.encode)} ${f(r.write)} ${f(r.decode)} ${f(r.read)}`,
    );
  }
}
if (sink === -1) console.log('');
