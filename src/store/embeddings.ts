/**
 * Reading embeddings Parquet: one embeddings file, or a run directory (whose embeddings file is found through
 * the run-directory owner, run-dir.ts). A folder that is not a run is refused with what was expected.
 */
import { stat } from 'node:fs/promises';
import { readParquet } from '../io/index.js';
import { loadEmbeddingsTable, type EmbeddingTable } from '../patterns/index.js';
import { openRunDir } from './run-dir.js';

/** The embeddings file `path` names: the file itself, or a run directory's embeddings file. */
export async function embeddingsFileOf(path: string): Promise<string> {
  const isFile = await stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
  if (isFile) return path;
  return (await openRunDir(path, ['embeddings'])).paths.embeddings;
}

/** Reads the embeddings of a run directory or of one embeddings Parquet file. */
export async function readEmbeddings(path: string, opts: { zone?: string } = {}): Promise<EmbeddingTable> {
  const file = await embeddingsFileOf(path);
  return loadEmbeddingsTable([await readParquet(file)], opts);
}
