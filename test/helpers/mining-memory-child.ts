/**
 * Child process of the mining memory-bound test (test/motifs-bounded.test.ts): mines `copies` copies of a fixed
 * pool of generated sessions (so the tested motif set is the same whatever `copies` is) and prints, as JSON, the
 * largest live memory (heap used + ArrayBuffers, after a forced GC) seen at the null batch boundaries, and what
 * keeping one session's occurrences would cost.
 * Run with --expose-gc: node --expose-gc dist/test/helpers/mining-memory-child.js <copies> <storeBudget>
 */
import { buildDag, dagInputFromSession } from '../../src/graph/index.js';
import { countMotifs, mineMotifsDetailed, type MotifSession } from '../../src/motifs/index.js';
import { Rng } from '../../src/stats/index.js';
import { randomSession } from '../../src/synthetic/index.js';

const copies = Number(process.argv[2]);
const storeBudget = Number(process.argv[3]);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const POOL = 8;
const pool: MotifSession[] = [];
for (let k = 0; k < POOL; k++) {
  const s = randomSession(new Rng(900 + k), 300);
  const input = dagInputFromSession(s);
  pool.push({ id: `p${k}`, n: input.t.length, ...input, dag: buildDag(input) });
}
// What keeping one session's occurrences costs (1 + size Int32 per occurrence), on average over the pool.
const occ = countMotifs(pool, { sizes: [3, 4] }).occurrencesBySize;
const storeBytesPerSession = ((occ[3] * 4 + occ[4] * 5) * 4) / POOL;
const sessions: MotifSession[] = [];
for (let c = 0; c < copies; c++)
  pool.forEach((s, k) => sessions.push({ ...s, id: `c${c}_p${k}`, day: `day${c * POOL + k}` }));
const live = (): number => {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
gc();
const base = live();
let peak = base;
const run = mineMotifsDetailed(sessions, {
  sizes: [3, 4],
  nulls: 8,
  batchSize: 4,
  nullModel: 'group-shuffle',
  seed: 1,
  storeBudget,
  onProgress: () => (peak = Math.max(peak, live())),
});
process.stdout.write(
  JSON.stringify({
    sessions: sessions.length,
    tested: run.testedMotifs,
    growth: peak - base,
    storeBytesPerSession,
  }) + '\n',
);
