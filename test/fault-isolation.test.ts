/**
 * Never lose a batch: good sessions plus broken ones through `run`, `discover`, `score` and `evaluate`. Every
 * command finishes with the good sessions, exits 1, names each bad file with its field and value, and prints no
 * stack trace.
 */
import { before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve('bin/ironforge.js');
const SAMPLE = 'data/sample/enhanced';
const GOOD = [
  'enhanced_rel_NY_AM_Lvl-1_2025_07_24.json',
  'enhanced_rel_NY_AM_Lvl-1_2025_07_25.json',
  'enhanced_rel_NY_AM_Lvl-1_2025_07_28.json',
  'enhanced_rel_NY_AM_Lvl-1_2025_07_29.json',
];
let dir: string;
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 180_000 });

function noStackTrace(stderr: string): void {
  assert.ok(!/\n\s+at .+:\d+:\d+\)?\n/.test(stderr), `stack trace on stderr:\n${stderr}`);
}

describe('fault isolation', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ifg-faults-'));
    for (const f of GOOD) await copyFile(join(SAMPLE, f), join(dir, f));
    const rec = JSON.parse(await readFile(join(SAMPLE, 'enhanced_rel_NY_AM_Lvl-1_2025_07_30.json'), 'utf8'));
    rec.price_movements[2].price_level = 1e308;
    await writeFile(join(dir, 'enhanced_rel_NY_AM_Lvl-1_2025_07_30.json'), JSON.stringify(rec));
    // a damaged corpus beside it: truncated, binary, empty, wrong types, no events
    const text = await readFile(join(SAMPLE, 'enhanced_rel_NY_AM_Lvl-1_2025_07_31.json'), 'utf8');
    await writeFile(join(dir, 'enhanced_rel_NY_AM_Lvl-1_2025_07_31.json'), text.slice(0, text.length / 2));
    await writeFile(
      join(dir, 'enhanced_rel_LONDON_Lvl-1_2025_07_24.json'),
      Buffer.from([0, 1, 2, 0xff, 0x1b, 0x5b]),
    );
    await writeFile(join(dir, 'enhanced_rel_LONDON_Lvl-1_2025_07_25.json'), '');
    const typed = JSON.parse(
      await readFile(join(SAMPLE, 'enhanced_rel_LONDON_Lvl-1_2025_07_28.json'), 'utf8'),
    );
    // every event section of the wrong type: nothing usable is left (a partly damaged record is read with
    // warnings instead, which `ingest --show-warnings` lists)
    const wrong = {
      session_metadata: typed.session_metadata,
      price_movements: 'not a list',
      session_liquidity_events: 7,
    };
    await writeFile(join(dir, 'enhanced_rel_LONDON_Lvl-1_2025_07_28.json'), JSON.stringify(wrong));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const BAD = [
    ['enhanced_rel_NY_AM_Lvl-1_2025_07_30.json', /price: 1e\+308/],
    ['enhanced_rel_NY_AM_Lvl-1_2025_07_31.json', /./],
    ['enhanced_rel_LONDON_Lvl-1_2025_07_24.json', /./],
    ['enhanced_rel_LONDON_Lvl-1_2025_07_25.json', /./],
    ['enhanced_rel_LONDON_Lvl-1_2025_07_28.json', /./],
  ] as const;

  function namesEveryBadFile(stderr: string): void {
    for (const [file, detail] of BAD) {
      const line = stderr.split('\n').find((l) => l.includes(file));
      assert.ok(line, `${file} is not named on stderr:\n${stderr}`);
      assert.match(line, detail);
      // eslint-disable-next-line no-control-regex -- the point: no raw control bytes reach the terminal
      assert.ok(!/[\x00-\x08\x0e-\x1f]/.test(line), `raw control bytes echoed: ${JSON.stringify(line)}`);
    }
  }

  test('run: exit 1, the run holds every good session, each bad file named (field and value for 1e308)', async () => {
    const runs = join(dir, 'runs');
    const r = cli('run', dir, '--out', runs, '--run-id', 'x', '--nulls', '20', '--no-progress');
    assert.equal(r.status, 1, r.stderr);
    noStackTrace(r.stderr);
    namesEveryBadFile(r.stderr);
    const manifest = JSON.parse(await readFile(join(runs, 'x', 'manifest.json'), 'utf8'));
    assert.equal(manifest.inputs.sessions, GOOD.length);
    assert.equal(manifest.inputs.failed.length, BAD.length);
  });

  test('discover and score: exit 1, outputs for the good sessions, the bad files named', () => {
    for (const cmd of ['discover', 'score']) {
      const out = join(dir, `out-${cmd}`);
      const r = cli(cmd, dir, '--out', out);
      assert.equal(r.status, 1, `${cmd}: ${r.stderr}`);
      noStackTrace(r.stderr);
      namesEveryBadFile(r.stderr);
    }
  });

  test('evaluate --records: exit 1, the bad record files named, the bars evaluated', () => {
    const r = cli(
      'evaluate',
      '--bars',
      'data/sample/bars/nq_m5_from_records.csv',
      '--records',
      dir,
      '--no-oracle',
      '--json',
    );
    assert.equal(r.status, 1, r.stderr);
    noStackTrace(r.stderr);
    namesEveryBadFile(r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.evaluations.length, 1);
  });
});

describe('fault isolation inside the pipeline', () => {
  test('a session with a non-finite price is left out of every stage and reported with file, field and value', async () => {
    const { readSessions } = await import('../src/store/index.js');
    const { runPipeline } = await import('../src/app/index.js');
    const { sessions } = await readSessions(GOOD.map((f) => join(SAMPLE, f)));
    // past the reader's checks (a Session built by a caller): one event with an infinite price
    const broken = structuredClone(sessions[1]);
    broken.events[3].price = Infinity;
    const input = [sessions[0], broken, ...sessions.slice(2)];
    const r = await runPipeline(input, {
      seed: 42,
      kernel: 'reference',
      motifs: { sizes: [3], nulls: 10, nullModel: 'group-shuffle' },
      controls: [],
    });
    assert.equal(r.sessions.length, GOOD.length - 1);
    assert.ok(!r.sessions.includes(broken));
    assert.equal(r.faults.length, 1);
    assert.equal(r.faults[0].session, broken.id);
    assert.equal(r.faults[0].stage, 'discover');
    assert.equal(r.faults[0].field, 'events[3].price');
    assert.equal(r.faults[0].value, 'Infinity');
    assert.equal(r.discovered.length, GOOD.length - 1);
  });
});
