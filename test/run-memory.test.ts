/**
 * What the pipeline keeps after its stages (README "Memory of a whole run"): validation's parts are finished from
 * the motif stage's null phase (run.groupRuns), and once validation is done the result no longer carries them —
 * their per-session null sums and the sessions they read would otherwise live through the writing phase.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPipeline } from '../src/app/index.js';
import { readSessions } from '../src/store/index.js';

test('runPipeline: validation used the parts, and the result does not keep them', async () => {
  const { sessions } = await readSessions(['data/sample/enhanced']);
  const r = await runPipeline(sessions.slice(0, 16), {
    seed: 7,
    kernel: 'reference',
    motifs: { sizes: [3], nulls: 6, bootstrap: 50 },
    controls: [],
  });
  assert.equal(r.validation.status, 'done', 'validation ran (so the parts were mined with the motifs)');
  assert.ok(r.motifs.results.length > 0);
  assert.equal('groupRuns' in r.motifs, false, 'the parts are dropped once validation has finished them');
});
