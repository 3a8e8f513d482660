/**
 * `ironforge-session/v1`: one session per JSON file, as written by `ironforge ingest-bars --out DIR`
 * (file name `<session id>.json`, e.g. `NY_AM_2025-07-29.json`) and read back by `readSessionJson`.
 *
 * Shape (UTF-8 JSON, 2-space indented, keys in this order):
 * {
 *   "format": "ironforge-session/v1",
 *   "session": {
 *     "id": "NY_AM_2025-07-29",          // <TYPE>_<YYYY-MM-DD>
 *     "type": "NY_AM",                   // one of the eight session types
 *     "date": "2025-07-29",
 *     "symbol": "NQ", "timeframe": "5m",
 *     "timezone": "America/New_York",    // IANA zone of the `clock` fields
 *     "sourceFile": "bars.csv",
 *     "startT": 1753795800000,           // UTC epoch ms: session window start
 *     "endT": 1753804800000,             // UTC epoch ms: when the session is over
 *     "open": 23595.25, "high": 23652.5, "low": 23438.25, "close": 23519.75,
 *     "warnings": ["…"],
 *     "events": [                        // sorted by (t, seq)
 *       {
 *         "t": 1753796100000,            // UTC epoch ms: when the event became knowable
 *         "seq": 0,                      // order within the session
 *         "price": 23595.25,
 *         "kind": 6, "kindName": "Anchor",   // kind code 0…6 and its name (must agree)
 *         "source": "bar_detector",      // one of EVENT_SOURCES
 *         "rule": "session_anchor",      // detector / taxonomy rule
 *         "label": "session_open",
 *         "levelKey": "session_open:NY_AM_2025-07-29",   // or ""
 *         "clock": "09:35:00",           // HH:MM:SS of t in `timezone`
 *         "raw": { … }                   // the detector record (BarEventRaw for bar_detector events)
 *       }
 *     ]
 *   }
 * }
 * Numbers are finite (JSON has no NaN). The reader validates every field and reports the file and the JSON path
 * of the first problems; it also checks that events are sorted by (t, seq).
 */
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../io/index.js';
import { readTextExplained } from '../io/index.js';
import { EVENT_KINDS, EVENT_SOURCES, SESSION_TYPES, type EventKind, type Session } from '../session/index.js';

export const SESSION_JSON_FORMAT = 'ironforge-session/v1';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const eventSchema = z
  .object({
    t: finite,
    seq: z.number().int().nonnegative(),
    price: finite,
    kind: z
      .number()
      .int()
      .min(0)
      .max(EVENT_KINDS.length - 1),
    kindName: z.enum(EVENT_KINDS).optional(),
    source: z.enum(EVENT_SOURCES),
    rule: z.string(),
    label: z.string(),
    levelKey: z.string(),
    clock: z.string().regex(/^\d{2}:\d{2}:\d{2}$/, 'must be HH:MM:SS'),
    raw: z.unknown(),
  })
  .refine((e) => e.kindName === undefined || EVENT_KINDS[e.kind] === e.kindName, {
    message: 'kindName does not match kind',
    path: ['kindName'],
  });

const fileSchema = z.object({
  format: z.literal(SESSION_JSON_FORMAT),
  session: z.object({
    id: z.string().min(1),
    type: z.enum(SESSION_TYPES),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD'),
    symbol: z.string(),
    timeframe: z.string(),
    timezone: z.string(),
    sourceFile: z.string(),
    startT: finite,
    endT: finite,
    open: finite,
    high: finite,
    low: finite,
    close: finite,
    warnings: z.array(z.string()),
    events: z.array(eventSchema),
  }),
});

/** The JSON text of `session` in ironforge-session/v1 (deterministic: fixed key order, 2-space indent). */
export function sessionToJson(session: Session): string {
  const { events, warnings, ...head } = session;
  const doc = {
    format: SESSION_JSON_FORMAT,
    session: {
      id: head.id,
      type: head.type,
      date: head.date,
      symbol: head.symbol,
      timeframe: head.timeframe,
      timezone: head.timezone,
      sourceFile: head.sourceFile,
      startT: head.startT,
      endT: head.endT,
      open: head.open,
      high: head.high,
      low: head.low,
      close: head.close,
      warnings,
      events: events.map((e) => ({
        t: e.t,
        seq: e.seq,
        price: e.price,
        kind: e.kind,
        kindName: EVENT_KINDS[e.kind],
        source: e.source,
        rule: e.rule,
        label: e.label,
        levelKey: e.levelKey,
        clock: e.clock,
        raw: e.raw,
      })),
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Parses ironforge-session/v1 text; errors name `file` and the JSON path of the offending field. */
export function parseSessionJson(text: string, file = '<json>'): Session {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const fmt = (data as { format?: unknown } | null)?.format;
  if (fmt !== SESSION_JSON_FORMAT) {
    throw new Error(`${file}: format: expected "${SESSION_JSON_FORMAT}", got ${JSON.stringify(fmt)}`);
  }
  const res = fileSchema.safeParse(data);
  if (!res.success) {
    const issues = res.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new Error(
      `${file}: ${issues}${res.error.issues.length > 5 ? ` (+${res.error.issues.length - 5} more)` : ''}`,
    );
  }
  const s = res.data.session;
  for (let i = 1; i < s.events.length; i++) {
    const a = s.events[i - 1];
    const b = s.events[i];
    if (b.t < a.t || (b.t === a.t && b.seq <= a.seq)) {
      throw new Error(
        `${file}: session.events.${i}: not sorted by (t, seq) (t ${b.t}, seq ${b.seq} after t ${a.t}, seq ${a.seq})`,
      );
    }
  }
  return {
    ...s,
    events: s.events.map((e) => ({
      t: e.t,
      seq: e.seq,
      price: e.price,
      kind: e.kind as EventKind,
      source: e.source,
      rule: e.rule,
      label: e.label,
      levelKey: e.levelKey,
      clock: e.clock,
      raw: e.raw,
    })),
  };
}

/** Reads one ironforge-session/v1 file. */
export async function readSessionJson(path: string): Promise<Session> {
  return parseSessionJson(await readTextExplained(path), path);
}

/** Writes `session` atomically to `<dir>/<session.id>.json`; returns the path. */
export async function writeSessionJson(dir: string, session: Session): Promise<string> {
  if (!/^[A-Za-z0-9_.-]+$/.test(session.id))
    throw new Error(`session id "${session.id}" is not usable as a file name`);
  const path = join(dir, `${session.id}.json`);
  await writeFileAtomic(path, sessionToJson(session));
  return path;
}
