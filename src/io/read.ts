/**
 * Reading a file with an error a user can act on: the path and the reason ("no such file", "is a directory",
 * or the system's message), optionally after a prefix naming the reader ("parquet: ", "shard: ").
 */
import { readFile } from 'node:fs/promises';

function explain(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  return err instanceof Error ? err.message : String(err);
}

/** The bytes of `path`; a failure is `${prefix}cannot read ${path}: ${why}` with the original as cause. */
export async function readFileExplained(path: string, prefix = ''): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new Error(`${prefix}cannot read ${path}: ${explain(err)}`, { cause: err });
  }
}

/** The UTF-8 text of `path`, with the errors of {@link readFileExplained}. */
export async function readTextExplained(path: string, prefix = ''): Promise<string> {
  return (await readFileExplained(path, prefix)).toString('utf8');
}
