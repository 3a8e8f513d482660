/**
 * The canary's configuration flags: the seed's environment variables, each validated, and the "enabled
 * configuration" they select (compared against the baseline configuration: `baseline` kernel, `baseline` DAG
 * builder, uncompressed Parquet).
 *
 * Defaults mirror the seed report's recommended exports (block sparse, time-bias cache and topological
 * generations on; flash attention conditional, only for L < 512; motif monitoring on with alert threshold
 * 0.045; AMP and FP16 off), except the Parquet codec: `IRONFORGE_ENABLE_ZSTD_COMPRESSION` defaults to `auto`
 * (per table size, the fastest encoder measured in this run's Parquet phase; see parquet-choice.ts), because
 * the seed's "ZSTD is faster" does not reproduce here: ZSTD encodes 1.4–3.6× slower than no compression.
 *
 * `IRONFORGE_DAG_BUILDER` is an ironforge extension (not in the seed): it names the DAG builder of the enabled
 * configuration outright and wins over `IRONFORGE_ENABLE_TOPO_GENERATIONS`.
 */
import { DAG_BUILDERS, type DagBuilderName } from '../graph/index.js';
import { CONDITIONAL_FLASH_MAX_N, choiceFor, kernelFromEnv, parseFlag } from '../tgat/index.js';

export type FlashMode = 'true' | 'false' | 'conditional';

export interface CanaryFlags {
  blockSparse: boolean;
  timeBiasCache: boolean;
  /** true: ZSTD; false: uncompressed (direct writer); 'auto': per table size from this run's measurement. */
  zstd: boolean | 'auto';
  topoGenerations: boolean;
  flashAttention: FlashMode;
  monitorMotifStability: boolean;
  /** |Δlift| above which the report raises an alert (independent of the motif gate's threshold). */
  motifVarianceAlertThreshold: number;
  amp: boolean;
  fp16: boolean;
  /** Extension: DAG builder of the enabled configuration, or null to derive it from `topoGenerations`. */
  dagBuilder: DagBuilderName | null;
}

/** Environment variable of each flag. */
export const FLAG_ENV: Record<keyof CanaryFlags, string> = {
  blockSparse: 'IRONFORGE_ENABLE_BLOCK_SPARSE',
  timeBiasCache: 'IRONFORGE_ENABLE_TIME_BIAS_CACHE',
  zstd: 'IRONFORGE_ENABLE_ZSTD_COMPRESSION',
  topoGenerations: 'IRONFORGE_ENABLE_TOPO_GENERATIONS',
  flashAttention: 'IRONFORGE_ENABLE_FLASH_ATTENTION',
  monitorMotifStability: 'IRONFORGE_MONITOR_MOTIF_STABILITY',
  motifVarianceAlertThreshold: 'IRONFORGE_MOTIF_VARIANCE_ALERT_THRESHOLD',
  amp: 'IRONFORGE_ENABLE_AMP',
  fp16: 'IRONFORGE_ENABLE_FP16',
  dagBuilder: 'IRONFORGE_DAG_BUILDER',
};

/** The seed report's recommended exports. */
export const DEFAULT_FLAGS: Readonly<CanaryFlags> = Object.freeze({
  blockSparse: true,
  timeBiasCache: true,
  zstd: 'auto',
  topoGenerations: true,
  flashAttention: 'conditional',
  monitorMotifStability: true,
  motifVarianceAlertThreshold: 0.045,
  amp: false,
  fp16: false,
  dagBuilder: null,
});

/** With `IRONFORGE_ENABLE_FLASH_ATTENTION=conditional`, flash runs only for sessions below this size (the seed's L < 512). */
export const FLASH_CONDITIONAL_MAX_L = CONDITIONAL_FLASH_MAX_N + 1;

export class FlagError extends Error {
  override name = 'FlagError';
}

/** Boolean flag via the TGAT stage's parser (true/false/1/0, case-insensitive), so both read flags alike. */
function parseBool(name: string, raw: string): boolean {
  try {
    return parseFlag(name, raw) as boolean;
  } catch (e) {
    throw new FlagError((e as Error).message);
  }
}

export interface ParsedFlags {
  flags: CanaryFlags;
  /** Where each value came from. */
  source: Record<keyof CanaryFlags, 'env' | 'default'>;
}

/**
 * Reads and validates the flags from `env`; an unset or empty variable takes the default. Throws FlagError
 * naming the variable and the bad value.
 */
