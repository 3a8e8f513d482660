/**
 * Shared input handling of the commands: read sessions from the given paths (default: the bundled sample),
 * print failures as errors, and fail with a usage error when nothing usable is left.
 */
import { readSessions, type IngestResult } from '../store/index.js';
import { UsageError } from './errors.js';
import { bundledSampleDir } from '../app/index.js';

export interface LoadOptions {
  /** Use the bundled sample when no path is given (for `run`); otherwise paths are required. */
  defaultToSample?: boolean;
  quiet?: boolean;
}

export async function loadSessions(paths: string[], opts: LoadOptions = {}): Promise<IngestResult> {
  const inputs = paths.length ? paths : opts.defaultToSample ? [bundledSampleDir()] : [];
  if (inputs.length === 0) throw new UsageError('no input paths given');
  const r = await readSessions(inputs);
  if (!opts.quiet) for (const f of r.failures) process.stderr.write(`error: ${f.error}\n`);
  if (r.sessions.length === 0) {
    throw new UsageError(
      `no usable sessions in ${inputs.join(', ')}${r.failures.length ? ` (${r.failures.length} failed)` : ''}`,
    );
  }
  return r;
}

/** Parses a choice flag, naming the flag and the allowed values on a bad value. */
export function parseChoice<T extends string>(flag: string, allowed: readonly T[]) {
  return (v: string): T => {
    if (!(allowed as readonly string[]).includes(v))
      throw new UsageError(`${flag} must be one of ${allowed.join(', ')}; got "${v}"`);
    return v as T;
  };
}
