import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { mkdtemp } from './helpers/tmp.js';
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

  test('the report carries drift, PARK/DISCARD baselines and, with --rolling, the folds', async () => {
    const r = await runStage7Cli('inject', 'validate', 'data/sample/enhanced', '--rolling', '--json');
    assert.equal(r.code, 0, r.stderr);
    const rep = JSON.parse(r.stdout);
    assert.equal(rep.status, 'done');
    assert.ok(rep.drift.kindJsd >= 0 && rep.drift.kindJsd <= 1);
    assert.equal(rep.drift.sections.length, 7);
    assert.deepEqual(Object.keys(rep.replication.byClass), ['PROMOTE', 'FLOOR-LIMITED', 'PARK', 'DISCARD']);
    assert.equal(rep.replication.holdoutDays, rep.split.holdoutDates.length);
    assert.equal(rep.replication.byClass.PROMOTE.replicated, rep.summary.replicated);
    // The sample has 6 trading days: folds for days 4, 5 and 6.
    assert.equal(rep.rolling.status, 'done');
    assert.deepEqual(
      rep.rolling.folds.map((f: { day: string }) => f.day),
      ['2025-07-29', '2025-07-30', '2025-07-31'],
    );
    const text = await runStage7Cli(
      'inject',
      'validate',
      'data/sample/enhanced',
      '--rolling',
      '--min-days',
      '6',
    );
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /drift: kind-mix JSD 0\.\d{3}, section-mix JSD 0\.\d{3}; sections present/);
    assert.match(text.stdout, /^PARK +\d+ +\d+/m);
    assert.match(
      text.stdout,
      /rolling origin skipped: rolling origin needs at least 7 trading days \(6 for the first discovery \+ 1 holdout day\), got 6/,
    );
  });

  test('one session: validation skipped naming the count; the skipped report is written; exit 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ifg-validate-'));
    const out = join(dir, 'validation.json');
    const one = 'data/sample/enhanced/enhanced_rel_NY_AM_Lvl-1_2025_07_29.json';
    const r = await runStage7Cli('inject', 'validate', one, '--out', out);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /validation skipped: temporal split: needs at least 2 sessions, got 1/);
    const rep = JSON.parse(await readFile(out, 'utf8'));
    assert.equal(rep.status, 'skipped');
    assert.equal(rep.sessions, 1);
  });

  test('a bad --split-date exits 2', async () => {
    const r = await runStage7Cli('inject', 'validate', '--split-date', 'July 29');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--split-date must be YYYY-MM-DD, got "July 29"/);
  });
});
