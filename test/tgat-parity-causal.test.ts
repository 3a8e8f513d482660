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
  ]);
});
