/** `ironforge status`: what run directories exist and what each holds. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { formatTable, printJson, say } from '../output.js';

const STAGES = ['shards', 'embeddings', 'patterns', 'motifs', 'confluence', 'reports'] as const;

async function countFiles(dir: string): Promise<number> {
  let n = 0;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const p = join(dir, name);
    const st = await stat(p);
    n += st.isDirectory() ? await countFiles(p) : 1;
  }
  return n;
}

export interface RunStatus {
  run: string;
  files: Record<(typeof STAGES)[number], number>;
  dashboard: boolean;
  manifest: { seed?: number; createdAt?: string; sessions?: number } | null;
}

export async function collectStatus(runsDir: string): Promise<RunStatus[]> {
  let names: string[];
  try {
    names = (await readdir(runsDir)).sort();
  } catch {
    return [];
  }
  const out: RunStatus[] = [];
  for (const run of names) {
    const dir = join(runsDir, run);
    if (!(await stat(dir)).isDirectory()) continue;
    const files = Object.fromEntries(
      await Promise.all(STAGES.map(async (s) => [s, await countFiles(join(dir, s))])),
    ) as RunStatus['files'];
    let manifest: RunStatus['manifest'];
    try {
      const m = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
      manifest = { seed: m.seed, createdAt: m.createdAt, sessions: m.inputs?.sessions };
    } catch {
      manifest = null;
    }
    const dashboard = await stat(join(dir, 'dashboard.html')).then(
      () => true,
      () => false,
    );
    out.push({ run, files, dashboard, manifest });
  }
  return out;
}

export function register(program: Command): void {
  program
    .command('status')
    .description('list run directories and what each holds')
    .option('--runs <dir>', 'runs directory', 'runs')
    .option('--json', 'machine-readable output')
    .action(async (opts: { runs: string; json?: boolean }) => {
      const runs = await collectStatus(opts.runs);
      if (opts.json) return printJson({ runsDir: opts.runs, runs });
      if (runs.length === 0) return say(`no runs under ${opts.runs}/ (create one with: ironforge run)`);
      say(
        formatTable(
          ['run', ...STAGES, 'dashboard', 'seed'],
          runs.map((r) => [
            r.run,
            ...STAGES.map((s) => r.files[s]),
            r.dashboard ? 'yes' : 'no',
            r.manifest?.seed ?? '-',
          ]),
        ),
      );
    });
}
