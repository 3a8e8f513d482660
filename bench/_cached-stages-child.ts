/**
 * The cached stages of a run alone, in their own process (bench/pipeline.ts --incremental … --stages-only): the
 * same calls `executeRun` makes — `loadRunInputs` (ingest per bar file), discovery through `cachedDiscover`
 * (serial) and `encodedShards` — with or without a stage cache, timed each. Prints one JSON line.
 * argv[2]: {bars, cacheDir | null, seed}.
 */
import {
  cachedDiscover,
  chooseEncoder,
  encodedShards,
  loadRunInputs,
  runCacheStages,
} from '../src/app/index.js';
import { discoverSessions } from '../src/discover/index.js';
import { StageCache } from '../src/store/index.js';

const cfg = JSON.parse(process.argv[2]) as { bars: string[]; cacheDir: string | null; seed: number };
const cache = cfg.cacheDir ? new StageCache(cfg.cacheDir) : null;
const stages = cache ? runCacheStages(cache, 'bench') : null;
const t0 = performance.now();
const { sessions } = await loadRunInputs(
  { inputs: [], bars: cfg.bars, barZone: 'America/New_York' },
  {},
  stages,
);
const t1 = performance.now();
const encoder = chooseEncoder(null, cfg.seed);
const discoverOpts = {
  kernel: 'auto' as const,
  seed: cfg.seed,
  weights: encoder.weights,
  inputScaler: encoder.inputScaler,
};
const compute = (s: Parameters<typeof discoverSessions>[0], o: Parameters<typeof discoverSessions>[1]) =>
  Promise.resolve(discoverSessions(s, o));
const discovered = stages
  ? await cachedDiscover(stages, compute, 16)(sessions, discoverOpts)
  : await compute(sessions, discoverOpts);
const t2 = performance.now();
const clock = { ms: 0 };
let shards = 0;
for await (const _ of encodedShards(sessions, stages, clock)) shards++;
const t3 = performance.now();
process.stdout.write(
  JSON.stringify({
    sessions: sessions.length,
    discovered: discovered.length,
    shards,
    timings: [
      { stage: 'ingest', ms: t1 - t0 },
      { stage: 'discover', ms: t2 - t1 },
    ],
    shardsMs: t3 - t2,
    cache: cache ? cache.stats : null,
    maxRssKiB: process.resourceUsage().maxRSS,
  }) + '\n',
);
