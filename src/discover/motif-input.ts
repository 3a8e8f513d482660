/** Adapters from discovered sessions to motif mining: the DAG itself, or the attention DAG (top-m predecessors). */
import { attentionDagFromTopM } from '../motifs/index.js';
import type { MotifSession } from '../motifs/index.js';
import { buildDag, dagInputFromSession, type DagBuilderName } from '../graph/index.js';
import { DEFAULT_DAG_CONFIG, type DagConfig } from '../graph/index.js';
import { EVENT_SOURCES, type Session } from '../session/index.js';
import type { DiscoveredSession } from './discover.js';

export type MotifGraph = 'dag' | 'attention';

export function motifSession(d: DiscoveredSession, graph: MotifGraph): MotifSession {
  const n = d.session.events.length;
  const dag =
    graph === 'dag' ? d.dag : attentionDagFromTopM(d.attention.index, n, Math.max(1, d.attention.m));
  return withGraph(d.session, dag);
}

/** Motif input over the session DAG alone (no TGAT needed). */
export function dagMotifSessions(
  sessions: readonly Session[],
  cfg: DagConfig = DEFAULT_DAG_CONFIG,
  builder: DagBuilderName = 'vectorized',
): MotifSession[] {
  return sessions.map((s) => withGraph(s, buildDag(dagInputFromSession(s), cfg, builder)));
}

function withGraph(s: Session, dag: MotifSession['dag']): MotifSession {
  const n = s.events.length;
  return {
    id: s.id,
    n,
    t: Float64Array.from(s.events, (e) => e.t),
    price: Float64Array.from(s.events, (e) => e.price),
    kind: Uint8Array.from(s.events, (e) => e.kind),
    dag,
    source: Uint8Array.from(s.events, (e) => EVENT_SOURCES.indexOf(e.source)),
    day: s.date,
  };
}

export function motifSessions(ds: readonly DiscoveredSession[], graph: MotifGraph): MotifSession[] {
  return ds.map((d) => motifSession(d, graph));
}
