/**
 * writeRunDir builds a table given as a function only when its file is written, after the previous table's file:
 * so a run holds one table's columns at a time while writing (the tables of a long run are each hundreds of MB).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Column } from '../src/core/index.js';
import { readParquet } from '../src/io/index.js';
import { runPaths, RUN_FILES, writeRunDir, type RunContents } from '../src/store/index.js';

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

test('writeRunDir: each table function is called once, after the previous table was written', async () => {
  const root = mkdtempSync(join(tmpdir(), 'ironforge-lazy-'));
  try {
    const runDir = join(root, 'run');
    const names = [
      'embeddings',
      'attention',
      'patterns',
      'assignments',
      'motifs',
      'confluenceScores',
      'confluenceWindows',
    ] as const;
    const calls: string[] = [];
    const seenOnDisk: string[][] = [];
    const table = (name: (typeof names)[number], k: number) => (): Column[] => {
      calls.push(name);
      // the files written so far, wherever the run is being built (a temporary sibling of runDir)
      seenOnDisk.push(filesUnder(root).map((f) => f.split('/').slice(1).join('/')));
      return [{ name: 'x', type: 'int32', values: Int32Array.of(k, k + 1) }];
    };
    const tables = Object.fromEntries(names.map((n, k) => [n, table(n, k)])) as RunContents['tables'];
    await writeRunDir(runDir, {
      shards: [],
      tables,
      confluenceStats: '{}\n',
      validation: '{}\n',
      evaluation: null,
      manifest: '{}\n',
      dashboard: '<html></html>\n',
    });
    assert.deepEqual(calls, [...names], 'each table built once, in writing order');
    names.forEach((n, k) => {
      const before = names.slice(0, k).map((m) => RUN_FILES[m]);
      for (const f of before) assert.ok(seenOnDisk[k].includes(f), `${f} written before ${n} is built`);
      assert.ok(!seenOnDisk[k].includes(RUN_FILES[n]), `${n} is built before its file is written`);
    });
    const paths = runPaths(runDir);
    for (const [k, n] of names.entries()) {
      const t = await readParquet(paths[n]);
      assert.deepEqual(Array.from(t.columns[0].values as Int32Array), [k, k + 1], n);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
