// Placeholder until `ironforge tune --write-default` regenerates this file.
import type { AutoTable } from './auto.js';

export const DEFAULT_AUTO_TABLE: AutoTable = {
  format: 'ironforge-tgat-auto-table',
  version: 1,
  measuredAt: 'never',
  machine: { cpu: 'unknown', cores: 0, node: 'unknown', platform: 'unknown' },
  backend: 'wasm',
  trials: 0,
  note: 'placeholder',
  entries: [{ mask: 'causal', n: 128, best: 'baseline', medianMs: {}, minMs: {} }],
};
