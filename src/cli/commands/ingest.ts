/**
 * `ironforge ingest <paths…>`: read session records and report sessions, event kinds, record-section coverage
 * (which sections each session has; sessions missing a section most others have are named), warnings and errors.
 */
import type { Command } from 'commander';
import { readSessions } from '../../store/index.js';
import { sessionCoverage, summarizeCoverage, summarizeKinds } from '../../session/index.js';
import { EVENT_KINDS, EVENT_SOURCES } from '../../session/index.js';
import { DEFAULT_SESSION_MAX_BYTES, UsageError } from '../../core/index.js';
import { formatTable, printJson, say } from '../output.js';
import { requireSessions } from '../inputs.js';
import { printError } from '../exit-codes.js';

/** `--max-bytes`: a positive number of bytes, optionally with a K/M/G (binary) suffix, e.g. 300M. */
export function parseByteSize(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?$/i.exec(v.trim());
  const unit = m?.[2]?.[0]?.toLowerCase();
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  const n = m ? Math.floor(Number(m[1]) * mult) : NaN;
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`--max-bytes must be a positive size in bytes (e.g. 300000000 or 300M), got "${v}"`);
  return n;
}

export function register(program: Command): void {
  program
    .command('ingest')
    .description('read session records (files or directories of enhanced JSON) and report what was found')
    .argument('<paths...>', 'session JSON files or directories')
    .option('--json', 'machine-readable output')
    .option('--symbol <name>', 'instrument symbol', 'NQ')
    .option('--timeframe <tf>', 'timeframe label', 'M5')
    .option('--show-warnings', 'print every warning (text mode)')
    .option(
      '--max-bytes <size>',
      `largest session file read (bytes, or with K/M/G); larger files are refused unread (default ${DEFAULT_SESSION_MAX_BYTES / 1024 ** 2}M)`,
      parseByteSize,
    )
    .action(
      async (
        paths: string[],
        opts: {
          json?: boolean;
          symbol: string;
          timeframe: string;
          showWarnings?: boolean;
          maxBytes?: number;
        },
      ) => {
        const r = await readSessions(paths, {
          symbol: opts.symbol,
          timeframe: opts.timeframe,
          maxBytes: opts.maxBytes,
        });
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
            vocabulary: r.vocabulary,
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
          if (r.vocabulary.length) {
            say(`vocabulary: ${r.vocabulary.length} label(s) no rule knows (kind from a section fallback):`);
            for (const v of r.vocabulary) {
              const files =
                v.files.slice(0, 3).join(', ') +
                (v.files.length > 3 ? ` and ${v.files.length - 3} more` : '');
              say(`  ${JSON.stringify(v.word)} (${v.source}, ${v.rule}) ×${v.count} in ${files}`);
            }
          } else say('vocabulary: every label matched a rule over its own words');
          for (const sk of r.skipped.filter((x) => x.reason.startsWith('same session content')))
            say(`  left out: ${sk.file}: ${sk.reason}`);
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
