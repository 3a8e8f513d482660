/**
 * Functional time encoding (Xu et al., TGAT, ICLR 2020): Φ(Δt)_m = cos(ω_m·Δt + φ_m), m = 0..d−1.
 *
 * It enters attention as an additive score bias  b(Δt) = Σ_m β_m·Φ(Δt)_m, scaled per layer and head by γ[l,h]
 * (that is TGAT's time term for the Φ(0) part of the query; see the note in index.ts). Because
 *   cos(ω(t_j − t_i) + φ) = cos(ω t_j + φ)·cos(ω t_i) + sin(ω t_j + φ)·sin(ω t_i),
 * the bias of every pair is a dot product of a row vector (depends on t_j) and a column vector (depends on
 * t_i): 2d multiply-adds per pair, with no transcendental call inside the attention loops. Times are taken
 * relative to the first event, in units of `timeUnitMs`, and the tables are computed in float64.
 */

/** Φ(Δt) into `out` (float64): the encoding vector itself, for callers that want features (and training). */
export function timeEncode(
  omega: ArrayLike<number>,
  phi: ArrayLike<number>,
  dt: number,
  out: Float64Array,
): Float64Array {
  for (let m = 0; m < omega.length; m++) out[m] = Math.cos(omega[m] * dt + phi[m]);
  return out;
}

/** b(Δt) = Σ_m β_m cos(ω_m Δt + φ_m), in float64 (what the reference kernel evaluates per pair). */
export function timeBiasAt(
  omega: ArrayLike<number>,
  phi: ArrayLike<number>,
  beta: ArrayLike<number>,
  dt: number,
): number {
  let s = 0;
  for (let m = 0; m < omega.length; m++) s += beta[m] * Math.cos(omega[m] * dt + phi[m]);
  return s;
}

/** Per-session tables for the factorised bias. */
export interface TimeTables {
  n: number;
  d: number;
  /** (t_i − t_0) / timeUnitMs, float64. */
  tRel: Float64Array;
  /** Row factors [n][2d]: β_m cos(ω_m t_j + φ_m) for m < d, then β_m sin(ω_m t_j + φ_m). */
  row: Float32Array;
  /** Column factors [2d][n] (transposed for contiguous access along keys): cos(ω_m t_i), then sin(ω_m t_i). */
  colT: Float32Array;
}

/** Relative times in units of `unitMs`. */
export function relativeTimes(tMs: Float64Array, unitMs: number): Float64Array {
  const out = new Float64Array(tMs.length);
  const t0 = tMs.length ? tMs[0] : 0;
  for (let i = 0; i < tMs.length; i++) out[i] = (tMs[i] - t0) / unitMs;
  return out;
}

/** Build the factor tables (float64 trig, float32 storage). */
export function buildTimeTables(
  tRel: Float64Array,
  omega: ArrayLike<number>,
  phi: ArrayLike<number>,
  beta: ArrayLike<number>,
): TimeTables {
  const n = tRel.length;
  const d = omega.length;
  const row = new Float32Array(n * 2 * d);
  const colT = new Float32Array(2 * d * n);
  const cosPhi = Float64Array.from({ length: d }, (_, m) => Math.cos(phi[m]));
  const sinPhi = Float64Array.from({ length: d }, (_, m) => Math.sin(phi[m]));
  for (let i = 0; i < n; i++) {
    for (let m = 0; m < d; m++) {
      const a = omega[m] * tRel[i];
      const ca = Math.cos(a);
      const sa = Math.sin(a);
      // cos(a + φ), sin(a + φ) by the angle-addition formulas: two trig calls per (node, m) instead of four.
      row[i * 2 * d + m] = beta[m] * (ca * cosPhi[m] - sa * sinPhi[m]);
      row[i * 2 * d + d + m] = beta[m] * (sa * cosPhi[m] + ca * sinPhi[m]);
      colT[m * n + i] = ca;
      colT[(d + m) * n + i] = sa;
    }
  }
  return { n, d, tRel, row, colT };
}
