import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assessComponents } from '../src/canary/assess.js';
import {
  DEFAULT_THRESHOLDS,
  STRICT_THRESHOLDS,
  coefficientOfVariation,
  evaluateGates,
  exitCodeFor,
  overLimit,
  regimeFigure,
  thresholdsFor,
  verdict,
  type GateFigures,
} from '../src/canary/gates.js';
import { FlagError } from '../src/canary/flags.js';
import { summarize } from '../src/canary/measure.js';
import { parseThreshold, thresholdsFromEnv } from '../src/canary/threshold-env.js';
import { compareRuns, parseBaseline, provenanceDifferences } from '../src/canary/regression.js';
import type { CanaryResult, KernelRow, ParquetRow, PerLRow } from '../src/canary/types.js';

const good: GateFigures = {
  overallSpeedup: { value: 1.84 },
  parityMaxAbs: { value: 5.96e-7 },
  memoryShare: { value: 0.0003 },
  motifJaccard: { value: 1 },
  motifTopOverlap: { value: 1 },
  regimeMinSpeedup: { value: 1.78 },
};

const statusOf = (fig: GateFigures, strict = false) =>
  Object.fromEntries(evaluateGates(fig, thresholdsFor(strict)).map((g) => [g.id, g.status]));

describe('canary gates on hand-made figures', () => {
  test('the seed’s thresholds, and the strict ones', () => {
    assert.deepEqual(
      { ...DEFAULT_THRESHOLDS },
      {
        minSpeedup: 1.4,
        maxParity: 1e-4,
        maxMemoryShare: 0.7,
        minMotifJaccard: 0.95,
        minMotifTopOverlap: 0.9,
        minRegimeSpeedup: 1.2,
      },
    );
    assert.equal(STRICT_THRESHOLDS.maxParity, 5e-7);
    assert.equal(STRICT_THRESHOLDS.minMotifJaccard, 0.95);
  });

  test('all pass → exit 0, APPROVED', () => {
    const g = evaluateGates(good, thresholdsFor(false));
    assert.equal(g.length, 6);
    assert.ok(g.every((x) => x.status === 'pass'));
    assert.equal(exitCodeFor(g), 0);
    assert.equal(verdict(g), 'APPROVED');
  });

  test('a motif stability failure alone → exit 1, CONDITIONAL APPROVAL', () => {
    const g = evaluateGates({ ...good, motifJaccard: { value: 0.9 } }, thresholdsFor(false));
    assert.equal(g.find((x) => x.id === 'motif-promote')?.status, 'fail');
    assert.equal(g.filter((x) => x.status === 'pass').length, 5);
    assert.equal(exitCodeFor(g), 1);
    assert.equal(verdict(g), 'CONDITIONAL APPROVAL');
  });

  test('each gate fails on its own figure', () => {
    assert.equal(statusOf({ ...good, overallSpeedup: { value: 1.39 } }).speedup, 'fail');
    assert.equal(statusOf({ ...good, parityMaxAbs: { value: 2e-4 } }).parity, 'fail');
    assert.equal(statusOf({ ...good, memoryShare: { value: 0.71 } }).memory, 'fail');
    assert.equal(statusOf({ ...good, regimeMinSpeedup: { value: 1.19 } }).regime, 'fail');
    assert.equal(statusOf({ ...good, motifTopOverlap: { value: 0.8 } })['motif-rank'], 'fail');
    assert.equal(
      verdict(evaluateGates({ ...good, motifTopOverlap: { value: 0.8 } }, thresholdsFor(false))),
      'CONDITIONAL APPROVAL',
    );
    assert.equal(
      verdict(evaluateGates({ ...good, overallSpeedup: { value: 1.0 } }, thresholdsFor(false))),
      'REJECTED',
    );
  });

  test('boundaries: ≥ and ≤ include the threshold', () => {
    const s = statusOf({
      overallSpeedup: { value: 1.4 },
      parityMaxAbs: { value: 1e-4 },
      memoryShare: { value: 0.7 },
      motifJaccard: { value: 0.95 },
      motifTopOverlap: { value: 0.8999 },
      regimeMinSpeedup: { value: 1.2 },
    });
    assert.deepEqual(s, {
      speedup: 'pass',
      parity: 'pass',
      memory: 'pass',
      'motif-promote': 'pass',
      'motif-rank': 'fail',
      regime: 'pass',
    });
  });

  test('strict: parity 5.96e-7 fails where the default passes', () => {
    const fig = good;
    assert.equal(statusOf(fig).parity, 'pass');
    assert.equal(statusOf(fig, true).parity, 'fail');
    assert.equal(statusOf({ ...good, parityMaxAbs: { value: 5e-7 } }, true).parity, 'pass');
  });

  test('skipped does not fail the run; a missing figure or NaN does', () => {
    const skipped = evaluateGates(
      { ...good, motifJaccard: { skipped: 'monitoring off' } },
      thresholdsFor(false),
    );
    assert.equal(skipped.find((x) => x.id === 'motif-promote')?.status, 'skipped');
    assert.equal(exitCodeFor(skipped), 0);
    const missing = evaluateGates(
      { ...good, motifJaccard: { error: 'not implemented: motifs' } },
      thresholdsFor(false),
    );
    assert.equal(missing.find((x) => x.id === 'motif-promote')?.status, 'error');
    assert.equal(missing.find((x) => x.id === 'motif-promote')?.note, 'not implemented: motifs');
    assert.equal(exitCodeFor(missing), 1);
    assert.equal(verdict(missing), 'REJECTED');
    assert.equal(statusOf({ ...good, overallSpeedup: { value: NaN } }).speedup, 'fail');
    assert.equal(statusOf({ ...good, motifTopOverlap: { value: NaN } })['motif-rank'], 'fail');
  });

  test('regime variance is the coefficient of variation (population SD / mean)', () => {
    assert.equal(coefficientOfVariation([1.8, 1.8, 1.8, 1.8]), 0);
    assert.equal(coefficientOfVariation([1, 3]), 0.5);
    const seed = coefficientOfVariation([1.86, 1.84, 1.81, 1.78]);
    assert.ok(seed > 0.016 && seed < 0.017, `seed's categories give ${seed}`);
    assert.throws(() => coefficientOfVariation([]), /no values/);
    assert.throws(() => coefficientOfVariation([0, 0]), /mean must be > 0/);
  });

  test('overLimit: 0.062 is 24% over 0.05', () => {
    assert.ok(Math.abs(overLimit(0.062, 0.05) - 0.24) < 1e-12);
  });
});

