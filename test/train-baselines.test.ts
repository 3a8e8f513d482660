import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DAG_CONFIG, buildDag, rowPtrFromSortedSrc } from '../src/graph/index.js';
import { Rng } from '../src/stats/index.js';
import { resolveConfig } from '../src/tgat/index.js';
import {
  type KindSession,
  type PreparedSession,
  averagePrecision,
  dayClusteredMeanCI,
  fitFrequency,
  fitMarkov,
  linkBaselineScores,
  mean,
  nextKindExamples,
  perEvent,
  rocAuc,
  sampleTask,
  splitDates3,
} from '../src/tgat/train/index.js';
import type { Session } from '../src/session/index.js';

/** A hand-made kind sequence as a KindSession (one event per minute, so every row is its own group). */
function seq(kinds: number[], date = '2025-01-01'): KindSession {
  const n = kinds.length;
  return {
    id: `S_${date}`,
    date,
    n,
    kinds: Int32Array.from(kinds),
    t: Float64Array.from(kinds, (_, i) => i * 60_000),
    raw: new Float64Array(0),
    dag: {
      n,
      src: new Int32Array(0),
      dst: new Int32Array(0),
      rowPtr: rowPtrFromSortedSrc(new Int32Array(0), n),
      weight: new Float32Array(0),
      dtMinutes: new Float32Array(0),
    },
    ex: { node: Int32Array.from({ length: n - 1 }, (_, i) => i), label: Int32Array.from(kinds.slice(1)) },
  };
}

describe('train: kind baselines on hand-made sequences', () => {
  test('Markov-1 predicts an alternating sequence perfectly; frequency cannot', () => {
    const alt = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 0 : 5));
    const tr = [seq(alt)];
    const te = [seq(alt.slice(0, 21), '2025-01-02')];
    const mk = perEvent(te, te.map(fitMarkov(tr, 1)));
    assert.equal(mean(mk.correct), 1);
    // add-one smoothing over 7 kinds: p(next) = (19 + 1)/(19 + 7) or (20 + 1)/(20 + 7)
    assert.ok(mean(mk.logLoss) < 0.3, `Markov-1 log-loss ${mean(mk.logLoss)}`);
    const fr = perEvent(te, te.map(fitFrequency(tr)));
    assert.ok(mean(fr.correct) <= 0.6);
    const mk2 = perEvent(te, te.map(fitMarkov(tr, 2)));
    assert.equal(mean(mk2.correct), 1);
  });

  test('frequency on a constant sequence: the add-one smoothed marginal', () => {
    const tr = [seq(Array.from({ length: 11 }, () => 3))];
    const p = fitFrequency(tr)(seq([3, 3, 3]));
    // 10 labels of kind 3 + one pseudo-count per kind: 11/17 for kind 3, 1/17 for the rest
    assert.ok(Math.abs(p[3] - 11 / 17) < 1e-12);
    assert.ok(Math.abs(p[0] - 1 / 17) < 1e-12);
    assert.equal(mean(perEvent([seq([3, 3, 3])], [p.slice(0, 14)]).correct), 1);
  });

  test('Markov-2 backs off to order 1 for an unseen context, then to frequency', () => {
    const tr = [seq([0, 1, 0, 1, 0, 1])];
    const te = seq([1, 1, 0]); // row 1: context (1, 1) never seen → order 1: after kind 1 came 0 twice
    const p = fitMarkov(tr, 2)(te);
    assert.ok(Math.abs(p[7 + 0] - 3 / 9) < 1e-12, `p = ${p[7]}`);
    const q = fitMarkov(tr, 2)(seq([6, 6])); // kind 6 never seen at all → frequency: labels 1,0,1,0,1
    assert.ok(Math.abs(q[1] - 4 / 12) < 1e-12, `q = ${q[1]}`);
  });
});

describe('train: link baselines', () => {
  test('the rank baseline reaches AP = AUC = 1 on a timestamp-only link case', () => {
    const rng = new Rng(7);
    const n = 300;
    const t = new Float64Array(n);
    for (let i = 1; i < n; i++)
      t[i] = t[i - 1] + (rng.float() < 0.4 ? 0 : Math.floor(rng.float() * 5 * 60_000));
    const dag = buildDag(
      { t, price: new Float64Array(n).fill(100), kind: new Uint8Array(n) },
      DEFAULT_DAG_CONFIG,
      'vectorized',
    );
    const s: PreparedSession = { id: 'gen', date: '2025-01-01', n, x: new Float32Array(n * 45), t, dag };
    const task = sampleTask(s, resolveConfig({}), new Rng(1), {
      targetFraction: 0.5,
      negatives: 2,
      dtMinMs: DEFAULT_DAG_CONFIG.dtMinMs,
      dtMaxMs: DEFAULT_DAG_CONFIG.dtMaxMs,
    });
    assert.ok(task.label.length > 50);
    const rank = linkBaselineScores('rank', [t], [task]);
    assert.equal(averagePrecision(rank, task.label), 1);
    assert.equal(rocAuc(rank, task.label), 1);
    const rec = linkBaselineScores('recency', [t], [task]);
    assert.ok(averagePrecision(rec, task.label) < 1);
  });
});

describe('train: examples, split and CI', () => {
  test('next-kind examples sit on the last row of each co-timed group and label the next later row', () => {
    const ev = (t: number, kind: number) => ({ t, kind }) as unknown as Session['events'][number];
    const s = {
      id: 'x',
      events: [ev(0, 1), ev(0, 2), ev(60, 3), ev(120, 4), ev(120, 5)],
    } as unknown as Session;
    const ex = nextKindExamples(s);
    assert.deepEqual([...ex.node], [1, 2]);
    assert.deepEqual([...ex.label], [3, 4]);
  });

  test('the 3-way date split: consecutive blocks, and an error naming the count', () => {
    const d = ['2025-07-24', '2025-07-25', '2025-07-28', '2025-07-29', '2025-07-30', '2025-07-31'];
    assert.deepEqual(splitDates3([...d].reverse()), {
      train: d.slice(0, 3),
      validation: [d[3]],
      test: d.slice(4),
    });
    assert.throws(
      () => splitDates3(['2025-07-24', '2025-07-25', '2025-07-25']),
      /3-way split needs ≥ 3 trading dates, got 2/,
    );
  });

  test('day-clustered CI: exact for few days, contains the estimate, degenerate for one value per day alike', () => {
    const ci = dayClusteredMeanCI([1, 1, 2, 2, 3, 3], ['a', 'a', 'b', 'b', 'c', 'c']);
    assert.equal(ci.estimate, 2);
    assert.equal(ci.days, 3);
    assert.equal(ci.exact, true);
    assert.ok(ci.ciLow >= 1 && ci.ciLow < 2 && ci.ciHigh > 2 && ci.ciHigh <= 3, JSON.stringify(ci));
  });
});
