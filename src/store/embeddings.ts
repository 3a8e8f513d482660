/**
 * Reading embeddings Parquet from disk: a single file, a folder of files, or a run directory (whose
 * `embeddings/` folder is read). Files are read in sorted name order so the pooled row order is stable.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readParquet } from '../io/index.js';
import { loadEmbeddingsTable, type EmbeddingTable } from '../patterns/index.js';

/** The embeddings Parquet files under `path` (see the module comment). Throws when there are none. */
export async function listEmbeddingFiles(path: string): Promise<string[]> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    throw new Error(`embeddings: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, {
      cause: e,
    });
  }
  if (st.isFile()) return [path];
  const sub = join(path, 'embeddings');
  const dir = await stat(sub).then(
    (s) => (s.isDirectory() ? sub : path),
    () => path,
  );
  const files = (await readdir(dir))
    .filter((n) => n.endsWith('.parquet') && !n.startsWith('.'))
    .sort()
    .map((n) => join(dir, n));
  if (files.length === 0) throw new Error(`embeddings: no .parquet files in ${dir}`);
  return files;
}

/** Reads and pools every embeddings file under `path`. */
export async function readEmbeddings(path: string, opts: { zone?: string } = {}): Promise<EmbeddingTable> {
  const files = await listEmbeddingFiles(path);
  const tables = [];
  for (const f of files) tables.push(await readParquet(f));
  return loadEmbeddingsTable(tables, opts);
}