describe('canary regression table', () => {
  const run = (avg: number, rss: number, parity: number, tput: number, speedup: number, dl: number) =>
    ({
      pipeline: {
        avgSessionMs: { enabled: avg },
        throughput: { enabledSessionsPerSecond: tput },
        overall: { speedup },
      },
      memory: { processPeakRssBytes: rss },
      parity: { gatedMax: parity },
      motifs: { deltaLift: dl },
    }) as unknown as CanaryResult;

  test('the seed’s rows: faster, less memory, better parity, higher throughput', () => {
    const rows = compareRuns(
      run(24.1, 8.2e6, 1e-5, 41.5, 1.5, 0.07),
      run(13.6, 2.2e6, 5.96e-7, 73.5, 1.84, 0.062),
    );
    const by = Object.fromEntries(rows.map((r) => [r.metric, r]));
    assert.equal(by['Avg Session Time'].status, 'better');
    assert.ok(Math.abs((by['Avg Session Time'].change as number) + 0.4357) < 1e-3);
    assert.equal(by['Memory Peak'].status, 'better');
    assert.equal(by['Parity Precision'].status, 'better');
    assert.equal(by['Throughput'].status, 'better');
    assert.ok(Math.abs((by['Throughput'].change as number) - 0.7711) < 1e-3);
    assert.equal(by['Motif |Δlift|'].status, 'better');
  });

  test('worse and same (±5%) and missing', () => {
    const rows = compareRuns(run(10, 1e6, 1e-7, 50, 2, 0.01), run(10.4, 2e6, 1e-7, 40, 2.05, NaN));
    const by = Object.fromEntries(rows.map((r) => [r.metric, r.status]));
    assert.deepEqual(by, {
      'Avg Session Time': 'same',
      'Memory Peak': 'worse',
      'Parity Precision': 'same',
      Throughput: 'worse',
      'Overall speedup': 'same',
      'Slowest regime speedup': 'n/a',
      'Motif |Δlift|': 'n/a',
    });
  });

  const withMachine = (r: CanaryResult, cpuModel: string, cpus: number, extra: object = {}) =>
    ({
      ...r,
      schema: 'ironforge.canary/1',
      versions: { ironforge: '0.1.0' },
      machine: { cpuModel, availableParallelism: cpus, hostname: 'h' },
      regime: { categories: [{ id: 'small', speedup: 1.3 }] },
      ...extra,
    }) as unknown as CanaryResult;

  test('a previous run from another machine: timings are marked not comparable, the rest is compared', () => {
    const prev = withMachine(run(10, 1e6, 1e-7, 50, 2, 0.01), 'CPU A', 8);
    const cur = withMachine(run(5, 3e6, 1e-7, 100, 4, 0.01), 'CPU B', 2);
    const rows = Object.fromEntries(compareRuns(prev, cur).map((r) => [r.metric, r]));
    for (const m of ['Avg Session Time', 'Throughput', 'Overall speedup', 'Slowest regime speedup']) {
      assert.equal(rows[m].status, 'n/a', m);
      assert.equal(rows[m].change, null);
      assert.match(
        rows[m].note ?? '',
        /not comparable: timings from another machine \(CPU A × 8 → CPU B × 2\)/,
      );
    }
    assert.equal(rows['Memory Peak'].status, 'worse');
    assert.equal(rows['Parity Precision'].status, 'same');
    const pv = provenanceDifferences(prev, cur);
    assert.deepEqual(pv.machine, ['CPU CPU A → CPU B', 'CPUs 8 → 2']);
    assert.deepEqual(pv.schema, []);
    // The same machine compares the timings.
    const same = compareRuns(prev, withMachine(run(5, 1e6, 1e-7, 100, 4, 0.01), 'CPU A', 8));
    assert.equal(same.find((r) => r.metric === 'Throughput')?.status, 'better');
  });

  test('a previous run from another canary.json version: said so, missing metrics marked, the rest compared', () => {
    const old = withMachine(run(10, 1e6, 1e-7, 50, 2, 0.01), 'CPU A', 8, {
      schema: 'ironforge.canary/0',
      versions: { ironforge: '0.0.9' },
      regime: undefined,
      parity: undefined,
      gates: [{ id: 'speedup' }, { id: 'motif' }],
    });
    const cur = withMachine(run(10, 1e6, 1e-7, 50, 2, 0.01), 'CPU A', 8);
    const rows = Object.fromEntries(compareRuns(old, cur).map((r) => [r.metric, r]));
    assert.equal(rows['Slowest regime speedup'].status, 'n/a');
    assert.equal(rows['Slowest regime speedup'].note, 'not in the previous file (schema ironforge.canary/0)');
    assert.equal(rows['Parity Precision'].note, 'not in the previous file (schema ironforge.canary/0)');
    assert.equal(rows['Throughput'].status, 'same');
    const pv = provenanceDifferences(old, cur);
    assert.deepEqual(pv.schema, ['canary.json schema ironforge.canary/0 → ironforge.canary/1']);
    assert.deepEqual(pv.version, ['ironforge 0.0.9 → 0.1.0']);
    assert.deepEqual(
      provenanceDifferences(old, {
        ...cur,
        gates: [{ id: 'speedup' }, { id: 'motif-promote' }],
      } as unknown as CanaryResult).gates,
      ['gates only in the previous run: motif', 'gates only in this run: motif-promote'],
    );
    // Another version is accepted; a file that is no canary.json at all is not, and the error names file and schema.
    assert.equal(parseBaseline({ schema: 'ironforge.canary/0' }, 'old.json').schema, 'ironforge.canary/0');
    assert.throws(
      () => parseBaseline({ schema: 'ironforge.run/1' }, 'run.json'),
      /--baseline run\.json: not a canary\.json: schema must be "ironforge\.canary\/1".*got "ironforge\.run\/1"/,
    );
    assert.throws(
      () => parseBaseline([1, 2], 'list.json'),
      /--baseline list\.json: not a canary\.json.*got undefined/,
    );
  });
});

