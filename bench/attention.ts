/**
 * Attention kernel benchmark (single thread). For each mask kind, size L and kernel:
 *   attn  — the kernel alone: prepare + one run per layer on the model's real layer-0 Q/K/V;
 *   fwd   — the full 2-layer encoder forward (session setup, dense layers, attention; no top-m read-out);
 * min and median ms over --trials runs (interleaved round-robin across kernels) after --warmup, ratio to `baseline` (baseline median / kernel median),
 * parity (max-abs of the embeddings vs the float64 `reference`), declared kernel workspace, and the FLOP rate
 * of the forward (model FLOPs / min time) next to the measured wasm SIMD peak of this machine.
 *
 *   npx tsx bench/attention.ts [--json] [--sizes 128,256,512,1024] [--masks causal,dag] [--trials 20]
 *                              [--warmup 5] [--backend auto|ts|wasm] [--kernels a,b,…] [--pytorch FILE]
 *
 * --pytorch FILE: the JSON of `python3 bench/pytorch/tgat_forward.py DIR --json` (the same forward in PyTorch,
 * measured on this machine; see that script), printed next to our causal rows.
 */
import { readFileSync } from 'node:fs';
import {
  DEFAULT_TGAT_CONFIG,
  KERNEL_NAMES,
  TgatEncoder,
  createWeights,
  parseBackend,
} from '../src/tgat/index.js';
import type { ConcreteKernelName, KernelName } from '../src/tgat/index.js';
import { allocateKernelBuffers, attentionSession, resolveWeights } from '../src/tgat/encoder.js';
import { TsDenseBackend } from '../src/tgat/dense-backend.js';
import { buildMask } from '../src/tgat/mask.js';
import { forwardFlops, machineInfo, measureSimdPeak, timeInterleaved } from '../src/app/measure.js';
import { tgatFixture, windowKnnDag } from '../src/synthetic/index.js';
import { applyWasmEnv } from '../src/tgat/index.js';

applyWasmEnv(process.env);

/** PyTorch 1.13, same math (causal), one CPU thread, best of 60 — quoted from the issue, not measured here. */
const PYTORCH_BEST_MS: Record<number, number> = { 128: 0.33, 256: 1.6, 512: 5.3, 1024: 19 };

/** One row of `python3 bench/pytorch/tgat_forward.py DIR --json` (PyTorch measured on this machine). */
interface PytorchRow {
  dtype: string;
  n: number;
  minMs: number;
  medianMs: number;
  parity: number;
}

/** --pytorch FILE: PyTorch figures measured here, shown next to ours (the fastest variant per dtype and L). */
function readPytorch(path: string | undefined): PytorchRow[] {
  if (!path) return [];
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { rows?: PytorchRow[] };
  if (!Array.isArray(parsed.rows))
    throw new Error(`--pytorch ${path}: no 'rows' array (expected tgat_forward.py --json output)`);
  return parsed.rows;
}

