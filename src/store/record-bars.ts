/**
 * A small REAL bar sample made from the session records' price points (data/sample/bars/).
 *
 * The records are not bar data: each lists 8–34 annotated price points per session (`price_movements`:
 * timestamp HH:MM[:SS] ET + price_level). This module turns them into OHLC bars as honestly as that allows:
 * - `session_high` / `session_low` movements are dropped: every record gives them the placeholder times
 *   12:00:00 / 12:30:00 whatever the session (inside the LUNCH window, so a window check alone would keep them);
 * - points outside the session's calendar window are dropped, as are exact duplicates (the first four
 *   movements are repeated in most files) and points without a finite positive price;
 * - the remaining points are bucketed by bar (bucket = floor(t / timeframe), UTC-aligned); a bar exists only
 *   where a bucket holds ≥ 1 point: open = first point, close = last, high/low = max/min of the points;
 * - volume is unknown and written as 0.
 * So the bars are a sparse, coarse outline of each session (most 5-minute buckets have no bar; a one-point bar
 * is flat), not a substitute for real market bars. The session's true high/low appear only when an in-window
 * point carries them.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { allocBars, sliceBars, type Bars } from '../detect/index.js';
import { writeFileAtomic } from '../io/index.js';
import { DEFAULT_CALENDAR } from '../detect/index.js';
import { ZoneClock } from '../detect/index.js';
import { SESSION_TYPES, type SessionType } from '../session/index.js';

const FILE = /^enhanced_(rel_)?([A-Z_]+?)_Lvl-1_(\d{4})_(\d{2})_(\d{2})\.json$/;
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

export interface RecordPoints {
  file: string;
  type: SessionType;
  date: string;
  /** In-window points, time-sorted (stable), duplicates removed. */
  t: number[];
  price: number[];
  /** Points dropped: outside the window, duplicate, or unusable. */
  dropped: { placeholderTime: number; outsideWindow: number; duplicate: number; unusable: number };
}

/** The record files to use: the `rel` variant where both exist, one per (type, date), sorted by name. */
export async function listRecordFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((f) => FILE.test(f)).sort();
  const byKey = new Map<string, string>();
  for (const f of names) {
    const m = FILE.exec(f)!;
    const key = `${m[2]}_${m[3]}-${m[4]}-${m[5]}`;
    if (m[1] || !byKey.has(key)) byKey.set(key, f);
  }
  return [...byKey.values()].sort().map((f) => join(dir, f));
}

/** The in-window price points of one session record. */
export function recordPoints(file: string, json: unknown, zone: ZoneClock): RecordPoints {
  const m = FILE.exec(basename(file));
  if (!m) throw new Error(`${file}: not an enhanced session record file name`);
  const type = m[2] as SessionType;
  if (!(SESSION_TYPES as readonly string[]).includes(type))
    throw new Error(`${file}: unknown session type ${type}`);
  const date = `${m[3]}-${m[4]}-${m[5]}`;
  const win = DEFAULT_CALENDAR.find((w) => w.type === type)!;
  const day = Date.UTC(Number(m[3]), Number(m[4]) - 1, Number(m[5]));
  const wall = (hhmm: string, plus = 0): number => {
    const [h, mi] = hhmm.split(':').map(Number);
    return day + (h * 60 + mi + plus) * 60_000;
  };
  const start = zone.wallToUtc(wall(win.start));
  const end = zone.wallToUtc(wall(win.end, 1));
  const moves = (json as { price_movements?: unknown }).price_movements;
  if (!Array.isArray(moves)) throw new Error(`${file}: price_movements: expected an array`);
  const dropped = { placeholderTime: 0, outsideWindow: 0, duplicate: 0, unusable: 0 };
  const pts: { t: number; price: number; k: number }[] = [];
  const seen = new Set<string>();
  moves.forEach((mv: unknown, k: number) => {
    const rec = mv as { timestamp?: unknown; price_level?: unknown; movement_type?: unknown };
    if (rec.movement_type === 'session_high' || rec.movement_type === 'session_low') {
      dropped.placeholderTime++;
      return;
    }
    const c = CLOCK.exec(String(rec.timestamp ?? '').trim());
    const price = Number(rec.price_level);
    if (!c || !Number.isFinite(price) || price <= 0) {
      dropped.unusable++;
      return;
    }
    const t = zone.wallToUtc(day + ((Number(c[1]) * 60 + Number(c[2])) * 60 + Number(c[3] ?? 0)) * 1000);
    if (t < start || t >= end) {
      dropped.outsideWindow++;
      return;
    }
    const key = `${t}|${price}`;
    if (seen.has(key)) {
      dropped.duplicate++;
      return;
    }
    seen.add(key);
    pts.push({ t, price, k });
  });
  pts.sort((a, b) => a.t - b.t || a.k - b.k);
  return { file, type, date, t: pts.map((p) => p.t), price: pts.map((p) => p.price), dropped };
}