describe('canary readiness rules', () => {
  const L = [128, 256, 512, 1024];
  const t = (ms: number) => summarize([ms, ms * 1.1], 0);
  const row = (name: string, ms: number[]): PerLRow => ({
    name,
    label: name,
    timing: ms.map(t),
    speedupMedian: ms.map(() => null),
    speedupMin: ms.map(() => null),
  });
  const krow = (name: string, ms: number[]): KernelRow => ({
    ...row(name, ms),
    parity: ms.map(() => 1e-7),
    workspaceBytes: ms.map(() => null),
  });
  const prow = (name: string, ms: number[], bytes: number): ParquetRow => ({
    ...row(name, ms),
    compression: 'zstd',
    rowGroupSize: null,
    bytes: ms.map(() => bytes),
    writeTiming: ms.map(() => null),
    readTiming: ms.map(() => null),
  });

  test('ready at every L, conditional at some, not ready at none or over the parity gate', () => {
    const a = assessComponents({
      L,
      kernels: [
        krow('baseline', [10, 20, 40, 80]),
        krow('block-sparse', [5, 10, 20, 40]),
        krow('flash', [5, 10, 60, 120]),
        krow('time-bias-cache', [11, 21, 41, 81]),
        krow('half', [1, 1, 1, 1]),
      ],
      dag: [row('baseline', [1, 2, 4, 8]), row('topo', [0.5, 1, 2, 4])],
      parquet: [prow('none', [1, 1, 1, 1], 1000), prow('zstd', [2, 2, 2, 2], 250)],
      parity: new Map([
        ['block-sparse', 1e-7],
        ['flash', 1e-7],
        ['time-bias-cache', 1e-7],
        ['half', 1e-3],
      ]),
      parityLimit: 1e-4,
    });
    const by = Object.fromEntries(a.map((x) => [x.row, x]));
    assert.equal(by['block-sparse'].readiness, 'ready');
    assert.equal(by['block-sparse'].setting, 'IRONFORGE_ENABLE_BLOCK_SPARSE=true');
    assert.equal(by.flash.readiness, 'conditional');
    assert.deepEqual(by.flash.fasterAt, [128, 256]);
    assert.equal(by.flash.setting, 'IRONFORGE_ENABLE_FLASH_ATTENTION=conditional');
    assert.equal(by['time-bias-cache'].readiness, 'not-ready');
    assert.equal(by['time-bias-cache'].setting, 'IRONFORGE_ENABLE_TIME_BIAS_CACHE=false');
    assert.equal(by.half.readiness, 'not-ready');
    assert.match(by.half.issue, /parity 1\.00e-3 exceeds the gate/);
    assert.equal(by.topo.readiness, 'ready');
    assert.equal(by.zstd.readiness, 'not-ready');
    assert.match(by.zstd.issue, /files 4\.00× smaller at L=1024/);
  });
});

