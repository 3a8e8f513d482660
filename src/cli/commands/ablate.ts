/**
 * `ironforge ablate --bars FILE [--weights FILE] [--json]`: does the TGAT encoder help predict what price does
 * next? The same ridge logistic model of up@30m is fed the 45 hand features, untrained TGAT embeddings and (with
 * --weights) trained ones, walk-forward by trading day; prints log-loss, Brier, AUC per feature set, the
 * climatology, and the Brier differences with day-clustered CIs.
 * Exit codes: 0 ok; 1 the file could not be read or ablated; 2 bad usage.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { ablateBarFile, type AblateBarsReport } from '../../app/index.js';
import { DEFAULT_BAR_ZONE, DEFAULT_SEED, UsageError } from '../../core/index.js';
import { resolveZoneName } from '../../detect/index.js';
import { ABLATION_HORIZON_MINUTES, ABLATION_RIDGE, type AblationMode } from '../../evaluate/index.js';
import { formatTable, parsePositiveInt, printJson, say } from '../output.js';
import { seedFlag } from '../inputs.js';
import { printError } from '../exit-codes.js';

interface AblateFlags {
  bars?: string;
  weights?: string;
  seed: number;
  horizon: number;
  ridge: number;
  hindsight?: boolean;
  minTrainDays?: number;
  testDays?: number;
  embargoDays: number;
  tz: string;
  json?: boolean;
}

const num = (v: number | null | undefined, d = 4) =>
  v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(d);

function parsePositive(v: string): number {
  const n = Number(v);
  if (!(n > 0)) throw new InvalidArgumentError(`--ridge must be > 0, got "${v}"`);
  return n;
}

/** The `--json` view: everything but the per-fold coefficients (kept: fold bounds, sizes, skips). */
export function ablationJsonView(r: AblateBarsReport) {
  const { folds, ...rest } = r;
  return {
    ...rest,
    folds: folds.map(({ fits: _fits, ...f }) => f),
  };
}

function printText(r: AblateBarsReport): void {
  say(
    `${r.source}: ${r.events} events (${r.labelled} labelled), ${r.days} trading days; walk-forward ${r.folds.length} fold(s), ${r.testEvents} test events on ${r.testDays} days (train ≥ ${r.walkForward.minTrainDays} days, test blocks ${r.walkForward.testDays}, embargo ${r.walkForward.embargoDays})`,
  );
  say(
    `outcome: ${r.outcome}; model: ridge logistic (λ = ${r.ridge}); features ${r.mode === 'as-of' ? 'as of each event (causal)' : 'of the whole session (hindsight)'}`,
  );
  say(
    `climatology: log-loss ${num(r.climatology.logLoss)}, Brier ${num(r.climatology.brier)} (observed rate ${num(r.observedRate, 3)})`,
  );
  if (r.testEvents > 0)
    say(
      formatTable(
        [
          'features',
          'dim',
          'log-loss',
          'Brier',
          'AUC',
          'Brier − climatology (95% CI)',
          'Brier − hand (95% CI)',
        ],
        r.sets.map((s) => {
          const c = s.vsClimatology?.brier;
          const h = s.vsHand?.brier;
          return [
            s.set,
            s.d,
            num(s.logLoss),
            num(s.brier),
            num(s.auc, 3),
            c ? `${num(c.estimate)} [${num(c.low)}, ${num(c.high)}]` : '-',
            h ? `${num(h.estimate)} [${num(h.low)}, ${num(h.high)}]` : '-',
          ];
        }),
      ),
    );
  say(`verdict: ${r.verdict}`);
  if (!r.weightsFile) say('(no --weights: the trained-encoder set is left out)');
}

export function register(program: Command): void {
  program
    .command('ablate')
    .description(
      'does the TGAT encoder help predict what price does next? hand features vs untrained vs trained embeddings, walk-forward',
    )
    .option('--bars <file>', 'OHLCV bars (CSV or Parquet: timestamp, open, high, low, close[, volume])')
    .option('--weights <file>', 'trained TGAT weights (from `ironforge train`) for the tgat_trained set')
    .option('--seed <n>', 'seed of the untrained weights and of the day bootstrap', seedFlag, DEFAULT_SEED)
    .option(
      '--horizon <minutes>',
      'forward horizon of the up/down outcome',
      parsePositiveInt('--horizon'),
      ABLATION_HORIZON_MINUTES,
    )
    .option(
      '--ridge <lambda>',
      'ridge penalty of the logistic model (fixed, not tuned)',
      parsePositive,
      ABLATION_RIDGE,
    )
    .option(
      '--hindsight',
      'use whole-session features as the pipeline computes them (not causal; for comparison)',
    )
    .option(
      '--min-train-days <n>',
      'days before the first test day (default: a third, ≥ 2)',
      parsePositiveInt('--min-train-days'),
    )
    .option('--test-days <n>', 'days per test block (default: ≤ 20 blocks)', parsePositiveInt('--test-days'))
    .option(
      '--embargo-days <n>',
      'days left out between training and test',
      (v: string) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0)
          throw new InvalidArgumentError(`--embargo-days must be an integer ≥ 0, got "${v}"`);
        return n;
      },
      0,
    )
    .option(
      '--tz <zone>',
      'time zone of the session calendar and of timestamps without an offset',
      DEFAULT_BAR_ZONE,
    )
    .option('--json', 'machine-readable output')
    .action(async (flags: AblateFlags) => {
      if (!flags.bars)
        throw new UsageError(
          'ablate needs bars: --bars FILE (e.g. --bars data/sample/bars/nq_m5_from_records.csv)',
        );
      let tz: string;
      try {
        tz = resolveZoneName(flags.tz);
      } catch (e) {
        throw new UsageError(`--tz: ${(e as Error).message}`);
      }
      const mode: AblationMode = flags.hindsight ? 'session' : 'as-of';
      const walkForward = {
        ...(flags.minTrainDays !== undefined ? { minTrainDays: flags.minTrainDays } : {}),
        ...(flags.testDays !== undefined ? { testDays: flags.testDays } : {}),
        embargoDays: flags.embargoDays,
      };
      let r: AblateBarsReport;
      try {
        r = await ablateBarFile({
          file: flags.bars,
          weightsFile: flags.weights ?? null,
          tz,
          seed: flags.seed,
          horizonMinutes: flags.horizon,
          ridge: flags.ridge,
          mode,
          walkForward,
          bootstrap: { seed: flags.seed },
        });
      } catch (e) {
        printError((e as Error).message);
        process.exitCode = 1;
        return;
      }
      if (flags.json) printJson(ablationJsonView(r));
      else printText(r);
    });
}
