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

    test('ingest reports section coverage per session and for the batch; names sessions missing a section', () => {
      const r = ironforge('ingest', 'data/sample/enhanced', '--json');
      const out = JSON.parse(r.stdout);
      assert.equal(out.coverage.presence.price_movement, 1);
      assert.equal(out.coverage.sessionsWith.fpfvg_interaction, 29);
      const missing = out.coverage.missing.find((m: { source: string }) => m.source === 'fpfvg_interaction');
      assert.equal(missing.sessions.length, 6);
      assert.ok(missing.sessions.includes('ASIA_2025-07-24'));
      const asia = out.perSession.find((s: { id: string }) => s.id === 'ASIA_2025-07-24');
      assert.equal(asia.coverage.bySource.fpfvg_interaction, 0);
      assert.ok(!asia.coverage.sections.includes('fpfvg_interaction'));
      const text = ironforge('ingest', 'data/sample/enhanced');
      assert.match(
        text.stdout,
        /sections \(share of sessions having them\): price_movement 100%, .*fpfvg_interaction 83%/,
      );
      assert.match(
        text.stdout,
        /missing section 'fpfvg_interaction' \(in 83% of sessions\): .*ASIA_2025-07-24/,
      );
    });

    test('a missing path (nothing usable) exits 2 and names the path; an unknown flag exits 2', () => {
      const r = ironforge('ingest', 'no/such/dir');
      assert.equal(r.code, 2);
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
