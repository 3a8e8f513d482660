#!/usr/bin/env node
// Seeded synthetic OHLCV bars as CSV (src/synthetic/bars.ts; build first): the input of the dashboard-weight
// measurement in README ("The dashboard's evidence and weight").
//   node scripts/generate-bars.mjs --days 14 --minutes 1 --seed 2026 --out /tmp/bars-2w-1m.csv
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateBars } from '../dist/src/synthetic/index.js';
import { Rng } from '../dist/src/stats/index.js';

const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '14' },
    minutes: { type: 'string', default: '1' },
    seed: { type: 'string', default: '2026' },
    sigma: { type: 'string', default: '3.5' },
    out: { type: 'string' },
  },
});
const days = Number(values.days);
const minutes = Number(values.minutes);
if (!values.out || !(days > 0) || !(minutes > 0)) {
  console.error(
    'usage: node scripts/generate-bars.mjs --days N --minutes M [--seed S] [--sigma X] --out FILE',
  );
  process.exit(2);
}
const bars = generateBars(new Rng(Number(values.seed)), Math.round((days * 1440) / minutes), {
  timeframeMs: minutes * 60_000,
  sigma: Number(values.sigma),
});
const lines = ['timestamp,open,high,low,close,volume'];
for (let i = 0; i < bars.n; i++)
  lines.push(
    `${bars.t[i]},${bars.open[i]},${bars.high[i]},${bars.low[i]},${bars.close[i]},${bars.volume[i]}`,
  );
writeFileSync(values.out, lines.join('\n') + '\n');
console.log(`${bars.n} bars → ${values.out}`);
