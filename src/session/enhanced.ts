/**
 * Reader for enhanced session records (the JSON in data/sample/enhanced). Every section that describes an event
 * becomes events: price_movements, session_liquidity_events, phase_transitions, level_interactions,
 * structures_identified.fair_value_gaps, fpfvg_observations.previous_fpfvg_interactions and (later records)
 * session_fpfvg (formation + interactions; rule ids `session_fpfvg:…`).
 *
 * Identity: the file name's type and date win over session_metadata; a disagreement, or a name outside the
 * convention (metadata then decides), is a warning naming the file and both values. The original tool's adapted
 * layout (`events` + `enhanced_features`) is refused with a message naming it (adaptedLayoutMessage).
 *
 * A malformed item is skipped with a warning naming the file, the field path and the value; the file fails
 * (IngestError) only when nothing usable is left or its identity (type, date, zone) cannot be established.
 */
import { z } from 'zod';
import { IngestError, showValue } from './errors.js';
import { normalizeSessionType, type SessionFileName } from './filename.js';
import { levelKeyFromText } from './levels.js';
import {
  classifyExtreme,
  classifyText,
  classifyWord,
  LEVEL_INTERACTIONS,
  LIQUIDITY_EVENT_TYPES,
  PHASE_TYPES,
  PRICE_ACTIONS,
  type Classification,
} from './taxonomy.js';
import { median } from '../stats/index.js';
import { parseClock, resolveZone, wallClockToUtcMs } from './time.js';
import {
  KIND,
  type DataFault,
  type EventSource,
  type Session,
  type SessionEvent,
  type SessionType,
} from './types.js';

export interface EnhancedReadOptions {
  symbol?: string;
  timeframe?: string;
}

const clock = z.string().refine((s) => parseClock(s) !== null, { message: 'not a HH:MM:SS time' });
const finite = z.number().refine(Number.isFinite, { message: 'not a finite number' });
const optText = z.string().optional();

const PriceMovement = z.object({
  timestamp: clock,
  price_level: finite.optional(),
  price: finite.optional(),
  movement_type: optText,
  action: optText,
  context: optText,
});
const LiquidityEvent = z.object({
  timestamp: clock,
  event_type: z.string(),
  price_level: finite.optional(),
  target_level: optText,
  context: optText,
  liquidity_type: optText,
});
const Phase = z.object({
  phase_type: z.string(),
  start_time: clock,
  end_time: clock.optional(),
  high: finite.optional(),
  low: finite.optional(),
  description: optText,
});
const LevelInteraction = z.object({
  timestamp: clock,
  level: finite.optional(),
  level_origin: optText,
  interaction_type: z.string(),
  result: optText,
});
const FairValueGap = z.object({
  id: optText,
  formation_time: clock,
  premium_high: finite.optional(),
  discount_low: finite.optional(),
  formation_context: optText,
  delivery_status: optText,
  delivery_time: z.string().optional(),
});
const FpfvgInteraction = z.object({
  gap_origin: optText,
  interaction_time: clock,
  interaction_type: optText,
  price_entered: finite.optional(),
  result: optText,
});
/** `session_fpfvg` (later records): the session's first-presented FVG and what price did with it afterwards. */
const SessionFpfvgInteraction = z.object({
  interaction_time: clock,
  interaction_type: optText,
  price_level: finite.optional(),
  interaction_context: optText,
});
const SessionFpfvgFormation = z.object({
  formation_time: clock,
  premium_high: finite.optional(),
  discount_low: finite.optional(),
  gap_size: finite.optional(),
});
const Metadata = z.object({
  session_type: optText,
  session_date: optText,
  session_start: optText,
  session_end: optText,
  timezone: optText,
});
const Relativity = z.object({
  session_high: finite.optional(),
  session_low: finite.optional(),
  session_open: finite.optional(),
  session_close: finite.optional(),
});

const SessionLevel = z.object({ type: z.string(), formation_time: clock });

/** Formation times of the session high and low from structures_identified.session_levels (when valid). */
function sessionLevelTimes(structures: unknown): { high?: string; low?: string } {
  const levels =
    structures && typeof structures === 'object'
      ? (structures as Record<string, unknown>).session_levels
      : undefined;
  const out: { high?: string; low?: string } = {};
  if (!Array.isArray(levels)) return out;
  for (const item of levels) {
    const r = SessionLevel.safeParse(item);
    if (!r.success) continue;
    if (r.data.type === 'session_high' && out.high === undefined) out.high = r.data.formation_time;
    if (r.data.type === 'session_low' && out.low === undefined) out.low = r.data.formation_time;
  }
  return out;
}

