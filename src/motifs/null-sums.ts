/**
 * Σ over null replicates of each session's statistic per tested motif, kept sparse per session (the bootstrap
 * CI's denominators: a session's mean null statistic is its sum / nulls).
 *
 * Why sparse: a session's null counts touch the motifs its own occurrences can become (under a relabel null, a
 * few more than it has), a small share of the tested motifs. The dense sessions × motifs Float64 table it
 * replaces was 4,345 × ~10⁵ × 8 B ≈ 3.5 GB per null model on two years of one-minute bars; this holds
 * Σ_sessions (motifs the session touches) entries, the same order as the observed per-session counts.
 *
 * Sums are of integers, exact in float64 in any order, so batches and workers can be merged in any grouping.
 */

/** Sparse rows of sessions: row si = index[ptr[si] .. ptr[si + 1]) ascending, with value alongside. */
export interface SparseSessionRows {
  ptr: Int32Array;
  index: Int32Array;
  value: Float64Array;
}

export class SessionNullSums {
  readonly nSessions: number;
  readonly nMotifs: number;
  private readonly rowIndex: Int32Array[];
  private readonly rowValue: Float64Array[];
  // Scratch of the session being accumulated.
  private readonly acc: Float64Array;
  private readonly touched: Int32Array;
  private nTouched = 0;

  constructor(nSessions: number, nMotifs: number) {
    this.nSessions = nSessions;
    this.nMotifs = nMotifs;
    this.rowIndex = Array.from({ length: nSessions }, () => new Int32Array(0));
    this.rowValue = Array.from({ length: nSessions }, () => new Float64Array(0));
    this.acc = new Float64Array(nMotifs);
    this.touched = new Int32Array(nMotifs);
  }

  /** Add v to motif m of the session being accumulated (v > 0). */
  add(m: number, v: number): void {
    if (this.acc[m] === 0) this.touched[this.nTouched++] = m;
    this.acc[m] += v;
  }

  /** Merge what was added since the last flush into session si's row. */
  flush(si: number): void {
    const idx = this.rowIndex[si];
    const val = this.rowValue[si];
    for (let k = 0; k < idx.length; k++) this.add(idx[k], val[k]);
    const n = this.nTouched;
    const order = this.touched.slice(0, n).sort();
    const outIdx = new Int32Array(n);
    const outVal = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const m = order[k];
      outIdx[k] = m;
      outVal[k] = this.acc[m];
      this.acc[m] = 0;
    }
    this.nTouched = 0;
    this.rowIndex[si] = outIdx;
    this.rowValue[si] = outVal;
  }

  /** Session si's row: motif indices ascending and their sums. */
  row(si: number): { index: Int32Array; value: Float64Array } {
    return { index: this.rowIndex[si], value: this.rowValue[si] };
  }

  /** All rows as one CSR value (what a worker sends back). */
  toRows(): SparseSessionRows {
    const ptr = new Int32Array(this.nSessions + 1);
    for (let si = 0; si < this.nSessions; si++) ptr[si + 1] = ptr[si] + this.rowIndex[si].length;
    const index = new Int32Array(ptr[this.nSessions]);
    const value = new Float64Array(ptr[this.nSessions]);
    for (let si = 0; si < this.nSessions; si++) {
      index.set(this.rowIndex[si], ptr[si]);
      value.set(this.rowValue[si], ptr[si]);
    }
    return { ptr, index, value };
  }

  /** Add another accumulator's rows (e.g. a worker's batch) into these. */
  addRows(rows: SparseSessionRows): void {
    if (rows.ptr.length !== this.nSessions + 1)
      throw new Error(
        `null sums: ${rows.ptr.length - 1} session rows do not match ${this.nSessions} sessions`,
      );
    for (let si = 0; si < this.nSessions; si++) {
      if (rows.ptr[si + 1] === rows.ptr[si]) continue;
      for (let e = rows.ptr[si]; e < rows.ptr[si + 1]; e++) this.add(rows.index[e], rows.value[e]);
      this.flush(si);
    }
  }
}
