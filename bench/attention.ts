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
 * --pytorch DIR: the fixture of `npx tsx bench/pytorch/export.ts --out DIR`. The same forward then runs in PyTorch
 * float32 in this run (bench/pytorch/tgat_forward.py under /usr/bin/python3, or $IRONFORGE_PYTHON), for every
 * mask and L, once before and once after our trials of that block (A/B/A), with OpenBLAS on one thread and the
 * glibc allocator kept warm (PYTORCH_ENV, printed); the ratio column is ours / PyTorch by min and by median
 * (our best kernel with parity ≤ 5e-7 against PyTorch's fastest float32 variant). --pytorch FILE.json reads
 * an earlier `tgat_forward.py --json` output instead (said to be from another run). A missing fixture, python or
 * torch is said, naming the file, and the bench runs everything else.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
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

/** One row of `python3 bench/pytorch/tgat_forward.py DIR --json` (PyTorch measured on this machine). */
interface PytorchRow {
  mask?: string;
  dtype: string;
  n: number;
  minMs: number;
  medianMs: number;
  parity: number;
  timesMs?: number[];
}

/** How PyTorch runs (issue 21): OpenBLAS on one thread, glibc's allocator kept warm. */
const PYTORCH_ENV: Record<string, string> = {
  OPENBLAS_NUM_THREADS: '1',
  GLIBC_TUNABLES:
    'glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=2147483648:glibc.malloc.top_pad=67108864',
};
const PYTHON = process.env.IRONFORGE_PYTHON ?? '/usr/bin/python3';
const PYTORCH_SCRIPT = 'bench/pytorch/tgat_forward.py';

/** What --pytorch gives: a fixture to run in this run, rows read from a file, or why there is no PyTorch column. */
type PytorchSource = { fixture: string } | { rows: PytorchRow[]; file: string } | { skipped: string } | null;

function pytorchSource(path: string | undefined): PytorchSource {
  if (!path) return null;
  if (!existsSync(path))
    return {
      skipped: `--pytorch ${path}: no such file or directory (make the fixture with: npx tsx bench/pytorch/export.ts --out ${path})`,
    };
  if (statSync(path).isDirectory()) {
    const manifest = join(path, 'manifest.json');
    if (!existsSync(manifest))
      return {
        skipped: `--pytorch ${path}: ${manifest} is missing (not a fixture of bench/pytorch/export.ts)`,
      };
    const probe = spawnSync(PYTHON, ['-c', 'import torch'], {
      encoding: 'utf8',
      env: { ...process.env, ...PYTORCH_ENV },
    });
    if (probe.status !== 0)
      return {
        skipped: `--pytorch ${path}: ${PYTHON} cannot import torch (${(probe.error?.message ?? probe.stderr.trim().split('\n').at(-1)) || 'unknown'}); apt-get install -y python3-torch libopenblas0-pthread`,
      };
    return { fixture: path };
  }
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { rows?: PytorchRow[] };
    if (!Array.isArray(parsed.rows))
      return { skipped: `--pytorch ${path}: no 'rows' array (expected tgat_forward.py --json output)` };
    return { rows: parsed.rows, file: path };
  } catch (e) {
    return { skipped: `--pytorch ${path}: unreadable: ${(e as Error).message}` };
  }
}

/** One PyTorch call for one (mask, L): every float32 variant, `trials` timed runs each, with PYTORCH_ENV. */
function runPytorch(
  fixture: string,
  mask: string,
  n: number,
  trials: number,
  warm: number,
): PytorchRow[] | string {
  const r = spawnSync(
    PYTHON,
    [
      PYTORCH_SCRIPT,
      fixture,
      '--json',
      '--masks',
      mask,
      '--sizes',
      String(n),
      '--dtypes',
      'float32',
      '--trials',
      String(trials),
      '--warmup',
      String(warm),
    ],
    { encoding: 'utf8', env: { ...process.env, ...PYTORCH_ENV }, maxBuffer: 64 * 2 ** 20 },
  );
  if (r.status !== 0)
    return `${PYTORCH_SCRIPT} ${fixture} (mask ${mask}, L=${n}) failed: ${(r.error?.message ?? r.stderr.trim().split('\n').at(-1)) || `exit ${r.status}`}`;
  const out = JSON.parse(r.stdout) as {
    info: { env?: Record<string, string>; threads: number; torch: string };
    rows: PytorchRow[];
  };
  for (const [k, v] of Object.entries(PYTORCH_ENV))
    if (out.info.env?.[k] !== v)
      return `${PYTORCH_SCRIPT} did not run with ${k}=${v} (it reported ${out.info.env?.[k]})`;
  pytorchInfo = `PyTorch ${out.info.torch}, ${out.info.threads} thread, ran with ${Object.entries(
    out.info.env ?? {},
  )
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}`;
  return out.rows;
}
let pytorchInfo = '';

