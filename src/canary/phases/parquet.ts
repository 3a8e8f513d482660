/**
 * Phase 4, Parquet: the node table (with features) of each bench session encoded in memory under each
 * configuration (trials interleaved), then written atomically to a scratch directory and read back.
 */
import { nodeFeatures } from '../../features/index.js';
import { encodeParquet, readParquet, writeFileAtomic } from '../../io/index.js';
import { fileSizeBytes, withScratchDir } from '../../store/index.js';
import { timeInterleaved, timeItAsync } from '../measure.js';
import { nodeTable, sessionColumns } from '../pipeline.js';
import type { ParquetRow } from '../types.js';
import type { Bench } from './prepare.js';
import type { Tick } from './progress.js';
import { speedups } from './rows.js';
import { PARQUET_CONFIGS } from '../parquet-choice.js';
import { join } from 'node:path';

export { PARQUET_CONFIGS, TUNED_ROW_GROUP } from '../parquet-choice.js';

export async function measureParquet(bench: Bench, tick: Tick): Promise<ParquetRow[]> {
  const { L, timing } = bench;
  let done = 0;
  const rows: ParquetRow[] = PARQUET_CONFIGS.map((c) => ({
    name: c.name,
    label: c.label,
    compression: c.compression,
    rowGroupSize: c.rowGroupSize,
    engine: c.engine,
    timing: L.map(() => null),
    speedupMedian: [],
    speedupMin: [],
    bytes: L.map(() => null),
    writeTiming: L.map(() => null),
    readTiming: L.map(() => null),
  }));
  await withScratchDir('ironforge-canary-', async (tmp) => {
    for (let i = 0; i < L.length; i++) {
      const s = bench.sessions[i];
      const feats = nodeFeatures(s);
      const table = nodeTable(sessionColumns(s), feats.data, feats.d);
      const popts = PARQUET_CONFIGS.map((c) => ({
        compression: c.compression,
        engine: c.engine,
        ...(c.rowGroupSize ? { rowGroupSize: c.rowGroupSize } : {}),
      }));
      const encoded = timeInterleaved(
        popts.map((o) => () => encodeParquet(table, o)),
        bench.timingAt(i),
      );
      for (const [j, c] of PARQUET_CONFIGS.entries()) {
        const file = join(tmp, `L${L[i]}-${c.name}.parquet`);
        const bytes = encoded[j].result;
        rows[j].timing[i] = encoded[j].stat;
        rows[j].bytes[i] = bytes.length;
        rows[j].writeTiming[i] = (await timeItAsync(() => writeFileAtomic(file, bytes), timing)).stat;
        if ((await fileSizeBytes(file)) !== bytes.length)
          throw new Error(`Parquet bench: ${file} has the wrong size`);
        rows[j].readTiming[i] = (await timeItAsync(() => readParquet(file), timing)).stat;
        tick(++done);
      }
    }
  });
  for (const row of rows) Object.assign(row, speedups(row.timing, rows[0].timing));
  return rows;
}
