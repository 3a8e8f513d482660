/**
 * Negative controls (EVIDENCE.md §6): transform the *input* sessions once, then run the same mining on them. A
 * sound pipeline finds ~nothing on a control; its PROMOTE count is reported beside the real one.
 *
 * - kind-shuffle: permute the kinds within each session (sources, times, prices stay).
 * - group-shuffle: permute the co-timed groups (each group's kind and source lists as one unit) among all groups
 *   of the same size in the session, ignoring phase and source: what is written together at one timestamp
 *   survives, every temporal order of moments is destroyed.
 * - time-reverse: t' = t_first + t_last − t, events re-sorted (the order reversed, so t' is non-decreasing),
 *   graph rebuilt: structure that depends on the arrow of time should vanish or change.
 *
 * Every control rebuilds the graph from the transformed columns, as the pipeline would: with `rebuildDag` when
 * given, else buildDag(input, dagConfig ?? DEFAULT_DAG_CONFIG, dagBuilder) (window-kNN topology does not depend
 * on kinds, only its edge weights do). An attention graph (`graphKind: 'attention'`) depends on the kinds and
 * the order through the attention model, so without `rebuildDag` every control refuses it. Edge labels are not
 * carried over (a rebuilt graph has none). Session ids and days are kept. Pure and seeded: session si of a control
 * draws from deriveSeed(seed, STREAMS.motifControl[control], si).
 */
import { STREAMS } from '../core/index.js';
import { buildDag, DEFAULT_DAG_CONFIG, type Dag, type DagInput } from '../graph/index.js';
import type { DagBuilderName, DagConfig } from '../graph/index.js';
import { Rng, deriveSeed } from '../stats/index.js';
import { applyGroupPermutation, drawGroupPermutation, groupStrata } from './nulls.js';
import type { MotifSession } from './types.js';
import { validateMotifDag } from './validate.js';

export const MOTIF_CONTROLS = ['kind-shuffle', 'group-shuffle', 'time-reverse'] as const;
export type MotifControl = (typeof MOTIF_CONTROLS)[number];

export interface ControlOptions {
  /** DAG rule and builder of the default rebuild (default DEFAULT_DAG_CONFIG, vectorized). */
  dagConfig?: DagConfig;
  dagBuilder?: DagBuilderName;
  /** Rebuild a session's graph from its transformed columns (required for attention graphs). */
  rebuildDag?: (input: DagInput, sessionIndex: number) => Dag;
  /** 'attention' marks graphs the default window-kNN rebuild cannot reproduce. Default 'dag'. */
  graphKind?: 'dag' | 'attention';
}

/** Apply a negative control to every session (see the module comment). Returns new sessions; inputs untouched. */
export function applyControl(
  sessions: readonly MotifSession[],
  control: MotifControl,
  seed: number,
  o: ControlOptions = {},
): MotifSession[] {
  if (!(MOTIF_CONTROLS as readonly string[]).includes(control))
    throw new Error(`control must be one of ${MOTIF_CONTROLS.join(', ')}; got "${String(control)}"`);
  if (o.graphKind === 'attention' && !o.rebuildDag)
    throw new Error(
      `control ${control} on an attention graph needs rebuildDag (re-running attention on the transformed ` +
        'session); the default rebuild makes a window-kNN DAG, which is not the attention graph',
    );
  const cfg = o.dagConfig ?? DEFAULT_DAG_CONFIG;
  const builder = o.dagBuilder ?? 'vectorized';
  const rebuild = o.rebuildDag ?? ((input: DagInput) => buildDag(input, cfg, builder));
  const stream = STREAMS.motifControl[control];
  return sessions.map((s, si) => {
    const rng = new Rng(deriveSeed(seed, stream, si));
    const cols = transform(s, control, rng);
    const dag = rebuild({ t: cols.t, price: cols.price, kind: cols.kind }, si);
    validateMotifDag(dag, s.n, `control ${control} rebuild of session ${si} (${s.id})`);
    const out: MotifSession = { id: s.id, n: s.n, t: cols.t, price: cols.price, kind: cols.kind, dag };
    if (cols.source) out.source = cols.source;
    if (s.day !== undefined) out.day = s.day;
    return out;
  });
}

interface Columns {
  t: Float64Array;
  price: Float64Array;
  kind: Uint8Array;
  source?: Uint8Array;
}

function transform(s: MotifSession, control: MotifControl, rng: Rng): Columns {
  const n = s.n;
  if (control === 'kind-shuffle') {
    const kind = s.kind.slice(0, n);
    rng.shuffle(kind);
    return { t: s.t.slice(0, n), price: s.price.slice(0, n), kind, source: s.source?.slice(0, n) };
  }
  if (control === 'group-shuffle') {
    // Strata by group size only: phase and source do not constrain the control.
    const g = groupStrata(n, s.t, s.source, { source: false, phase: false });
    const perm = drawGroupPermutation(g, rng, new Int32Array(g.members.length));
    const kind = applyGroupPermutation(s.kind, g, perm, new Uint8Array(n));
    const source = s.source ? applyGroupPermutation(s.source, g, perm, new Uint8Array(n)) : undefined;
    return { t: s.t.slice(0, n), price: s.price.slice(0, n), kind, source };
  }
  // time-reverse
  const t = new Float64Array(n);
  const price = new Float64Array(n);
  const kind = new Uint8Array(n);
  const source = s.source ? new Uint8Array(n) : undefined;
  const t0 = n > 0 ? s.t[0] : 0;
  const t1 = n > 0 ? s.t[n - 1] : 0;
  for (let i = 0; i < n; i++) {
    const j = n - 1 - i;
    t[i] = t0 + t1 - s.t[j];
    price[i] = s.price[j];
    kind[i] = s.kind[j];
    if (source) source[i] = (s.source as Uint8Array)[j];
  }
  return { t, price, kind, source };
}
