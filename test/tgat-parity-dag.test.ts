import { describe } from 'node:test';
import { parityTests } from './helpers/tgat-parity.js';

describe('TGAT parity, DAG mask', () => {
  parityTests([
    { n: 128, dag: true },
    { n: 256, dag: true },
    { n: 512, dag: true },
    { n: 1024, dag: true },
    // DAG roots (no predecessor) with self-attention off: empty rows.
    { n: 256, dag: true, config: { selfAttention: false }, label: 'DAG without self (roots empty) L=256' },
    { n: 1024, dag: true, config: { selfAttention: false }, label: 'DAG without self (roots empty) L=1024' },
    {
      n: 200,
      dag: true,
      config: { hidden: 24, heads: 3, ffnDim: 40, windowMs: 30 * 60_000 },
      label: '3 heads × 8 + 30 min window, DAG L=200',
    },
  ]);
});
