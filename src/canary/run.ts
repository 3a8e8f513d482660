/**
 * The canary run, as its list of phases (each in phases/): prepare (settings, previous run, corpus and
 * calibration, bench inputs) → attention kernels per L → DAG builders per L → Parquet per L → pipeline
 * throughput → memory → motif stability → gates and readiness → canary.json's content. Writing the files is
 * the caller's (`writeCanaryOutputs` in store/, into the directory the caller chooses). Everything is
 * single-threaded and seeded; only the timings vary between runs.
 */
import os from 'node:os';
import { DAG_BUILDERS } from '../graph/index.js';
import type { CanaryOptions } from './options.js';
import { assembleResult, regressionAgainst } from './phases/assemble.js';
import { measureDagBuilders } from './phases/dag.js';
import { gatedKernels, measureKernels } from './phases/kernels.js';
import { measureMemory } from './phases/memory.js';
import { planMotifStability, runMotifStability } from './phases/motifs.js';
import { measureParquet, PARQUET_CONFIGS } from './phases/parquet.js';
import { loadCorpus, prepareBench, readPreviousRun, resolveSettings } from './phases/prepare.js';
import { PhaseTimer } from './phases/progress.js';
import { kernelUseNotes, measureThroughput, pipelineConfigs } from './phases/throughput.js';
import { evaluateRun } from './phases/verdict.js';
import type { CanaryResult } from './types.js';

export { PRESETS, DEFAULT_SAMPLE_DIR, type CanaryOptions, type CanaryPreset } from './options.js';
export { TUNED_ROW_GROUP } from './phases/parquet.js';

/** Runs the whole canary and returns canary.json's content. Throws on bad flags or unreadable input. */
export async function runCanary(opts: CanaryOptions): Promise<CanaryResult> {
  const tStart = performance.now();
  const loadAvgStart = os.loadavg();
  const timer = new PhaseTimer(opts, tStart);
  const notes: string[] = [];

  // 1. Prepare: settings, the previous run, the corpus and its calibration, the bench inputs.
  const settings = resolveSettings(opts);
  const previous = await readPreviousRun(settings.baselineFile);
  timer.start('load + calibrate');
  const corpus = await loadCorpus(settings, notes);
  const bench = prepareBench(settings, corpus.cal);
  const { L, kernelNames } = bench;

  // 2–4. The per-L tables: attention kernels (with parity), DAG builders, Parquet configurations.
  timer.start('attention kernels', L.length * kernelNames.length);
  const kernels = measureKernels(bench, timer.tick);
  const gated = gatedKernels(settings.flags, L, kernelNames);
  timer.start('DAG builders', L.length * DAG_BUILDERS.length);
  const dag = measureDagBuilders(bench, timer.tick);
  if (!dag.identical)
    notes.push('DAG builders did NOT produce identical edge arrays on the benchmark sessions.');
  timer.start('Parquet', L.length * PARQUET_CONFIGS.length);
  const parquet = await measureParquet(bench, timer.tick);

  // 5. The per-session pipeline over the corpus, enabled vs baseline configuration.
  const configs = pipelineConfigs(settings.flags, parquet, L);
  const trials = settings.preset.pipelineTrials;
  timer.start('pipeline', corpus.corpus.length * trials);
  const throughput = measureThroughput(corpus.corpus, corpus.real, configs, bench.tgat, trials, timer.tick);

  // 6. Memory per L.
  timer.start('memory', L.length);
  const memory = measureMemory(bench, configs.enabled, timer.tick);
  if (!memory.gcForced)
    notes.push('A forced GC was not available: live-memory figures may include garbage from earlier work.');

  // 7. Motif stability (when the flag or --strict asks for it).
  const motifPlan = planMotifStability(settings, kernelNames, gated, notes);
  if (!('skipped' in motifPlan)) timer.start('motif stability', motifPlan.total);
  const motifs = runMotifStability(motifPlan, corpus.real, bench.tgat, settings, timer.tick);
  timer.end();

  // 8. Gates, readiness, and the result.
  const verdict = evaluateRun({
    L,
    kernelNames,
    kernels: kernels.rows,
    parity: kernels.parity,
    gatedKernels: gated,
    dag: dag.rows,
    parquet,
    throughput,
    motifFigures: motifs.figures,
    thresholds: settings.thresholds,
  });
  notes.push(...kernelUseNotes(throughput.kernelUse));
  const result = assembleResult({
    settings,
    createdAt: (opts.now?.() ?? new Date()).toISOString(),
    loadAvgStart,
    corpus,
    kernels,
    dag,
    parquet,
    configs,
    throughput,
    memory,
    motifs,
    verdict,
    phases: timer.phases,
    totalSeconds: (performance.now() - tStart) / 1000,
    notes,
  });
  if (previous && settings.baselineFile)
    result.regression = regressionAgainst(previous, settings.baselineFile, result);
  return result;
}
