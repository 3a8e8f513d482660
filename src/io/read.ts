/**
 * Reading a file with an error a user can act on: the path and the reason ("no such file", "is a directory",
 * or the system's message), optionally after a prefix naming the reader ("parquet: ", "shard: ").
 */
import { open, readFile, stat } from 'node:fs/promises';

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

/** The size in bytes of the file at `path`, with the errors of {@link readFileExplained}. */
export async function fileSizeExplained(path: string, prefix = ''): Promise<number> {
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    return st.size;
  } catch (err) {
    throw new Error(`${prefix}cannot read ${path}: ${explain(err)}`, { cause: err });
  }
}

/**
 * Calls `onChunk` with successive chunks of the file at `path` (one reused buffer of `chunkBytes`: a chunk is
 * valid only during its call), so a file of any size is read in bounded memory. Open and read failures are
 * those of {@link readFileExplained}; an error thrown by `onChunk` passes through unchanged.
 */
export async function readChunksExplained(
  path: string,
  onChunk: (chunk: Buffer) => void,
  chunkBytes = 1 << 20,
  prefix = '',
): Promise<void> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    throw new Error(`${prefix}cannot read ${path}: ${explain(err)}`, { cause: err });
  }
  try {
    const buf = Buffer.allocUnsafe(chunkBytes);
    for (;;) {
      let n;
      try {
        ({ bytesRead: n } = await fh.read(buf, 0, chunkBytes, null));
      } catch (err) {
        throw new Error(`${prefix}cannot read ${path}: ${explain(err)}`, { cause: err });
      }
      if (n === 0) break;
      onChunk(buf.subarray(0, n));
    }
  } finally {
    await fh.close();
  }
}
