/**
 * `ironforge score [paths…]`: the descriptive confluence score (0–100) per session and per time window — the
 * weighted mean of causal components, not a probability. The calibrated probability of a stated outcome needs bars
 * and comes from `ironforge run --bars FILE` (confluence/windows.parquet `calibrated`, stats.json `calibration`).
 *
 * Components need inputs: `rarity` needs embeddings (`--run DIR` or an injected encoder; patterns are clustered
 * here, seeded), `motif` needs promoted-motif occurrences (an injected motif source); `structure` and `htf` need
 * only the sessions. A component without its input is reported unavailable and left out of the score.
 */
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { bundledSampleDir, scoreSessions } from '../../app/index.js';
import {
  CONFLUENCE_COMPONENTS,
  parseWeights,
  type ConfluenceResult,
  type ConfluenceSessionRow,
  type ConfluenceWindowRow,
} from '../../confluence/index.js';
import { DEFAULT_SEED, DEFAULT_WINDOW_MINUTES, UsageError } from '../../core/index.js';
import {
  attachSessionPrices,
  embeddingTableFromSessions,
  EMBEDDING_DIM,
  type EmbeddingTable,
} from '../../patterns/index.js';
import type { Session } from '../../session/index.js';
import {
  embeddingsSource,
  readConfluenceOutputs,
  readEmbeddings,
  readSessions,
  writeConfluenceOutputs,
} from '../../store/index.js';
import { toJson, type MotifHit } from '../../validation/index.js';
import { seedFlag } from '../inputs.js';
import { formatTable, say } from '../output.js';
import { positiveInt, type SessionEncoder } from './similar.js';
import { printError, printWarning } from '../exit-codes.js';

/** Promoted motif ids and their occurrences in the given sessions (e.g. mined by src/motifs). */
export type PromotedMotifSource = (
  sessions: readonly Session[],
  opts: { seed: number },
) => Promise<{ promotedIds: string[]; hits: MotifHit[] }> | { promotedIds: string[]; hits: MotifHit[] };

export interface ScoreDeps {
  encode?: SessionEncoder;
  /** Embedding width the encoder returns (default 44). */
  dim?: number;
  motifs?: PromotedMotifSource;
}

interface ScoreOpts {
  run?: string;
  window: number;
  weights?: string;
  seed: number;
  k?: number;
  out?: string;
  json?: boolean;
  windows?: boolean;
}

function parseWindow(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`--window must be a number of minutes > 0, got "${v}"`);
  return n;
}

const fmt = (v: number | null, digits = 3) => (v === null ? '-' : v.toFixed(digits));

/** What the score is, printed above the table and in the help. */
export const SCORE_NOTE =
  'confluence score (descriptive): 0–100, the weighted mean of causal components — not a probability; ' +
  'calibrated probabilities of a stated outcome come from `ironforge run --bars FILE`';

/** The run's stored confluence, printed like a computed one (JSON: the run's stats.json plus the rows). */
function printRunConfluence(
  stored: Awaited<ReturnType<typeof readConfluenceOutputs>>,
  cfg: ConfluenceResult['config'],
  opts: ScoreOpts,
): void {
  const sessions = stored.sessions as unknown as ConfluenceSessionRow[];
  const windows = stored.windows as unknown as ConfluenceWindowRow[];
  // a component no session row carries was not computed by the run: unavailable, as in a computed score
  const unavailable = CONFLUENCE_COMPONENTS.filter((c) =>
    sessions.every((r) => r[c] === null || Number.isNaN(r[c] as number)),
  ).map((component) => ({ component, reason: 'not computed by the run' }));
  if (opts.json) {
    process.stdout.write(
      toJson({
        scale: '0-100',
        source: 'run',
        ...stored.stats,
        unavailable,
        sessionRows: sessions,
        windowRows: windows,
      }),
    );
    return;
  }
  say(SCORE_NOTE);
  say("source: the run's confluence/ (the same figures as its dashboard)");
  say('');
  printScoreTables(sessions, windows, cfg, opts.windows === true);
}

/** The session table, the window table (with `withWindows`) and the weights line: one layout for both sources. */
function printScoreTables(
  sessions: readonly ConfluenceSessionRow[],
  windows: readonly ConfluenceWindowRow[],
  cfg: ConfluenceResult['config'],
  withWindows: boolean,
): void {
  say(
    formatTable(
      ['session', 'score', 'max win', ...CONFLUENCE_COMPONENTS, 'events', 'outside'],
      sessions.map((s) => [
        s.session_id,
        fmt(s.score, 1),
        fmt(s.max_window_score, 1),
        ...CONFLUENCE_COMPONENTS.map((c) => fmt(s[c])),
        s.events,
        s.events_outside,
      ]),
    ),
  );
  if (withWindows) {
    say('');
    say(
      formatTable(
        ['session', 'window', 'events', 'score', ...CONFLUENCE_COMPONENTS],
        windows.map((w) => [
          w.session_id,
          w.window_clock,
          w.events,
          fmt(w.score, 1),
          ...CONFLUENCE_COMPONENTS.map((c) => fmt(w[c])),
        ]),
      ),
    );
  }
  say('');
  say(
    `weights: ${CONFLUENCE_COMPONENTS.map((c) => `${c}=${cfg.weights[c]}`).join(', ')}; window ${cfg.windowMinutes} min`,
  );
}

