/**
 * Moments of integer-valued series (null replicate counts of motifs), accumulated as exact integer sums: Σx and
 * Σx² (the latter split at 2³² so each half stays an exact float64 integer). Sums of integers do not depend on
 * the order or grouping of the additions, so replicates reduced in batches on any thread and merged in any order
 * give the same bits as one pass — the property that lets a null batch be reduced where it is counted. The
 * variance is formed once, exactly, from the integer sums (n·Σx² − (Σx)² in BigInt), then rounded.
 *
 * Limits (checked, with a clear error): every value a non-negative integer below 2²⁶ (so x² is exact), fewer
 * than 2²⁶ replicates; both far beyond a motif's null count in one replicate of a run.
 */

const SPLIT = 4294967296; // 2^32
const MAX_VALUE = 67108864; // 2^26

/** Exact Σx and Σx² (split at 2³²) per series: the part CountMoments and CountTally share. */
export interface IntegerSumsState {
  sum: Float64Array;
  sqHi: Float64Array;
  sqLo: Float64Array;
}

/** CountMoments as plain data. */
export interface CountMomentsState extends IntegerSumsState {
  n: number;
  atLeast: Int32Array;
}

/** CountTally as plain data. */
export interface CountTallyState extends IntegerSumsState {
  n: number;
  selected: Int32Array;
  selectedAtLeast: Int32Array;
}

class IntegerSums implements IntegerSumsState {
  readonly sum: Float64Array;
  readonly sqHi: Float64Array;
  readonly sqLo: Float64Array;

  constructor(readonly size: number) {
    this.sum = new Float64Array(size);
    this.sqHi = new Float64Array(size);
    this.sqLo = new Float64Array(size);
  }

  /** Add value v (> 0) to series i. */
  add(i: number, v: number): void {
    if (!(v > 0 && v < MAX_VALUE && Number.isInteger(v)))
      throw new Error(
        `null moments: series ${i} got ${v}; exact sums need integers in 0..${MAX_VALUE - 1} (motif null counts)`,
      );
    this.sum[i] += v;
    const sq = v * v;
    const hi = Math.floor(sq / SPLIT);
    this.sqHi[i] += hi;
    this.sqLo[i] += sq - hi * SPLIT;
  }

  merge(o: IntegerSumsState, what: string): void {
    if (o.sum.length !== this.size)
      throw new Error(`${what}: merging ${o.sum.length} series into ${this.size}`);
    for (let i = 0; i < this.size; i++) {
      this.sum[i] += o.sum[i];
      this.sqHi[i] += o.sqHi[i];
      this.sqLo[i] += o.sqLo[i];
    }
  }

  /** Copy series pick[k] of `from` into series k. */
  pickFrom(from: IntegerSums, pick: ArrayLike<number>): void {
    for (let k = 0; k < pick.length; k++) {
      this.sum[k] = from.sum[pick[k]];
      this.sqHi[k] = from.sqHi[pick[k]];
      this.sqLo[k] = from.sqLo[pick[k]];
    }
  }

  /**
   * Mean and sample SD (n − 1) per series from the exact sums, n(i) values each: the variance's numerator
   * n·Σx² − (Σx)² is formed exactly in BigInt, then rounded once.
   */
  stats(n: (i: number) => number): { mean: Float64Array; sd: Float64Array } {
    const mean = new Float64Array(this.size);
    const sd = new Float64Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const k = n(i);
      if (k === 0) continue;
      mean[i] = this.sum[i] / k;
      if (k < 2) continue;
      const ss = BigInt(this.sqHi[i]) * BigInt(SPLIT) + BigInt(this.sqLo[i]);
      const t = BigInt(this.sum[i]);
      sd[i] = Math.sqrt(Number(BigInt(k) * ss - t * t) / (k * (k - 1)));
    }
    return { mean, sd };
  }
}

/** Exact moments of integer series, every replicate seen by every series (see the module comment). */
export class CountMoments {
  readonly size: number;
  n = 0;
  private readonly sums: IntegerSums;
  /** atLeast[i] = #{replicates with x[i] ≥ threshold[i]}. */
  readonly atLeast: Int32Array;
  private readonly threshold: Float64Array;
  private cached: { mean: Float64Array; sd: Float64Array } | null = null;

  /** `threshold[i]` is the observed value of series i (the p-value counts nulls ≥ it). */
  constructor(threshold: ArrayLike<number>) {
    this.size = threshold.length;
    this.threshold = Float64Array.from(threshold);
    this.sums = new IntegerSums(this.size);
    this.atLeast = new Int32Array(this.size);
  }

  /** Add one replicate: x[offset + i] is series i's value. */
  push(x: ArrayLike<number>, offset = 0): void {
    this.pushStrided(x, offset, 1, 1, 1);
  }

  /**
   * Add `reps` replicates: series i's value in replicate r is x[offset + i·seriesStride + r·repStride] (the null
   * batches' layouts, see batchStrides in motifs/mine.ts). Walks memory in order for either layout; integer sums,
   * so the order changes no bit.
   */
  pushStrided(
    x: ArrayLike<number>,
    offset: number,
    reps: number,
    seriesStride: number,
    repStride: number,
  ): void {
    this.n += reps;
    this.cached = null;
    const thr = this.threshold;
    if (repStride === 1)
      for (let i = 0; i < this.size; i++)
        for (let r = 0, j = offset + i * seriesStride; r < reps; r++, j++) {
          const v = x[j];
          if (v >= thr[i]) this.atLeast[i]++;
          if (v !== 0) this.sums.add(i, v);
        }
    else
      for (let r = 0; r < reps; r++)
        for (let i = 0, j = offset + r * repStride; i < this.size; i++, j += seriesStride) {
          const v = x[j];
          if (v >= thr[i]) this.atLeast[i]++;
          if (v !== 0) this.sums.add(i, v);
        }
  }

