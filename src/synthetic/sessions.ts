/**
 * Seeded synthetic sessions: calibrated on real sessions (the canary's corpus) or loosely sample-shaped (tests).
 *
 * `calibrate(sessions)` reads the empirical statistics the canary needs to look like the real sample:
 * - kind mix: the distribution of the first event's kind and a 7×7 kind-transition matrix (row-stochastic,
 *   rows without data fall back to the overall kind mix);
 * - timestamps: whether an event shares the previous event's timestamp is a two-state Markov chain (the
 *   sample has many events stamped with the same minute, in runs); non-zero gaps are drawn from their
 *   empirical quantile function (inverse-CDF sampling with linear interpolation) and rounded to the time
 *   resolution of the sample (whole minutes when ≥ 95% of the gaps are whole minutes);
 * - price path: a random walk whose steps come from the empirical quantiles of Δprice, separately for
 *   same-timestamp and later events, rounded to the tick size;
 * - event sources: P(source | kind), the source mix within each kind;
 * - level keys: the share of events that touch a level/structure, the chance that it is the same key as the
 *   previous keyed event, and the key vocabulary with its frequencies (so CONTEXT edges exist);
 * - session anchors: type, date, start time, open price and the first event's offset of each real session;
 *   a synthetic session copies one of them at random.
 * A log-normal fit of the non-zero gaps is reported alongside (it is not used for sampling).
 *
 * `generateSession(rng, nEvents, calibration)` returns a `Session` of exactly `nEvents` events, deterministic
 * given the rng state. (How well a generated batch matches the sample is the canary's calibration check,
 * src/canary/calibration-check.ts.)
 *
 * `randomSession(rng, n)` is the uncalibrated generator of the graph/features/tgat/motif tests and benchmarks.
 */
import type { Rng } from '../stats/index.js';
import { ET_CLOCK, drawIndex, sampleQuantiles } from './draw.js';
import {
  EVENT_KINDS,
  EVENT_SOURCES,
  N_KINDS,
  type EventKind,
  type EventSource,
  type Session,
  type SessionEvent,
  type SessionType,
} from '../session/index.js';

const N_SOURCES = EVENT_SOURCES.length;
/** Points of each empirical quantile function (0%, 1%, …, 100%). */
const N_QUANTILES = 101;
/** Time resolution candidate: the sample is stamped to the minute. */
const MINUTE_MS = 60_000;
/** Share of whole-minute gaps above which generated gaps are rounded to whole minutes. */
const RESOLUTION_SHARE = 0.95;
/** NQ tick size in points. */
const TICK = 0.25;

/** What a synthetic session copies from one real session. */
export interface SessionTemplate {
  type: SessionType;
  date: string;
  startT: number;
  endT: number;
  open: number;
  /** t of the first event − startT (ms). */
  firstOffsetMs: number;
  timezone: string;
  symbol: string;
  timeframe: string;
}

/** The empirical statistics a generator needs; plain JSON (stored in canary.json). */
export interface Calibration {
  /** Sessions and events the calibration was read from. */
  sessions: number;
  events: number;
  /** Share of each kind over all events (EVENT_KINDS order), sums to 1. */
  kindShare: number[];
  /** Distribution of the first event's kind. */
  firstKind: number[];
  /** Row-stochastic P(next kind | kind), row-major N_KINDS × N_KINDS. */
  kindTransition: number[];
  /** P(gap = 0 | previous gap = 0) and P(gap = 0 | previous gap > 0); the first gap uses `zeroGapShare`. */
  zeroGapAfterZero: number;
  zeroGapAfterNonzero: number;
  zeroGapShare: number;
  /** Empirical quantiles (0…100%) of the non-zero gaps, ms. */
  gapQuantilesMs: number[];
  /** Log-normal fit of the non-zero gaps (mean and sd of ln(gap/ms)); reported, not sampled from. */
  gapLogNormal: { mu: number; sigma: number };
  /** Generated gaps are rounded to this many ms (0 = not rounded). */
  resolutionMs: number;
  /** Empirical quantiles of Δprice (points) after a zero gap and after a non-zero gap. */
  priceStepQuantilesSameTime: number[];
  priceStepQuantiles: number[];
  tickSize: number;
  /** P(source | kind), row-major N_KINDS × N_SOURCES (EVENT_SOURCES order). */
  sourceGivenKind: number[];
  /** Share of events with a level key. */
  levelKeyShare: number;
  /** P(same key as the previous keyed event | keyed, and an earlier keyed event exists). */
  levelKeyRepeat: number;
  /** Key vocabulary with counts (a new key is drawn from it by weight). */
  levelKeys: { key: string; count: number }[];
  templates: SessionTemplate[];
}

