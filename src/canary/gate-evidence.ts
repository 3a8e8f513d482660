/**
 * "Can fail" evidence for every gate: the regression it guards against, the test-only injection that plants
 * it (IRONFORGE_CANARY_INJECT, canary/inject.ts) and the test that runs the canary CLI with it and sees the
 * gate FAIL and the process exit 1. canary.md prints this next to each gate. test/canary-gates-fail.test.ts
 * checks that every gate has an entry and that each named test exists in that file, so the table cannot name
 * a test that is not there.
 */
import type { GateId } from './gates.js';

export interface GateEvidence {
  /** The regression the gate guards against. */
  regression: string;
  /** The injection (value of IRONFORGE_CANARY_INJECT; KERNEL = the enabled kernel). */
  inject: string;
  /** The test file and the test's name. */
  file: string;
  test: string;
}

export const GATE_EVIDENCE_FILE = 'test/canary-gates-fail.test.ts';

export const GATE_EVIDENCE: Record<GateId, GateEvidence> = {
  speedup: {
    regression: 'the enabled kernel slowed at every size',
    inject: 'slow-kernel=KERNEL@all*100',
    file: GATE_EVIDENCE_FILE,
    test: 'a kernel slowed at every size fails the speedup gate',
  },
  parity: {
    regression: 'a gated kernel with a parity error',
    inject: 'parity-error=KERNEL:0.001',
    file: GATE_EVIDENCE_FILE,
    test: 'a kernel with a parity error fails the parity gate',
  },
  memory: {
    regression: 'a memory leak in a kernel',
    inject: 'leak=flash:128',
    file: GATE_EVIDENCE_FILE,
    test: 'a memory leak fails the memory gate',
  },
  'motif-promote': {
    regression: 'a seed-dependent motif class',
    inject: 'motif-seed-class',
    file: GATE_EVIDENCE_FILE,
    test: 'a seed-dependent motif class fails the PROMOTE-agreement gate',
  },
  'motif-rank': {
    regression: 'a seed-dependent motif ranking',
    inject: 'motif-seed-rank',
    file: GATE_EVIDENCE_FILE,
    test: 'a seed-dependent motif ranking fails the top-10 agreement gate',
  },
  regime: {
    regression: 'the enabled kernel slowed in one size category',
    inject: 'slow-kernel=KERNEL@medium*200',
    file: GATE_EVIDENCE_FILE,
    test: 'a kernel slowed in one size category fails the regime gate',
  },
};
