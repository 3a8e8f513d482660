/**
 * The PyTorch side of the attention bench (bench/attention.ts --pytorch DIR), without PyTorch: a stand-in
 * "python" (IRONFORGE_PYTHON) reports the environment it was started with, so the test sees that the bench runs
 * the peer with OPENBLAS_NUM_THREADS=1 and the warm-allocator GLIBC_TUNABLES and prints that it did; and a
 * missing fixture is named, the PyTorch column skipped, the rest of the bench run. Timings are not asserted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';

const BENCH = 'dist/bench/attention.js';
const TUNABLES =
  'glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=2147483648:glibc.malloc.top_pad=67108864';
let dir = '';

function bench(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(
    process.execPath,
    [
      BENCH,
      '--sizes',
      '16',
      '--masks',
      'causal',
      '--trials',
      '1',
      '--warmup',
      '0',
      '--kernels',
      'baseline,time-bias-cache',
      ...args,
    ],
    {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, OPENBLAS_NUM_THREADS: '', GLIBC_TUNABLES: '', ...env },
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(async () => {
  dir = await mkdtemp(join(os.tmpdir(), 'bench-pytorch-'));
  await mkdir(join(dir, 'fixture'));
  await writeFile(join(dir, 'fixture', 'manifest.json'), '{}');
  // Stand-in python: `-c 'import torch'` succeeds; a bench call answers one row and the env it was given.
  await writeFile(
    join(dir, 'python'),
    `#!/bin/sh
if [ "$1" = "-c" ]; then exit 0; fi
printf '{"info":{"torch":"stand-in","threads":1,"env":{"OPENBLAS_NUM_THREADS":"%s","GLIBC_TUNABLES":"%s"}},"rows":[{"mask":"%s","dtype":"float32 addmm","n":%s,"minMs":1000,"medianMs":1000,"parity":1e-6,"timesMs":[1000,1000]}]}' "$OPENBLAS_NUM_THREADS" "$GLIBC_TUNABLES" "$5" "$7"
`,
  );
  await chmod(join(dir, 'python'), 0o755);
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('attention bench: the PyTorch peer', () => {
  test('runs PyTorch with one OpenBLAS thread and the warm allocator, says so, and prints the ratio', () => {
    const r = bench(['--pytorch', join(dir, 'fixture')], { IRONFORGE_PYTHON: join(dir, 'python') });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(`# PyTorch side: .* run with OPENBLAS_NUM_THREADS=1 GLIBC_TUNABLES=${TUNABLES}`),
    );
    // The child's own report of its environment (it would be empty had the bench not passed it).
    assert.match(
      r.stdout,
      new RegExp(`stand-in, 1 thread, ran with OPENBLAS_NUM_THREADS=1 GLIBC_TUNABLES=${TUNABLES}`),
    );
    // "ours" is the fastest kernel within the parity bound: with one trial at L = 16 either may win
    assert.match(
      r.stdout,
      /ours\/PyTorch [\d.]+× by min, [\d.]+× by median \((?:baseline|time-bias-cache)\)/,
    );
    assert.match(r.stdout, /^causal {2}16 .*float32 addmm/m);
    assert.doesNotMatch(r.stdout, /## skipped/);
  });

  test('a missing fixture is named, the PyTorch column skipped, everything else still measured', () => {
    const missing = join(dir, 'no-such-fixture');
    const r = bench(['--pytorch', missing]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`--pytorch ${missing}: no such file or directory .*running without the PyTorch column`),
    );
    assert.match(r.stdout, /## mask=causal L=16/);
    assert.match(r.stdout, /^time-bias-cache /m);
    assert.match(
      r.stdout,
      /## skipped\n- the PyTorch column: --pytorch .*no-such-fixture: no such file or directory/,
    );
  });

  test('a directory that is not a fixture names its missing manifest.json', () => {
    const r = bench(['--pytorch', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`${join(dir, 'manifest.json')} is missing`));
  });
});
