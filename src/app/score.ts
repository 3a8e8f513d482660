/**
 * `ironforge score` as a library call: confluence scores per session and window from whatever component inputs
 * are at hand — embeddings (for pattern rarity), promoted-motif occurrences (for the motif component) — with
 * every missing input reported as an unavailable component instead of a silent zero.
 */
import {
  buildConfluenceInputs,
  confluenceStats,
  scoreConfluence,
  type ConfluenceComponent,
  type ConfluenceResult,
} from '../confluence/index.js';
import { buildPatterns, patternsBySession, type EmbeddingTable } from '../patterns/index.js';
import type { Session } from '../session/index.js';
import type { MotifHit } from '../validation/index.js';

export interface ScoreInputs {
  sessions: readonly Session[];
  /** Event embeddings of (some of) the sessions; null = rarity unavailable. */
  embeddings: EmbeddingTable | null;
  /** Promoted motif ids and their occurrences in `sessions`; null = motif component unavailable. */
  motifs: { promotedIds: string[]; hits: MotifHit[] } | null;
  seed: number;
  /** Number of patterns; undefined = chosen by silhouette. */
  k?: number;
  weights: Partial<Record<ConfluenceComponent, number>>;
  windowMinutes: number;
}

export interface ScoreReport {
  result: ConfluenceResult;
  /** What stats.json holds. */
  stats: {
    scale: '0-100';
    sessions: ReturnType<typeof confluenceStats>;
    windows: ReturnType<typeof confluenceStats>;
    config: ConfluenceResult['config'];
    components: ConfluenceResult['components'];
    unavailable: { component: ConfluenceComponent; reason: string }[];
    patterns: { k: number; silhouette: number | null; criterion: string | null } | null;
  };
  /** Sessions without embeddings (rarity unavailable there). */
  sessionsWithoutEmbeddings: string[];
}

export function scoreSessions(inp: ScoreInputs): ScoreReport {
  const unavailable: ScoreReport['stats']['unavailable'] = [];
  let patternMap: Map<string, Int32Array> | null = null;
  let patternFrequency: Float64Array | null = null;
  let patternInfo: ScoreReport['stats']['patterns'] = null;
  let sessionsWithoutEmbeddings: string[] = [];
  if (inp.embeddings) {
    const set = buildPatterns(inp.embeddings, { seed: inp.seed, k: inp.k });
    const map = patternsBySession(
      inp.embeddings,
      set.assign,
      new Map(inp.sessions.map((s) => [s.id, s.events.length])),
    );
    patternMap = map;
    patternFrequency = Float64Array.from(set.patterns, (p) => p.share);
    patternInfo = {
      k: set.k,
      silhouette: set.selection?.silhouette ?? null,
      criterion: set.selection?.criterion ?? null,
    };
    sessionsWithoutEmbeddings = inp.sessions.filter((s) => !map.has(s.id)).map((s) => s.id);
  } else unavailable.push({ component: 'rarity', reason: 'no embeddings (pass --run DIR)' });
  if (!inp.motifs) unavailable.push({ component: 'motif', reason: 'no motif source wired into `score`' });
  const inputs = buildConfluenceInputs(inp.sessions, { patternsBySession: patternMap, motifs: inp.motifs });
  const result = scoreConfluence(
    { sessions: inputs, patternFrequency },
    { weights: inp.weights, windowMinutes: inp.windowMinutes },
  );
  return {
    result,
    stats: {
      scale: '0-100',
      sessions: confluenceStats(result.sessions),
      windows: confluenceStats(result.windows),
      config: result.config,
      components: result.components,
      unavailable,
      patterns: patternInfo,
    },
    sessionsWithoutEmbeddings,
  };
}
