// Prefix invariance of the confluence score: a window [start, end) may use only what is known at `end`. For
// random batches of sessions and cut times T, everything after T is rewritten — the events at/after T (prices,
// kinds, how many), the hindsight fields close/high/low of every session still running at T, the pattern ids and
// promoted-motif hits that touch those events, the sessions that start after T — and every window with
// window_end ≤ T must get identical components and score. Session rows (as-of the session end) of sessions that
// ended before T must not change either.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { EVENT_KINDS, type EventKind, type Session, type SessionEvent } from '../src/session/types.js';
import { Rng } from '../src/stats/random.js';
import {
  CONFLUENCE_COMPONENTS,
  buildConfluenceInputs,
  scoreConfluence,
  type ConfluenceResult,
} from '../src/confluence/index.js';
import type { MotifHit } from '../src/validation/miner.js';

const MIN = 60_000;
const N_PATTERNS = 5;
const FREQ = Float64Array.from([0.4, 0.25, 0.2, 0.1, 0.05]); // supplied by the caller (fitted on the past)

interface World {
  sessions: Session[];
  patterns: Map<string, Int32Array>;
  hits: MotifHit[];
}

function mkEvent(t: number, seq: number, kind: EventKind, price: number): SessionEvent {
  return {
    t,
    seq,
    price,
    kind,
    source: 'price_movement',
    rule: 'test',
    label: EVENT_KINDS[kind],
    levelKey: '',
    clock: '',
    raw: null,
  };
}

/** Random events in [from, to), sorted; prices a random walk from `price`. */
function randomEvents(rng: Rng, from: number, to: number, count: number, price: number, structural = 0.3) {
  const times = Array.from({ length: count }, () => Math.floor(rng.uniform(from, to) / MIN) * MIN).sort(
    (a, b) => a - b,
  );
  let p = price;
  return times.map((t) => {
    p += Math.round(rng.normal() * 4);
    const kind = (rng.float() < structural ? 4 + rng.int(2) : rng.int(7)) as EventKind;
    return { t, kind, price: p };
  });
}

function mkSession(
  id: string,
  type: Session['type'],
  startT: number,
  endT: number,
  ev: { t: number; kind: EventKind; price: number }[],
  open: number,
): Session {
  const inside = ev.filter((e) => e.t >= startT && e.t <= endT).map((e) => e.price);
  return {
    id,
    type,
    date: id.slice(-10),
    symbol: 'NQ',
    timeframe: 'M1',
    timezone: 'America/New_York',
    sourceFile: '<test>',
    startT,
    endT,
    open,
    // Hindsight fields: the whole session's extremes and close.
    high: Math.max(open, ...inside),
    low: Math.min(open, ...inside),
    close: inside.length ? inside[inside.length - 1] : open,
    events: ev.map((e, i) => mkEvent(e.t, i, e.kind, e.price)),
    warnings: [],
  };
}

function randomHits(rng: Rng, s: Session, count: number, from = 0): MotifHit[] {
  const n = s.events.length;
  const hits: MotifHit[] = [];
  if (n - from < 2) return hits;
  for (let h = 0; h < count; h++) {
    const a = from + rng.int(n - from - 1); // ≤ n − 2: at least one later node exists
    const room = Math.min(n, a + 7) - a - 1;
    const size = Math.min(2 + rng.int(2), room + 1);
    const nodes = new Set<number>([a]);
    while (nodes.size < size) nodes.add(a + 1 + rng.int(room));
    hits.push({
      sessionId: s.id,
      motifId: rng.float() < 0.7 ? 'A' : 'B',
      nodes: [...nodes].sort((x, y) => x - y),
    });
  }
  return hits;
}

