#!/usr/bin/env node
// Entry point of the `ironforge` command: the compiled CLI lives in dist/ (built by `npm ci` via `prepare`).
import { main } from '../dist/src/cli/index.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`ironforge: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
