/**
 * `runPipelineScaled` on 2 worker threads equals `runPipeline` (embeddings, motifs, patterns, confluence,
 * validation), and the `worker` CLI command registers and checks its flags.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { register } from '../src/cli/commands/worker.js';
import { runPipeline, type PipelineOptions } from '../src/app/run.js';
import { embeddingColumns, motifColumns } from '../src/store/run-tables.js';
import { readSessions } from '../src/store/sessions.js';
import { encodeParquet } from '../src/io/parquet.js';
import { executorForWorkers, runPipelineScaled } from '../src/app/index.js';

test('runPipelineScaled on 2 threads equals runPipeline', async () => {
  const sessions = (await readSessions(['data/sample/enhanced'])).sessions.slice(0, 14);
  const opts: PipelineOptions = {
    seed: 21,
    kernel: 'auto',
    motifs: { sizes: [3, 4], nulls: 24, bootstrap: 100 },
  };
  const serial = await runPipeline(sessions, opts);
  const exec = executorForWorkers(2);
  try {
    const par = await runPipelineScaled(sessions, opts, exec, 2);
    assert.deepEqual(
      encodeParquet(embeddingColumns(par.discovered)),
      encodeParquet(embeddingColumns(serial.discovered)),
    );
    assert.deepEqual(
      encodeParquet(motifColumns(par.motifs.results)),
      encodeParquet(motifColumns(serial.motifs.results)),
    );
    assert.deepEqual(par.patterns.assign, serial.patterns.assign);
    assert.deepEqual(par.confluence, serial.confluence);
    assert.deepEqual(par.validation, serial.validation);
  } finally {
    await exec.close();
  }
});

test('executorForWorkers: 1 is the in-thread executor, 0 is refused', async () => {
  const one = executorForWorkers(1);
  assert.equal(one.name, 'serial');
  await one.close();
  assert.throws(() => executorForWorkers(0), /workers must be an integer ≥ 1, got 0/);
});

test('ironforge worker: registered with its flags; a bad --redis is a usage error', async () => {
  const program = new Command().exitOverride();
  register(program);
  const cmd = program.commands.find((c) => c.name() === 'worker');
  assert.ok(cmd, 'worker command registered');
  assert.deepEqual(
    cmd.options.map((o) => o.long),
    ['--redis', '--queue', '--lock-ms', '--concurrency', '--idle-exit'],
  );
  await assert.rejects(
    program.parseAsync(['node', 'ironforge', 'worker', '--redis', 'nohost:'], { from: 'node' }),
    /redis address must be host:port/,
  );
});
