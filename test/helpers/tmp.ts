// Temporary folders of tests that are removed when the test process exits (node --test runs each file in its
// own process), so a test run leaves nothing in os.tmpdir(). Drop-in for fs/promises mkdtemp.
import { mkdtemp as fsMkdtemp } from 'node:fs/promises';
import { rmSync } from 'node:fs';

const made = new Set<string>();
let hooked = false;

export async function mkdtemp(prefix: string): Promise<string> {
  const dir = await fsMkdtemp(prefix);
  made.add(dir);
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const d of made) rmSync(d, { recursive: true, force: true });
    });
  }
  return dir;
}