/** An event before time conversion and sorting. */
interface Draft {
  secs: number;
  clock: string;
  price: number | null;
  cls: Classification;
  source: EventSource;
  label: string;
  levelKey: string;
  raw: unknown;
}

function zodProblem(err: z.ZodError, item: unknown): { path: string; message: string; value: unknown } {
  const issue = err.issues[0];
  let value: unknown = item;
  for (const k of issue.path)
    value =
      value && typeof value === 'object'
        ? (value as Record<PropertyKey, unknown>)[k as PropertyKey]
        : undefined;
  return { path: issue.path.join('.'), message: issue.message, value };
}

/** The last path segment of `file` (pure: no node:path in a stage). */
function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/** A date written anywhere in a file name as YYYY[_-]MM[_-]DD, as ISO, or null. */
function looseNameDate(base: string): string | null {
  const m = /(\d{4})[_-](\d{2})[_-](\d{2})/.exec(base);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/** Keys of the enhanced layout that hold events; a record with none of them is not an enhanced record. */
export const ENHANCED_EVENT_SECTIONS = [
  'price_movements',
  'session_liquidity_events',
  'phase_transitions',
  'level_interactions',
  'structures_identified',
  'fpfvg_observations',
  'session_fpfvg',
] as const;

/**
 * The original tool's adapted layout (its `data/adapted/adapted_enhanced_*.json`): one flat `events` array whose
 * items carry `original_type`/`source`/`timestamp` plus derived scores, next to `enhanced_features` and
 * `adapter_version`. It is a lossy copy of an enhanced record (price-movement words blanked, each event listed
 * twice, no contexts), so it is not read: the message says so and names what ironforge reads instead.
 * Returns the message, or null when the record is not in that layout.
 */
export function adaptedLayoutMessage(rec: Record<string, unknown>): string | null {
  if (!Array.isArray(rec.events)) return null;
  if (ENHANCED_EVENT_SECTIONS.some((k) => rec[k] !== undefined)) return null;
  const marks = ['events', 'enhanced_features', 'adapter_version', 'original_format', 'adaptation_timestamp'];
  const found = marks.filter((k) => rec[k] !== undefined);
  return (
    `looks like the original tool's adapted layout (keys ${found.join(', ')}` +
    `${typeof rec.adapter_version === 'string' ? `; adapter_version ${rec.adapter_version}` : ''}); ` +
    `ironforge reads enhanced session records (session_metadata, price_movements, session_liquidity_events, …) ` +
    `and this file has none of their event sections (${ENHANCED_EVENT_SECTIONS.join(', ')}); ` +
    `read the enhanced_*.json it was adapted from`
  );
}

/**
 * Parses one enhanced record. `name` is the identity from the file name (null when the name does not follow the
 * convention; metadata then decides).
 */
export function parseEnhancedRecord(
  record: unknown,
  file: string,
  name: SessionFileName | null,
  opts: EnhancedReadOptions = {},
): Session {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    throw new IngestError(
      file,
      '',
      `expected a JSON object, got ${Array.isArray(record) ? 'an array' : showValue(record)}`,
    );
  }
  const rec = record as Record<string, unknown>;
  const adapted = adaptedLayoutMessage(rec);
  if (adapted) throw new IngestError(file, '', adapted);
  const warnings: string[] = [];
  const warn = (field: string, msg: string) => warnings.push(`${file}: ${field}: ${msg}`);
  const faults: DataFault[] = [];

  const metaParse = Metadata.safeParse(rec.session_metadata ?? {});
  const meta = metaParse.success ? metaParse.data : {};
  if (!metaParse.success) {
    const p = zodProblem(metaParse.error, rec.session_metadata);
    warn(`session_metadata.${p.path}`, `${p.message} (value ${showValue(p.value)}); metadata ignored`);
  }
  if (rec.session_metadata === undefined) warn('session_metadata', 'missing section');

  const metaType = meta.session_type ? normalizeSessionType(meta.session_type) : null;
  const type: SessionType | null = name?.type ?? metaType;
  if (!type)
    throw new IngestError(
      file,
      'session_metadata.session_type',
      `unknown session type ${showValue(meta.session_type)}`,
    );
  if (name && metaType && metaType !== name.type) {
    warn(
      'session_metadata.session_type',
      `${showValue(meta.session_type)} disagrees with the file name (${name.type}); using the file name`,
    );
  }
  // The file name's date wins over session_metadata.session_date (as the type does): the file name is the identity
  // the batch is keyed by (rel/plain variants, duplicates). A disagreement or a name without a date is said.
  const base = baseName(file);
  const date = name?.date ?? meta.session_date ?? '';
  if (name && meta.session_date !== undefined && meta.session_date !== name.date) {
    warn(
      'session_metadata.session_date',
      `${showValue(meta.session_date)} disagrees with the file name date ${name.date} (${base}); using the file name date ${name.date}`,
    );
  }
  if (!name) {
    const loose = looseNameDate(base);
    warn(
      'file name',
      `${showValue(base)} does not follow enhanced_[rel_]<TYPE>_Lvl-1_<YYYY>_<MM>_<DD>.json` +
        (loose ? ` (it reads as ${loose})` : ' (no date in it)') +
        `; using session_metadata: type ${showValue(meta.session_type)}, date ${showValue(meta.session_date)}` +
        (loose && meta.session_date !== undefined && loose !== meta.session_date
          ? ` — differs from the name's ${loose}`
          : ''),
    );
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) {
    throw new IngestError(file, 'session_metadata.session_date', `invalid date ${showValue(date)}`);
  }
  let zone: string;
  try {
    zone = resolveZone(meta.timezone ?? 'ET');
  } catch {
    throw new IngestError(file, 'session_metadata.timezone', `unknown time zone ${showValue(meta.timezone)}`);
  }

  const drafts: Draft[] = [];
  /** Validates each item of an array section; bad items are skipped with a warning. */
  function eachItem<T>(
    section: string,
    value: unknown,
    schema: z.ZodType<T>,
    take: (item: T, raw: unknown) => void,
  ) {
    if (value === undefined) return;
    if (!Array.isArray(value)) {
      warn(section, `expected an array, got ${showValue(value)}; section skipped`);
      return;
    }
    value.forEach((raw, i) => {
      const r = schema.safeParse(raw);
      if (!r.success) {
        const p = zodProblem(r.error, raw);
        warn(
          `${section}[${i}]${p.path ? '.' + p.path : ''}`,
          `${p.message} (value ${showValue(p.value)}); item skipped`,
        );
        return;
      }
      take(r.data, raw);
    });
  }
  const push = (d: Omit<Draft, 'secs'>) => drafts.push({ ...d, secs: parseClock(d.clock)! });

  // The session_high / session_low anchor rows carry placeholder times (12:00:00 / 12:30:00 in every sample
  // file, whatever the session); structures_identified.session_levels records when each extreme formed.
  const extremeTime = sessionLevelTimes(rec.structures_identified);
  let retimed = 0;
  const anchorClock = (cls: Classification, clock: string): string => {
    const when =
      cls.rule === 'anchor:high' ? extremeTime.high : cls.rule === 'anchor:low' ? extremeTime.low : undefined;
    if (when === undefined || when === clock) return clock;
    retimed++;
    return when;
  };

  if (rec.price_movements === undefined) warn('price_movements', 'missing section');
  eachItem('price_movements', rec.price_movements, PriceMovement, (pm, raw) => {
    const price = pm.price_level ?? pm.price ?? null;
    const text = pm.movement_type ?? pm.context ?? '';
    const cls = classifyText(text) ??
      (pm.action ? classifyWord(PRICE_ACTIONS, 'action', pm.action) : null) ??
      classifyExtreme(text, type) ?? {
        kind: KIND.Expansion,
        rule: 'fallback:price_movement',
      };
    const label = pm.movement_type ?? `${pm.action ?? ''}:${pm.context ?? ''}`;
    const anchorKey = cls.kind === KIND.Anchor ? `anchor:${cls.rule.slice('anchor:'.length)}` : '';
    push({
      clock: anchorClock(cls, pm.timestamp),
      price,
      cls,
      source: 'price_movement',
      label,
      levelKey: anchorKey || levelKeyFromText(text, type),
      raw,
    });
  });

  eachItem('session_liquidity_events', rec.session_liquidity_events, LiquidityEvent, (le, raw) => {
    const ctx = (le.context ?? '').replace(/^generated_from_/, '');
    const known = le.event_type.toLowerCase() in LIQUIDITY_EVENT_TYPES;
    if (!known)
      warn(
        'session_liquidity_events.event_type',
        `unknown vocabulary word ${showValue(le.event_type)}; classified by context`,
      );
    const cls = (ctx ? classifyText(ctx) : null) ??
      classifyWord(LIQUIDITY_EVENT_TYPES, 'event_type', le.event_type) ??
      (le.target_level ? classifyText(le.target_level) : null) ??
      classifyExtreme(ctx || (le.target_level ?? ''), type) ?? {
        kind: KIND.Retracement,
        rule: 'fallback:liquidity_event',
      };
    const anchorKey = cls.kind === KIND.Anchor ? `anchor:${cls.rule.slice('anchor:'.length)}` : '';
    push({
      clock: anchorClock(cls, le.timestamp),
      price: le.price_level ?? null,
      cls,
      source: 'liquidity_event',
      label: `${le.event_type}:${ctx}`,
      levelKey: anchorKey || levelKeyFromText(ctx || (le.target_level ?? ''), type),
      raw,
    });
  });

  eachItem('phase_transitions', rec.phase_transitions, Phase, (ph, raw) => {
    const cls = classifyWord(PHASE_TYPES, 'phase_type', ph.phase_type);
    if (!cls) {
      warn(
        'phase_transitions.phase_type',
        `unknown vocabulary word ${showValue(ph.phase_type)}; item skipped`,
      );
      return;
    }
    push({
      clock: ph.start_time,
      price: null,
      cls,
      source: 'phase_transition',
      label: ph.phase_type,
      levelKey: '',
      raw,
    });
  });

  eachItem('level_interactions', rec.level_interactions, LevelInteraction, (li, raw) => {
    const cls = classifyWord(LEVEL_INTERACTIONS, 'interaction_type', li.interaction_type);
    if (!cls) {
      warn(
        'level_interactions.interaction_type',
        `unknown vocabulary word ${showValue(li.interaction_type)}; item skipped`,
      );
      return;
    }
    push({
      clock: li.timestamp,
      price: li.level ?? null,
      cls,
      source: 'level_interaction',
      label: `${li.interaction_type}:${li.result ?? ''}`,
      levelKey: levelKeyFromText(li.level_origin ?? '', type),
      raw,
    });
  });

  const structures = rec.structures_identified;
  const fvgs =
    structures && typeof structures === 'object'
      ? (structures as Record<string, unknown>).fair_value_gaps
      : undefined;
  eachItem('structures_identified.fair_value_gaps', fvgs, FairValueGap, (g, raw) => {
    const mid =
      g.premium_high !== undefined && g.discount_low !== undefined
        ? (g.premium_high + g.discount_low) / 2
        : null;
    const key = levelKeyFromText(`${g.formation_context ?? ''} fvg`, type);
    push({
      clock: g.formation_time,
      price: mid,
      cls: { kind: KIND.Expansion, rule: 'fvg:formation' },
      source: 'fair_value_gap',
      label: 'fvg_formation',
      levelKey: key,
      raw,
    });
    if (
      g.delivery_time &&
      parseClock(g.delivery_time) !== null &&
      /deliver/i.test(g.delivery_status ?? 'delivered')
    ) {
      push({
        clock: g.delivery_time,
        price: mid,
        cls: { kind: KIND.Redelivery, rule: 'fvg:delivery' },
        source: 'fair_value_gap',
        label: 'fvg_delivery',
        levelKey: key,
        raw,
      });
    }
  });

  const fpo = rec.fpfvg_observations;
  const prevGaps =
    fpo && typeof fpo === 'object' ? (fpo as Record<string, unknown>).previous_fpfvg_interactions : undefined;
  eachItem('fpfvg_observations.previous_fpfvg_interactions', prevGaps, FpfvgInteraction, (g, raw) => {
    push({
      clock: g.interaction_time,
      price: g.price_entered ?? null,
      cls: { kind: KIND.Redelivery, rule: 'fpfvg:interaction' },
      source: 'fpfvg_interaction',
      label: `${g.interaction_type ?? 'interaction'}:${g.result ?? ''}`,
      levelKey: levelKeyFromText(`${g.gap_origin ?? ''} fpfvg`, type),
      raw,
    });
  });

  // session_fpfvg (later records): the session's own first-presented FVG, read as fair_value_gaps and
  // fpfvg_observations are: the formation is an Expansion (the displacement that leaves the gap), each interaction
  // a Redelivery unless its interaction_type is a word of the level-interaction or liquidity vocabulary
  // (sweep → LiquidityTaken, test → Retracement, …). Rule ids start with `session_fpfvg:` so the section is known.
  const sf = rec.session_fpfvg;
  if (sf !== undefined) {
    if (sf === null || typeof sf !== 'object' || Array.isArray(sf)) {
      warn('session_fpfvg', `expected an object, got ${showValue(sf)}; section skipped`);
    } else {
      const sfr = sf as Record<string, unknown>;
      const formation = sfr.fpfvg_formation;
      if (sfr.fpfvg_present === false) {
        // An absent gap is written as a template (formation_time 00:00:00, zero prices): nothing to read.
      } else if (formation === undefined || formation === null || typeof formation !== 'object') {
        warn(
          'session_fpfvg.fpfvg_formation',
          `expected an object, got ${showValue(formation)}; section skipped`,
        );
      } else {
        const key = levelKeyFromText(`${type} fpfvg`, type);
        const f = SessionFpfvgFormation.safeParse(formation);
        let mid: number | null = null;
        if (!f.success) {
          const p = zodProblem(f.error, formation);
          warn(
            `session_fpfvg.fpfvg_formation.${p.path}`,
            `${p.message} (value ${showValue(p.value)}); formation skipped`,
          );
        } else {
          mid =
            f.data.premium_high !== undefined && f.data.discount_low !== undefined
              ? (f.data.premium_high + f.data.discount_low) / 2
              : null;
          push({
            clock: f.data.formation_time,
            price: mid,
            cls: { kind: KIND.Expansion, rule: 'session_fpfvg:formation' },
            source: 'fair_value_gap',
            label: 'fpfvg_formation',
            levelKey: key,
            raw: formation,
          });
        }
        eachItem(
          'session_fpfvg.fpfvg_formation.interactions',
          (formation as Record<string, unknown>).interactions,
          SessionFpfvgInteraction,
          (it, raw) => {
            const word = it.interaction_type ?? '';
            const byWord = word
              ? (classifyWord(LEVEL_INTERACTIONS, 'session_fpfvg.interaction_type', word) ??
                classifyWord(LIQUIDITY_EVENT_TYPES, 'session_fpfvg.interaction_type', word))
              : null;
            push({
              clock: it.interaction_time,
              price: it.price_level ?? mid,
              cls: byWord ?? { kind: KIND.Redelivery, rule: 'session_fpfvg:interaction' },
              source: 'fpfvg_interaction',
              label: `${word || 'interaction'}:${it.interaction_context ?? ''}`,
              levelKey: key,
              raw,
            });
          },
        );
      }
    }
  }

  if (retimed) {
    warn(
      'price_movements.timestamp',
      `${retimed} session high/low anchor time(s) replaced by structures_identified.session_levels formation_time`,
    );
  }
  const events = finishEvents(drafts, date, zone, warn, (f) => faults.push(f));
  if (events.length === 0) throw new IngestError(file, 'price_movements', 'no usable events in any section');

  const rel = Relativity.safeParse(rec.relativity_stats ?? {});
  const stats = rel.success ? rel.data : {};
  const prices = events.filter((e) => e.source === 'price_movement').map((e) => e.price);
  const allPrices = prices.length ? prices : events.map((e) => e.price);
  const start =
    meta.session_start && parseClock(meta.session_start) !== null
      ? wallClockToUtcMs(date, meta.session_start, zone)
      : events[0].t;
  let end =
    meta.session_end && parseClock(meta.session_end) !== null
      ? wallClockToUtcMs(date, meta.session_end, zone)
      : events[events.length - 1].t;
  if (end < start) {
    warn(
      'session_metadata.session_end',
      `${showValue(meta.session_end)} is before session_start ${showValue(meta.session_start)}; using the last event`,
    );
    end = Math.max(start, events[events.length - 1].t);
  }
  const outside = events.filter((e) => e.t < start - 3_600_000 || e.t > end + 3_600_000).length;
  if (outside)
    warn(
      'timestamp',
      `${outside} event(s) more than 60 min outside the session window ${meta.session_start}–${meta.session_end}; kept`,
    );

  return {
    id: `${type}_${date}`,
    type,
    date,
    symbol: opts.symbol ?? 'NQ',
    timeframe: opts.timeframe ?? 'M5',
    timezone: zone,
    sourceFile: file,
    startT: start,
    endT: end,
    open: stats.session_open ?? allPrices[0],
    // A loop, not Math.max(...xs): spreading a 125k-event session overflows the call stack.
    high: stats.session_high ?? allPrices.reduce((m, x) => Math.max(m, x), -Infinity),
    low: stats.session_low ?? allPrices.reduce((m, x) => Math.min(m, x), Infinity),
    close: stats.session_close ?? allPrices[allPrices.length - 1],
    events,
    warnings,
    ...(faults.length > 0 ? { faults } : {}),
  };
}

