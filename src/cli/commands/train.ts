/**
 * `ironforge train`: self-supervised training of the TGAT encoder on a task the timestamps do not answer —
 * the kind of the next later event — with a train / validation / test split by date, every choice (epoch,
 * L2, best baseline) made on validation, several seeds, and the test fold read once: model vs frequency,
 * Markov-1/2 and logistic regression on causal features, the per-event difference with a day-clustered CI.
 * DAG-edge link prediction is printed as a diagnostic beside its rank baseline. Writes the first seed's
 * encoder (`--out`, load it with `discover/run --weights`) and its head + feature scaler (`<out>.heads.json`).
 */
import type { Command } from 'commander';
import {
  type KindTaskReport,
  DEFAULT_ADAM,
  DEFAULT_KIND_EXPERIMENT,
  kindHead,
  kindModelWeights,
  runLinkDiagnostic,
  runNextKindExperiment,
} from '../../tgat/index.js';
import { EVENT_KINDS } from '../../session/index.js';
import { UsageError } from '../../core/index.js';
import { loadSessions, seedFlag } from '../inputs.js';
import { formatTable, parsePositiveInt, printJson, say } from '../output.js';
import { headsPath, makeHeads, saveHeads, saveWeights } from '../../store/index.js';

interface Opts {
  out: string;
  epochs: number;
  seed?: number;
  seeds?: number[];
  lr: number;
  batch: number;
  patience: number;
  link: boolean;
  json?: boolean;
  quiet?: boolean;
}

function parseLr(v: string): number {
  const n = Number(v);
  if (!(Number.isFinite(n) && n > 0 && n < 1))
    throw new UsageError(`--lr must be a number in (0, 1), got "${v}"`);
  return n;
}

function parseSeeds(v: string): number[] {
  const parts = v.split(',').map((s) => s.trim());
  if (parts.length === 0 || parts.some((p) => p === ''))
    throw new UsageError(`--seeds must be a comma-separated list of seeds, got "${v}"`);
  const seeds = parts.map((p) => {
    try {
      return seedFlag(p);
    } catch (e) {
      throw new UsageError(`--seeds: ${(e as Error).message}`);
    }
  });
  if (new Set(seeds).size !== seeds.length) throw new UsageError(`--seeds has a repeated seed: "${v}"`);
  return seeds;
}

const f4 = (x: number): string => (Number.isFinite(x) ? x.toFixed(4) : '–');

/** The report of a task without the in-memory model and scaler. */
function publicKind(r: KindTaskReport): Omit<KindTaskReport, 'firstModel' | 'scaler'> {
  const { firstModel: _m, scaler: _s, ...rest } = r;
  void _m;
  void _s;
  return rest;
}