/** Linear-interpolated empirical quantiles (type 7) of `values` at 0, 1/(m−1), …, 1. */
export function empiricalQuantiles(values: readonly number[], m = N_QUANTILES): number[] {
  if (values.length === 0) throw new Error('empiricalQuantiles: no values');
  const v = Float64Array.from(values).sort();
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    const h = (i / (m - 1)) * (v.length - 1);
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, v.length - 1);
    out.push(v[lo] + (h - lo) * (v[hi] - v[lo]));
  }
  return out;
}

function normalize(counts: number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
}

/**
 * Reads the generator's statistics from real sessions. Throws when there is nothing to learn from
 * (no session with ≥ 2 events, or no non-zero gap).
 */
export function calibrate(sessions: readonly Session[]): Calibration {
  const usable = sessions.filter((s) => s.events.length >= 2);
  if (usable.length === 0) throw new Error('calibrate: need at least one session with ≥ 2 events');
  const kindCounts = new Array<number>(N_KINDS).fill(0);
  const firstCounts = new Array<number>(N_KINDS).fill(0);
  const transCounts = new Array<number>(N_KINDS * N_KINDS).fill(0);
  const sourceCounts = new Array<number>(N_KINDS * N_SOURCES).fill(0);
  const zeroAfter = [0, 0]; // [after zero, after nonzero]: zero-gap count
  const totalAfter = [0, 0];
  let zeroGaps = 0;
  let gaps = 0;
  const nonzeroGaps: number[] = [];
  const stepSame: number[] = [];
  const stepLater: number[] = [];
  let keyed = 0;
  let keyedWithPrior = 0;
  let keyRepeats = 0;
  let events = 0;
  const keyCounts = new Map<string, number>();
  const templates: SessionTemplate[] = [];
  for (const s of usable) {
    const ev = s.events;
    firstCounts[ev[0].kind]++;
    let prevZero: boolean | null = null;
    let prevKey = '';
    for (let i = 0; i < ev.length; i++) {
      const e = ev[i];
      events++;
      kindCounts[e.kind]++;
      const src = EVENT_SOURCES.indexOf(e.source);
      if (src < 0) throw new Error(`calibrate: session ${s.id} event ${i}: unknown source "${e.source}"`);
      sourceCounts[e.kind * N_SOURCES + src]++;
      if (e.levelKey) {
        keyed++;
        keyCounts.set(e.levelKey, (keyCounts.get(e.levelKey) ?? 0) + 1);
        if (prevKey) {
          keyedWithPrior++;
          if (prevKey === e.levelKey) keyRepeats++;
        }
        prevKey = e.levelKey;
      }
      if (i === 0) continue;
      transCounts[ev[i - 1].kind * N_KINDS + e.kind]++;
      const gap = e.t - ev[i - 1].t;
      const zero = gap === 0;
      gaps++;
      if (zero) zeroGaps++;
      else nonzeroGaps.push(gap);
      if (prevZero !== null) {
        const slot = prevZero ? 0 : 1;
        totalAfter[slot]++;
        if (zero) zeroAfter[slot]++;
      }
      prevZero = zero;
      (zero ? stepSame : stepLater).push(e.price - ev[i - 1].price);
    }
    templates.push({
      type: s.type,
      date: s.date,
      startT: s.startT,
      endT: s.endT,
      open: s.open,
      firstOffsetMs: ev[0].t - s.startT,
      timezone: s.timezone,
      symbol: s.symbol,
      timeframe: s.timeframe,
    });
  }
  if (nonzeroGaps.length === 0)
    throw new Error('calibrate: the sessions have no non-zero gap between events');
  const kindShare = normalize(kindCounts);
  const kindTransition: number[] = [];
  for (let a = 0; a < N_KINDS; a++) {
    const row = transCounts.slice(a * N_KINDS, (a + 1) * N_KINDS);
    kindTransition.push(...(row.some((c) => c > 0) ? normalize(row) : kindShare));
  }
  const overallSource = new Array<number>(N_SOURCES).fill(0);
  for (let k = 0; k < N_KINDS; k++)
    for (let j = 0; j < N_SOURCES; j++) overallSource[j] += sourceCounts[k * N_SOURCES + j];
  const sourceGivenKind: number[] = [];
  for (let k = 0; k < N_KINDS; k++) {
    const row = sourceCounts.slice(k * N_SOURCES, (k + 1) * N_SOURCES);
    sourceGivenKind.push(...normalize(row.some((c) => c > 0) ? row : overallSource));
  }
  const logs = nonzeroGaps.map((g) => Math.log(g));
  const mu = logs.reduce((a, b) => a + b, 0) / logs.length;
  const sigma = Math.sqrt(logs.reduce((a, b) => a + (b - mu) ** 2, 0) / Math.max(logs.length - 1, 1));
  const wholeMinutes = nonzeroGaps.filter((g) => g % MINUTE_MS === 0).length / nonzeroGaps.length;
  const zeroGapShare = zeroGaps / gaps;
  return {
    sessions: usable.length,
    events,
    kindShare,
    firstKind: normalize(firstCounts),
    kindTransition,
    zeroGapAfterZero: totalAfter[0] ? zeroAfter[0] / totalAfter[0] : zeroGapShare,
    zeroGapAfterNonzero: totalAfter[1] ? zeroAfter[1] / totalAfter[1] : zeroGapShare,
    zeroGapShare,
    gapQuantilesMs: empiricalQuantiles(nonzeroGaps),
    gapLogNormal: { mu, sigma },
    resolutionMs: wholeMinutes >= RESOLUTION_SHARE ? MINUTE_MS : 0,
    priceStepQuantilesSameTime: stepSame.length ? empiricalQuantiles(stepSame) : [0, 0],
    priceStepQuantiles: empiricalQuantiles(stepLater.length ? stepLater : [0]),
    tickSize: TICK,
    sourceGivenKind,
    levelKeyShare: keyed / events,
    levelKeyRepeat: keyedWithPrior ? keyRepeats / keyedWithPrior : 0,
    levelKeys: [...keyCounts]
      .map(([key, count]) => ({ key, count }))
      .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)),
    templates,
  };
}