/** A record price more than this factor above or below the session's median price is treated as missing. */
export const PRICE_PLAUSIBILITY = 10;

function medianOf(xs: number[]): number {
  return median(xs) ?? Number.NaN;
}

/**
 * Fills missing prices from the nearest price movement in time (first minimum wins, as the original did),
 * removes exact duplicates, converts clocks to UTC ms and sorts by (t, seq).
 */
function finishEvents(
  drafts: Draft[],
  date: string,
  zone: string,
  warn: (f: string, m: string) => void,
  fault?: (f: DataFault) => void,
): SessionEvent[] {
  let nonPositive = 0;
  for (const d of drafts) {
    if (d.price !== null && d.price <= 0) {
      d.price = null; // a zero price is a missing value in these records (e.g. an empty FVG template)
      nonPositive++;
    }
  }
  if (nonPositive)
    warn(
      'price',
      `${nonPositive} event(s) with a non-positive price; price taken from the nearest price movement`,
    );
  // A price more than PRICE_PLAUSIBILITY× away from the session's median (e.g. 1e308 on an instrument near
  // 23,000) is a broken value, not a market move: it would become an infinite feature downstream.
  const median = medianOf(drafts.flatMap((d) => (d.price === null ? [] : [d.price])));
  const implausible = drafts.filter(
    (d) =>
      d.price !== null && (d.price > median * PRICE_PLAUSIBILITY || d.price < median / PRICE_PLAUSIBILITY),
  );
  if (implausible.length) {
    const ex = implausible[0];
    warn(
      'price',
      `${implausible.length} event(s) with an implausible price (e.g. ${ex.source} at ${ex.clock}: ${String(ex.price)}; ` +
        `session median ${median}); price taken from the nearest price movement`,
    );
    for (const d of implausible) {
      fault?.({
        field: `${d.source} at ${d.clock}: price`,
        value: String(d.price),
        reason: `more than ${PRICE_PLAUSIBILITY}× from the session's median price ${median}`,
      });
      d.price = null;
    }
  }
  const priced = drafts.filter((d) => d.source === 'price_movement' && d.price !== null);
  const anyPriced = drafts.filter((d) => d.price !== null);
  const reference = priced.length ? priced : anyPriced;
  const seen = new Set<string>();
  let dupes = 0;
  let unpriced = 0;
  const out: SessionEvent[] = [];
  drafts.forEach((d, seq) => {
    let price = d.price;
    if (price === null) {
      let best = Infinity;
      for (const r of reference) {
        const gap = Math.abs(r.secs - d.secs);
        if (gap < best) {
          best = gap;
          price = r.price;
        }
      }
    }
    if (price === null) {
      unpriced++;
      return;
    }
    const key = `${d.source}|${d.clock}|${price}|${d.label}`;
    if (seen.has(key)) {
      dupes++;
      return;
    }
    seen.add(key);
    out.push({
      t: wallClockToUtcMs(date, d.clock, zone),
      seq,
      price,
      kind: d.cls.kind,
      source: d.source,
      rule: d.cls.rule,
      label: d.label,
      levelKey: d.levelKey,
      clock: d.clock,
      raw: d.raw,
    });
  });
  if (dupes) warn('events', `${dupes} exact duplicate event(s) removed`);
  if (unpriced) warn('events', `${unpriced} event(s) without any price reference dropped`);
  out.sort((a, b) => a.t - b.t || a.seq - b.seq);
  return out;
}