describe('regime gate: no regime left behind', () => {
  test('the figure is the slowest regime; every regime below the threshold is named, slowest first', () => {
    const f = regimeFigure(
      [
        { id: 'small', speedup: 0.92 },
        { id: 'medium', speedup: 1.22 },
        { id: 'large', speedup: 2.0 },
        { id: 'xl', speedup: 4.5 },
        { id: 'real', speedup: 0.76 },
      ],
      1.2,
    );
    assert.ok('value' in f);
    assert.equal(f.value, 0.76);
    assert.equal(f.detail, 'below 1.2×: real 0.76×, small 0.92×');
    const g = evaluateGates({ ...good, regimeMinSpeedup: f }, thresholdsFor(false));
    const regime = g.find((x) => x.id === 'regime')!;
    assert.equal(regime.status, 'fail');
    assert.equal(regime.note, 'below 1.2×: real 0.76×, small 0.92×');
    assert.equal(exitCodeFor(g), 1);
    // Uneven but all above the threshold passes (the old CV rule failed this: CV 65%).
    const uneven = regimeFigure(
      [
        { id: 'small', speedup: 1.25 },
        { id: 'xl', speedup: 4.5 },
      ],
      1.2,
    );
    assert.ok('value' in uneven && uneven.value === 1.25 && uneven.detail === 'slowest regime: small 1.25×');
    assert.ok(coefficientOfVariation([1.25, 4.5]) > 0.1);
    assert.equal(statusOf({ ...good, regimeMinSpeedup: uneven }).regime, 'pass');
    assert.deepEqual(regimeFigure([], 1.2), {
      error: 'no regime was measured (no sessions in any category)',
    });
  });
});

