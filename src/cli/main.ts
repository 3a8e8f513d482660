/**
 * The `ironforge` command line. Each command lives in src/cli/commands/<name>.ts and exports
 * `register(program)`; this file only assembles them and maps failures to the exit codes of exit-codes.ts
 * (0 ok, 1 some input or gate failed, 2 bad usage), every error printed as one `ironforge: error: …` line.
 */
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands/index.js';
import { UsageError } from '../core/index.js';
import { applyWasmEnv } from '../tgat/index.js';
import { EXIT, EXIT_CODES_HELP, errorLine, printError } from './exit-codes.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('ironforge')
    .description(
      'Discover recurring, statistically significant patterns in the event structure of intraday trading sessions.',
    )
    .version(readVersion(), '-V, --version')
    .showHelpAfterError("(run 'ironforge <command> --help' for usage)")
    .configureOutput({
      // commander's own errors (unknown flag, missing argument) in the one error style
      outputError: (str, write) =>
        write(
          str.startsWith('(') ? str : str.replace(/^error: /, '').replace(/^(.*)$/m, (l) => errorLine(l)),
        ),
    })
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)
    .exitOverride();
  for (const register of COMMANDS) register(program);
  for (const cmd of program.commands) cmd.addHelpText('after', `\n${EXIT_CODES_HELP}`);
  return program;
}

function readVersion(): string {
  return process.env.npm_package_version ?? '0.1.0';
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    // process settings from the environment, once, before any command runs
    try {
      applyWasmEnv(process.env);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version "errors" are successful exits
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0)
        return EXIT.OK;
      return EXIT.USAGE;
    }
    if (err instanceof UsageError) {
      printError(err.message);
      return EXIT.USAGE;
    }
    // anything else is an input that failed while working (or a bug): one line, the stack only on request
    printError(err instanceof Error ? err.message : String(err));
    if (process.env.IRONFORGE_DEBUG && err instanceof Error && err.stack)
      process.stderr.write(`${err.stack}\n`);
    return EXIT.FAILED;
  }
}
