/**
 * motifs.parquet columns as plain arrays (the store stage writes the file), and a text table of the top motifs.
 */
import { EVENT_KINDS } from '../session/index.js';
import type { MotifClass } from '../stats/index.js';
import type { MotifResult } from './types.js';

/** Column arrays of motifs.parquet, one entry per tested motif, in the order given. */
export interface MotifTableColumns {
  id: string[];
  /** Compact numeric canonical key (exact integer < 2^53; int64 in Parquet). */
  key: number[];
  size: number[];
  /** Kind codes, comma-joined ("0,0,4,5"). */
  kinds: string[];
  /** Canonical edges, comma-joined ("0>1,0>2,2>3"). */
  edges: string[];
  count: number[];
  support: number[];
  null_mean: number[];
  null_sd: number[];
  lift: number[];
  z: number[];
  p: number[];
  q: number[];
  ci_low: number[];
  ci_high: number[];
  class: MotifClass[];
  null_model: string[];
  statistic: string[];
  /** 'monte-carlo', 'tail' or 'floor' (see MotifResult.pMethod). */
  p_method: string[];
  /** Null draws that passed the selection filter. */
  null_selected: number[];
  /** FLOOR-LIMITED: null draws the q-value would need; NaN otherwise. */
  draws_needed: number[];
}

/** The motifs.parquet columns (the brief's list plus key, null_model, statistic and how p was obtained). */
export function motifTable(results: readonly MotifResult[]): MotifTableColumns {
  return {
    id: results.map((r) => r.id),
    key: results.map((r) => r.key),
    size: results.map((r) => r.size),
    kinds: results.map((r) => r.kinds.join(',')),
    edges: results.map((r) => r.edges),
    count: results.map((r) => r.count),
    support: results.map((r) => r.support),
    null_mean: results.map((r) => r.nullMean),
    null_sd: results.map((r) => r.nullSd),
    lift: results.map((r) => r.lift),
    z: results.map((r) => r.z),
    p: results.map((r) => r.p),
    q: results.map((r) => r.q),
    ci_low: results.map((r) => r.ciLow),
    ci_high: results.map((r) => r.ciHigh),
    class: results.map((r) => r.class),
    null_model: results.map((r) => r.nullModel),
    statistic: results.map((r) => r.statistic),
    p_method: results.map((r) => r.pMethod),
    null_selected: results.map((r) => r.nullSelected),
    draws_needed: results.map((r) => r.drawsNeeded ?? Number.NaN),
  };
}

const SHORT_KIND = EVENT_KINDS.map((k) => k.slice(0, 3));

/** "Exp→Ret, Exp→Liq" style description of a motif (kind names; edges by canonical position). */
export function describeMotif(r: Pick<MotifResult, 'kinds' | 'edges'>): string {
  const names = r.kinds.map((k, i) => `${i}:${SHORT_KIND[k] ?? k}`);
  return `[${names.join(' ')}] ${r.edges.replaceAll('>', '→')}`;
}

function fmt(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+inf' : '-inf';
  if (x !== 0 && Math.abs(x) < 10 ** -digits) return x.toExponential(1);
  return x.toFixed(digits);
}

/**
 * Fixed-width text table of the first `top` results (default 20), optionally only some classes.
 * Results are shown in the order given (mineMotifs sorts PROMOTE, PARK, DISCARD, then lift).
 */
export function formatTopMotifs(
  results: readonly MotifResult[],
  opts: { top?: number; classes?: MotifClass[] } = {},
): string {
  const top = opts.top ?? 20;
  const rows = results.filter((r) => !opts.classes || opts.classes.includes(r.class)).slice(0, top);
  const header = ['class', 'lift', 'ci95', 'count', 'supp', 'null', 'z', 'p', 'q', 'motif'];
  const body = rows.map((r) => [
    r.class,
    fmt(r.lift, 2),
    `${fmt(r.ciLow, 2)}–${fmt(r.ciHigh, 2)}`,
    String(r.count),
    String(r.support),
    fmt(r.nullMean, 1),
    fmt(r.z, 1),
    fmt(r.p, 4),
    fmt(r.q, 4),
    describeMotif(r),
  ]);
  const all = [header, ...body];
  const width = header.map((_, c) => Math.max(...all.map((row) => row[c].length)));
  const line = (row: string[]): string =>
    row
      .map((cell, c) =>
        c === row.length - 1 ? cell : cell.padStart(c === 0 ? 0 : width[c]).padEnd(width[c]),
      )
      .join('  ');
  if (rows.length === 0) return `${line(header)}\n(no motifs)`;
  return [line(header), ...body.map(line)].join('\n');
}
