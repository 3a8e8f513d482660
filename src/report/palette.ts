/**
 * Fixed colours for the seven event kinds (Okabe–Ito, distinguishable with common colour-vision deficiencies)
 * and the page's chart theme. Fixed, so the same kind has the same colour in every chart and every run.
 */
import { EVENT_KINDS } from '../session/index.js';

export const KIND_NAMES: readonly string[] = EVENT_KINDS;

/** Colour per kind code 0..6: Expansion, Consolidation, Retracement, Reversal, LiquidityTaken, Redelivery, Anchor. */
export const KIND_COLORS: readonly string[] = [
  '#0072B2', // Expansion — blue
  '#56B4E9', // Consolidation — sky
  '#E69F00', // Retracement — orange
  '#D55E00', // Reversal — vermillion
  '#CC79A7', // LiquidityTaken — mauve
  '#009E73', // Redelivery — green
  '#3A3A3A', // Anchor — near black
];

/** Series colours for kernels / configurations in the canary charts (distinct from the kind colours' order). */
export const SERIES_COLORS: readonly string[] = [
  '#1f4e79',
  '#c0392b',
  '#2e8b57',
  '#8e44ad',
  '#d68910',
  '#17a2b8',
  '#7f8c8d',
  '#b03a82',
];

export const FONT_STACK =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', 'Liberation Sans', sans-serif";

export const INK = '#1f2933';
export const MUTED = '#52606d';
export const GRID = '#e4e7eb';
export const ACCENT = '#1f4e79';

/** Validate a kind code; `where` names the field for the error message. */
export function checkKind(kind: number, where: string): number {
  if (!(Number.isInteger(kind) && kind >= 0 && kind < KIND_COLORS.length))
    throw new Error(`dashboard: ${where} = ${String(kind)}, expected an integer kind code 0..6`);
  return kind;
}
