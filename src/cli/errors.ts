/** A user error in the command line (bad flag value, missing input): reported without a stack, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
