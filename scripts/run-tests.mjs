// Runs every compiled test file under dist/test with node's test runner (spec reporter, so the run ends with
// node's own "tests / pass / fail" summary that CI reads). Node 20 has no glob support in `--test`, hence this.
// A second (TAP) reporter goes to a temp file, from which the skipped tests and suites are listed at the end
// with their reason and what to install (e.g. the Redis suite without redis-server).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

/** What to install for a skip reason, when the reason does not say it already. */
const INSTALL = [
  [/redis/i, 'apt-get install -y redis-server'],
  [/chrom/i, 'apt-get install -y chromium'],
  [/build/i, 'npm run build'],
];

/** `ok N - name # SKIP reason` lines of a TAP stream, with the names of their enclosing subtests. */
export function skippedFromTap(tap) {
  const out = [];
  for (const line of tap.split('\n')) {
    const m = /^\s*ok \d+ - (.*?) # SKIP\s*(.*)$/.exec(line);
    if (!m) continue;
    const reason = m[2].trim() || 'no reason given';
    const install = INSTALL.find(([re]) => re.test(reason) || re.test(m[1]));
    const hint = install && !reason.includes(install[1]) ? ` (${install[1]})` : '';
    out.push(`${m[1]}: ${reason}${hint}`);
  }
  return out;
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isMain) runAll(process.argv.slice(2));

function runAll(filter) {
  let files = findTests('dist/test');
  if (filter.length) files = files.filter((f) => filter.some((x) => f.includes(x)));
  const tmp = mkdtempSync(join(tmpdir(), 'ironforge-tests-'));
  const tapFile = join(tmp, 'report.tap');
  let status;
  try {
    const r = spawnSync(
      process.execPath,
      [
        '--test',
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        '--test-reporter=tap',
        `--test-reporter-destination=${tapFile}`,
        ...files,
      ],
      { stdio: 'inherit' },
    );
    status = r.status ?? 1;
    let skipped = [];
    try {
      skipped = skippedFromTap(readFileSync(tapFile, 'utf8'));
    } catch {
      // no TAP file: the runner failed before reporting; its own output says why
    }
    if (skipped.length) {
      process.stdout.write(`\nskipped (${skipped.length}):\n`);
      for (const s of [...new Set(skipped)]) process.stdout.write(`  - ${s}\n`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  process.exit(status);
}
