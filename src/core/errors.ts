/**
 * A user error — a bad flag or config value, an input that cannot be used, a folder that is not what was asked
 * for. The CLI prints its message without a stack and exits 2; library callers can tell it from a bug.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * A UsageError in the CLI's one style: `<what> (<where>: <value>)`, where `where` is the flag or file and
 * `value` what was given, e.g. `usageError('not a date YYYY-MM-DD', '--split-date', 'yesterday')`.
 */
export function usageError(what: string, where: string, value: unknown): UsageError {
  return new UsageError(`${what} (${where}: ${String(value)})`);
}
