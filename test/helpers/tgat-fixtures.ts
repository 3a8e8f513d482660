/** Test helpers for the TGAT stage: the synthetic generator lives in src/synthetic/tgat.ts (tune uses it). */
export { T0, type TgatFixture, tgatFixture, windowKnnDag } from '../../src/synthetic/index.js';

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = d; // NaN propagates as the max
  }
  return m;
}
