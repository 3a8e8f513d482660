import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildTemporalGraph,
  countByIntent,
  LIQ_LINK_WINDOW_MS,
  TEMPORAL_DT_CAP_MS,
} from '../src/graph/temporal.js';
import { INTENT, type TemporalGraph } from '../src/graph/types.js';
import { readSessions } from '../src/store/sessions.js';
import type { EventKind, EventSource, Session, SessionEvent } from '../src/session/types.js';
import { Rng } from '../src/stats/random.js';
import { randomSession } from '../src/synthetic/index.js';

const SAMPLE_DIR = 'data/sample/enhanced';

function ev(tSec: number, kind: EventKind, source: EventSource, levelKey = ''): SessionEvent {
  return {
    t: tSec * 1000,
    seq: 0,
    price: 100,
    kind,
    source,
    rule: 'test',
    label: '',
    levelKey,
    clock: '',
    raw: null,
  };
}

function session(events: SessionEvent[]): Session {
  events.forEach((e, i) => (e.seq = i));
  return {
    id: 'TEST',
    type: 'NY_AM',
    date: '2025-07-29',
    symbol: 'NQ',
    timeframe: 'M5',
    timezone: 'America/New_York',
    sourceFile: '',
    startT: 0,
    endT: 10_000_000,
    open: 100,
    high: 100,
    low: 100,
    close: 100,
    events,
    warnings: [],
  };
}

function edgesOf(g: TemporalGraph, intent: number): string[] {
  const out: string[] = [];
  for (let e = 0; e < g.src.length; e++)
    if (g.intent[e] === intent) out.push(`${g.src[e]}>${g.dst[e]}:${g.dt[e]}`);
  return out;
}

/** Brute-force LIQ_LINK reference: scan every price movement, first strict minimum wins. */
function liqLinksReference(s: Session): string[] {
  const out: string[] = [];
  const e = s.events;
  for (let i = 0; i < e.length; i++) {
    if (e[i].source !== 'liquidity_event' && e[i].source !== 'level_interaction') continue;
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < e.length; j++) {
      if (e[j].source !== 'price_movement') continue;
      const d = Math.abs(e[j].t - e[i].t);
      if (d < LIQ_LINK_WINDOW_MS && d < bestD) {
        bestD = d;
        best = j;
      }
    }
    if (best >= 0)
      out.push(`${Math.min(best, i)}>${Math.max(best, i)}:${Math.min(bestD, TEMPORAL_DT_CAP_MS)}`);
  }
  return out.sort();
}

describe('graph/temporal: hand-built session', () => {
  const s = session([
    ev(0, 6, 'price_movement'), // 0 anchor open
    ev(0, 0, 'liquidity_event'), // 1: nearest pm is 0 (dt 0) — tie with nothing
    ev(20, 0, 'price_movement', 'fpfvg:am'), // 2
    ev(35, 2, 'level_interaction', 'level:asia_low'), // 3: pm 2 at 15 s, pm 5 at 15 s → first (2) wins
    ev(40, 4, 'fair_value_gap', 'fpfvg:am'), // 4
    ev(50, 4, 'price_movement'), // 5
    ev(200, 5, 'liquidity_event', 'fpfvg:am'), // 6: nearest pm 5 is 150 s away → no LIQ_LINK
    ev(5000, 3, 'level_interaction', 'level:asia_low'), // 7: dt from 3 capped at 1 h
  ]);
  const g = buildTemporalGraph(s);

  test('TEMPORAL_NEXT joins consecutive events', () => {
    assert.deepEqual(edgesOf(g, INTENT.TEMPORAL_NEXT), [
      '0>1:0',
      '1>2:20000',
      '2>3:15000',
      '3>4:5000',
      '4>5:10000',
      '5>6:150000',
      '6>7:3600000',
    ]);
  });

  test('MOVEMENT_TRANSITION only where kinds differ, never from/to an Anchor', () => {
    // 0>1 involves the anchor; 1>2 both Expansion; 2>3 0→2; 3>4 2→4; 4>5 both 4; 5>6 4→5; 6>7 5→3.
    assert.deepEqual(edgesOf(g, INTENT.MOVEMENT_TRANSITION), [
      '2>3:15000',
      '3>4:5000',
      '5>6:150000',
      '6>7:3600000',
    ]);
  });

  test('LIQ_LINK: nearest price movement strictly within 30 s, first minimum wins, earlier → later', () => {
    assert.deepEqual(edgesOf(g, INTENT.LIQ_LINK), ['0>1:0', '2>3:15000']);
    assert.deepEqual(edgesOf(g, INTENT.LIQ_LINK).sort(), liqLinksReference(s));
  });

  test('LIQ_LINK from a later price movement points forward in time', () => {
    const s2 = session([
      ev(0, 4, 'liquidity_event'),
      ev(29, 0, 'price_movement'),
      ev(100, 0, 'price_movement'),
    ]);
    assert.deepEqual(edgesOf(buildTemporalGraph(s2), INTENT.LIQ_LINK), ['0>1:29000']);
    const s3 = session([ev(0, 4, 'liquidity_event'), ev(30, 0, 'price_movement')]);
    assert.deepEqual(
      edgesOf(buildTemporalGraph(s3), INTENT.LIQ_LINK),
      [],
      '30 s is outside the strict window',
    );
  });

  test('CONTEXT chains events sharing a level key', () => {
    assert.deepEqual(edgesOf(g, INTENT.CONTEXT), ['2>4:20000', '3>7:3600000', '4>6:160000']);
  });

  test('countByIntent', () => {
    assert.deepEqual(countByIntent(g), { TEMPORAL_NEXT: 7, MOVEMENT_TRANSITION: 4, LIQ_LINK: 2, CONTEXT: 3 });
  });

  test('rejects unsorted events', () => {
    const bad = session([ev(10, 0, 'price_movement'), ev(5, 0, 'price_movement')]);
    assert.throws(() => buildTemporalGraph(bad), /not sorted by t at index 1/);
  });

  test('empty and single-event sessions', () => {
    assert.equal(buildTemporalGraph(session([])).src.length, 0);
    assert.equal(buildTemporalGraph(session([ev(0, 0, 'liquidity_event')])).src.length, 0);
  });
});

