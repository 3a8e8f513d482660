/** The motif stability gates on hand-made motif results: PROMOTE-set Jaccard and top-10 overlap by z. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateGates, exitCodeFor, thresholdsFor, verdict, type GateFigures } from '../src/canary/gates.js';
import { agreementFigures, NO_PROMOTE } from '../src/canary/motif-stability.js';
import { jaccard, motifAgreement, topIdsByZ, type AgreementResult } from '../src/motifs/index.js';

/** 12 motifs m00…m11 with z = 12 − i; `promote` lists the PROMOTE ones. */
function run(label: string, promote: string[], zOf: (i: number) => number = (i) => 12 - i) {
  const results: AgreementResult[] = Array.from({ length: 12 }, (_, i) => {
    const id = `m${String(i).padStart(2, '0')}`;
    return { id, z: zOf(i), class: promote.includes(id) ? 'PROMOTE' : 'PARK' };
  });
  return { label, results };
}

const rest: Omit<GateFigures, 'motifJaccard' | 'motifTopOverlap'> = {
  overallSpeedup: { value: 1.84 },
  parityMaxAbs: { value: 1e-7 },
  memoryShare: { value: 0.01 },
  regimeMinSpeedup: { value: 1.5 },
};

function gatesOf(comparisons: Parameters<typeof agreementFigures>[0]) {
  const f = agreementFigures(comparisons);
  return evaluateGates(
    { ...rest, motifJaccard: f.promoteJaccard, motifTopOverlap: f.topOverlap },
    thresholdsFor(false),
  );
}
const status = (g: ReturnType<typeof gatesOf>, id: string) => g.find((x) => x.id === id)!;

describe('motif stability gate', () => {
  test('Jaccard and top-k by z', () => {
    assert.equal(jaccard(new Set(['a', 'b']), new Set(['b', 'c'])), 1 / 3);
    assert.equal(jaccard(new Set(), new Set()), null);
    assert.equal(jaccard(new Set(['a']), new Set()), 0);
    const r = run('x', [], (i) => (i === 3 ? NaN : i === 5 ? 12 : 12 - i)).results;
    assert.deepEqual(topIdsByZ(r, 3), ['m00', 'm05', 'm01']);
    assert.equal(topIdsByZ(r, 12).at(-1), 'm03', 'NaN z last');
  });

  test('two seeds with disjoint PROMOTE sets fail the gate (CONDITIONAL APPROVAL, exit 1)', () => {
    const seeds = motifAgreement([run('seed=1', ['m00', 'm01']), run('seed=2', ['m02', 'm03'])], 10);
    assert.equal(seeds.promoteJaccard, 0);
    assert.deepEqual(seeds.worstJaccardPair, ['seed=1', 'seed=2']);
    assert.deepEqual(seeds.promoted, [2, 2]);
    assert.equal(seeds.topOverlap, 1, 'same z ranking');
    const g = gatesOf([seeds, null]);
    assert.equal(status(g, 'motif-promote').status, 'fail');
    assert.equal(status(g, 'motif-promote').measured, 0);
    assert.equal(status(g, 'motif-rank').status, 'pass');
    assert.equal(exitCodeFor(g), 1);
    assert.equal(verdict(g), 'CONDITIONAL APPROVAL');
  });

  test('a reshuffled top-10 across kernels fails the rank gate; the worse comparison is the figure', () => {
    const seeds = motifAgreement([run('seed=1', ['m00']), run('seed=2', ['m00'])], 10);
    // In "flash", m10 and m11 jump to the top: 8 of the reference's top-10 remain.
    const kernels = motifAgreement(
      [run('reference', ['m00']), run('flash', ['m00'], (i) => (i >= 10 ? 100 + i : 12 - i))],
      10,
    );
    assert.equal(kernels.topOverlap, 0.8);
    const g = gatesOf([seeds, kernels]);
    assert.equal(status(g, 'motif-rank').measured, 0.8);
    assert.equal(status(g, 'motif-rank').status, 'fail');
    assert.equal(status(g, 'motif-promote').status, 'pass');
  });

  test('identical PROMOTE sets and rankings pass', () => {
    const p = ['m00', 'm01', 'm02'];
    const seeds = motifAgreement([run('seed=1', p), run('seed=2', p), run('seed=3', p)], 10);
    const kernels = motifAgreement([run('reference', p), run('flash', p)], 10);
    const g = gatesOf([seeds, kernels]);
    assert.equal(status(g, 'motif-promote').measured, 1);
    assert.equal(status(g, 'motif-rank').measured, 1);
    assert.ok(g.every((x) => x.status === 'pass'));
    assert.equal(verdict(g), 'APPROVED');
  });

  test('no PROMOTE in any run: the Jaccard gate is explicitly not applicable, not a pass', () => {
    const seeds = motifAgreement([run('seed=1', []), run('seed=2', [])], 10);
    assert.equal(seeds.promoteJaccard, null);
    const g = gatesOf([seeds, null]);
    const j = status(g, 'motif-promote');
    assert.equal(j.status, 'n/a');
    assert.equal(j.measured, null);
    assert.equal(j.note, NO_PROMOTE);
    assert.match(NO_PROMOTE, /no PROMOTE.*gate not applicable/);
    assert.equal(status(g, 'motif-rank').status, 'pass');
    assert.equal(exitCodeFor(g), 0);
    // One run with PROMOTE motifs and one without is a disagreement, not "not applicable".
    const half = motifAgreement([run('seed=1', ['m00']), run('seed=2', [])], 10);
    assert.equal(half.promoteJaccard, 0);
  });
});
