// Validation's discovery and holdout parts are mined inside the run's own null phase (MineOptions.groups): a
// part's statistics must be exactly what mining that part's sessions alone gives — the draws are per session
// (sessionSeedKeys), not per position — on the serial and the worker-thread paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDag, dagInputFromSession } from '../src/graph/index.js';
import {
  mineMotifsDetailed,
  sessionSeedKeys,
  type MineOptions,
  type MotifMiningRun,
  type MotifSession,
} from '../src/motifs/index.js';
import { Rng } from '../src/stats/index.js';
import { randomSession } from '../src/synthetic/index.js';
import { mineMotifsParallel, threadPoolExecutor } from '../src/scale/index.js';

function sessions(n: number): MotifSession[] {
  const out: MotifSession[] = [];
  for (let k = 0; k < n; k++) {
    const input = dagInputFromSession(randomSession(new Rng(500 + k), 70));
    // two sessions a day, so the bootstrap clusters days in the parts as in the whole
    out.push({ id: `s${k}`, day: `d${k >> 1}`, n: input.t.length, ...input, dag: buildDag(input) });
  }
  return out;
}

/** Every result field that is a number of the analysis (JSON: NaN and ±∞ compare as null). */
const body = (r: MotifMiningRun | null) => r && JSON.stringify({ ...r, timing: null, groupRuns: undefined });

test('seed keys: per session id, the same in any subset; repeated ids still get their own draws', () => {
  const ss = sessions(6);
  const all = sessionSeedKeys(ss);
  const part = sessionSeedKeys([ss[4], ss[1]]);
  assert.deepEqual([part[0], part[1]], [all[4], all[1]]);
  assert.equal(new Set(all).size, 6);
  const dup = sessionSeedKeys([{ id: 'x' }, { id: 'x' }, { id: 'x' }]);
  assert.equal(new Set(dup).size, 3);
});

test('groups: each part finished from the run equals mining the part alone (serial and threads)', async () => {
  const ss = sessions(16);
  // discovery = first 10 sessions (minSupport 3), holdout = last 6 re-tested with minSupport 1
  const of = Int32Array.from(ss, (_, i) => (i < 10 ? 0 : 1));
  for (const nullModel of ['group-shuffle', 'kind-shuffle'] as const) {
    const o: MineOptions = { sizes: [3, 4], nulls: 60, nullModel, seed: 7, batchSize: 16 };
    const grouped = mineMotifsDetailed(ss, { ...o, groups: { of, minSupport: [3, 1] } });
    // the whole run is unchanged by asking for parts
    assert.equal(body(grouped), body(mineMotifsDetailed(ss, o)), `${nullModel}: whole run`);
    assert.ok(grouped.groupRuns);
    assert.deepEqual(
      grouped.groupRuns.sessions(1),
      ss.slice(10).map((s) => s.id),
    );
    const disc = grouped.groupRuns.finish(0);
    const discAlone = mineMotifsDetailed(ss.slice(0, 10), o);
    assert.ok(disc && disc.results.length > 20, `${nullModel}: ${disc?.results.length} discovery motifs`);
    assert.equal(body(disc), body(discAlone), `${nullModel}: discovery`);
    // holdout re-test of every 5th discovery motif plus one that never occurs
    const ids = [
      ...discAlone.results.filter((_, i) => i % 5 === 0).map((r) => r.id),
      'M3:kinds=9,9,9:edges=0>1,1>2',
    ];
    const hold = grouped.groupRuns.finish(1, { minSupport: 1, motifIds: ids });
    const holdAlone = mineMotifsDetailed(ss.slice(10), { ...o, minSupport: 1, motifIds: ids });
    assert.ok(hold && hold.results.length > 3);
    assert.equal(body(hold), body(holdAlone), `${nullModel}: holdout`);
    // a part asked with another minimum support than it was reduced with cannot be answered: null, never wrong
    assert.equal(grouped.groupRuns.finish(1), null);
    if (nullModel === 'group-shuffle') {
      const pool = threadPoolExecutor(2);
      try {
        const par = await mineMotifsParallel(ss, pool, { ...o, groups: { of, minSupport: [3, 1] } });
        assert.equal(body(par), body(grouped), 'threads: whole run');
        assert.equal(body(par.groupRuns!.finish(0)), body(disc), 'threads: discovery');
        assert.equal(
          body(par.groupRuns!.finish(1, { minSupport: 1, motifIds: ids })),
          body(hold),
          'threads: holdout',
        );
      } finally {
        await pool.close();
      }
    }
  }
});
