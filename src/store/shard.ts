/**
 * Session shards in the original tool's exact on-disk schema (reference/original-pipeline.md §7.1), so that
 * pyarrow-based tools read ours and we read theirs:
 *
 *   <dir>/nodes.parquet     node_id uint32, t int64 (UTC ms), kind uint8, session_id string, symbol string,
 *                           tf string, price double, f0..f{D-1} float32            (D = 45 by default)
 *   <dir>/edges.parquet     src uint32, dst uint32, etype uint8, dt int32 (ms), e0..e{E-1} float32   (E = 20)
 *   <dir>/node_map.parquet  session_id string, local_idx int64, node_id int64, t int64, timestamp string,
 *                           source_type string
 *   <dir>/meta.json         {session_id, session_type, date, source_file, node_count, edge_count, symbol,
 *                           timeframe, timezone_source, timezone_target, feature_set, conversion_timestamp}
 *
 * In memory, feature columns are one row-major Float32Array (`features[row * featureDim + j]` is column fj/ej).
 *
 * Node ids: the original used a global counter persisted across conversions, so its shards carry global ids
 * (e.g. 3644..3703); they are read as is. Shards we write carry whatever ids the caller gives; ironforge uses
 * per-shard local ids 0..n-1 (deterministic, independent of conversion history). Edges refer to node ids, not
 * row positions, in both cases.
 *
 * Determinism: `conversion_timestamp` is an input, never the clock; the same ShardData and options give
 * byte-identical files. Writes are atomic per directory (temp directory + rename, see atomic.ts).
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeDirAtomic, writeFileAtomic } from '../io/index.js';
import type { ShardData, ShardMeta } from '../core/index.js';
import { readFileExplained } from '../io/index.js';
import {
  decodeParquet,
  encodeParquet,
  getColumn,
  matrixColumns,
  type Column,
  type Compression,
  type ParquetEngine,
  type ParquetTable,
} from '../io/index.js';

export const NODES_FILE = 'nodes.parquet';
export const EDGES_FILE = 'edges.parquet';
export const NODE_MAP_FILE = 'node_map.parquet';
export const META_FILE = 'meta.json';

const META_KEYS: readonly (keyof ShardMeta)[] = [
  'session_id',
  'session_type',
  'date',
  'source_file',
  'node_count',
  'edge_count',
  'symbol',
  'timeframe',
  'timezone_source',
  'timezone_target',
  'feature_set',
  'conversion_timestamp',
];

/** What a writer passes: node_count / edge_count may be omitted (computed); when given they must match. */
export type ShardInput = Omit<ShardData, 'meta'> & {
  meta: Omit<ShardMeta, 'node_count' | 'edge_count'> & Partial<Pick<ShardMeta, 'node_count' | 'edge_count'>>;
};

export interface ShardWriteOptions {
  /** Default 'zstd' (as the original). */
  compression?: Compression;
  /** Maximum rows per row group; default one group (1,048,576). */
  rowGroupSize?: number;
  /** Dictionary encoding (see parquet.ts WriteOptions); default 'strings'. */
  dictionary?: boolean | 'strings';
  /** Parquet writer (see parquet.ts WriteOptions); 'direct' needs compression 'none'. Default 'arrow-rs'. */
  engine?: ParquetEngine;
}

export interface ShardReadOptions {
  /** When given, nodes.parquet must have exactly this many f-columns. */
  nodeFeatureDim?: number;
  /** When given, edges.parquet must have exactly this many e-columns. */
  edgeFeatureDim?: number;
}

