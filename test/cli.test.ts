// End-to-end checks of the `ironforge` binary (runs the compiled CLI, as a user would after `npm ci`).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const BIN = 'bin/ironforge.js';

function ironforge(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe(
  'ironforge CLI',
  { skip: !existsSync('dist/src/cli/main.js') && 'run `npm run build` first' },
  () => {
    test('--help lists the commands', () => {
      const r = ironforge('--help');
      assert.equal(r.code, 0);
      for (const c of ['ingest', 'status', 'doctor']) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
    });

    test('ingest --json on the sample: 35 sessions, none dropped, shares printed', () => {
      const r = ironforge('ingest', 'data/sample/enhanced', '--json');
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.sessions, 35);
      assert.equal(out.dropped, 0);
      assert.ok(out.classifiedByRuleShare >= 95);
      const shares = Object.values(out.kindShare as Record<string, number>);
      assert.equal(shares.length, 7);
      assert.ok(Math.abs(shares.reduce((a, b) => a + b, 0) - 100) < 0.1);
    });

    test('a missing path fails with exit 1 and names the path; an unknown flag exits 2', () => {
      const r = ironforge('ingest', 'no/such/dir');
      assert.equal(r.code, 1);
      assert.match(r.stderr, /no\/such\/dir: cannot read: ENOENT/);
      assert.equal(ironforge('ingest', 'data/sample/enhanced', '--bogus').code, 2);
    });

    test('doctor passes on this machine', () => {
      const r = ironforge('doctor', '--json');
      const out = JSON.parse(r.stdout);
      assert.equal(r.code, 0, JSON.stringify(out.checks.filter((c: { ok: boolean }) => !c.ok)));
    });
  },
);
