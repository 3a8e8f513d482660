/**
 * Phase 6, memory: live bytes per L (the enabled pipeline on the L-event bench session, stage outputs held,
 * sampled after each stage). The process peak RSS is read by the gates.
 */
import { LiveMemoryProbe } from '../measure.js';
import { runPipeline, type PipelineConfig } from '../pipeline.js';
import type { Bench } from './prepare.js';
import type { Tick } from './progress.js';

export interface MemoryFigures {
  byL: { L: number; peakLiveBytes: number }[];
  /** Whether a forced GC was available (without one the figures may include earlier garbage). */
  gcForced: boolean;
}

export function measureMemory(bench: Bench, enabled: PipelineConfig, tick: Tick): MemoryFigures {
  const probe = new LiveMemoryProbe();
  const byL = bench.L.map((l, i) => {
    probe.start();
    const run = runPipeline(bench.sessions[i], enabled, bench.tgat, () => probe.sample());
    void run.held;
    tick(i + 1);
    return { L: l, peakLiveBytes: probe.peakBytes() };
  });
  return { byL, gcForced: probe.gcForced };
}
