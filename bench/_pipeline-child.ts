/**
 * One configuration of bench/pipeline.ts, in its own process so that its peak RSS is its own: runs
 * `executeRun` (what `ironforge run` runs) with the RunConfig given as JSON in argv[2] and prints one JSON
 * line: wall time, peak RSS (process.resourceUsage().maxRSS, KiB), the manifest's per-stage timings, the time
 * to produce the shards and write the run folder, and what the stage cache did.
 */
import { executeRun, resolveRunConfig, type RunConfig } from '../src/app/index.js';

const cfg = resolveRunConfig(JSON.parse(process.argv[2]) as Partial<RunConfig>);
const t0 = performance.now();
const report = await executeRun(cfg);
const wallMs = performance.now() - t0;
process.stdout.write(
  JSON.stringify({
    wallMs,
    maxRssKiB: process.resourceUsage().maxRSS,
    sessions: report.sessions.length,
    events: report.result.embeddings.n,
    timings: report.manifest.timings,
    shardsMs: report.output.shardsMs,
    writeMs: report.output.writeMs,
    cache: report.cache,
  }) + '\n',
);
