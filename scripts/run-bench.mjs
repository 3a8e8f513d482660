// `npm run bench -- <name> [args]` runs dist/bench/<name>.js; with no name it lists the benchmarks.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const [name, ...args] = process.argv.slice(2);
const available = readdirSync('dist/bench')
  .filter((f) => f.endsWith('.js') && !f.startsWith('_'))
  .map((f) => f.slice(0, -3));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [options]`);
  process.exit(name ? 2 : 0);
}
const r = spawnSync(process.execPath, ['--expose-gc', `dist/bench/${name}.js`, ...args], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
