import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDag, dagInputFromSession } from '../src/graph/dag.js';
import {
  countMotifs,
  mineMotifsDetailed,
  motifTable,
  parseFormId,
  formId,
  type MotifSession,
} from '../src/motifs/index.js';
import { readSessions } from '../src/store/sessions.js';

async function sampleSessions(): Promise<MotifSession[]> {
  const { sessions } = await readSessions(['data/sample/enhanced']);
  return sessions.map((s) => {
    const input = dagInputFromSession(s);
    return { id: s.id, n: input.t.length, ...input, dag: buildDag(input) };
  });
}

describe('motifs on the real NQ sample', () => {
  test('every sample session enumerates; counts add up; IDs parse back', async () => {
    const sessions = await sampleSessions();
    assert.equal(sessions.length, 35);
    const obs = countMotifs(sessions, { sizes: [3, 4] });
    let perSessionTotal = 0;
    for (const ps of obs.perSession) for (const c of ps.count) perSessionTotal += c;
    assert.equal(perSessionTotal, obs.occurrencesBySize[3] + obs.occurrencesBySize[4]);
    assert.ok(obs.catalog.size > 100);
    for (let m = 0; m < obs.catalog.size; m += 97) {
      const f = obs.catalog.form(m);
      assert.deepEqual(parseFormId(formId(f)), f);
    }
  });

  test('a seeded mine over all three nulls is reproducible and fills every table column', async () => {
    const sessions = await sampleSessions();
    const opts = {
      sizes: [3],
      nulls: 40,
      nullModel: 'all' as const,
      seed: 42,
      bootstrap: 200,
      minSupport: 3,
    };
    const a = mineMotifsDetailed(sessions, opts);
    const b = mineMotifsDetailed(sessions, opts);
    assert.deepEqual(a.results, b.results);
    assert.ok(a.testedMotifs > 20);
    const cols = motifTable(a.results);
    for (const [name, col] of Object.entries(cols)) {
      assert.equal(col.length, a.testedMotifs, name);
      // draws_needed is NaN by definition except for FLOOR-LIMITED motifs with a known need.
      if (name !== 'draws_needed')
        for (const v of col) if (typeof v === 'number') assert.ok(!Number.isNaN(v), `${name} has NaN`);
    }
    for (const r of a.results) assert.ok(r.support >= 3 && r.count >= r.support);
  });
});
