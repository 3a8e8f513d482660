/**
 * The one exit-code table and the one error style of the command line (README "Command line", `--help`):
 * every error is one line on stderr, `ironforge: error: <what> (<file/flag>: <value>)`, with control bytes of
 * user data escaped so binary junk in a file name or value is never echoed raw to the terminal.
 */

/** Exit codes of every command. */
export const EXIT = {
  /** everything ran and passed */
  OK: 0,
  /** an input or a gate failed; the rest of the batch ran */
  FAILED: 1,
  /** bad usage: unknown flag, bad value, missing file, nothing usable to work on; nothing ran */
  USAGE: 2,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The `--help` epilogue (also in README's Command line section). */
export const EXIT_CODES_HELP = [
  'Exit codes:',
  `  ${EXIT.OK}  ok`,
  `  ${EXIT.FAILED}  an input or a gate failed (the rest of the batch ran)`,
  `  ${EXIT.USAGE}  bad usage: unknown flag, bad value, missing file, nothing usable to work on (nothing ran)`,
  '',
  'Errors are one line on stderr: ironforge: error: <what> (<file/flag>: <value>)',
  'Progress goes to stderr (a bar on a terminal, a line every few seconds otherwise); --quiet silences it.',
].join('\n');

/**
 * Escapes control bytes (C0 except tab/newline, DEL, C1) and lone surrogates as `\xNN` / `\uNNNN`, so a
 * message built from file names or values cannot drive the terminal.
 */
export function escapeControl(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += text[i] + text[i + 1];
        i++;
        continue;
      }
    }
    if ((c < 0x20 && c !== 0x0a && c !== 0x09) || (c >= 0x7f && c <= 0x9f))
      out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += `\\u${c.toString(16)}`;
    else out += text[i];
  }
  return out;
}

/** `ironforge: error: <message>` (escaped; a multi-line message keeps its lines, each escaped). */
export function errorLine(message: string): string {
  return `ironforge: error: ${escapeControl(message.replace(/^(ironforge: )?error: /, ''))}`;
}

export function warningLine(message: string): string {
  return `ironforge: warning: ${escapeControl(message.replace(/^(ironforge: )?warning: /, ''))}`;
}

/** Prints one error line on stderr (an input that failed while the rest of the batch goes on, or a fatal one). */
export function printError(message: string): void {
  process.stderr.write(errorLine(message) + '\n');
}

export function printWarning(message: string): void {
  process.stderr.write(warningLine(message) + '\n');
}
