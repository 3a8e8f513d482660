/**
 * Reading embeddings Parquet: one embeddings file, or a run directory (whose embeddings file is found through
 * the run-directory owner, run-dir.ts). A folder that is not a run is refused with what was expected.
 */
import { stat } from 'node:fs/promises';
import { readParquet } from '../io/index.js';
import { loadEmbeddingsTable, type EmbeddingTable } from '../patterns/index.js';
import { openRunDir, type RunDir } from './run-dir.js';

/** What `--run PATH` names: one embeddings file, or a run directory (checked) and its embeddings file. */
export interface EmbeddingsSource {
  file: string;
  run: RunDir | null;
}

export async function embeddingsSource(path: string): Promise<EmbeddingsSource> {
  const isFile = await stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
  if (isFile) return { file: path, run: null };
  const run = await openRunDir(path, ['embeddings']);
  return { file: run.paths.embeddings, run };
}

/** Reads the embeddings of a run directory or of one embeddings Parquet file. */
export async function readEmbeddings(
  path: string | EmbeddingsSource,
  opts: { zone?: string } = {},
): Promise<EmbeddingTable> {
  const { file } = typeof path === 'string' ? await embeddingsSource(path) : path;
  return loadEmbeddingsTable([await readParquet(file)], opts);
}
