/**
 * Stub motif miner for the validation/confluence tests (stage 7), standing in for src/motifs: a "motif" is a
 * run of three consecutive event kinds. Observed = occurrences over the sessions; null = the same count after
 * shuffling kinds within each session (seeded), `nNull` times. It returns real statistics (lift, empirical p,
 * BH q, class) so validation is exercised end to end.
 */
import type { EventKind } from '../../src/session/types.js';
import { Rng } from '../../src/stats/random.js';
import { benjaminiHochberg } from '../../src/stats/multiple.js';
import { empiricalP, lift as liftOf, zScore } from '../../src/stats/pvalue.js';
import { classifyMotif } from '../../src/stats/classify.js';
import type { MineOptions, MotifHit, MotifMiner, MotifStat } from '../../src/validation/miner.js';

// Lift floor of the stub: half an occurrence, so a motif absent from every null stays finite.
const LIFT_FLOOR = 0.5;

export function countTriples(kinds: ArrayLike<number>, motif: readonly number[]): number[] {
  const at: number[] = [];
  for (let i = 0; i + 2 < kinds.length; i++)
    if (kinds[i] === motif[0] && kinds[i + 1] === motif[1] && kinds[i + 2] === motif[2]) at.push(i);
  return at;
}

export interface MinerCall {
  sessions: string[];
  opts: MineOptions;
}

/** A miner over the given kind-triple motifs; every call is appended to `calls`. */
export function tripletMiner(
  motifDefs: Record<string, EventKind[]>,
  nNull: number,
  calls: MinerCall[] = [],
): MotifMiner {
  return (sessions, opts) => {
    calls.push({ sessions: sessions.map((s) => s.id), opts });
    const ids = opts.motifIds ? [...opts.motifIds] : Object.keys(motifDefs);
    const hits: MotifHit[] = [];
    const rng = new Rng(opts.seed);
    const partial = ids.map((id) => {
      const motif = motifDefs[id];
      if (!motif) throw new Error(`stub miner: unknown motif ${id}`);
      let count = 0;
      let support = 0;
      for (const s of sessions) {
        const at = countTriples(
          s.events.map((e) => e.kind),
          motif,
        );
        count += at.length;
        if (at.length) support++;
        for (const i of at) hits.push({ sessionId: s.id, motifId: id, nodes: [i, i + 1, i + 2] });
      }
      let sum = 0;
      let sum2 = 0;
      let atLeast = 0;
      for (let r = 0; r < nNull; r++) {
        let c = 0;
        for (const s of sessions) c += countTriples(rng.shuffle(s.events.map((e) => e.kind)), motif).length;
        sum += c;
        sum2 += c * c;
        if (c >= count) atLeast++;
      }
      const nullMean = sum / nNull;
      const nullSd = Math.sqrt(Math.max(0, sum2 / nNull - nullMean * nullMean));
      return { id, count, support, nullMean, nullSd, p: empiricalP(atLeast, nNull) };
    });
    const q = benjaminiHochberg(partial.map((m) => m.p));
    const motifs: MotifStat[] = partial.map((m, i) => {
      const l = liftOf(m.count, m.nullMean, LIFT_FLOOR);
      // The stub has no bootstrap: its CI collapses to the point estimate.
      return {
        ...m,
        size: 3,
        kinds: motifDefs[m.id],
        lift: l,
        z: zScore(m.count, m.nullMean, m.nullSd),
        q: q[i],
        ciLow: l,
        ciHigh: l,
        class: classifyMotif(l, q[i], l),
      };
    });
    return { motifs, hits };
  };
}
