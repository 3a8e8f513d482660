/**
 * Bars with a planted effect and its null twin: the positive and negative controls of the evaluation stage.
 *
 * The bars are `generateBars`' Markov-switching walk (same regimes, noise, gaps, wicks and volume), one timeframe
 * apart, 24 h a day for `days` days. On top of it, at random emission bars ("firings") inside the session
 * windows, a MARKER bar is planted — a large bullish body with small wicks, visible to a causal rule at its close
 * — and, from the next bar on, an EFFECT: extra drift, wider range, or nothing (the null twin). The same Rng seed
 * gives the same firings and the same noise whatever the effect, so `kind: 'none'` is the twin of a drift or a
 * range run (when its effect lasts no longer than the longest horizon, which sets the firings' spacing).
 *
 * What is planted, exactly (also written out in `truth.doc`):
 * - Firings: each bar of a chosen session window (default: every window of `DEFAULT_CALENDAR`, New York time)
 *   whose next H bars still lie in that window is a candidate, H = max(longest horizon in bars, effect bars).
 *   Candidates fire with one probability p, and a firing blocks the next H − 1 bars; p is solved so that the
 *   expected number of firings is `signalRatePerDay` × days (a Bernoulli process with dead time: Poisson-like,
 *   slightly more regular). So no effect ever runs past its session's end, and no firing's forward window up to
 *   the longest horizon holds another firing's effect: every firing's true forward return is the stated one.
 * - Marker (the firing bar s): the walk pauses for one bar (close[s] = close[s−1], plus the drift of an earlier
 *   firing's effect if s lies in it), open[s] = close[s] − body with body = max(tick, bodySigmas·σ) (σ = the
 *   bar's regime volatility; default 4σ), wicks |N(0,1)|·σ·wickFrac (default 0.05). So the open gaps down by
 *   exactly the body, and the marker moves no close: every forward return from a later open, the signal's or a
 *   control's, is the walk's. A marker that moved the price up by its body would shift the forward return of
 *   every control window holding it, and the null twin would "find" a negative effect against its controls.
 *   Its shape does not depend on the walk's move either, so a causal rule reading it (large body vs recent
 *   bodies, small wicks, gap down) selects no regime of the walk.
 * - Effect, bars s+1 … s+bars (entry = open of s+1): 'drift' adds `pointsPerBar` to each bar's close-to-close
 *   move (the range regime's mean reversion is blind to it, see `BarOverlay`); 'range' multiplies σ (close
 *   noise, gaps, wicks) by `volMultiplier`; 'none' does nothing.
 * - Truth, per horizon h minutes (hb = ⌊h·60 000 / timeframeMs⌋ bars): the forward return is
 *   close[s + hb] − open[s + 1] (the as-of close at entry + h); its true mean is pointsPerBar·min(hb, bars) for
 *   'drift' and 0 otherwise. The walk alone has mean-zero forward returns at any bar chosen without looking at
 *   it (it is symmetric under reflection: trend-up ↔ trend-down), and the firings are drawn without looking at
 *   it; tick rounding adds an error far below the noise. For 'range', `noiseStdRatio` is the ratio of the
 *   forward return's noise s.d. to the no-effect one, √((m²·k + hb − k)/hb), k = min(hb, bars) (regime drift and
 *   mean reversion are not noise and make the realised ratio differ a little).
 */
import { DEFAULT_BAR_ZONE } from '../core/index.js';
import {
  allocBars,
  type Bars,
  DEFAULT_CALENDAR,
  segmentSessions,
  type SessionWindow,
  ZoneClock,
} from '../detect/index.js';
import type { SessionType } from '../session/index.js';
import type { Rng } from '../stats/index.js';
import {
  type BarOverlay,
  checkBarOptions,
  DEFAULT_GENERATE_OPTIONS,
  type GenerateBarsOptions,
  walkBars,
} from './bars.js';

export type PlantedEffect =
  | { kind: 'drift'; pointsPerBar: number; bars: number }
  | { kind: 'range'; volMultiplier: number; bars: number }
  | { kind: 'none' };

export interface PlantedMarker {
  /** Body of the marker bar in σ of its bar (σ of its regime). */
  bodySigmas: number;
  /** Wicks of the marker bar: |N(0,1)|·σ·wickFrac each. */
  wickFrac: number;
}