function assertInvariants(g: TemporalGraph, s: Session): void {
  const n = s.events.length;
  assert.equal(g.n, n);
  for (let e = 0; e < g.src.length; e++) {
    assert.ok(g.src[e] < g.dst[e] && g.dst[e] < n, `${s.id}: edge ${e}`);
    assert.ok(g.dt[e] >= 0 && g.dt[e] <= TEMPORAL_DT_CAP_MS, `${s.id}: dt ${g.dt[e]}`);
    assert.equal(g.dt[e], Math.min(s.events[g.dst[e]].t - s.events[g.src[e]].t, TEMPORAL_DT_CAP_MS));
    if (e > 0) {
      const prev = [g.src[e - 1], g.dst[e - 1], g.intent[e - 1]];
      const cur = [g.src[e], g.dst[e], g.intent[e]];
      assert.ok(
        prev[0] < cur[0] ||
          (prev[0] === cur[0] && (prev[1] < cur[1] || (prev[1] === cur[1] && prev[2] < cur[2]))),
        `${s.id}: edges not sorted by (src, dst, intent) at ${e}`,
      );
    }
  }
  const c = countByIntent(g);
  assert.equal(c.TEMPORAL_NEXT, Math.max(n - 1, 0));
  const liq = edgesOf(g, INTENT.LIQ_LINK).sort();
  assert.deepEqual(liq, liqLinksReference(s), `${s.id}: LIQ_LINK differs from brute force`);
}

describe('graph/temporal: generated and real sessions', () => {
  test('invariants and brute-force LIQ_LINK on 60 generated sessions', () => {
    const rng = new Rng(99);
    for (let r = 0; r < 60; r++) {
      const s = randomSession(rng.fork(r), rng.int(400), { resolutionMs: r % 2 ? 1000 : 60_000 });
      assertInvariants(buildTemporalGraph(s), s);
    }
  });

  test('all four intents appear on the real sample', async () => {
    const { sessions, failures } = await readSessions([SAMPLE_DIR]);
    assert.equal(failures.length, 0);
    assert.ok(sessions.length >= 30);
    const total = { TEMPORAL_NEXT: 0, MOVEMENT_TRANSITION: 0, LIQ_LINK: 0, CONTEXT: 0 };
    for (const s of sessions) {
      const g = buildTemporalGraph(s);
      assertInvariants(g, s);
      const c = countByIntent(g);
      for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += c[k];
    }
    console.log(`temporal graph intents over ${sessions.length} sample sessions: ${JSON.stringify(total)}`);
    for (const [k, v] of Object.entries(total)) assert.ok(v > 0, `intent ${k} never produced on the sample`);
  });
});
