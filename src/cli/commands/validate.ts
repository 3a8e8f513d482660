/**
 * `ironforge validate [paths…]`: temporal out-of-sample validation. Motifs promoted on the earlier dates are
 * re-tested on the later dates against their nulls; writes a validation.json-ready report.
 * The motif miner is injected (`makeValidateCommand({ mine })`); without one the command says so and fails.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { readSessions } from '../../store/index.js';
import type { MotifMiner } from '../../validation/index.js';
import { dagMotifMiner } from '../../app/index.js';
import { toJson, validateOutOfSample } from '../../validation/index.js';
import { writeFileAtomic } from '../../io/index.js';
import { formatTable, say } from '../output.js';
import { bundledSampleDir } from '../../app/index.js';

export interface ValidateDeps {
  mine?: MotifMiner;
}

interface ValidateOpts {
  splitDate?: string;
  holdoutFraction?: number;
  seed: number;
  alpha: number;
  out?: string;
  json?: boolean;
}

function parseFraction(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!(n > 0 && n < 1)) throw new InvalidArgumentError(`${flag} must be a number in (0, 1), got "${v}"`);
    return n;
  };
}

function parseSeed(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`--seed must be an integer, got "${v}"`);
  return n;
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
      .option('--seed <n>', 'seed for the motif nulls', parseSeed, 42)
      .option('--alpha <a>', 'FDR level for replication', parseFraction('--alpha'), 0.05)
      .option('--out <file>', 'write the report as JSON (e.g. runs/<date>/reports/validation.json)')
      .option('--json', 'print the report as JSON')
      .action(async (paths: string[], opts: ValidateOpts) => {
        if (!deps.mine)
          throw new Error(
            'not implemented: `validate` needs the motif miner (src/motifs) wired into makeValidateCommand',
          );
        const r = await readSessions(paths.length ? paths : [bundledSampleDir()]);
        for (const f of r.failures) process.stderr.write(`warning: ${f.error}\n`);
        const report = await validateOutOfSample(r.sessions, deps.mine, {
          seed: opts.seed,
          alpha: opts.alpha,
          splitDate: opts.splitDate,
          holdoutFraction: opts.holdoutFraction,
        });
        if (opts.out) await writeFileAtomic(opts.out, toJson(report));
        if (opts.json) {
          process.stdout.write(toJson(report));
          return;
        }
        const s = report.split;
        say(
          `discovery: ${s.discoverySessions.length} sessions (${s.discoveryDates[0]}..${s.discoveryDates.at(-1)}), holdout: ${s.holdoutSessions.length} sessions (${s.holdoutDates[0]}..${s.holdoutDates.at(-1)})`,
        );
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
        if (opts.out) say(`wrote ${opts.out}`);
      });
  };
}

/** `validate` with the real miner: motifs on the session DAGs (src/pipeline/miner.ts). */
export const register = makeValidateCommand({ mine: dagMotifMiner() });