/** OHLC bars from time-sorted points: one bar per timeframe bucket holding ≥ 1 point; volume 0. */
export function barsFromPoints(t: readonly number[], price: readonly number[], timeframeMs: number): Bars {
  const bucketT: number[] = [];
  const o: number[] = [];
  const h: number[] = [];
  const l: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < t.length; i++) {
    const b = Math.floor(t[i] / timeframeMs) * timeframeMs;
    const k = bucketT.length - 1;
    if (k >= 0 && bucketT[k] === b) {
      h[k] = Math.max(h[k], price[i]);
      l[k] = Math.min(l[k], price[i]);
      c[k] = price[i];
    } else {
      if (k >= 0 && b < bucketT[k]) throw new Error('barsFromPoints: points must be sorted by time');
      bucketT.push(b);
      o.push(price[i]);
      h.push(price[i]);
      l.push(price[i]);
      c.push(price[i]);
    }
  }
  const bars = allocBars(bucketT.length, timeframeMs);
  bars.t.set(bucketT);
  bars.open.set(o);
  bars.high.set(h);
  bars.low.set(l);
  bars.close.set(c);
  return bars;
}

/** CSV text (timestamp as ISO with the zone's offset, open/high/low/close/volume). */
export function barsToCsv(bars: Bars, zone: ZoneClock): string {
  const lines = ['timestamp,open,high,low,close,volume'];
  for (let i = 0; i < bars.n; i++) {
    lines.push(
      `${zone.isoWithOffset(bars.t[i])},${bars.open[i]},${bars.high[i]},${bars.low[i]},${bars.close[i]},${bars.volume[i]}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export interface RecordBarsSample {
  csv: string;
  bars: Bars;
  sessions: { file: string; id: string; points: number; bars: number; dropped: RecordPoints['dropped'] }[];
}

/** Builds the bar sample from every session record in `enhancedDir` (5-minute bars by default). */
export async function buildRecordBarsSample(
  enhancedDir: string,
  timeframeMs = 300_000,
): Promise<RecordBarsSample> {
  const zone = new ZoneClock('America/New_York');
  const files = await listRecordFiles(enhancedDir);
  const allT: number[] = [];
  const allP: number[] = [];
  const sessions: RecordBarsSample['sessions'] = [];
  const perSession: {
    t: number[];
    price: number[];
    id: string;
    file: string;
    dropped: RecordPoints['dropped'];
  }[] = [];
  for (const f of files) {
    const pts = recordPoints(f, JSON.parse(await readFile(f, 'utf8')), zone);
    perSession.push({
      t: pts.t,
      price: pts.price,
      id: `${pts.type}_${pts.date}`,
      file: basename(f),
      dropped: pts.dropped,
    });
  }
  perSession.sort((a, b) => (a.t[0] ?? 0) - (b.t[0] ?? 0));
  for (const s of perSession) {
    allT.push(...s.t);
    allP.push(...s.price);
    sessions.push({
      file: s.file,
      id: s.id,
      points: s.t.length,
      bars: barsFromPoints(s.t, s.price, timeframeMs).n,
      dropped: s.dropped,
    });
  }
  const bars = barsFromPoints(allT, allP, timeframeMs);
  return { csv: barsToCsv(bars, zone), bars, sessions };
}

/**
 * Writes `bars` as consecutive CSV files of `perFile` bars each (`<dir>/<prefix>-000.csv`, …; 1,440 one-minute
 * bars = one day when the bars start at midnight): the folder a user's daily download grows. Returns the paths.
 */
export async function writeBarFiles(
  dir: string,
  bars: Bars,
  zone: ZoneClock,
  perFile: number,
  prefix = 'day',
  /**
   * Cut files where the local clock passes this time (HH:MM) instead of every `perFile` bars: a fixed count of
   * one-minute bars drifts by an hour in local time at each DST switch and then cuts through a session window
   * (a session split across two files becomes two partial sessions with one id). Pick a time outside every
   * session window (the default calendar has none between 18:15 and 19:00).
   */
  cutAtLocal?: string,
): Promise<string[]> {
  if (!Number.isInteger(perFile) || perFile < 1)
    throw new Error(`writeBarFiles: perFile must be an integer ≥ 1, got ${perFile}`);
  const starts: number[] = [];
  if (cutAtLocal === undefined) for (let from = 0; from < bars.n; from += perFile) starts.push(from);
  else {
    const m = /^(\d{2}):(\d{2})$/.exec(cutAtLocal);
    if (!m) throw new Error(`writeBarFiles: cutAtLocal must be HH:MM, got "${cutAtLocal}"`);
    const shift = (Number(m[1]) * 60 + Number(m[2])) * 60_000;
    // a file per local "day" that starts at the cut: the local date of (local time − cut)
    let prev = '';
    for (let i = 0; i < bars.n; i++) {
      const day = new Date(zone.localMs(bars.t[i]) - shift).toISOString().slice(0, 10);
      if (day !== prev) starts.push(i);
      prev = day;
    }
  }
  const paths: string[] = [];
  for (let k = 0; k < starts.length; k++) {
    const path = join(dir, `${prefix}-${String(k).padStart(3, '0')}.csv`);
    const end = k + 1 < starts.length ? starts[k + 1] : bars.n;
    await writeFileAtomic(path, barsToCsv(sliceBars(bars, starts[k], end), zone));
    paths.push(path);
  }
  return paths;
}
