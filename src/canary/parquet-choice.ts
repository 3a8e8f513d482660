/**
 * The Parquet configurations the canary measures, and the enabled configuration's choice among them per table
 * size. `IRONFORGE_ENABLE_ZSTD_COMPRESSION=auto` (the default) does for the Parquet stage what `auto` does for
 * the attention kernels: for a table of n rows it takes the benchmark length L that covers n (the smallest
 * L ≥ n, else the largest) and picks the configuration with the lowest median encode time at that L, as measured
 * by this run's Parquet phase on the same machine. `true` forces ZSTD (the seed's setting), `false` forces the
 * uncompressed direct writer. The baseline configuration is fixed: uncompressed through the arrow-rs writer, as
 * it always was.
 */
import type { Compression, ParquetEngine } from '../io/index.js';
import type { ParquetRow } from './types.js';

/** Row group size of the "Optimized Row Groups" Parquet configuration (the tables hold ≤ 1024 rows). */
export const TUNED_ROW_GROUP = 128;

export interface ParquetConfig {
  name: string;
  label: string;
  compression: 'none' | 'zstd';
  rowGroupSize: number | null;
  engine: ParquetEngine;
}

/** The measured configurations; the first ('none', arrow-rs) is the baseline every speedup is relative to. */
export const PARQUET_CONFIGS: readonly ParquetConfig[] = [
  {
    name: 'none',
    label: 'Baseline (uncompressed)',
    compression: 'none',
    rowGroupSize: null,
    engine: 'arrow-rs',
  },
  { name: 'zstd', label: 'ZSTD Compression', compression: 'zstd', rowGroupSize: null, engine: 'arrow-rs' },
  {
    name: 'zstd-rowgroups',
    label: `Optimized Row Groups (ZSTD, ${TUNED_ROW_GROUP}-row groups)`,
    compression: 'zstd',
    rowGroupSize: TUNED_ROW_GROUP,
    engine: 'arrow-rs',
  },
  {
    name: 'direct',
    label: 'Direct writer (uncompressed, PLAIN)',
    compression: 'none',
    rowGroupSize: null,
    engine: 'direct',
  },
];

/** What the pipeline's Parquet stage passes to encodeParquet, with the configuration's name. */
export interface ParquetChoice {
  name: string;
  compression: Compression;
  engine: ParquetEngine;
  rowGroupSize?: number;
}

function choiceOf(c: ParquetConfig): ParquetChoice {
  return {
    name: c.name,
    compression: c.compression,
    engine: c.engine,
    ...(c.rowGroupSize ? { rowGroupSize: c.rowGroupSize } : {}),
  };
}

function configNamed(name: string): ParquetConfig {
  const c = PARQUET_CONFIGS.find((x) => x.name === name);
  if (!c) throw new Error(`unknown Parquet configuration '${name}'`);
  return c;
}

/** The baseline configuration's Parquet stage: uncompressed, arrow-rs writer (unchanged from the seed). */
export const BASELINE_PARQUET: ParquetChoice = choiceOf(configNamed('none'));

export interface ParquetPolicy {
  /** The configuration for a table of n rows. */
  choose: (n: number) => ParquetChoice;
  /** The configuration chosen at each benchmark length (for canary.json). */
  byL: Record<string, string>;
  /** How the choice was made, in words. */
  rule: string;
}

/**
 * The enabled configuration's Parquet policy for `mode`. With 'auto', `measured` (the Parquet phase's rows,
 * timed per `L`) decides; a length where no configuration was timed falls back to the direct writer.
 */
export function parquetPolicy(
  mode: 'zstd' | 'none' | 'auto',
  measured: readonly ParquetRow[],
  L: readonly number[],
): ParquetPolicy {
  if (mode !== 'auto') {
    const fixed = choiceOf(configNamed(mode === 'zstd' ? 'zstd' : 'direct'));
    return {
      choose: () => fixed,
      byL: Object.fromEntries(L.map((l) => [String(l), fixed.name])),
      rule: `fixed by IRONFORGE_ENABLE_ZSTD_COMPRESSION=${mode === 'zstd' ? 'true' : 'false'}: ${fixed.name}`,
    };
  }
  const picks = L.map((_, i) => {
    let best: ParquetConfig | null = null;
    let bestMs = Infinity;
    for (const c of PARQUET_CONFIGS) {
      const ms = measured.find((r) => r.name === c.name)?.timing[i]?.medianMs;
      if (ms !== undefined && ms < bestMs) {
        best = c;
        bestMs = ms;
      }
    }
    return choiceOf(best ?? configNamed('direct'));
  });
  const bucket = (n: number): number => {
    const i = L.findIndex((l) => l >= n);
    return i < 0 ? L.length - 1 : i;
  };
  return {
    choose: (n) => picks[bucket(n)],
    byL: Object.fromEntries(L.map((l, i) => [String(l), picks[i].name])),
    rule:
      'auto: per table size, the configuration with the lowest median encode time measured in this run’s Parquet phase ' +
      'at the smallest benchmark length L ≥ n (the largest L above it)',
  };
}
