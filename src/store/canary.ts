/**
 * The canary's files: canary.json and canary.md of a run (written atomically into the directory the caller
 * names), a previous canary.json read back for the regression table, the package versions it records, and the
 * scratch directory of its Parquet write/read timings. The canary's types live in canary/; here a result is
 * plain JSON and the markdown is already rendered.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { readTextExplained, writeFileAtomic } from '../io/index.js';

export const CANARY_JSON_FILE = 'canary.json';
export const CANARY_MD_FILE = 'canary.md';

/**
 * Writes `result` as canary.json (2-space JSON, trailing newline) and `markdown` as canary.md into `dir`
 * (each atomically); returns their paths.
 */
export async function writeCanaryOutputs(
  dir: string,
  result: unknown,
  markdown: string,
): Promise<{ json: string; md: string }> {
  const json = join(dir, CANARY_JSON_FILE);
  const md = join(dir, CANARY_MD_FILE);
  await writeFileAtomic(json, JSON.stringify(result, null, 2) + '\n');
  await writeFileAtomic(md, markdown);
  return { json, md };
}

/**
 * The parsed JSON of a canary.json (not validated: the canary checks the schema). Errors start with `prefix`:
 * `${prefix}cannot read ${path}: …` or `${prefix}malformed JSON: …`.
 */
export async function readCanaryJson(path: string, prefix = ''): Promise<unknown> {
  const text = await readTextExplained(path, prefix);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new Error(`${prefix}malformed JSON: ${(e as Error).message}`, { cause: e });
  }
}

/** The version in `<root>/package.json`, or in `<root>/node_modules/<pkg>/package.json`; null when unreadable. */
export function readPackageVersion(root: string, pkg: string | null): string | null {
  try {
    const p = pkg ? join(root, 'node_modules', pkg, 'package.json') : join(root, 'package.json');
    return (JSON.parse(readFileSync(p, 'utf8')) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

/** Runs `fn` with a fresh directory under the OS temp dir (named `<prefix>XXXXXX`), removed afterwards. */
export async function withScratchDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(os.tmpdir(), prefix));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Size of the file at `path` in bytes. */
export async function fileSizeBytes(path: string): Promise<number> {
  return (await stat(path)).size;
}
