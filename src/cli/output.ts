/** Small output helpers shared by the commands: JSON to stdout, aligned text tables, numbers. */
import { UsageError } from '../core/index.js';

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Renders rows as a left-aligned text table with a header rule. */
export function formatTable(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((x, c) => (x ?? '').padEnd(widths[c]))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

export function say(text: string): void {
  process.stdout.write(text + '\n');
}

/** Parses a positive integer flag value or throws a usage error naming the flag. */
export function parsePositiveInt(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0)
      throw new UsageError(`${flag} must be a positive integer, got "${v}"`);
    return n;
  };
}
