/**
 * Weights file: an 8-byte magic `IFTGATW1`, a uint32 (little-endian) header length, a UTF-8 JSON header
 * {format, version, dtype, byteOrder, config, seed, floats, tensors[{name, shape, offset}]}, zero padding to a
 * 4-byte boundary, then `floats` float32 values (little-endian) in tensor order. A user can write such a file
 * from any framework (e.g. trained PyTorch weights) and load it here; shapes are checked against the config.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { type TgatConfig, resolveConfig } from '../tgat/index.js';
import { type TgatWeights, type TensorSpec, validateWeights } from '../tgat/index.js';

const MAGIC = 'IFTGATW1';
const FORMAT = 'ironforge-tgat-weights';
const VERSION = 1;

interface WeightsHeader {
  format: string;
  version: number;
  dtype: 'float32';
  byteOrder: 'little';
  config: TgatConfig;
  seed: number | null;
  floats: number;
  tensors: TensorSpec[];
}

/** Serialise weights to the bytes of a weights file. */
export function encodeWeights(w: TgatWeights): Uint8Array {
  const header: WeightsHeader = {
    format: FORMAT,
    version: VERSION,
    dtype: 'float32',
    byteOrder: 'little',
    config: w.config,
    seed: w.seed,
    floats: w.data.length,
    tensors: w.tensors,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const dataStart = align4(8 + 4 + json.length);
  const out = new Uint8Array(dataStart + 4 * w.data.length);
  out.set(Buffer.from(MAGIC, 'latin1'), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, json.length, true);
  out.set(json, 12);
  for (let i = 0; i < w.data.length; i++) view.setFloat32(dataStart + 4 * i, w.data[i], true);
  return out;
}

/** Parse the bytes of a weights file; `config` (partial, merged over defaults) must match its shapes. */
export function decodeWeights(
  bytes: Uint8Array,
  config?: Partial<TgatConfig>,
  source = 'weights',
): TgatWeights {
  if (bytes.length < 12 || Buffer.from(bytes.subarray(0, 8)).toString('latin1') !== MAGIC) {
    throw new Error(`${source}: not an ironforge TGAT weights file (magic '${MAGIC}' missing)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = view.getUint32(8, true);
  if (12 + headerLen > bytes.length)
    throw new Error(`${source}: header length ${headerLen} exceeds the file size`);
  let header: WeightsHeader;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(12, 12 + headerLen)).toString('utf8')) as WeightsHeader;
  } catch (e) {
    throw new Error(`${source}: header is not valid JSON (${(e as Error).message})`, { cause: e });
  }
  if (header.format !== FORMAT)
    throw new Error(`${source}: header.format is '${header.format}', expected '${FORMAT}'`);
  if (header.version !== VERSION)
    throw new Error(`${source}: header.version ${header.version} is not supported`);
  if (header.dtype !== 'float32') throw new Error(`${source}: header.dtype '${header.dtype}' is not float32`);
  if (header.byteOrder !== 'little')
    throw new Error(`${source}: header.byteOrder '${header.byteOrder}' is not little`);
  if (!Number.isInteger(header.floats) || header.floats < 0) {
    throw new Error(`${source}: header.floats is ${header.floats}`);
  }
  if (!Array.isArray(header.tensors)) throw new Error(`${source}: header.tensors is missing`);
  const fileConfig = resolveConfig(header.config ?? {});
  const wanted = config ? resolveConfig(config) : fileConfig;
  const dataStart = align4(12 + headerLen);
  const expectedBytes = dataStart + 4 * header.floats;
  if (bytes.length !== expectedBytes) {
    throw new Error(`${source}: file has ${bytes.length} bytes, header says ${expectedBytes}`);
  }
  const data = new Float32Array(header.floats);
  for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(dataStart + 4 * i, true);
  const w: TgatWeights = { config: fileConfig, data, tensors: header.tensors, seed: header.seed ?? null };
  try {
    validateWeights(w, wanted);
  } catch (e) {
    throw new Error(`${source}: ${(e as Error).message}`, { cause: e });
  }
  // Non-architecture settings (window, bias on/off, topM …) follow the caller's config when one is given.
  w.config = { ...wanted };
  return w;
}

/** Write weights atomically (temp file + rename), so a crash never leaves a half-written file. */
export function saveWeights(path: string, w: TgatWeights): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, encodeWeights(w));
  renameSync(tmp, path);
}

/**
 * Read a weights file. With `config`, the file's shapes must match it (clear Error otherwise); without,
 * the file's own config is used.
 */
export function loadWeights(path: string, config?: Partial<TgatConfig>): TgatWeights {
  return decodeWeights(readFileSync(path), config, path);
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
