/**
 * Crash-safe file and directory replacement.
 *
 * Every file ironforge writes goes through here, so that a crash, a full disk or an exception half-way through
 * never leaves a half-written file (or shard directory) under the final name: readers see either the previous
 * complete version or the new complete version.
 *
 * Files: data goes to a temp file in the SAME directory (rename is only atomic within one file system), is
 * fsync'ed, then renamed over the target; the directory is fsync'ed so the rename itself is durable.
 *
 * Directories: POSIX rename cannot replace a non-empty directory, so `replaceDirAtomic` moves the old directory
 * aside (to a hidden backup name), renames the new one in, then deletes the backup. A crash between the two
 * renames leaves the old version complete under the backup name and no directory under the final name — never a
 * mixture of old and new files. `listShardDirs` and friends skip hidden (dot-prefixed) temp/backup entries.
 *
 * Inside `writeDirAtomic` the directory being built is not visible under its final name until the last rename,
 * so a file in it needs neither its own temp file nor its own fsync before the next one is written: files and
 * nested directories written there (through `writeFileAtomic` / `writeDirAtomic`, found via an async-local
 * scope) are written in place and recorded, and all of them are fsync'ed together, concurrently, before the
 * rename that publishes the directory. The guarantee is unchanged (after `writeDirAtomic` resolves, every file is
 * durable and the directory is in place; before, the old one is), but a run of N sessions pays one round of
 * concurrent fsyncs instead of ~9 sequential fsyncs per session shard (each 10–20 ms on this machine's disk).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir, open, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { AsyncLocalStorage } from 'node:async_hooks';

/** An unpublished `writeDirAtomic` tree: its temp root and the paths written in it, to fsync before publishing. */
interface Unpublished {
  root: string;
  paths: Set<string>;
}

const unpublished = new AsyncLocalStorage<Unpublished>();

/** The enclosing unpublished tree when `path` lies inside it (a path outside keeps the full per-file protocol). */
function unpublishedTreeOf(path: string): Unpublished | undefined {
  const scope = unpublished.getStore();
  if (!scope) return undefined;
  const rel = relative(scope.root, resolve(path));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? scope : undefined;
}

/** Forget `dir` and everything recorded under it (it is being deleted). */
function forget(scope: Unpublished, dir: string): void {
  const d = resolve(dir);
  for (const p of scope.paths) if (p === d || p.startsWith(d + sep)) scope.paths.delete(p);
}

/** Record `path` and every directory between it and the tree's root (each new entry must reach the disk). */
function record(scope: Unpublished, path: string): void {
  let p = resolve(path);
  while (!scope.paths.has(p) && p !== scope.root && p !== dirname(p)) {
    scope.paths.add(p);
    p = dirname(p);
  }
}

/** At most this many fsyncs in flight at once (concurrent fsyncs share journal commits; this bounds open fds). */
const SYNC_CONCURRENCY = 64;

/** Data accepted by the atomic writers: bytes, text (UTF-8), or a sequence of chunks written in order. */
export type AtomicData = Uint8Array | string | Iterable<Uint8Array | string>;

let tempCounter = 0;

/**
 * A hidden, unique sibling name for `path` (same directory, so the final rename stays on one file system).
 * Unique per process (pid + counter + high-resolution time), no randomness needed.
 */
export function tempSiblingPath(path: string, tag = 'tmp'): string {
  tempCounter += 1;
  const stamp = process.hrtime.bigint().toString(36);
  return join(dirname(path), `.${basename(path)}.${tag}-${process.pid}-${tempCounter}-${stamp}`);
}

function chunksOf(data: AtomicData): Iterable<Uint8Array | string> {
  if (typeof data === 'string' || data instanceof Uint8Array) return [data];
  return data;
}

/** fsync a directory so a rename inside it is durable. Some platforms refuse to open directories: ignored. */
async function fsyncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Directory fsync is unsupported on some platforms (e.g. Windows); the rename has still happened.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function fsyncDirSync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // See fsyncDir.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Write `data` to `path` atomically: temp file in the same directory, fsync, rename over `path`, fsync the
 * directory. If anything throws (including the `data` iterable itself), the temp file is removed, `path` keeps
 * its previous content (or stays absent), and the error is rethrown with the path in its message.
 * The parent directory is created if missing.
 */
export async function writeFileAtomic(path: string, data: AtomicData): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const scope = unpublishedTreeOf(path);
  if (scope) return writeUnpublished(path, data, scope);
  const tmp = tempSiblingPath(path);
  let handle: FileHandle | undefined;
  try {
    handle = await open(tmp, 'wx', 0o644);
    for (const chunk of chunksOf(data)) {
      if (typeof chunk === 'string') await handle.write(chunk);
      else await handle.write(chunk);
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, path);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw new Error(`atomic write of ${path} failed: ${(err as Error).message}`, { cause: err });
  }
  await fsyncDir(dir);
}

