/**
 * `ironforge ingest <paths…>`: read session records and report sessions, event kinds, record-section coverage
 * (which sections each session has; sessions missing a section most others have are named), warnings and errors.
 */
import type { Command } from 'commander';
import { readSessions } from '../../store/index.js';
import { sessionCoverage, summarizeCoverage, summarizeKinds } from '../../session/index.js';
import { EVENT_KINDS, EVENT_SOURCES } from '../../session/index.js';
import { formatTable, printJson, say } from '../output.js';
import { requireSessions } from '../inputs.js';
import { printError } from '../exit-codes.js';

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
        requireSessions(paths, r); // nothing usable: one error line and exit 2, as `run` on the same paths
        const summary = summarizeKinds(r.sessions);
        const coverage = summarizeCoverage(r.sessions);
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
          coverage: (({ bySource, sections }) => ({ sections, bySource }))(sessionCoverage(s)),
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
            coverage: {
              sessionsWith: coverage.sessionsWith,
              presence: coverage.presence,
              eventShare: coverage.eventShare,
              majority: coverage.majority,
              missing: coverage.missing,
            },
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
          const present = EVENT_SOURCES.filter((src) => coverage.sessionsWith[src] > 0);
          say(
            `sections (share of sessions having them): ${
              present.length
                ? present.map((src) => `${src} ${Math.round(100 * coverage.presence[src])}%`).join(', ')
                : 'none'
            }`,
          );
          for (const m of coverage.missing) {
            const shown = m.sessions.slice(0, 10).join(', ');
            const more = m.sessions.length > 10 ? ` and ${m.sessions.length - 10} more` : '';
            say(
              `  missing section '${m.source}' (in ${Math.round(100 * m.presence)}% of sessions): ${shown}${more}`,
            );
          }
          say(
            `classified by a rule over the event's own words: ${summary.classifiedByRuleShare.toFixed(1)}% (fallback: ${summary.byFallback})`,
          );
          say(
            `${r.warnings.length} warnings${opts.showWarnings || r.warnings.length === 0 ? '' : ' (--show-warnings to list)'}`,
          );
          if (opts.showWarnings) for (const w of r.warnings) say(`  warning: ${w}`);
          for (const f of r.failures) printError(f.error);
        }
        if (r.failures.length || r.sessions.length === 0) process.exitCode = 1;
      },
    );
}
