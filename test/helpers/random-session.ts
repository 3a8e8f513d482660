/**
 * Seeded generator of synthetic `Session` objects for tests and benchmarks of the graph/features/tgat/motif
 * stages. Shaped loosely on the real NQ sample: minute-granular times with many events sharing a timestamp,
 * inter-arrival gaps of ~1–2 minutes with occasional long pauses, a random-walk price in NQ points, the sample's
 * source mix, and level keys shared by a few events (so CONTEXT edges exist).
 */
import { Rng } from '../../src/stats/random.js';
import {
  EVENT_KINDS,
  type EventKind,
  type EventSource,
  type Session,
  type SessionEvent,
} from '../../src/session/types.js';

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

const LEVEL_KEYS = [
  'fpfvg:am',
  'fpfvg:london',
  'level:asia_low',
  'level:am_high',
  'level:premarket_low',
  'fpfvg:3d_asia',
];

function pickWeighted<T extends string>(rng: Rng, weights: Record<T, number>): T {
  const entries = Object.entries(weights) as [T, number][];
  let total = 0;
  for (const [, w] of entries) total += w;
  let u = rng.float() * total;
  for (const [k, w] of entries) {
    u -= w;
    if (u < 0) return k;
  }
  return entries[entries.length - 1][0];
}

const ET_CLOCK = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'America/New_York',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

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
    const source = pickWeighted(rng, SOURCE_WEIGHTS);
    const kind = (i === 0 ? 6 : rng.int(EVENT_KINDS.length - 1)) as EventKind;
    const levelKey = rng.float() < 0.25 ? LEVEL_KEYS[rng.int(LEVEL_KEYS.length)] : '';
    events.push({
      t,
      seq: i,
      price: Math.round(price * 4) / 4,
      kind,
      source,
      rule: 'synthetic',
      label: EVENT_KINDS[kind],
      levelKey,
      clock: ET_CLOCK.format(new Date(t)),
      raw: null,
    });
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
    high: n > 0 ? Math.max(...prices) : 0,
    low: n > 0 ? Math.min(...prices) : 0,
    close: n > 0 ? prices[n - 1] : 0,
    events,
    warnings: [],
  };
}