/** One generated event: a rule-less synthetic record with the kind's name as label and its ET wall clock. */
function syntheticEvent(
  t: number,
  seq: number,
  price: number,
  kind: EventKind,
  source: EventSource,
  levelKey: string,
): SessionEvent {
  return {
    t,
    seq,
    price,
    kind,
    source,
    rule: 'synthetic',
    label: EVENT_KINDS[kind],
    levelKey,
    clock: ET_CLOCK.format(new Date(t)),
    raw: null,
  };
}

/**
 * One synthetic session of exactly `nEvents` events (≥ 1), drawn from `cal`. Deterministic given the rng state.
 * `id` defaults to `SYNTH_<TYPE>_<date>_<nEvents>`.
 */
export function generateSession(rng: Rng, nEvents: number, cal: Calibration, id?: string): Session {
  if (!Number.isInteger(nEvents) || nEvents < 1)
    throw new Error(`generateSession: nEvents must be an integer ≥ 1, got ${nEvents}`);
  if (cal.templates.length === 0) throw new Error('generateSession: calibration has no session templates');
  const tpl = cal.templates[rng.int(cal.templates.length)];
  const keyWeights = cal.levelKeys.map((k) => k.count);
  const events: SessionEvent[] = [];
  let t = tpl.startT + Math.max(0, tpl.firstOffsetMs);
  let price = tpl.open;
  let kind = drawIndex(rng, cal.firstKind) as EventKind;
  let prevZero: boolean | null = null;
  let prevKey = '';
  for (let i = 0; i < nEvents; i++) {
    if (i > 0) {
      const pZero: number =
        prevZero === null ? cal.zeroGapShare : prevZero ? cal.zeroGapAfterZero : cal.zeroGapAfterNonzero;
      const zero: boolean = rng.float() < pZero;
      if (!zero) {
        let gap = sampleQuantiles(rng, cal.gapQuantilesMs);
        if (cal.resolutionMs > 0)
          gap = Math.max(cal.resolutionMs, Math.round(gap / cal.resolutionMs) * cal.resolutionMs);
        else gap = Math.max(1, Math.round(gap));
        t += gap;
      }
      const step = sampleQuantiles(rng, zero ? cal.priceStepQuantilesSameTime : cal.priceStepQuantiles);
      price = Math.round((price + step) / cal.tickSize) * cal.tickSize;
      prevZero = zero;
      kind = drawIndex(rng, cal.kindTransition, kind * N_KINDS, N_KINDS) as EventKind;
    }
    const source = EVENT_SOURCES[drawIndex(rng, cal.sourceGivenKind, kind * N_SOURCES, N_SOURCES)];
    let levelKey = '';
    if (keyWeights.length > 0 && rng.float() < cal.levelKeyShare) {
      levelKey =
        prevKey && rng.float() < cal.levelKeyRepeat ? prevKey : cal.levelKeys[drawIndex(rng, keyWeights)].key;
      prevKey = levelKey;
    }
    events.push(syntheticEvent(t, i, price, kind, source, levelKey));
  }
  let high = -Infinity;
  let low = Infinity;
  for (const e of events) {
    if (e.price > high) high = e.price;
    if (e.price < low) low = e.price;
  }
  return {
    id: id ?? `SYNTH_${tpl.type}_${tpl.date}_${nEvents}`,
    type: tpl.type,
    date: tpl.date,
    symbol: tpl.symbol,
    timeframe: tpl.timeframe,
    timezone: tpl.timezone,
    sourceFile: '<synthetic>',
    startT: Math.min(tpl.startT, events[0].t),
    endT: Math.max(tpl.endT, events[nEvents - 1].t),
    open: events[0].price,
    high,
    low,
    close: events[nEvents - 1].price,
    events,
    warnings: [],
  };
}

