import { UsageError } from './errors.js';

/** Parses a `--seed` value: an integer in the 32-bit range. */
export function parseSeed(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || Math.abs(n) > 2 ** 31 - 1)
    throw new UsageError(`--seed must be a 32-bit integer; got "${v}"`);
  return n;
}
