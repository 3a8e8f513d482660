/**
 * The canary run: load and calibrate on the real sample, generate the corpus, measure (kernels, DAG builders,
 * Parquet configurations per L; the per-session pipeline with the enabled and baseline configurations;
 * memory; parity; motif stability), evaluate the gates and assemble canary.json. Writing the files is
 * `writeCanaryOutputs`. Everything is single-threaded and seeded; only the timings vary between runs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeFeatures } from '../features/index.js';
import { DAG_BUILDERS, buildDag, type DagBuilderName } from '../graph/index.js';
import { DEFAULT_DAG_CONFIG, type Dag } from '../graph/index.js';
import { readSessions } from '../store/index.js';
import { writeFileAtomic } from '../io/index.js';
import { encodeParquet, readParquet } from '../io/index.js';
import { assessComponents } from './assess.js';
import {
  FLASH_CONDITIONAL_MAX_L,
  enabledCompression,
  enabledDagBuilder,
  enabledKernel,
  parseFlags,
} from './flags.js';
import { calibrate, compareStats, sessionStats } from './generator.js';
import {
  coefficientOfVariation,
  evaluateGates,
  exitCodeFor,
  thresholdsFor,
  verdict,
  type Figure,
} from './gates.js';
import {
  LiveMemoryProbe,
  machineInfo,
  median,
  processPeakRssBytes,
  ramLimitBytes,
  timeInterleaved,
  timeItAsync,
  type TimingStat,
} from './measure.js';
import { STRICT_MOTIF_SEEDS, measureMotifStability } from './motif-stability.js';
import { PIPELINE_STAGES, nodeTable, runPipeline, sessionColumns, type PipelineConfig } from './pipeline.js';
import { compareRuns, configDifferences, readBaseline } from './regression.js';
import { regimeFloor } from './regime.js';
import { renderMarkdown } from './report-md.js';
import {
  JIT_WARMUP_ROUNDS,
  BENCH_LENGTHS,
  SCALE_CATEGORIES,
  SEED_STREAM,
  benchSession,
  syntheticCorpus,
  type CategoryId,
  type CorpusSession,
} from './scale.js';
import { createTgatRunner } from './tgat-adapter.js';
import {
  CANARY_SCHEMA,
  type CanaryResult,
  type CategoryFigures,
  type Chart,
  type KernelRow,
  type MotifStabilityFigures,
  type ParquetRow,
  type PerLRow,
  type PipelineStage,
} from './types.js';
import { deriveSeed } from '../stats/index.js';

/** Measurement effort of a mode. */
export interface CanaryPreset {
  /** Timed calls per configuration in the per-L tables, after `warmup` discarded calls. */
  trials: number;
  warmup: number;
  /** Timed pipeline runs per session and configuration (after one warm-up pass). */
  pipelineTrials: number;
  /** Null replicates per motif-mining run. */
  nulls: number;
  /** Null seeds for motif stability (a prefix of STRICT_MOTIF_SEEDS). */
  motifSeeds: number;
  /** Bootstrap replicates of each mining run (the CI is not used by the gate). */
  bootstrap: number;
}

/** Sized so that the default run takes a few minutes on 2 cores; strict follows the original's strict preset. */
export const PRESETS: Record<'standard' | 'strict', CanaryPreset> = {
  standard: { trials: 5, warmup: 2, pipelineTrials: 3, nulls: 1000, motifSeeds: 3, bootstrap: 100 },
  strict: { trials: 10, warmup: 3, pipelineTrials: 5, nulls: 10_000, motifSeeds: 10, bootstrap: 100 },
};

