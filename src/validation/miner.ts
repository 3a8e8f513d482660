/**
 * The minimal motif-mining interface that confluence and validation need. The real miner (src/motifs) is wired
 * in by whoever assembles the pipeline; tests pass a stub. Field names follow the motif stage's result rows.
 */
import type { Session } from '../session/index.js';

export type MotifClassName = 'PROMOTE' | 'FLOOR-LIMITED' | 'PARK' | 'DISCARD';

/** Statistics of one motif over one set of sessions against its nulls. */
export interface MotifStat {
  /** Canonical motif id (topology + kinds). */
  id: string;
  /** Nodes in the motif (3..5). */
  size: number;
  /** Event kinds of the motif's nodes, as the miner reports them. */
  kinds: readonly number[] | string;
  /** Occurrences over all sessions. */
  count: number;
  /** Sessions with at least one occurrence. */
  support: number;
  nullMean: number;
  nullSd: number;
  lift: number;
  z: number;
  /** One-sided empirical p-value (observed ≥ null). */
  p: number;
  /** BH q-value within the miner's family. */
  q: number;
  ciLow: number;
  ciHigh: number;
  class: MotifClassName;
}

/** One occurrence of a motif in a session: the event indices (node ids) it covers. */
export interface MotifHit {
  sessionId: string;
  motifId: string;
  nodes: readonly number[];
}

export interface MotifMiningResult {
  motifs: MotifStat[];
  /** Occurrences; optional for validation (it uses `support`), required for confluence's motif component. */
  hits?: MotifHit[];
}

export interface MineOptions {
  seed: number;
  /** Restrict counting and nulls to these motif ids (the holdout re-test). Absent = mine everything. */
  motifIds?: readonly string[];
  /** Which part of a temporal split the call is for (informational, e.g. for progress output). */
  role?: 'discovery' | 'holdout' | 'all';
}

/** Mines motifs on `sessions` and tests them against their nulls. */
export type MotifMiner = (
  sessions: readonly Session[],
  opts: MineOptions,
) => MotifMiningResult | Promise<MotifMiningResult>;
