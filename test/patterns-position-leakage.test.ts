/** Position leakage of patterns: a "first half" pattern is flagged (r ≈ −0.87); a random one is not. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { positionLeakage, POSITION_LEAKAGE_THRESHOLD } from '../src/patterns/index.js';
import { Rng } from '../src/stats/index.js';

/** S sessions of m events each, one minute apart. */
function table(S: number, m: number) {
  const n = S * m;
  return {
    n,
    sessionIds: Array.from({ length: S }, (_, s) => `S${s}`),
    sessionIndex: Int32Array.from({ length: n }, (_, r) => Math.floor(r / m)),
    nodeId: Int32Array.from({ length: n }, (_, r) => r % m),
    t: Float64Array.from({ length: n }, (_, r) => Math.floor(r / m) * 86_400_000 + (r % m) * 60_000),
  };
}

test('a pattern that is exactly the first half of each session: r ≈ −0.87, flagged; eta² ≈ 0.75', () => {
  const tb = table(20, 100);
  const assign = Int32Array.from(tb.nodeId, (i) => (i < 50 ? 0 : 1));
  const r = positionLeakage(tb, assign, 2);
  assert.ok(Math.abs(r.patterns[0].rPosition! + Math.sqrt(3) / 2) < 0.01, `r = ${r.patterns[0].rPosition}`);
  assert.ok(Math.abs(r.patterns[0].rTime! - r.patterns[0].rPosition!) < 1e-9);
  assert.ok(Math.abs(r.patterns[1].rPosition! - Math.sqrt(3) / 2) < 0.01);
  assert.deepEqual(r.positionOnly, [0, 1]);
  assert.ok(Math.abs(r.etaSquaredPosition! - 0.75) < 0.01, `eta² ${r.etaSquaredPosition}`);
  assert.match(r.summary, /2 of 2 pattern\(s\) position-only/);
  assert.equal(r.threshold, POSITION_LEAKAGE_THRESHOLD);
});

test('random patterns are not flagged and explain ~no position variance; a session start shifts time only', () => {
  const tb = table(20, 100);
  const rng = new Rng(3);
  const assign = Int32Array.from({ length: tb.n }, () => rng.int(3));
  const r = positionLeakage(tb, assign, 3);
  assert.deepEqual(r.positionOnly, []);
  for (const p of r.patterns) assert.ok(Math.abs(p.rPosition!) < 0.1, `r = ${p.rPosition}`);
  assert.ok(r.etaSquaredPosition! < 0.01);
  assert.match(r.summary, /no pattern position-only/);
  const start = new Map(tb.sessionIds.map((id, s) => [id, s * 86_400_000 - 3_600_000]));
  const shifted = positionLeakage(tb, assign, 3, { sessionStart: start });
  assert.ok(Math.abs(shifted.patterns[0].rTime! - r.patterns[0].rTime!) < 1e-9);
  assert.throws(() => positionLeakage(tb, assign, 2), /not a pattern in 0\.\.1/);
});
