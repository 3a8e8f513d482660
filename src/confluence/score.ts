/**
 * Confluence score, 0–100, per session and per time window: the weighted mean of the available components
 * (components.ts) × 100. A component is unavailable (null, left out of both numerator and denominator) when
 * its input was not computed: no motif mining → no `motif`; no pattern assignment → no `rarity`; no htf
 * reference → no `htf`. Unavailable is not the same as 0 ("computed, no evidence"), and is reported as such.
 *
 * Windows tile the session window [startT, endT] (from the record's metadata), aligned to multiples of the window
 * length since the epoch; an event belongs to [start, end). Events outside the session window are left out of
 * every window and counted in the session row's `eventsOutside`.
 */
import { KIND, type Session } from '../session/index.js';
import type { Column } from '../core/index.js';
import { wallClock } from '../patterns/index.js';
import type { MotifHit } from '../validation/index.js';
import {
  COMPONENT_DOCS,
  combineScore,
  directionAgreement,
  directionOf,
  saturatingRatio,
} from './components.js';
import {
  CONFLUENCE_COMPONENTS,
  resolveConfluenceConfig,
  type ConfluenceComponent,
  type ConfluenceConfig,
} from './weights.js';

export interface SessionConfluenceInput {
  session: Session;
  /** The session before this one in time (for the 'previous' htf reference); null/absent = none. */
  previous?: Session | null;
  /** Event index → pattern id (−1 unknown); null/absent = patterns not computed for this session. */
  patternOfEvent?: Int32Array | null;
  /** Occurrences of PROMOTED motifs in this session; null/absent = motifs not mined. */
  promotedHits?: readonly MotifHit[] | null;
}

export interface ConfluenceBatchInput {
  sessions: SessionConfluenceInput[];
  /** Pattern id → frequency (share of all pooled events); required when any session has `patternOfEvent`. */
  patternFrequency?: Float64Array | null;
}

export type ComponentValues = Record<ConfluenceComponent, number | null>;

export interface ConfluenceWindowRow extends ComponentValues {
  session_id: string;
  /** UTC ms, inclusive. */
  window_start: number;
  /** UTC ms, exclusive. */
  window_end: number;
  /** Wall clock of window_start in the session's zone. */
  window_clock: string;
  events: number;
  score: number | null;
}

export interface ConfluenceSessionRow extends ComponentValues {
  session_id: string;
  window_start: number;
  window_end: number;
  events: number;
  /** Events outside [startT, endT], in no window. */
  events_outside: number;
  windows: number;
  score: number | null;
  /** Highest window score of the session (null when no window has a score). */
  max_window_score: number | null;
}

export interface ConfluenceResult {
  config: ConfluenceConfig;
  components: Readonly<Record<ConfluenceComponent, string>>;
  windows: ConfluenceWindowRow[];
  sessions: ConfluenceSessionRow[];
}

interface SessionWork {
  input: SessionConfluenceInput;
  windowMs: number;
  gridStart: number;
  nWindows: number;
  /** Event → window index, −1 outside the session window. */
  windowOf: Int32Array;
  /** Event → covered by a promoted hit (0/1). */
  covered: Uint8Array | null;
  structural: number;
  hours: number;
}

function prepare(input: SessionConfluenceInput, windowMs: number): SessionWork {
  const s = input.session;
  if (!(Number.isFinite(s.startT) && Number.isFinite(s.endT) && s.endT >= s.startT))
    throw new Error(`confluence: session ${s.id} has an invalid window startT=${s.startT} endT=${s.endT}`);
  const n = s.events.length;
  const gridStart = Math.floor(s.startT / windowMs) * windowMs;
  const nWindows = Math.floor((s.endT - gridStart) / windowMs) + 1;
  const windowOf = new Int32Array(n).fill(-1);
  let structural = 0;
  for (let i = 0; i < n; i++) {
    const t = s.events[i].t;
    if (t < s.startT || t > s.endT) continue;
    windowOf[i] = Math.floor((t - gridStart) / windowMs);
    const k = s.events[i].kind;
    if (k === KIND.LiquidityTaken || k === KIND.Redelivery) structural++;
  }
  let covered: Uint8Array | null = null;
  if (input.promotedHits) {
    covered = new Uint8Array(n);
    for (const h of input.promotedHits) {
      if (h.sessionId !== s.id)
        throw new Error(`confluence: a hit of motif ${h.motifId} belongs to ${h.sessionId}, not ${s.id}`);
      for (const node of h.nodes) {
        if (!(Number.isInteger(node) && node >= 0 && node < n))
          throw new Error(
            `confluence: hit of motif ${h.motifId} in ${s.id} names node ${node}, outside 0..${n - 1}`,
          );
        covered[node] = 1;
      }
    }
  }
  if (input.patternOfEvent && input.patternOfEvent.length !== n)
    throw new Error(
      `confluence: session ${s.id} has ${n} events but patternOfEvent has ${input.patternOfEvent.length}`,
    );
  const hours = (s.endT - s.startT) / 3_600_000;
  return { input, windowMs, gridStart, nWindows, windowOf, covered, structural, hours };
}

