import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  AUTO_CANDIDATES,
  DEFAULT_TGAT_CONFIG,
  KERNEL_NAMES,
  TgatEncoder,
  createWeights,
  encodeSession,
  getAutoTable,
  kernelFromEnv,
  resolveAuto,
  setAutoTable,
  tensor,
  validateAutoTable,
  wasmAvailable,
} from '../src/tgat/index.js';
import type { AutoTable } from '../src/tgat/index.js';
import { attentionSession, resolveWeights } from '../src/tgat/encoder.js';
import { buildMask } from '../src/tgat/mask.js';
import { getKernel } from '../src/tgat/kernels/registry.js';
import { WasmArena } from '../src/tgat/wasm/runtime.js';
import { measureAutoTable, renderAutoTableModule } from '../src/app/tune.js';
import { registerTuneCommand, runTune } from '../src/cli/commands/tune.js';
import { Command } from 'commander';
import { tgatFixture, windowKnnDag } from './helpers/tgat-fixtures.js';
import { loadWeights, saveWeights } from '../src/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tgat-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function bytesOf(a: Float32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

describe('weights', () => {
  test('same seed ⇒ bit-identical weights and embeddings across runs; another seed differs', () => {
    const f = tgatFixture(150, 77);
    const input = { ...f, dag: windowKnnDag(f.t) };
    const a = encodeSession({ ...input, kernel: 'auto', weights: createWeights({}, 42) });
    const b = encodeSession({ ...input, kernel: 'auto', weights: createWeights({}, 42) });
    assert.ok(bytesOf(a.embeddings).equals(bytesOf(b.embeddings)), 'embeddings must be bit-identical');
    assert.deepEqual(a.attentionTopM.index, b.attentionTopM.index);
    assert.ok(bytesOf(a.attentionTopM.weight).equals(bytesOf(b.attentionTopM.weight)));
    // Reusing one encoder (buffers, wasm instances) gives the same bits as a fresh one.
    const enc = new TgatEncoder(createWeights({}, 42));
    enc.encode(tgatFixture(300, 1), 'time-bias-cache');
    const c = enc.encode(input, 'auto');
    assert.ok(bytesOf(c.embeddings).equals(bytesOf(a.embeddings)));
    const other = encodeSession({ ...input, kernel: 'auto', weights: createWeights({}, 43) });
    assert.ok(!bytesOf(other.embeddings).equals(bytesOf(a.embeddings)));
  });

  test('default architecture and documented initialisation', () => {
    const w = createWeights();
    assert.equal(w.seed, 42);
    assert.deepEqual(tensor(w, 'input.W').length, 45 * 44);
    assert.equal(tensor(w, 'layer1.ffn.W2').length, 88 * 44);
    const a = Math.sqrt(6 / (44 + 44));
    const wq = tensor(w, 'layer0.Wq');
    assert.ok(wq.every((v) => Math.abs(v) <= a) && wq.some((v) => Math.abs(v) > a / 2));
    assert.ok(tensor(w, 'layer0.ln1.g').every((v) => v === 1));
    assert.ok(tensor(w, 'layer0.gamma').every((v) => v === 1));
    assert.throws(() => createWeights({}, 1.5), /seed must be an integer/);
    assert.throws(() => createWeights({ hidden: 45 }), /divisible/);
    assert.throws(() => createWeights({ bogus: 1 } as never), /unknown field 'bogus'/);
  });

  test('save → load round trip is bit-identical and gives identical embeddings', () => {
    const w = createWeights({}, 5);
    const path = join(dir, 'w.bin');
    saveWeights(path, w);
    const back = loadWeights(path);
    assert.ok(bytesOf(back.data).equals(bytesOf(w.data)));
    assert.deepEqual(back.tensors, w.tensors);
    const f = tgatFixture(64, 3);
    const a = encodeSession({ ...f, kernel: 'baseline', weights: w });
    const b = encodeSession({ ...f, kernel: 'baseline', weights: back });
    assert.ok(bytesOf(a.embeddings).equals(bytesOf(b.embeddings)));
    // A non-default architecture travels in the header.
    const small = createWeights({ hidden: 16, heads: 2, ffnDim: 32, layers: 1 }, 9);
    saveWeights(join(dir, 's.bin'), small);
    assert.equal(loadWeights(join(dir, 's.bin')).config.hidden, 16);
  });

  test('a weights file of the wrong shape or content is a clear error', () => {
    const path = join(dir, 'w2.bin');
    saveWeights(path, createWeights({}, 1));
    assert.throws(
      () => loadWeights(path, { hidden: 32, heads: 4 }),
      /hidden=44, but the config has hidden=32/,
    );
    assert.throws(() => loadWeights(path, { layers: 3 }), /layers=2, but the config has layers=3/);
    const bytes = readFileSync(path);
    writeFileSync(join(dir, 'trunc.bin'), bytes.subarray(0, bytes.length - 4));
    assert.throws(() => loadWeights(join(dir, 'trunc.bin')), /bytes, header says/);
    const bad = Buffer.from(bytes);
    bad.write('XXXXXXXX', 0, 'latin1');
    writeFileSync(join(dir, 'magic.bin'), bad);
    assert.throws(() => loadWeights(join(dir, 'magic.bin')), /not an ironforge TGAT weights file/);
    const nan = Buffer.from(bytes);
    nan.writeFloatLE(NaN, nan.length - 4);
    writeFileSync(join(dir, 'nan.bin'), nan);
    assert.throws(() => loadWeights(join(dir, 'nan.bin')), /non-finite value NaN in tensor 'layer1.ln2.b'/);
    // Mismatched weights passed directly to the encoder.
    const f = tgatFixture(8, 1);
    assert.throws(
      () =>
        encodeSession({
          ...f,
          kernel: 'baseline',
          weights: createWeights({ hidden: 32 }),
          config: { hidden: 44 },
        }),
      /hidden=32, but the config has hidden=44/,
    );
  });
});

