/**
 * Motif families as signals: a family (src/motifs MotifFamily — nested PROMOTE motifs reported once) fires when
 * one of its occurrences is complete. An occurrence is a set of session events; it is complete at the latest
 * knowable time of its events (session events from bars carry the detector's knowable time, the emission bar's
 * close), so its t* is the close of the first bar that closes at or after that time — never earlier. Several
 * occurrences completing in one bar fire once (signals are sets of bars).
 *
 * Honest scope: the families were mined on the same sessions the evaluation walks forward over (selection by how
 * often a structure recurs against its null, never by what price did next), so the forward effect is measured out
 * of sample in time but the families themselves are in-sample. `FamilySignalInfo.inSample` says so wherever the
 * result is shown.
 */
import type { Bars } from '../detect/index.js';
import { firstAtOrAfter } from './series.js';
import { uniqueBars } from './signals.js';
import type { Signal, Skipped } from './types.js';

/** One family's occurrences, by completion time. */
export interface FamilyOccurrences {
  /** Family id (`F1`, …). */
  family: string;
  /** Readable name (e.g. its representative's kinds), for the signal's doc. */
  name?: string;
  /** Completion time of each occurrence, UTC ms: the latest knowable time of its events (any order). */
  endT: ArrayLike<number>;
}

/** What became of one family as a signal (stored with the evaluation; the dashboard's evidence panel reads it). */
export interface FamilySignalInfo {
  family: string;
  /** The signal's name in the evaluation rows and paths: `motif:<family>`. */
  signal: string;
  name: string;
  /** Occurrences given. */
  occurrences: number;
  /** Distinct firing bars (occurrences completing in one bar fire once). */
  firings: number;
  /** Occurrences completing after the last bar closes (no bar to fire on). */
  afterLastBar: number;
  /** Always true here: the families were discovered on the sessions evaluated (see the module comment). */
  inSample: true;
}

/** Outcomes a family signal is tested on: the forward return at each horizon (its forward path). */
export const FAMILY_OUTCOMES: readonly string[] = ['ret'];

/** The signal name of a family. */
export const familySignalName = (family: string): string => `motif:${family}`;

/**
 * The bar at whose close an occurrence completing at `endT` is knowable: the first bar with close ≥ endT
 * (`bars.n` when none). Causal by construction: t* = close ≥ endT.
 */
export function completionBar(bars: Bars, endT: number): number {
  return firstAtOrAfter(bars.t, bars.n, endT - bars.timeframeMs);
}

/** One signal per family with at least one firing; the info of every family; families that cannot fire, skipped. */
export function motifFamilySignals(
  bars: Bars,
  families: readonly FamilyOccurrences[],
): { signals: Signal[]; info: FamilySignalInfo[]; skipped: Skipped[] } {
  const signals: Signal[] = [];
  const info: FamilySignalInfo[] = [];
  const skipped: Skipped[] = [];
  for (const f of families) {
    const list: number[] = [];
    let after = 0;
    for (let i = 0; i < f.endT.length; i++) {
      const T = f.endT[i];
      if (!Number.isFinite(T))
        throw new Error(
          `evaluate: motif family ${f.family}: endT[${i}] = ${String(T)}, expected a UTC ms time`,
        );
      const b = completionBar(bars, T);
      if (b >= bars.n) after++;
      else list.push(b);
    }
    const bar = uniqueBars(list);
    const signal = familySignalName(f.family);
    const name = f.name ?? f.family;
    info.push({
      family: f.family,
      signal,
      name,
      occurrences: f.endT.length,
      firings: bar.length,
      afterLastBar: after,
      inSample: true,
    });
    if (bar.length === 0) {
      skipped.push({ signal, reason: 'no occurrence completes inside the bars', detail: name });
      continue;
    }
    signals.push({
      name: signal,
      source: 'motif',
      doc:
        `motif family ${f.family} (${name}): at the close of the bar in which an occurrence's last event becomes ` +
        `knowable; the family was mined on these same sessions (in-sample), the forward path is not used to select it`,
      bar,
      // the forward return only: what the evidence panel plots (hundreds of families × every outcome would swamp
      // the evaluation's files without adding to that question)
      outcomes: FAMILY_OUTCOMES,
    });
  }
  return { signals, info, skipped };
}
