/**
 * `ironforge evaluate --bars FILE…`: what price did next. For each bar file: causal detector events → signals
 * (every event label and kind, `--rules` user signals, momentum/ATR baselines), outcomes fixed at t* (entry at
 * the next bar's open), incremental effects over matched controls (session type × time of day × recent
 * volatility), rolling-origin walk-forward by trading day, day-clustered CIs, BH over signals × horizons ×
 * outcomes, and the session-range oracle. Prints the headline and the top cells (`--json`: machine-readable);
 * `--out DIR` writes evaluation.parquet + evaluation.json.
 * Exit codes: 0 ok; 1 a bar file could not be evaluated (the others still are, and are written); 2 bad usage.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { evaluateBarFiles } from '../../app/index.js';
import {
  DEFAULT_BAR_ZONE,
  DEFAULT_EVAL_FDR,
  DEFAULT_EVAL_MIN_DAYS,
  DEFAULT_EVAL_MIN_OCCURRENCES,
  DEFAULT_ORACLE_MINUTES,
  DEFAULT_SEED,
  UsageError,
} from '../../core/index.js';
import { resolveZoneName } from '../../detect/index.js';
import { type EvaluationResult, type Horizon, parseHorizon } from '../../evaluate/index.js';
import { writeEvaluation } from '../../store/index.js';
import { formatTable, parsePositiveInt, printJson, say } from '../output.js';
import { seedFlag } from '../inputs.js';
import { printError, printWarning } from '../exit-codes.js';

interface EvaluateFlags {
  bars?: string[];
  rules?: string;
  records?: string[];
  signals?: string[];
  horizons?: Horizon[];
  seed: number;
  minOccurrences: number;
  minDays: number;
  fdr: number;
  minTrainDays?: number;
  testDays?: number;
  embargoDays?: number;
  oracleMinutes: number;
  oracle: boolean;
  top: number;
  tz: string;
  out?: string;
  json?: boolean;
}

function parseHorizons(v: string): Horizon[] {
  try {
    const hs = v.split(',').map((x) => parseHorizon(x));
    return [...hs, 'session'];
  } catch (e) {
    throw new InvalidArgumentError(`--horizons: ${(e as Error).message}`);
  }
}

function parseFdr(v: string): number {
  const n = Number(v);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError(`--fdr must be in (0, 1), got "${v}"`);
  return n;
}

function parseNonNegativeInt(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0)
      throw new InvalidArgumentError(`${flag} must be an integer ≥ 0, got "${v}"`);
    return n;
  };
}

const num = (v: number | null | undefined, d = 2) =>
  v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(d);

/** Tested cells, most convincing first (q, then |t|). */
export function topRows(r: EvaluationResult, k: number): EvaluationResult['rows'] {
  return r.rows
    .filter((x) => x.tested)
    .sort(
      (a, b) =>
        a.q! - b.q! ||
        Math.abs(b.effect / b.se) - Math.abs(a.effect / a.se) ||
        (a.signal < b.signal ? -1 : 1),
    )
    .slice(0, k);
}

/** The `--json` view of one evaluation: the issue's fields first, then the context. */
export function evaluationJsonView(r: EvaluationResult, top: number) {
  return {
    source: r.source,
    headline: r.headline,
    signals: r.signals.map((s) => s.name),
    horizons: r.horizons,
    rows: topRows(r, top).map((x) => ({
      signal: x.signal,
      horizon: x.horizon,
      outcome: x.outcome,
      n: x.n,
      days: x.days,
      effect: x.effect,
      ciLow: x.ciLow,
      ciHigh: x.ciHigh,
      p: x.p,
      q: x.q,
      baseline: x.baseline,
      signalMean: x.signalMean,
      mde: x.mde,
      significant: x.significant,
    })),
    oracle: r.oracle
      ? {
          coverage: r.oracle.coverage,
          nominal: r.oracle.nominal,
          meanWidth: r.oracle.meanWidth,
          medianAbsError: r.oracle.medianAbsError,
          n: r.oracle.n,
          baselines: r.oracle.baselines.map((b) => ({
            method: b.method,
            coverage: b.coverage,
            meanWidth: b.meanWidth,
            medianAbsError: b.medianAbsError,
            n: b.n,
          })),
          skipped: r.oracle.skipped.length,
        }
      : null,
    walkForward: r.walkForward,
    days: r.days,
    testDays: r.testDays,
    folds: r.folds.length,
    tested: r.rows.filter((x) => x.tested).length,
    cells: r.rows.length,
    skipped: r.skipped,
  };
}

function printText(r: EvaluationResult, top: number): void {
  say(
    `${r.source}: ${r.bars} bars, ${r.sessions} sessions, ${r.days} trading days; walk-forward ${r.folds.length} fold(s), ${r.testDays} test day(s) (train ≥ ${r.walkForward.minTrainDays} days, embargo ${r.walkForward.embargoDays})`,
  );
  say(`headline: ${r.headline.text}`);
  const rows = topRows(r, top);
  if (rows.length > 0) {
    say('');
    say(
      'effect = mean outcome after the signal − its matched control (same session type × time of day × recent volatility), out of sample; CI day-clustered 95%',
    );
    say(
      formatTable(
        ['signal', 'horizon', 'outcome', 'n', 'days', 'effect', '95% CI', 'control', 'q', 'MDE'],
        rows.map((x) => [
          `${x.significant ? '* ' : ''}${x.signal}`,
          x.horizon,
          x.outcome,
          x.n,
          x.days,
          num(x.effect),
          `[${num(x.ciLow)}, ${num(x.ciHigh)}]`,
          num(x.baseline),
          num(x.q, 3),
          num(x.mde),
        ]),
      ),
    );
  }
  const o = r.oracle;
  if (o) {
    say('');
    say(
      `session-range oracle (first ${o.cut.minutes ?? `${(o.cut.fraction ?? 0) * 100}%`} min → final range, nominal ${o.nominal}): ${o.n} sessions predicted, ${o.skipped.length} skipped`,
    );
    if (o.n > 0)
      say(
        formatTable(
          ['method', 'n', 'coverage', 'mean width', 'median |error|'],
          o.methods.map((m) => [
            m.method,
            m.n,
            num(m.coverage, 3),
            num(m.meanWidth, 1),
            num(m.medianAbsError, 1),
          ]),
        ),
      );
  }
  if (r.skipped.length > 0) say(`\nskipped: ${r.skipped.length} (signal — reason; see evaluation.json)`);
}