/** The encoded files of one shard, before they touch the disk. */
export interface EncodedShard {
  nodes: Uint8Array;
  edges: Uint8Array;
  nodeMap: Uint8Array;
  metaJson: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Validation (shared by writer and reader)

function fail(where: string, msg: string): never {
  throw new Error(`shard ${where}: ${msg}`);
}

function checkLength(where: string, field: string, actual: number, expected: number): void {
  if (actual !== expected) fail(where, `${field} has ${actual} rows, expected ${expected}`);
}

function checkMeta(meta: Record<string, unknown>, where: string): void {
  for (const key of META_KEYS) {
    const v = meta[key];
    if (key === 'node_count' || key === 'edge_count') {
      if (!Number.isSafeInteger(v) || (v as number) < 0)
        fail(where, `${key} must be a non-negative integer, got ${JSON.stringify(v)}`);
    } else if (typeof v !== 'string') fail(where, `${key} must be a string, got ${JSON.stringify(v)}`);
  }
}

/**
 * Check a shard's internal consistency; throws an Error naming the file, field, row and value.
 * Rules: column lengths agree; meta counts equal row counts; node ids unique; t integer > 0; edge src/dst are
 * node ids; dt ≥ 0; feature arrays are rows × featureDim; node_map has one row per node and refers to node ids.
 * `where` prefixes messages (a directory path, or 'input').
 */
export function validateShard(shard: ShardData, where = 'input'): void {
  const { meta, nodes, edges, nodeMap } = shard;
  checkMeta(meta as unknown as Record<string, unknown>, `${where}/${META_FILE}`);
  const nw = `${where}/${NODES_FILE}`;
  const ew = `${where}/${EDGES_FILE}`;
  const mw = `${where}/${NODE_MAP_FILE}`;
  const n = nodes.nodeId.length;
  for (const [field, arr] of [
    ['t', nodes.t],
    ['kind', nodes.kind],
    ['session_id', nodes.sessionId],
    ['symbol', nodes.symbol],
    ['tf', nodes.tf],
    ['price', nodes.price],
  ] as const)
    checkLength(nw, field, arr.length, n);
  if (!Number.isInteger(nodes.featureDim) || nodes.featureDim < 0)
    fail(nw, `featureDim must be a non-negative integer, got ${nodes.featureDim}`);
  checkLength(nw, `features (${n} × ${nodes.featureDim})`, nodes.features.length, n * nodes.featureDim);
  if (meta.node_count !== n)
    fail(`${where}/${META_FILE}`, `node_count ${meta.node_count} but ${NODES_FILE} has ${n} rows`);

  const rowOfId = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const id = nodes.nodeId[i];
    const prev = rowOfId.get(id);
    if (prev !== undefined) fail(nw, `node_id ${id} is not unique (rows ${prev} and ${i})`);
    rowOfId.set(id, i);
    const t = nodes.t[i];
    if (!Number.isSafeInteger(t) || t <= 0)
      fail(nw, `row ${i}: t = ${t} must be an integer > 0 (UTC epoch ms)`);
  }

  const m = edges.src.length;
  for (const [field, arr] of [
    ['dst', edges.dst],
    ['etype', edges.etype],
    ['dt', edges.dt],
  ] as const)
    checkLength(ew, field, arr.length, m);
  if (!Number.isInteger(edges.featureDim) || edges.featureDim < 0)
    fail(ew, `featureDim must be a non-negative integer, got ${edges.featureDim}`);
  checkLength(ew, `features (${m} × ${edges.featureDim})`, edges.features.length, m * edges.featureDim);
  if (meta.edge_count !== m)
    fail(`${where}/${META_FILE}`, `edge_count ${meta.edge_count} but ${EDGES_FILE} has ${m} rows`);
  for (let e = 0; e < m; e++) {
    if (!rowOfId.has(edges.src[e]))
      fail(ew, `row ${e}: src ${edges.src[e]} is not a node_id of ${NODES_FILE}`);
    if (!rowOfId.has(edges.dst[e]))
      fail(ew, `row ${e}: dst ${edges.dst[e]} is not a node_id of ${NODES_FILE}`);
    if (edges.dt[e] < 0) fail(ew, `row ${e}: dt = ${edges.dt[e]} must be ≥ 0 (ms)`);
  }

