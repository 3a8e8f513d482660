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

/** CountMoments as plain data. */
export interface CountMomentsState {
  n: number;
  sum: Float64Array;
  sqHi: Float64Array;
  sqLo: Float64Array;
  atLeast: Int32Array;
}

/** CountTally as plain data. */
export interface CountTallyState {
  n: number;
  selected: Int32Array;
  selectedAtLeast: Int32Array;
  sum: Float64Array;
  sqHi: Float64Array;
  sqLo: Float64Array;
}

function badValue(v: number, i: number): Error {
  return new Error(
    `null moments: series ${i} got ${v}; exact sums need integers in 0..${MAX_VALUE - 1} (motif null counts)`,
  );
}

/** Sample mean and SD (n − 1) of series i from exact sums; 0 SD with fewer than 2 values. */
function meanSd(n: number, sum: number, sqHi: number, sqLo: number): [number, number] {
  if (n === 0) return [0, 0];
  const mean = sum / n;
  if (n < 2) return [mean, 0];
  const ss = BigInt(sqHi) * BigInt(SPLIT) + BigInt(sqLo);
  const s = BigInt(sum);
  const num = BigInt(n) * ss - s * s; // n² · population variance, ≥ 0 exactly
  return [mean, Math.sqrt(Number(num) / (n * (n - 1)))];
}

/** Exact moments of integer series, every replicate seen by every series (see the module comment). */
export class CountMoments {
  readonly size: number;
  n = 0;
  readonly sum: Float64Array;
  readonly sqHi: Float64Array;
  readonly sqLo: Float64Array;
  /** atLeast[i] = #{replicates with x[i] ≥ threshold[i]}. */
  readonly atLeast: Int32Array;
  private readonly threshold: Float64Array;
  private stats: { mean: Float64Array; sd: Float64Array } | null = null;

  /** `threshold[i]` is the observed value of series i (the p-value counts nulls ≥ it). */
  constructor(threshold: ArrayLike<number>) {
    this.size = threshold.length;
    this.threshold = Float64Array.from(threshold);
    this.sum = new Float64Array(this.size);
    this.sqHi = new Float64Array(this.size);
    this.sqLo = new Float64Array(this.size);
    this.atLeast = new Int32Array(this.size);
  }

  /** Add one replicate: x[offset + i] is series i's value. */
  push(x: ArrayLike<number>, offset = 0): void {
    this.n++;
    this.stats = null;
    for (let i = 0; i < this.size; i++) {
      const v = x[offset + i];
      if (v >= this.threshold[i]) this.atLeast[i]++;
      if (v === 0) continue;
      if (!(v > 0 && v < MAX_VALUE && Number.isInteger(v))) throw badValue(v, i);
      this.sum[i] += v;
      const sq = v * v;
      const hi = Math.floor(sq / SPLIT);
      this.sqHi[i] += hi;
      this.sqLo[i] += sq - hi * SPLIT;
    }
  }

  /** Add another accumulator's replicates (integer sums: any order gives the same bits). */
  merge(o: CountMomentsState): void {
    if (o.sum.length !== this.size)
      throw new Error(`moments: merging ${o.sum.length} series into ${this.size}`);
    this.n += o.n;
    this.stats = null;
    for (let i = 0; i < this.size; i++) {
      this.sum[i] += o.sum[i];
      this.sqHi[i] += o.sqHi[i];
      this.sqLo[i] += o.sqLo[i];
      this.atLeast[i] += o.atLeast[i];
    }
  }

  toState(): CountMomentsState {
    return { n: this.n, sum: this.sum, sqHi: this.sqHi, sqLo: this.sqLo, atLeast: this.atLeast };
  }

  /** The series `pick[k]` as series k (what pushing only those series gives). */
  subset(pick: ArrayLike<number>): CountMoments {
    const out = new CountMoments(Float64Array.from(pick, (i) => this.threshold[i]));
    out.n = this.n;
    for (let k = 0; k < pick.length; k++) {
      const i = pick[k];
      out.sum[k] = this.sum[i];
      out.sqHi[k] = this.sqHi[i];
      out.sqLo[k] = this.sqLo[i];
      out.atLeast[k] = this.atLeast[i];
    }
    return out;
  }

