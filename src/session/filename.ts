/**
 * Session identity from an enhanced-record file name:
 * `enhanced_[rel_]<TYPE>_Lvl-1_<YYYY>_<MM>_<DD>[_SUFFIX…].json`. TYPE is one of the eight session types and may
 * itself contain `_` (NY_AM, NY_PM), so it is matched against the known list rather than split on `_`.
 * A trailing suffix such as `_FRESH` is kept as `suffix` and does not change the session identity.
 */
import { SESSION_TYPES, type SessionType } from './types.js';

export interface SessionFileName {
  type: SessionType;
  date: string;
  relative: boolean;
  suffix: string;
}

const TYPE_ALIASES: Record<string, SessionType> = {
  NYAM: 'NY_AM',
  NYPM: 'NY_PM',
  PRE_ASIA: 'PREASIA',
  PRE_MARKET: 'PREMARKET',
};

const NAME = /^enhanced_(rel_)?([A-Za-z_]+?)_Lvl-\d+_(\d{4})_(\d{2})_(\d{2})((?:_[A-Za-z0-9-]+)*)\.json$/;

/** Maps a session type as written in names or metadata (`ny_am`, `NYAM`, `NY_AM`) to a SessionType, or null. */
export function normalizeSessionType(raw: string): SessionType | null {
  const up = raw
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  if ((SESSION_TYPES as readonly string[]).includes(up)) return up as SessionType;
  return TYPE_ALIASES[up] ?? null;
}

export function parseSessionFileName(base: string): SessionFileName | null {
  const m = NAME.exec(base);
  if (!m) return null;
  const type = normalizeSessionType(m[2]);
  if (!type) return null;
  return { type, date: `${m[3]}-${m[4]}-${m[5]}`, relative: Boolean(m[1]), suffix: m[6].replace(/^_/, '') };
}
