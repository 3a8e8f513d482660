/**
 * Gate thresholds set by environment variables, on top of the mode's (standard or --strict) defaults.
 * Each value is validated: a number in the range that makes sense for its gate (a share is in (0, 1], a
 * parity bound is positive, …). Anything else — negative, NaN, Infinity, text — is a FlagError naming the
 * variable and the value, raised before any measurement (the CLI turns it into a usage error, exit 2).
 */
import { FlagError } from './flags.js';
import type { GateThresholds } from './gates.js';

interface ThresholdVar {
  env: string;
  /** Inclusive lower bound unless `loOpen`. */
  lo: number;
  loOpen: boolean;
  hi: number;
  expected: string;
}

/** The environment variable of each threshold, and the values it accepts. */
export const THRESHOLD_ENV: Record<keyof GateThresholds, ThresholdVar> = {
  minSpeedup: {
    env: 'IRONFORGE_CANARY_MIN_SPEEDUP',
    lo: 0,
    loOpen: true,
    hi: 1000,
    expected: 'a speedup in (0, 1000]',
  },
  maxParity: {
    env: 'IRONFORGE_CANARY_MAX_PARITY',
    lo: 0,
    loOpen: true,
    hi: 1,
    expected: 'a max-abs bound in (0, 1]',
  },
  maxMemoryShare: {
    env: 'IRONFORGE_CANARY_MAX_MEMORY_SHARE',
    lo: 0,
    loOpen: true,
    hi: 1,
    expected: 'a share of RAM in (0, 1]',
  },
  minMotifJaccard: {
    env: 'IRONFORGE_CANARY_MIN_MOTIF_JACCARD',
    lo: 0,
    loOpen: false,
    hi: 1,
    expected: 'a Jaccard index in [0, 1]',
  },
  minMotifTopOverlap: {
    env: 'IRONFORGE_CANARY_MIN_MOTIF_TOP_OVERLAP',
    lo: 0,
    loOpen: false,
    hi: 1,
    expected: 'an overlap share in [0, 1]',
  },
  minRegimeSpeedup: {
    env: 'IRONFORGE_CANARY_MIN_REGIME_SPEEDUP',
    lo: 0,
    loOpen: true,
    hi: 1000,
    expected: 'a speedup in (0, 1000]',
  },
};

/** A number literal as people write them (no hex, no empty string, no trailing text). */
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parses one threshold variable's value; throws FlagError naming the variable and the value. */
export function parseThreshold(key: keyof GateThresholds, raw: string): number {
  const v = THRESHOLD_ENV[key];
  const text = raw.trim();
  const x = NUMBER.test(text) ? Number(text) : NaN;
  const inRange = Number.isFinite(x) && (v.loOpen ? x > v.lo : x >= v.lo) && x <= v.hi;
  if (!inRange)
    throw new FlagError(`${v.env}='${raw}' is not a valid gate threshold (expected ${v.expected})`);
  return x;
}

export interface EnvThresholds {
  thresholds: GateThresholds;
  /** The thresholds an environment variable set, as "VAR=value" (empty when none). */
  fromEnv: string[];
}

/** `base` with every threshold the environment sets replaced; unset or empty variables keep the default. */
export function thresholdsFromEnv(
  base: Readonly<GateThresholds>,
  env: Record<string, string | undefined>,
): EnvThresholds {
  const thresholds = { ...base };
  const fromEnv: string[] = [];
  for (const key of Object.keys(THRESHOLD_ENV) as (keyof GateThresholds)[]) {
    const raw = env[THRESHOLD_ENV[key].env];
    if (raw === undefined || raw.trim() === '') continue;
    thresholds[key] = parseThreshold(key, raw);
    fromEnv.push(`${THRESHOLD_ENV[key].env}=${raw.trim()}`);
  }
  return { thresholds, fromEnv };
}
