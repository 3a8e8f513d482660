#!/usr/bin/env node
// Entry point of the `ironforge` command: the compiled CLI lives in dist/ (built by `npm ci` via `prepare`).
// No mtime staleness check (a git checkout sets every mtime, so one would rebuild silently on the first run):
// dist/ is used as built; only when it is missing (a clone without `npm ci`) is it built, and that is said.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'src', 'cli', 'index.js');
if (!existsSync(entry)) {
  process.stderr.write('ironforge: dist/ is missing; building it once (npm run build, about a minute) …\n');
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    process.stderr.write('ironforge: error: cannot build: typescript is not installed (run npm ci)\n');
    process.exit(2);
  }
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(entry)) {
    process.stderr.write('ironforge: error: the build failed (npm run build shows why)\n');
    process.exit(2);
  }
}
const { main } = await import('../dist/src/cli/index.js');

// `ironforge … | head`: the reader closed the pipe; stop quietly as other Unix tools do.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    // main() prints its own errors; this is the last resort
    process.stderr.write(`ironforge: error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