export function makeScoreCommand(deps: ScoreDeps = {}): (program: Command) => void {
  return (program) => {
    program
      .command('score')
      .description(
        'descriptive confluence score 0–100 per session and time window: the weighted mean of documented causal ' +
          'components (not a probability; calibrated probabilities come from `ironforge run --bars FILE`)',
      )
      .argument('[paths...]', 'session JSON files or folders (default: the bundled sample)')
      .option(
        '--run <dir>',
        'a run directory written by `ironforge run` (or one embeddings Parquet file) for the pattern-rarity component',
      )
      .option('--window <minutes>', 'window length in minutes', parseWindow, DEFAULT_WINDOW_MINUTES)
      .option(
        '--weights <list>',
        `component weights, e.g. motif=1,rarity=1,structure=1,htf=1 (components: ${CONFLUENCE_COMPONENTS.join(', ')})`,
      )
      .option('--seed <n>', 'seed for pattern clustering and motif nulls', seedFlag, DEFAULT_SEED)
      .option('--k <n>', 'number of patterns (default: chosen by silhouette)', positiveInt('--k'))
      .option(
        '--out <dir>',
        'write scores.parquet (sessions), windows.parquet and stats.json into this folder',
      )
      .option('--windows', 'also print the window rows (text mode)')
      .option('--json', 'machine-readable output (sessions and windows)')
      .addHelpText('after', `\n${SCORE_NOTE}`)
      .action(async (paths: string[], opts: ScoreOpts) => {
        let weights;
        try {
          weights = opts.weights ? parseWeights(opts.weights) : {};
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
        // With --run DIR and no paths, the sessions are the run's own (its shards), so scores and embeddings agree.
        const source = opts.run ? await embeddingsSource(opts.run) : null;
        const runShards = source?.run?.paths.shards ?? null;
        // One source: `score --run DIR` on the run's own sessions with the run's settings shows the confluence the
        // run computed (its confluence/ files, the same rows its dashboard shows) instead of recomputing it with
        // other inputs (patterns reclustered on the embeddings, no motif component). Any override recomputes.
        if (source?.run && paths.length === 0 && !opts.weights && opts.k === undefined && !deps.motifs) {
          const stored = await readConfluenceOutputs(source.run.dir);
          const cfg = stored.stats.config as ConfluenceResult['config'] | undefined;
          if (cfg && cfg.windowMinutes === opts.window) {
            if (opts.out)
              await writeConfluenceOutputs(
                opts.out,
                {
                  sessions: stored.sessions as unknown as ConfluenceSessionRow[],
                  windows: stored.windows as unknown as ConfluenceWindowRow[],
                },
                toJson(stored.stats),
              );
            printRunConfluence(stored, cfg, opts);
            return;
          }
        }
        const inputs = paths.length ? paths : runShards ? [runShards] : [bundledSampleDir()];
        const r = await readSessions(inputs);
        // a file that failed is named and left out; the rest is scored and the command exits 1
        for (const f of r.failures) printError(f.error);
        if (r.failures.length > 0) process.exitCode = 1;
        const sessions = r.sessions;
        if (sessions.length === 0)
          throw new UsageError(`score: no sessions could be read from ${inputs.join(', ')}`);
        let table: EmbeddingTable | null = null;
        if (source) {
          table = await readEmbeddings(source);
          attachSessionPrices(table, sessions);
        } else if (deps.encode)
          table = embeddingTableFromSessions(
            sessions,
            await deps.encode(sessions),
            deps.dim ?? EMBEDDING_DIM,
          );
        const motifs = deps.motifs ? await deps.motifs(sessions, { seed: opts.seed }) : null;
        const {
          result,
          stats,
          sessionsWithoutEmbeddings: missing,
        } = scoreSessions({
          sessions,
          embeddings: table,
          motifs,
          seed: opts.seed,
          k: opts.k,
          weights,
          windowMinutes: opts.window,
        });
        if (missing.length)
          printWarning(
            `no embeddings for ${missing.length} sessions (${missing.slice(0, 3).join(', ')}…): rarity unavailable there`,
          );
        const unavailable = stats.unavailable;
        const patternInfo = stats.patterns;
        if (opts.out) await writeConfluenceOutputs(opts.out, result, toJson(stats));
        if (opts.json) {
          process.stdout.write(
            toJson({ ...stats, sessionRows: result.sessions, windowRows: result.windows }),
          );
          return;
        }
        say(SCORE_NOTE);
        say('');
        printScoreTables(result.sessions, result.windows, result.config, opts.windows === true);
        if (patternInfo)
          say(
            `patterns: k = ${patternInfo.k}${patternInfo.criterion ? ` (${patternInfo.criterion})` : ' (given)'}`,
          );
        for (const u of unavailable) say(`unavailable: ${u.component} (${u.reason}); left out of the score`);
        if (opts.out) say(`wrote ${join(opts.out, 'scores.parquet')}, windows.parquet, stats.json`);
      });
  };
}

/** `score` without injected encoder or motif source: structure + htf (+ rarity with --run). */
export const register = makeScoreCommand();
