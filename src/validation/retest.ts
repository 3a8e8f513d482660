/**
 * One discovery/holdout re-test, shared by the single temporal split (oos.ts) and each rolling-origin fold
 * (rolling.ts): mine the discovery sessions, then re-test on the holdout sessions — against nulls recomputed
 * there — every PROMOTE motif and, as baselines, a seeded sample of ≤ `baselineCap` PARK and DISCARD motifs.
 *
 * Replication has ONE definition for all three classes: within the class's family of re-tested motifs, the
 * one-sided holdout p-values are BH-adjusted and a motif replicates when q < alpha. A motif the miner does not
 * report on the holdout counts as absent (p = 1). So "PROMOTE replicates at r" can be read beside what PARK
 * and DISCARD motifs — motifs the discovery test did not select — do under the same test (EVIDENCE.md §5).
 */
import { DEFAULT_BASELINE_SAMPLE, STREAMS } from '../core/index.js';
import type { Session } from '../session/index.js';
import { benjaminiHochberg, deriveSeed, Rng } from '../stats/index.js';
import type { MotifClassName, MotifMiner, MotifStat } from './miner.js';

export const MOTIF_CLASSES: readonly MotifClassName[] = ['PROMOTE', 'FLOOR-LIMITED', 'PARK', 'DISCARD'];

export interface MotifValidation {
  id: string;
  size: number;
  kinds: readonly number[] | string;
  discovery: {
    count: number;
    support: number;
    recurrence: number;
    lift: number;
    p: number;
    q: number;
    ciLow: number;
    ciHigh: number;
  };
  holdout: {
    /** Whether the miner reported the motif on the holdout at all. */
    found: boolean;
    count: number;
    support: number;
    recurrence: number;
    lift: number;
    nullMean: number | null;
    nullSd: number | null;
    z: number | null;
    p: number;
    /** BH over the promoted motifs' holdout p-values. */
    q: number;
    replicated: boolean;
  };
}

/** Replication of one discovery class on the holdout. */
export interface ClassReplication {
  /** Motifs of the class on discovery. */
  inClass: number;
  /** Motifs re-tested on the holdout: every PROMOTE; a seeded sample of ≤ the cap of PARK / DISCARD. */
  tested: number;
  /** True when `tested` < `inClass` (a sample was drawn). */
  sampled: boolean;
  /** Re-tested motifs with BH q < alpha within the class's family. */
  replicated: number;
  /** replicated / tested; null when nothing was tested. */
  rate: number | null;
  /**
   * 95% Wilson interval of `rate` over the re-tested motifs; null when nothing was tested. Replication is a
   * per-motif outcome (one holdout test per motif over all holdout days), so there is no per-day indicator to
   * bootstrap by day; the interval treats motifs as the sampling unit. Motifs share the same few holdout days,
   * so their outcomes are correlated and the interval is optimistic: read it with `holdoutDays` beside it.
   */
  ci95: [number, number] | null;
  /** Re-tested motifs with unadjusted holdout p < alpha (the rule before BH, for reference). */
  pBelowAlpha: number;
}

export interface RetestOptions {
  /**
   * Root seed, passed to the discovery and the holdout miner as is: null draws are per session (the miner seeds
   * each session by its id), and the two parts share no session, so their draws are independent; the run can
   * then reduce both parts in its own null phase (MineOptions.groups) instead of mining them again.
   */
  seed: number;
  alpha: number;
  /** PARK/DISCARD motifs re-tested per class (default DEFAULT_BASELINE_SAMPLE); 0 = no baselines. */
  baselineCap?: number;
}

export interface Retest {
  discoveryMotifs: number;
  classes: Record<MotifClassName, number>;
  /** PROMOTE motifs with their discovery and holdout statistics, by id. */
  promoted: MotifValidation[];
  byClass: Record<MotifClassName, ClassReplication>;
  unrequestedIgnored: number;
}

/** 95% (z = 1.96) Wilson score interval of k successes in n trials; null when n = 0. */
export function wilsonInterval(k: number, n: number, z = 1.959963984540054): [number, number] | null {
  if (!(Number.isInteger(k) && Number.isInteger(n) && k >= 0 && k <= n))
    throw new Error(`wilsonInterval: need integers 0 ≤ k ≤ n, got k = ${k}, n = ${n}`);
  if (n === 0) return null;
  const p = k / n;
  const z2 = z * z;
  const den = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / den;
  const half = (z / den) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, center - half), Math.min(1, center + half)];
}

export function checkStat(m: MotifStat, where: string, nSessions: number): void {
  if (typeof m.id !== 'string' || m.id === '') throw new Error(`${where}: a motif has an empty id`);
  if (!(m.p >= 0 && m.p <= 1)) throw new Error(`${where}: motif ${m.id} has p = ${m.p}, outside [0, 1]`);
  if (!(Number.isInteger(m.support) && m.support >= 0 && m.support <= nSessions))
    throw new Error(
      `${where}: motif ${m.id} has support ${m.support}, expected an integer in 0..${nSessions}`,
    );
  if (!(Number.isFinite(m.count) && m.count >= 0))
    throw new Error(`${where}: motif ${m.id} has count ${m.count}`);
  if (!(m.lift >= 0)) throw new Error(`${where}: motif ${m.id} has lift ${m.lift}`);
}

