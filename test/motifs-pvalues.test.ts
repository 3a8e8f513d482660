/**
 * Motif p-values: selection-aware Monte Carlo, the moment-matched tail beyond the draws' resolution, and the
 * FLOOR-LIMITED class. Null-vs-null data (kinds i.i.d., so the observed labelling is exchangeable with every
 * kind-shuffle replicate) must give uniform p-values after the support filter; the tail must agree with a
 * brute-force many-draw p where both can be measured.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dagMotifSessions } from '../src/discover/index.js';
import { mineMotifs, motifPValue, type MotifResult } from '../src/motifs/index.js';
import { gammaTailP, Rng, CountTally } from '../src/stats/index.js';
import { randomSession } from '../src/synthetic/index.js';

function nullData(seed: number, sessions = 8, events = 40) {
  const rng = new Rng(seed);
  return dagMotifSessions(
    Array.from({ length: sessions }, (_, i) => ({
      ...randomSession(rng, events, { sameTimeProb: 0.2 }),
      id: `S${seed}_${i}`,
    })),
  );
}

/** Kolmogorov–Smirnov distance of a sample from U(0, 1). */
function ksUniform(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  let d = 0;
  s.forEach((x, i) => (d = Math.max(d, (i + 1) / s.length - x, x - i / s.length)));
  return d;
}