/** Days × (LONDON 07:00–10:00 UTC, NY_AM 13:30–16:00 UTC), 15-minute windows, events spilling past the window. */
function randomWorld(seed: number, days: number): World {
  const rng = new Rng(seed);
  const sessions: Session[] = [];
  const patterns = new Map<string, Int32Array>();
  const hits: MotifHit[] = [];
  let price = 20_000;
  for (let d = 0; d < days; d++) {
    const date = `2025-07-${String(1 + d).padStart(2, '0')}`;
    for (const [type, h0, m0, len] of [
      ['LONDON', 7, 0, 180],
      ['NY_AM', 13, 30, 150],
    ] as const) {
      const startT = Date.UTC(2025, 6, 1 + d, h0, m0);
      const endT = startT + (len - 1) * MIN;
      const ev = randomEvents(rng, startT - 10 * MIN, endT + 20 * MIN, 20 + rng.int(40), price);
      const s = mkSession(`${type}_${date}`, type, startT, endT, ev, price);
      price = s.close;
      sessions.push(s);
      patterns.set(
        s.id,
        Int32Array.from(s.events, () => (rng.float() < 0.1 ? -1 : rng.int(N_PATTERNS))),
      );
      hits.push(...randomHits(rng, s, 8));
    }
  }
  return { sessions, patterns, hits };
}

/**
 * The world rewritten after T: events at/after T regenerated (other prices, more structural kinds, other counts),
 * close/high/low of sessions still running at T rewritten, sessions starting at/after T rewritten whole (open too)
 * and the last one dropped, pattern ids of new events redrawn, hits touching new events replaced by new ones
 * (including hits that join events before T with events after it).
 */
function rewriteAfter(w: World, T: number, seed: number): World {
  const rng = new Rng(seed);
  const sessions: Session[] = [];
  const patterns = new Map<string, Int32Array>();
  const hits: MotifHit[] = [];
  const kept = w.sessions.filter((s, i) => !(s.startT >= T && i === w.sessions.length - 1));
  for (const s of kept) {
    const before = s.events.filter((e) => e.t < T);
    const from = Math.max(T, s.startT - 10 * MIN);
    const to = s.endT + 20 * MIN;
    const after =
      to > from ? randomEvents(rng, from, to, rng.int(30), (before.at(-1)?.price ?? s.open) + 50, 0.8) : [];
    const ev = [...before.map((e) => ({ t: e.t, kind: e.kind, price: e.price })), ...after];
    const open = s.startT >= T ? s.open - 37 : s.open;
    const r = mkSession(s.id, s.type, s.startT, s.endT, ev, open);
    if (s.endT < T) {
      r.close = s.close;
      r.high = s.high;
      r.low = s.low;
    } else {
      // Flip the session's direction and widen its range: pure hindsight.
      r.close = r.open - (s.close - s.open) - 11;
      r.high = s.high + 25;
      r.low = s.low - 25;
    }
    sessions.push(r);
    const old = w.patterns.get(s.id)!;
    patterns.set(
      s.id,
      Int32Array.from(r.events, (_, i) => (i < before.length ? old[i] : rng.int(N_PATTERNS))),
    );
    const isOld = (h: MotifHit) => h.nodes.every((n) => n < before.length);
    hits.push(...w.hits.filter((h) => h.sessionId === s.id && isOld(h)));
    // New occurrences must end after T (an occurrence made only of events before T is the past, not a rewrite).
    const fresh = randomHits(rng, r, 6, Math.max(0, before.length - 3));
    hits.push(...fresh.filter((h) => !isOld(h)));
  }
  return { sessions, patterns, hits };
}

function score(w: World, config: Parameters<typeof scoreConfluence>[1] = {}): ConfluenceResult {
  const inputs = buildConfluenceInputs(w.sessions, {
    patternsBySession: w.patterns,
    motifs: { promotedIds: ['A'], hits: w.hits },
  });
  return scoreConfluence({ sessions: inputs, patternFrequency: FREQ }, config);
}

const FIELDS = [...CONFLUENCE_COMPONENTS, 'score', 'events'] as const;

