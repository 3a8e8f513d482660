/**
 * Out-of-sample validation of mined motifs. Motifs are mined and tested on the discovery part of a temporal
 * split (split.ts); those classed PROMOTE there are re-tested on the holdout part only, against their nulls
 * recomputed on the holdout sessions (the injected miner, restricted to the promoted ids).
 *
 * Per promoted motif the report gives the holdout recurrence (share of holdout sessions containing it), lift,
 * p-value and a BH q-value over the family of promoted motifs (the hypotheses actually re-tested). A motif
 * REPLICATES when its holdout q < alpha (the p-value is one-sided: observed ≥ null, so a replicating motif is
 * over-represented again, not merely present). A promoted motif the miner does not report on the holdout (no
 * occurrence, or filtered out by the miner, e.g. below its minimum support) is treated as absent there: count
 * and lift 0 and p = 1 — conservative, and exact when it truly has no occurrence (every null count is ≥ 0).
 */
import type { Session } from '../session/index.js';
import { benjaminiHochberg } from '../stats/index.js';
import { deriveSeed } from '../stats/index.js';
import type { MotifClassName, MotifMiner, MotifStat } from './miner.js';
import { temporalSplit, type SplitOptions } from './split.js';
import { DEFAULT_SEED, STREAMS } from '../core/index.js';

export interface ValidationOptions extends SplitOptions {
  /** Default DEFAULT_SEED. Discovery mining uses deriveSeed(seed, STREAMS.validationDiscovery), holdout mining deriveSeed(seed, STREAMS.validationHoldout). */
  seed?: number;
  /** FDR level for replication (default 0.05, the conventional level the task states). */
  alpha?: number;
}

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

export interface ValidationReport {
  kind: 'ironforge.validation';
  version: 1;
  seed: number;
  alpha: number;
  criterion: string;
  split: {
    method: 'date' | 'fraction';
    splitDate: string;
    requestedHoldoutFraction: number | null;
    holdoutShare: number;
    discoveryDates: string[];
    holdoutDates: string[];
    discoverySessions: string[];
    holdoutSessions: string[];
  };
  discovery: {
    sessions: number;
    motifsTested: number;
    classes: Record<MotifClassName, number>;
  };
  holdout: {
    sessions: number;
    /** Motifs the miner returned on the holdout that were not asked for (ignored). */
    unrequestedIgnored: number;
  };
  motifs: MotifValidation[];
  summary: {
    promoted: number;
    replicated: number;
    /** replicated / promoted; null when nothing was promoted. */
    replicationRate: number | null;
    meanHoldoutRecurrence: number | null;
    medianHoldoutLift: number | null;
  };
}

function checkStat(m: MotifStat, where: string, nSessions: number): void {
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

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const h = v.length >> 1;
  return v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}

/** Runs the temporal out-of-sample validation (see the module comment). */
export async function validateOutOfSample(
  sessions: readonly Session[],
  mine: MotifMiner,
  opts: ValidationOptions = {},
): Promise<ValidationReport> {
  const seed = opts.seed ?? DEFAULT_SEED;
  const alpha = opts.alpha ?? 0.05;
  if (!Number.isInteger(seed)) throw new Error(`validation: seed must be an integer, got ${seed}`);
  if (!(alpha > 0 && alpha < 1)) throw new Error(`validation: alpha must be in (0, 1), got ${alpha}`);
  const split = temporalSplit(sessions, opts);

  const disc = await mine(split.discovery, {
    seed: deriveSeed(seed, STREAMS.validationDiscovery),
    role: 'discovery',
  });
  const seen = new Set<string>();
  const classes: Record<MotifClassName, number> = { PROMOTE: 0, 'FLOOR-LIMITED': 0, PARK: 0, DISCARD: 0 };
  for (const m of disc.motifs) {
    checkStat(m, 'validation (discovery)', split.discovery.length);
    if (seen.has(m.id)) throw new Error(`validation (discovery): the miner returned motif ${m.id} twice`);
    seen.add(m.id);
    if (!(m.class in classes))
      throw new Error(`validation (discovery): motif ${m.id} has class "${String(m.class)}"`);
    classes[m.class]++;
  }
  const promoted = disc.motifs
    .filter((m) => m.class === 'PROMOTE')
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ids = promoted.map((m) => m.id);

  const hold =
    ids.length > 0
      ? await mine(split.holdout, {
          seed: deriveSeed(seed, STREAMS.validationHoldout),
          motifIds: ids,
          role: 'holdout',
        })
      : { motifs: [] };
  const wanted = new Set(ids);
  const byId = new Map<string, MotifStat>();
  let unrequested = 0;
  for (const m of hold.motifs) {
    if (!wanted.has(m.id)) {
      unrequested++;
      continue;
    }
    checkStat(m, 'validation (holdout)', split.holdout.length);
    if (byId.has(m.id)) throw new Error(`validation (holdout): the miner returned motif ${m.id} twice`);
    byId.set(m.id, m);
  }
  const holdP = promoted.map((m) => byId.get(m.id)?.p ?? 1);
  const holdQ = benjaminiHochberg(holdP);

  const nDisc = split.discovery.length;
  const nHold = split.holdout.length;
  const motifs: MotifValidation[] = promoted.map((m, i) => {
    const h = byId.get(m.id);
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
        p: holdP[i],
        q: holdQ[i],
        replicated: holdQ[i] < alpha,
      },
    };
  });
  const replicated = motifs.filter((m) => m.holdout.replicated).length;
  return {
    kind: 'ironforge.validation',
    version: 1,
    seed,
    alpha,
    criterion:
      `motifs classed PROMOTE on the discovery dates are re-tested on the holdout dates against nulls recomputed ` +
      `there; a motif replicates when its one-sided holdout p-value, BH-adjusted over the promoted motifs, is < ${alpha}`,
    split: {
      method: split.method,
      splitDate: split.splitDate,
      requestedHoldoutFraction: split.requestedHoldoutFraction,
      holdoutShare: split.holdoutShare,
      discoveryDates: split.discoveryDates,
      holdoutDates: split.holdoutDates,
      discoverySessions: split.discovery.map((s) => s.id),
      holdoutSessions: split.holdout.map((s) => s.id),
    },
    discovery: { sessions: nDisc, motifsTested: disc.motifs.length, classes },
    holdout: { sessions: nHold, unrequestedIgnored: unrequested },
    motifs,
    summary: {
      promoted: promoted.length,
      replicated,
      replicationRate: promoted.length > 0 ? replicated / promoted.length : null,
      meanHoldoutRecurrence:
        motifs.length > 0 ? motifs.reduce((a, m) => a + m.holdout.recurrence, 0) / motifs.length : null,
      medianHoldoutLift: median(motifs.map((m) => m.holdout.lift)),
    },
  };
}

/** JSON text of a report (or any value) with non-finite numbers written as null, 2-space indented. */
export function toJson(value: unknown): string {
  return (
    JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n'
  );
}
