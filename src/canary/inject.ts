/**
 * TEST-ONLY regression injection: the seam through which the tests show that every gate can fail.
 *
 * `IRONFORGE_CANARY_INJECT` (never set in a real run; a run with it says so in canary.json, canary.md and the
 * CLI summary) lists regressions, comma-separated. Each one is injected where the real regression would live —
 * in the TGAT runner (the canary's one doorway to the kernels) or in the motif-mining function the motif phase
 * calls — so that the canary's own measurement path (timings, parity against `reference`, peak RSS, the
 * PROMOTE/top-10 agreement between null seeds) has to catch it; no gate input is edited.
 *
 *   slow-kernel=KERNEL@CATEGORY*FACTOR  KERNEL really runs FACTOR times per call (the extra runs are real work)
 *                                       on sessions whose size lies in CATEGORY (small|medium|large|xl|all)
 *   parity-error=KERNEL:DELTA           KERNEL's first output value is off by DELTA (a kernel with a parity bug)
 *   leak=KERNEL:MB                      every KERNEL call retains MB megabytes, written so they are resident
 *   motif-seed-class                    one motif's class depends on the null seed: the motif with the smallest
 *                                       hash of (seed, id) is PROMOTE (a seed-dependent classification bug)
 *   motif-seed-rank                     every motif's z is replaced by a hash of (seed, id): the ranking by z
 *                                       depends on the null seed
 */
import type { MineOptions, MotifResult, MotifSession } from '../motifs/index.js';
import { mineMotifs } from '../motifs/index.js';
import { deriveSeed } from '../stats/index.js';
import { FlagError } from './flags.js';
import { SCALE_CATEGORIES } from './scale.js';
import type { TgatRunner } from './tgat-adapter.js';

/** The test-only environment variable. */
export const INJECT_ENV = 'IRONFORGE_CANARY_INJECT';

export interface Injection {
  /** The variable's value as given (recorded in the result). */
  spec: string;
  slowKernel: { kernel: string; minN: number; maxN: number; category: string; factor: number }[];
  parityError: { kernel: string; delta: number }[];
  leak: { kernel: string; bytes: number }[];
  motifSeedClass: boolean;
  motifSeedRank: boolean;
}

function bad(item: string, why: string): FlagError {
  return new FlagError(`${INJECT_ENV}: '${item}' ${why}`);
}

function positive(item: string, raw: string, what: string): number {
  const x = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(x) || x <= 0) throw bad(item, `needs ${what} > 0, got '${raw}'`);
  return x;
}

/** Parses the variable; null when unset or empty. Throws FlagError naming the item that is malformed. */
export function parseInjection(env: Record<string, string | undefined>): Injection | null {
  const raw = env[INJECT_ENV];
  if (raw === undefined || raw.trim() === '') return null;
  const inj: Injection = {
    spec: raw.trim(),
    slowKernel: [],
    parityError: [],
    leak: [],
    motifSeedClass: false,
    motifSeedRank: false,
  };
  for (const item of raw.split(',').map((s) => s.trim())) {
    if (item === 'motif-seed-class') inj.motifSeedClass = true;
    else if (item === 'motif-seed-rank') inj.motifSeedRank = true;
    else if (item.startsWith('slow-kernel=')) {
      const m = /^slow-kernel=([\w-]+)@(\w+)\*(.+)$/.exec(item);
      if (!m) throw bad(item, 'is not slow-kernel=KERNEL@CATEGORY*FACTOR');
      const factor = positive(item, m[3], 'an integer FACTOR');
      if (!Number.isInteger(factor)) throw bad(item, `needs an integer FACTOR, got '${m[3]}'`);
      const cat = SCALE_CATEGORIES.find((c) => c.id === m[2]);
      if (!cat && m[2] !== 'all')
        throw bad(item, `names no size category (small|medium|large|xl|all): '${m[2]}'`);
      inj.slowKernel.push({
        kernel: m[1],
        category: m[2],
        minN: cat ? cat.minEvents : 0,
        maxN: cat ? cat.maxEvents : Infinity,
        factor,
      });
    } else if (item.startsWith('parity-error=')) {
      const m = /^parity-error=([\w-]+):(.+)$/.exec(item);
      if (!m) throw bad(item, 'is not parity-error=KERNEL:DELTA');
      inj.parityError.push({ kernel: m[1], delta: positive(item, m[2], 'a DELTA') });
    } else if (item.startsWith('leak=')) {
      const m = /^leak=([\w-]+):(.+)$/.exec(item);
      if (!m) throw bad(item, 'is not leak=KERNEL:MB');
      inj.leak.push({ kernel: m[1], bytes: Math.round(positive(item, m[2], 'MB') * 2 ** 20) });
    } else
      throw bad(
        item,
        'is not a known injection (slow-kernel, parity-error, leak, motif-seed-class, motif-seed-rank)',
      );
  }
  return inj;
}

/** Where the injected leak lives: module scope, so nothing the canary frees can release it. */
const leaked: Uint8Array[] = [];

/** Bytes retained by `leak=` so far in this process. */
export function leakedBytes(): number {
  return leaked.reduce((a, b) => a + b.byteLength, 0);
}

/** The runner with the kernel injections applied (the same runner when there are none). */
export function injectRunner(tgat: TgatRunner, inj: Injection | null): TgatRunner {
  if (!inj || inj.slowKernel.length + inj.parityError.length + inj.leak.length === 0) return tgat;
  return {
    ...tgat,
    encode(kernel, x, n, inDim, t, dag) {
      const slow = inj.slowKernel.find((s) => s.kernel === kernel && n >= s.minN && n <= s.maxN);
      for (let r = 1; r < (slow?.factor ?? 1); r++) tgat.encode(kernel, x, n, inDim, t, dag);
      const out = tgat.encode(kernel, x, n, inDim, t, dag);
      for (const p of inj.parityError)
        if (p.kernel === kernel && out.embeddings.length > 0) out.embeddings[0] += p.delta;
      for (const l of inj.leak)
        if (l.kernel === kernel) {
          const block = new Uint8Array(l.bytes);
          // Touch every page so the leak is resident (counted in RSS), not just reserved.
          for (let i = 0; i < block.length; i += 4096) block[i] = 1;
          leaked.push(block);
        }
      return out;
    },
  };
}

/** FNV-1a of a string, as an unsigned 32-bit number. */
function hashId(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export type MineFn = (sessions: readonly MotifSession[], options: MineOptions) => MotifResult[];

/** The mining function of the motif phase with the motif injections applied (`mineMotifs` when none). */
export function injectMine(inj: Injection | null): MineFn {
  if (!inj || (!inj.motifSeedClass && !inj.motifSeedRank)) return mineMotifs;
  return (sessions, options) => {
    const seed = options.seed ?? 0;
    const key = (id: string) => deriveSeed(seed, hashId(id)) >>> 0;
    let results = mineMotifs(sessions, options);
    if (inj.motifSeedRank) results = results.map((r) => ({ ...r, z: key(r.id) / 2 ** 32 }));
    if (inj.motifSeedClass && results.length > 0) {
      let pick = 0;
      for (let i = 1; i < results.length; i++) if (key(results[i].id) < key(results[pick].id)) pick = i;
      results = results.map((r, i) => (i === pick ? { ...r, class: 'PROMOTE' as const } : r));
    }
    return results;
  };
}
