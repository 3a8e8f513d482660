/**
 * `ironforge ingest-bars <file>`: OHLCV bars (CSV or Parquet) → sessions of causally detected events.
 *
 * Prints a summary (bars, repairs, sessions, events per kind and per rule); `--out DIR` writes one
 * `ironforge-session/v1` JSON per session (`<DIR>/<session id>.json`, see src/detect/session-json.ts).
 * Exit codes: 0 ok; 1 unusable input (bad bars — each named by row —, missing columns, unreadable file);
 * 2 bad usage (unknown time zone, bad timeframe, bad calendar or flag value).
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { BarValidationError } from '../../detect/index.js';
import { type Bars, formatTimeframe, parseTimeframe } from '../../detect/index.js';
import { DEFAULT_CALENDAR, parseCalendar, type SessionWindow } from '../../detect/index.js';
import { readBars } from '../../store/index.js';
import { ingestBarSeries } from '../../detect/index.js';
import { SESSION_JSON_FORMAT, writeSessionJson } from '../../store/index.js';
import { resolveZoneName, ZoneClock } from '../../detect/index.js';
import { EVENT_KINDS } from '../../session/index.js';
import { UsageError } from '../../core/index.js';
import { formatTable, printJson, say } from '../output.js';
import { printError } from '../exit-codes.js';

interface IngestBarsFlags {
  tz: string;
  timeframe?: string;
  timestamp: string;
  symbol: string;
  calendar?: string;
  repair?: boolean;
  out?: string;
  json?: boolean;
  swing: string;
  fvgMinGap: string;
  phaseWindow: string;
}

function positiveInt(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got "${v}"`);
  return n;
}

async function loadCalendar(path: string | undefined): Promise<readonly SessionWindow[]> {
  if (!path) return DEFAULT_CALENDAR;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`--calendar: cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return parseCalendar(JSON.parse(text));
  } catch (err) {
    throw new UsageError(`--calendar ${path}: ${(err as Error).message}`);
  }
}

function span(bars: Bars, zone: ZoneClock): string {
  if (bars.n === 0) return 'none';
  return `${zone.isoWithOffset(bars.t[0])} … ${zone.isoWithOffset(bars.t[bars.n - 1])}`;
}

export function register(program: Command): void {
  program
    .command('ingest-bars')
    .description(
      'detect events (swings, FVGs, sweeps, BOS/CHoCH, phases) in OHLCV bars, causally, per session',
    )
    .argument('<file>', 'bars as CSV or Parquet: timestamp, open, high, low, close[, volume]')
    .option(
      '--tz <zone>',
      'time zone of the session calendar and of timestamps without an offset',
      'America/New_York',
    )
    .option('--timeframe <tf>', 'bar length, e.g. 1m, 5m, 1h (default: inferred from the spacing)')
    .option('--timestamp <open|close>', 'whether the timestamp is the bar open or close time', 'open')
    .option('--symbol <name>', 'instrument symbol recorded on the sessions', 'UNKNOWN')
    .option('--calendar <file>', 'session calendar JSON: [{"type":"NY_AM","start":"09:30","end":"11:59"}, …]')
    .option(
      '--repair',
      'sort rows by time and drop duplicate timestamps (keeping the last), reporting what changed',
    )
    .option('--out <dir>', `write one ${SESSION_JSON_FORMAT} JSON file per session into <dir>`)
    .option('--json', 'machine-readable summary')
    .option('--swing <n>', 'swing strength: bars on each side (also the confirmation delay)', '2')
    .option('--fvg-min-gap <price>', 'minimum fair value gap, in price units', '0')
    .option('--phase-window <n>', 'phase classification window, in bars', '6')
    .action(async (file: string, flags: IngestBarsFlags) => {
      let tz: string;
      try {
        tz = resolveZoneName(flags.tz);
      } catch (err) {
        throw new UsageError(`--tz: ${(err as Error).message}`);
      }
      let timeframeMs: number | undefined;
      if (flags.timeframe !== undefined) {
        try {
          timeframeMs = parseTimeframe(flags.timeframe);
        } catch (err) {
          throw new UsageError(`--timeframe: ${(err as Error).message}`);
        }
      }
      if (flags.timestamp !== 'open' && flags.timestamp !== 'close') {
        throw new UsageError(`--timestamp must be "open" or "close", got "${flags.timestamp}"`);
      }
      const swing = positiveInt('--swing', flags.swing);
      const phaseWindow = positiveInt('--phase-window', flags.phaseWindow);
      if (phaseWindow < 2) throw new UsageError(`--phase-window must be ≥ 2, got ${phaseWindow}`);
      const minGap = Number(flags.fvgMinGap);
      if (!(minGap >= 0))
        throw new UsageError(`--fvg-min-gap must be a number ≥ 0, got "${flags.fvgMinGap}"`);
      const calendar = await loadCalendar(flags.calendar);

      let read;
      try {
        read = await readBars(file, {
          tz,
          timeframe: timeframeMs,
          timestampIs: flags.timestamp,
          repair: flags.repair,
        });
      } catch (err) {
        const msg = err instanceof BarValidationError ? err.message : (err as Error).message;
        printError(msg);
        if (
          err instanceof BarValidationError &&
          !flags.repair &&
          err.problems.some((p) => /--repair/.test(p.message))
        ) {
          process.stderr.write('ironforge: hint: --repair sorts the rows and drops duplicate timestamps\n');
        }
        process.exitCode = 1;
        return;
      }
      const { bars, report } = read;
      const zone = new ZoneClock(tz);
      const result = ingestBarSeries(bars, {
        calendar,
        tz,
        symbol: flags.symbol,
        sourceFile: file,
        params: { swing: { left: swing, right: swing }, fvg: { minGap }, phase: { window: phaseWindow } },
      });
      const { sessions } = result;
      const byKind = Object.fromEntries(EVENT_KINDS.map((k) => [k, 0])) as Record<string, number>;
      const byRule: Record<string, number> = {};
      const byLabel: Record<string, number> = {};
      let events = 0;
      for (const s of sessions) {
        for (const e of s.events) {
          events++;
          byKind[EVENT_KINDS[e.kind]]++;
          byRule[e.rule] = (byRule[e.rule] ?? 0) + 1;
          byLabel[e.label] = (byLabel[e.label] ?? 0) + 1;
        }
      }
      const written: string[] = [];
      if (flags.out) for (const s of sessions) written.push(await writeSessionJson(flags.out, s));
      const incomplete = sessions
        .filter((s) => s.warnings.some((w) => w.startsWith('bars end before')))
        .map((s) => s.id);

      if (flags.json) {
        printJson({
          file,
          bars: bars.n,
          timeframe: formatTimeframe(bars.timeframeMs),
          timeframeInferred: report?.inferredTimeframeMs != null,
          timezone: tz,
          first: bars.n ? zone.isoWithOffset(bars.t[0]) : null,
          last: bars.n ? zone.isoWithOffset(bars.t[bars.n - 1]) : null,
          missingVolume: read.missingVolume,
          repairs: report,
          outsideBars: result.outsideBars,
          outsideEvents: result.outsideEvents,
          sessions: sessions.length,
          incompleteSessions: incomplete,
          events,
          byKind,
          byRule,
          byLabel,
          perSession: sessions.map((s) => ({
            id: s.id,
            events: s.events.length,
            kinds: Object.fromEntries(
              EVENT_KINDS.map((k, i) => [k, s.events.filter((e) => e.kind === i).length]),
            ),
            warnings: s.warnings,
          })),
          out: flags.out ? { dir: flags.out, format: SESSION_JSON_FORMAT, files: written } : null,
        });
        return;
      }
      say(
        `${bars.n} bars, ${formatTimeframe(bars.timeframeMs)}${report?.inferredTimeframeMs != null ? ' (inferred)' : ''}, ` +
          `${span(bars, zone)} (${tz})${read.missingVolume ? ', no volume column' : ''}`,
      );
      if (report && (report.sorted || report.droppedDuplicates.length > 0)) {
        say(
          `repaired: ${report.sorted ? `sorted (${report.movedRows} rows moved)` : 'already sorted'}, ` +
            `${report.droppedDuplicates.length} duplicate timestamp rows dropped`,
        );
        for (const d of report.droppedDuplicates.slice(0, 20)) {
          say(
            `  dropped row ${d.row} (kept row ${d.keptRow}${d.identical ? ', identical' : ', values differed'})`,
          );
        }
        if (report.droppedDuplicates.length > 20) say(`  … and ${report.droppedDuplicates.length - 20} more`);
      }
      say(
        `${sessions.length} sessions${incomplete.length ? ` (${incomplete.length} incomplete)` : ''}, ${events} events; ` +
          `${result.outsideBars} bars and ${result.outsideEvents} events outside the calendar's sessions`,
      );
      say('');
      say(
        formatTable(
          ['kind', 'events', 'share'],
          EVENT_KINDS.map((k) => [
            k,
            byKind[k],
            events ? `${((100 * byKind[k]) / events).toFixed(1)}%` : '-',
          ]),
        ),
      );
      say('');
      say(
        formatTable(
          ['rule', 'events'],
          Object.entries(byRule).sort((a, b) => b[1] - a[1]),
        ),
      );
      if (flags.out) say(`\nwrote ${written.length} ${SESSION_JSON_FORMAT} files to ${flags.out}`);
    });
}
