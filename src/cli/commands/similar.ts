/**
 * `ironforge similar <session_id> <time> [paths…]`: the moments of other sessions most like a session at a time
 * (cosine distance of event embeddings). Embeddings come from a run (`--run DIR`, found through the run-directory
 * owner, src/store/run-dir.ts; or one embeddings Parquet file) or are computed from the sessions by an injected
 * encoder.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { readSessions } from '../../store/index.js';
import type { Session } from '../../session/index.js';
import {
  attachSessionPrices,
  embeddingTableFromSessions,
  EMBEDDING_DIM,
  type EmbeddingTable,
} from '../../patterns/index.js';
import { readEmbeddings } from '../../store/index.js';
import { similarMoments } from '../../patterns/index.js';
import { parseClock } from '../../session/index.js';
import { DEFAULT_SIMILAR_K, UsageError } from '../../core/index.js';
import { formatTable, printJson, say } from '../output.js';
import { bundledSampleDir } from '../../app/index.js';
import { printWarning } from '../exit-codes.js';

/** Computes per-session embeddings (row i = event i, width `EMBEDDING_DIM`), e.g. the TGAT encoder. */
export type SessionEncoder = (sessions: readonly Session[]) => Promise<Float32Array[]> | Float32Array[];

export interface SimilarDeps {
  /** Used when no --run is given. */
  encode?: SessionEncoder;
  /** Embedding width the encoder returns (default 44). */
  dim?: number;
}

interface SimilarOpts {
  run?: string;
  k: number;
  perSession?: number;
  json?: boolean;
}

/** Parses a positive integer flag value; a bad value is a usage error (exit 2) naming the flag. */
export function positiveInt(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0)
      throw new InvalidArgumentError(`${flag} must be a positive integer, got "${v}"`);
    return n;
  };
}

/** A query time: `HH:MM[:SS]` (wall clock in the session's zone) or an ISO date-time / epoch ms. */
export function parseQueryTime(text: string): number | string {
  if (parseClock(text) !== null) return text;
  if (/^\d+$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  if (Number.isFinite(ms) && /\d{4}-\d{2}-\d{2}T/.test(text)) return ms;
  throw new UsageError(`time must be HH:MM or HH:MM:SS (ET), an ISO date-time or epoch ms, got "${text}"`);
}

async function loadTable(paths: string[], opts: SimilarOpts, deps: SimilarDeps): Promise<EmbeddingTable> {
  if (opts.run) {
    const table = await readEmbeddings(opts.run);
    if (paths.length) {
      const r = await readSessions(paths);
      for (const f of r.failures) printWarning(f.error);
      attachSessionPrices(table, r.sessions);
    }
    return table;
  }
  if (!deps.encode)
    throw new UsageError(
      'no embeddings: pass --run DIR (a run directory written by `ironforge run`, or one embeddings Parquet file); this build has no encoder wired into `similar`',
    );
  const r = await readSessions(paths.length ? paths : [bundledSampleDir()]);
  for (const f of r.failures) printWarning(f.error);
  if (r.sessions.length === 0) throw new Error('similar: no sessions could be read');
  const emb = await deps.encode(r.sessions);
  return embeddingTableFromSessions(r.sessions, emb, deps.dim ?? EMBEDDING_DIM);
}

/** Builds the command's register function with the given dependencies. */
export function makeSimilarCommand(deps: SimilarDeps = {}): (program: Command) => void {
  return (program) => {
    program
      .command('similar')
      .description(
        'find the moments of other sessions most like <session_id> at <time> (cosine distance of embeddings)',
      )
      .argument('<session_id>', 'session id, e.g. NY_AM_2025-07-29')
      .argument('<time>', 'HH:MM or HH:MM:SS in the session zone (ET), ISO date-time, or epoch ms')
      .argument(
        '[paths...]',
        'session JSON files or folders (default: the bundled sample; with --run: only to add prices)',
      )
      .option('--run <dir>', 'a run directory written by `ironforge run` (or one embeddings Parquet file)')
      .option('--k <n>', 'number of moments', positiveInt('--k'), DEFAULT_SIMILAR_K)
      .option('--per-session <n>', 'at most n moments from any one session', positiveInt('--per-session'))
      .option('--json', 'machine-readable output')
      .action(async (sessionId: string, timeText: string, paths: string[], opts: SimilarOpts) => {
        const at = parseQueryTime(timeText);
        const table = await loadTable(paths, opts, deps);
        if (!table.sessionIds.includes(sessionId))
          throw new UsageError(
            `session "${sessionId}" is not in the embeddings (e.g. ${table.sessionIds.slice(0, 3).join(', ')})`,
          );
        const r = similarMoments(table, sessionId, at, opts.k, { maxPerSession: opts.perSession });
        if (opts.json) return printJson(r);
        const price = (p: number | null) => (p === null ? '-' : String(p));
        say(
          `query: ${r.query.sessionId} ${r.query.clock} ${r.query.kindName} (event ${r.query.nodeId}, price ${price(r.query.price)})`,
        );
        say(
          formatTable(
            ['rank', 'session', 'time', 'kind', 'event', 'price', 'distance'],
            r.moments.map((m) => [
              m.rank,
              m.sessionId,
              m.clock,
              m.kindName,
              m.nodeId,
              price(m.price),
              m.distance.toFixed(6),
            ]),
          ),
        );
      });
  };
}

/** `similar` without an injected encoder: embeddings must come from --run. */
export const register = makeSimilarCommand();