describe('motif p-values', () => {
  test('null-vs-null: p-values after the support filter are uniform (KS, and P(p ≤ 0.01) in [0.005, 0.02])', (t) => {
    const ps: number[] = [];
    for (let seed = 1; ps.length < 4000 && seed <= 60; seed++) {
      const rs = mineMotifs(nullData(seed), {
        sizes: [3],
        nulls: 999,
        nullModel: 'kind-shuffle',
        seed: 1000 + seed,
        bootstrap: 50,
        minSupport: 3,
      });
      // One p-value per dataset and motif; every tested motif, whatever its method.
      for (const r of rs) ps.push(r.p);
    }
    assert.ok(ps.length >= 2000, `only ${ps.length} p-values`);
    const d = ksUniform(ps);
    // Motifs within a dataset share occurrences, so the effective sample is smaller than ps.length: a loose KS
    // bound (the 1% critical value for ~300 independent draws is 0.094).
    assert.ok(d < 0.094, `KS distance ${d.toFixed(4)} from uniform over ${ps.length} p-values`);
    const small = ps.filter((p) => p <= 0.01).length / ps.length;
    t.diagnostic(`${ps.length} p-values: KS ${d.toFixed(4)}, P(p ≤ 0.01) = ${small.toFixed(4)}`);
    assert.ok(small >= 0.005 && small <= 0.02, `P(p ≤ 0.01) = ${small.toFixed(4)}`);
  });

  test('the tail agrees with a brute-force many-draw p where the short run cannot resolve it', (t) => {
    const sessions = nullData(7, 6, 50);
    // Plant structure: every LiquidityTaken (4) is followed by Redelivery (5) at its DAG successors' kinds.
    for (const s of sessions)
      for (let i = 0; i + 1 < s.n; i++) if (s.kind[i] === 4 && s.kind[i + 1] !== 6) s.kind[i + 1] = 5;
    const base = { sizes: [3], nullModel: 'kind-shuffle' as const, seed: 5, bootstrap: 50, minSupport: 2 };
    const short = mineMotifs(sessions, { ...base, nulls: 400 });
    const brute = new Map(mineMotifs(sessions, { ...base, nulls: 40_000 }).map((r) => [r.id, r]));
    const pairs: [MotifResult, MotifResult][] = [];
    for (const r of short) {
      const b = brute.get(r.id)!;
      // Brute force resolves p (≥ 10 exceedances among ≥ 1000 selected draws); the short run had to use the tail.
      if (r.pMethod === 'tail' && b.pMethod === 'monte-carlo' && b.nullSelected >= 1000) pairs.push([r, b]);
    }
    assert.ok(pairs.length >= 3, `only ${pairs.length} comparable motifs`);
    const logRatios = pairs.map(([r, b]) => Math.log10(r.p / b.p));
    t.diagnostic(
      `${pairs.length} motifs, log10(tail/brute): ${logRatios.map((x) => x.toFixed(2)).join(' ')}`,
    );
    const within = logRatios.filter((x) => Math.abs(x) <= Math.log10(5)).length / logRatios.length;
    assert.ok(within >= 0.8, `tail within 5× of brute force for ${(within * 100).toFixed(0)}%: ${logRatios}`);
  });

  test('Monte Carlo where ≥ h exceedances, tail below, floor with too few selected draws', () => {
    const tally = new CountTally([5, 50, 5], 2, 1);
    const rng = new Rng(3);
    for (let r = 0; r < 500; r++) {
      const stat = [1 + rng.int(10), 1 + rng.int(10), 1 + rng.int(10)];
      // Motif 2 passes the filter in 1 draw of 10 only.
      const support = [3, 3, r % 10 === 0 ? 3 : 1];
      tally.push(stat, support, stat);
    }
    const opts = { tailExceedances: 10, minSelectedNulls: 100 };
    const mc = motifPValue(tally, 0, 5, opts);
    assert.equal(mc.method, 'monte-carlo');
    assert.equal(mc.p, (tally.selectedAtLeast[0] + 1) / (tally.selected[0] + 1));
    const tail = motifPValue(tally, 1, 50, opts);
    assert.equal(tail.method, 'tail');
    assert.ok(tail.p > 0 && tail.p < 1 / 501, `tail p ${tail.p}`);
    const floor = motifPValue(tally, 2, 5, opts);
    assert.equal(tally.selected[2], 50);
    assert.equal(floor.method, 'floor');
    assert.equal(floor.p, (tally.selectedAtLeast[2] + 1) / 51);
  });

  test('gamma tail: close to and above a Poisson tail, NaN for a constant null', () => {
    // Poisson(20) has mean 20 and sd √20; P(X ≥ 35) = 0.0015 (sum of the pmf).
    let pmf = Math.exp(-20);
    let tail = 0;
    for (let k = 0; k < 200; k++) {
      if (k >= 35) tail += pmf;
      pmf *= 20 / (k + 1);
    }
    const approx = gammaTailP(35, 20, Math.sqrt(20));
    // Conservative here (the gamma's right tail is heavier than the Poisson's), within 3×.
    assert.ok(approx >= tail && approx / tail < 3, `gamma ${approx} vs Poisson ${tail}`);
    assert.ok(Number.isNaN(gammaTailP(5, 3, 0)));
  });

  test('FLOOR-LIMITED: a strong motif whose nulls almost never pass the support filter is not a silent PARK', (t) => {
    const rng = new Rng(11);
    const sessions = dagMotifSessions(
      Array.from({ length: 6 }, (_, i) => ({
        ...randomSession(rng, 30, { sameTimeProb: 0 }),
        id: `S${i}`,
        date: `2025-07-${21 + i}`,
      })),
    );
    // Three Anchors in a row in every session (randomSession draws Anchor only for the first event): a shuffle
    // almost never rebuilds that chain in 3 sessions, so its selected null draws are too few to resolve p.
    for (const s of sessions) s.kind.set([6, 6, 6], 10);
    const rs = mineMotifs(sessions, {
      sizes: [3],
      nulls: 200,
      nullModel: 'kind-shuffle',
      minSupport: 3,
      bootstrap: 100,
    });
    const floor = rs.filter((r) => r.class === 'FLOOR-LIMITED');
    t.diagnostic(`${floor.length} FLOOR-LIMITED of ${rs.length}`);
    assert.ok(floor.length >= 1, 'the planted chain is FLOOR-LIMITED');
    const chain = rs.find((r) => r.kinds.join() === '6,6,6');
    assert.equal(chain?.class, 'FLOOR-LIMITED');
    for (const r of floor) {
      assert.equal(r.pMethod, 'floor');
      assert.ok(r.nullSelected < 100);
      assert.ok(r.drawsNeeded === null || r.drawsNeeded > 200, `draws needed ${r.drawsNeeded}`);
    }
    for (const r of rs.filter((x) => x.class === 'PARK' || x.class === 'DISCARD'))
      assert.ok(!(r.pMethod === 'floor' && r.lift >= 2 && r.ciLow >= 1.5), `${r.id} silently ${r.class}`);
  });
});
