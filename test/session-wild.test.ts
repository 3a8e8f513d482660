// Session files from the wild (issue #18): session_fpfvg, unseen vocabulary, the original tool's adapted layout,
// disagreeing dates, duplicate content under two names, and files far too large to be session records.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSessions } from '../src/store/sessions.js';
import { DEFAULT_SESSION_MAX_BYTES } from '../src/core/defaults.js';
import { classifyExtreme, classifyText } from '../src/session/taxonomy.js';
import { KIND } from '../src/session/types.js';

const WILD = 'test/fixtures/wild';

function ironforge(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/ironforge.js', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('session_fpfvg', () => {
  test('formation and interactions become events, their section recorded in the rule id', async () => {
    const r = await readSessions([`${WILD}/session-fpfvg`]);
    assert.deepEqual(r.failures, []);
    const [s] = r.sessions;
    const fp = s.events.filter((e) => e.rule.startsWith('session_fpfvg'));
    assert.equal(fp.length, 3);
    const formation = fp.find((e) => e.rule === 'session_fpfvg:formation')!;
    assert.equal(formation.kind, KIND.Expansion);
    assert.equal(formation.source, 'fair_value_gap');
    assert.equal(formation.clock, '13:31:00');
    assert.equal(formation.price, (23208.75 + 23208.0) / 2);
    const rebalance = fp.find((e) => e.clock === '13:33:00')!;
    assert.equal(rebalance.kind, KIND.Redelivery);
    assert.equal(rebalance.source, 'fpfvg_interaction');
    assert.equal(rebalance.rule, 'session_fpfvg.interaction_type:rebalance');
    const sweep = fp.find((e) => e.clock === '14:10:00')!;
    assert.equal(sweep.kind, KIND.LiquidityTaken);
    assert.equal(sweep.price, 23190.5);
    // formation and interactions share the gap's level key, so CONTEXT edges join them
    assert.ok(formation.levelKey && fp.every((e) => e.levelKey === formation.levelKey));
    // the malformed interaction is skipped with a warning naming the field and the value
    assert.ok(
      s.warnings.some((w) =>
        /session_fpfvg\.fpfvg_formation\.interactions\[2\]\.interaction_time.*"bad"/.test(w),
      ),
    );
  });

  test('an absent gap (fpfvg_present false, template formation) adds nothing and says nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ironforge-wild-'));
    try {
      const rec = {
        session_metadata: { session_type: 'asia', session_date: '2025-07-24', timezone: 'ET' },
        session_fpfvg: {
          fpfvg_present: false,
          fpfvg_formation: { formation_time: '00:00:00', premium_high: 0, discount_low: 0, interactions: [] },
        },
        price_movements: [{ timestamp: '19:00:00', price_level: 23388.75, movement_type: 'open' }],
      };
      await writeFile(join(dir, 'enhanced_ASIA_Lvl-1_2025_07_24.json'), JSON.stringify(rec));
      const r = await readSessions([dir]);
      assert.equal(r.sessions[0].events.length, 1);
      assert.deepEqual(r.warnings, []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('vocabulary', () => {
  test('takeout is taken, a failure swing a reversal, the session extreme an Anchor', async () => {
    const r = await readSessions([`${WILD}/vocabulary`]);
    const by = new Map(r.sessions[0].events.map((e) => [`${e.source}:${e.label}`, e]));
    const pm = (label: string) => by.get(`price_movement:${label}`)!;
    assert.equal(pm('asia_session_high_takeout').kind, KIND.LiquidityTaken);
    assert.equal(pm('asia_session_high_takeout').rule, 'text:liquidity-taken');
    assert.equal(pm('failure_swing_high').kind, KIND.Reversal);
    assert.equal(pm('session_low_close').kind, KIND.Anchor);
    assert.equal(pm('session_low_close').rule, 'anchor:low');
    assert.equal(pm('session_low_close').levelKey, 'anchor:low');
    assert.equal(pm('london_session_high').rule, 'anchor:high'); // its own session's high, in a LONDON record
    // a liquidity event whose context says takeout
    assert.equal(by.get('liquidity_event:interaction:asia_session_high_takeout')!.kind, KIND.LiquidityTaken);
  });

  test('compound labels: own extreme → Anchor, taking it → LiquidityTaken, another session’s extreme → no rule', () => {
    assert.deepEqual(classifyExtreme('session_low_close', 'LONDON'), {
      kind: KIND.Anchor,
      rule: 'anchor:low',
    });
    assert.deepEqual(classifyExtreme('ny_am_session_high', 'NY_AM'), {
      kind: KIND.Anchor,
      rule: 'anchor:high',
    });
    assert.deepEqual(classifyExtreme('nyam_session_high_printed', 'NY_AM'), {
      kind: KIND.Anchor,
      rule: 'anchor:high',
    });
    assert.equal(classifyExtreme('asia_session_high', 'NY_AM'), null);
    assert.equal(classifyExtreme('session_high_takeout', 'NY_AM'), null);
    assert.equal(classifyText('ny_am_session_low_takeout')?.kind, KIND.LiquidityTaken);
    assert.equal(classifyText('ny_am_session_low_take_out')?.kind, KIND.LiquidityTaken);
    assert.equal(classifyText('failure_swing_low')?.kind, KIND.Reversal);
    // sample wording is unchanged: "failure expansion swing, deeper retracement" stays a retracement
    assert.equal(
      classifyText('failure expansion swing, deeper retracement initiated')?.rule,
      'text:retracement',
    );
  });

  test('the vocabulary report lists every label that fell to a fallback rule, with counts and files', async () => {
    const r = await readSessions([`${WILD}/vocabulary`]);
    const file = r.sessions[0].sourceFile;
    assert.deepEqual(
      r.vocabulary.map((v) => [v.word, v.source, v.rule, v.count, v.files]),
      [
        ['zorblax_drift', 'price_movement', 'fallback:price_movement', 2, [file]],
        ['midnight_session_low', 'price_movement', 'fallback:price_movement', 1, [file]],
      ],
    );
  });

  test('the sample has no fallback words: its vocabulary report is empty', async () => {
    const r = await readSessions(['data/sample/enhanced']);
    assert.deepEqual(r.vocabulary, []);
  });
});

describe('the original tool’s adapted layout', () => {
  test('is refused with a message naming the layout, its keys and what ironforge reads', async () => {
    const r = await readSessions([`${WILD}/adapted`]);
    assert.equal(r.sessions.length, 0);
    assert.equal(r.failures.length, 1);
    const msg = r.failures[0].error;
    assert.match(
      msg,
      /adapted_enhanced_rel_ASIA_Lvl-1_2025_07_24\.json: looks like the original tool's adapted layout/,
    );
    assert.match(msg, /keys events, enhanced_features, adapter_version/);
    assert.match(msg, /ironforge reads enhanced session records \(session_metadata, price_movements/);
    assert.doesNotMatch(msg, /no usable events/);
  });
});

describe('dates', () => {
  test('a metadata date that disagrees with the file name is a warning naming both; the file name is used', async () => {
    const r = await readSessions([`${WILD}/dates-mismatch`]);
    assert.equal(r.sessions[0].date, '2025-08-04');
    const w = r.warnings.find((x) => /session_date/.test(x));
    assert.ok(w, 'no date warning');
    assert.match(w, /enhanced_ASIA_Lvl-1_2025_08_04\.json/);
    assert.match(
      w,
      /"2025-08-05" disagrees with the file name date 2025-08-04.*using the file name date 2025-08-04/,
    );
  });

  test('a file name outside the convention is a warning naming the name, its date and the metadata used', async () => {
    const r = await readSessions([`${WILD}/dates-unnamed`]);
    assert.equal(r.sessions[0].id, 'ASIA_2025-08-06');
    const w = r.warnings.find((x) => /file name/.test(x));
    assert.ok(w, 'no file-name warning');
    assert.match(w, /asia-export-2025-08-07\.json/);
    assert.match(w, /it reads as 2025-08-07/);
    assert.match(w, /using session_metadata: type "asia", date "2025-08-06"/);
  });
});

describe('duplicate content', () => {
  test('the same events under two names/dates: flagged with the hash, the later file left out', async () => {
    const r = await readSessions([`${WILD}/duplicate`]);
    assert.deepEqual(
      r.sessions.map((s) => s.id),
      ['LUNCH_2025-08-04'],
    );
    assert.equal(r.skipped.length, 1);
    assert.match(r.skipped[0].file, /enhanced_LUNCH_Lvl-1_2025_08_05\.json$/);
    const w = r.warnings.find((x) => /same session content/.test(x));
    assert.ok(w);
    assert.match(
      w,
      /enhanced_LUNCH_Lvl-1_2025_08_05\.json: same session content as .*enhanced_LUNCH_Lvl-1_2025_08_04\.json/,
    );
    assert.match(w, /sha256 of the normalised events [0-9a-f]{16}/);
    assert.match(w, /left out of the batch/);
  });
});

describe('large files', () => {
  test('a 200 MB file is refused before it is read, with its size and the limit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ironforge-big-'));
    try {
      const file = join(dir, 'enhanced_NY_AM_Lvl-1_2025_07_29.json');
      const fh = await open(file, 'w');
      await fh.truncate(200 * 1024 * 1024); // sparse: no disk, no time; reading it would take 200 MB of memory
      await fh.close();
      const t0 = process.hrtime.bigint();
      const r = await readSessions([dir]);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      assert.equal(r.failures.length, 1);
      assert.match(
        r.failures[0].error,
        new RegExp(
          `file is 200\\.0 MiB \\(209715200 bytes\\), over the 64\\.0 MiB \\(${DEFAULT_SESSION_MAX_BYTES} bytes\\) limit`,
        ),
      );
      assert.match(r.failures[0].error, /--max-bytes/);
      assert.ok(ms < 2000, `took ${ms} ms`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('the limit is an option: a small limit refuses a real file, a large one reads it', async () => {
    const small = await readSessions([`${WILD}/duplicate/enhanced_LUNCH_Lvl-1_2025_08_04.json`], {
      maxBytes: 100,
    });
    assert.equal(small.sessions.length, 0);
    assert.match(small.failures[0].error, /over the 100 B \(100 bytes\) limit/);
    const big = await readSessions([`${WILD}/duplicate/enhanced_LUNCH_Lvl-1_2025_08_04.json`], {
      maxBytes: 1e6,
    });
    assert.equal(big.sessions.length, 1);
  });
});

describe(
  'ironforge ingest on wild files',
  { skip: !existsSync('dist/src/cli/main.js') && 'run `npm run build` first' },
  () => {
    test('--json carries the vocabulary report; text mode prints it', () => {
      const j = ironforge('ingest', `${WILD}/vocabulary`, '--json');
      assert.equal(j.code, 0, j.stderr);
      const out = JSON.parse(j.stdout) as { vocabulary: { word: string; count: number }[] };
      assert.deepEqual(
        out.vocabulary.map((v) => [v.word, v.count]),
        [
          ['zorblax_drift', 2],
          ['midnight_session_low', 1],
        ],
      );
      const t = ironforge('ingest', `${WILD}/vocabulary`);
      assert.match(t.stdout, /vocabulary: 2 label\(s\) no rule knows/);
      assert.match(t.stdout, /"zorblax_drift" \(price_movement, fallback:price_movement\) ×2/);
    });

    test('--max-bytes refuses a file over it (size named; every file refused = nothing usable, exit 2); a bad value is a usage error (exit 2)', () => {
      const r = ironforge('ingest', `${WILD}/duplicate`, '--max-bytes', '0.25K');
      assert.equal(r.code, 2);
      assert.match(r.stderr, /over the 256 B \(256 bytes\) limit/);
      assert.equal(ironforge('ingest', `${WILD}/duplicate`, '--max-bytes', 'lots').code, 2);
    });
  },
);