const sortedMedian = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/** PyTorch's fastest float32 variant (by min) over the samples of both calls. */
function bestPytorch(rows: PytorchRow[]): PytorchRow | null {
  const byVariant = new Map<string, PytorchRow[]>();
  for (const r of rows) byVariant.set(r.dtype, [...(byVariant.get(r.dtype) ?? []), r]);
  let best: PytorchRow | null = null;
  for (const [dtype, rs] of byVariant) {
    const times = rs.flatMap((r) => r.timesMs ?? [r.minMs]);
    const row = {
      ...rs[0],
      dtype,
      minMs: Math.min(...times),
      medianMs: rs[0].timesMs ? sortedMedian(times) : rs[0].medianMs,
      parity: Math.max(...rs.map((r) => r.parity)),
    };
    if (!best || row.minMs < best.minMs) best = row;
  }
  return best;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const json = process.argv.includes('--json');
/** Extra warm-up rounds for the first (mask, L) block. */
const FIRST_BLOCK_EXTRA_WARMUP = 20;
const pytorchSrc = pytorchSource(arg('pytorch'));
const skipped: string[] = [];
if (pytorchSrc && 'skipped' in pytorchSrc) skipped.push(`the PyTorch column: ${pytorchSrc.skipped}`);
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
if (pytorchSrc && 'skipped' in pytorchSrc) {
  process.stderr.write(`attention bench: ${pytorchSrc.skipped}; running without the PyTorch column\n`);
  log(`# SKIPPED the PyTorch column: ${pytorchSrc.skipped}`);
}
if (pytorchSrc && 'fixture' in pytorchSrc)
  log(
    `# PyTorch side: ${PYTHON} ${PYTORCH_SCRIPT} ${pytorchSrc.fixture}, float32, run with ${Object.entries(
      PYTORCH_ENV,
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}; called before and after our trials of each block (A/B/A)`,
  );
if (pytorchSrc && 'rows' in pytorchSrc)
  log(`# PyTorch figures read from ${pytorchSrc.file}: an earlier run, NOT measured in this run`);
interface PeerRow {
  mask: string;
  n: number;
  ours: string;
  oursMinMs: number;
  oursMedianMs: number;
  oursParity: number;
  torchVariant: string;
  torchMinMs: number;
  torchMedianMs: number;
  torchParity: number;
  ratioMin: number;
  ratioMedian: number;
}
const peer: PeerRow[] = [];
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
    const torchRows: PytorchRow[] = [];
    const torchCall = () => {
      if (!pytorchSrc || !('fixture' in pytorchSrc)) return;
      const got = runPytorch(pytorchSrc.fixture, mask, n, Math.max(1, Math.ceil(trials / 2)), warmup);
      if (typeof got === 'string') skipped.push(`PyTorch at mask=${mask} L=${n}: ${got}`);
      else torchRows.push(...got);
    };
    torchCall(); // A/B/A: PyTorch, ours, PyTorch
    const attnT = timeInterleaved(attnFns, trials, warm, slow);
    const fwdT = timeInterleaved(fwdFns, trials, warm, slow);
    torchCall();
    if (pytorchSrc && 'rows' in pytorchSrc)
      torchRows.push(
        ...pytorchSrc.rows.filter(
          (r) => r.n === n && (r.mask ?? 'causal') === mask && r.dtype.startsWith('float32'),
        ),
      );
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
    const torch = bestPytorch(torchRows);
    // Our best kernel at the 5e-7 parity (by min forward time); `auto` and `half` are not separate candidates.
    const oursBest = block
      .filter(
        (r) => r.kernel !== 'reference' && r.kernel !== 'auto' && r.kernel !== 'half' && r.parity <= 5e-7,
      )
      .sort((a, b) => a.fwdMinMs - b.fwdMinMs)[0];
    if (torch && oursBest)
      peer.push({
        mask,
        n,
        ours: oursBest.kernel,
        oursMinMs: oursBest.fwdMinMs,
        oursMedianMs: oursBest.fwdMedianMs,
        oursParity: oursBest.parity,
        torchVariant: torch.dtype,
        torchMinMs: torch.minMs,
        torchMedianMs: torch.medianMs,
        torchParity: torch.parity,
        ratioMin: oursBest.fwdMinMs / torch.minMs,
        ratioMedian: oursBest.fwdMedianMs / torch.medianMs,
      });
    const p = peer.at(-1);
    log(
      `\n## mask=${mask} L=${n}  (${(flops / 1e6).toFixed(1)} MFLOP per forward${p && p.mask === mask && p.n === n ? `; PyTorch ${p.torchVariant} ${p.torchMinMs.toFixed(2)} / ${p.torchMedianMs.toFixed(2)} ms min/median (parity ${p.torchParity.toExponential(1)}); ours/PyTorch ${p.ratioMin.toFixed(2)}× by min, ${p.ratioMedian.toFixed(2)}× by median (${p.ours})` : ''})`,
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

// The half kernel's memory saving, beside its speed: K/V storage it reads and its declared workspace against
// block-sparse (the same traversal in float32), at each L of the last mask.
const halfRows = rows.filter((r) => r.kernel === 'half');
if (halfRows.length) {
  log('\n## half: memory beside speed (vs block-sparse, the same traversal with float32 K/V)');
  log(
    'mask    L      K/V read (half vs f32)   workspace half / block-sparse      fwd median half / block-sparse',
  );
  const cfgKv = (n: number, bytes: number) => 2 * n * config.heads * (config.hidden / config.heads) * bytes;
  for (const h of halfRows) {
    const b = rows.find((r) => r.kernel === 'block-sparse' && r.mask === h.mask && r.n === h.n);
    if (!b) continue;
    log(
      `${h.mask.padEnd(8)}${String(h.n).padEnd(7)}${(cfgKv(h.n, 2) / 1024).toFixed(0)} / ${(cfgKv(h.n, 4) / 1024).toFixed(0)} KiB (−50%)`.padEnd(
        40,
      ) +
        `${(h.workspaceBytes / 1024).toFixed(0)} / ${(b.workspaceBytes / 1024).toFixed(0)} KiB (${((h.workspaceBytes / b.workspaceBytes - 1) * 100).toFixed(0)}%)`.padEnd(
          35,
        ) +
        `${h.fwdMedianMs.toFixed(3)} / ${b.fwdMedianMs.toFixed(3)} ms (${(h.fwdMedianMs / b.fwdMedianMs).toFixed(2)}×)`,
    );
  }
}

if (peer.length) {
  log(
    `\n## ours / PyTorch float32 (${pytorchInfo || 'figures read from a file'}), same run, measured under whatever load the machine had`,
  );
  log(
    'mask    L      ours (kernel)              PyTorch (variant)          ratio min  ratio median  parity ours / PyTorch',
  );
  for (const p of peer)
    log(
      `${p.mask.padEnd(8)}${String(p.n).padEnd(7)}${`${p.oursMinMs.toFixed(2)} / ${p.oursMedianMs.toFixed(2)} (${p.ours})`.padEnd(34)}${`${p.torchMinMs.toFixed(2)} / ${p.torchMedianMs.toFixed(2)} (${p.torchVariant})`.padEnd(34)}${p.ratioMin.toFixed(2).padStart(9)}  ${p.ratioMedian.toFixed(2).padStart(12)}  ${p.oursParity.toExponential(1)} / ${p.torchParity.toExponential(1)}`,
    );
}
if (skipped.length) {
  log('\n## skipped');
  for (const s of skipped) log(`- ${s}`);
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
        pytorchEnv: PYTORCH_ENV,
        pytorchInfo,
        peer,
        skipped,
        rows,
      },
      null,
      2,
    ) + '\n',
  );
}
