/**
 * Motif classes. Rules, in order (the original's order, with the BH q-value in place of the raw p-value):
 * DISCARD when q > discardQ, lift < discardLift or CI low ≤ discardCiLow; PROMOTE when lift ≥ promoteLift,
 * q < promoteQ and CI low ≥ promoteCiLow; otherwise PARK.
 */
export type MotifClass = 'PROMOTE' | 'FLOOR-LIMITED' | 'PARK' | 'DISCARD';

export interface ClassThresholds {
  promoteLift: number;
  promoteQ: number;
  promoteCiLow: number;
  discardLift: number;
  discardQ: number;
  discardCiLow: number;
}

export const DEFAULT_THRESHOLDS: ClassThresholds = {
  promoteLift: 2,
  promoteQ: 0.01,
  promoteCiLow: 1.5,
  discardLift: 1.5,
  discardQ: 0.05,
  discardCiLow: 1,
};

/** Merge partial thresholds over the defaults and check each is a finite number (q thresholds in (0, 1]). */
export function resolveThresholds(partial: Partial<ClassThresholds> = {}): ClassThresholds {
  const t = { ...DEFAULT_THRESHOLDS, ...partial };
  for (const [name, v] of Object.entries(t)) {
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new Error(`thresholds.${name} must be a finite number, got ${String(v)}`);
  }
  for (const name of ['promoteQ', 'discardQ'] as const)
    if (!(t[name] > 0 && t[name] <= 1))
      throw new Error(`thresholds.${name} must be in (0, 1], got ${t[name]}`);
  return t;
}

/**
 * Class of one motif from its lift, BH q-value and bootstrap CI low bound. NaN q (untested) → DISCARD.
 * NaN ciLow means "CI unavailable" (e.g. a day-clustered bootstrap with fewer than MIN_BOOTSTRAP_UNITS days):
 * the CI rules can then neither discard nor promote, so such a motif is at best PARK — never PROMOTE.
 */
export function classifyMotif(
  liftValue: number,
  q: number,
  ciLow: number,
  t: ClassThresholds = DEFAULT_THRESHOLDS,
): MotifClass {
  const ciAvailable = !Number.isNaN(ciLow);
  if (!(q <= t.discardQ) || liftValue < t.discardLift || (ciAvailable && ciLow <= t.discardCiLow))
    return 'DISCARD';
  if (!ciAvailable) return 'PARK';
  if (liftValue >= t.promoteLift && q < t.promoteQ && ciLow >= t.promoteCiLow) return 'PROMOTE';
  return 'PARK';
}
