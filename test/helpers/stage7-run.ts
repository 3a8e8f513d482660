/** Runs the stage-7 CLI driver (stage7-cli) in a child process: from sources under tsx, or compiled under dist/. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const fromSource = import.meta.url.endsWith('.ts');
const DRIVER = fileURLToPath(new URL(fromSource ? './stage7-cli.ts' : './stage7-cli.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runStage7Cli(mode: 'plain' | 'inject', ...args: string[]): Promise<CliResult> {
  const argv = fromSource ? ['--import', 'tsx', DRIVER, mode, ...args] : [DRIVER, mode, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