/** Per field: how many windows with window_end ≤ T differ between the two results (and the first example). */
function windowDiffs(a: ConfluenceResult, b: ConfluenceResult, T: number) {
  const byKey = new Map(b.windows.map((r) => [`${r.session_id}@${r.window_start}`, r]));
  const diffs = new Map<string, { count: number; example: string }>();
  let compared = 0;
  for (const r of a.windows) {
    if (r.window_end > T) continue;
    const o = byKey.get(`${r.session_id}@${r.window_start}`);
    assert.ok(o, `window ${r.session_id}@${r.window_start} is missing after the rewrite`);
    compared++;
    for (const f of FIELDS)
      if (!Object.is(r[f], o[f])) {
        const d = diffs.get(f) ?? {
          count: 0,
          example: `${r.session_id} ${r.window_clock}: ${r[f]} → ${o[f]}`,
        };
        d.count++;
        diffs.set(f, d);
      }
  }
  return { compared, diffs };
}

/** Cut times: window boundaries and mid-window times inside the later days' sessions. */
function cutTimes(w: World, rng: Rng, count: number): number[] {
  const late = w.sessions.slice(Math.floor(w.sessions.length / 2));
  return Array.from({ length: count }, (_, k) => {
    const s = late[rng.int(late.length)];
    const t = s.startT + rng.int(Math.floor((s.endT - s.startT) / MIN)) * MIN;
    return k % 2 === 0 ? Math.floor(t / (15 * MIN)) * 15 * MIN : t;
  });
}

const WORLDS = [11, 12, 13, 14];
const CUTS = 6;

describe('confluence is causal: windows ending by T do not change when everything after T is rewritten', () => {
  const totals = new Map<string, { count: number; example: string }>();
  let compared = 0;
  const sessionRowDiffs: string[] = [];
  for (const seed of WORLDS) {
    const w = randomWorld(seed, 6);
    const base = score(w);
    const rng = new Rng(seed + 1000);
    for (const [k, T] of cutTimes(w, rng, CUTS).entries()) {
      const alt = score(rewriteAfter(w, T, seed * 100 + k));
      const d = windowDiffs(base, alt, T);
      compared += d.compared;
      for (const [f, v] of d.diffs) {
        const t = totals.get(f) ?? { count: 0, example: v.example };
        t.count += v.count;
        totals.set(f, t);
      }
      // Session rows are as-of the session end: those of sessions that ended before T must not move.
      const after = new Map(alt.sessions.map((r) => [r.session_id, r]));
      for (const r of base.sessions) {
        const s = w.sessions.find((x) => x.id === r.session_id)!;
        if (s.endT >= T) continue;
        const o = after.get(r.session_id)!;
        for (const f of [...CONFLUENCE_COMPONENTS, 'score'] as const)
          if (!Object.is(r[f], o[f])) sessionRowDiffs.push(`${r.session_id} ${f}: ${r[f]} → ${o[f]}`);
      }
    }
  }

  test('the worlds compare many windows', () => {
    assert.ok(compared > 500, `only ${compared} windows compared`);
  });

  for (const f of FIELDS)
    test(`window ${f} is prefix-invariant`, () => {
      const d = totals.get(f);
      assert.equal(d, undefined, d && `${d.count} of ${compared} windows differ, e.g. ${d.example}`);
    });

  test('session rows of sessions that ended before T are unchanged', () => {
    assert.deepEqual(sessionRowDiffs.slice(0, 5), []);
  });
});

describe('the invariance check has teeth', () => {
  test('rewriting an event BEFORE a window end changes that window', () => {
    const w = randomWorld(21, 3);
    const base = score(w);
    const s = w.sessions[5];
    const row = base.windows.find((r) => r.session_id === s.id && r.events > 1 && (r.structure ?? 0) > 0)!;
    const i = s.events.findIndex((e) => e.t >= row.window_start && e.t < row.window_end);
    const changed = structuredClone(w);
    const e = changed.sessions[5].events[i];
    e.kind = e.kind === 4 ? 0 : 4;
    e.price += 1000;
    changed.patterns.get(s.id)![i] = (w.patterns.get(s.id)![i] + 1) % N_PATTERNS;
    const alt = score(changed);
    const o = alt.windows.find((r) => r.session_id === s.id && r.window_start === row.window_start)!;
    assert.notDeepEqual(
      FIELDS.map((f) => o[f]),
      FIELDS.map((f) => row[f]),
    );
  });
});