export function register(program: Command): void {
  program
    .command('train')
    .description(
      'train the TGAT encoder on next-event-kind prediction (date split train/validation/test, baselines, seeds)',
    )
    .argument('<paths...>', 'session JSON files, directories or shard directories')
    .requiredOption(
      '--out <file>',
      'weights file to write (e.g. weights.bin); the head goes to <file>.heads.json',
    )
    .option('--epochs <n>', 'maximum epochs', parsePositiveInt('--epochs'), 30)
    .option('--seeds <list>', 'seeds, comma-separated (default 42,43,44)', parseSeeds)
    .option('--seed <n>', 'a single seed (same as --seeds <n>)', seedFlag)
    .option('--lr <x>', 'Adam learning rate', parseLr, DEFAULT_ADAM.lr)
    .option('--batch <n>', 'sessions per mini-batch', parsePositiveInt('--batch'), 4)
    .option(
      '--patience <n>',
      'epochs without a better validation log-loss before stopping',
      parsePositiveInt('--patience'),
      5,
    )
    .option('--no-link', 'skip the DAG-link diagnostic')
    .option('--json', 'machine-readable output')
    .option('--quiet', 'no per-epoch progress')
    .action(async (paths: string[], opts: Opts) => {
      if (opts.seed !== undefined && opts.seeds !== undefined)
        throw new UsageError('give --seed or --seeds, not both');
      const seeds = opts.seeds ?? (opts.seed !== undefined ? [opts.seed] : DEFAULT_KIND_EXPERIMENT.seeds);
      const { sessions, failures } = await loadSessions(paths);
      const adam = { ...DEFAULT_ADAM, lr: opts.lr };
      const progress = !opts.json && !opts.quiet;
      let kind: KindTaskReport;
      try {
        kind = runNextKindExperiment(sessions, {
          seeds,
          epochs: opts.epochs,
          batchSessions: opts.batch,
          patience: opts.patience,
          adam,
          clock: () => performance.now(),
          onEpoch: progress
            ? (seed, e) =>
                process.stderr.write(
                  `seed ${seed} epoch ${e.epoch}: train CE ${f4(e.trainLoss)}, val log-loss ${f4(e.valLogLoss)}, val acc ${f4(e.valAccuracy)}, ${(e.seconds ?? 0).toFixed(2)} s\n`,
                )
            : undefined,
        });
      } catch (e) {
        const msg = (e as Error).message;
        if (/3-way split|fold .* has no examples/.test(msg)) throw new UsageError(msg);
        throw e;
      }
      let heads: string | null = null;
      if (kind.firstModel) {
        saveWeights(opts.out, kindModelWeights(kind.firstModel, seeds[0]));
        heads = headsPath(opts.out);
        const h = kindHead(kind.firstModel);
        saveHeads(
          heads,
          makeHeads(opts.out, {
            seed: seeds[0],
            hidden: h.hidden,
            features: { columns: [...kind.scaler.columns], mean: kind.scaler.mean, sd: kind.scaler.sd },
            kindHead: { classes: [...EVENT_KINDS], W: h.W, b: h.b },
          }),
        );
      }
      const link = opts.link
        ? runLinkDiagnostic(sessions, kind.split, {
            seed: seeds[0],
            epochs: opts.epochs,
            batchSessions: opts.batch,
            patience: opts.patience,
            adam,
          })
        : null;
      const epochS = kind.perSeed.map((s) => s.meanEpochS ?? 0);
      const meanEpochS = epochS.length ? epochS.reduce((a, b) => a + b, 0) / epochS.length : null;
      if (opts.json) {
        printJson({
          out: kind.firstModel ? opts.out : null,
          heads,
          seeds,
          meanEpochS,
          tasks: [publicKind(kind)],
          linkDiagnostic: link,
          errors: failures,
        });
      } else {
        printKind(kind, meanEpochS);
        if (link) {
          say('');
          say(
            `DAG-link prediction (diagnostic only; seed ${link.seed}, best epoch ${link.bestEpoch}): ${link.note}`,
          );
          say(
            formatTable(
              ['scorer', 'test AP', 'test AUC', 'val AP'],
              [
                ['trained link model', f4(link.model.metric), f4(link.model.auc), '(chose epoch)'],
                ...link.baselines.map((b) => [b.name, f4(b.metric), f4(b.auc), f4(b.validationAP)]),
              ],
            ),
          );
        }
        if (heads) say(`\nweights (seed ${seeds[0]}) → ${opts.out}; kind head + feature scaler → ${heads}`);
      }
      if (failures.length) process.exitCode = 1;
    });
}

function printKind(r: KindTaskReport, meanEpochS: number | null): void {
  say(
    `task next-kind: train ${r.split.train.join(', ')} (${r.examples.train} examples) · validation ${r.split.validation.join(', ')} (${r.examples.validation}) · test ${r.split.test.join(', ')} (${r.examples.test})`,
  );
  if (r.constant || !r.model || !r.difference) {
    say(`  ${r.note ?? 'not trained'}`);
    return;
  }
  say(
    formatTable(
      ['predictor', 'test log-loss', 'test accuracy', 'val log-loss', 'note'],
      [
        [
          `TGAT + kind head (${r.perSeed.length} seeds)`,
          f4(r.model.metric),
          f4(r.model.accuracy),
          f4(r.perSeed.reduce((a, s) => a + s.validationLogLoss, 0) / r.perSeed.length),
          `CI [${f4(r.model.ciLow)}, ${f4(r.model.ciHigh)}]`,
        ],
        ...r.baselines.map((b) => [
          b.name,
          f4(b.metric),
          f4(b.accuracy),
          f4(b.validationLogLoss),
          (b.name === r.bestBaseline ? 'best on validation' : '') + (b.l2 !== undefined ? ` L2 ${b.l2}` : ''),
        ]),
      ],
    ),
  );
  const d = r.difference;
  say(
    `model − ${r.bestBaseline}: ${f4(d.estimate)} nats per test event, ${Math.round(d.level * 100)}% CI [${f4(d.ciLow)}, ${f4(d.ciHigh)}] clustered by day — ${r.beatsBestBaseline ? 'the model beats the best baseline' : 'the model does NOT beat the best baseline'}`,
  );
  if (d.days <= 9)
    say(
      `  only ${d.days} test day${d.days === 1 ? '' : 's'}: the interval enumerates every day resample exactly; with so few days it is a spread, not a reliable 95% CI`,
    );
  for (const s of r.perSeed)
    say(
      `  seed ${s.seed}: best epoch ${s.bestEpoch}/${s.epochsRun}, val ${f4(s.validationLogLoss)}, test ${f4(s.testLogLoss)} (acc ${f4(s.testAccuracy)}), difference ${f4(s.difference.estimate)} [${f4(s.difference.ciLow)}, ${f4(s.difference.ciHigh)}]`,
    );
  if (meanEpochS !== null) say(`  ${meanEpochS.toFixed(2)} s/epoch`);
}
