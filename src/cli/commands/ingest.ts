/** `ironforge ingest <paths…>`: read session records and report sessions, event kinds, warnings and errors. */
import type { Command } from 'commander';
import { readSessions } from '../../store/index.js';
import { summarizeKinds } from '../../session/index.js';
import { EVENT_KINDS } from '../../session/index.js';
import { formatTable, printJson, say } from '../output.js';

export function register(program: Command): void {
  program
    .command('ingest')
    .description('read session records (files or directories of enhanced JSON) and report what was found')
    .argument('<paths...>', 'session JSON files or directories')
    .option('--json', 'machine-readable output')
    .option('--symbol <name>', 'instrument symbol', 'NQ')
    .option('--timeframe <tf>', 'timeframe label', 'M5')
    .option('--show-warnings', 'print every warning (text mode)')
    .action(
      async (
        paths: string[],
        opts: { json?: boolean; symbol: string; timeframe: string; showWarnings?: boolean },
      ) => {
        const r = await readSessions(paths, { symbol: opts.symbol, timeframe: opts.timeframe });
        const summary = summarizeKinds(r.sessions);
        const sessions = r.sessions.map((s) => ({
          id: s.id,
          type: s.type,
          date: s.date,
          file: s.sourceFile,
          events: s.events.length,
          kinds: Object.fromEntries(
            EVENT_KINDS.map((k, i) => [k, s.events.filter((e) => e.kind === i).length]),
          ),
          warnings: s.warnings.length,
        }));
        if (opts.json) {
          printJson({
            sessions: sessions.length,
            dropped: r.failures.length,
            events: summary.events,
            kindShare: summary.kindShare,
            byKind: summary.byKind,
            bySource: summary.bySource,
            classifiedByRuleShare: summary.classifiedByRuleShare,
            byFallback: summary.byFallback,
            perSession: sessions,
            skipped: r.skipped,
            warnings: r.warnings,
            errors: r.failures,
          });
        } else {
          say(
            formatTable(
              ['session', 'events', ...EVENT_KINDS.map((k) => k.slice(0, 6)), 'warn'],
              sessions.map((s) => [s.id, s.events, ...EVENT_KINDS.map((k) => s.kinds[k]), s.warnings]),
            ),
          );
          say('');
          say(
            `${sessions.length} sessions, ${summary.events} events, ${r.failures.length} failed, ${r.skipped.length} files skipped (superseded/duplicate)`,
          );
          say(
            `kind shares: ${EVENT_KINDS.map((k) => `${k} ${summary.kindShare[k].toFixed(1)}%`).join(', ')}`,
          );
          say(
            `classified by a rule over the event's own words: ${summary.classifiedByRuleShare.toFixed(1)}% (fallback: ${summary.byFallback})`,
          );
          say(
            `${r.warnings.length} warnings${opts.showWarnings || r.warnings.length === 0 ? '' : ' (--show-warnings to list)'}`,
          );
          if (opts.showWarnings) for (const w of r.warnings) say(`  warning: ${w}`);
          for (const f of r.failures) process.stderr.write(`error: ${f.error}\n`);
        }
        if (r.failures.length || r.sessions.length === 0) process.exitCode = 1;
      },
    );
}