/** Scores every session and window. Inputs are not modified. */
export function scoreConfluence(
  batch: ConfluenceBatchInput,
  partialConfig: Parameters<typeof resolveConfluenceConfig>[0] = {},
): ConfluenceResult {
  const config = resolveConfluenceConfig(partialConfig);
  const windowMs = config.windowMinutes * 60_000;
  const freq = batch.patternFrequency ?? null;
  // −ln(frequency) per pattern, min–max scaled over the patterns that occur: the most common pattern → 0, the
  // rarest → 1. (Scaling by the maximum alone would rate every event of an evenly split set as maximally rare.)
  let rarityOf: Float64Array | null = null;
  if (freq) {
    rarityOf = new Float64Array(freq.length);
    let min = Infinity;
    let max = -Infinity;
    for (let p = 0; p < freq.length; p++) {
      const f = freq[p];
      if (!(f >= 0 && f <= 1)) throw new Error(`confluence: patternFrequency[${p}] = ${f} is outside [0, 1]`);
      rarityOf[p] = f > 0 ? -Math.log(f) : NaN; // a pattern with no members never occurs
      if (f > 0) {
        min = Math.min(min, rarityOf[p]);
        max = Math.max(max, rarityOf[p]);
      }
    }
    for (let p = 0; p < freq.length; p++) rarityOf[p] = max > min ? (rarityOf[p] - min) / (max - min) : 0;
  }
  const work = batch.sessions.map((s) => prepare(s, windowMs));
  // Batch mean rate of structural events per hour: the session row's structure reference.
  let rateSum = 0;
  let rateN = 0;
  for (const w of work)
    if (w.hours > 0) {
      rateSum += w.structural / w.hours;
      rateN++;
    }
  const meanRate = rateN > 0 ? rateSum / rateN : 0;

  const windows: ConfluenceWindowRow[] = [];
  const sessions: ConfluenceSessionRow[] = [];
  for (const w of work) {
    const rows = scoreWindows(w, config, rarityOf);
    windows.push(...rows);
    sessions.push(scoreSessionRow(w, config, rarityOf, meanRate, rows));
  }
  return { config, components: COMPONENT_DOCS, windows, sessions };
}

function rarityMean(
  indices: Iterable<number>,
  patternOfEvent: Int32Array,
  rarityOf: Float64Array,
  sid: string,
): number {
  let sum = 0;
  let n = 0;
  for (const i of indices) {
    const p = patternOfEvent[i];
    if (p < 0) continue;
    if (p >= rarityOf.length)
      throw new Error(
        `confluence: session ${sid} event ${i} has pattern ${p}, but only ${rarityOf.length} patterns exist`,
      );
    if (Number.isNaN(rarityOf[p]))
      throw new Error(`confluence: session ${sid} event ${i} has pattern ${p}, whose frequency is 0`);
    sum += rarityOf[p];
    n++;
  }
  return n > 0 ? sum / n : 0;
}