// ---------------------------------------------------------------------------------------------------------
// Uncalibrated sessions for tests and benchmarks of the graph/features/tgat/motif stages. Shaped loosely on
// the real NQ sample: minute-granular times with many events sharing a timestamp, inter-arrival gaps of ~1–2
// minutes with occasional long pauses, a random-walk price in NQ points, the sample's source mix, and level
// keys shared by a few events (so CONTEXT edges exist).

export interface RandomSessionOptions {
  /** Probability that an event shares the previous event's timestamp (default 0.35). */
  sameTimeProb?: number;
  /** Mean gap in ms between distinct timestamps (default 90,000). */
  meanGapMs?: number;
  /** Round times to this many ms (default 60,000: minute bars, like the sample). 0 = no rounding. */
  resolutionMs?: number;
  /** Session start, UTC ms (default 2025-07-29 13:30 UTC = 09:30 ET). */
  startT?: number;
}

/** Source mix of the real sample (counts over 35 sessions), used as sampling weights. */
const SOURCE_WEIGHTS: Record<EventSource, number> = {
  price_movement: 443,
  liquidity_event: 428,
  phase_transition: 269,
  level_interaction: 151,
  fpfvg_interaction: 82,
  fair_value_gap: 59,
  bar_detector: 0,
};

const SOURCE_NAMES = Object.keys(SOURCE_WEIGHTS) as EventSource[];
const SOURCE_WEIGHT_VALUES = Object.values(SOURCE_WEIGHTS);

const LEVEL_KEYS = [
  'fpfvg:am',
  'fpfvg:london',
  'level:asia_low',
  'level:am_high',
  'level:premarket_low',
  'fpfvg:3d_asia',
];

/** A synthetic session of `n` events (n ≥ 0), deterministic given the rng state. */
export function randomSession(rng: Rng, n: number, opts: RandomSessionOptions = {}): Session {
  const sameTimeProb = opts.sameTimeProb ?? 0.35;
  const meanGapMs = opts.meanGapMs ?? 90_000;
  const res = opts.resolutionMs ?? 60_000;
  const startT = opts.startT ?? Date.UTC(2025, 6, 29, 13, 30);
  const events: SessionEvent[] = [];
  let t = startT;
  let price = 23_400 + rng.uniform(-200, 200);
  for (let i = 0; i < n; i++) {
    if (i > 0 && rng.float() >= sameTimeProb) {
      // Exponential gap, with a 5% chance of a long pause (2–40 min) so some gaps leave the DAG window.
      let gap = -Math.log(1 - rng.float()) * meanGapMs;
      if (rng.float() < 0.05) gap += rng.uniform(120_000, 2_400_000);
      if (res > 0) gap = Math.max(res, Math.round(gap / res) * res);
      t += gap;
      price += rng.normal() * 8;
    }
    const source = SOURCE_NAMES[drawIndex(rng, SOURCE_WEIGHT_VALUES)];
    const kind = (i === 0 ? 6 : rng.int(EVENT_KINDS.length - 1)) as EventKind;
    const levelKey = rng.float() < 0.25 ? LEVEL_KEYS[rng.int(LEVEL_KEYS.length)] : '';
    events.push(syntheticEvent(t, i, Math.round(price * 4) / 4, kind, source, levelKey));
  }
  const prices = events.map((e) => e.price);
  const endT = n > 0 ? Math.max(events[n - 1].t, startT + 60_000) : startT + 9_000_000;
  return {
    id: `SYNTH_${startT}_${n}`,
    type: 'NY_AM',
    date: '2025-07-29',
    symbol: 'NQ',
    timeframe: 'M5',
    timezone: 'America/New_York',
    sourceFile: '<synthetic>',
    startT,
    endT,
    open: n > 0 ? prices[0] : 0,
    high: n > 0 ? prices.reduce((m, x) => Math.max(m, x), -Infinity) : 0,
    low: n > 0 ? prices.reduce((m, x) => Math.min(m, x), Infinity) : 0,
    close: n > 0 ? prices[n - 1] : 0,
    events,
    warnings: [],
  };
}
