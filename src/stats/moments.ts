/**
 * Streaming mean / variance of many series at once (one per motif), updated one null replicate at a time
 * with Welford's algorithm in float64, so 10,000 replicates of large counts lose no precision (a naive
 * Σx² would). Also counts, per series, how many replicates reached a fixed observed value (for p-values).
 */
/** RunningMoments as plain data. */
export interface MomentsState {
  n: number;
  mean: Float64Array;
  m2: Float64Array;
  atLeast: Int32Array;
}

/** SelectionTally as plain data. */
export interface TallyState {
  n: number;
  selected: Int32Array;
  selectedAtLeast: Int32Array;
  mean: Float64Array;
  m2: Float64Array;
}

export class RunningMoments {
  readonly size: number;
  /** Replicates seen. */
  n = 0;
  readonly mean: Float64Array;
  private readonly m2: Float64Array;
  /** atLeast[i] = #{replicates with x[i] ≥ threshold[i]}. */
  readonly atLeast: Int32Array;
  private readonly threshold: Float64Array;

  /** `threshold[i]` is the observed value of series i (the p-value counts nulls ≥ it). */
  constructor(threshold: ArrayLike<number>) {
    this.size = threshold.length;
    this.threshold = Float64Array.from(threshold);
    this.mean = new Float64Array(this.size);
    this.m2 = new Float64Array(this.size);
    this.atLeast = new Int32Array(this.size);
  }

  /** Add one replicate: x[offset + i] is series i's value. */
  push(x: ArrayLike<number>, offset = 0): void {
    this.n++;
    const n = this.n;
    for (let i = 0; i < this.size; i++) {
      const v = x[offset + i];
      const d = v - this.mean[i];
      this.mean[i] += d / n;
      this.m2[i] += d * (v - this.mean[i]);
      if (v >= this.threshold[i]) this.atLeast[i]++;
    }
  }

  /** Sample standard deviation (n − 1 denominator); 0 with fewer than 2 replicates. */
  sd(i: number): number {
    return this.n > 1 ? Math.sqrt(this.m2[i] / (this.n - 1)) : 0;
  }

  /**
   * Add another accumulator's replicates (Chan, Golub & LeVeque's pairwise update). Merging the same parts in
   * the same order gives the same bits wherever each part was computed (a worker, this thread); merging into an
   * empty accumulator copies.
   */
  merge(o: MomentsState): void {
    if (o.mean.length !== this.size)
      throw new Error(`moments: merging ${o.mean.length} series into ${this.size}`);
    const nA = this.n;
    const nB = o.n;
    if (nB === 0) return;
    this.n = nA + nB;
    for (let i = 0; i < this.size; i++) this.atLeast[i] += o.atLeast[i];
    if (nA === 0) {
      this.mean.set(o.mean);
      this.m2.set(o.m2);
      return;
    }
    const n = nA + nB;
    for (let i = 0; i < this.size; i++) {
      const d = o.mean[i] - this.mean[i];
      this.mean[i] += (d * nB) / n;
      this.m2[i] += o.m2[i] + (d * d * nA * nB) / n;
    }
  }

  /** Plain typed arrays (to cross a thread or process boundary; `merge` takes them). */
  toState(): MomentsState {
    return { n: this.n, mean: this.mean, m2: this.m2, atLeast: this.atLeast };
  }

  /**
   * The series `pick[k]` as series k: what pushing only those series would have given (each series updates on
   * its own, so the numbers are the same bits).
   */
  subset(pick: ArrayLike<number>): RunningMoments {
    const out = new RunningMoments(Float64Array.from(pick, (i) => this.threshold[i]));
    out.n = this.n;
    for (let k = 0; k < pick.length; k++) {
      out.mean[k] = this.mean[pick[k]];
      out.m2[k] = this.m2[pick[k]];
      out.atLeast[k] = this.atLeast[pick[k]];
    }
    return out;
  }
}