function scoreWindows(
  w: SessionWork,
  config: ConfluenceConfig,
  rarityOf: Float64Array | null,
): ConfluenceWindowRow[] {
  const s = w.input.session;
  const n = s.events.length;
  const members: number[][] = Array.from({ length: w.nWindows }, () => []);
  for (let i = 0; i < n; i++) if (w.windowOf[i] >= 0) members[w.windowOf[i]].push(i);
  const meanStructural = w.structural / w.nWindows;
  const sessionDir = directionOf(s.open, s.close);
  const prev = w.input.previous ?? null;
  const prevDir = prev ? directionOf(prev.open, prev.close) : 0;
  const refs: number[] = [];
  if (config.htfReferences.includes('session')) refs.push(sessionDir);
  if (prev && config.htfReferences.includes('previous')) refs.push(prevDir);
  const pattern = w.input.patternOfEvent ?? null;
  if (pattern && !rarityOf)
    throw new Error(`confluence: session ${s.id} has pattern ids but no patternFrequency was given`);

  const rows: ConfluenceWindowRow[] = [];
  let refPrice = s.open; // price before the first window: the session open
  for (let win = 0; win < w.nWindows; win++) {
    const ev = members[win];
    const start = w.gridStart + win * w.windowMs;
    let motif: number | null = null;
    if (w.covered) {
      let c = 0;
      for (const i of ev) c += w.covered[i];
      motif = ev.length > 0 ? c / ev.length : 0;
    }
    const rarity = pattern && rarityOf ? rarityMean(ev, pattern, rarityOf, s.id) : null;
    let structuralCount = 0;
    for (const i of ev)
      if (s.events[i].kind === KIND.LiquidityTaken || s.events[i].kind === KIND.Redelivery) structuralCount++;
    const structure = saturatingRatio(structuralCount, meanStructural);
    // Window direction: last price in the window vs the last price before it (the open for the first one).
    let dir = 0;
    if (ev.length > 0) {
      const last = s.events[ev[ev.length - 1]].price;
      dir = directionOf(refPrice, last);
      refPrice = last;
    }
    const htf =
      refs.length > 0 ? refs.reduce((a, r) => a + directionAgreement(dir, r), 0) / refs.length : null;
    const comps: ComponentValues = { motif, rarity, structure, htf };
    rows.push({
      session_id: s.id,
      window_start: start,
      window_end: start + w.windowMs,
      window_clock: wallClock(start, s.timezone).clock,
      events: ev.length,
      score: combineScore(comps, config.weights),
      ...comps,
    });
  }
  return rows;
}

function scoreSessionRow(
  w: SessionWork,
  config: ConfluenceConfig,
  rarityOf: Float64Array | null,
  meanRate: number,
  windowRows: ConfluenceWindowRow[],
): ConfluenceSessionRow {
  const s = w.input.session;
  const inside: number[] = [];
  for (let i = 0; i < s.events.length; i++) if (w.windowOf[i] >= 0) inside.push(i);
  let motif: number | null = null;
  if (w.covered) {
    let c = 0;
    for (const i of inside) c += w.covered[i];
    motif = inside.length > 0 ? c / inside.length : 0;
  }
  const pattern = w.input.patternOfEvent ?? null;
  const rarity = pattern && rarityOf ? rarityMean(inside, pattern, rarityOf, s.id) : null;
  const rate = w.hours > 0 ? w.structural / w.hours : 0;
  const structure = saturatingRatio(rate, meanRate);
  const prev = w.input.previous ?? null;
  // At session level only the previous session is a reference (comparing the session with itself says nothing).
  const htf =
    prev && config.htfReferences.includes('previous')
      ? directionAgreement(directionOf(s.open, s.close), directionOf(prev.open, prev.close))
      : null;
  const comps: ComponentValues = { motif, rarity, structure, htf };
  let maxWindow: number | null = null;
  for (const r of windowRows)
    if (r.score !== null && (maxWindow === null || r.score > maxWindow)) maxWindow = r.score;
  return {
    session_id: s.id,
    window_start: s.startT,
    window_end: s.endT,
    events: inside.length,
    events_outside: s.events.length - inside.length,
    windows: w.nWindows,
    score: combineScore(comps, config.weights),
    max_window_score: maxWindow,
    ...comps,
  };
}

export interface BuildInputsOptions {
  /** Event index → pattern id per session id (e.g. from `patternsBySession`). */
  patternsBySession?: ReadonlyMap<string, Int32Array> | null;
  /** Promoted motif ids and all hits (hits of other motifs are ignored). Absent = motifs not mined. */
  motifs?: { promotedIds: Iterable<string>; hits: readonly MotifHit[] } | null;
}

