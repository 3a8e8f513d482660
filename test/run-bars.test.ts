/**
 * The whole pipeline on generated OHLCV bars (issue: bars → events → run): seeded random-walk bars with regimes
 * are written as CSV, `ironforge run --bars` detects events causally per session and produces motifs and a
 * dashboard.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateBars } from '../src/synthetic/index.js';
import { Rng } from '../src/stats/random.js';
import { readParquet } from '../src/io/parquet.js';

test(
  'ironforge run --bars on generated bars produces motifs and a dashboard',
  { skip: !existsSync('dist/src/cli/main.js') && 'build first' },
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ifg-bars-run-'));
    try {
      const bars = generateBars(new Rng(11), 4 * 288); // four days of 5-minute bars
      const lines = ['timestamp,open,high,low,close,volume'];
      for (let i = 0; i < bars.n; i++) {
        lines.push(
          `${bars.t[i]},${bars.open[i]},${bars.high[i]},${bars.low[i]},${bars.close[i]},${bars.volume[i]}`,
        );
      }
      const csv = join(dir, 'bars.csv');
      await writeFile(csv, lines.join('\n') + '\n');
      const r = spawnSync(
        process.execPath,
        [
          resolve('bin/ironforge.js'),
          'run',
          '--bars',
          csv,
          '--out',
          join(dir, 'runs'),
          '--run-id',
          'bars',
          '--nulls',
          '50',
          '--no-progress',
        ],
        { encoding: 'utf8', timeout: 300_000 },
      );
      assert.equal(r.status, 0, r.stderr);
      const run = join(dir, 'runs', 'bars');
      const motifs = await readParquet(join(run, 'motifs', 'motifs.parquet'));
      assert.ok(motifs.columns[0].values.length > 0, 'no motifs tested on the bar sessions');
      const manifest = JSON.parse(await readFile(join(run, 'manifest.json'), 'utf8'));
      assert.ok(
        manifest.inputs.sessions >= 8,
        `only ${manifest.inputs.sessions} sessions from four days of bars`,
      );
      // the evaluate stage: one evaluation of the bar file, its table, and the calibrated confluence
      const evaluation = JSON.parse(await readFile(join(run, 'reports', 'evaluation.json'), 'utf8'));
      assert.equal(evaluation.kind, 'ironforge.evaluation-set');
      assert.equal(evaluation.evaluations.length, 1);
      assert.equal(typeof evaluation.evaluations[0].headline.text, 'string');
      const table = await readParquet(join(run, 'reports', 'evaluation.parquet'));
      assert.deepEqual(
        table.columns.slice(0, 5).map((c) => c.name),
        ['source', 'signal', 'signal_source', 'horizon', 'outcome'],
      );
      assert.equal(table.columns[0].values.length, evaluation.evaluations[0].rows.length);
      assert.ok(manifest.outputs.evaluation.files.length === 1);
      const stats = JSON.parse(await readFile(join(run, 'confluence', 'stats.json'), 'utf8'));
      assert.ok(Array.isArray(stats.calibration) && stats.calibration[0].reliability.length > 0);
      const windows = await readParquet(join(run, 'confluence', 'windows.parquet'));
      assert.ok(windows.columns.some((c) => c.name === 'calibrated'));
      const html = await readFile(join(run, 'dashboard.html'), 'utf8');
      assert.match(html, /id="motifs"/);
      assert.match(html, /id="chart"/);
      assert.match(html, /"b":\{"t":\[/, 'the chart carries the sessions’ bars');
      // the calibrated confluence reaches the dashboard (not the "needs bars" line)
      assert.match(html, /class="headline conf-cal-sentence"/);
      assert.doesNotMatch(html, /conf-cal-none/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
);
