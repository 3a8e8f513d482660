/** A temporary directory and an in-memory DuckDB connection for a test file (the independent Parquet reader). */
import { after, before } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface DuckFixture {
  /** Set in `before`; removed with its contents in `after`. */
  dir: string;
  duck: DuckDBConnection;
}

/** Registers the file-level before/after hooks and returns the fixture they fill in. */
export function tempDirWithDuckDb(prefix: string): DuckFixture {
  const fx = {} as DuckFixture;
  let instance: DuckDBInstance | undefined;
  before(async () => {
    fx.dir = await mkdtemp(join(tmpdir(), prefix));
    instance = await DuckDBInstance.create(':memory:');
    fx.duck = await instance.connect();
  });
  after(async () => {
    fx.duck?.closeSync();
    instance?.closeSync();
    if (fx.dir) await rm(fx.dir, { recursive: true, force: true });
  });
  return fx;
}
