/**
 * One source for the confluence figures: the run's dashboard and `ironforge score --run DIR` show the same
 * computation (the run's confluence/ outputs), not two computations with different inputs (score used to
 * recluster the embeddings with its own k and leave the motif component out).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { dashboardData, executeRun, resolveRunConfig } from '../src/app/index.js';
import { mkdtemp } from './helpers/tmp.js';

const BIN = resolve('bin/ironforge.js');

test('score --run DIR shows the confluence the run (and its dashboard) computed', async () => {
  const runsDir = await mkdtemp(join(tmpdir(), 'ifg-one-source-'));
  const job = await executeRun(
    resolveRunConfig({ runsDir, runId: 'one', nulls: 10, controls: [], force: true }),
  );
  const shown = dashboardData(job.result, { title: 't' }).confluence!;
  const r = spawnSync(process.execPath, [BIN, 'score', '--run', job.dir, '--json'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as {
    source: string;
    sessionRows: { session_id: string; score: number | null }[];
    windowRows: { session_id: string; window_start: number; score: number | null }[];
    sessions: unknown;
  };
  assert.equal(j.source, 'run');
  assert.deepEqual(
    j.sessionRows.map((s) => [s.session_id, s.score]),
    shown.sessions.map((s) => [s.sessionId, s.score]),
  );
  assert.deepEqual(
    j.windowRows.map((w) => [w.session_id, w.window_start, w.score]),
    shown.windows!.map((w) => [w.sessionId, w.start, w.score]),
  );
  const stats = JSON.parse(await readFile(join(job.dir, 'confluence', 'stats.json'), 'utf8'));
  assert.deepEqual(j.sessions, stats.sessions);
  // an override (another window) recomputes, and says so by not claiming the run as its source
  const o = spawnSync(process.execPath, [BIN, 'score', '--run', job.dir, '--window', '30', '--json'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(o.status, 0, o.stderr);
  assert.notEqual(JSON.parse(o.stdout).source, 'run');
});