export interface CanaryOptions {
  sessions: number;
  strict: boolean;
  seed: number;
  /** Previous canary.json for the regression table. */
  baselineFile: string | null;
  /** Directory of real session JSON (default: the bundled sample). */
  sampleDir?: string;
  /** Environment to read the flags from (default process.env). */
  env?: Record<string, string | undefined>;
  /** Overrides of the preset. */
  preset?: Partial<CanaryPreset>;
  /** Benchmark lengths (default 128/256/512/1024). */
  lengths?: number[];
  motifSizes?: number[];
  motifRankBy?: 'lift' | 'count' | 'z';
  motifTopK?: number;
  /** Phase start and per-phase progress (for a progress bar). */
  onPhase?: (name: string, total: number) => void;
  onProgress?: (done: number) => void;
  /** Clock for createdAt (tests). */
  now?: () => Date;
}

/** The package root (holds package.json), found from this module's location (src/ or dist/src/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'data'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

export const DEFAULT_SAMPLE_DIR = 'data/sample/enhanced';

function readVersion(root: string, pkg: string | null): string | null {
  try {
    const p = pkg ? join(root, 'node_modules', pkg, 'package.json') : join(root, 'package.json');
    return (JSON.parse(readFileSync(p, 'utf8')) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

function versions(root: string): Record<string, string> {
  const out: Record<string, string> = {
    ironforge: readVersion(root, null) ?? 'unknown',
    node: process.versions.node,
    v8: process.versions.v8,
  };
  for (const p of ['parquet-wasm', 'apache-arrow', 'commander', 'pure-rand']) {
    const v = readVersion(root, p);
    if (v) out[p] = v;
  }
  return out;
}

function gitInfo(cwd: string): { branch: string | null; commit: string | null } {
  const git = (args: string[]) => {
    try {
      return (
        execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 })
          .toString()
          .trim() || null
      );
    } catch {
      return null;
    }
  };
  return { branch: git(['rev-parse', '--abbrev-ref', 'HEAD']), commit: git(['rev-parse', 'HEAD']) };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`parity: output lengths differ (${a.length} vs ${b.length})`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

function sameDag(a: Dag, b: Dag): boolean {
  const eq = (x: ArrayLike<number>, y: ArrayLike<number>) =>
    x.length === y.length && Array.prototype.every.call(x, (v: number, i: number) => v === y[i]);
  return (
    a.n === b.n &&
    eq(a.src, b.src) &&
    eq(a.dst, b.dst) &&
    eq(a.rowPtr, b.rowPtr) &&
    eq(a.weight, b.weight) &&
    eq(a.dtMinutes, b.dtMinutes)
  );
}

function speedups(row: (TimingStat | null)[], base: (TimingStat | null)[]) {
  return {
    speedupMedian: row.map((t, i) => (t && base[i] ? (base[i] as TimingStat).medianMs / t.medianMs : null)),
    speedupMin: row.map((t, i) => (t && base[i] ? (base[i] as TimingStat).minMs / t.minMs : null)),
  };
}

function chart(title: string, y: string, L: number[], rows: PerLRow[]): Chart {
  return {
    title,
    x: 'L (events)',
    y,
    logY: true,
    L,
    series: rows.map((r) => ({
      name: r.name,
      label: r.label,
      median: r.timing.map((t) => t?.medianMs ?? null),
      min: r.timing.map((t) => t?.minMs ?? null),
    })),
  };
}

const KERNEL_LABEL: Record<string, string> = {
  reference: 'Reference (float64)',
  baseline: 'Baseline',
  flash: 'Flash Attention',
  'block-sparse': 'Block Sparse',
  'time-bias-cache': 'Time Bias Cache',
  half: 'AMP (half)',
  auto: 'Auto',
};

/** Row group size of the "Optimized Row Groups" Parquet configuration (the tables hold ≤ 1024 rows). */
export const TUNED_ROW_GROUP = 128;

const PARQUET_CONFIGS = [
  { name: 'none', label: 'Baseline (uncompressed)', compression: 'none' as const, rowGroupSize: null },
  { name: 'zstd', label: 'ZSTD Compression', compression: 'zstd' as const, rowGroupSize: null },
  {
    name: 'zstd-rowgroups',
    label: `Optimized Row Groups (ZSTD, ${TUNED_ROW_GROUP}-row groups)`,
    compression: 'zstd' as const,
    rowGroupSize: TUNED_ROW_GROUP,
  },
];