export function parseFlags(env: Record<string, string | undefined>): ParsedFlags {
  const flags: CanaryFlags = { ...DEFAULT_FLAGS };
  const source = Object.fromEntries(
    Object.keys(FLAG_ENV).map((k) => [k, 'default']),
  ) as ParsedFlags['source'];
  const raw = (key: keyof CanaryFlags): string | null => {
    const v = env[FLAG_ENV[key]];
    if (v === undefined || v.trim() === '') return null;
    source[key] = 'env';
    return v;
  };
  for (const key of [
    'blockSparse',
    'timeBiasCache',
    'topoGenerations',
    'monitorMotifStability',
    'amp',
    'fp16',
  ] as const) {
    const v = raw(key);
    if (v !== null) flags[key] = parseBool(FLAG_ENV[key], v);
  }
  const zstd = raw('zstd');
  if (zstd !== null) {
    const v = zstd.trim().toLowerCase();
    if (v === 'auto') flags.zstd = 'auto';
    else if (v === 'true' || v === '1' || v === 'false' || v === '0') flags.zstd = v === 'true' || v === '1';
    else
      throw new FlagError(
        `${FLAG_ENV.zstd}='${zstd}' is not a valid value (expected true, false, 1, 0 or auto)`,
      );
  }
  const flash = raw('flashAttention');
  if (flash !== null) {
    let v: boolean | 'conditional' | null;
    try {
      v = parseFlag(FLAG_ENV.flashAttention, flash, true);
    } catch (e) {
      throw new FlagError((e as Error).message);
    }
    flags.flashAttention = v === 'conditional' ? 'conditional' : v ? 'true' : 'false';
  }
  const thr = raw('motifVarianceAlertThreshold');
  if (thr !== null) {
    const v = Number(thr.trim());
    if (!Number.isFinite(v) || v <= 0 || v > 10) {
      throw new FlagError(
        `${FLAG_ENV.motifVarianceAlertThreshold}='${thr}' is not a valid value (expected a number in (0, 10])`,
      );
    }
    flags.motifVarianceAlertThreshold = v;
  }
  const builder = raw('dagBuilder');
  if (builder !== null) {
    const v = builder.trim() as DagBuilderName;
    if (!DAG_BUILDERS.includes(v)) {
      throw new FlagError(
        `${FLAG_ENV.dagBuilder}='${builder}' is not a valid value (expected one of ${DAG_BUILDERS.join(', ')})`,
      );
    }
    flags.dagBuilder = v;
  }
  return { flags, source };
}

/** The flags as the environment the TGAT stage reads (defaults filled in). */
export function kernelEnvOf(flags: CanaryFlags): Record<string, string> {
  return {
    [FLAG_ENV.blockSparse]: String(flags.blockSparse),
    [FLAG_ENV.timeBiasCache]: String(flags.timeBiasCache),
    [FLAG_ENV.flashAttention]: flags.flashAttention,
    [FLAG_ENV.amp]: String(flags.amp),
    [FLAG_ENV.fp16]: String(flags.fp16),
  };
}

/**
 * The kernel the enabled configuration runs for a session of `n` events: exactly what the TGAT stage picks
 * from these flags at run time (`kernelFromEnv`: half > time-bias-cache > block-sparse > flash > baseline;
 * flash under "conditional" only for n < 512).
 */
export function enabledKernel(flags: CanaryFlags, n: number): string {
  const choice = kernelFromEnv(kernelEnvOf(flags));
  return choice ? choiceFor(choice, n) : 'baseline';
}

/** DAG builder of the enabled configuration. */
export function enabledDagBuilder(flags: CanaryFlags): DagBuilderName {
  return flags.dagBuilder ?? (flags.topoGenerations ? 'topo' : 'baseline');
}

/**
 * Parquet codec of the enabled configuration: 'zstd' (arrow-rs writer), 'none' (uncompressed, direct writer),
 * or 'auto' (per table size, chosen from the Parquet phase's measurement: parquet-choice.ts).
 */
export function enabledCompression(flags: CanaryFlags): 'zstd' | 'none' | 'auto' {
  return flags.zstd === 'auto' ? 'auto' : flags.zstd ? 'zstd' : 'none';
}

/** The flags as `export NAME=value` lines (for the report). */
export function flagsAsExports(flags: CanaryFlags): string[] {
  return (Object.keys(FLAG_ENV) as (keyof CanaryFlags)[])
    .filter((k) => flags[k] !== null)
    .map((k) => `export ${FLAG_ENV[k]}=${String(flags[k])}`);
}
