/**
 * Multiple-testing correction. Benjamini–Hochberg (1995) step-up false discovery rate, matching R's
 * `p.adjust(p, "BH")`: q_(i) = min_{j ≥ i} min(1, n·p_(j)/j) over the ascending order of p.
 */

/**
 * Benjamini–Hochberg adjusted p-values ("q-values" in the report), in the input order.
 * NaN entries stay NaN and are not counted in n (R's default `n = sum(!is.na(p))`).
 * Throws when a p-value lies outside [0, 1].
 */
export function benjaminiHochberg(p: ArrayLike<number>, order: readonly number[] = bhOrder(p)): Float64Array {
  const q = new Float64Array(p.length).fill(NaN);
  const n = order.length;
  let running = 1;
  for (let r = n - 1; r >= 0; r--) {
    const i = order[r];
    const adj = (n * p[i]) / (r + 1);
    if (adj < running) running = adj;
    q[i] = running;
  }
  return q;
}

/**
 * The order Benjamini–Hochberg walks: indices of the non-NaN p-values by ascending p, ties by index (a stable
 * order, so results do not depend on the engine's sort); `order[r]` has rank r + 1. Throws when a p-value lies
 * outside [0, 1]. Pass it to {@link benjaminiHochberg} when the ranks are needed too.
 */
export function bhOrder(p: ArrayLike<number>): number[] {
  const order: number[] = [];
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    if (Number.isNaN(v)) continue;
    if (!(v >= 0 && v <= 1)) throw new Error(`benjaminiHochberg: p[${i}] = ${v} is outside [0, 1]`);
    order.push(i);
  }
  order.sort((a, b) => p[a] - p[b] || a - b);
  return order;
}

/**
 * Float64 reference of {@link benjaminiHochberg}, written straight from the definition in O(n²):
 * q_i = min over all j with p_j ≥ p_i of n·p_j / rank_j, where rank_j = #{k : p_k ≤ p_j}, capped at 1.
 * For tests only.
 */
export function benjaminiHochbergReference(p: ArrayLike<number>): Float64Array {
  const idx: number[] = [];
  for (let i = 0; i < p.length; i++) if (!Number.isNaN(p[i])) idx.push(i);
  const n = idx.length;
  const q = new Float64Array(p.length).fill(NaN);
  for (const i of idx) {
    let best = 1;
    for (const j of idx) {
      if (p[j] < p[i]) continue;
      let rank = 0;
      for (const k of idx) if (p[k] <= p[j]) rank++;
      best = Math.min(best, (n * p[j]) / rank);
    }
    q[i] = best;
  }
  return q;
}
