/** Which encoder a run uses: --weights, the shipped weights with provenance, or seeded — with the fallback said. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseEncoder, SHIPPED_PROVENANCE, SHIPPED_WEIGHTS } from '../src/app/index.js';
import { saveWeights } from '../src/store/index.js';
import { createWeights } from '../src/tgat/index.js';

test('chooseEncoder: file, then shipped (with provenance), then seeded; an unusable file falls back and says why', async () => {
  const root = await mkdtemp(join(tmpdir(), 'ifg-enc-'));
  try {
    // no shipped weights, no file: seeded, nothing to say
    const none = chooseEncoder(null, 7, root);
    assert.equal(none.source, 'seeded');
    assert.equal(none.fallback, null);
    // a good file
    const good = join(root, 'w.bin');
    saveWeights(good, createWeights({}, 3));
    assert.equal(chooseEncoder(good, 7, root).source, 'file');
    // a bad file without shipped weights: seeded, and the reason names the file
    const bad = join(root, 'bad.bin');
    await writeFile(bad, 'not weights');
    const fb = chooseEncoder(bad, 7, root);
    assert.equal(fb.source, 'seeded');
    assert.match(fb.fallback!, /--weights .*bad\.bin: not an ironforge TGAT weights file/);
    // shipped weights with provenance
    await mkdir(join(root, 'data', 'weights'), { recursive: true });
    saveWeights(join(root, SHIPPED_WEIGHTS), createWeights({}, 5));
    await writeFile(join(root, SHIPPED_PROVENANCE), JSON.stringify({ seed: 5, command: 'x' }));
    const shipped = chooseEncoder(null, 7, root);
    assert.equal(shipped.source, 'shipped');
    assert.deepEqual(shipped.provenance, { seed: 5, command: 'x' });
    assert.equal(shipped.fallback, null);
    const bad2 = chooseEncoder(bad, 7, root);
    assert.equal(bad2.source, 'shipped');
    assert.match(bad2.fallback!, /bad\.bin/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