export const DEFAULT_PLANTED_MARKER: PlantedMarker = { bodySigmas: 4, wickFrac: 0.05 };

/** Horizons of `truth.expectedEffect`, minutes after entry. */
export const PLANTED_HORIZONS_MINUTES: readonly number[] = [5, 15, 30, 60];

export interface PlantedOptions {
  /** Days of bars, 24 h each (weekends are not skipped, as in `generateBars`). */
  days: number;
  /** Bar length, ms (default 60 000); must divide a day. */
  timeframeMs?: number;
  /** UTC ms of the first bar's open (default `generateBars`' start, Monday 2025-07-28 00:00 New York). */
  start?: number;
  /** Expected firings per day (exact in expectation, given the candidate bars). */
  signalRatePerDay: number;
  effect: PlantedEffect;
  marker?: Partial<PlantedMarker>;
  /** Session windows that may hold firings (default: every window of `calendar`). */
  sessions?: readonly SessionType[];
  calendar?: readonly SessionWindow[];
  /** IANA zone of the calendar (default America/New_York). */
  tz?: string;
  /** Horizons of the truth, minutes (default 5, 15, 30, 60); the longest sets the firings' spacing. */
  horizonsMinutes?: readonly number[];
  /** The walk underneath (`generateBars`' options; defaults as there). */
  base?: Partial<Omit<GenerateBarsOptions, 'start' | 'timeframeMs'>>;
}

export interface PlantedExpectation {
  horizonMinutes: number;
  /** ⌊horizonMinutes·60 000 / timeframeMs⌋: the forward return is close[s + horizonBars] − open[s + 1]. */
  horizonBars: number;
  /** True mean forward return after a firing, points. */
  meanReturnPoints: number;
  /** Forward-return noise s.d. with the effect ÷ without it (1 unless 'range'). */
  noiseStdRatio: number;
}

export interface PlantedTruth {
  kind: PlantedEffect['kind'];
  expectedEffect: PlantedExpectation[];
  /** Bars the effect lasts after the marker (0 for 'none'). */
  effectBars: number;
  /** Firings are at least this many bars apart; each one's next `spacingBars` bars stay in its session. */
  spacingBars: number;
  /** Probability with which a free candidate bar fires. */
  fireProbability: number;
  /** Expected number of firings (`signalRatePerDay` × days). */
  expectedFirings: number;
  /** What was planted, in words and numbers. */
  doc: string;
}

export interface PlantedBars {
  bars: Bars;
  /** Regime of each bar of the walk (0 range, 1 up, 2 down, 3 volatile), as `generateBars` returns it. */
  regime: Uint8Array;
  /** Emission bar of each firing (sorted): the marker bar; the signal is knowable at its CLOSE. */
  signalBars: Int32Array;
  truth: PlantedTruth;
}

const DAY_MS = 86_400_000;

