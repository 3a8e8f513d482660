/**
 * `ironforge train`: self-supervised training of the TGAT encoder by temporal link prediction, with early
 * stopping on a date-held-out split; writes the encoder weights (load them with `discover/run --weights`).
 */
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import {
  type EpochRecord,
  type EvalResult,
  DEFAULT_ADAM,
  evaluateCosine,
  evaluateModel,
  evaluateRecency,
  modelWeights,
  prepareSessions,
  roundedModel,
  trainLinkPrediction,
} from '../../tgat/index.js';
import { temporalSplit } from '../../validation/index.js';
import { UsageError, DEFAULT_SEED } from '../../core/index.js';
import { loadSessions, seedFlag } from '../inputs.js';
import { formatTable, parsePositiveInt, printJson, say } from '../output.js';
import { saveWeights } from '../../store/index.js';

interface Opts {
  out: string;
  epochs: number;
  seed: number;
  valSplit?: string;
  lr: number;
  batch: number;
  patience: number;
  json?: boolean;
  quiet?: boolean;
}

function parseLr(v: string): number {
  const n = Number(v);
  if (!(Number.isFinite(n) && n > 0 && n < 1))
    throw new UsageError(`--lr must be a number in (0, 1), got "${v}"`);
  return n;
}

function parseDate(v: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v))
    throw new UsageError(`--val-split must be a date YYYY-MM-DD, got "${v}"`);
  return v;
}

export function register(program: Command): void {
  program
    .command('train')
    .description('train the TGAT encoder by temporal link prediction (Adam, early stopping on a date split)')
    .argument('<paths...>', 'session JSON files, directories or shard directories')
    .requiredOption('--out <file>', 'weights file to write (e.g. weights.bin)')
    .option('--epochs <n>', 'maximum epochs', parsePositiveInt('--epochs'), 30)
    .option('--seed <n>', 'seed of initialisation, batching and sampling', seedFlag, DEFAULT_SEED)
    .option(
      '--val-split <date>',
      'first validation date (default: the date cut nearest a 30% holdout)',
      parseDate,
    )
    .option('--lr <x>', 'Adam learning rate', parseLr, DEFAULT_ADAM.lr)
    .option('--batch <n>', 'sessions per mini-batch', parsePositiveInt('--batch'), 4)
    .option(
      '--patience <n>',
      'epochs without a better validation AP before stopping',
      parsePositiveInt('--patience'),
      5,
    )
    .option('--json', 'machine-readable output')
    .option('--quiet', 'no progress bar')
    .action(async (paths: string[], opts: Opts) => {
      const { sessions, failures } = await loadSessions(paths);
      let split;
      try {
        split = temporalSplit(
          sessions,
          opts.valSplit ? { splitDate: opts.valSplit } : { holdoutFraction: 0.3 },
        );
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      if (split.discovery.length === 0)
        throw new UsageError(`--val-split ${split.splitDate}: no sessions before it to train on`);
      if (split.holdout.length === 0)
        throw new UsageError(`--val-split ${split.splitDate}: no sessions on or after it to validate on`);
      const train = prepareSessions(split.discovery);
      const val = prepareSessions(split.holdout);
      const showBar = !opts.json && !opts.quiet && Boolean(process.stderr.isTTY);
      const bar = showBar
        ? new cliProgress.SingleBar(
            {
              stream: process.stderr,
              format:
                ' epoch {epoch} [{bar}] {value}/{total} batches | loss {loss} | val AP {ap} | {secs} s/epoch',
              hideCursor: true,
              barsize: 24,
            },
            cliProgress.Presets.shades_classic,
          )
        : null;
      let last: EpochRecord | null = null;
      const fmt = (x: number | undefined): string =>
        x === undefined || Number.isNaN(x) ? '–' : x.toFixed(4);
      const result = trainLinkPrediction(train, val, {
        clock: () => performance.now(),
        epochs: opts.epochs,
        seed: opts.seed,
        batchSessions: opts.batch,
        patience: opts.patience,
        adam: { ...DEFAULT_ADAM, lr: opts.lr },
        onBatch: (epoch, done, total, loss) => {
          if (!bar) return;
          const payload = {
            epoch,
            loss: loss.toFixed(4),
            ap: fmt(last?.val?.ap),
            secs: last ? fmtSeconds(last.seconds) : '–',
          };
          if (done === 1) bar.start(total, done, payload);
          else bar.update(done, payload);
        },
        onEpoch: (e) => {
          last = e;
          if (bar) {
            bar.update({ loss: e.trainLoss.toFixed(4), ap: fmt(e.val?.ap), secs: fmtSeconds(e.seconds) });
            bar.stop();
          } else if (!opts.json && !opts.quiet) {
            process.stderr.write(
              `epoch ${e.epoch}: loss ${e.trainLoss.toFixed(4)}, val AP ${fmt(e.val?.ap)}, AUC ${fmt(e.val?.auc)}, ${fmtSeconds(e.seconds)} s\n`,
            );
          }
        },
      });
      const weights = modelWeights(result.model, opts.seed);
      saveWeights(opts.out, weights);
      const trained = roundedModel(result.model);
      const table: Record<string, EvalResult> = {
        trained: evaluateModel(trained, val, result.valTasks),
        'trained-cosine': evaluateCosine(trained, val, result.valTasks),
        untrained: evaluateModel(result.initial, val, result.valTasks),
        'untrained-cosine': evaluateCosine(result.initial, val, result.valTasks),
        recency: evaluateRecency(val, result.valTasks),
      };
      const secs = result.history.map((h) => h.seconds ?? 0);
      const meanEpochS = secs.reduce((a, b) => a + b, 0) / secs.length;
      if (opts.json) {
        printJson({
          out: opts.out,
          splitDate: split.splitDate,
          trainSessions: train.length,
          valSessions: val.length,
          seed: opts.seed,
          epochsRun: result.history.length,
          bestEpoch: result.bestEpoch,
          meanEpochS,
          history: result.history,
          validation: table,
          errors: failures,
        });
      } else {
        say(
          `trained on ${train.length} sessions (before ${split.splitDate}), validated on ${val.length}; ${result.history.length} epochs, best ${result.bestEpoch}, ${meanEpochS.toFixed(2)} s/epoch → ${opts.out}`,
        );
        say(
          formatTable(
            ['model', 'val AP', 'val AUC', 'pairs'],
            Object.entries(table).map(([k, e]) => [k, e.ap.toFixed(4), e.auc.toFixed(4), e.pairs]),
          ),
        );
      }
      if (failures.length) process.exitCode = 1;
    });
}

function fmtSeconds(s: number | null): string {
  return s === null ? '–' : s.toFixed(2);
}
