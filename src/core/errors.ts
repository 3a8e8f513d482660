/**
 * A user error — a bad flag or config value, an input that cannot be used, a folder that is not what was asked
 * for. The CLI prints its message without a stack and exits 2; library callers can tell it from a bug.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
