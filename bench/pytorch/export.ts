/**
 * Writes the inputs of bench/pytorch/tgat_forward.py: the TGAT weights (every tensor randomised, biases and
 * LayerNorm shifts included, so that a missing term shows up in the parity), the attention bench's fixtures
 * (x, t) at each L, the attention masks the bench times (causal, and the DAG mask of `windowKnnDag`) as dense
 * allowed-matrices built by our own `buildMask`, and our float64 `reference` embeddings under each mask (the
 * parity oracle for both sides).
 *
 *   npx tsx bench/pytorch/export.ts [--out DIR] [--sizes 128,256,512,1024]
 *
 * Layout of DIR: manifest.json (config, tensor names/shapes/offsets, files per L) and raw little-endian
 * arrays: weights.f32, x<L>.f32 (L×inDim), t<L>.f64 (ms), ref<L>.f64 (L×hidden, causal), and per mask kind
 * mask<L>-<kind>.u8 (L×L, 1 = row j may attend to column i) and ref<L>-<kind>.f64.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TGAT_CONFIG, TgatEncoder, createWeights } from '../../src/tgat/index.js';
import { allowedColumns, buildMask } from '../../src/tgat/mask.js';
import { tgatFixture, windowKnnDag } from '../../src/synthetic/index.js';
import { Rng } from '../../src/stats/random.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const out = arg('out') ?? 'runs/pytorch-fixture';
const sizes = (arg('sizes') ?? '128,256,512,1024').split(',').map(Number);
for (const s of sizes) if (!Number.isInteger(s) || s < 1) throw new Error(`--sizes: bad size ${s}`);
mkdirSync(out, { recursive: true });

const config = { ...DEFAULT_TGAT_CONFIG };
const weights = createWeights(config, 42);
// Perturb every tensor (zero biases and unit gains would hide a missing or misplaced term).
const rng = new Rng(7);
for (const t of weights.tensors) {
  if (t.name === 'time.omega') continue; // keep the 1/10^linspace frequencies
  const view = weights.data.subarray(t.offset, t.offset + t.shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < view.length; i++) view[i] += 0.1 * rng.normal();
}
const encoder = new TgatEncoder(weights);
const raw = (a: Float32Array | Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
writeFileSync(join(out, 'weights.f32'), raw(weights.data));
const files: {
  n: number;
  x: string;
  t: string;
  ref: string;
  masks: Record<string, { allowed: string; ref: string }>;
}[] = [];
for (const n of sizes) {
  const f = tgatFixture(n, 1000 + n);
  const ref = new Float64Array(n * config.hidden);
  encoder.encode({ ...f, dag: null }, 'reference', { out: ref, topM: false });
  const names = {
    n,
    x: `x${n}.f32`,
    t: `t${n}.f64`,
    ref: `ref${n}.f64`,
    masks: {} as Record<string, { allowed: string; ref: string }>,
  };
  writeFileSync(join(out, names.x), raw(f.x));
  writeFileSync(join(out, names.t), raw(f.t));
  writeFileSync(join(out, names.ref), raw(ref));
  for (const kind of ['causal', 'dag'] as const) {
    const dag = kind === 'dag' ? windowKnnDag(f.t) : null;
    const m = buildMask(n, f.t, { windowMs: config.windowMs, selfAttention: config.selfAttention, dag });
    const allowed = new Uint8Array(n * n);
    for (let j = 0; j < n; j++) for (const i of allowedColumns(m, j)) allowed[j * n + i] = 1;
    const mref = new Float64Array(n * config.hidden);
    encoder.encode({ ...f, dag }, 'reference', { out: mref, topM: false });
    const entry = { allowed: `mask${n}-${kind}.u8`, ref: `ref${n}-${kind}.f64` };
    writeFileSync(join(out, entry.allowed), allowed);
    writeFileSync(join(out, entry.ref), raw(mref));
    names.masks[kind] = entry;
  }
  files.push(names);
  // Our own parity on the same weights and inputs, for the side-by-side table.
  const emb = encoder.encode({ ...f, dag: null }, 'time-bias-cache', { topM: false }).embeddings;
  let parity = 0;
  for (let i = 0; i < emb.length; i++) parity = Math.max(parity, Math.abs(emb[i] - ref[i]));
  console.log(`L=${n}: ironforge time-bias-cache max-abs vs reference ${parity.toExponential(2)}`);
}
writeFileSync(
  join(out, 'manifest.json'),
  JSON.stringify({ config, tensors: weights.tensors, files }, null, 2) + '\n',
);
console.log(`wrote ${files.length} fixtures and the weights to ${out}`);