/**
 * Selection-aware exceedance counts. Only motifs observed with support ≥ s (and count ≥ c) are tested, so a
 * fair p-value conditions the nulls on the same filter: p = (#{null passes the filter and reaches obs} + 1) /
 * (#{null passes the filter} + 1), which is uniform under the null given selection (the plain count of nulls
 * ≥ obs is not: on null data it gave p-values ~2.5× too small at p ≤ 0.01).
 */
export class SelectionTally {
  readonly size: number;
  /** Replicates seen. */
  n = 0;
  /** selected[i] = #{replicates in which series i passes the filter}. */
  readonly selected: Int32Array;
  /** selectedAtLeast[i] = #{replicates that pass the filter and reach threshold[i]}. */
  readonly selectedAtLeast: Int32Array;
  /** Mean and variance of the statistic over the selected replicates only (for the tail approximation). */
  readonly mean: Float64Array;
  private readonly m2: Float64Array;
  private readonly threshold: Float64Array;

  constructor(
    threshold: ArrayLike<number>,
    readonly minSupport: number,
    readonly minCount: number,
  ) {
    this.size = threshold.length;
    this.threshold = Float64Array.from(threshold);
    this.selected = new Int32Array(this.size);
    this.selectedAtLeast = new Int32Array(this.size);
    this.mean = new Float64Array(this.size);
    this.m2 = new Float64Array(this.size);
  }

  /** Add one replicate: `stat` is the tested statistic, `support` the sessions containing the motif, `count` its occurrences. */
  push(stat: ArrayLike<number>, support: ArrayLike<number>, count: ArrayLike<number>, offset = 0): void {
    this.n++;
    for (let i = 0; i < this.size; i++) {
      if (support[offset + i] < this.minSupport || count[offset + i] < this.minCount) continue;
      const n = ++this.selected[i];
      const v = stat[offset + i];
      if (v >= this.threshold[i]) this.selectedAtLeast[i]++;
      const d = v - this.mean[i];
      this.mean[i] += d / n;
      this.m2[i] += d * (v - this.mean[i]);
    }
  }

  /** Sample SD of the selected replicates (0 with fewer than 2). */
  sd(i: number): number {
    const n = this.selected[i];
    return n > 1 ? Math.sqrt(this.m2[i] / (n - 1)) : 0;
  }

  /** Add another tally's replicates, per series (see RunningMoments.merge). */
  merge(o: TallyState): void {
    if (o.mean.length !== this.size)
      throw new Error(`tally: merging ${o.mean.length} series into ${this.size}`);
    this.n += o.n;
    for (let i = 0; i < this.size; i++) {
      const nB = o.selected[i];
      if (nB === 0) continue;
      const nA = this.selected[i];
      this.selected[i] = nA + nB;
      this.selectedAtLeast[i] += o.selectedAtLeast[i];
      if (nA === 0) {
        this.mean[i] = o.mean[i];
        this.m2[i] = o.m2[i];
        continue;
      }
      const n = nA + nB;
      const d = o.mean[i] - this.mean[i];
      this.mean[i] += (d * nB) / n;
      this.m2[i] += o.m2[i] + (d * d * nA * nB) / n;
    }
  }

  /** Plain typed arrays (see RunningMoments.toState). */
  toState(): TallyState {
    return {
      n: this.n,
      selected: this.selected,
      selectedAtLeast: this.selectedAtLeast,
      mean: this.mean,
      m2: this.m2,
    };
  }

  /** The series `pick[k]` as series k (same bits as pushing only those series; see RunningMoments.subset). */
  subset(pick: ArrayLike<number>): SelectionTally {
    const out = new SelectionTally(
      Float64Array.from(pick, (i) => this.threshold[i]),
      this.minSupport,
      this.minCount,
    );
    out.n = this.n;
    for (let k = 0; k < pick.length; k++) {
      const i = pick[k];
      out.selected[k] = this.selected[i];
      out.selectedAtLeast[k] = this.selectedAtLeast[i];
      out.mean[k] = this.mean[i];
      out.m2[k] = this.m2[i];
    }
    return out;
  }
}