export function register(program: Command): void {
  program
    .command('evaluate')
    .description(
      'what price did next: causal signals vs matched controls, walk-forward, day-clustered CIs, BH; the session-range oracle',
    )
    .option('--bars <files...>', 'OHLCV bars (CSV or Parquet: timestamp, open, high, low, close[, volume])')
    .option('--rules <file>', 'user signals (JSON rule file; see README "Evaluation")')
    .option(
      '--records <paths...>',
      'enhanced session records of the same market: their events as signals (hindsight fields refused)',
    )
    .option(
      '--signals <names>',
      'evaluate only these signals, comma-separated (e.g. label:bos_up,rule:my_rule)',
      (v: string) =>
        v
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
    )
    .option(
      '--horizons <list>',
      'forward horizons in minutes and/or "close", comma-separated (default 5,15,30,60,close)',
      parseHorizons,
    )
    .option('--seed <n>', 'seed of the day bootstrap', seedFlag, DEFAULT_SEED)
    .option(
      '--min-occurrences <n>',
      'a cell is tested with at least n occurrences …',
      parsePositiveInt('--min-occurrences'),
      DEFAULT_EVAL_MIN_OCCURRENCES,
    )
    .option(
      '--min-days <n>',
      '… on at least n trading days',
      parsePositiveInt('--min-days'),
      DEFAULT_EVAL_MIN_DAYS,
    )
    .option('--fdr <q>', 'BH level over signals × horizons × outcomes', parseFdr, DEFAULT_EVAL_FDR)
    .option(
      '--min-train-days <n>',
      'days before the first test day (default: a third of the days, ≥ 2)',
      parsePositiveInt('--min-train-days'),
    )
    .option('--test-days <n>', 'days per test block (default: ≤ 20 blocks)', parsePositiveInt('--test-days'))
    .option(
      '--embargo-days <n>',
      'days left out between training and test',
      parseNonNegativeInt('--embargo-days'),
    )
    .option(
      '--oracle-minutes <n>',
      'the oracle predicts the final range from the first n minutes',
      parsePositiveInt('--oracle-minutes'),
      DEFAULT_ORACLE_MINUTES,
    )
    .option('--no-oracle', 'leave out the session-range oracle')
    .option('--top <n>', 'cells printed (and in --json rows)', parsePositiveInt('--top'), 15)
    .option(
      '--tz <zone>',
      'time zone of the session calendar and of timestamps without an offset',
      DEFAULT_BAR_ZONE,
    )
    .option('--out <dir>', 'write evaluation.parquet and evaluation.json into <dir>')
    .option('--json', 'machine-readable output')
    .action(async (flags: EvaluateFlags) => {
      if (!flags.bars || flags.bars.length === 0)
        throw new UsageError(
          'evaluate needs bars: --bars FILE (e.g. --bars data/sample/bars/nq_m5_from_records.csv)',
        );
      let tz: string;
      try {
        tz = resolveZoneName(flags.tz);
      } catch (e) {
        throw new UsageError(`--tz: ${(e as Error).message}`);
      }
      const walkForward = {
        ...(flags.minTrainDays !== undefined ? { minTrainDays: flags.minTrainDays } : {}),
        ...(flags.testDays !== undefined ? { testDays: flags.testDays } : {}),
        ...(flags.embargoDays !== undefined ? { embargoDays: flags.embargoDays } : {}),
      };
      const report = await evaluateBarFiles(
        {
          files: flags.bars,
          tz,
          rulesFile: flags.rules ?? null,
          records: flags.records,
          only: flags.signals,
          horizons: flags.horizons,
          seed: flags.seed,
          minOccurrences: flags.minOccurrences,
          minDays: flags.minDays,
          fdr: flags.fdr,
          walkForward,
          oracle: flags.oracle ? { minutes: flags.oracleMinutes } : false,
        },
        (file, i, n) => {
          if (!flags.json && n > 1) process.stderr.write(`evaluating ${i + 1}/${n}: ${file}\n`);
        },
      );
      for (const f of report.failures) printError(f.error);
      // signals the user asked for by name that were refused or unknown: said on stderr, the rest goes on
      if (flags.signals)
        for (const r of report.results)
          for (const k of r.skipped)
            if (flags.signals.includes(k.signal))
              printWarning(`${r.source}: ${k.signal}: ${k.reason}${k.detail ? ` (${k.detail})` : ''}`);
      let written: string[] = [];
      if (flags.out && report.results.length > 0) written = await writeEvaluation(flags.out, report.results);
      if (flags.json) {
        const views = report.results.map((r) => evaluationJsonView(r, flags.top));
        printJson(
          views.length === 1 && report.failures.length === 0
            ? views[0]
            : { evaluations: views, failures: report.failures },
        );
      } else {
        report.results.forEach((r, i) => {
          if (i > 0) say('');
          printText(r, flags.top);
        });
        if (written.length) say(`\nwrote ${written.join(', ')}`);
      }
      if (report.failures.length > 0) process.exitCode = 1;
    });
}