/** Bars with a planted signal and effect (or none: the null twin). Deterministic given `rng`'s seed. */
export function generatePlantedBars(rng: Rng, opts: PlantedOptions): PlantedBars {
  const tf = opts.timeframeMs ?? 60_000;
  const base: GenerateBarsOptions = {
    ...DEFAULT_GENERATE_OPTIONS,
    ...opts.base,
    start: opts.start ?? DEFAULT_GENERATE_OPTIONS.start,
    timeframeMs: tf,
  };
  checkBarOptions(base);
  const marker = { ...DEFAULT_PLANTED_MARKER, ...opts.marker };
  const horizons = opts.horizonsMinutes ?? PLANTED_HORIZONS_MINUTES;
  checkPlantedOptions(opts, tf, marker, horizons);
  const effectBars = opts.effect.kind === 'none' ? 0 : opts.effect.bars;
  const horizonBars = horizons.map((h) => Math.floor((h * 60_000) / tf));
  const spacing = Math.max(1, effectBars, ...horizonBars);

  const n = opts.days * (DAY_MS / tf);
  const bars = allocBars(n, tf);
  for (let i = 0; i < n; i++) bars.t[i] = base.start + i * tf;
  const calendar = opts.calendar ?? DEFAULT_CALENDAR;
  const seg = segmentSessions(bars, calendar, new ZoneClock(opts.tz ?? DEFAULT_BAR_ZONE));
  const allowed = new Set<string>(opts.sessions ?? calendar.map((w) => w.type));
  // Candidate runs: the bars of an allowed session whose next `spacing` bars are in the same session.
  const runFrom: number[] = [];
  const runTo: number[] = [];
  const usedTypes = new Set<string>();
  for (let k = 0; k < seg.count; k++) {
    if (!allowed.has(seg.type[k]) || seg.lastBar[k] - spacing < seg.firstBar[k]) continue;
    runFrom.push(seg.firstBar[k]);
    runTo.push(seg.lastBar[k] - spacing);
    usedTypes.add(seg.type[k]);
  }
  const target = opts.signalRatePerDay * opts.days;
  const p = solveFireProbability(runFrom, runTo, spacing, target, opts.signalRatePerDay);

  // Two child streams: the schedule's draws never shift the walk's, so the effect kind (which changes neither)
  // leaves firings and noise identical across a positive control and its null twin.
  const scheduleRng = rng.fork(1);
  const walkRng = rng.fork(2);
  const fired: number[] = [];
  let next = 0;
  for (let r = 0; r < runFrom.length; r++) {
    for (let s = Math.max(runFrom[r], next); s <= runTo[r]; s++) {
      if (s < next || scheduleRng.float() >= p) continue; // s < next: inside the last firing's dead time
      fired.push(s);
      next = s + spacing;
    }
  }
  const signalBars = Int32Array.from(fired);

  const markerAt = new Uint8Array(n);
  for (const s of signalBars) markerAt[s] = 1;
  const overlay: BarOverlay = {
    drift: null,
    vol: null,
    marker: markerAt,
    markerBodySigmas: marker.bodySigmas,
    markerWickFrac: marker.wickFrac,
  };
  const eff = opts.effect;
  if (eff.kind === 'drift') overlay.drift = paint(n, 0, signalBars, eff.bars, eff.pointsPerBar);
  else if (eff.kind === 'range') overlay.vol = paint(n, 1, signalBars, eff.bars, eff.volMultiplier);
  const regime = walkBars(walkRng, bars, base, overlay);

  const expectedEffect = horizons.map((h, j): PlantedExpectation => {
    const hb = horizonBars[j];
    const k = Math.min(hb, effectBars);
    const m = eff.kind === 'range' ? eff.volMultiplier : 1;
    return {
      horizonMinutes: h,
      horizonBars: hb,
      meanReturnPoints: eff.kind === 'drift' ? eff.pointsPerBar * k : 0,
      noiseStdRatio: hb > 0 ? Math.sqrt((m * m * k + hb - k) / hb) : 1,
    };
  });
  const truth: PlantedTruth = {
    kind: eff.kind,
    expectedEffect,
    effectBars,
    spacingBars: spacing,
    fireProbability: p,
    expectedFirings: target,
    doc: '',
  };
  truth.doc = describe(opts, tf, marker, truth, [...usedTypes], opts.tz ?? DEFAULT_BAR_ZONE);
  return { bars, regime, signalBars, truth };
}

/** A per-bar array of `fill`, with `value` on bars s+1 … s+len after each firing s. */
function paint(n: number, fill: number, at: Int32Array, len: number, value: number): Float64Array {
  const a = new Float64Array(n).fill(fill);
  for (const s of at) a.fill(value, s + 1, s + 1 + len);
  return a;
}

/**
 * Expected firings in a run of `len` candidate bars when each free bar fires with probability p and a firing
 * blocks the next `spacing` − 1 bars: P(bar i free) = 1 − Σ P(fired at j) over the spacing − 1 bars before it
 * (those events exclude each other). Runs of different sessions are more than `spacing` apart, so they add.
 */
function expectedInRun(len: number, p: number, spacing: number): number {
  const fire = new Float64Array(len);
  let blocked = 0;
  let total = 0;
  for (let i = 0; i < len; i++) {
    const f = (1 - blocked) * p;
    fire[i] = f;
    total += f;
    blocked += f;
    if (i - spacing + 1 >= 0) blocked -= fire[i - spacing + 1];
  }
  return total;
}

