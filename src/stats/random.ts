/**
 * The one seeded random source of ironforge. Every stochastic step (weight init, null models, bootstrap,
 * clustering, synthetic data) takes an `Rng` so that the same seed gives byte-identical results.
 *
 * Generator: xoroshiro128+ from pure-rand (a documented, well-tested PRNG), seeded with a 32-bit integer
 * (scrambled by `deriveSeed`, first 16 outputs discarded).
 * Floats use 53 bits (pure-rand's uniformFloat64); integers are unbiased (rejection sampling).
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export class Rng {
  private readonly gen: RandomGenerator;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
    // Seeds are scrambled and the first outputs discarded: xoroshiro's first draws from a small seed
    // (e.g. 42, state mostly zero bits) are far from uniform.
    this.gen = xoroshiro128plus(deriveSeed(seed));
    for (let i = 0; i < 16; i++) this.gen.next();
  }

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.gen);
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (n <= 0) throw new Error(`Rng.int needs n > 0, got ${n}`);
    return uniformInt(this.gen, 0, n - 1);
  }

  /** Uniform in [a, b). */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.float();
  }

  /** Standard normal (Marsaglia polar method; deterministic given the seed). */
  normal(): number {
    if (this.spareNormal !== null) {
      const s = this.spareNormal;
      this.spareNormal = null;
      return s;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.float() - 1;
      v = 2 * this.float() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * m;
    return u * m;
  }

  /** In-place Fisher–Yates shuffle of the first `len` entries. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T, len = a.length): T {
    for (let i = len - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
    return a;
  }

  /** A child generator with its own stream, derived deterministically (for per-batch / per-session work). */
  fork(stream: number): Rng {
    return new Rng((this.gen.next() ^ Math.imul(stream + 1, 0x9e3779b1)) | 0);
  }
}

/** Derive a seed for sub-task `i` of a run seeded with `seed` (stable across worker counts). */
export function deriveSeed(seed: number, ...path: number[]): number {
  let h = (seed | 0) ^ 0x85ebca6b;
  for (const p of path) {
    h = Math.imul(h ^ (p | 0), 0xcc9e2d51);
    h = (h << 15) | (h >>> 17);
    h = Math.imul(h, 0x1b873593);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h | 0;
}
