import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { register } from '../src/cli/commands/train.js';
import { loadWeights } from '../src/store/index.js';

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
    test('ironforge train writes loadable weights and reports AP/AUC of trained, untrained and recency', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ironforge-train-cli-'));
      try {
        const out = join(dir, 'weights.bin');
        const args = [
          'data/sample/enhanced',
          '--out',
          out,
          '--epochs',
          '2',
          '--seed',
          '3',
          '--val-split',
          '2025-07-31',
          '--json',
        ];
        const report = JSON.parse(await runTrain(args)) as {
          splitDate: string;
          epochsRun: number;
          validation: Record<string, { ap: number; auc: number; pairs: number }>;
        };
        assert.equal(report.splitDate, '2025-07-31');
        assert.equal(report.epochsRun, 2);
        for (const k of ['trained', 'untrained', 'recency']) {
          const v = report.validation[k];
          assert.ok(
            v.ap > 0 && v.ap <= 1 && v.auc >= 0 && v.auc <= 1 && v.pairs > 0,
            `${k}: ${JSON.stringify(v)}`,
          );
        }
        const w = loadWeights(out);
        assert.equal(w.seed, 3);
        const first = readFileSync(out);
        await runTrain(args);
        assert.ok(first.equals(readFileSync(out)), 'same seed and data ⇒ byte-identical weights file');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('a bad --val-split is a usage error naming the flag', async () => {
      await assert.rejects(
        runInProcess(['data/sample/enhanced', '--out', '/tmp/x.bin', '--val-split', '07/30']),
        /--val-split/,
      );
      await assert.rejects(
        runInProcess(['data/sample/enhanced', '--out', '/tmp/x.bin', '--val-split', '2030-01-01']),
        /no holdout sessions on or after 2030-01-01/,
      );
    });
  });
