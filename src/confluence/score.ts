/**
 * Confluence score, 0–100, per session and per time window: the weighted mean of the available components
 * (components.ts) × 100. A component is unavailable (null, left out of both numerator and denominator) when
 * its input was not computed or has no history yet: no motif mining → no `motif`; no pattern assignment → no
 * `rarity`; no htf reference → no `htf`; no finished window of the session type before this one → no
 * `structure`. Unavailable is not the same as 0 ("computed, no evidence"), and is reported as such.
 *
 * Causality. A window [start, end) uses only what is known at `end`: the session's open and window, events with
 * t < end, promoted-motif occurrences completed before `end`, pattern ids of those events, the previous
 * session (which ended before this one started), finished windows of the same session type (this session's
 * and earlier sessions' in the batch), and the caller's pattern frequencies. Never the session's close, high,
 * low, event count, or anything later (test/confluence-causal.test.ts checks it by rewriting the future). The
 * inputs must be causal too: bar-derived events are; enhanced-record events are not (EVIDENCE.md §1); pattern
 * ids must come from a causal encoder; `patternFrequency` and the promoted-motif list must be fitted on data
 * before the scored windows for an out-of-sample use (a whole-batch fit is descriptive only).
 *
 * The session row is as-of the session END: it uses the whole session (its close included) and is a
 * description of the finished session, not a predictor of anything inside it.
 *
 * The score itself is descriptive (equal weights, no fitted link to any outcome); calibrate.ts turns it into a
 * walk-forward probability of a stated outcome.
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
  /**
   * The last session that ended by this one's start (for the 'previous' htf reference; its endT must be ≤ this
   * session's startT, else scoring throws); null/absent = none.
   */
  previous?: Session | null;
  /** Event index → pattern id (−1 unknown); null/absent = patterns not computed for this session. */
  patternOfEvent?: Int32Array | null;
  /**
   * Occurrences of PROMOTED motifs in this session; null/absent = motifs not mined. An occurrence counts for a
   * window only once complete (its last node before the window end); the promoted list must be fitted on
   * earlier data for an out-of-sample score.
   */
  promotedHits?: readonly MotifHit[] | null;
}

export interface ConfluenceBatchInput {
  sessions: SessionConfluenceInput[];
  /**
   * Pattern id → frequency (share of events); required when any session has `patternOfEvent`. Supplied by the
   * caller and used as given: for a causal score it must be fitted on data before the scored windows (e.g. the
   * training days of a walk-forward fold); frequencies of the whole batch make rarity descriptive.
   */
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

/**
 * One finished session, as-of its END (window_end = endT): motif and rarity over all its events, structure = its
 * rate vs earlier sessions of its type, htf = its open→close direction vs the previous session's. Descriptive of
 * the finished session; it uses the close, so it predicts nothing inside the session.
 */
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
  /** Window → its events (indices, time order). */
  members: number[][];
  /** Window → LiquidityTaken + Redelivery events in it. */
  structuralOf: Int32Array;
  /**
   * Event → the earliest time at which a PROMOTED occurrence containing it is complete (the time of its last
   * node); Infinity when no promoted occurrence contains it. Null when motifs were not mined.
   */
  coveredAt: Float64Array | null;
  structural: number;
  hours: number;
}

const isStructural = (kind: number) => kind === KIND.LiquidityTaken || kind === KIND.Redelivery;

