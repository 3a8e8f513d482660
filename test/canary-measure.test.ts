import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LiveMemoryProbe,
  median,
  summarize,
  timeInterleaved,
  timeIt,
  timeItAsync,
} from '../src/canary/measure.js';
import { fmtBytes, fmtMs, fmtSci, fmtX, speedupMark, speedupWords } from '../src/canary/format.js';

describe('canary measuring harness', () => {
  test('median and summary', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.throws(() => median([]), /empty/);
    assert.deepEqual(summarize([5, 1, 3], 2), { minMs: 1, medianMs: 3, meanMs: 3, trials: 3, warmup: 2 });
  });

  test('timeIt runs warm-up + trials calls and returns the last result', () => {
    let calls = 0;
    const r = timeIt(() => ++calls, { warmup: 2, trials: 5 });
    assert.equal(calls, 7);
    assert.equal(r.result, 7);
    assert.equal(r.samplesMs.length, 5);
    assert.ok(r.stat.minMs >= 0 && r.stat.minMs <= r.stat.medianMs);
    assert.throws(() => timeIt(() => 0, { warmup: -1, trials: 1 }), /warmup/);
    assert.throws(() => timeIt(() => 0, { warmup: 0, trials: 0 }), /trials/);
  });

  test('timeInterleaved alternates the functions trial by trial', () => {
    const order: string[] = [];
    const r = timeInterleaved([() => order.push('a'), () => order.push('b')], { warmup: 1, trials: 2 });
    assert.deepEqual(order, ['a', 'b', 'a', 'b', 'a', 'b']);
    assert.equal(r.length, 2);
    assert.equal(r[0].stat.trials, 2);
    assert.equal(r[1].result, 6);
  });

  test('timeItAsync awaits every call', async () => {
    let calls = 0;
    const r = await timeItAsync(
      async () => {
        await new Promise((res) => setTimeout(res, 2));
        return ++calls;
      },
      { warmup: 1, trials: 2 },
    );
    assert.equal(calls, 3);
    assert.ok(r.stat.minMs >= 1, `awaited at least ~2 ms, got ${r.stat.minMs}`);
  });

  test('the live-memory probe sees held allocations', () => {
    const probe = new LiveMemoryProbe();
    probe.start();
    const held = new Float64Array(4 * 1024 * 1024); // 32 MiB
    probe.sample();
    assert.ok(probe.peakBytes() >= 30 * 1024 * 1024, `peak ${probe.peakBytes()}`);
    assert.equal(held.length, 4 * 1024 * 1024);
  });
});

describe('canary number formatting', () => {
  test('the seed’s styles', () => {
    assert.equal(fmtMs(1.854), '1.85ms');
    assert.equal(fmtMs(15.61), '15.6ms');
    assert.equal(fmtMs(156.2), '156ms');
    assert.equal(fmtMs(null), 'n/m');
    assert.equal(fmtBytes(2.25 * 1024 * 1024), '2.25MB');
    assert.equal(fmtX(1.8412), '1.84×');
    assert.equal(fmtSci(5.96e-7), '5.96e-7');
    assert.equal(fmtSci(0), '0');
    assert.equal(speedupWords(1.87), '1.87× speedup');
    assert.equal(speedupWords(0.95), '0.95× baseline');
    assert.equal(speedupWords(0.37), '0.37× slower');
    assert.deepEqual([speedupMark(7.97), speedupMark(1.4), speedupMark(0.9)], ['⭐⭐', '⭐', '❌']);
  });
});
