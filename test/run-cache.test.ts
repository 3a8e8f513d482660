/**
 * Incremental and interrupted runs (README "Incremental runs"): a run that reads per-session work from the
 * stage cache writes the same bytes as a run that computes everything (--no-cache), and a run killed with
 * SIGKILL half-way resumes from the entries it finished, again with the same bytes.
 *
 * Input: two days of generated one-minute bars, one CSV file per day (16 sessions); few nulls and no controls
 * so that the five runs stay short.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateBars } from '../src/synthetic/index.js';
import { Rng } from '../src/stats/random.js';
import { ZoneClock } from '../src/detect/index.js';
import { writeBarFiles } from '../src/store/index.js';

const BIN = resolve('bin/ironforge.js');

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const rel = join(prefix, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(join(dir, e.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

/** Every file of run `b` equals run `a`'s byte for byte; the manifest aside its id, creation time and timings. */
async function assertSameRun(a: string, b: string): Promise<void> {
  const files = await listFiles(a);
  assert.deepEqual(await listFiles(b), files);
  for (const f of files) {
    // the dashboard shows the timings and creation time (as the manifest does); everything else must match
    if (f === 'manifest.json' || f === 'dashboard.html') continue;
    const [x, y] = await Promise.all([readFile(join(a, f)), readFile(join(b, f))]);
    assert.ok(x.equals(y), `${f} differs between ${a} and ${b}`);
  }
  const strip = (m: Record<string, unknown>) => ({ ...m, runId: null, createdAt: null, timings: null });
  const [ma, mb] = await Promise.all(
    [a, b].map(async (r) => JSON.parse(await readFile(join(r, 'manifest.json'), 'utf8'))),
  );
  assert.deepEqual(strip(mb), strip(ma));
}

function countEntries(dir: string): Promise<number> {
  return listFiles(dir).then(
    (f) => f.filter((x) => x.endsWith('.bin')).length,
    () => 0,
  );
}

describe('run with the stage cache', { skip: !existsSync('dist/src/cli/main.js') && 'build first' }, () => {
  let dir = '';
  let files: string[] = [];
  const runArgs = (id: string, ...more: string[]) => [
    BIN,
    'run',
    '--bars',
    ...files,
    '--out',
    join(dir, 'runs'),
    '--run-id',
    id,
    '--nulls',
    '5',
    '--controls',
    'none',
    '--workers',
    '1',
    '--no-progress',
    ...more,
  ];
  const run = (id: string, ...more: string[]) =>
    spawnSync(process.execPath, runArgs(id, ...more), { encoding: 'utf8', timeout: 600_000 });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ifg-run-cache-'));
    const bars = generateBars(new Rng(20), 2 * 1440, { timeframeMs: 60_000 });
    files = await writeBarFiles(join(dir, 'bars'), bars, new ZoneClock('America/New_York'), 1440);
    const plain = run('plain', '--no-cache');
    assert.equal(plain.status, 0, plain.stderr);
    assert.doesNotMatch(plain.stdout, /\d+ reused/);
    assert.ok(!existsSync(join(dir, 'runs', '.cache')), '--no-cache wrote a cache');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('a cold and a warm cached run write the bytes of the uncached run', async () => {
    const cache = join(dir, 'cache-a');
    const cold = run('cold', '--cache', cache);
    assert.equal(cold.status, 0, cold.stderr);
    assert.match(cold.stdout, /cache .*: 0 reused, (\d+) computed/);
    const warm = run('warm', '--cache', cache);
    assert.equal(warm.status, 0, warm.stderr);
    // 2 bar files + 16 sessions' discovery + 16 shards, all reused
    const m = /cache .*: (\d+) reused, (\d+) computed/.exec(warm.stdout);
    assert.ok(m, warm.stdout);
    assert.equal(Number(m[2]), 0, warm.stdout);
    assert.equal(Number(m[1]), await countEntries(cache));
    await assertSameRun(join(dir, 'runs', 'plain'), join(dir, 'runs', 'cold'));
    await assertSameRun(join(dir, 'runs', 'plain'), join(dir, 'runs', 'warm'));
  });

  test('a run killed with SIGKILL resumes from its finished entries and writes the same bytes', async () => {
    const cache = join(dir, 'cache-k');
    const child = spawn(process.execPath, runArgs('killed', '--cache', cache), { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((ok) => child.on('exit', (_c, sig) => ok(sig)));
    // kill as soon as the first per-session discovery entry is on disk: mid-run, after some work is kept
    for (let i = 0; i < 6000 && (await countEntries(join(cache, 'discover'))) === 0; i++) await sleep(50);
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL', 'the run finished before it could be killed');
    assert.ok(!existsSync(join(dir, 'runs', 'killed')), 'a killed run left a run folder');
    const kept = await countEntries(cache);
    assert.ok(kept > 0);
    const again = run('killed', '--cache', cache);
    assert.equal(again.status, 0, again.stderr);
    const m = /cache .*: (\d+) reused, (\d+) computed/.exec(again.stdout);
    assert.ok(m && Number(m[1]) > 0, `the re-run reused nothing: ${again.stdout}`);
    await assertSameRun(join(dir, 'runs', 'plain'), join(dir, 'runs', 'killed'));
  });
});
