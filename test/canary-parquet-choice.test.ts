/**
 * The enabled configuration's Parquet stage: `auto` follows the measured timings (whichever configuration they
 * favour, per size), the fixed modes do what the flag says, the baseline stays uncompressed through arrow-rs,
 * and both sides of the pipeline encode the same columns (equivalent output work).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASELINE_PARQUET, PARQUET_CONFIGS, parquetPolicy } from '../src/canary/parquet-choice.js';
import { runPipeline } from '../src/canary/pipeline.js';
import { pipelineConfigs } from '../src/canary/phases/throughput.js';
import { parseFlags } from '../src/canary/flags.js';
import { createTgatRunner } from '../src/canary/tgat-adapter.js';
import { benchSession } from '../src/canary/scale.js';
import type { ParquetRow } from '../src/canary/types.js';
import type { TimingStat } from '../src/canary/measure.js';
import { decodeParquet, encodeParquet } from '../src/io/index.js';
import { calibrate } from '../src/synthetic/index.js';
import { readSessions } from '../src/store/index.js';

const stat = (ms: number): TimingStat => ({ minMs: ms, medianMs: ms, meanMs: ms, trials: 1, warmup: 0 });

/** Parquet rows with the given median encode times per L (name → ms per L). */
function rowsTimed(ms: Record<string, (number | null)[]>): ParquetRow[] {
  return PARQUET_CONFIGS.map((c) => ({
    name: c.name,
    label: c.label,
    compression: c.compression,
    rowGroupSize: c.rowGroupSize,
    engine: c.engine,
    timing: (ms[c.name] ?? []).map((x) => (x === null ? null : stat(x))),
    speedupMedian: [],
    speedupMin: [],
    bytes: [],
    writeTiming: [],
    readTiming: [],
  }));
}

describe('canary Parquet choice', () => {
  const L = [128, 256, 512, 1024];

  test('auto picks the fastest measured configuration at the length that covers the table', () => {
    // zstd measured fastest at 512 only: auto must follow the measurement there, not a fixed preference.
    const policy = parquetPolicy(
      'auto',
      rowsTimed({
        none: [1.0, 1.2, 1.5, 2.0],
        zstd: [3.0, 3.5, 0.5, 6.0],
        'zstd-rowgroups': [4.0, 4.0, 4.0, 8.0],
        direct: [0.1, 0.2, 0.9, 0.3],
      }),
      L,
    );
    assert.deepEqual(policy.byL, { 128: 'direct', 256: 'direct', 512: 'zstd', 1024: 'direct' });
    assert.equal(policy.choose(20).name, 'direct'); // below the first L → its bucket
    assert.equal(policy.choose(300).name, 'zstd'); // 256 < n ≤ 512
    assert.equal(policy.choose(512).name, 'zstd');
    assert.equal(policy.choose(5000).name, 'direct'); // above the last L → the last bucket
    assert.deepEqual(policy.choose(300), { name: 'zstd', compression: 'zstd', engine: 'arrow-rs' });
  });

  test('auto without a measurement at some length falls back to the direct writer there', () => {
    const policy = parquetPolicy('auto', rowsTimed({ none: [1, null], zstd: [0.5, null] }), [128, 256]);
    assert.deepEqual(policy.byL, { 128: 'zstd', 256: 'direct' });
  });

  test('the flag forces ZSTD or the uncompressed direct writer whatever was measured', () => {
    const measured = rowsTimed({ none: [0.1], zstd: [9], 'zstd-rowgroups': [9], direct: [9] });
    assert.equal(parquetPolicy('zstd', measured, [128]).choose(100).name, 'zstd');
    assert.equal(parquetPolicy('none', measured, [128]).choose(100).name, 'direct');
  });

  test('the baseline configuration stays uncompressed through the arrow-rs writer', () => {
    const cfgs = pipelineConfigs(parseFlags({}).flags, rowsTimed({ direct: [0.1] }), [128]);
    assert.deepEqual(cfgs.baseline.parquetFor(100), BASELINE_PARQUET);
    assert.deepEqual(BASELINE_PARQUET, { name: 'none', compression: 'none', engine: 'arrow-rs' });
    assert.equal(cfgs.enabled.parquetFor(100).name, 'direct');
  });

  test('enabled and baseline encode the same node table: equal columns after decoding', async () => {
    const { sessions } = await readSessions(['data/sample/enhanced']);
    const session = benchSession(calibrate(sessions), 100, 7);
    const cfgs = pipelineConfigs(parseFlags({}).flags, rowsTimed({ direct: [0.1] }), [128]);
    const tgat = createTgatRunner(3);
    // runPipeline with a probe returns its stage outputs: [feats, cols, dag, enc, nodes, edges].
    const held = (which: 'enabled' | 'baseline') =>
      runPipeline(session, cfgs[which], tgat, () => undefined).held as Uint8Array[];
    const e = held('enabled');
    const b = held('baseline');
    assert.ok(!Buffer.from(e[4]).equals(Buffer.from(b[4])), 'two different writers ran');
    for (const k of [4, 5]) {
      const te = decodeParquet(e[k]);
      const tb = decodeParquet(b[k]);
      assert.equal(te.numRows, tb.numRows);
      assert.deepEqual(
        te.columns.map((c) => c.name),
        tb.columns.map((c) => c.name),
      );
      // The embeddings differ by kernel (within the parity bound); every other column is identical.
      for (let j = 0; j < te.columns.length; j++) {
        const name = te.columns[j].name;
        const ve = Array.from(te.columns[j].values as ArrayLike<number>);
        const vb = Array.from(tb.columns[j].values as ArrayLike<number>);
        if (/^z\d+$/.test(name)) ve.forEach((v, i) => assert.ok(Math.abs(v - vb[i]) < 1e-4, `${name}[${i}]`));
        else assert.deepEqual(ve, vb, name);
      }
    }
    // The same bytes as the direct writer gives for those columns (the pipeline adds nothing of its own).
    const te = decodeParquet(e[4]);
    assert.ok(
      Buffer.from(encodeParquet(te.columns, { compression: 'none', engine: 'direct' })).equals(
        Buffer.from(e[4]),
      ),
    );
  });
});
