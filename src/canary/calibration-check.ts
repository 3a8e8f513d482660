/**
 * The canary's calibration check: how well a generated batch of sessions matches the real sample it was
 * calibrated on (pooled shares, KS distances), with the tolerances in `CALIBRATION_TOLERANCES`. The canary
 * prints this check in its report. The generator itself is `calibrate` / `generateSession` in src/synthetic.
 */
import { EVENT_SOURCES, N_KINDS, type Session } from '../session/index.js';

const N_SOURCES = EVENT_SOURCES.length;

function normalize(counts: number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
}

/** The statistics the calibration check compares (shares in [0, 1]). */
export interface SessionStats {
  events: number;
  kindShare: number[];
  sourceShare: number[];
  zeroGapShare: number;
  levelKeyShare: number;
  /** Non-zero gaps (ms) and price steps after a non-zero gap, sorted ascending (for KS distances). */
  nonzeroGapsMs: Float64Array;
  priceSteps: Float64Array;
}

/** Pooled statistics of a batch of sessions. */
export function sessionStats(sessions: readonly Session[]): SessionStats {
  const kinds = new Array<number>(N_KINDS).fill(0);
  const sources = new Array<number>(N_SOURCES).fill(0);
  let events = 0;
  let gaps = 0;
  let zero = 0;
  let keyed = 0;
  const nz: number[] = [];
  const steps: number[] = [];
  for (const s of sessions) {
    for (let i = 0; i < s.events.length; i++) {
      const e = s.events[i];
      events++;
      kinds[e.kind]++;
      sources[EVENT_SOURCES.indexOf(e.source)]++;
      if (e.levelKey) keyed++;
      if (i === 0) continue;
      const gap = e.t - s.events[i - 1].t;
      gaps++;
      if (gap === 0) zero++;
      else {
        nz.push(gap);
        steps.push(e.price - s.events[i - 1].price);
      }
    }
  }
  return {
    events,
    kindShare: normalize(kinds),
    sourceShare: normalize(sources),
    zeroGapShare: gaps ? zero / gaps : 0,
    levelKeyShare: events ? keyed / events : 0,
    nonzeroGapsMs: Float64Array.from(nz).sort(),
    priceSteps: Float64Array.from(steps).sort(),
  };
}

/** Two-sample Kolmogorov–Smirnov distance sup |F_a − F_b| of two ascending-sorted samples. */
export function ksDistance(a: Float64Array, b: Float64Array): number {
  if (a.length === 0 || b.length === 0) throw new Error('ksDistance: empty sample');
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i], b[j]);
    while (i < a.length && a[i] <= x) i++;
    while (j < b.length && b[j] <= x) j++;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return d;
}

/**
 * Tolerances of the calibration check: absolute difference of shares (kind, source: the largest over the
 * categories), absolute difference of the zero-gap and level-key shares, and KS distances of the non-zero gap
 * and price-step distributions.
 */
export const CALIBRATION_TOLERANCES = {
  kindShare: 0.03,
  sourceShare: 0.03,
  zeroGapShare: 0.03,
  levelKeyShare: 0.03,
  gapKs: 0.06,
  priceStepKs: 0.06,
} as const;

export interface CalibrationCheckRow {
  statistic: keyof typeof CALIBRATION_TOLERANCES;
  /** What is compared, in words. */
  measure: string;
  value: number;
  tolerance: number;
  ok: boolean;
}

/** Compares a generated batch with the sample; one row per statistic in CALIBRATION_TOLERANCES. */
export function compareStats(sample: SessionStats, synthetic: SessionStats): CalibrationCheckRow[] {
  const maxAbsDiff = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i])));
  const rows: Omit<CalibrationCheckRow, 'tolerance' | 'ok'>[] = [
    {
      statistic: 'kindShare',
      measure: 'max |Δ share| over the 7 kinds',
      value: maxAbsDiff(sample.kindShare, synthetic.kindShare),
    },
    {
      statistic: 'sourceShare',
      measure: 'max |Δ share| over the event sources',
      value: maxAbsDiff(sample.sourceShare, synthetic.sourceShare),
    },
    {
      statistic: 'zeroGapShare',
      measure: '|Δ share of same-timestamp gaps|',
      value: Math.abs(sample.zeroGapShare - synthetic.zeroGapShare),
    },
    {
      statistic: 'levelKeyShare',
      measure: '|Δ share of events with a level key|',
      value: Math.abs(sample.levelKeyShare - synthetic.levelKeyShare),
    },
    {
      statistic: 'gapKs',
      measure: 'KS distance of non-zero inter-arrival gaps',
      value: ksDistance(sample.nonzeroGapsMs, synthetic.nonzeroGapsMs),
    },
    {
      statistic: 'priceStepKs',
      measure: 'KS distance of price steps after a non-zero gap',
      value: ksDistance(sample.priceSteps, synthetic.priceSteps),
    },
  ];
  return rows.map((r) => {
    const tolerance = CALIBRATION_TOLERANCES[r.statistic];
    return { ...r, tolerance, ok: r.value <= tolerance };
  });
}
