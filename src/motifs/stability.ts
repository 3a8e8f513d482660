/**
 * Motif stability: how much the lifts of the top motifs move between runs that should agree — different
 * null seeds, and/or different graphs of the same sessions (e.g. attention DAGs from different kernels).
 * Δlift of a motif = max − min of its lift over the runs.
 */
import { mineMotifs } from './mine.js';
import type { MineOptions, MotifResult, MotifSession } from './types.js';

export interface LiftRun {
  label: string;
  results: readonly MotifResult[];
}

export interface StabilityRow {
  id: string;
  /** Lift per run (same order as `runs`); NaN where the motif was not tested in that run. */
  lifts: number[];
  /** max − min over runs; +∞ when the motif is missing from some run (it vanished: maximally unstable). */
  deltaLift: number;
}

export interface StabilityReport {
  runs: string[];
  topK: number;
  rankBy: 'lift' | 'count' | 'z';
  /** The top-K motifs of the first run, in rank order. */
  rows: StabilityRow[];
  /** Largest and mean Δlift over the rows (NaN when there are no rows). */
  maxDeltaLift: number;
  meanDeltaLift: number;
  /** What the stability gate reads: PROMOTE-set Jaccard and top-K overlap by z over every pair of runs. */
  agreement: MotifAgreement;
}

export interface MotifAgreement {
  /** Run labels (kernels, or seed=N). */
  runs: string[];
  /** PROMOTE motifs per run. */
  promoted: number[];
  /** Min over pairs of the PROMOTE-set Jaccard; null when no run has a PROMOTE motif (not applicable). */
  promoteJaccard: number | null;
  worstJaccardPair: [string, string] | null;
  topK: number;
  /** Min over pairs of the top-K-by-z overlap |T_A ∩ T_B| / max(|T_A|, |T_B|); null without tested motifs. */
  topOverlap: number | null;
  worstOverlapPair: [string, string] | null;
}

export interface StabilityOptions {
  /** How many top motifs to follow (default 10). */
  topK?: number;
  /** Ranking of the first run that picks them (default 'lift'; ties by id). */
  rankBy?: 'lift' | 'count' | 'z';
}

/**
 * Compare finished runs: take the first run's top-K motifs and report, for each, its lift in every run and
 * Δlift = max − min. Pure; no mining.
 */
export function compareLiftRuns(runs: readonly LiftRun[], opts: StabilityOptions = {}): StabilityReport {
  if (runs.length < 2) throw new Error(`compareLiftRuns: needs at least 2 runs, got ${runs.length}`);
  const topK = opts.topK ?? 10;
  if (!Number.isInteger(topK) || topK < 1) throw new Error(`topK must be an integer ≥ 1, got ${topK}`);
  const rankBy = opts.rankBy ?? 'lift';
  if (!['lift', 'count', 'z'].includes(rankBy))
    throw new Error(`rankBy must be lift, count or z; got "${rankBy}"`);
  const ranked = [...runs[0].results].sort(
    (a, b) => b[rankBy] - a[rankBy] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const top = ranked.slice(0, topK);
  const byId = runs.map((r) => new Map(r.results.map((x) => [x.id, x.lift])));
  const rows: StabilityRow[] = top.map((m) => {
    const lifts = byId.map((mp) => mp.get(m.id) ?? NaN);
    const missing = lifts.some((l) => Number.isNaN(l));
    const deltaLift = missing ? Infinity : Math.max(...lifts) - Math.min(...lifts);
    return { id: m.id, lifts, deltaLift };
  });
  const deltas = rows.map((r) => r.deltaLift);
  return {
    runs: runs.map((r) => r.label),
    topK,
    rankBy,
    rows,
    maxDeltaLift: deltas.length ? Math.max(...deltas) : NaN,
    meanDeltaLift: deltas.length ? deltas.reduce((a, b) => a + b, 0) / deltas.length : NaN,
    agreement: motifAgreement(runs, topK),
  };
}

/** One graph variant of the same sessions (e.g. the attention DAG from one kernel). */
export interface GraphVariant {
  label: string;
  sessions: readonly MotifSession[];
}

/**
 * Re-mine every (graph variant × seed) combination with the same options and compare the lifts of the
 * first run's top-K motifs (first variant, first seed). Runs are labeled `<variant>/seed=<seed>`.
 */
export function motifStability(
  variants: readonly GraphVariant[],
  options: MineOptions & StabilityOptions & { seeds: number[] },
): StabilityReport {
  if (variants.length === 0) throw new Error('motifStability: needs at least one graph variant');
  if (!Array.isArray(options.seeds) || options.seeds.length === 0)
    throw new Error('motifStability: seeds must list at least one seed');
  if (variants.length * options.seeds.length < 2)
    throw new Error('motifStability: needs at least 2 runs (several seeds and/or several graph variants)');
  const { seeds, topK, rankBy, ...mine } = options;
  const runs: LiftRun[] = [];
  for (const v of variants)
    for (const seed of seeds)
      runs.push({ label: `${v.label}/seed=${seed}`, results: mineMotifs(v.sessions, { ...mine, seed }) });
  return compareLiftRuns(runs, { topK, rankBy });
}

/** The fields of a motif result the agreement figures read. */
export type AgreementResult = Pick<MotifResult, 'id' | 'class' | 'z'>;

/** Jaccard |a ∩ b| / |a ∪ b|; null when both sets are empty (undefined, not 1). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number | null {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  const union = a.size + b.size - inter;
  return union === 0 ? null : inter / union;
}

/** Ids of the top-k motifs by z (descending; NaN last), ties by id. */
export function topIdsByZ(results: readonly AgreementResult[], k: number): string[] {
  const z = (r: AgreementResult) => (Number.isNaN(r.z) ? -Infinity : r.z);
  return results
    .slice()
    .sort((a, b) => (z(a) !== z(b) ? (z(a) > z(b) ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, k)
    .map((r) => r.id);
}

/**
 * PROMOTE-set Jaccard and top-K overlap by z over every pair of runs: the minimum over pairs (the worst pair
 * is named). A pair whose PROMOTE sets are both empty does not enter the Jaccard; with no PROMOTE in any run
 * the Jaccard is null (not applicable). The overlap is null only when no run tested any motif.
 */
export function motifAgreement(
  runs: readonly { label: string; results: readonly AgreementResult[] }[],
  topK: number,
): MotifAgreement {
  const promote = runs.map((r) => new Set(r.results.filter((x) => x.class === 'PROMOTE').map((x) => x.id)));
  const tops = runs.map((r) => new Set(topIdsByZ(r.results, topK)));
  let j: number | null = null;
  let o: number | null = null;
  let jPair: [string, string] | null = null;
  let oPair: [string, string] | null = null;
  for (let a = 0; a < runs.length; a++)
    for (let b = a + 1; b < runs.length; b++) {
      const pair: [string, string] = [runs[a].label, runs[b].label];
      const jab = jaccard(promote[a], promote[b]);
      if (jab !== null && (j === null || jab < j)) [j, jPair] = [jab, pair];
      const denom = Math.max(tops[a].size, tops[b].size);
      if (denom > 0) {
        let inter = 0;
        for (const x of tops[a]) if (tops[b].has(x)) inter++;
        if (o === null || inter / denom < o) [o, oPair] = [inter / denom, pair];
      }
    }
  return {
    runs: runs.map((r) => r.label),
    promoted: promote.map((p) => p.size),
    promoteJaccard: j,
    worstJaccardPair: jPair,
    topK,
    topOverlap: o,
    worstOverlapPair: oPair,
  };
}
