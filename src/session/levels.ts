/**
 * Level keys: which price level or structure an event touches, so that events about the same level (an FVG's
 * formation and its redelivery, a session low and the sweep that takes it) can be joined by CONTEXT edges.
 *
 * Keys are `fpfvg:<origin>` for fair value gaps and `level:<origin>_<high|low>` for session extremes, where
 * origin is a session word (asia, london, midnight, premarket, am, lunch, pm, preasia) with a `prev_`/`3d_` prefix
 * for the previous day's / three-day structures. The session's own extremes use its own type.
 */
import type { SessionType } from './types.js';

const SESSION_WORDS: [RegExp, string][] = [
  [/\bpre.?asia\b/, 'preasia'],
  [/\basia\b/, 'asia'],
  [/\blondon\b/, 'london'],
  [/\bmidnight\b/, 'midnight'],
  [/\bpre.?market\b/, 'premarket'],
  [/\bny.?am\b|\bam\b|\bnyam\b/, 'am'],
  [/\blunch\b/, 'lunch'],
  [/\bny.?pm\b|\bpm\b|\bnypm\b/, 'pm'],
];

const OWN_WORD: Record<SessionType, string> = {
  MIDNIGHT: 'midnight',
  LONDON: 'london',
  PREMARKET: 'premarket',
  NY_AM: 'am',
  LUNCH: 'lunch',
  NY_PM: 'pm',
  PREASIA: 'preasia',
  ASIA: 'asia',
};

function sessionWord(s: string): string | null {
  for (const [re, w] of SESSION_WORDS) if (re.test(s)) return w;
  return null;
}

/** Level key for a free-text description (context, level_origin, target_level, gap_origin), or "". */
export function levelKeyFromText(text: string, own: SessionType): string {
  const s = text.toLowerCase().replace(/[_]+/g, ' ');
  if (!s.trim()) return '';
  const prefix = /previous|prev\b|yesterday/.test(s) ? 'prev_' : /three.?day/.test(s) ? '3d_' : '';
  const word = sessionWord(s);
  if (/fvg|fpfvg|fair value gap/.test(s)) return `fpfvg:${prefix}${word ?? OWN_WORD[own]}`;
  const hl = /\bhigh\b/.test(s) ? 'high' : /\blow\b/.test(s) ? 'low' : null;
  if (hl === null)
    return /\bopen(ing)? price\b|\bsession open\b/.test(s)
      ? `level:${prefix}${word ?? OWN_WORD[own]}_open`
      : '';
  if (word) return `level:${prefix}${word}_${hl}`;
  if (/session/.test(s)) return `level:${OWN_WORD[own]}_${hl}`;
  return '';
}
