/**
 * One-line hints of the run/motifs summaries. `nullsHint`: why the number of nulls makes PROMOTE impossible or
 * floor-limited — a Monte-Carlo p-value is at least 1/(nulls+1), while BH needs p·m/k < the PROMOTE q (for the
 * best motif k = 1) — and how many nulls the FLOOR-LIMITED motifs would need (their draws_needed).
 */
import { DEFAULT_THRESHOLDS } from '../stats/index.js';
import type { MotifResult } from '../motifs/index.js';

const fmtP = (p: number): string => (p >= 0.001 ? p.toFixed(4).replace(/0+$/, '') : p.toExponential(1));

export function nullsHint(
  results: readonly Pick<MotifResult, 'class' | 'drawsNeeded'>[],
  nulls: number,
  promoteQ = DEFAULT_THRESHOLDS.promoteQ,
): string | null {
  const m = results.length;
  if (m === 0) return null;
  const promote = results.filter((r) => r.class === 'PROMOTE').length;
  const floorLimited = results.filter((r) => r.class === 'FLOOR-LIMITED');
  const pFloor = 1 / (nulls + 1);
  const needed = floorLimited.map((r) => r.drawsNeeded).filter((d): d is number => d !== null && d > 0);
  const rerun = needed.length
    ? `rerun with --nulls ≥ ${Math.max(...needed)} (the largest draws_needed)`
    : `rerun with more --nulls (≥ ${Math.ceil(m / promoteQ)} lets even one motif pass)`;
  if (pFloor >= promoteQ)
    return (
      `hint: PROMOTE is impossible with ${nulls} nulls: the smallest p-value is 1/(${nulls}+1) = ${fmtP(pFloor)}, ` +
      `not below the PROMOTE q ${promoteQ}; ${rerun}`
    );
  if (floorLimited.length === 0) return null;
  const best = promoteQ / m;
  return (
    `hint: ${floorLimited.length} of ${m} motifs are FLOOR-LIMITED${promote === 0 ? ' and none PROMOTE' : ''}: ` +
    `with ${nulls} nulls the p-value floor is 1/(${nulls}+1) = ${fmtP(pFloor)}, while BH over ${m} motifs needs ` +
    `p ≤ ${promoteQ}·k/${m} (${fmtP(best)} for the best one); ${rerun}`
  );
}
