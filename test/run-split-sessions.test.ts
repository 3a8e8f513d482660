// Daily bar files cut at a fixed bar count drift an hour in local time at a DST switch and then cut through a
// session window: the two partial sessions share an id. The run leaves such sessions out with a message naming
// the files (one bad session never aborts a batch), and files cut at a local time between windows split none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZoneClock } from '../src/detect/index.js';
import { writeBarFiles } from '../src/store/index.js';
import { generateBars } from '../src/synthetic/index.js';
import { Rng } from '../src/stats/index.js';
import { loadRunInputs, withoutSplitSessions } from '../src/app/index.js';
import type { Session } from '../src/session/index.js';

// 2025-10-28 04:00 UTC = 00:00 New York daylight time; the fall-back switch is on 2025-11-02.
const START = Date.UTC(2025, 9, 28, 4, 0);
const DAYS = 9;

async function files(cutAtLocal?: string): Promise<{ dir: string; paths: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'ironforge-split-'));
  const bars = generateBars(new Rng(5), DAYS * 1440, { timeframeMs: 60_000, start: START });
  const paths = await writeBarFiles(dir, bars, new ZoneClock('America/New_York'), 1440, 'day', cutAtLocal);
  return { dir, paths };
}

test('withoutSplitSessions: every part of a duplicated id is left out and named with its files', () => {
  const s = (id: string, file: string) => ({ id, sourceFile: file }) as unknown as Session;
  const r = withoutSplitSessions(
    [s('A', 'f1'), s('B', 'f1'), s('B', 'f2'), s('C', 'f2')],
    'America/New_York',
  );
  assert.deepEqual(
    r.sessions.map((x) => x.id),
    ['A', 'C'],
  );
  assert.equal(r.failures.length, 1);
  assert.match(
    r.failures[0].error,
    /session B comes from 2 inputs \(f1, f2\).*left out.*18:30 America\/New_York/,
  );
});

test('files cut every 1,440 bars split a session at the DST switch; cut at 18:30 local they split none', async () => {
  const byCount = await files();
  const byClock = await files('18:30');
  try {
    const errors: string[] = [];
    const a = await loadRunInputs(
      { inputs: [], bars: byCount.paths, barZone: 'America/New_York' },
      { onInputError: (e) => errors.push(e) },
    );
    assert.ok(errors.length > 0, 'a fixed bar count splits sessions after the switch');
    assert.match(errors[0], /session ASIA_2025-11-0\d comes from 2 inputs/);
    assert.equal(new Set(a.sessions.map((s) => s.id)).size, a.sessions.length);
    const clean: string[] = [];
    const b = await loadRunInputs(
      { inputs: [], bars: byClock.paths, barZone: 'America/New_York' },
      { onInputError: (e) => clean.push(e) },
    );
    assert.deepEqual(clean, []);
    assert.ok(b.sessions.length > a.sessions.length, `${b.sessions.length} vs ${a.sessions.length} sessions`);
  } finally {
    await rm(byCount.dir, { recursive: true, force: true });
    await rm(byClock.dir, { recursive: true, force: true });
  }
});
