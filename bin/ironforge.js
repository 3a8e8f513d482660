#!/usr/bin/env node
// Entry point of the `ironforge` command: the compiled CLI lives in dist/ (built by `npm ci` via `prepare`).
import { main } from '../dist/src/cli/index.js';

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
    // main() prints its own errors; this is the last resort (e.g. the compiled CLI failed to load)
    process.stderr.write(`ironforge: error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
