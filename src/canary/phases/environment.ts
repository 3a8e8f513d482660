/** Where the run happened: package and runtime versions, and the git branch and commit of the package. */
import { execFileSync } from 'node:child_process';
import { readPackageVersion } from '../../store/index.js';

/** ironforge's, node's and v8's versions, and those of the main dependencies that are installed. */
export function versions(root: string): Record<string, string> {
  const out: Record<string, string> = {
    ironforge: readPackageVersion(root, null) ?? 'unknown',
    node: process.versions.node,
    v8: process.versions.v8,
  };
  for (const p of ['parquet-wasm', 'apache-arrow', 'commander', 'pure-rand']) {
    const v = readPackageVersion(root, p);
    if (v) out[p] = v;
  }
  return out;
}

/** The git branch and commit of `cwd` (null when git or the repository is unavailable). */
export function gitInfo(cwd: string): { branch: string | null; commit: string | null } {
  const git = (args: string[]) => {
    try {
      return (
        execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 })
          .toString()
          .trim() || null
      );
    } catch {
      return null;
    }
  };
  return { branch: git(['rev-parse', '--abbrev-ref', 'HEAD']), commit: git(['rev-parse', 'HEAD']) };
}
