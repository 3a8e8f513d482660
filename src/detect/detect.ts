/**
 * The whole detector set over one bar series: swings, swing sweeps, previous-session sweeps, BOS/CHoCH, FVGs,
 * phases and session anchors, merged into one causal event stream.
 *
 * Order: by emission bar; within a bar, by detector in this priority — session open, swing confirmations,
 * swing sweeps, previous-session sweeps, structure breaks, FVG redelivery/fill/formation, phases, session-end
 * anchors — and within a detector in its own order. Causality (tested): for every m, detecting on bars[0..m]
 * gives exactly the events of the full series whose knowable time t ≤ close of bar m, in the same order.
 */
import type { Bars } from './bars.js';
import { type SessionSegments } from './calendar.js';
import { wilderAtr } from './atr.js';
import { type EventColumns, EventBuffer, mergeByBar } from './events.js';
import { DEFAULT_FVG_PARAMS, detectFvgs, type FvgParams } from './fvg.js';
import { DEFAULT_PHASE_PARAMS, detectPhases, type PhaseParams } from './phases.js';
import { detectSessionAnchors, detectSessionSweeps } from './session-levels.js';
import { detectSwingSweeps } from './sweeps.js';
import { detectStructure } from './structure.js';
import { DEFAULT_SWING_PARAMS, detectSwings, type SwingParams } from './swings.js';

export interface DetectParams {
  swing: SwingParams;
  fvg: FvgParams;
  phase: PhaseParams;
  /** Sessions of the bars (segmentSessions); without them no session anchors or previous-session sweeps. */
  sessions?: SessionSegments | null;
}

export const DEFAULT_DETECT_PARAMS: DetectParams = {
  swing: DEFAULT_SWING_PARAMS,
  fvg: DEFAULT_FVG_PARAMS,
  phase: DEFAULT_PHASE_PARAMS,
};

/** Parameters with defaults filled in (each group merged field by field). */
export function resolveDetectParams(
  p: Partial<{ [K in keyof DetectParams]: Partial<DetectParams[K]> }> = {},
): DetectParams {
  return {
    swing: { ...DEFAULT_SWING_PARAMS, ...p.swing },
    fvg: { ...DEFAULT_FVG_PARAMS, ...p.fvg },
    phase: { ...DEFAULT_PHASE_PARAMS, ...p.phase },
    sessions: (p.sessions as SessionSegments | null | undefined) ?? null,
  };
}

export interface DetectResult {
  events: EventColumns;
  /** Per session (when sessions were given): 1 when the series ends before the session does. */
  incomplete: Uint8Array;
}

const EMPTY = new EventBuffer(1).finish();

/**
 * Runs every detector over `bars` (validated; timeframeMs > 0) and returns the merged events, with each
 * event's `session` set from `params.sessions` (the session of its emission bar; anchors and previous-session
 * sweeps name their own session).
 */
export function detectEvents(
  bars: Bars,
  params: Partial<{ [K in keyof DetectParams]: Partial<DetectParams[K]> }> = {},
): DetectResult {
  if (!(bars.timeframeMs > 0))
    throw new Error(`bars.timeframeMs must be > 0 (validate the bars first), got ${bars.timeframeMs}`);
  const p = resolveDetectParams(params);
  const seg = p.sessions;
  if (seg && seg.sessionOfBar.length !== bars.n) {
    throw new Error(`sessions were segmented for ${seg.sessionOfBar.length} bars, got ${bars.n}`);
  }
  const atr = wilderAtr(bars, p.phase.atrPeriod);
  const swings = detectSwings(bars, p.swing);
  const sweeps = detectSwingSweeps(bars, swings);
  const structure = detectStructure(bars, swings);
  const fvgs = detectFvgs(bars, p.fvg, p.fvg.atrPeriod === p.phase.atrPeriod ? atr : undefined);
  const phases = detectPhases(bars, p.phase, atr);
  const anchors = seg ? detectSessionAnchors(bars, seg) : null;
  const sessionSweeps = seg ? detectSessionSweeps(bars, seg) : EMPTY;
  const events = mergeByBar(
    [anchors?.opens ?? EMPTY, swings, sweeps, sessionSweeps, structure, fvgs, phases, anchors?.ends ?? EMPTY],
    bars.n,
  );
  if (seg) {
    // anchors and previous-session sweeps carry their session already; the rest belong to their emission bar's
    const { session, bar } = events;
    for (let i = 0; i < events.n; i++) if (session[i] < 0) session[i] = seg.sessionOfBar[bar[i]];
  }
  return { events, incomplete: anchors?.incomplete ?? new Uint8Array(0) };
}
