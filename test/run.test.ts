/**
 * `ironforge run` end to end on the bundled sample, as a user runs it: every output file is written, a rerun
 * with the same seed gives byte-identical Parquet and JSON (manifest timings aside), an existing run directory
 * is refused without --force, and the dashboard renders in headless Chromium without errors.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readParquet } from '../src/io/parquet.js';
import { launchChromium } from '../src/app/index.js';

const BIN = resolve('bin/ironforge.js');

function ironforge(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const rel = join(prefix, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(join(dir, e.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

describe(
  'ironforge run on the bundled sample',
  { skip: !existsSync('dist/src/cli/main.js') && 'build first' },
  async () => {
    const out = await mkdtemp(join(tmpdir(), 'ifg-run-'));
    after(() => rm(out, { recursive: true, force: true }));
    const args = ['run', '--out', out, '--nulls', '100', '--no-progress', '--seed', '7'];
    const first = ironforge(...args, '--run-id', 'a');
    const second = ironforge(...args, '--run-id', 'b');

    test('finishes and writes every output of a run directory', async () => {
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /35 sessions/);
      const files = await listFiles(join(out, 'a'));
      for (const f of [
        'manifest.json',
        'dashboard.html',
        'embeddings/embeddings.parquet',
        'embeddings/attention.parquet',
        'patterns/patterns.parquet',
        'patterns/assignments.parquet',
        'motifs/motifs.parquet',
        'confluence/scores.parquet',
        'confluence/windows.parquet',
        'confluence/stats.json',
        'reports/validation.json',
        'shards/shard_NY_AM_2025-07-29/nodes.parquet',
      ]) {
        assert.ok(files.includes(f), `missing ${f}`);
      }
      assert.equal(files.filter((f) => f.startsWith('shards/') && f.endsWith('meta.json')).length, 35);
      const manifest = JSON.parse(await readFile(join(out, 'a', 'manifest.json'), 'utf8'));
      assert.equal(manifest.seed, 7);
      assert.equal(manifest.inputs.files.length, 35);
      for (const f of manifest.inputs.files) assert.match(f.sha256, /^[0-9a-f]{64}$/);
      assert.deepEqual(
        manifest.timings.map((t: { stage: string }) => t.stage),
        ['ingest', 'discover', 'motifs', 'controls', 'patterns', 'confluence', 'validation'],
      );
      // The recording-format negative control is mined beside the real data and reported with it.
      const val = JSON.parse(await readFile(join(out, 'a', 'reports', 'validation.json'), 'utf8'));
      assert.equal(val.controls.controls[0].control, 'group-shuffle');
      assert.equal(val.controls.real.promote, manifest.outputs.promoted);
      assert.ok(Number.isInteger(val.controls.controls[0].promote) && val.controls.controls[0].tested > 0);
      const emb = await readParquet(join(out, 'a', 'embeddings', 'embeddings.parquet'));
      assert.ok(emb.columns[0].values.length > 1000, 'one embedding row per event of the sample');
      assert.deepEqual(
        emb.columns.slice(0, 5).map((c) => c.name),
        ['session_id', 'node_id', 't', 'kind', 'e0'],
      );
    });

    test('the same seed gives byte-identical Parquet and JSON (manifest: timings and creation time aside)', async () => {
      assert.equal(second.code, 0, second.stderr);
      const files = await listFiles(join(out, 'a'));
      assert.deepEqual(await listFiles(join(out, 'b')), files);
      for (const f of files) {
        if (f === 'manifest.json' || f === 'dashboard.html') continue;
        const [x, y] = await Promise.all([readFile(join(out, 'a', f)), readFile(join(out, 'b', f))]);
        assert.ok(x.equals(y), `${f} differs between two runs with the same seed`);
      }
      const strip = (m: Record<string, unknown>) => ({ ...m, runId: null, createdAt: null, timings: null });
      const [ma, mb] = await Promise.all(
        ['a', 'b'].map(async (r) => JSON.parse(await readFile(join(out, r, 'manifest.json'), 'utf8'))),
      );
      assert.deepEqual(strip(ma), strip(mb));
    });

    test('similar --run, score --run and status --runs read the real run directory', () => {
      const sim = ironforge(
        'similar',
        'NY_AM_2025-07-29',
        '10:15',
        '--run',
        join(out, 'a'),
        '--k',
        '3',
        '--json',
      );
      assert.equal(sim.code, 0, sim.stderr);
      const s = JSON.parse(sim.stdout);
      assert.equal(s.query.sessionId, 'NY_AM_2025-07-29');
      assert.equal(s.moments.length, 3);
      for (const m of s.moments) assert.notEqual(m.sessionId, 'NY_AM_2025-07-29');
      const score = ironforge('score', '--run', join(out, 'a'), '--json');
      assert.equal(score.code, 0, score.stderr);
      const j = JSON.parse(score.stdout);
      assert.equal(j.sessionRows.length, 35);
      assert.ok(
        !j.unavailable.some((u: { component: string }) => u.component === 'rarity'),
        'the rarity component found the run embeddings',
      );
      const status = ironforge('status', '--runs', out, '--json');
      assert.equal(status.code, 0, status.stderr);
      const st = JSON.parse(status.stdout);
      assert.deepEqual(
        st.runs.map((r: { run: string }) => r.run),
        ['a', 'b'],
      );
      const a = st.runs[0];
      assert.equal(a.problem, null);
      assert.equal(a.manifest.seed, 7);
      assert.equal(a.files.shards, 35 * 4);
      assert.equal(a.files.embeddings, 2);
      assert.equal(a.dashboard, true);
    });

    test('a foreign folder or an old layout passed as --run: what was expected and found, exit 2, no stack', async () => {
      const old = await mkdtemp(join(tmpdir(), 'ifg-oldrun-'));
      await mkdir(join(old, 'embeddings'));
      await writeFile(join(old, 'embeddings', 'node_embeddings_X.parquet'), 'not parquet');
      for (const cmd of [
        ['similar', 'NY_AM_2025-07-29', '10:15', '--run', old],
        ['score', '--run', old],
      ]) {
        const r = ironforge(...cmd);
        assert.equal(r.code, 2, r.stderr);
        assert.match(
          r.stderr,
          /is not an ironforge run directory: expected manifest\.json .* found 1 entry: embeddings/,
        );
        assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      }
      await writeFile(join(old, 'manifest.json'), JSON.stringify({ kind: 'ironforge.run', version: 0 }));
      const v0 = ironforge('similar', 'NY_AM_2025-07-29', '10:15', '--run', old);
      assert.equal(v0.code, 2);
      assert.match(
        v0.stderr,
        /expected kind "ironforge.run" version 1; found kind "ironforge.run" version 0/,
      );
      const missing = ironforge('score', '--run', join(old, 'nope'));
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /no such run directory/);
      await rm(old, { recursive: true, force: true });
    });

    test('an existing run directory is refused without --force (exit 2); canary results survive --force', async () => {
      const again = ironforge(...args, '--run-id', 'a');
      assert.equal(again.code, 2);
      assert.match(again.stderr, /exists; use --force/);
      assert.equal(ironforge(...args, '--run-id', 'canary').code, 2, '"canary" is reserved');
      // A tiny canary written to its default place in this runs directory …
      const sample = resolve('data/sample/enhanced');
      const canary = ironforge(
        'canary',
        '--runs',
        out,
        '--sessions',
        '4',
        '--sample',
        sample,
        '--lengths',
        '64',
        '--trials',
        '1',
        '--warmup',
        '0',
        '--pipeline-trials',
        '1',
        '--nulls',
        '20',
        '--motif-seeds',
        '2',
        '--no-progress',
      );
      assert.ok(canary.code === 0 || canary.code === 1, canary.stderr);
      const canaryJson = join(out, 'canary', 'canary.json');
      const before = await readFile(canaryJson, 'utf8');
      const st = JSON.parse(ironforge('status', '--runs', out, '--json').stdout);
      assert.equal(st.canary, canaryJson);
      assert.ok(!st.runs.some((r: { run: string }) => r.run === 'canary'), 'the canary folder is not a run');
      // … is found by the next run, and replacing that run leaves it alone.
      const forced = ironforge(...args, '--run-id', 'a', '--force');
      assert.equal(forced.code, 0, forced.stderr);
      assert.equal(await readFile(canaryJson, 'utf8'), before);
      const html = await readFile(join(out, 'a', 'dashboard.html'), 'utf8');
      assert.match(html, /id="canary/);
    });

    test('bad input: no usable sessions or an unwritable output directory fail clearly', async () => {
      const empty = await mkdtemp(join(tmpdir(), 'ifg-empty-'));
      const r = ironforge('run', empty, '--out', out, '--run-id', 'x', '--no-progress');
      assert.equal(r.code, 2);
      assert.match(r.stderr, /no usable sessions/);
      // A regular file where the runs directory should be: not writable as a directory (root ignores modes).
      const blocker = join(empty, 'not-a-dir');
      await writeFile(blocker, 'x');
      const ro = ironforge('run', '--out', blocker, '--nulls', '10', '--no-progress');
      assert.equal(ro.code, 2);
      assert.match(ro.stderr, /cannot write to the runs directory .*not-a-dir: (EEXIST|ENOTDIR)/);
    });

    test('the run dashboard renders in headless Chromium: charts drawn, no console errors', async () => {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const errors: string[] = [];
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(pathToFileURL(join(out, 'a', 'dashboard.html')).href);
        const drawn = await page.$$eval(
          'svg',
          (svgs) =>
            svgs.filter((s) => {
              const r = s.getBoundingClientRect();
              return r.width > 50 && r.height > 50 && s.querySelectorAll('path,rect,circle').length > 2;
            }).length,
        );
        assert.ok(drawn >= 8, `only ${drawn} charts drawn`);
        for (const id of ['chart', 'attention', 'motifs', 'patterns', 'confluence', 'validation']) {
          assert.ok(await page.$(`#${id}`), `section #${id} missing`);
        }
        // the trader's path: pick sessions on the chart, select a motif, show an occurrence on the chart
        const sessions = await page.$$eval('#chart select option', (os) =>
          os.map((o) => (o as unknown as { value: string }).value),
        );
        assert.equal(sessions.length, 35, 'every session selectable');
        const seen = new Set<string>();
        for (const value of sessions.slice(0, 3)) {
          await page.locator('#chart select').first().selectOption(value);
          const st = (await page.evaluate('window.ironforgeChart.state()')) as {
            sessionId: string;
            points: number;
            bars: number;
            events: number;
          };
          seen.add(st.sessionId);
          assert.ok(
            st.points + st.bars > 0 && st.events > 0,
            `session ${st.sessionId} drawn: ${JSON.stringify(st)}`,
          );
        }
        assert.equal(seen.size, 3, 'three different sessions drawn');
        await page.locator('#motifs tbody tr[data-i]').first().click();
        const jumps = page.locator('#mb-detail .mb-jump');
        assert.ok((await jumps.count()) > 0, 'the selected motif lists its occurrences');
        // selecting marks every listed occurrence in its first session: as many marks as rows of that session
        const marked = (await page.evaluate('window.ironforgeChart.state()')) as {
          sessionId: string;
          highlighted: number;
        };
        const inSession = await page.$$eval(
          '#mb-detail table.mb-occ tbody tr td:first-child',
          (tds, sid) => tds.filter((td) => td.textContent === sid).length,
          marked.sessionId,
        );
        assert.ok(inSession > 0);
        assert.equal(marked.highlighted, inSession, 'one mark per occurrence of the motif in the session');
        await jumps.first().click();
        const after = await page.evaluate(() =>
          (
            globalThis as unknown as { ironforgeChart: { state(): { highlighted: number } } }
          ).ironforgeChart.state(),
        );
        assert.ok(after.highlighted >= 3, `occurrence marked on the chart: ${JSON.stringify(after)}`);
        assert.deepEqual(errors, []);
        const paint = (await page.evaluate(
          "performance.getEntriesByType('paint').map((e) => e.name + ' ' + Math.round(e.startTime) + ' ms')",
        )) as string[];
        console.log(
          `dashboard ${(await stat(join(out, 'a', 'dashboard.html'))).size} bytes; ${paint.join(', ')}`,
        );
        await mkdir('test-output', { recursive: true });
        await page.screenshot({ path: 'test-output/run-dashboard.png', fullPage: true });
        await page.setViewportSize({ width: 420, height: 900 });
        const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
        assert.ok(width <= 420, `horizontal scroll at 420 px: ${width}`);
        await page.screenshot({ path: 'test-output/run-dashboard-420.png', fullPage: false });
      } finally {
        await browser.close();
      }
    });
  },
);

describe(
  'ironforge run with a single session',
  { skip: !existsSync('dist/src/cli/main.js') && 'build first' },
  async () => {
    test('validation is skipped with the reason; the run finishes and the dashboard says so', async () => {
      const out = await mkdtemp(join(tmpdir(), 'ifg-run-one-'));
      after(() => rm(out, { recursive: true, force: true }));
      const one = 'data/sample/enhanced/enhanced_rel_NY_AM_Lvl-1_2025_07_29.json';
      const r = ironforge('run', one, '--out', out, '--nulls', '20', '--no-progress', '--run-id', 'one');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /validation skipped: temporal split: needs at least 2 sessions, got 1/);
      const rep = JSON.parse(await readFile(join(out, 'one', 'reports', 'validation.json'), 'utf8'));
      assert.equal(rep.status, 'skipped');
      assert.equal(rep.reason, 'temporal split: needs at least 2 sessions, got 1');
      assert.ok(rep.skipped.includes('temporal split'));
      const manifest = JSON.parse(await readFile(join(out, 'one', 'manifest.json'), 'utf8'));
      assert.deepEqual(manifest.outputs.validation, { skipped: rep.reason });
      const html = await readFile(join(out, 'one', 'dashboard.html'), 'utf8');
      assert.match(html, /needs at least 2 sessions, got 1/);
    });
  },
);
