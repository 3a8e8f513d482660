/**
 * The `ironforge` command line. Each command lives in src/cli/commands/<name>.ts and exports
 * `register(program)`; this file only assembles them and maps failures to exit codes:
 * 0 ok, 1 some input or gate failed, 2 bad usage (unknown flag, bad value).
 */
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands/index.js';
import { UsageError } from '../core/index.js';
import { applyWasmEnv } from '../tgat/index.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('ironforge')
    .description(
      'Discover recurring, statistically significant patterns in the event structure of intraday trading sessions.',
    )
    .version(readVersion(), '-V, --version')
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
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
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version "errors" are successful exits
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0)
        return 0;
      return 2;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`ironforge: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