function prepare(input: SessionConfluenceInput, windowMs: number): SessionWork {
  const s = input.session;
  if (!(Number.isFinite(s.startT) && Number.isFinite(s.endT) && s.endT >= s.startT))
    throw new Error(`confluence: session ${s.id} has an invalid window startT=${s.startT} endT=${s.endT}`);
  const prev = input.previous ?? null;
  if (prev && !(prev.endT <= s.startT))
    throw new Error(
      `confluence: the previous session of ${s.id} (${prev.id}) ends at ${prev.endT}, after ${s.id} starts at ` +
        `${s.startT}: its close would be hindsight (pass the last session that ended by the start)`,
    );
  const n = s.events.length;
  const gridStart = Math.floor(s.startT / windowMs) * windowMs;
  const nWindows = Math.floor((s.endT - gridStart) / windowMs) + 1;
  const windowOf = new Int32Array(n).fill(-1);
  const members: number[][] = Array.from({ length: nWindows }, () => []);
  const structuralOf = new Int32Array(nWindows);
  let structural = 0;
  for (let i = 0; i < n; i++) {
    const t = s.events[i].t;
    if (t < s.startT || t > s.endT) continue;
    const win = Math.floor((t - gridStart) / windowMs);
    windowOf[i] = win;
    members[win].push(i);
    if (isStructural(s.events[i].kind)) {
      structural++;
      structuralOf[win]++;
    }
  }
  let coveredAt: Float64Array | null = null;
  if (input.promotedHits) {
    coveredAt = new Float64Array(n).fill(Infinity);
    for (const h of input.promotedHits) {
      if (h.sessionId !== s.id)
        throw new Error(`confluence: a hit of motif ${h.motifId} belongs to ${h.sessionId}, not ${s.id}`);
      let done = -Infinity;
      for (const node of h.nodes) {
        if (!(Number.isInteger(node) && node >= 0 && node < n))
          throw new Error(
            `confluence: hit of motif ${h.motifId} in ${s.id} names node ${node}, outside 0..${n - 1}`,
          );
        done = Math.max(done, s.events[node].t);
      }
      for (const node of h.nodes) coveredAt[node] = Math.min(coveredAt[node], done);
    }
  }
  if (input.patternOfEvent && input.patternOfEvent.length !== n)
    throw new Error(
      `confluence: session ${s.id} has ${n} events but patternOfEvent has ${input.patternOfEvent.length}`,
    );
  const hours = (s.endT - s.startT) / 3_600_000;
  return {
    input,
    windowMs,
    gridStart,
    nWindows,
    windowOf,
    members,
    structuralOf,
    coveredAt,
    structural,
    hours,
  };
}

/**
 * Running structure reference per session type: the finished windows of every session of that type in the
 * batch, by end time, with prefix sums of their structural counts. `before(t)` = (count, windows) over the
 * windows that ended at or before t.
 */
class StructureHistory {
  private readonly ends: Float64Array;
  private readonly cum: Float64Array;

  constructor(work: readonly SessionWork[]) {
    const all: [number, number][] = [];
    for (const w of work)
      for (let win = 0; win < w.nWindows; win++)
        all.push([w.gridStart + (win + 1) * w.windowMs, w.structuralOf[win]]);
    all.sort((a, b) => a[0] - b[0]);
    this.ends = Float64Array.from(all, (x) => x[0]);
    this.cum = new Float64Array(all.length + 1);
    all.forEach((x, i) => (this.cum[i + 1] = this.cum[i] + x[1]));
  }

  /** Mean structural count per window over the windows that ended at or before t; null when none did. */
  meanBefore(t: number): number | null {
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? this.cum[lo] / lo : null;
  }
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
  // Structure references come from sessions of the same type only (a quiet ASIA window is not compared with
  // the NY open): per type, the finished windows (window rows) and the finished sessions' rates (session rows).
  const byType = new Map<string, SessionWork[]>();
  for (const w of work) {
    const list = byType.get(w.input.session.type) ?? [];
    list.push(w);
    byType.set(w.input.session.type, list);
  }
  const history = new Map([...byType].map(([type, list]) => [type, new StructureHistory(list)]));