const byId = (a: MotifStat, b: MotifStat) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Up to `cap` motifs of a class, a seeded sample when there are more; sorted by id. */
function sampleClass(motifs: MotifStat[], cap: number, seed: number, classIndex: number): MotifStat[] {
  const sorted = [...motifs].sort(byId);
  if (sorted.length <= cap) return sorted;
  const rng = new Rng(deriveSeed(seed, STREAMS.validationBaselineSample, classIndex));
  return rng.shuffle(sorted).slice(0, cap).sort(byId);
}

/** Mines `discovery`, re-tests PROMOTE and the PARK/DISCARD baselines on `holdout` (see the module comment). */
export async function retestSplit(
  discovery: readonly Session[],
  holdout: readonly Session[],
  mine: MotifMiner,
  opts: RetestOptions,
): Promise<Retest> {
  const { seed, alpha } = opts;
  const cap = opts.baselineCap ?? DEFAULT_BASELINE_SAMPLE;
  if (!(Number.isInteger(cap) && cap >= 0))
    throw new Error(`validation: baselineCap must be an integer ≥ 0, got ${cap}`);
  const disc = await mine(discovery, { seed, role: 'discovery' });
  const seen = new Set<string>();
  const classes: Record<MotifClassName, number> = { PROMOTE: 0, 'FLOOR-LIMITED': 0, PARK: 0, DISCARD: 0 };
  const members: Record<MotifClassName, MotifStat[]> = {
    PROMOTE: [],
    'FLOOR-LIMITED': [],
    PARK: [],
    DISCARD: [],
  };
  for (const m of disc.motifs) {
    checkStat(m, 'validation (discovery)', discovery.length);
    if (seen.has(m.id)) throw new Error(`validation (discovery): the miner returned motif ${m.id} twice`);
    seen.add(m.id);
    if (!(m.class in classes))
      throw new Error(`validation (discovery): motif ${m.id} has class "${String(m.class)}"`);
    classes[m.class]++;
    members[m.class].push(m);
  }
  const tested: Record<MotifClassName, MotifStat[]> = {
    PROMOTE: [...members.PROMOTE].sort(byId),
    'FLOOR-LIMITED': sampleClass(members['FLOOR-LIMITED'], cap, seed, 3),
    PARK: sampleClass(members.PARK, cap, seed, 1),
    DISCARD: sampleClass(members.DISCARD, cap, seed, 2),
  };
  const ids = MOTIF_CLASSES.flatMap((c) => tested[c].map((m) => m.id));

  const hold =
    ids.length > 0 ? await mine(holdout, { seed, motifIds: ids, role: 'holdout' }) : { motifs: [] };
  const wanted = new Set(ids);
  const found = new Map<string, MotifStat>();
  let unrequested = 0;
  for (const m of hold.motifs) {
    if (!wanted.has(m.id)) {
      unrequested++;
      continue;
    }
    checkStat(m, 'validation (holdout)', holdout.length);
    if (found.has(m.id)) throw new Error(`validation (holdout): the miner returned motif ${m.id} twice`);
    found.set(m.id, m);
  }

  const byClass = {} as Record<MotifClassName, ClassReplication>;
  let promoted: MotifValidation[] = [];
  const nDisc = discovery.length;
  const nHold = holdout.length;
  for (const c of MOTIF_CLASSES) {
    const family = tested[c];
    const p = family.map((m) => found.get(m.id)?.p ?? 1);
    const q = benjaminiHochberg(p);
    const replicated = q.filter((x) => x < alpha).length;
    byClass[c] = {
      inClass: classes[c],
      tested: family.length,
      sampled: family.length < classes[c],
      replicated,
      rate: family.length ? replicated / family.length : null,
      ci95: wilsonInterval(replicated, family.length),
      pBelowAlpha: p.filter((x) => x < alpha).length,
    };
    if (c !== 'PROMOTE') continue;
    promoted = family.map((m, i) => {
      const h = found.get(m.id);
      return {
        id: m.id,
        size: m.size,
        kinds: m.kinds,
        discovery: {
          count: m.count,
          support: m.support,
          recurrence: m.support / nDisc,
          lift: m.lift,
          p: m.p,
          q: m.q,
          ciLow: m.ciLow,
          ciHigh: m.ciHigh,
        },
        holdout: {
          found: h !== undefined,
          count: h?.count ?? 0,
          support: h?.support ?? 0,
          recurrence: (h?.support ?? 0) / nHold,
          lift: h?.lift ?? 0,
          nullMean: h ? finiteOrNull(h.nullMean) : null,
          nullSd: h ? finiteOrNull(h.nullSd) : null,
          z: h ? finiteOrNull(h.z) : null,
          p: p[i],
          q: q[i],
          replicated: q[i] < alpha,
        },
      };
    });
  }
  return {
    discoveryMotifs: disc.motifs.length,
    classes,
    promoted,
    byClass,
    unrequestedIgnored: unrequested,
  };
}
