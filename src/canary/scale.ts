/**
 * The canary's corpus: synthetic sessions in the seed's scale mix (40 of 64–127 events, 50 of 128–255, 25 of
 * 256–511, 5 of 512–1023 for 120 sessions; other totals keep the proportions), plus the real sample.
 * Each synthetic session has its own derived seed, so session i is the same whatever the total.
 */
import { Rng, deriveSeed } from '../stats/index.js';
import type { Session } from '../session/index.js';
import { STREAMS } from '../core/index.js';
import { generateSession, type Calibration } from '../synthetic/index.js';

export type CategoryId = 'small' | 'medium' | 'large' | 'xl';

export interface ScaleCategory {
  id: CategoryId;
  /** Row label of the seed report. */
  label: string;
  minEvents: number;
  maxEvents: number;
  /** Sessions of this category in the seed's 120-session mix. */
  seedCount: number;
  /** The benchmark length L that stands for this category (its upper end, rounded up to a power of two). */
  L: number;
}

export const SCALE_CATEGORIES: readonly ScaleCategory[] = [
  { id: 'small', label: 'Small Sessions', minEvents: 64, maxEvents: 127, seedCount: 40, L: 128 },
  { id: 'medium', label: 'Medium Sessions', minEvents: 128, maxEvents: 255, seedCount: 50, L: 256 },
  { id: 'large', label: 'Large Sessions', minEvents: 256, maxEvents: 511, seedCount: 25, L: 512 },
  { id: 'xl', label: 'XL Sessions', minEvents: 512, maxEvents: 1023, seedCount: 5, L: 1024 },
];

/** Benchmark lengths of the per-L tables. */
export const BENCH_LENGTHS: readonly number[] = SCALE_CATEGORIES.map((c) => c.L);

/** Extra discarded warm-up rounds at the first benchmark length of each per-L table (JIT compilation). */
export const JIT_WARMUP_ROUNDS = 5;

/**
 * Sessions per category for `total` sessions: the seed's proportions by largest remainder (ties to the
 * earlier category), at least one per category when total ≥ 4. Sums to `total`.
 */
export function categoryCounts(total: number): number[] {
  if (!Number.isInteger(total) || total < 1) throw new Error(`sessions must be an integer ≥ 1, got ${total}`);
  const seedTotal = SCALE_CATEGORIES.reduce((a, c) => a + c.seedCount, 0);
  const exact = SCALE_CATEGORIES.map((c) => (c.seedCount * total) / seedTotal);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k++, left--) counts[order[k % order.length].i]++;
  if (total >= SCALE_CATEGORIES.length) {
    // Every category gets a session; take them from the largest.
    for (let i = 0; i < counts.length; i++) {
      if (counts[i] > 0) continue;
      const donor = counts.indexOf(Math.max(...counts));
      counts[donor]--;
      counts[i]++;
    }
  }
  return counts;
}

export interface CorpusSession {
  session: Session;
  category: CategoryId | 'real';
}

/**
 * The synthetic part of the corpus: `total` sessions in the scale mix, sizes uniform within each category's
 * range, every session from `Rng(deriveSeed(seed, STREAMS.canaryCorpus, index))`.
 */
export function syntheticCorpus(cal: Calibration, total: number, seed: number): CorpusSession[] {
  const counts = categoryCounts(total);
  const out: CorpusSession[] = [];
  let index = 0;
  SCALE_CATEGORIES.forEach((c, ci) => {
    for (let k = 0; k < counts[ci]; k++, index++) {
      const rng = new Rng(deriveSeed(seed, STREAMS.canaryCorpus, index));
      const n = c.minEvents + rng.int(c.maxEvents - c.minEvents + 1);
      out.push({
        session: generateSession(rng, n, cal, `SYNTH_${c.id}_${String(index).padStart(3, '0')}_${n}`),
        category: c.id,
      });
    }
  });
  return out;
}

/** A synthetic session of exactly `L` events for the per-L benchmarks. */
export function benchSession(cal: Calibration, L: number, seed: number): Session {
  return generateSession(new Rng(deriveSeed(seed, STREAMS.canaryBenchSession, L)), L, cal, `BENCH_L${L}`);
}