  const windows: ConfluenceWindowRow[] = [];
  const sessions: ConfluenceSessionRow[] = [];
  for (const w of work) {
    const rows = scoreWindows(w, config, rarityOf, history.get(w.input.session.type)!);
    windows.push(...rows);
    sessions.push(scoreSessionRow(w, config, rarityOf, byType.get(w.input.session.type)!, rows));
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

/**
 * Share of `indices` covered by a promoted occurrence complete before `limit` (at or before it when `inclusive`);
 * 0 for no events.
 */
function coveredShare(
  indices: readonly number[],
  coveredAt: Float64Array,
  limit: number,
  inclusive: boolean,
): number {
  let c = 0;
  for (const i of indices) if (coveredAt[i] < limit || (inclusive && coveredAt[i] === limit)) c++;
  return indices.length > 0 ? c / indices.length : 0;
}

function previousDirection(w: SessionWork): number | null {
  const prev = w.input.previous ?? null;
  return prev ? directionOf(prev.open, prev.close) : null;
}

function scoreWindows(
  w: SessionWork,
  config: ConfluenceConfig,
  rarityOf: Float64Array | null,
  history: StructureHistory,
): ConfluenceWindowRow[] {
  const s = w.input.session;
  const useSession = config.htfReferences.includes('session');
  const prevDir = config.htfReferences.includes('previous') ? previousDirection(w) : null;
  const pattern = w.input.patternOfEvent ?? null;
  if (pattern && !rarityOf)
    throw new Error(`confluence: session ${s.id} has pattern ids but no patternFrequency was given`);

  const rows: ConfluenceWindowRow[] = [];
  let lastPrice = s.open; // last price known so far: the session open before the first event
  for (let win = 0; win < w.nWindows; win++) {
    const ev = w.members[win];
    const start = w.gridStart + win * w.windowMs;
    const end = start + w.windowMs;
    // An event counts as covered once its occurrence is complete: the occurrence's last node has t < end.
    const motif = w.coveredAt ? coveredShare(ev, w.coveredAt, end, false) : null;
    const rarity = pattern && rarityOf ? rarityMean(ev, pattern, rarityOf, s.id) : null;
    const mean = history.meanBefore(start);
    const structure = mean === null ? null : saturatingRatio(w.structuralOf[win], mean);
    // Window direction: last price in the window vs the last price before it (the open for the first one).
    let dir = 0;
    if (ev.length > 0) {
      const last = s.events[ev[ev.length - 1]].price;
      dir = directionOf(lastPrice, last);
      lastPrice = last;
    }
    const refs: number[] = [];
    if (useSession) refs.push(directionOf(s.open, lastPrice)); // the session so far: open → last price < end
    if (prevDir !== null) refs.push(prevDir);
    const htf =
      refs.length > 0 ? refs.reduce((a, r) => a + directionAgreement(dir, r), 0) / refs.length : null;
    const comps: ComponentValues = { motif, rarity, structure, htf };
    rows.push({
      session_id: s.id,
      window_start: start,
      window_end: end,
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
  sameType: readonly SessionWork[],
  windowRows: ConfluenceWindowRow[],
): ConfluenceSessionRow {
  const s = w.input.session;
  const inside: number[] = [];
  for (let i = 0; i < s.events.length; i++) if (w.windowOf[i] >= 0) inside.push(i);
  const motif = w.coveredAt ? coveredShare(inside, w.coveredAt, s.endT, true) : null;
  const pattern = w.input.patternOfEvent ?? null;
  const rarity = pattern && rarityOf ? rarityMean(inside, pattern, rarityOf, s.id) : null;
  // Structure: this session's rate of structural events per hour vs the mean rate of the sessions of the same
  // type that ended by this one's start (null for the first such session).
  let rateSum = 0;
  let rateN = 0;
  for (const o of sameType)
    if (o !== w && o.input.session.endT <= s.startT && o.hours > 0) {
      rateSum += o.structural / o.hours;
      rateN++;
    }
  const rate = w.hours > 0 ? w.structural / w.hours : 0;
  const structure = rateN > 0 ? saturatingRatio(rate, rateSum / rateN) : null;
  const prevDir = config.htfReferences.includes('previous') ? previousDirection(w) : null;
  // At session level only the previous session is a reference (comparing the session with itself says nothing).
  const htf = prevDir !== null ? directionAgreement(directionOf(s.open, s.close), prevDir) : null;
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

const byId = (a: Session, b: Session) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Wires sessions into scoring inputs: `previous` = the last session that had ended by this one's start (largest
 * endT ≤ startT; ties: later start, then id), so its close is known throughout this session; pattern ids and
 * promoted-motif hits attached per session. A session missing from `patternsBySession` gets no rarity.
 */
export function buildConfluenceInputs(
  sessions: readonly Session[],
  opts: BuildInputsOptions = {},
): SessionConfluenceInput[] {
  const byEnd = [...sessions].sort((a, b) => a.endT - b.endT || a.startT - b.startT || byId(a, b));
  const previousOf = (s: Session): Session | null => {
    let lo = 0;
    let hi = byEnd.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (byEnd[mid].endT <= s.startT) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0; i--) if (byEnd[i].id !== s.id) return byEnd[i];
    return null;
  };
  let hitsBySession: Map<string, MotifHit[]> | null = null;
  if (opts.motifs) {
    const promoted = new Set(opts.motifs.promotedIds);
    hitsBySession = new Map(sessions.map((s) => [s.id, [] as MotifHit[]]));
    for (const h of opts.motifs.hits) if (promoted.has(h.motifId)) hitsBySession.get(h.sessionId)?.push(h);
  }
  return sessions.map((session) => ({
    session,
    previous: previousOf(session),
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