  /** Add another accumulator's replicates (integer sums: any order gives the same bits). */
  merge(o: CountMomentsState): void {
    this.sums.merge(o, 'moments');
    this.n += o.n;
    this.cached = null;
    for (let i = 0; i < this.size; i++) this.atLeast[i] += o.atLeast[i];
  }

  toState(): CountMomentsState {
    const { sum, sqHi, sqLo } = this.sums;
    return { n: this.n, sum, sqHi, sqLo, atLeast: this.atLeast };
  }

  /** The series `pick[k]` as series k (what pushing only those series gives). */
  subset(pick: ArrayLike<number>): CountMoments {
    const out = new CountMoments(Float64Array.from(pick, (i) => this.threshold[i]));
    out.n = this.n;
    out.sums.pickFrom(this.sums, pick);
    for (let k = 0; k < pick.length; k++) out.atLeast[k] = this.atLeast[pick[k]];
    return out;
  }

  /** Mean per series. */
  get mean(): Float64Array {
    return (this.cached ??= this.sums.stats(() => this.n)).mean;
  }

  /** Sample standard deviation (n − 1 denominator); 0 with fewer than 2 replicates. */
  sd(i: number): number {
    return (this.cached ??= this.sums.stats(() => this.n)).sd[i];
  }
}

/**
 * Selection-aware exceedance counts. Only motifs observed with support ≥ s (and count ≥ c) are tested, so a
 * fair p-value conditions the nulls on the same filter: p = (#{null passes the filter and reaches obs} + 1) /
 * (#{null passes the filter} + 1), which is uniform under the null given selection (the plain count of nulls
 * ≥ obs is not: on null data it gave p-values ~2.5× too small at p ≤ 0.01). Mean and SD of the selected
 * replicates (the tail approximation) come from exact integer sums, as in CountMoments.
 */
export class CountTally {
  readonly size: number;
  n = 0;
  readonly selected: Int32Array;
  readonly selectedAtLeast: Int32Array;
  private readonly sums: IntegerSums;
  private readonly threshold: Float64Array;
  private cached: { mean: Float64Array; sd: Float64Array } | null = null;

  constructor(
    threshold: ArrayLike<number>,
    readonly minSupport: number,
    readonly minCount: number,
  ) {
    this.size = threshold.length;
    this.threshold = Float64Array.from(threshold);
    this.selected = new Int32Array(this.size);
    this.selectedAtLeast = new Int32Array(this.size);
    this.sums = new IntegerSums(this.size);
  }

  /** Add one replicate: `stat` is the tested statistic, `support` the sessions containing the motif, `count` its occurrences. */
  push(stat: ArrayLike<number>, support: ArrayLike<number>, count: ArrayLike<number>, offset = 0): void {
    this.pushStrided(stat, support, count, offset, 1, 1, 1);
  }

  /** Add `reps` replicates laid out as in CountMoments.pushStrided. */
  pushStrided(
    stat: ArrayLike<number>,
    support: ArrayLike<number>,
    count: ArrayLike<number>,
    offset: number,
    reps: number,
    seriesStride: number,
    repStride: number,
  ): void {
    this.n += reps;
    this.cached = null;
    if (repStride === 1)
      for (let i = 0; i < this.size; i++)
        for (let r = 0, j = offset + i * seriesStride; r < reps; r++, j++)
          this.take(i, stat, support, count, j);
    else
      for (let r = 0; r < reps; r++)
        for (let i = 0, j = offset + r * repStride; i < this.size; i++, j += seriesStride)
          this.take(i, stat, support, count, j);
  }

  /** Series i's value at index j, counted when the replicate passes the selection filter. */
  private take(
    i: number,
    stat: ArrayLike<number>,
    support: ArrayLike<number>,
    count: ArrayLike<number>,
    j: number,
  ): void {
    if (support[j] < this.minSupport || count[j] < this.minCount) return;
    this.selected[i]++;
    const v = stat[j];
    if (v >= this.threshold[i]) this.selectedAtLeast[i]++;
    if (v !== 0) this.sums.add(i, v);
  }

  merge(o: CountTallyState): void {
    this.sums.merge(o, 'tally');
    this.n += o.n;
    this.cached = null;
    for (let i = 0; i < this.size; i++) {
      this.selected[i] += o.selected[i];
      this.selectedAtLeast[i] += o.selectedAtLeast[i];
    }
  }

  toState(): CountTallyState {
    const { sum, sqHi, sqLo } = this.sums;
    return { n: this.n, selected: this.selected, selectedAtLeast: this.selectedAtLeast, sum, sqHi, sqLo };
  }

  subset(pick: ArrayLike<number>): CountTally {
    const out = new CountTally(
      Float64Array.from(pick, (i) => this.threshold[i]),
      this.minSupport,
      this.minCount,
    );
    out.n = this.n;
    out.sums.pickFrom(this.sums, pick);
    for (let k = 0; k < pick.length; k++) {
      out.selected[k] = this.selected[pick[k]];
      out.selectedAtLeast[k] = this.selectedAtLeast[pick[k]];
    }
    return out;
  }

  /** Mean of the selected replicates per series. */
  get mean(): Float64Array {
    return (this.cached ??= this.sums.stats((i) => this.selected[i])).mean;
  }

  /** Sample SD of the selected replicates (0 with fewer than 2). */
  sd(i: number): number {
    return (this.cached ??= this.sums.stats((i) => this.selected[i])).sd[i];
  }
}
