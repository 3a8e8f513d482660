/**
 * The motif miner as validation and confluence see it (src/validation/miner.ts): sessions in, motif statistics
 * (and, when asked, occurrences of chosen motifs) out. Mines the session DAGs with src/motifs.
 */
import { mineMotifsDetailed } from '../motifs/index.js';
import type { MineOptions, MotifMiningRun, MotifResult, MotifSession } from '../motifs/index.js';
import type { Session } from '../session/index.js';
import type { MotifMiner, MotifStat } from '../validation/index.js';
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
      // a re-test: every requested motif that occurs is tested (support ≥ 1), and only those (their p, lift
      // and null moments do not depend on the other tested motifs; testing every observed motif cost minutes)
      ...(opts.motifIds ? { minSupport: 1, motifIds: opts.motifIds } : {}),
    });
    const wanted = opts.motifIds ? new Set(opts.motifIds) : null;
    const results = wanted ? run.results.filter((r) => wanted.has(r.id)) : run.results;
    return { motifs: results.map(toMotifStat) };
  };
}
