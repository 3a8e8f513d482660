// Issue #18 "a CLI that behaves": one error style and exit-code table, flag checks before any work, Redis
// errors as one line and a worker that exits, progress without a terminal, the nulls hint, doctor's optional
// checks, and the test runner's skip summary. Spawns bin/ironforge.js as a user would (see cli.test.ts).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mkdtemp } from './helpers/tmp.js';
import { escapeControl, errorLine, EXIT } from '../src/cli/exit-codes.js';
import { stageProgress } from '../src/cli/progress.js';
import { nullsHint } from '../src/cli/hints.js';
import { ensureLocalRedis } from '../src/scale/index.js';

const BIN = 'bin/ironforge.js';

function ironforge(args: string[], env: Record<string, string> = {}) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

/** Every stderr line is in the one style (errors) or a hint/warning/progress line of ours. */
function assertOneErrorLine(stderr: string, re: RegExp) {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${stderr}`);
  assert.match(lines[0], /^ironforge: error: /);
  assert.match(lines[0], re);
  assert.doesNotMatch(stderr, /\n\s+at |ECONNREFUSED|Unhandled error event/);
}

describe(
  'cli behaviour (#18)',
  { skip: !existsSync('dist/src/cli/main.js') && 'run `npm run build` first' },
  () => {
    test('exit codes are listed once: in --help and in every command’s help', () => {
      const top = ironforge(['--help']);
      assert.equal(top.code, EXIT.OK);
      assert.match(
        top.stdout,
        /Exit codes:\n {2}0 {2}ok\n {2}1 {2}an input or a gate failed.*\n {2}2 {2}bad usage/,
      );
      assert.match(ironforge(['run', '--help']).stdout, /Exit codes:/);
      assert.match(ironforge(['run', '--help']).stdout, /--quiet/);
    });

    test('one error style for commander and our own errors; control bytes are escaped', () => {
      const bogus = ironforge(['ingest', 'data/sample/enhanced', '--bogus']);
      assert.equal(bogus.code, EXIT.USAGE);
      assert.match(bogus.stderr, /^ironforge: error: unknown option '--bogus'/);
      const junk = 'no\x1b[31mdir\x07';
      const r = ironforge(['ingest', junk]);
      assert.equal(r.code, EXIT.USAGE);
      // eslint-disable-next-line no-control-regex -- the point: no raw control bytes reach the terminal
      assert.doesNotMatch(r.stderr, /[\x00-\x08\x0b-\x1f\x7f]/, 'no raw control bytes');
      assert.match(r.stderr, /no\\x1b\[31mdir\\x07/);
      for (const line of r.stderr.trimEnd().split('\n')) assert.match(line, /^ironforge: error: /);
      assert.equal(escapeControl('a\tb\nc\x00\x9b'), 'a\tb\nc\\x00\\x9b');
      assert.equal(errorLine('error: x'), 'ironforge: error: x');
    });

    test('ingest and run on an empty folder: one error line, no table, the same exit code', async () => {
      const empty = await mkdtemp(join(tmpdir(), 'ifg-empty-'));
      const out = await mkdtemp(join(tmpdir(), 'ifg-runs-'));
      const ingest = ironforge(['ingest', empty]);
      assert.equal(ingest.stdout, '');
      assertOneErrorLine(ingest.stderr, /no usable sessions in .*ifg-empty-/);
      const run = ironforge(['run', empty, '--out', out, '--quiet']);
      assertOneErrorLine(run.stderr, /no usable sessions/);
      assert.equal(ingest.code, run.code);
      assert.equal(run.code, EXIT.USAGE);
    });

    test('run checks its flags before any work: each error well under a second after start-up', async () => {
      const out = await mkdtemp(join(tmpdir(), 'ifg-runs-'));
      const baseline = Math.min(...[0, 1].map(() => ironforge(['--version']).ms));
      const cases: [string[], RegExp][] = [
        [['--split-date', 'yesterday'], /not a calendar date YYYY-MM-DD \(--split-date: yesterday\)/],
        [['--split-date', '2025-02-30'], /\(--split-date: 2025-02-30\)/],
        [
          ['--canary', 'missing.json'],
          /cannot read the canary results: no such file \(--canary: missing\.json\)/,
        ],
        [['--bars', 'missing.csv'], /bar file: no such file \(--bars: missing\.csv\)/],
        [['--tz', 'Mars/Base'], /unknown time zone .*\(--tz: Mars\/Base\)/],
        [['--redis', 'nohost'], /not a Redis address host:port \(--redis: nohost\)/],
      ];
      for (const [flags, re] of cases) {
        const r = ironforge(['run', '--out', out, '--quiet', ...flags]);
        assert.equal(r.code, EXIT.USAGE, r.stderr);
        assertOneErrorLine(r.stderr, re);
        assert.ok(r.ms - baseline < 1500, `${flags.join(' ')}: ${r.ms} ms vs start-up ${baseline} ms`);
      }
      assert.ok(!existsSync(join(out, new Date().toISOString().slice(0, 10))), 'no run folder written');
    });

    test('--redis to a closed port: one line naming host:port and what to do, quickly (run and worker)', async () => {
      const out = await mkdtemp(join(tmpdir(), 'ifg-runs-'));
      const run = ironforge(['run', '--out', out, '--quiet', '--redis', '127.0.0.1:1']);
      assert.equal(run.code, EXIT.USAGE);
      assertOneErrorLine(
        run.stderr,
        /cannot reach Redis: connection refused \(--redis: 127\.0\.0\.1:1\).*redis-server/,
      );
      const worker = ironforge(['worker', '--redis', '127.0.0.1:1']);
      assert.equal(worker.code, EXIT.USAGE);
      assertOneErrorLine(worker.stderr, /cannot reach Redis: connection refused \(--redis: 127\.0\.0\.1:1\)/);
      assert.ok(worker.ms < 15_000);
      const bad = ironforge(['worker', '--idle-exit', 'soon']);
      assert.equal(bad.code, EXIT.USAGE);
      assertOneErrorLine(bad.stderr, /\(--idle-exit: soon\)/);
    });

    const hasRedis =
      spawnSync('redis-server', ['--version']).status === 0 ||
      'redis-server not installed (apt-get install -y redis-server)';
    test(
      'worker exits after --idle-exit and on SIGTERM',
      { skip: hasRedis !== true && hasRedis },
      async () => {
        const redis = await ensureLocalRedis(6397);
        try {
          const idle = ironforge([
            'worker',
            '--redis',
            `127.0.0.1:${redis.port}`,
            '--idle-exit',
            '1',
            '--queue',
            'ifg-idle',
          ]);
          assert.equal(idle.code, EXIT.OK, idle.stderr);
          assert.match(idle.stdout, /^ready\nstopping \(idle for 1 s\)\n$/);
          const child = spawn(process.execPath, [
            BIN,
            'worker',
            '--redis',
            `127.0.0.1:${redis.port}`,
            '--queue',
            'ifg-sig',
          ]);
          let stdout = '';
          await new Promise<void>((res) =>
            child.stdout.on('data', (d) => {
              stdout += String(d);
              if (stdout.includes('ready')) res();
            }),
          );
          // a short settle after 'ready': under CI load this test once saw the worker die by the signal's
          // default action (exit null), which a handler installed in the same tick cannot explain; the signal
          // is named below if it happens again
          await new Promise((r) => setTimeout(r, 200));
          child.kill('SIGTERM');
          const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((res) =>
            child.on('exit', (c, sig) => res([c, sig])),
          );
          assert.equal(
            code,
            EXIT.OK,
            `worker exit ${code}, signal ${signal}; stdout ${JSON.stringify(stdout)}`,
          );
          assert.match(stdout, /stopping \(signal\)/);
        } finally {
          await redis.stop();
        }
      },
    );

    test('progress without a terminal: plain lines (stage, done/total, elapsed, ETA); --quiet silences', async () => {
      const out = await mkdtemp(join(tmpdir(), 'ifg-motifs-'));
      const args = ['motifs', 'data/sample/enhanced', '--out', out, '--nulls', '20', '--top', '1'];
      const loud = ironforge(args, { IRONFORGE_PROGRESS_MS: '0' });
      assert.equal(loud.code, EXIT.OK, loud.stderr);
      assert.match(loud.stderr, /^ironforge: nulls \(group-shuffle\) 20\/20, \d+\.\d s elapsed, done$/m);
      const quiet = ironforge([...args, '--quiet'], { IRONFORGE_PROGRESS_MS: '0' });
      assert.equal(quiet.stderr, '');
      // the nulls hint: 20 nulls cannot reach the PROMOTE q
      assert.match(
        loud.stdout,
        /hint: PROMOTE is impossible with 20 nulls: the smallest p-value is 1\/\(20\+1\)/,
      );

      let t = 0;
      const lines: string[] = [];
      const p = stageProgress({ tty: false, intervalMs: 1000, write: (l) => lines.push(l), now: () => t });
      p.update('discover', 0, 1); // stage start mark
      t = 500;
      p.update('discover', 10, 40); // under the interval: quiet
      t = 2000;
      p.update('discover', 20, 40);
      t = 4000;
      p.update('discover', 1, 1); // the stage's end mark completes it (not 1/1)
      assert.deepEqual(lines, [
        'ironforge: discover 20/40, 2.0 s elapsed, ETA 2.0 s',
        'ironforge: discover 40/40, 4.0 s elapsed, done',
      ]);
      const none: string[] = [];
      stageProgress({ quiet: true, tty: false, intervalMs: 0, write: (l) => none.push(l) }).update('x', 1, 2);
      assert.deepEqual(none, []);
    });

    test('nulls hint: impossible, floor-limited with draws_needed, or nothing to say', () => {
      const r = (c: 'PROMOTE' | 'FLOOR-LIMITED' | 'PARK' | 'DISCARD', d: number | null = null) => ({
        class: c,
        drawsNeeded: d,
      });
      assert.match(nullsHint([r('DISCARD')], 50) ?? '', /PROMOTE is impossible with 50 nulls/);
      const h = nullsHint([r('FLOOR-LIMITED', 4000), r('FLOOR-LIMITED', 9000), r('DISCARD')], 200) ?? '';
      assert.match(
        h,
        /2 of 3 motifs are FLOOR-LIMITED and none PROMOTE: with 200 nulls the p-value floor is 1\/\(200\+1\)/,
      );
      assert.match(h, /--nulls ≥ 9000/);
      assert.equal(nullsHint([r('PROMOTE'), r('DISCARD')], 1000), null);
    });

    test('doctor reports Chromium and Redis as optional checks with what they enable', () => {
      const r = ironforge(['doctor', '--json', '--redis', '127.0.0.1:1']);
      const out = JSON.parse(r.stdout) as {
        ok: boolean;
        checks: { name: string; ok: boolean; detail: string; optional?: boolean }[];
      };
      const chromium = out.checks.find((c) => c.name.startsWith('Chromium'));
      const redis = out.checks.find((c) => c.name.startsWith('Redis'));
      assert.ok(chromium?.optional && redis?.optional);
      assert.match(chromium.detail, chromium.ok ? /dashboard screenshots/ : /apt-get install -y chromium/);
      assert.match(redis.detail, redis.ok ? /--redis|Redis tests/ : /apt-get install -y redis-server/);
      assert.equal(r.code, out.checks.every((c) => c.ok || c.optional) ? EXIT.OK : EXIT.FAILED);
    });

    test('npm test lists skipped suites with the reason and what to install', async () => {
      const mod = (await import(pathToFileURL(resolve('scripts/run-tests.mjs')).href)) as {
        skippedFromTap(tap: string): string[];
      };
      assert.deepEqual(
        mod.skippedFromTap('ok 1 - scale: distributed mode # SKIP redis-server not installed\nok 2 - y\n'),
        ['scale: distributed mode: redis-server not installed (apt-get install -y redis-server)'],
      );
    });

    test('test temp folders are removed when the test process exits', async () => {
      const code = `import { mkdtemp } from ${JSON.stringify(pathToFileURL(resolve('dist/test/helpers/tmp.js')).href)};
      const d = await mkdtemp(${JSON.stringify(join(tmpdir(), 'ifg-leak-'))}); process.stdout.write(d);`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
      assert.ok(r.stdout.includes('ifg-leak-'), r.stderr);
      assert.ok(!existsSync(r.stdout));
    });
  },
);
