/** `ironforge evaluate`: the --json shape, --out files, bad rule files (exit 2) and a bad bar file among good ones (exit 1). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readParquet } from '../src/io/parquet.js';

const BIN = resolve('bin/ironforge.js');
const SAMPLE = 'data/sample/bars/nq_m5_from_records.csv';
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, 'evaluate', ...args], { encoding: 'utf8', timeout: 120_000 });

test('evaluate --json on the sample bars has the documented shape; --out writes parquet + json', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ifg-eval-'));
  try {
    const r = cli('--bars', SAMPLE, '--json', '--out', dir);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    for (const k of ['signals', 'horizons', 'rows', 'oracle', 'headline', 'skipped'])
      assert.ok(k in j, `--json lacks ${k}`);
    for (const k of ['coverage', 'nominal', 'meanWidth', 'baselines'])
      assert.ok(k in j.oracle, `oracle lacks ${k}`);
    assert.deepEqual(j.horizons, ['5m', '15m', '30m', '60m', 'close', 'session']);
    assert.match(
      j.headline.text,
      /nothing could be tested|no signal distinguishable|differ from their matched control/,
    );
    const t = await readParquet(join(dir, 'evaluation.parquet'));
    assert.ok(t.columns.some((c) => c.name === 'q'));
    const set = JSON.parse(await readFile(join(dir, 'evaluation.json'), 'utf8'));
    assert.equal(set.evaluations[0].source, SAMPLE);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a rule file with an unknown field is a usage error naming file, rule and field', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ifg-eval-'));
  try {
    const rules = join(dir, 'rules.json');
    await writeFile(rules, JSON.stringify({ signals: [{ name: 'x', label: 'bos_up', whithin: 3 }] }));
    const r = cli('--bars', SAMPLE, '--rules', rules);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /rules\.json: signals\.0: unknown field "whithin"/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a missing bar file among good ones: reported, the others evaluated, exit 1', () => {
  const r = cli('--bars', '/no/such/bars.csv', SAMPLE, '--json', '--no-oracle');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /\/no\/such\/bars\.csv/);
  const j = JSON.parse(r.stdout);
  assert.equal(j.evaluations.length, 1);
  assert.equal(j.failures[0].file, '/no/such/bars.csv');
});

test('evaluate without --bars says what it needs (exit 2)', () => {
  const r = cli();
  assert.equal(r.status, 2);
  assert.match(r.stderr, /evaluate needs bars: --bars FILE/);
});
