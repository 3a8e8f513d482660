/**
 * Per-session column standardization (z-scores) of a row-major n × d feature matrix.
 */

export interface ColumnStats {
  /** Column means (float64). */
  mean: Float64Array;
  /** Population standard deviations (float64); 0 for a constant column. */
  sd: Float64Array;
  /** 1 where the column was constant within the data (all values equal) and was therefore set to 0. */
  constant: Uint8Array;
}

/**
 * Standardizes every column in place: x ← (x − mean)/sd with mean and population sd accumulated in float64
 * (two passes). A column whose values are all equal (including n = 1) becomes all 0 — the session simply has
 * no variation there; the exact equality test avoids dividing rounding noise by a ~1e-17 sd. Throws on a
 * non-finite value, naming row and column.
 */
export function standardizeColumns(data: Float32Array | Float64Array, n: number, d: number): ColumnStats {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(d) || d < 0) {
    throw new Error(`standardizeColumns: n and d must be integers ≥ 0, got n = ${n}, d = ${d}`);
  }
  if (data.length !== n * d)
    throw new Error(`standardizeColumns: data.length ${data.length} ≠ n·d = ${n * d}`);
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  const constant = new Uint8Array(d);
  for (let c = 0; c < d; c++) {
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let r = 0; r < n; r++) {
      const x = data[r * d + c];
      if (!Number.isFinite(x)) throw new Error(`standardizeColumns: value at row ${r}, column ${c} is ${x}`);
      sum += x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    if (n === 0) continue;
    const mu = sum / n;
    mean[c] = mu;
    if (min === max) {
      constant[c] = 1;
      for (let r = 0; r < n; r++) data[r * d + c] = 0;
      continue;
    }
    let ss = 0;
    for (let r = 0; r < n; r++) {
      const dev = data[r * d + c] - mu;
      ss += dev * dev;
    }
    const s = Math.sqrt(ss / n);
    sd[c] = s;
    for (let r = 0; r < n; r++) data[r * d + c] = (data[r * d + c] - mu) / s;
  }
  return { mean, sd, constant };
}