/** Inside an unpublished tree: write `path` in place (no temp, no fsync yet) and record it for the final sync. */
async function writeUnpublished(path: string, data: AtomicData, scope: Unpublished): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'w', 0o644);
    for (const chunk of chunksOf(data)) {
      if (typeof chunk === 'string') await handle.write(chunk);
      else await handle.write(chunk);
    }
    await handle.close();
    handle = undefined;
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw new Error(`atomic write of ${path} failed: ${(err as Error).message}`, { cause: err });
  }
  record(scope, path);
}

/** fsync every recorded file and directory, SYNC_CONCURRENCY at a time; a failing file fsync is an error. */
async function syncAll(paths: Iterable<string>): Promise<void> {
  const list = [...paths];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < list.length) {
      const path = list[next++];
      const isDir = await stat(path).then((st) => st.isDirectory());
      if (isDir) {
        await fsyncDir(path);
        continue;
      }
      const handle = await open(path, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SYNC_CONCURRENCY, list.length) }, worker));
}

/** Synchronous twin of {@link writeFileAtomic} (same guarantees), for callers that cannot await. */
export function writeFileAtomicSync(path: string, data: AtomicData): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = tempSiblingPath(path);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    for (const chunk of chunksOf(data)) {
      if (typeof chunk === 'string') writeSync(fd, chunk);
      else {
        let off = 0;
        while (off < chunk.length) off += writeSync(fd, chunk, off, chunk.length - off);
      }
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already failing; keep the original error
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      // temp file may not exist
    }
    throw new Error(`atomic write of ${path} failed: ${(err as Error).message}`, { cause: err });
  }
  fsyncDirSync(dir);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/**
 * Replace directory `finalDir` by the complete directory `tmpDir` (which must be on the same file system,
 * ideally a sibling made by {@link makeTempDirFor}). The old `finalDir`, if any, is moved to a hidden backup
 * name first and deleted only after the new directory is in place; if the second rename fails the backup is
 * moved back. `finalDir` therefore never holds a mixture of old and new files.
 */
export async function replaceDirAtomic(tmpDir: string, finalDir: string): Promise<void> {
  if (!(await exists(tmpDir))) throw new Error(`replaceDirAtomic: source directory ${tmpDir} does not exist`);
  const parent = dirname(finalDir);
  await mkdir(parent, { recursive: true });
  let backup: string | undefined;
  if (await exists(finalDir)) {
    backup = tempSiblingPath(finalDir, 'old');
    await rename(finalDir, backup);
  }
  try {
    await rename(tmpDir, finalDir);
  } catch (err) {
    if (backup !== undefined) await rename(backup, finalDir).catch(() => undefined);
    throw new Error(`replacing directory ${finalDir} failed: ${(err as Error).message}`, { cause: err });
  }
  await fsyncDir(parent);
  if (backup !== undefined) await rm(backup, { recursive: true, force: true });
}

/** Create (and return) a fresh hidden temp directory next to `finalDir`, for {@link replaceDirAtomic}. */
export async function makeTempDirFor(finalDir: string): Promise<string> {
  await mkdir(dirname(finalDir), { recursive: true });
  const tmp = tempSiblingPath(finalDir, 'tmp');
  await mkdir(tmp);
  return tmp;
}

/**
 * Build a directory atomically: `fill(tmpDir)` writes the contents into a fresh temp directory next to
 * `finalDir`; when it resolves, the temp directory replaces `finalDir` ({@link replaceDirAtomic}). When `fill`
 * throws, the temp directory is deleted, `finalDir` is untouched, and the error propagates.
 */
export async function writeDirAtomic(
  finalDir: string,
  fill: (tmpDir: string) => Promise<void>,
): Promise<void> {
  const outer = unpublishedTreeOf(finalDir);
  if (outer) {
    // Nested in a tree that is itself unpublished: build in place (a fresh directory; an existing one of the
    // same name, written earlier in this tree, is replaced), the outer rename publishes it.
    forget(outer, finalDir);
    await rm(finalDir, { recursive: true, force: true });
    await mkdir(finalDir, { recursive: true });
    try {
      await fill(finalDir);
    } catch (err) {
      forget(outer, finalDir);
      await rm(finalDir, { recursive: true, force: true });
      throw err;
    }
    record(outer, finalDir);
    return;
  }
  const tmp = await makeTempDirFor(finalDir);
  try {
    const tree: Unpublished = { root: resolve(tmp), paths: new Set() };
    await unpublished.run(tree, () => fill(tmp));
    await syncAll([...tree.paths, tree.root]);
    await replaceDirAtomic(tmp, finalDir);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}