/**
 * Wires sessions into scoring inputs: `previous` = the session before it in (startT, id) order; pattern ids and
 * promoted-motif hits attached per session. A session missing from `patternsBySession` gets no rarity.
 */
export function buildConfluenceInputs(
  sessions: readonly Session[],
  opts: BuildInputsOptions = {},
): SessionConfluenceInput[] {
  const ordered = [...sessions].sort(
    (a, b) => a.startT - b.startT || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const prevOf = new Map<string, Session | null>();
  ordered.forEach((s, i) => prevOf.set(s.id, i > 0 ? ordered[i - 1] : null));
  let hitsBySession: Map<string, MotifHit[]> | null = null;
  if (opts.motifs) {
    const promoted = new Set(opts.motifs.promotedIds);
    hitsBySession = new Map(sessions.map((s) => [s.id, [] as MotifHit[]]));
    for (const h of opts.motifs.hits) if (promoted.has(h.motifId)) hitsBySession.get(h.sessionId)?.push(h);
  }
  return sessions.map((session) => ({
    session,
    previous: prevOf.get(session.id) ?? null,
    patternOfEvent: opts.patternsBySession?.get(session.id) ?? null,
    promotedHits: hitsBySession ? hitsBySession.get(session.id)! : null,
  }));
}

const nanIfNull = (v: number | null) => (v === null ? NaN : v);

/** Parquet columns of window rows (unavailable components and scores are NaN: Parquet columns are non-null). */
export function confluenceWindowColumns(rows: readonly ConfluenceWindowRow[]): Column[] {
  return [
    { name: 'session_id', type: 'string', values: rows.map((r) => r.session_id) },
    { name: 'window_start', type: 'int64', values: Float64Array.from(rows, (r) => r.window_start) },
    { name: 'window_end', type: 'int64', values: Float64Array.from(rows, (r) => r.window_end) },
    { name: 'window_clock', type: 'string', values: rows.map((r) => r.window_clock) },
    { name: 'events', type: 'int64', values: Float64Array.from(rows, (r) => r.events) },
    { name: 'score', type: 'float64', values: Float64Array.from(rows, (r) => nanIfNull(r.score)) },
    ...CONFLUENCE_COMPONENTS.map((c): Column => ({
      name: c,
      type: 'float64',
      values: Float64Array.from(rows, (r) => nanIfNull(r[c])),
    })),
  ];
}

/** Parquet columns of session rows. */
export function confluenceSessionColumns(rows: readonly ConfluenceSessionRow[]): Column[] {
  return [
    { name: 'session_id', type: 'string', values: rows.map((r) => r.session_id) },
    { name: 'window_start', type: 'int64', values: Float64Array.from(rows, (r) => r.window_start) },
    { name: 'window_end', type: 'int64', values: Float64Array.from(rows, (r) => r.window_end) },
    { name: 'events', type: 'int64', values: Float64Array.from(rows, (r) => r.events) },
    { name: 'events_outside', type: 'int64', values: Float64Array.from(rows, (r) => r.events_outside) },
    { name: 'windows', type: 'int64', values: Float64Array.from(rows, (r) => r.windows) },
    { name: 'score', type: 'float64', values: Float64Array.from(rows, (r) => nanIfNull(r.score)) },
    {
      name: 'max_window_score',
      type: 'float64',
      values: Float64Array.from(rows, (r) => nanIfNull(r.max_window_score)),
    },
    ...CONFLUENCE_COMPONENTS.map((c): Column => ({
      name: c,
      type: 'float64',
      values: Float64Array.from(rows, (r) => nanIfNull(r[c])),
    })),
  ];
}

/** Summary statistics of session scores for a stats.json (count, min, max, mean, sd; nulls excluded). */
export function confluenceStats(rows: readonly { score: number | null }[]): {
  count: number;
  scored: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  sd: number | null;
} {
  const v = rows.map((r) => r.score).filter((x): x is number => x !== null);
  if (v.length === 0) return { count: rows.length, scored: 0, min: null, max: null, mean: null, sd: null };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
  return {
    count: rows.length,
    scored: v.length,
    min: v.reduce((m, x) => Math.min(m, x), Infinity),
    max: v.reduce((m, x) => Math.max(m, x), -Infinity),
    mean,
    sd,
  };
}
