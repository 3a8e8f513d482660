/** Where the package's bundled files live, independent of the current directory. */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';

/** The package root: the folder holding package.json (this file is src/app/ or dist/src/app/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot locate the ironforge package root');
}

/** The real NQ sample shipped in the repository: the default input of `ironforge run` and the canary. */
export function bundledSampleDir(): string {
  return join(packageRoot(), 'data', 'sample', 'enhanced');
}