/** Runs the whole canary and returns canary.json's content. Throws on bad flags or unreadable input. */
export async function runCanary(opts: CanaryOptions): Promise<CanaryResult> {
  const tStart = performance.now();
  const loadAvgStart = os.loadavg();
  const phases: { name: string; seconds: number }[] = [];
  let phaseName = '';
  let phaseT0 = tStart;
  const phase = (name: string, total = 0) => {
    const now = performance.now();
    if (phaseName) phases.push({ name: phaseName, seconds: (now - phaseT0) / 1000 });
    phaseName = name;
    phaseT0 = now;
    if (name) opts.onPhase?.(name, total);
  };
  const tick = (done: number) => opts.onProgress?.(done);
  const notes: string[] = [];
  const mode = opts.strict ? 'strict' : 'standard';
  const preset: CanaryPreset = { ...PRESETS[mode], ...opts.preset };
  const { flags, source: flagSource } = parseFlags(opts.env ?? process.env);
  const thresholds = thresholdsFor(opts.strict);
  const root = packageRoot();
  const sampleDir = resolve(opts.sampleDir ?? join(root, DEFAULT_SAMPLE_DIR));
  const L = [...(opts.lengths ?? BENCH_LENGTHS)];
  const seed = opts.seed;
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${seed}`);
  const baselinePrev = opts.baselineFile ? await readBaseline(opts.baselineFile) : null;

  // 1. Real sample, calibration, corpus.
  phase('load + calibrate');
  const ingest = await readSessions([sampleDir]);
  const real = ingest.sessions;
  if (real.length === 0)
    throw new Error(
      `no sessions could be read from ${sampleDir}${ingest.failures[0] ? `: ${ingest.failures[0].error}` : ''}`,
    );
  if (ingest.failures.length)
    notes.push(
      `${ingest.failures.length} sample file(s) could not be read: ${ingest.failures.map((f) => f.file).join(', ')}`,
    );
  const cal = calibrate(real);
  const synthetic = syntheticCorpus(cal, opts.sessions, seed);
  const check = compareStats(sessionStats(real), sessionStats(synthetic.map((c) => c.session)));
  const corpus: CorpusSession[] = [
    ...synthetic,
    ...real.map((session) => ({ session, category: 'real' as const })),
  ];

  const tgat = createTgatRunner(deriveSeed(seed, SEED_STREAM.weights));
  const kernelNames = [...tgat.kernelNames];
  const benchSessions = L.map((l) => benchSession(cal, l, seed));
  const timing = { warmup: preset.warmup, trials: preset.trials };
  // The first L of each table also pays for JIT compilation of the code under test (measured: the Parquet
  // encoder's first calls are ~10× slower), so it gets JIT_WARMUP_ROUNDS more discarded rounds.
  const timingAt = (i: number) =>
    i === 0 ? { ...timing, warmup: timing.warmup + JIT_WARMUP_ROUNDS } : timing;

  // 2. Attention kernels per L, parity against reference.
  phase('attention kernels', L.length * kernelNames.length);
  const kTiming: Record<string, (TimingStat | null)[]> = {};
  const kParity: Record<string, (number | null)[]> = {};
  const kWorkspace: Record<string, (number | null)[]> = {};
  const kResolved: Record<string, (string | null)[]> = {};
  for (const k of kernelNames) {
    kTiming[k] = L.map(() => null);
    kParity[k] = L.map(() => null);
    kWorkspace[k] = L.map(() => null);
    kResolved[k] = L.map(() => null);
  }
  let done = 0;
  L.forEach((l, i) => {
    const s = benchSessions[i];
    const feats = nodeFeatures(s);
    const cols = sessionColumns(s);
    const dag = buildDag(cols);
    const ref = tgat.encode('reference', feats.data, feats.n, feats.d, cols.t, dag);
    const runs = timeInterleaved(
      kernelNames.map((k) => () => tgat.encode(k, feats.data, feats.n, feats.d, cols.t, dag)),
      timingAt(i),
    );
    kernelNames.forEach((k, j) => {
      kTiming[k][i] = runs[j].stat;
      kParity[k][i] = maxAbsDiff(runs[j].result.embeddings, ref.embeddings);
      kWorkspace[k][i] = tgat.workspaceBytes(k, feats.n, cols.t, dag);
      kResolved[k][i] = runs[j].result.kernel;
      tick(++done);
    });
  });
  const kernelRows: KernelRow[] = kernelNames.map((k) => ({
    name: k,
    label: KERNEL_LABEL[k] ?? k,
    timing: kTiming[k],
    ...speedups(kTiming[k], kTiming.baseline ?? kTiming[k]),
    parity: kParity[k],
    workspaceBytes: kWorkspace[k],
    ...(k === 'auto' ? { resolvedTo: kResolved[k] } : {}),
  }));

  // The enabled configuration's kernel: what the TGAT stage itself picks from the flags for n events.
  const kernelFor = (n: number): string => enabledKernel(flags, n);
  const gatedKernels = [
    ...new Set(['baseline', ...L.flatMap((l) => [kernelFor(l - 1), kernelFor(l)])]),
  ].filter((k) => kernelNames.includes(k));

  // 3. DAG builders per L.
  phase('DAG builders', L.length * DAG_BUILDERS.length);
  done = 0;
  const dTiming: Record<string, (TimingStat | null)[]> = Object.fromEntries(
    DAG_BUILDERS.map((b) => [b, L.map(() => null)]),
  );
  let dagIdentical = true;
  L.forEach((_, i) => {
    const cols = sessionColumns(benchSessions[i]);
    const ref = buildDag(cols, DEFAULT_DAG_CONFIG, 'baseline');
    const runs = timeInterleaved(
      DAG_BUILDERS.map((b) => () => buildDag(cols, DEFAULT_DAG_CONFIG, b)),
      timingAt(i),
    );
    DAG_BUILDERS.forEach((b, j) => {
      dTiming[b][i] = runs[j].stat;
      if (!sameDag(runs[j].result, ref)) dagIdentical = false;
      tick(++done);
    });
  });
  const dagLabels: Record<DagBuilderName, string> = {
    baseline: 'Baseline (pairwise scan)',
    topo: 'Topological generations',
    vectorized: 'Vectorized (two pointers)',
    sparse: 'Sparse CSR',
  };
  const dagRows: PerLRow[] = DAG_BUILDERS.map((b) => ({
    name: b,
    label: dagLabels[b],
    timing: dTiming[b],
    ...speedups(dTiming[b], dTiming.baseline),
  }));
  if (!dagIdentical)
    notes.push('DAG builders did NOT produce identical edge arrays on the benchmark sessions.');

  // 4. Parquet configurations per L (nodes table with features, written to a temp dir and read back).
  phase('Parquet', L.length * PARQUET_CONFIGS.length);
  done = 0;
  const tmp = await mkdtemp(join(os.tmpdir(), 'ironforge-canary-'));
  const parquetRows: ParquetRow[] = PARQUET_CONFIGS.map((c) => ({
    name: c.name,
    label: c.label,
    compression: c.compression,
    rowGroupSize: c.rowGroupSize,
    timing: L.map(() => null),
    speedupMedian: [],
    speedupMin: [],
    bytes: L.map(() => null),
    writeTiming: L.map(() => null),
    readTiming: L.map(() => null),
  }));
  try {
    for (let i = 0; i < L.length; i++) {
      const s = benchSessions[i];
      const feats = nodeFeatures(s);
      const table = nodeTable(sessionColumns(s), feats.data, feats.d);
      const popts = PARQUET_CONFIGS.map((c) => ({
        compression: c.compression,
        ...(c.rowGroupSize ? { rowGroupSize: c.rowGroupSize } : {}),
      }));
      const encoded = timeInterleaved(
        popts.map((o) => () => encodeParquet(table, o)),
        timingAt(i),
      );
      for (const [j, c] of PARQUET_CONFIGS.entries()) {
        const file = join(tmp, `L${L[i]}-${c.name}.parquet`);
        const bytes = encoded[j].result;
        parquetRows[j].timing[i] = encoded[j].stat;
        parquetRows[j].bytes[i] = bytes.length;
        parquetRows[j].writeTiming[i] = (await timeItAsync(() => writeFileAtomic(file, bytes), timing)).stat;
        if ((await stat(file)).size !== bytes.length)
          throw new Error(`Parquet bench: ${file} has the wrong size`);
        parquetRows[j].readTiming[i] = (await timeItAsync(() => readParquet(file), timing)).stat;
        tick(++done);
      }
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  for (const row of parquetRows) Object.assign(row, speedups(row.timing, parquetRows[0].timing));

  // 5. The per-session pipeline, enabled vs baseline configuration.
  const enabledCfg: PipelineConfig = {
    kernelFor,
    dagBuilder: enabledDagBuilder(flags),
    compression: enabledCompression(flags),
  };
  const baselineCfg: PipelineConfig = {
    kernelFor: () => 'baseline',
    dagBuilder: 'baseline',
    compression: 'none',
  };
  phase('pipeline', corpus.length * preset.pipelineTrials);
  done = 0;
  const nS = corpus.length;
  const nStages = PIPELINE_STAGES.length;
  const times = {
    enabled: new Float64Array(nS * preset.pipelineTrials),
    baseline: new Float64Array(nS * preset.pipelineTrials),
  };
  const stages = {
    enabled: new Float64Array(nS * preset.pipelineTrials * nStages),
    baseline: new Float64Array(nS * preset.pipelineTrials * nStages),
  };
  const kernelUse = new Map<string, Map<string, number>>();
  // Warm-up: one pass over the first session of every category with both configurations.
  const seen = new Set<string>();
  for (const c of corpus) {
    if (seen.has(c.category)) continue;
    seen.add(c.category);
    runPipeline(c.session, baselineCfg, tgat);
    runPipeline(c.session, enabledCfg, tgat);
  }
  for (let tr = 0; tr < preset.pipelineTrials; tr++) {
    for (let si = 0; si < nS; si++) {
      const s = corpus[si].session;
      // Alternate the order so neither configuration always runs on a warmer cache.
      const order =
        (tr + si) % 2 === 0 ? (['baseline', 'enabled'] as const) : (['enabled', 'baseline'] as const);
      for (const which of order) {
        const run = runPipeline(s, which === 'enabled' ? enabledCfg : baselineCfg, tgat);
        const slot = si * preset.pipelineTrials + tr;
        times[which][slot] = run.totalMs;
        stages[which].set(run.stageMs, slot * nStages);
        if (which === 'enabled' && tr === 0) {
          const cat = corpus[si].category;
          const m = kernelUse.get(cat) ?? new Map<string, number>();
          m.set(run.kernel, (m.get(run.kernel) ?? 0) + 1);
          kernelUse.set(cat, m);
        }
      }
      tick(++done);
    }
  }
  const perSession = (which: 'enabled' | 'baseline', si: number) => {
    const xs = Array.from(
      times[which].subarray(si * preset.pipelineTrials, (si + 1) * preset.pipelineTrials),
    );
    return { median: median(xs), min: Math.min(...xs) };
  };
  const stageMedian = (which: 'enabled' | 'baseline', si: number, st: number) => {
    const xs: number[] = [];
    for (let tr = 0; tr < preset.pipelineTrials; tr++)
      xs.push(stages[which][(si * preset.pipelineTrials + tr) * nStages + st]);
    return median(xs);
  };
  const categoryDefs: { id: CategoryId | 'real'; label: string; range: string }[] = [
    ...SCALE_CATEGORIES.map((c) => ({ id: c.id, label: c.label, range: `${c.minEvents}-${c.maxEvents}` })),
    (() => {
      const ns = real.map((s) => s.events.length);
      return {
        id: 'real' as const,
        label: 'Real Sample Sessions',
        range: `${Math.min(...ns)}-${Math.max(...ns)}`,
      };
    })(),
  ];
  const categories: CategoryFigures[] = [];
  for (const def of categoryDefs) {
    const idx = corpus.map((c, i) => (c.category === def.id ? i : -1)).filter((i) => i >= 0);
    if (idx.length === 0) continue;
    let b = 0;
    let e = 0;
    let bMin = 0;
    let eMin = 0;
    let events = 0;
    const eSt = Object.fromEntries(PIPELINE_STAGES.map((s) => [s, 0])) as Record<PipelineStage, number>;
    const bSt = { ...eSt };
    for (const si of idx) {
      const pb = perSession('baseline', si);
      const pe = perSession('enabled', si);
      b += pb.median;
      e += pe.median;
      bMin += pb.min;
      eMin += pe.min;
      events += corpus[si].session.events.length;
      PIPELINE_STAGES.forEach((st, k) => {
        eSt[st] += stageMedian('enabled', si, k);
        bSt[st] += stageMedian('baseline', si, k);
      });
    }
    categories.push({
      ...def,
      count: idx.length,
      events,
      baselineMs: b,
      enabledMs: e,
      speedup: b / e,
      speedupMin: bMin / eMin,
      enabledStageMs: eSt,
      baselineStageMs: bSt,
    });
  }
  const totB = categories.reduce((a, c) => a + c.baselineMs, 0);
  const totE = categories.reduce((a, c) => a + c.enabledMs, 0);
  let totBMin = 0;
  let totEMin = 0;
  for (let si = 0; si < nS; si++) {
    totBMin += perSession('baseline', si).min;
    totEMin += perSession('enabled', si).min;
  }
  const sizeCats = categories.filter((c) => c.id !== 'real');

  // 6. Memory: live bytes per L (enabled pipeline on the L-event session, outputs held), process peak RSS.
  phase('memory', L.length);
  const probe = new LiveMemoryProbe();
  const memByL = L.map((l, i) => {
    probe.start();
    const run = runPipeline(benchSessions[i], enabledCfg, tgat, () => probe.sample());
    void run.held;
    tick(i + 1);
    return { L: l, peakLiveBytes: probe.peakBytes() };
  });
  if (!probe.gcForced)
    notes.push('A forced GC was not available: live-memory figures may include garbage from earlier work.');

  // 7. Motif stability.
  let motifs: MotifStabilityFigures | { notMeasured: string };
  let motifFigure: Figure;
  const motifKernels = kernelNames.filter((k) => k !== 'auto');
  const seeds = (opts.strict ? [...STRICT_MOTIF_SEEDS] : STRICT_MOTIF_SEEDS.slice(0, preset.motifSeeds)).map(
    (x, i) => (i === 0 ? seed : x),
  );
  if (opts.strict && !flags.monitorMotifStability)
    notes.push('--strict measures motif stability even with IRONFORGE_MONITOR_MOTIF_STABILITY=false.');
  if (!flags.monitorMotifStability && !opts.strict) {
    motifs = { notMeasured: 'IRONFORGE_MONITOR_MOTIF_STABILITY=false' };
    motifFigure = { skipped: 'IRONFORGE_MONITOR_MOTIF_STABILITY=false' };
  } else {
    phase('motif stability', motifKernels.length + seeds.length - 1);
    try {
      const m = measureMotifStability(real, tgat, {
        kernels: motifKernels,
        gatedKernels: gatedKernels.filter((k) => motifKernels.includes(k)),
        seeds: [...new Set(seeds)],
        nulls: preset.nulls,
        sizes: opts.motifSizes ?? [3],
        topK: opts.motifTopK ?? 10,
        rankBy: opts.motifRankBy ?? 'count',
        alertThreshold: flags.motifVarianceAlertThreshold,
        bootstrap: preset.bootstrap,
        onProgress: (d) => tick(d),
      });
      motifs = m;
      motifFigure = { value: m.deltaLift };
    } catch (e) {
      const msg = (e as Error).message;
      motifs = { notMeasured: msg };
      motifFigure = { error: msg };
    }
  }
  phase('');

  // 8. Gates and the rest of the result.
  const parityByKernel = kernelNames
    .filter((k) => k !== 'reference')
    .map((k) => {
      const ps = kParity[k];
      let worst = 0;
      ps.forEach((p, i) => {
        if (p !== null && p > (ps[worst] ?? -1)) worst = i;
      });
      return {
        kernel: k,
        maxAbs: Math.max(...ps.map((p) => p ?? Infinity)),
        worstL: L[worst],
        gated: gatedKernels.includes(k),
      };
    });
  const gatedMax = Math.max(0, ...parityByKernel.filter((p) => p.gated).map((p) => p.maxAbs));
  const ramBytes = ramLimitBytes();
  const peakRss = processPeakRssBytes();
  const cv = coefficientOfVariation(sizeCats.map((c) => c.speedup));
  const gates = evaluateGates(
    {
      overallSpeedup: { value: totB / totE },
      parityMaxAbs: { value: gatedMax },
      memoryShare: { value: peakRss / ramBytes },
      motifDeltaLift: motifFigure,
      regimeVariance: { value: cv },
    },
    thresholds,
  );
  const exitCode = exitCodeFor(gates);
  const readiness = assessComponents({
    L,
    kernels: kernelRows,
    dag: dagRows,
    parquet: parquetRows,
    parity: new Map(parityByKernel.map((p) => [p.kernel, p.maxAbs])),
    parityLimit: thresholds.maxParity,
  });
  const kernelByL = Object.fromEntries(L.map((l) => [String(l), kernelFor(l)]));
  for (const [cat, m] of kernelUse)
    notes.push(
      `Kernels used by the enabled configuration for ${cat}: ${[...m].map(([k, c]) => `${k} ×${c}`).join(', ')}.`,
    );
  const totalSeconds = (performance.now() - tStart) / 1000;
  const result: CanaryResult = {
    schema: CANARY_SCHEMA,
    createdAt: (opts.now?.() ?? new Date()).toISOString(),
    verdict: verdict(gates),
    exitCode,
    gates,
    thresholds,
    config: {
      mode,
      seed,
      sessions: synthetic.length,
      realSessions: real.length,
      trials: preset.trials,
      warmup: preset.warmup,
      pipelineTrials: preset.pipelineTrials,
      lengths: L,
      flags,
      flagSource,
      enabled: {
        kernelByL,
        kernelRule: `the TGAT stage's own choice from the flags (kernelFromEnv: half > time-bias-cache > block-sparse > flash > baseline; flash under "conditional" only for n < ${FLASH_CONDITIONAL_MAX_L})`,
        dagBuilder: enabledCfg.dagBuilder,
        compression: enabledCfg.compression,
      },
      baseline: { kernel: 'baseline', dagBuilder: 'baseline', compression: 'none' },
      sampleDir,
      baselineFile: opts.baselineFile,
    },
    machine: { ...machineInfo(), loadAvgStart, loadAvgEnd: os.loadavg() },
    versions: versions(root),
    git: gitInfo(root),
    calibration: {
      sampleSessions: cal.sessions,
      sampleEvents: cal.events,
      gapLogNormal: cal.gapLogNormal,
      check,
      ok: check.every((c) => c.ok),
    },
    pipeline: {
      definition:
        'per session: node features (n × 45) → DAG → TGAT forward (2 layers) → Parquet encode of the node table (features + embeddings) and the DAG edge table; ' +
        'time = median (and min) of the timed runs; category and overall speedup = Σ baseline time / Σ enabled time over the sessions.',
      categories,
      overall: {
        speedup: totB / totE,
        speedupMin: totBMin / totEMin,
        sessions: nS,
        baselineMs: totB,
        enabledMs: totE,
      },
      throughput: {
        enabledSessionsPerSecond: nS / (totE / 1000),
        baselineSessionsPerSecond: nS / (totB / 1000),
      },
      avgSessionMs: { enabled: totE / nS, baseline: totB / nS },
    },
    kernels: {
      L,
      rows: kernelRows,
      parityMethod:
        'max-abs difference of the final embeddings from the `reference` kernel (float64) on the same session, weights and DAG; per L and the worst over L. ' +
        'The gate covers the kernels the enabled configuration can use plus baseline.',
    },
    dag: { L, rows: dagRows, identical: dagIdentical },
    parquet: {
      L,
      rows: parquetRows,
      table: 'the node table of the L-event session (t, kind, price, 45 float32 feature columns)',
      method:
        'encode: encodeParquet in memory (what the compression and row-group settings change); write: writeFileAtomic of the encoded bytes (temp file, fsync, rename, directory fsync; dominated by the disk); read: readParquet of the written file (read + decode).',
    },
    memory: {
      method:
        'Gate: the process peak resident set (ru_maxrss via process.resourceUsage().maxRSS, whole run) divided by the RAM available to the process ' +
        '(os.totalmem, or the cgroup limit when lower). Per L: heapUsed + arrayBuffers sampled after a forced GC and after each pipeline stage of the enabled configuration on the L-event session, ' +
        'with the stage outputs held; peak minus start. This sees what the stages hold, not scratch freed inside a stage (a lower bound of the stage peak).',
      processPeakRssBytes: peakRss,
      ramBytes,
      shareOfRam: peakRss / ramBytes,
      byL: memByL,
      gcForced: probe.gcForced,
    },
    parity: { byKernel: parityByKernel, gatedMax },
    motifs,
    readiness,
    regime: {
      definition: 'coefficient of variation (population SD / mean) of the per-category pipeline speedups.',
      categories: categories.map((c) => ({ id: c.id, speedup: c.speedup })),
      cv,
      cvWithReal: coefficientOfVariation(categories.map((c) => c.speedup)),
      floor: regimeFloor(sizeCats),
    },
    regression: null,
    charts: {
      attention: chart(
        'TGAT attention: time per forward pass vs L',
        'ms per forward pass (median)',
        L,
        kernelRows,
      ),
      dag: chart('DAG construction: time per build vs L', 'ms per DAG build (median)', L, dagRows),
      parquet: chart('Parquet: time to encode the node table vs L', 'ms per encode (median)', L, parquetRows),
    },
    phases,
    totalSeconds,
    notes,
  };
  if (baselinePrev && opts.baselineFile) {
    result.regression = {
      baselineFile: opts.baselineFile,
      baselineCreatedAt: baselinePrev.createdAt ?? null,
      configDiffers: configDifferences(baselinePrev, result),
      rows: compareRuns(baselinePrev, result),
    };
  }
  return result;
}

/** Writes canary.json and canary.md into `outDir` (atomically); returns their paths. */
export async function writeCanaryOutputs(
  result: CanaryResult,
  outDir: string,
): Promise<{ json: string; md: string }> {
  const json = join(outDir, 'canary.json');
  const md = join(outDir, 'canary.md');
  await writeFileAtomic(json, JSON.stringify(result, null, 2) + '\n');
  await writeFileAtomic(md, renderMarkdown(result));
  return { json, md };
}
