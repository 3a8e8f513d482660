/**
 * A tiny canary end to end through the CLI command: 4 synthetic sessions (one per size category), 6 real
 * sessions, benchmark lengths 64/128, one trial, 50 nulls, 2 seeds. Checks the files, the JSON shape, that
 * every figure is consistent with the others (not their values: timings are never asserted), and the report.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { register } from '../src/cli/commands/canary.js';
import { UsageError } from '../src/core/index.js';
import { exitCodeFor } from '../src/canary/gates.js';
import { compareRuns, configDifferences, provenanceDifferences } from '../src/canary/regression.js';
import { renderMarkdown } from '../src/canary/report-md.js';
import { CANARY_SCHEMA, type CanaryResult } from '../src/canary/types.js';

const SAMPLE = 'data/sample/enhanced'; // tests run from the repository root (tsx and dist alike)
let dir = '';
let sampleDir = '';

async function runCli(args: string[]): Promise<{ stdout: string; exitCode: number | undefined }> {
  const program = new Command();
  program.exitOverride();
  register(program);
  const write = process.stdout.write.bind(process.stdout);
  let stdout = '';
  // Only string writes are the command's; under `node --test` the runner itself writes binary (Buffer) frames.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof chunk === 'string') {
      stdout += chunk;
      return true;
    }
    return (write as (c: Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  const before = process.exitCode;
  try {
    await program.parseAsync(['node', 'ironforge', 'canary', ...args]);
    return { stdout, exitCode: typeof process.exitCode === 'number' ? process.exitCode : undefined };
  } finally {
    process.stdout.write = write;
    process.exitCode = before;
  }
}

before(async () => {
  dir = await mkdtemp(join(os.tmpdir(), 'canary-e2e-'));
  sampleDir = join(dir, 'sample');
  const names = (await readdir(SAMPLE))
    .filter((n) => n.startsWith('enhanced_rel_') && /(NY_AM|LONDON)_/.test(n))
    .sort()
    .slice(0, 6);
  assert.equal(names.length, 6);
  await (await import('node:fs/promises')).mkdir(sampleDir);
  for (const n of names) await copyFile(join(SAMPLE, n), join(sampleDir, n));
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('canary end to end (tiny)', () => {
  let result: CanaryResult;
  let md = '';

  test('runs, writes canary.json and canary.md, prints canary.json with --json, exit code follows the gates', async () => {
    const out = join(dir, 'out');
    const r = await runCli([
      '--sessions',
      '4',
      '--sample',
      sampleDir,
      '--lengths',
      '64,128',
      '--trials',
      '1',
      '--warmup',
      '0',
      '--pipeline-trials',
      '1',
      '--nulls',
      '50',
      '--motif-seeds',
      '2',
      '--seed',
      '7',
      '--out',
      out,
      '--json',
      '--no-progress',
    ]);
    result = JSON.parse(r.stdout) as CanaryResult;
    const file = JSON.parse(await readFile(join(out, 'canary.json'), 'utf8')) as CanaryResult;
    assert.deepEqual(file, result);
    md = await readFile(join(out, 'canary.md'), 'utf8');
    assert.equal(result.schema, CANARY_SCHEMA);
    assert.equal(result.exitCode, exitCodeFor(result.gates));
    assert.equal(r.exitCode ?? 0, result.exitCode);
  });

  test('corpus, config and machine info are recorded', () => {
    assert.equal(result.config.sessions, 4);
    assert.equal(result.config.realSessions, 6);
    assert.equal(result.config.seed, 7);
    assert.deepEqual(result.config.lengths, [64, 128]);
    assert.equal(result.config.flags.flashAttention, 'conditional');
    assert.ok(result.machine.logicalCpus >= 1 && result.machine.totalMemBytes > 0);
    assert.ok(result.versions.ironforge && result.versions['parquet-wasm']);
    assert.deepEqual(
      result.pipeline.categories.map((c) => [c.id, c.count]),
      [
        ['small', 1],
        ['medium', 1],
        ['large', 1],
        ['xl', 1],
        ['real', 6],
      ],
    );
  });

  test('every gate has a finite figure (or is explicitly not applicable) and the figures agree with the sections they come from', () => {
    assert.deepEqual(
      result.gates.map((g) => g.id),
      ['speedup', 'parity', 'memory', 'motif-promote', 'motif-rank', 'regime'],
    );
    for (const g of result.gates) {
      // With 50 nulls no p-value reaches q < 0.01: no PROMOTE motif, so the Jaccard gate is not applicable.
      if (g.id === 'motif-promote' && g.status === 'n/a') {
        assert.equal(g.measured, null);
        assert.match(g.note ?? '', /no PROMOTE.*not applicable/);
        continue;
      }
      assert.ok(
        g.measured !== null && Number.isFinite(g.measured),
        `${g.id}: ${g.measured} (${g.note ?? ''})`,
      );
    }
    const by = Object.fromEntries(result.gates.map((g) => [g.id, g.measured]));
    const p = result.pipeline;
    assert.equal(by.speedup, p.overall.speedup);
    const sumB = p.categories.reduce((a, c) => a + c.baselineMs, 0);
    const sumE = p.categories.reduce((a, c) => a + c.enabledMs, 0);
    assert.ok(Math.abs(p.overall.speedup - sumB / sumE) < 1e-9);
    assert.ok(Math.abs(p.throughput.enabledSessionsPerSecond - 10 / (sumE / 1000)) < 1e-6);
    // CPU-time throughput: finite and positive for both sides (process CPU over the timed runs).
    for (const v of [p.throughput.enabledSessionsPerCpuSecond, p.throughput.baselineSessionsPerCpuSecond])
      assert.ok(v !== undefined && Number.isFinite(v) && v > 0, String(v));
    for (const c of p.categories) assert.ok(Math.abs(c.speedup - c.baselineMs / c.enabledMs) < 1e-9);
    assert.equal(by.parity, result.parity.gatedMax);
    assert.equal(by.memory, result.memory.processPeakRssBytes / result.memory.ramBytes);
    // The regime gate reads the slowest regime (size categories and the real sessions); the CV is reported.
    assert.deepEqual(
      result.regime.categories.map((c) => c.id),
      p.categories.map((c) => c.id),
    );
    assert.equal(by.regime, Math.min(...p.categories.map((c) => c.speedup)));
    assert.deepEqual(
      result.regime.below,
      p.categories.filter((c) => c.speedup < result.thresholds.minRegimeSpeedup).map((c) => c.id),
    );
    assert.ok(Number.isFinite(result.regime.cv) && result.regime.cv >= 0);
    // The floor covers the size categories, its point lies between each measured speedup and its ceiling
    // (stage sums are of per-stage medians, so a ceiling can sit a hair under the speedup: the interval is then
    // the point itself), and it is no larger than the measured regime variance.
    const fl = result.regime.floor;
    assert.deepEqual(
      fl.categories.map((c) => c.id),
      p.categories.map((c) => c.id),
    );
    for (const c of fl.categories) {
      assert.ok(c.ceiling > 0 && Number.isFinite(c.ceiling), `${c.id} ceiling ${c.ceiling}`);
      assert.ok(c.atFloor >= c.speedup - 1e-12 && c.atFloor <= Math.max(c.ceiling, c.speedup) + 1e-12);
    }
    assert.ok(fl.floorCv >= 0 && fl.floorCv <= result.regime.cvWithReal + 1e-12, `floor ${fl.floorCv}`);
    assert.ok('deltaLift' in result.motifs);
    if ('deltaLift' in result.motifs) {
      assert.ok(Number.isFinite(result.motifs.deltaLift), 'Δlift is still reported');
      assert.equal(by['motif-promote'], result.motifs.promoteJaccard);
      assert.equal(by['motif-rank'], result.motifs.topOverlap);
      const a = result.motifs.agreement;
      assert.deepEqual(a.acrossSeeds.runs, ['seed=7', 'seed=1337']);
      if (result.motifs.promoteJaccard === null)
        assert.ok(
          [a.acrossSeeds, a.acrossKernels].every((x) => x === null || x.promoted.every((n) => n === 0)),
        );
      assert.deepEqual(result.motifs.seeds, [7, 1337]);
      assert.equal(result.motifs.nulls, 50);
    }
  });

  test('kernel, DAG and Parquet tables cover every configuration at every L; parity is measured', () => {
    const k = result.kernels;
    assert.deepEqual(k.rows.map((r) => r.name).sort(), [
      'auto',
      'baseline',
      'block-sparse',
      'flash',
      'half',
      'reference',
      'time-bias-cache',
    ]);
    for (const r of k.rows) {
      assert.equal(r.timing.length, 2);
      for (const t of r.timing) assert.ok(t && t.minMs > 0 && t.minMs <= t.medianMs, `${r.name} timing`);
      for (const x of r.parity) assert.ok(x !== null && Number.isFinite(x), `${r.name} parity`);
    }
    assert.deepEqual(k.rows.find((r) => r.name === 'reference')?.parity, [0, 0]);
    assert.ok(
      (k.rows.find((r) => r.name === 'half')?.parity[0] as number) >
        (k.rows.find((r) => r.name === 'baseline')?.parity[0] as number),
    );
    assert.deepEqual(
      result.dag.rows.map((r) => r.name),
      ['baseline', 'topo', 'vectorized', 'sparse'],
    );
    assert.equal(result.dag.identical, true);
    const pq = result.parquet.rows;
    assert.deepEqual(
      pq.map((r) => r.name),
      ['none', 'zstd', 'zstd-rowgroups', 'direct'],
    );
    for (const r of pq) for (const b of r.bytes) assert.ok(b !== null && b > 0);
    // The enabled Parquet stage's choice per L (auto by default) names a measured configuration, the fastest.
    const byL = result.config.enabled.parquetByL ?? {};
    assert.deepEqual(Object.keys(byL), ['64', '128']);
    result.parquet.L.forEach((l, i) => {
      const fastest = [...pq].sort(
        (a, b) => (a.timing[i]?.medianMs ?? Infinity) - (b.timing[i]?.medianMs ?? Infinity),
      )[0];
      assert.equal(byL[String(l)], fastest.name, `L=${l}`);
    });
    assert.ok((pq[1].bytes[1] as number) < (pq[0].bytes[1] as number), 'ZSTD files are smaller');
    assert.equal(result.memory.byL.length, 2);
  });

  test('charts carry one series per configuration in the documented shape', () => {
    for (const key of ['attention', 'dag', 'parquet'] as const) {
      const c = result.charts[key];
      assert.deepEqual(c.L, [64, 128]);
      assert.equal(c.logY, true);
      for (const s of c.series) {
        assert.equal(s.median.length, 2);
        assert.equal(s.min.length, 2);
      }
    }
    assert.equal(result.charts.attention.series.length, 7);
  });

  test('canary.md has every section and row of the seed report', () => {
    for (const heading of [
      '# IRONFORGE Canary Benchmark Report',
      '## Executive Summary',
      '### Scale Distribution Analysis',
      '#### Optimization Effectiveness by Scale',
      '### DAG Builder Performance',
      '### Parquet I/O Performance',
      '### Peak Memory Usage by Scale',
      '### Memory Optimization Effectiveness',
      '## Critical Issue Analysis',
      '### Performance Scaling Insights',
      '## Canary Deployment Readiness',
      '### Baseline Comparison (Previous Release)',
      '## Recommendations',
      '## Deployment Strategy',
      '## Conclusion',
      '## Method',
    ])
      assert.ok(md.includes(heading), heading);
    for (const row of [
      'Small Sessions',
      'Medium Sessions',
      'Large Sessions',
      'XL Sessions',
      'Real Sample Sessions',
      'Flash Attention:',
      'Block Sparse:',
      'Time Bias Cache:',
      'AMP (half):',
      'Baseline Construction',
      'Topological Generations',
      'Vectorized Edges',
      'Sparse Adjacency',
      'ZSTD Compression',
      'Optimized Row Groups',
      'Row Group Tuning',
      'Block Sparse Masks',
      'Time Bias Caching',
      'Avg Session Time',
      'Memory Peak',
      'Parity Precision',
      'Throughput',
    ])
      assert.ok(md.includes(row), row);
    assert.ok(!/NaN|undefined/.test(md), 'no NaN/undefined in the report');
  });

  test('the regression table compares with a previous run', () => {
    const again = {
      ...result,
      regression: {
        baselineFile: 'prev.json',
        baselineCreatedAt: result.createdAt,
        configDiffers: configDifferences(result, result),
        provenance: provenanceDifferences(result, result),
        rows: compareRuns(result, result),
      },
    };
    const text = renderMarkdown(again);
    assert.match(text, /Previous: `prev\.json`/);
    assert.doesNotMatch(text, /configured differently/);
    const bigger = { ...result, config: { ...result.config, sessions: 120 } };
    assert.deepEqual(configDifferences(bigger, result), ['sessions 120 → 4']);
    // A cell holding "|Δlift|" must not split its table row.
    const motifRow = text.split('\n').find((l) => l.startsWith('| Motif \\|Δlift\\|'));
    assert.ok(motifRow, 'escaped motif row');
    assert.equal(motifRow.split(/(?<!\\)\|/).length - 2, 5, 'five cells');
    assert.equal(
      again.regression.rows.filter((r) => r.status === 'same').length,
      again.regression.rows.filter((r) => r.previous !== null).length,
    );
  });
});

describe('canary CLI usage errors', () => {
  test('a bad env flag is a usage error naming the variable (exit 2), before any work', async () => {
    process.env.IRONFORGE_ENABLE_AMP = 'perhaps';
    try {
      await assert.rejects(
        runCli(['--sessions', '4', '--sample', sampleDir, '--out', join(dir, 'bad')]),
        (e: unknown) => e instanceof UsageError && /IRONFORGE_ENABLE_AMP='perhaps'/.test(e.message),
      );
    } finally {
      delete process.env.IRONFORGE_ENABLE_AMP;
    }
  });

  test('a --baseline that is not a canary.json is a usage error', async () => {
    const bad = join(dir, 'not-canary.json');
    await writeFile(bad, '{"schema":"something-else"}');
    await assert.rejects(
      runCli(['--sessions', '4', '--sample', sampleDir, '--baseline', bad]),
      (e: unknown) => e instanceof UsageError && /schema must be/.test(e.message),
    );
  });

  test('bad numbers are rejected by the option parsers', async () => {
    await assert.rejects(runCli(['--sessions', '0']), /--sessions must be a positive integer/);
    await assert.rejects(runCli(['--lengths', '64,abc']), /--lengths must be/);
    await assert.rejects(runCli(['--motif-seeds', '1', '--sample', sampleDir]), /--motif-seeds must be ≥ 2/);
  });
});
