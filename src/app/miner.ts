/**
 * The motif miner as validation and confluence see it (src/validation/miner.ts): sessions in, motif statistics
 * (and, when asked, occurrences of chosen motifs) out. Mines the session DAGs with src/motifs.
 */
import { mineMotifsDetailed, resolveMineOptions } from '../motifs/index.js';
import type { MineOptions, MotifMiningRun, MotifResult, MotifSession, NullGroups } from '../motifs/index.js';
import type { Session } from '../session/index.js';
import { temporalSplit, type MotifMiner, type MotifStat, type SplitOptions } from '../validation/index.js';
import { dagMotifSessions } from '../discover/index.js';

export function toMotifStat(r: MotifResult): MotifStat {
  return {
    id: r.id,
    size: r.size,
    kinds: r.kinds,
    count: r.count,
    support: r.support,
    nullMean: r.nullMean,
    nullSd: r.nullSd,
    lift: r.lift,
    z: r.z,
    p: r.p,
    q: r.q,
    ciLow: r.ciLow,
    ciHigh: r.ciHigh,
    class: r.class,
  };
}

/** A re-test (validation's holdout) tests every requested motif that occurs: support ≥ 1. */
export const RETEST_MIN_SUPPORT = 1;

/**
 * Validation's discovery (part 0) and holdout (part 1) as MineOptions.groups of the run's sessions; null when the
 * sessions cannot be split (validation then reports why).
 */
export function validationParts(
  sessions: readonly Session[],
  split: SplitOptions,
  motifs: Omit<MineOptions, 'seed'>,
): NullGroups | null {
  let parts: { discovery: readonly Session[] };
  try {
    parts = temporalSplit(sessions, split);
  } catch {
    return null;
  }
  const discovery = new Set(parts.discovery.map((s) => s.id));
  return {
    of: Int32Array.from(sessions, (s) => (discovery.has(s.id) ? 0 : 1)),
    minSupport: [resolveMineOptions(motifs).minSupport, RETEST_MIN_SUPPORT],
  };
}

/**
 * A MotifMiner over session DAGs. For a restricted call (`motifIds`, the holdout re-test) the requested motifs
 * that occur (support ≥ 1) are tested, and only they; a requested motif that never occurs is absent
 * (validation then counts it as not replicated).
 */
export function dagMotifMiner(
  base: Omit<MineOptions, 'seed'> = {},
  /** The mining itself (default the serial mineMotifsDetailed; run.ts passes its executor's, same results). */
  mine: (sessions: readonly MotifSession[], opts: MineOptions) => MotifMiningRun | Promise<MotifMiningRun> = (
    s,
    o,
  ) => mineMotifsDetailed(s, o),
): MotifMiner {
  return async (sessions: readonly Session[], opts) => {
    const run = await mine(dagMotifSessions(sessions, base.dagConfig, base.dagBuilder), {
      ...base,
      seed: opts.seed,
      ...retestOptions(opts.motifIds),
    });
    return minedStats(run, opts.motifIds);
  };
}

/**
 * The mining options of a call: a re-test (`motifIds`) tests every requested motif that occurs (support ≥ 1),
 * and only those (their p, lift and null moments do not depend on the other tested motifs; testing every
 * observed motif cost minutes); a full call adds nothing.
 */
function retestOptions(
  motifIds: readonly string[] | undefined,
): Pick<MineOptions, 'minSupport' | 'motifIds'> {
  return motifIds ? { minSupport: RETEST_MIN_SUPPORT, motifIds } : {};
}

/** A run's results as validation reads them: the requested motifs only, when some were requested. */
function minedStats(run: MotifMiningRun, motifIds: readonly string[] | undefined): { motifs: MotifStat[] } {
  const wanted = motifIds ? new Set(motifIds) : null;
  const results = wanted ? run.results.filter((r) => wanted.has(r.id)) : run.results;
  return { motifs: results.map(toMotifStat) };
}

/**
 * Validation's miner inside `run`: the run's motif stage was mined with validation's discovery and holdout parts as
 * MineOptions.groups, so a call for exactly one part's sessions (same order) with the run's seed is finished from
 * the run's null phase — what mining the part alone gives (test/motifs-groups) — and any other call mines.
 */
export function runPartsMiner(run: MotifMiningRun, seed: number, mine: MotifMiner): MotifMiner {
  return async (sessions, opts) => {
    const parts = run.groupRuns;
    if (parts && opts.seed === seed) {
      const ids = sessions.map((s) => s.id);
      for (let g = 0; g < parts.count; g++) {
        const have = parts.sessions(g);
        if (have.length !== ids.length || have.some((id, i) => id !== ids[i])) continue;
        const part = parts.finish(g, retestOptions(opts.motifIds));
        if (!part) break;
        return minedStats(part, opts.motifIds);
      }
    }
    return mine(sessions, opts);
  };
}
