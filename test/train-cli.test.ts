import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { register } from '../src/cli/commands/train.js';
import { loadHeads, loadWeights } from '../src/store/index.js';

/**
 * Runs `ironforge train …` in a child process (this file re-executed with TRAIN_CLI_ARGS set), so the
 * command's stdout is not mixed with the test reporter's. The lead wires the command into the main CLI.
 */
if (process.env.TRAIN_CLI_ARGS) {
  const program = new Command();
  program.exitOverride();
  register(program);
  await program.parseAsync([
    'node',
    'ironforge',
    'train',
    ...(JSON.parse(process.env.TRAIN_CLI_ARGS) as string[]),
  ]);
}

/** In-process run, for argument errors that fail before anything is printed. */
async function runInProcess(args: string[]): Promise<void> {
  const program = new Command();
  program.exitOverride();
  register(program);
  await program.parseAsync(['node', 'ironforge', 'train', ...args]);
}

function runTrain(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...(import.meta.url.endsWith('.ts') ? ['--import', 'tsx'] : []), fileURLToPath(import.meta.url)],
      { env: { ...process.env, TRAIN_CLI_ARGS: JSON.stringify(args), NODE_TEST_CONTEXT: '' } },
      (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(stdout)),
    );
  });
}

if (!process.env.TRAIN_CLI_ARGS)
  describe('train: CLI', () => {
    test('ironforge train reports next-kind vs its baselines on a date split, the link diagnostic, and writes weights + heads', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ironforge-train-cli-'));
      try {
        const out = join(dir, 'weights.bin');
        const args = ['data/sample/enhanced', '--out', out, '--epochs', '2', '--seeds', '3,4', '--json'];
        const report = JSON.parse(await runTrain(args)) as {
          seeds: number[];
          heads: string;
          tasks: {
            task: string;
            split: { train: string[]; validation: string[]; test: string[] };
            model: { metric: number; ciLow: number; ciHigh: number };
            perSeed: { seed: number; bestEpoch: number }[];
            baselines: { name: string; metric: number }[];
            bestBaseline: string;
            beatsBestBaseline: boolean;
            difference: { estimate: number; ciLow: number; ciHigh: number; days: number };
          }[];
          linkDiagnostic: { model: { metric: number }; baselines: { name: string; metric: number }[] };
        };
        assert.deepEqual(report.seeds, [3, 4]);
        const k = report.tasks[0];
        assert.equal(k.task, 'next-kind');
        assert.deepEqual(k.split, {
          train: ['2025-07-24', '2025-07-25', '2025-07-28'],
          validation: ['2025-07-29'],
          test: ['2025-07-30', '2025-07-31'],
        });
        assert.deepEqual(
          k.perSeed.map((s) => s.seed),
          [3, 4],
        );
        assert.deepEqual(
          k.baselines.map((b) => b.name),
          ['frequency', 'markov-1', 'markov-2', 'logreg-causal-features'],
        );
        assert.ok(k.baselines.some((b) => b.name === k.bestBaseline));
        assert.ok(
          k.model.ciLow <= k.model.metric && k.model.metric <= k.model.ciHigh,
          JSON.stringify(k.model),
        );
        assert.equal(k.difference.days, 2);
        assert.equal(k.beatsBestBaseline, k.difference.ciHigh < 0);
        const rank = report.linkDiagnostic.baselines.find((b) => b.name === 'rank');
        assert.equal(
          rank?.metric,
          1,
          "the DAG rule is answered by the rank of v among u's eligible successors",
        );
        const w = loadWeights(out);
        assert.equal(w.seed, 3);
        assert.equal(loadHeads(report.heads, w.config.hidden).seed, 3);
        const first = readFileSync(out);
        await runTrain(args);
        assert.ok(first.equals(readFileSync(out)), 'same seeds and data ⇒ byte-identical weights file');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('bad seeds and too few dates are usage errors naming the problem', async () => {
      await assert.rejects(
        runInProcess(['data/sample/enhanced', '--out', '/tmp/x.bin', '--seeds', '1,,2']),
        /--seeds/,
      );
      await assert.rejects(
        runInProcess(['data/sample/enhanced', '--out', '/tmp/x.bin', '--seed', '1', '--seeds', '2']),
        /--seed or --seeds/,
      );
      await assert.rejects(
        runInProcess([
          'data/sample/enhanced/enhanced_ASIA_Lvl-1_2025_07_24.json',
          'data/sample/enhanced/enhanced_ASIA_Lvl-1_2025_07_29.json',
          '--out',
          '/tmp/x.bin',
        ]),
        /3-way split needs ≥ 3 trading dates, got 2/,
      );
    });
  });