describe('gate thresholds from the environment', () => {
  test('valid values replace the mode’s thresholds and are listed', () => {
    const r = thresholdsFromEnv(thresholdsFor(true), {
      IRONFORGE_CANARY_MIN_REGIME_SPEEDUP: '1.5',
      IRONFORGE_CANARY_MAX_MEMORY_SHARE: ' 0.25 ',
      IRONFORGE_CANARY_MIN_SPEEDUP: '',
    });
    assert.equal(r.thresholds.minRegimeSpeedup, 1.5);
    assert.equal(r.thresholds.maxMemoryShare, 0.25);
    assert.equal(r.thresholds.minSpeedup, 1.4, 'empty keeps the default');
    assert.equal(r.thresholds.maxParity, 5e-7, 'strict kept');
    assert.deepEqual(r.fromEnv, [
      'IRONFORGE_CANARY_MAX_MEMORY_SHARE=0.25',
      'IRONFORGE_CANARY_MIN_REGIME_SPEEDUP=1.5',
    ]);
    assert.deepEqual(thresholdsFromEnv(DEFAULT_THRESHOLDS, {}).fromEnv, []);
  });

  test('nonsense values (negative, NaN, text, out of range) are a FlagError naming the variable and the value', () => {
    for (const [name, value] of [
      ['IRONFORGE_CANARY_MAX_PARITY', '-1'],
      ['IRONFORGE_CANARY_MAX_PARITY', '0'],
      ['IRONFORGE_CANARY_MIN_SPEEDUP', 'NaN'],
      ['IRONFORGE_CANARY_MIN_SPEEDUP', 'fast'],
      ['IRONFORGE_CANARY_MIN_REGIME_SPEEDUP', '1.2x'],
      ['IRONFORGE_CANARY_MIN_REGIME_SPEEDUP', 'Infinity'],
      ['IRONFORGE_CANARY_MAX_MEMORY_SHARE', '70'],
      ['IRONFORGE_CANARY_MIN_MOTIF_JACCARD', '1.01'],
      ['IRONFORGE_CANARY_MIN_MOTIF_TOP_OVERLAP', '0x1'],
    ]) {
      assert.throws(
        () => thresholdsFromEnv(DEFAULT_THRESHOLDS, { [name]: value }),
        (e: unknown) =>
          e instanceof FlagError &&
          e.message.startsWith(`${name}='${value}' is not a valid gate threshold (expected `),
        `${name}=${value}`,
      );
    }
    assert.equal(parseThreshold('minMotifJaccard', '0'), 0, 'a [0, 1] share may be 0');
  });
});