  const k = nodeMap.nodeId.length;
  for (const [field, arr] of [
    ['session_id', nodeMap.sessionId],
    ['local_idx', nodeMap.localIdx],
    ['t', nodeMap.t],
    ['timestamp', nodeMap.timestamp],
    ['source_type', nodeMap.sourceType],
  ] as const)
    checkLength(mw, field, arr.length, k);
  if (k !== n) fail(mw, `has ${k} rows, expected one per node (${n})`);
  for (let i = 0; i < k; i++) {
    if (!rowOfId.has(nodeMap.nodeId[i]))
      fail(mw, `row ${i}: node_id ${nodeMap.nodeId[i]} is not a node_id of ${NODES_FILE}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Encoding

/** meta.json text: the original's key order, 2-space indent, no trailing newline (Python's json.dump(indent=2)). */
export function shardMetaJson(meta: ShardMeta): string {
  const ordered: Record<string, unknown> = {};
  for (const key of META_KEYS) ordered[key] = meta[key];
  return JSON.stringify(ordered, null, 2);
}

function completeMeta(shard: ShardInput): ShardData {
  const meta: ShardMeta = {
    ...shard.meta,
    node_count: shard.meta.node_count ?? shard.nodes.nodeId.length,
    edge_count: shard.meta.edge_count ?? shard.edges.src.length,
  };
  return { ...shard, meta };
}

/** Validate and encode a shard in memory (no disk access). Same input ⇒ byte-identical output. */
export function encodeShard(input: ShardInput, opts: ShardWriteOptions = {}): EncodedShard {
  const shard = completeMeta(input);
  validateShard(shard);
  const { nodes, edges, nodeMap } = shard;
  const n = nodes.nodeId.length;
  const m = edges.src.length;
  const popts = {
    compression: opts.compression ?? 'zstd',
    rowGroupSize: opts.rowGroupSize,
    dictionary: opts.dictionary,
    engine: opts.engine,
  };
  const nodeCols: Column[] = [
    { name: 'node_id', type: 'uint32', values: nodes.nodeId },
    { name: 't', type: 'int64', values: nodes.t },
    { name: 'kind', type: 'uint8', values: nodes.kind },
    { name: 'session_id', type: 'string', values: nodes.sessionId },
    { name: 'symbol', type: 'string', values: nodes.symbol },
    { name: 'tf', type: 'string', values: nodes.tf },
    { name: 'price', type: 'float64', values: nodes.price },
    ...matrixColumns('f', nodes.features, n, nodes.featureDim),
  ];
  const edgeCols: Column[] = [
    { name: 'src', type: 'uint32', values: edges.src },
    { name: 'dst', type: 'uint32', values: edges.dst },
    { name: 'etype', type: 'uint8', values: edges.etype },
    { name: 'dt', type: 'int32', values: edges.dt },
    ...matrixColumns('e', edges.features, m, edges.featureDim),
  ];
  const mapCols: Column[] = [
    { name: 'session_id', type: 'string', values: nodeMap.sessionId },
    { name: 'local_idx', type: 'int64', values: nodeMap.localIdx },
    { name: 'node_id', type: 'int64', values: nodeMap.nodeId },
    { name: 't', type: 'int64', values: nodeMap.t },
    { name: 'timestamp', type: 'string', values: nodeMap.timestamp },
    { name: 'source_type', type: 'string', values: nodeMap.sourceType },
  ];
  const encode = (file: string, cols: Column[]): Uint8Array => {
    try {
      return encodeParquet(cols, popts);
    } catch (err) {
      throw new Error(`shard input/${file}: ${(err as Error).message}`, { cause: err });
    }
  };
  return {
    nodes: encode(NODES_FILE, nodeCols),
    edges: encode(EDGES_FILE, edgeCols),
    nodeMap: encode(NODE_MAP_FILE, mapCols),
    metaJson: shardMetaJson(shard.meta),
  };
}

/**
 * Write a shard directory atomically: everything is validated and encoded in memory first, then written into a
 * temp directory next to `dir`, which then replaces `dir`. On any error `dir` keeps its previous content.
 */
export async function writeShard(
  dir: string,
  shard: ShardInput,
  opts: ShardWriteOptions = {},
): Promise<void> {
  await writeEncodedShard(dir, encodeShard(shard, opts));
}

/** Writes an already encoded shard (`encodeShard`, or its bytes from the stage cache) like `writeShard`. */
export async function writeEncodedShard(dir: string, enc: EncodedShard): Promise<void> {
  await writeDirAtomic(dir, async (tmp) => {
    await writeFileAtomic(join(tmp, NODES_FILE), enc.nodes);
    await writeFileAtomic(join(tmp, EDGES_FILE), enc.edges);
    await writeFileAtomic(join(tmp, NODE_MAP_FILE), enc.nodeMap);
    await writeFileAtomic(join(tmp, META_FILE), enc.metaJson);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding

/** Gather prefix0..prefix{k-1} float32 columns into a row-major matrix; checks contiguity, type and count. */
function gatherFeatures(
  table: ParquetTable,
  prefix: string,
  expectedDim: number | undefined,
): { features: Float32Array; featureDim: number } {
  const pattern = new RegExp(`^${prefix}(\\d+)$`);
  const indices: number[] = [];
  for (const col of table.columns) {
    const match = pattern.exec(col.name);
    if (match) indices.push(Number(match[1]));
  }
  indices.sort((a, b) => a - b);
  const dim = indices.length;
  for (let j = 0; j < dim; j++) {
    if (indices[j] !== j)
      fail(
        table.source,
        `feature columns ${prefix}0..${prefix}${dim - 1} expected, ${prefix}${j} is missing`,
      );
  }
  if (expectedDim !== undefined && dim !== expectedDim)
    fail(
      table.source,
      `has ${dim} feature columns (${prefix}0..${prefix}${dim - 1}), expected ${expectedDim}`,
    );
  const rows = table.numRows;
  const features = new Float32Array(rows * dim);
  for (let j = 0; j < dim; j++) {
    const values = getColumn(table, `${prefix}${j}`, 'float32');
    for (let r = 0; r < rows; r++) features[r * dim + j] = values[r];
  }
  return { features, featureDim: dim };
}

function int64Column(table: ParquetTable, name: string): Float64Array {
  const v = getColumn(table, name, 'int64');
  return v instanceof Float64Array ? v : Float64Array.from(v, Number);
}

function parseMeta(text: string, where: string): ShardMeta {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    fail(where, `invalid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    fail(where, 'must be a JSON object');
  checkMeta(parsed as Record<string, unknown>, where);
  const meta = {} as Record<string, unknown>;
  for (const key of META_KEYS) meta[key] = (parsed as Record<string, unknown>)[key];
  return meta as unknown as ShardMeta;
}

/** Decode and validate a shard from its four files' contents. `where` names the directory in errors. */
export function decodeShard(
  files: { nodes: Uint8Array; edges: Uint8Array; nodeMap: Uint8Array; metaJson: string },
  where = 'input',
  opts: ShardReadOptions = {},
): ShardData {
  const meta = parseMeta(files.metaJson, `${where}/${META_FILE}`);
  const nt = decodeParquet(files.nodes, {}, `${where}/${NODES_FILE}`);
  const et = decodeParquet(files.edges, {}, `${where}/${EDGES_FILE}`);
  const mt = decodeParquet(files.nodeMap, {}, `${where}/${NODE_MAP_FILE}`);
  const shard: ShardData = {
    meta,
    nodes: {
      nodeId: getColumn(nt, 'node_id', 'uint32'),
      t: int64Column(nt, 't'),
      kind: getColumn(nt, 'kind', 'uint8'),
      sessionId: getColumn(nt, 'session_id', 'string'),
      symbol: getColumn(nt, 'symbol', 'string'),
      tf: getColumn(nt, 'tf', 'string'),
      price: getColumn(nt, 'price', 'float64'),
      ...gatherFeatures(nt, 'f', opts.nodeFeatureDim),
    },
    edges: {
      src: getColumn(et, 'src', 'uint32'),
      dst: getColumn(et, 'dst', 'uint32'),
      etype: getColumn(et, 'etype', 'uint8'),
      dt: getColumn(et, 'dt', 'int32'),
      ...gatherFeatures(et, 'e', opts.edgeFeatureDim),
    },
    nodeMap: {
      sessionId: getColumn(mt, 'session_id', 'string'),
      localIdx: int64Column(mt, 'local_idx'),
      nodeId: int64Column(mt, 'node_id'),
      t: int64Column(mt, 't'),
      timestamp: getColumn(mt, 'timestamp', 'string'),
      sourceType: getColumn(mt, 'source_type', 'string'),
    },
  };
  validateShard(shard, where);
  return shard;
}

/**
 * Read and validate a shard directory (ours or the original pyarrow ones). Errors name the file, the field and
 * the offending value. See {@link validateShard} for the rules.
 */
export async function readShard(dir: string, opts: ShardReadOptions = {}): Promise<ShardData> {
  const [nodes, edges, nodeMap, meta] = await Promise.all([
    readFileExplained(join(dir, NODES_FILE), 'shard: '),
    readFileExplained(join(dir, EDGES_FILE), 'shard: '),
    readFileExplained(join(dir, NODE_MAP_FILE), 'shard: '),
    readFileExplained(join(dir, META_FILE), 'shard: '),
  ]);
  return decodeShard({ nodes, edges, nodeMap, metaJson: meta.toString('utf8') }, dir, opts);
}

/**
 * The shard directories directly under `root` (names starting with `shard_`), sorted by name, as paths joined
 * to `root`. Hidden entries (temp/backup directories of atomic writes) and plain files are skipped.
 */
export async function listShardDirs(root: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      `shard: cannot list ${root}: ${code === 'ENOENT' ? 'no such directory' : (err as Error).message}`,
      { cause: err },
    );
  }
  const dirs: string[] = [];
  for (const e of entries) {
    if (!e.name.startsWith('shard_')) continue;
    const path = join(root, e.name);
    const isDir =
      e.isDirectory() ||
      (e.isSymbolicLink() &&
        (await stat(path).then(
          (st) => st.isDirectory(),
          () => false,
        )));
    if (isDir) dirs.push(path);
  }
  return dirs.sort();
}