/** The p whose expected total count is `target` (bisection; the count grows with p). */
function solveFireProbability(
  from: number[],
  to: number[],
  spacing: number,
  target: number,
  rate: number,
): number {
  if (target === 0) return 0;
  // most runs have one of a few lengths (one per session type): count them once per length
  const lengths = new Map<number, number>();
  for (let r = 0; r < from.length; r++) {
    const len = to[r] - from[r] + 1;
    lengths.set(len, (lengths.get(len) ?? 0) + 1);
  }
  const expected = (p: number): number => {
    let e = 0;
    for (const [len, count] of lengths) e += count * expectedInRun(len, p, spacing);
    return e;
  };
  const most = expected(1);
  if (!(target < most)) {
    throw new Error(
      `generatePlantedBars: signalRatePerDay ${rate} is more than the session windows hold ` +
        `(at most ${most} firings in all, ${spacing} bars apart, each followed by ${spacing} bars in its session)`,
    );
  }
  let lo = 0;
  let hi = 1;
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    if (expected(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function checkPlantedOptions(
  opts: PlantedOptions,
  tf: number,
  marker: PlantedMarker,
  horizons: readonly number[],
): void {
  const bad = (what: string, v: unknown): Error =>
    new Error(`generatePlantedBars: ${what}, got ${JSON.stringify(v)}`);
  if (!Number.isInteger(opts.days) || opts.days < 1) throw bad('days must be an integer ≥ 1', opts.days);
  if (!Number.isInteger(tf) || DAY_MS % tf !== 0) throw bad('timeframeMs must divide a day (ms)', tf);
  if (!(opts.signalRatePerDay >= 0 && Number.isFinite(opts.signalRatePerDay)))
    throw bad('signalRatePerDay must be a finite number ≥ 0', opts.signalRatePerDay);
  const e = opts.effect;
  if (e.kind === 'drift' && !Number.isFinite(e.pointsPerBar))
    throw bad('effect.pointsPerBar must be finite', e.pointsPerBar);
  if (e.kind === 'range' && !(e.volMultiplier > 0 && Number.isFinite(e.volMultiplier)))
    throw bad('effect.volMultiplier must be > 0', e.volMultiplier);
  if (e.kind !== 'none' && !(Number.isInteger(e.bars) && e.bars >= 1))
    throw bad('effect.bars must be an integer ≥ 1', e.bars);
  if (!(marker.bodySigmas > 0)) throw bad('marker.bodySigmas must be > 0', marker.bodySigmas);
  if (!(marker.wickFrac >= 0)) throw bad('marker.wickFrac must be ≥ 0', marker.wickFrac);
  if (horizons.length === 0 || !horizons.every((h) => h > 0 && Number.isFinite(h)))
    throw bad('horizonsMinutes must be positive numbers', horizons);
}

function describe(
  opts: PlantedOptions,
  tf: number,
  marker: PlantedMarker,
  truth: PlantedTruth,
  sessions: string[],
  tz: string,
): string {
  const e = opts.effect;
  const effect =
    e.kind === 'drift'
      ? `bars s+1…s+${e.bars} each get ${e.pointsPerBar} points added to their close-to-close move`
      : e.kind === 'range'
        ? `bars s+1…s+${e.bars} have their σ (close noise, gaps, wicks) multiplied by ${e.volMultiplier}`
        : 'nothing follows (null twin)';
  const means = truth.expectedEffect
    .map(
      (x) =>
        `${x.horizonMinutes}m ${x.meanReturnPoints}` +
        (e.kind === 'range' ? ` (sd×${x.noiseStdRatio.toFixed(3)})` : ''),
    )
    .join(', ');
  return (
    `${e.kind}: ${opts.days} days of ${tf / 60_000}-minute bars; ≈${opts.signalRatePerDay} firings/day at random ` +
    `bars of ${sessions.join(', ') || 'no session'} (${tz}) whose next ${truth.spacingBars} bars stay in the ` +
    `session, ≥ ${truth.spacingBars} bars apart. Firing bar s is a marker: close = previous close, open = ` +
    `close − max(tick, ${marker.bodySigmas}σ), wicks |N|·σ·${marker.wickFrac} (a bullish body that gaps down ` +
    `by exactly itself and moves no close). Entry = open of s+1; then ${effect}. ` +
    `True mean forward return (close[s+hb] − open[s+1]), points: ${means}.`
  );
}