function pytorchNote(rows: readonly PytorchRow[], n: number): string {
  const best = (prefix: string) =>
    rows.filter((r) => r.n === n && r.dtype.startsWith(prefix)).sort((a, b) => a.minMs - b.minMs)[0];
  return ['float32', 'float64']
    .map((d) => best(d))
    .filter((r): r is PytorchRow => r !== undefined)
    .map(
      (r) =>
        `PyTorch here ${r.dtype} ${r.minMs.toFixed(2)} / ${r.medianMs.toFixed(2)} ms (parity ${r.parity.toExponential(1)})`,
    )
    .join('; ');
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const json = process.argv.includes('--json');
/** Extra warm-up rounds for the first (mask, L) block. */
const FIRST_BLOCK_EXTRA_WARMUP = 20;
const pytorch = readPytorch(arg('pytorch'));
const sizes = (arg('sizes') ?? '128,256,512,1024').split(',').map(Number);
const masks = (arg('masks') ?? 'causal,dag').split(',') as ('causal' | 'dag')[];
const trials = Number(arg('trials') ?? 20);
const warmup = Number(arg('warmup') ?? 5);
const backend = parseBackend(arg('backend') ?? 'auto');
const kernels = (arg('kernels') ?? KERNEL_NAMES.join(',')).split(',') as KernelName[];
for (const s of sizes) if (!Number.isInteger(s) || s < 1) throw new Error(`--sizes: bad size ${s}`);
for (const m of masks) if (m !== 'causal' && m !== 'dag') throw new Error(`--masks: unknown mask '${m}'`);

interface Row {
  mask: string;
  n: number;
  kernel: KernelName;
  resolved: ConcreteKernelName;
  backend: string;
  attnMinMs: number;
  attnMedianMs: number;
  fwdMinMs: number;
  fwdMedianMs: number;
  fwdRatio: number;
  attnRatio: number;
  parity: number;
  workspaceBytes: number;
  gflops: number;
  trials: number;
}

const config = { ...DEFAULT_TGAT_CONFIG };
const weights = createWeights(config, 42);
const rw = resolveWeights(weights);
const encoder = new TgatEncoder(weights, { backend });
const peak = measureSimdPeak();
const rows: Row[] = [];
const log = (s: string): void => {
  if (!json) process.stdout.write(s + '\n');
};

log(
  `# TGAT attention bench — ${machineInfo().cpu}, node ${process.version}, single thread, backend ${backend}`,
);
log(
  `# trials ${trials} (reference: 3), warm-up ${warmup}; ms = milliseconds; ratio = baseline median / kernel median`,
);
if (peak)
  log(
    `# measured wasm SIMD peak: f64x2 ${peak.f64Gflops.toFixed(1)} GFLOP/s, f32x4 ${peak.f32Gflops.toFixed(1)} GFLOP/s (${peak.method})`,
  );

for (const mask of masks) {
  for (const n of sizes) {
    const f = tgatFixture(n, 1000 + n);
    const dag = mask === 'dag' ? windowKnnDag(f.t) : null;
    const input = { ...f, dag };
    const ref = new Float64Array(n * config.hidden);
    encoder.encode(input, 'reference', { out: ref, topM: false });
    // Layer-0 Q/K/V of the real model for the attention-only timing.
    const m = buildMask(n, f.t, { windowMs: config.windowMs, selfAttention: config.selfAttention, dag });
    const session = attentionSession(config, rw, n, f.t, m);
    const dense = new TsDenseBackend(config, rw);
    const b32 = allocateKernelBuffers(config, n, 'float32');
    const b64 = allocateKernelBuffers(config, n, 'float64');
    dense.inputProjection(f.x, n);
    dense.qkv(0, n, b32.q, b32.k, b32.v);
    b64.q.set(b32.q);
    b64.k.set(b32.k);
    b64.v.set(b32.v);
    const flops = forwardFlops(config, n, m);
    // Every kernel's trials are interleaved round-robin (attention-only and forward separately), so load
    // changes on a shared machine affect all kernels alike; `reference` gets 3 trials.
    const attnFns: Record<string, () => void> = {};
    const fwdFns: Record<string, () => void> = {};
    const slow: Record<string, number> = {};
    const out = new Float32Array(n * config.hidden);
    for (const name of kernels) {
      const kern = encoder.kernelFor(name, n, !!dag);
      const buf = kern.precision === 'float64' ? b64 : b32;
      attnFns[name] = () => {
        const st = kern.prepare(session);
        for (let l = 0; l < config.layers; l++) {
          kern.run(st, { q: buf.q, k: buf.k, v: buf.v, gamma: rw.layers[l].gamma, out: buf.attn });
        }
      };
      fwdFns[name] = () => encoder.encode(input, name, { out, topM: false });
      if (name === 'reference') slow[name] = 3;
    }
    // The first block also warms the JIT (the dense layers are TypeScript): without the extra rounds a run of a
    // single kernel measured its first L ~50% slow.
    const warm = rows.length === 0 ? warmup + FIRST_BLOCK_EXTRA_WARMUP : warmup;
    const attnT = timeInterleaved(attnFns, trials, warm, slow);
    const fwdT = timeInterleaved(fwdFns, trials, warm, slow);
    const block: Row[] = [];
    for (const name of kernels) {
      const kern = encoder.kernelFor(name, n, !!dag);
      const emb = encoder.encode(input, name, { topM: false }).embeddings;
      let parity = 0;
      for (let i = 0; i < emb.length; i++) parity = Math.max(parity, Math.abs(emb[i] - ref[i]));
      block.push({
        mask,
        n,
        kernel: name,
        resolved: kern.name,
        backend: kern.backend,
        attnMinMs: attnT[name].minMs,
        attnMedianMs: attnT[name].medianMs,
        fwdMinMs: fwdT[name].minMs,
        fwdMedianMs: fwdT[name].medianMs,
        fwdRatio: 0,
        attnRatio: 0,
        parity,
        workspaceBytes: kern.workspaceBytes(session),
        gflops: flops / (fwdT[name].minMs * 1e6),
        trials: slow[name] ?? trials,
      });
    }
    const base = block.find((r) => r.kernel === 'baseline') ?? block[0];
    for (const r of block) {
      r.fwdRatio = base.fwdMedianMs / r.fwdMedianMs;
      r.attnRatio = base.attnMedianMs / r.attnMedianMs;
    }
    rows.push(...block);
    log(
      `\n## mask=${mask} L=${n}  (${(flops / 1e6).toFixed(1)} MFLOP per forward${mask === 'causal' && PYTORCH_BEST_MS[n] ? `; PyTorch 1.13 best-of-60 ${PYTORCH_BEST_MS[n]} ms, quoted` : ''}${mask === 'causal' && pytorch.some((r) => r.n === n) ? `; ${pytorchNote(pytorch, n)}` : ''})`,
    );
    log(
      'kernel'.padEnd(22) +
        'backend  attn min  attn med  ratio   fwd min   fwd med  ratio  GFLOP/s  parity     workspace',
    );
    for (const r of block) {
      const label = r.kernel === 'auto' ? `auto→${r.resolved}` : r.kernel;
      log(
        `${label.padEnd(22)}${r.backend.padEnd(9)}${r.attnMinMs.toFixed(3).padStart(8)}  ${r.attnMedianMs.toFixed(3).padStart(8)}  ${r.attnRatio.toFixed(2).padStart(5)}  ${r.fwdMinMs.toFixed(3).padStart(8)}  ${r.fwdMedianMs.toFixed(3).padStart(8)}  ${r.fwdRatio.toFixed(2).padStart(5)}  ${r.gflops.toFixed(2).padStart(7)}  ${r.parity.toExponential(2).padEnd(9)}  ${(r.workspaceBytes / 1024).toFixed(0).padStart(7)} KiB`,
      );
    }
  }
}

if (json) {
  process.stdout.write(
    JSON.stringify(
      {
        machine: machineInfo(),
        backend,
        trials,
        warmup,
        simdPeak: peak,
        pytorchBestMsQuoted: PYTORCH_BEST_MS,
        pytorchMeasuredHere: pytorch,
        rows,
      },
      null,
      2,
    ) + '\n',
  );
}
