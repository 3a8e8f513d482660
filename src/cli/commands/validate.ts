/**
 * `ironforge validate [paths…]`: temporal out-of-sample validation. Motifs promoted on the earlier dates are
 * re-tested on the later dates against their nulls, beside PARK/DISCARD baselines under the same rule; drift
 * between the periods (sections, kind mix) is printed as warnings; `--rolling` adds the rolling origin by
 * trading day. Too few sessions or days: says so (naming the count), writes the skipped report, exits 1.
 * The motif miner is injected (`makeValidateCommand({ mine })`); without one the command says so and fails.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { readSessions } from '../../store/index.js';
import type { MotifMiner } from '../../validation/index.js';
import { dagMotifMiner } from '../../app/index.js';
import { toJson, validateOrSkip, type ValidationDone } from '../../validation/index.js';
import { writeFileAtomic } from '../../io/index.js';
import { formatTable, parsePositiveInt, say } from '../output.js';
import { bundledSampleDir } from '../../app/index.js';
import { seedFlag } from '../inputs.js';
import { DEFAULT_ROLLING_MIN_DAYS, DEFAULT_SEED, DEFAULT_VALIDATION_ALPHA } from '../../core/index.js';
import { printError, printWarning } from '../exit-codes.js';
import { stageProgress } from '../progress.js';

export interface ValidateDeps {
  mine?: MotifMiner;
  /** The same miner reporting its null replicates (for the progress on stderr). */
  mineWithProgress?: (onProgress: (p: { model: string; done: number; total: number }) => void) => MotifMiner;
}

interface ValidateOpts {
  splitDate?: string;
  holdoutFraction?: number;
  seed: number;
  alpha: number;
  out?: string;
  json?: boolean;
  rolling?: boolean;
  minDays: number;
  quiet?: boolean;
}

function parseFraction(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!(n > 0 && n < 1)) throw new InvalidArgumentError(`${flag} must be a number in (0, 1), got "${v}"`);
    return n;
  };
}

function parseDate(v: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v))
    throw new InvalidArgumentError(`--split-date must be YYYY-MM-DD, got "${v}"`);
  return v;
}

const fmt = (v: number | null, digits = 3) => (v === null || !Number.isFinite(v) ? '-' : v.toFixed(digits));

export function makeValidateCommand(deps: ValidateDeps = {}): (program: Command) => void {
  return (program) => {
    program
      .command('validate')
      .description(
        'out-of-sample check: motifs promoted on earlier dates re-tested on later dates against their nulls',
      )
      .argument('[paths...]', 'session JSON files or folders (default: the bundled sample)')
      .option(
        '--split-date <date>',
        'first holdout date (YYYY-MM-DD); earlier dates are discovery',
        parseDate,
      )
      .option(
        '--holdout-fraction <f>',
        'target share of sessions in the holdout when no --split-date (default 0.5)',
        parseFraction('--holdout-fraction'),
      )
      .option('--seed <n>', 'seed for the motif nulls', seedFlag, DEFAULT_SEED)
      .option('--alpha <a>', 'FDR level for replication', parseFraction('--alpha'), DEFAULT_VALIDATION_ALPHA)
      .option(
        '--rolling',
        'also run the rolling origin by trading day (discovery = days before d, holdout = day d; re-mines per fold)',
      )
      .option(
        '--min-days <n>',
        'trading days before the first rolling fold',
        parsePositiveInt('--min-days'),
        DEFAULT_ROLLING_MIN_DAYS,
      )
      .option('--out <file>', 'write the report as JSON (e.g. runs/<date>/reports/validation.json)')
      .option('--json', 'print the report as JSON')
      .option('--quiet', 'no progress on stderr')
      .action(async (paths: string[], opts: ValidateOpts) => {
        if (!deps.mine)
          throw new Error(
            'not implemented: `validate` needs the motif miner (src/motifs) wired into makeValidateCommand',
          );
        const r = await readSessions(paths.length ? paths : [bundledSampleDir()]);
        for (const f of r.failures) printWarning(f.error);
        const t0 = performance.now();
        const progress = stageProgress({ quiet: opts.quiet });
        let mineCalls = 0;
        const mine: MotifMiner = deps.mineWithProgress
          ? (() => {
              const inner = deps.mineWithProgress((p) =>
                progress.update(`mining ${mineCalls} nulls (${p.model})`, p.done, p.total),
              );
              return (s, o) => {
                mineCalls++;
                return inner(s, o);
              };
            })()
          : deps.mine;
        const report = await validateOrSkip(r.sessions, mine, {
          seed: opts.seed,
          alpha: opts.alpha,
          splitDate: opts.splitDate,
          holdoutFraction: opts.holdoutFraction,
          rolling: opts.rolling ?? false,
          minDays: opts.minDays,
          onFold: (done, total) => progress.update('rolling origin folds', done, total),
        });
        progress.stop();
        const seconds = (performance.now() - t0) / 1000;
        if (opts.out) await writeFileAtomic(opts.out, toJson(report));
        if (report.status === 'skipped') {
          printError(`validation skipped: ${report.reason}`);
          process.exitCode = 1;
        } else if (!opts.json) for (const w of report.skipped) printWarning(`skipped: ${w}`);
        if (opts.json) {
          process.stdout.write(toJson(report));
          return;
        }
        if (report.status === 'done') printReport(report, seconds);
        if (opts.out) say(`wrote ${opts.out}`);
      });
  };
}