  private computed(): { mean: Float64Array; sd: Float64Array } {
    if (!this.stats) {
      const mean = new Float64Array(this.size);
      const sd = new Float64Array(this.size);
      for (let i = 0; i < this.size; i++)
        [mean[i], sd[i]] = meanSd(this.n, this.sum[i], this.sqHi[i], this.sqLo[i]);
      this.stats = { mean, sd };
    }
    return this.stats;
  }

  /** Mean per series. */
  get mean(): Float64Array {
    return this.computed().mean;
  }

  /** Sample standard deviation (n − 1 denominator); 0 with fewer than 2 replicates. */
  sd(i: number): number {
    return this.computed().sd[i];
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
  readonly sum: Float64Array;
  readonly sqHi: Float64Array;
  readonly sqLo: Float64Array;
  private readonly threshold: Float64Array;
  private stats: { mean: Float64Array; sd: Float64Array } | null = null;

  constructor(
    threshold: ArrayLike<number>,
    readonly minSupport: number,
    readonly minCount: number,
  ) {
    this.size = threshold.length;
    this.threshold = Float64Array.from(threshold);
    this.selected = new Int32Array(this.size);
    this.selectedAtLeast = new Int32Array(this.size);
    this.sum = new Float64Array(this.size);
    this.sqHi = new Float64Array(this.size);
    this.sqLo = new Float64Array(this.size);
  }

  /** Add one replicate: `stat` is the tested statistic, `support` the sessions containing the motif, `count` its occurrences. */
  push(stat: ArrayLike<number>, support: ArrayLike<number>, count: ArrayLike<number>, offset = 0): void {
    this.n++;
    this.stats = null;
    for (let i = 0; i < this.size; i++) {
      if (support[offset + i] < this.minSupport || count[offset + i] < this.minCount) continue;
      this.selected[i]++;
      const v = stat[offset + i];
      if (v >= this.threshold[i]) this.selectedAtLeast[i]++;
      if (v === 0) continue;
      if (!(v > 0 && v < MAX_VALUE && Number.isInteger(v))) throw badValue(v, i);
      this.sum[i] += v;
      const sq = v * v;
      const hi = Math.floor(sq / SPLIT);
      this.sqHi[i] += hi;
      this.sqLo[i] += sq - hi * SPLIT;
    }
  }

  merge(o: CountTallyState): void {
    if (o.sum.length !== this.size)
      throw new Error(`tally: merging ${o.sum.length} series into ${this.size}`);
    this.n += o.n;
    this.stats = null;
    for (let i = 0; i < this.size; i++) {
      this.selected[i] += o.selected[i];
      this.selectedAtLeast[i] += o.selectedAtLeast[i];
      this.sum[i] += o.sum[i];
      this.sqHi[i] += o.sqHi[i];
      this.sqLo[i] += o.sqLo[i];
    }
  }

  toState(): CountTallyState {
    return {
      n: this.n,
      selected: this.selected,
      selectedAtLeast: this.selectedAtLeast,
      sum: this.sum,
      sqHi: this.sqHi,
      sqLo: this.sqLo,
    };
  }

  subset(pick: ArrayLike<number>): CountTally {
    const out = new CountTally(
      Float64Array.from(pick, (i) => this.threshold[i]),
      this.minSupport,
      this.minCount,
    );
    out.n = this.n;
    for (let k = 0; k < pick.length; k++) {
      const i = pick[k];
      out.selected[k] = this.selected[i];
      out.selectedAtLeast[k] = this.selectedAtLeast[i];
      out.sum[k] = this.sum[i];
      out.sqHi[k] = this.sqHi[i];
      out.sqLo[k] = this.sqLo[i];
    }
    return out;
  }

  private computed(): { mean: Float64Array; sd: Float64Array } {
    if (!this.stats) {
      const mean = new Float64Array(this.size);
      const sd = new Float64Array(this.size);
      for (let i = 0; i < this.size; i++)
        [mean[i], sd[i]] = meanSd(this.selected[i], this.sum[i], this.sqHi[i], this.sqLo[i]);
      this.stats = { mean, sd };
    }
    return this.stats;
  }

  /** Mean of the selected replicates per series. */
  get mean(): Float64Array {
    return this.computed().mean;
  }

  /** Sample SD of the selected replicates (0 with fewer than 2). */
  sd(i: number): number {
    return this.computed().sd[i];
  }
}
