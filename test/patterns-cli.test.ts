import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { parseQueryTime } from '../src/cli/commands/similar.js';
import { writeSampleEmbeddings } from './helpers/stage7-embeddings.js';
import { runStage7Cli } from './helpers/stage7-run.js';

const SAMPLE = 'data/sample/enhanced';

describe('ironforge similar', () => {
  let runDir: string;
  before(async () => {
    runDir = await writeSampleEmbeddings();
  });

  test('--run DIR --json: k moments from other sessions, query at or before the ET time', async () => {
    const r = await runStage7Cli(
      'plain',
      'similar',
      'NY_AM_2025-07-29',
      '10:15',
      SAMPLE,
      '--run',
      runDir,
      '--k',
      '4',
      '--json',
    );
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.query.sessionId, 'NY_AM_2025-07-29');
    assert.ok(out.query.clock <= '10:15:00' && out.query.clock >= '09:30:00', out.query.clock);
    assert.equal(typeof out.query.price, 'number', 'prices attached from the session paths');
    assert.equal(out.moments.length, 4);
    for (const m of out.moments) assert.notEqual(m.sessionId, 'NY_AM_2025-07-29');
  });

  test('an injected encoder replaces --run and gives the same answer', async () => {
    const viaRun = await runStage7Cli(
      'plain',
      'similar',
      'LONDON_2025-07-30',
      '03:00',
      '--run',
      runDir,
      '--json',
    );
    const viaEncoder = await runStage7Cli(
      'inject',
      'similar',
      'LONDON_2025-07-30',
      '03:00',
      SAMPLE,
      '--json',
    );
    assert.equal(viaRun.code, 0, viaRun.stderr);
    assert.equal(viaEncoder.code, 0, viaEncoder.stderr);
    const pick = (o: { moments: { sessionId: string; nodeId: number; distance: number }[] }) =>
      o.moments.map((m) => [m.sessionId, m.nodeId, m.distance]);
    assert.deepEqual(pick(JSON.parse(viaEncoder.stdout)), pick(JSON.parse(viaRun.stdout)));
  });

  test('text output is a ranked table', async () => {
    const r = await runStage7Cli(
      'plain',
      'similar',
      'NY_PM_2025-07-30',
      '14:00',
      '--run',
      runDir,
      '--k',
      '3',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^query: NY_PM_2025-07-30 /);
    assert.match(r.stdout, /rank\s+session\s+time\s+kind\s+event\s+price\s+distance/);
    assert.equal(r.stdout.trim().split('\n').length, 1 + 2 + 3);
  });

  test('usage errors exit 2 with a message: no embeddings source, unknown session, bad time', async () => {
    const none = await runStage7Cli('plain', 'similar', 'NY_AM_2025-07-29', '10:15');
    assert.equal(none.code, 2);
    assert.match(none.stderr, /pass --run DIR/);
    const unknown = await runStage7Cli('plain', 'similar', 'XX_2025-07-29', '10:15', '--run', runDir);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /session "XX_2025-07-29" is not in the embeddings/);
    assert.throws(() => parseQueryTime('quarter past ten'), /time must be HH:MM or HH:MM:SS/);
    assert.equal(parseQueryTime('10:15'), '10:15');
    assert.equal(parseQueryTime('2025-07-29T14:15:00Z'), Date.UTC(2025, 6, 29, 14, 15));
  });
});