const rate = (k: number, n: number, ci: [number, number] | null = null) =>
  n === 0
    ? '-'
    : `${k}/${n} = ${(k / n).toFixed(3)}${ci ? ` [${ci[0].toFixed(3)}, ${ci[1].toFixed(3)}]` : ''}`;

function printReport(report: ValidationDone, seconds: number): void {
  const s = report.split;
  say(
    `discovery: ${s.discoverySessions.length} sessions (${s.discoveryDates[0]}..${s.discoveryDates.at(-1)}), holdout: ${s.holdoutSessions.length} sessions (${s.holdoutDates[0]}..${s.holdoutDates.at(-1)})`,
  );
  const d = report.drift;
  const present = (share: number) => `${Math.round(100 * share)}%`;
  say(
    `drift: kind-mix JSD ${fmt(d.kindJsd)}, section-mix JSD ${fmt(d.sectionJsd)}; sections present (discovery → holdout): ` +
      d.sections
        .filter((x) => x.presenceA > 0 || x.presenceB > 0)
        .map((x) => `${x.source} ${present(x.presenceA)}→${present(x.presenceB)}`)
        .join(', '),
  );
  for (const w of d.warnings) say(`warning: ${w}`);
  say(
    `discovery classes: ${Object.entries(report.discovery.classes)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')} of ${report.discovery.motifsTested} motifs`,
  );
  if (report.motifs.length) {
    say(
      formatTable(
        ['motif', 'disc lift', 'disc q', 'hold recur', 'hold lift', 'hold p', 'hold q', 'replicated'],
        report.motifs.map((m) => [
          m.id,
          fmt(m.discovery.lift, 2),
          fmt(m.discovery.q, 4),
          fmt(m.holdout.recurrence, 2),
          fmt(m.holdout.lift, 2),
          fmt(m.holdout.p, 4),
          fmt(m.holdout.q, 4),
          m.holdout.replicated ? 'yes' : 'no',
        ]),
      ),
    );
  }
  say(
    `replicated: ${report.summary.replicated} of ${report.summary.promoted} promoted motifs (BH q < ${report.alpha} on the holdout)`,
  );
  const rep = report.replication;
  say(
    `replication by discovery class (same holdout test, BH within class; 95% Wilson CI over motifs, ${rep.holdoutDays} holdout days):`,
  );
  say(
    formatTable(
      ['class', 'in class', 'tested', 'replicated (rate [95% CI])', 'p < alpha'],
      (['PROMOTE', 'PARK', 'DISCARD'] as const).map((c) => {
        const x = rep.byClass[c];
        return [
          c,
          x.inClass,
          `${x.tested}${x.sampled ? ' (sample)' : ''}`,
          rate(x.replicated, x.tested, x.ci95),
          x.pBelowAlpha,
        ];
      }),
    ),
  );
  const ro = report.rolling;
  if (ro?.status === 'done') {
    say(
      `rolling origin (${ro.folds.length} folds after the first ${ro.minDays} of ${ro.days} trading days):`,
    );
    say(
      formatTable(
        ['holdout day', 'disc sessions', 'hold sessions', 'PROMOTE', 'PARK', 'DISCARD', 'drift warnings'],
        ro.folds.map((f) => [
          f.day,
          f.discoverySessions,
          f.holdoutSessions,
          rate(f.replicated, f.promoted),
          rate(f.parkReplicated, f.parkTested),
          rate(f.discardReplicated, f.discardTested),
          f.driftWarnings.length,
        ]),
      ),
    );
    const p = ro.pooled;
    say(
      `rolling pooled: PROMOTE ${rate(p.PROMOTE.replicated, p.PROMOTE.tested)}, PARK ${rate(p.PARK.replicated, p.PARK.tested)}, DISCARD ${rate(p.DISCARD.replicated, p.DISCARD.tested)}`,
    );
  } else if (ro?.status === 'skipped') say(`rolling origin skipped: ${ro.reason}`);
  say(`validation took ${seconds.toFixed(1)} s`);
}

/** `validate` with the real miner: motifs on the session DAGs (src/pipeline/miner.ts). */
export const register = makeValidateCommand({
  mine: dagMotifMiner(),
  mineWithProgress: (onProgress) => dagMotifMiner({ onProgress }),
});
