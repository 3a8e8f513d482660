/**
 * Position leakage of patterns: does a pattern say more than "early in the session" / "late in the session"?
 *
 * Per pattern: the point-biserial correlation of membership (1 in the pattern, 0 not) with the event's
 * normalised position in its session, index/(n − 1) (0 for a one-event session), and with its time since the
 * session start (ms; the session's first event when no start is given). A pattern is flagged "position-only"
 * when either |r| ≥ POSITION_LEAKAGE_THRESHOLD. Overall: eta² of position (and of time) on the pattern labels —
 * the share of their variance the labels explain (between-pattern sum of squares / total).
 *
 * Threshold 0.5: |r| ≥ 0.5 means position alone accounts for at least a quarter (r²) of the membership's
 * variance — a large effect by Cohen's convention. A pattern that is exactly "the first half of each session"
 * has r = −√3/2 ≈ −0.87 (uniform positions); one that is half the session ± structure stays well above 0.5;
 * a pattern spread over the session independently of position has |r| near 0. The flag is a warning that the
 * pattern may be a clock, not proof: position can be genuinely informative (opens behave unlike closes), so
 * compare with the time-of-day controls before reading such a pattern as structure.
 */
import type { EmbeddingTable } from './embeddings.js';

export const POSITION_LEAKAGE_THRESHOLD = 0.5;

export interface PatternPositionLeakage {
  pattern: number;
  n: number;
  /** Mean normalised position of the pattern's events (0 = first event of the session, 1 = last). */
  meanPosition: number | null;
  /** Correlation of membership with the normalised position; null when undefined (constant). */
  rPosition: number | null;
  /** Correlation of membership with the time since the session start. */
  rTime: number | null;
  positionOnly: boolean;
}

export interface PositionLeakage {
  threshold: number;
  /** Share of the variance of normalised position explained by the pattern labels (null when constant). */
  etaSquaredPosition: number | null;
  /** The same for time since the session start. */
  etaSquaredTime: number | null;
  patterns: PatternPositionLeakage[];
  /** Ids of the flagged patterns. */
  positionOnly: number[];
  /** One line for the run summary and the dashboard. */
  summary: string;
}

export interface PositionLeakageOptions {
  /** Session id → session start (UTC ms); missing: the session's first event time. */
  sessionStart?: ReadonlyMap<string, number>;
  threshold?: number;
}

function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const n = x.length;
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i] - mx;
    const b = y[i] - my;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
}

function etaSquared(v: ArrayLike<number>, label: ArrayLike<number>, k: number): number | null {
  const n = v.length;
  if (n === 0) return null;
  const sum = new Float64Array(k);
  const cnt = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    sum[label[i]] += v[i];
    cnt[label[i]]++;
    total += v[i];
  }
  const mean = total / n;
  let ssT = 0;
  for (let i = 0; i < n; i++) ssT += (v[i] - mean) ** 2;
  if (!(ssT > 0)) return null;
  let ssB = 0;
  for (let c = 0; c < k; c++) if (cnt[c] > 0) ssB += cnt[c] * (sum[c] / cnt[c] - mean) ** 2;
  return ssB / ssT;
}

/** Per-row normalised position index/(n − 1) and time since the session start, from an embedding table. */
export function sessionPositions(
  table: Pick<EmbeddingTable, 'n' | 'sessionIds' | 'sessionIndex' | 'nodeId' | 't'>,
  sessionStart?: ReadonlyMap<string, number>,
): { position: Float64Array; sinceStart: Float64Array } {
  const S = table.sessionIds.length;
  const count = new Int32Array(S);
  const first = new Float64Array(S).fill(Infinity);
  for (let r = 0; r < table.n; r++) {
    const s = table.sessionIndex[r];
    count[s] = Math.max(count[s], table.nodeId[r] + 1);
    if (table.t[r] < first[s]) first[s] = table.t[r];
  }
  const position = new Float64Array(table.n);
  const sinceStart = new Float64Array(table.n);
  for (let r = 0; r < table.n; r++) {
    const s = table.sessionIndex[r];
    position[r] = count[s] > 1 ? table.nodeId[r] / (count[s] - 1) : 0;
    const start = sessionStart?.get(table.sessionIds[s]) ?? first[s];
    sinceStart[r] = table.t[r] - start;
  }
  return { position, sinceStart };
}

/** The leakage check of pattern labels `assign` (row → pattern 0…k−1) over the rows of `table`. */
export function positionLeakage(
  table: Pick<EmbeddingTable, 'n' | 'sessionIds' | 'sessionIndex' | 'nodeId' | 't'>,
  assign: ArrayLike<number>,
  k: number,
  opts: PositionLeakageOptions = {},
): PositionLeakage {
  const threshold = opts.threshold ?? POSITION_LEAKAGE_THRESHOLD;
  if (assign.length !== table.n)
    throw new Error(`positionLeakage: ${assign.length} labels for ${table.n} rows`);
  for (let r = 0; r < assign.length; r++)
    if (!(Number.isInteger(assign[r]) && assign[r] >= 0 && assign[r] < k))
      throw new Error(`positionLeakage: assign[${r}] = ${assign[r]} is not a pattern in 0..${k - 1}`);
  const { position, sinceStart } = sessionPositions(table, opts.sessionStart);
  const member = new Float64Array(table.n);
  const patterns: PatternPositionLeakage[] = [];
  for (let c = 0; c < k; c++) {
    let n = 0;
    let sp = 0;
    for (let r = 0; r < table.n; r++) {
      member[r] = assign[r] === c ? 1 : 0;
      if (member[r]) {
        n++;
        sp += position[r];
      }
    }
    const rPosition = pearson(member, position);
    const rTime = pearson(member, sinceStart);
    patterns.push({
      pattern: c,
      n,
      meanPosition: n > 0 ? sp / n : null,
      rPosition,
      rTime,
      positionOnly: Math.abs(rPosition ?? 0) >= threshold || Math.abs(rTime ?? 0) >= threshold,
    });
  }
  const etaSquaredPosition = etaSquared(position, assign, k);
  const etaSquaredTime = etaSquared(sinceStart, assign, k);
  const positionOnly = patterns.filter((p) => p.positionOnly).map((p) => p.pattern);
  const f = (v: number | null) => (v === null ? '–' : v.toFixed(2));
  const worst = patterns.reduce<PatternPositionLeakage | null>(
    (a, p) => (a === null || Math.abs(p.rPosition ?? 0) > Math.abs(a.rPosition ?? 0) ? p : a),
    null,
  );
  const summary =
    `position leakage: η² = ${f(etaSquaredPosition)} of session position (${f(etaSquaredTime)} of time since start) ` +
    `explained by the pattern labels; ` +
    (positionOnly.length === 0
      ? `no pattern position-only (|r| < ${threshold})`
      : `${positionOnly.length} of ${k} pattern(s) position-only (|r| ≥ ${threshold}): ${positionOnly.join(', ')}`) +
    (worst ? `; largest |r| pattern ${worst.pattern}: r = ${f(worst.rPosition)}` : '');
  return { threshold, etaSquaredPosition, etaSquaredTime, patterns, positionOnly, summary };
}
