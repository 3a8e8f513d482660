// Trains the encoder shipped in data/weights/ on the bundled sample and writes its provenance beside it:
//   node scripts/train-sample-weights.mjs        (after `npm run build`)
// The provenance records the data hash (SHA-256 over the sample files, sorted by name), the command, the seeds,
// the package version and the test metrics of `ironforge train --json`, including whether the encoder beat the
// best baseline on the held-out dates (`beatsBestBaseline`), which decides what `run` builds patterns from.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DATA = 'data/sample/enhanced';
const OUT = 'data/weights/tgat-sample.bin';
const SEEDS = '42,43,44';
const args = ['bin/ironforge.js', 'train', DATA, '--out', OUT, '--seeds', SEEDS, '--json', '--quiet'];
const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
if (r.status !== 0) {
  process.stderr.write(r.stderr);
  process.exit(r.status ?? 1);
}
const result = JSON.parse(r.stdout);
const hash = createHash('sha256');
for (const f of readdirSync(DATA).sort()) {
  hash.update(f);
  hash.update(readFileSync(join(DATA, f)));
}
const task = result.tasks.find((t) => t.task === 'next-kind');
const provenance = {
  format: 'ironforge-weights-provenance',
  version: 1,
  weights: 'tgat-sample.bin',
  heads: 'tgat-sample.bin.heads.json',
  command: `ironforge ${args.slice(1).join(' ')}`,
  ironforge: JSON.parse(readFileSync('package.json', 'utf8')).version,
  data: { path: DATA, files: readdirSync(DATA).length, sha256: hash.digest('hex') },
  seeds: result.seeds,
  savedSeed: result.seeds[0],
  task: task.task,
  split: task.split,
  model: task.model,
  baselines: task.baselines,
  bestBaseline: task.bestBaseline,
  difference: task.difference,
  beatsBestBaseline: task.beatsBestBaseline,
  linkDiagnostic: result.linkDiagnostic
    ? { model: result.linkDiagnostic.model, baselines: result.linkDiagnostic.baselines }
    : null,
};
writeFileSync('data/weights/tgat-sample.provenance.json', JSON.stringify(provenance, null, 2) + '\n');
process.stdout.write(
  `wrote ${OUT} (+ heads, provenance): next-kind test log-loss ${task.model.metric.toFixed(3)} vs ` +
    `${task.bestBaseline} — beats best baseline: ${task.beatsBestBaseline}\n`,
);