describe('bad input is a clear error', () => {
  const w = createWeights();
  const f = tgatFixture(20, 2);
  const call = (over: Record<string, unknown>): unknown =>
    encodeSession({ ...f, kernel: 'baseline', weights: w, ...over } as never);
  test('shapes', () => {
    assert.throws(() => call({ x: f.x.subarray(1) }), /x has 899 values, expected n×inDim = 20×45 = 900/);
    assert.throws(() => call({ inDim: 44 }), /inDim is 44, but the TGAT config expects inDim = 45/);
    assert.throws(() => call({ t: f.t.subarray(1) }), /t has 19 values, expected n = 20/);
    assert.throws(() => call({ x: Array.from(f.x) }), /x must be a Float32Array/);
    assert.throws(() => call({ n: -1 }), /n must be a non-negative integer/);
    assert.throws(() => call({ dag: { ...windowKnnDag(f.t), n: 21 } }), /dag\.n is 21/);
  });
  test('NaN/Inf in features, unsorted or non-finite times', () => {
    const x = f.x.slice();
    x[3 * 45 + 7] = NaN;
    assert.throws(() => call({ x }), /x\[3\]\[7\] is NaN/);
    x[3 * 45 + 7] = Infinity;
    assert.throws(() => call({ x }), /x\[3\]\[7\] is Infinity/);
    const t = f.t.slice();
    t[5] = t[4] - 1;
    assert.throws(() => call({ t }), /t is not sorted: t\[5\]/);
    t[5] = NaN;
    assert.throws(() => call({ t }), /t\[5\] is NaN/);
  });
  test('unknown kernel, backend or config value', () => {
    assert.throws(
      () => call({ kernel: 'fast' }),
      /unknown kernel 'fast' \(expected one of: reference, baseline, flash/,
    );
    assert.throws(() => call({ backend: 'gpu' }), /unknown backend 'gpu'/);
    assert.throws(() => call({ config: { windowMs: -5 } }), /windowMs must be null or a number ≥ 0/);
    assert.throws(() => call({ config: { topM: 1.5 } }), /topM must be an integer/);
  });
  test('an empty session is fine', () => {
    const r = encodeSession({
      x: new Float32Array(0),
      n: 0,
      inDim: 45,
      t: new Float64Array(0),
      kernel: 'auto',
      weights: w,
    });
    assert.equal(r.embeddings.length, 0);
  });
});

describe('kernel selection', () => {
  test('kernelFromEnv validates values and applies the documented precedence', () => {
    assert.equal(kernelFromEnv({}), null);
    assert.deepEqual(kernelFromEnv({ IRONFORGE_ENABLE_BLOCK_SPARSE: 'true' }), { kernel: 'block-sparse' });
    assert.deepEqual(
      kernelFromEnv({ IRONFORGE_ENABLE_BLOCK_SPARSE: '1', IRONFORGE_ENABLE_TIME_BIAS_CACHE: 'TRUE' }),
      {
        kernel: 'time-bias-cache',
      },
    );
    assert.deepEqual(kernelFromEnv({ IRONFORGE_ENABLE_FP16: '1', IRONFORGE_ENABLE_BLOCK_SPARSE: 'true' }), {
      kernel: 'half',
    });
    assert.deepEqual(kernelFromEnv({ IRONFORGE_ENABLE_AMP: 'true' }), { kernel: 'half' });
    assert.deepEqual(kernelFromEnv({ IRONFORGE_ENABLE_FLASH_ATTENTION: 'true' }), { kernel: 'flash' });
    assert.deepEqual(
      kernelFromEnv({ IRONFORGE_ENABLE_FLASH_ATTENTION: 'false', IRONFORGE_ENABLE_AMP: '0' }),
      { kernel: 'baseline' },
    );
    const cond = kernelFromEnv({ IRONFORGE_ENABLE_FLASH_ATTENTION: 'conditional' });
    assert.deepEqual(cond, { kernel: 'flash', maxN: 511, fallback: 'baseline' });
    assert.throws(
      () => kernelFromEnv({ IRONFORGE_ENABLE_BLOCK_SPARSE: 'yes' }),
      /IRONFORGE_ENABLE_BLOCK_SPARSE='yes' is not a valid value/,
    );
    assert.throws(
      () => kernelFromEnv({ IRONFORGE_ENABLE_AMP: 'conditional' }),
      /IRONFORGE_ENABLE_AMP='conditional'/,
    );
    assert.throws(
      () => kernelFromEnv({ IRONFORGE_ENABLE_FLASH_ATTENTION: 'maybe' }),
      /true, false, 1, 0 or conditional/,
    );
    // The conditional choice runs flash below 512 nodes and baseline above.
    const enc = new TgatEncoder(createWeights());
    assert.equal(enc.encode(tgatFixture(100, 1), cond as never, { topM: false }).kernel, 'flash');
    assert.equal(enc.encode(tgatFixture(600, 1), cond as never, { topM: false }).kernel, 'baseline');
  });

  test('auto resolves from the table by nearest size and mask kind, never to half or reference', () => {
    const table = getAutoTable();
    validateAutoTable(table);
    for (const e of table.entries) assert.ok(AUTO_CANDIDATES.includes(e.best));
    const custom: AutoTable = {
      ...table,
      entries: [
        { mask: 'causal', n: 128, best: 'flash', medianMs: {}, minMs: {} },
        { mask: 'causal', n: 1024, best: 'time-bias-cache', medianMs: {}, minMs: {} },
        { mask: 'dag', n: 256, best: 'block-sparse', medianMs: {}, minMs: {} },
      ],
    };
    assert.equal(resolveAuto(100, 'causal', custom), 'flash');
    assert.equal(resolveAuto(300, 'causal', custom), 'flash');
    assert.equal(resolveAuto(400, 'causal', custom), 'time-bias-cache');
    assert.equal(resolveAuto(5000, 'dag', custom), 'block-sparse');
    assert.throws(
      () => setAutoTable({ ...custom, entries: [{ ...custom.entries[0], best: 'half' }] }),
      /picks 'half'/,
    );
    const previous = getAutoTable();
    setAutoTable(custom);
    try {
      const enc = new TgatEncoder(createWeights());
      assert.equal(enc.encode(tgatFixture(120, 1), 'auto', { topM: false }).kernel, 'flash');
    } finally {
      setAutoTable(previous);
    }
    assert.ok(KERNEL_NAMES.includes('auto'));
  });

  test('measureAutoTable produces a valid, loadable table (tiny sizes)', () => {
    const table = measureAutoTable({ sizes: [24, 48], masks: ['causal'], trials: 2, warmup: 1 });
    validateAutoTable(table);
    assert.equal(table.entries.length, 2);
    for (const e of table.entries) {
      assert.ok((e.medianMs.baseline as number) > 0);
      for (const k of AUTO_CANDIDATES) assert.ok((e.parity?.[k] as number) <= 5e-7, `${k} parity`);
      assert.ok((e.minMs[e.best] as number) <= (e.minMs.baseline as number));
    }
    const src = renderAutoTableModule(table, 'test');
    assert.match(src, /export const DEFAULT_AUTO_TABLE: AutoTable = \{/);
  });

  test('tune command: registered with commander, bad option values are usage errors', async () => {
    const program = new Command().exitOverride();
    registerTuneCommand(program);
    assert.ok(program.commands.some((c) => c.name() === 'tune'));
    await assert.rejects(runTune({ sizes: '128,abc' }), /--sizes must be a positive integer, got 'abc'/);
    await assert.rejects(runTune({ masks: 'causal,window' }), /--masks: unknown mask 'window'/);
    await assert.rejects(runTune({ backend: 'gpu' }), /unknown --backend 'gpu'/);
    await assert.rejects(
      program.parseAsync(['node', 'x', 'tune', '--trials', '0']),
      /--trials must be a positive integer/,
    );
  });
});

describe('memory: flash and block-sparse allocate no n×n buffer', () => {
  const c = { ...DEFAULT_TGAT_CONFIG };
  const rw = resolveWeights(createWeights());
  const sessionFor = (n: number) => {
    const f = tgatFixture(n, 12);
    return attentionSession(c, rw, n, f.t, buildMask(n, f.t, { windowMs: null, selfAttention: true }));
  };
  const s1 = sessionFor(1024);
  const s2 = sessionFor(2048);
  // w(n) = a·n + b + c·n²: the superlinear part w(2048) − 2·w(1024) = 2c·1024² − b isolates c. An n×n
  // float32 buffer makes it ≈ 8 MiB (baseline); flash/block-sparse must stay under 1/64 of one 2048² buffer.
  const excess = (w1: number, w2: number): number => w2 - 2 * w1;
  const LIMIT = (4 * 2048 * 2048) / 64;
  test('declared workspace: no n×n term for flash/block-sparse, one for baseline', () => {
    for (const backend of ['ts', 'wasm'] as const) {
      if (backend === 'wasm' && !wasmAvailable()) continue;
      for (const name of ['flash', 'block-sparse'] as const) {
        const k = getKernel(name, backend);
        const e = excess(k.workspaceBytes(s1), k.workspaceBytes(s2));
        assert.ok(e < LIMIT, `${name}/${backend}: superlinear workspace ${e} bytes`);
      }
      const b = getKernel('baseline', backend);
      assert.ok(
        excess(b.workspaceBytes(s1), b.workspaceBytes(s2)) >= 4 * 1024 * 1024,
        'baseline holds n² scores',
      );
    }
  });
  test('measured wasm memory in use after prepare + run agrees with the declaration', (t) => {
    if (!wasmAvailable()) return t.skip('wasm unavailable');
    for (const name of ['flash', 'block-sparse'] as const) {
      const k = getKernel(name, 'wasm');
      const used = (s: typeof s1): number => {
        const st = k.prepare(s) as unknown as { host: { arena: WasmArena } };
        return st.host.arena.used();
      };
      const u1 = used(s1);
      const u2 = used(s2);
      assert.ok(excess(u1, u2) < LIMIT, `${name}: wasm bytes in use ${u1} → ${u2}`);
      assert.ok(
        u2 <= k.workspaceBytes(s2) + 64 * 32,
        `${name}: used ${u2} ≤ declared ${k.workspaceBytes(s2)}`,
      );
    }
  });
});
