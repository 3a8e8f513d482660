/**
 * `RunConfig`: everything `ironforge run` can be told, with every default taken from core/defaults.ts. The CLI
 * parses flags into a partial config once; `resolveRunConfig` fills the defaults and checks every value, so a
 * library caller gets the same defaults and the same errors as the command line.
 */
import {
  DEFAULT_BAR_ZONE,
  DEFAULT_KERNEL,
  DEFAULT_MOTIF_SIZES,
  DEFAULT_NULL_MODEL,
  DEFAULT_NULLS,
  DEFAULT_RUNS_DIR,
  DEFAULT_SEED,
  SEED_MAX,
  SEED_MIN,
  UsageError,
  usageError,
} from '../core/index.js';
import { resolveZoneName } from '../detect/index.js';
import { MOTIF_CONTROLS, NULL_MODELS, type MotifControl, type NullModelOption } from '../motifs/index.js';
import { DEFAULT_RUN_CONTROLS } from './run.js';
import { defaultWorkers, parseRedisAddress } from '../scale/index.js';
import { parseKernelName, type KernelName } from '../tgat/index.js';

export interface RunConfig {
  /** Session files or folders; empty means the bundled sample (unless `bars` are given). */
  inputs: string[];
  /** OHLCV bar files whose causally detected sessions join the run. */
  bars: string[];
  /** Time zone of bar timestamps without an offset. */
  barZone: string;
  /** The runs directory; the run is written to `<runsDir>/<runId>`. */
  runsDir: string;
  /** Run folder name; null = the date the run starts (YYYY-MM-DD). */
  runId: string | null;
  seed: number;
  kernel: KernelName;
  /** Trained TGAT weights; null = the shipped weights (data/weights), else seeded weights from `seed`. */
  weightsFile: string | null;
  /**
   * What the patterns cluster: 'auto' = the embeddings when the encoder's recorded test result beat the best
   * baseline, else the causal hand features (the manifest says which and why).
   */
  patternFeatures: 'auto' | 'embeddings' | 'hand';
  motifSizes: number[];
  nulls: number;
  nullModel: NullModelOption;
  /** First holdout date of the validation; null = half of the sessions by date. */
  splitDate: string | null;
  /** canary.json for the dashboard; null = `<runsDir>/canary/canary.json` when present. */
  canaryFile: string | null;
  /** Worker threads for discovery and motif nulls (1 = this thread). */
  workers: number;
  /** `host:port` of Redis for distributed mode; null = local. */
  redis: string | null;
  /** Replace an existing run folder. */
  force: boolean;
  /** Negative controls mined beside the real data (their PROMOTE counts go into reports/validation.json). */
  controls: MotifControl[];
  /**
   * Reuse per-session work of earlier runs (ingest, discovery, shards) from the stage cache (README
   * "Incremental runs"); false = `--no-cache`: compute everything, read and write no cache.
   */
  cache: boolean;
  /** The stage cache's folder; null = `<runsDir>/.cache`. */
  cacheDir: string | null;
}

/** The defaults of a run (the number of workers is this machine's core count). */
export function defaultRunConfig(): RunConfig {
  return {
    inputs: [],
    bars: [],
    barZone: DEFAULT_BAR_ZONE,
    runsDir: DEFAULT_RUNS_DIR,
    runId: null,
    seed: DEFAULT_SEED,
    kernel: DEFAULT_KERNEL,
    weightsFile: null,
    patternFeatures: 'auto',
    motifSizes: [...DEFAULT_MOTIF_SIZES],
    nulls: DEFAULT_NULLS,
    nullModel: DEFAULT_NULL_MODEL,
    splitDate: null,
    canaryFile: null,
    workers: defaultWorkers(),
    redis: null,
    force: false,
    controls: [...DEFAULT_RUN_CONTROLS],
    cache: true,
    cacheDir: null,
  };
}

/** Parses a seed: an integer in the signed 32-bit range (the one rule behind every `--seed`). */
export function parseSeed(value: unknown, flag = '--seed'): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (typeof value === 'string' && value.trim() === '')
    throw new UsageError(`${flag} must be a 32-bit integer; got ""`);
  if (!Number.isInteger(n) || n < SEED_MIN || n > SEED_MAX)
    throw new UsageError(`${flag} must be a 32-bit integer; got "${String(value)}"`);
  return n;
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1)
    throw new UsageError(`${name} must be an integer ≥ 1; got "${value}"`);
  return value;
}

/** `YYYY-MM-DD` naming a real day (2025-02-30 is not one). */
function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** Fills the defaults and checks every value; errors are UsageErrors naming the setting and the value. */
export function resolveRunConfig(partial: Partial<RunConfig> = {}): RunConfig {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const c: RunConfig = { ...defaultRunConfig(), ...defined };
  c.seed = parseSeed(c.seed);
  try {
    c.kernel = parseKernelName(c.kernel, '--kernel');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (!([...NULL_MODELS, 'all'] as readonly string[]).includes(c.nullModel))
    throw new UsageError(
      `--null-model must be one of ${[...NULL_MODELS, 'all'].join(', ')}; got "${c.nullModel}"`,
    );
  positiveInt(c.nulls, '--nulls');
  positiveInt(c.workers, '--workers');
  for (const k of c.motifSizes)
    if (![3, 4, 5].includes(k)) throw new UsageError(`motif sizes must be 3, 4 or 5; got "${k}"`);
  for (const k of c.controls)
    if (!(MOTIF_CONTROLS as readonly string[]).includes(k))
      throw new UsageError(`--controls takes ${MOTIF_CONTROLS.join(', ')} or none; got "${k}"`);
  if (c.splitDate !== null && !isCalendarDate(c.splitDate))
    throw usageError('not a calendar date YYYY-MM-DD', '--split-date', c.splitDate);
  try {
    resolveZoneName(c.barZone);
  } catch (e) {
    throw usageError((e as Error).message.replace(/ "[^"]*"/, ''), '--tz', c.barZone);
  }
  if (c.cacheDir !== null && c.cacheDir.trim() === '')
    throw usageError('a folder name', '--cache', c.cacheDir);
  if (c.redis !== null) {
    try {
      parseRedisAddress(c.redis);
    } catch {
      throw usageError('not a Redis address host:port', '--redis', c.redis);
    }
  }
  return c;
}
