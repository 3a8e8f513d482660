import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStage7Cli } from './helpers/stage7-run.js';

describe('ironforge validate', () => {
  test('without a wired miner it fails (exit 1) saying what is missing', async () => {
    const r = await runStage7Cli('plain', 'validate');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not implemented: `validate` needs the motif miner/);
  });

  test('with the stub miner: split by date on the sample, report written to --out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ifg-validate-'));
    const out = join(dir, 'validation.json');
    const r = await runStage7Cli(
      'inject',
      'validate',
      'data/sample/enhanced',
      '--split-date',
      '2025-07-29',
      '--out',
      out,
      '--json',
    );
    assert.equal(r.code, 0, r.stderr);
    const rep = JSON.parse(await readFile(out, 'utf8'));
    assert.deepEqual(JSON.parse(r.stdout), rep);
    assert.equal(rep.kind, 'ironforge.validation');
    assert.deepEqual(rep.split.discoveryDates, ['2025-07-24', '2025-07-25', '2025-07-28']);
    assert.deepEqual(rep.split.holdoutDates, ['2025-07-29', '2025-07-30', '2025-07-31']);
    assert.equal(rep.discovery.sessions + rep.holdout.sessions, 35);
    assert.equal(rep.discovery.motifsTested, 3);
    assert.equal(rep.summary.promoted, rep.motifs.length);
    assert.equal(
      rep.summary.replicated,
      rep.motifs.filter((m: { holdout: { replicated: boolean } }) => m.holdout.replicated).length,
    );
    for (const m of rep.motifs) {
      assert.ok(m.holdout.recurrence >= 0 && m.holdout.recurrence <= 1);
      assert.equal(m.holdout.replicated, m.holdout.q < 0.05);
    }
  });

  test('a bad --split-date exits 2', async () => {
    const r = await runStage7Cli('inject', 'validate', '--split-date', 'July 29');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--split-date must be YYYY-MM-DD, got "July 29"/);
  });
});
