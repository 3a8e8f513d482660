import { describe } from 'node:test';
import { parityTests } from './helpers/tgat-parity.js';

describe('TGAT parity, causal mask', () => {
  parityTests([
    { n: 128, dag: false },
    { n: 256, dag: false },
    { n: 512, dag: false },
    { n: 1024, dag: false },
    // No self-attention: row 0 has an empty mask and must give a finite result.
    {
      n: 256,
      dag: false,
      config: { selfAttention: false },
      label: 'causal without self (row 0 empty) L=256',
    },
    { n: 512, dag: false, config: { windowMs: 15 * 60_000 }, label: 'causal + 15 min window L=512' },
    { n: 256, dag: false, config: { timeBias: false }, label: 'causal, time bias off L=256' },
    // A non-default head width exercises the generic (dh ≠ 11) scoring path of the wasm kernels.
    {
      n: 300,
      dag: false,
      config: { hidden: 32, heads: 2, ffnDim: 64, timeDim: 5, layers: 3 },
      label: 'hidden 32 = 2 heads × 16, 3 layers, timeDim 5, L=300',
    },
  ]);
});
