/**
 * Shared input handling of the commands: read sessions from the given paths, print failures as errors, and
 * fail with a usage error when nothing usable is left (`run`'s inputs, with the bundled-sample default and
 * bars, are app/run-job.ts loadRunInputs).
 */
import { readSessions, type IngestResult } from '../store/index.js';
import { UsageError } from '../core/index.js';
import { parseSeed } from '../app/index.js';
import { parseKernelName, type KernelName } from '../tgat/index.js';
import { printError } from './exit-codes.js';

export interface LoadOptions {
  quiet?: boolean;
}

export async function loadSessions(paths: string[], opts: LoadOptions = {}): Promise<IngestResult> {
  if (paths.length === 0) throw new UsageError('no input paths given');
  const r = await readSessions(paths);
  if (!opts.quiet) for (const f of r.failures) printError(f.error);
  requireSessions(paths, r, true);
  return r;
}

/**
 * Nothing usable to work on (an empty folder, only broken files) is the same error for every command, `run`
 * included (app/run-job.ts): one line naming the paths, exit 2 (EXIT.USAGE), no empty table.
 * `printed`: the failures were already printed.
 */
export function requireSessions(paths: readonly string[], r: IngestResult, printed = false): void {
  if (r.sessions.length > 0) return;
  if (!printed) for (const f of r.failures) printError(f.error);
  throw new UsageError(
    `no usable sessions in ${paths.join(', ')}${r.failures.length ? ` (${r.failures.length} failed)` : ' (no session files found)'}`,
  );
}

/** Parses a choice flag, naming the flag and the allowed values on a bad value. */
export function parseChoice<T extends string>(flag: string, allowed: readonly T[]) {
  return (v: string): T => {
    if (!(allowed as readonly string[]).includes(v))
      throw new UsageError(`${flag} must be one of ${allowed.join(', ')}; got "${v}"`);
    return v as T;
  };
}

/** `--seed`: the one seed rule (app/run-config.ts parseSeed), as a flag parser. */
export function seedFlag(v: string): number {
  return parseSeed(v, '--seed');
}

/** `--kernel`: validated once at the TGAT door (parseKernelName); a bad name is a usage error. */
export function kernelFlag(v: string): KernelName {
  try {
    return parseKernelName(v, '--kernel');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
