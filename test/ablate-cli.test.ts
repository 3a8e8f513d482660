/** `ironforge ablate`: the --json shape on the sample bars (with a weights file), usage errors, unreadable weights. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { saveWeights } from '../src/store/index.js';
import { createWeights } from '../src/tgat/index.js';

const BIN = resolve('bin/ironforge.js');
const SAMPLE = 'data/sample/bars/nq_m5_from_records.csv';
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, 'ablate', ...args], { encoding: 'utf8', timeout: 120_000 });

test('ablate --json on the sample bars with --weights: three feature sets, climatology, verdict', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ifg-ablate-'));
  try {
    const w = join(dir, 'w.bin');
    saveWeights(w, createWeights({}, 7));
    const r = cli('--bars', SAMPLE, '--weights', w, '--json');
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    for (const k of ['outcome', 'mode', 'climatology', 'sets', 'folds', 'verdict', 'testEvents', 'testDays'])
      assert.ok(k in j, `--json lacks ${k}`);
    assert.equal(j.mode, 'as-of');
    assert.deepEqual(
      j.sets.map((s: { set: string }) => s.set),
      ['hand', 'tgat_untrained', 'tgat_trained'],
    );
    assert.ok(!('fits' in j.folds[0]));
    assert.match(j.verdict, /base rate/);
    const text = cli('--bars', SAMPLE);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /verdict: /);
    assert.match(text.stdout, /no --weights/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('ablate without --bars is a usage error (exit 2); an unreadable weights file exits 1 naming it', async () => {
  const r = cli();
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--bars/);
  const dir = await mkdtemp(join(tmpdir(), 'ifg-ablate-'));
  try {
    const w = join(dir, 'bad.bin');
    await writeFile(w, 'not weights');
    const b = cli('--bars', SAMPLE, '--weights', w);
    assert.equal(b.status, 1);
    assert.match(b.stderr, /bad\.bin/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
