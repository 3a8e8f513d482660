/** `ironforge status`: the runs in a runs directory (layout: src/store/run-dir.ts), what each holds, the canary. */
import type { Command } from 'commander';
import { DEFAULT_RUNS_DIR } from '../../core/index.js';
import { listRuns, RUN_FOLDERS } from '../../store/index.js';
import { formatTable, printJson, say } from '../output.js';

export function register(program: Command): void {
  program
    .command('status')
    .description('list run directories and what each holds')
    .option('--runs <dir>', 'runs directory', DEFAULT_RUNS_DIR)
    .option('--json', 'machine-readable output')
    .action(async (opts: { runs: string; json?: boolean }) => {
      const { runs, canary } = await listRuns(opts.runs);
      if (opts.json) return printJson({ runsDir: opts.runs, runs, canary });
      if (runs.length === 0 && canary === null)
        return say(`no runs under ${opts.runs}/ (create one with: ironforge run)`);
      say(
        formatTable(
          ['run', ...RUN_FOLDERS, 'dashboard', 'seed'],
          runs.map((r) => [
            r.run,
            ...RUN_FOLDERS.map((s) => r.files[s]),
            r.dashboard ? 'yes' : 'no',
            r.manifest?.seed ?? '-',
          ]),
        ),
      );
      for (const r of runs) if (r.problem) say(`warning: ${r.run}: ${r.problem}`);
      say(canary ? `canary: ${canary}` : `canary: none (create one with: ironforge canary)`);
    });
}
