import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { mkdtemp } from './helpers/tmp.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getColumn, readParquet } from '../src/io/parquet.js';
import { runStage7Cli } from './helpers/stage7-run.js';
import { writeSampleEmbeddings } from './helpers/stage7-embeddings.js';

describe('ironforge score', () => {
  let runDir: string;
  before(async () => {
    runDir = await writeSampleEmbeddings();
  });

  test('--run --out: scores.parquet, windows.parquet and stats.json; motif reported unavailable', async () => {
    const out = await mkdtemp(join(tmpdir(), 'ifg-score-'));
    const r = await runStage7Cli(
      'plain',
      'score',
      'data/sample/enhanced',
      '--run',
      runDir,
      '--k',
      '4',
      '--out',
      out,
      '--json',
    );
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.sessionRows.length, 35);
    assert.deepEqual(
      j.unavailable.map((u: { component: string }) => u.component),
      ['motif'],
    );
    assert.equal(j.patterns.k, 4);
    for (const s of j.sessionRows) {
      assert.equal(s.motif, null);
      assert.ok(s.rarity >= 0 && s.rarity <= 1);
      assert.ok(s.score >= 0 && s.score <= 100);
    }
    const scores = await readParquet(join(out, 'scores.parquet'));
    assert.equal(scores.numRows, 35);
    const windows = await readParquet(join(out, 'windows.parquet'));
    assert.equal(windows.numRows, j.windowRows.length);
    const ws = getColumn(windows, 'score', 'float64');
    j.windowRows.forEach((w: { score: number }, i: number) => assert.equal(ws[i], w.score));
    const stats = JSON.parse(await readFile(join(out, 'stats.json'), 'utf8'));
    assert.equal(stats.scale, '0-100');
    assert.equal(stats.sessions.count, 35);
    assert.equal(stats.config.windowMinutes, 15);
  });

  test('injected encoder + motif source: all components available; --weights selects one component', async () => {
    const r = await runStage7Cli(
      'inject',
      'score',
      '--weights',
      'structure=1,motif=0,rarity=0,htf=0',
      '--k',
      '3',
      '--window',
      '30',
      '--json',
    );
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.unavailable, []);
    assert.equal(j.config.windowMinutes, 30);
    for (const w of j.windowRows) assert.ok(Math.abs(w.score - 100 * w.structure) < 1e-9);
    assert.ok(
      j.windowRows.some((w: { motif: number }) => w.motif > 0),
      'promoted stub motifs cover some events',
    );
    for (const w of j.windowRows) assert.equal(w.window_end - w.window_start, 30 * 60_000);
  });

  test('bad --weights exits 2 naming the component', async () => {
    const r = await runStage7Cli('plain', 'score', '--weights', 'vibes=2');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown component "vibes"/);
  });
});
