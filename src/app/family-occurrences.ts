/**
 * Where the run's motif families occur: every occurrence of every PROMOTE member, grouped by family, with its
 * completion time (the latest knowable time of its events) — the input of evaluate's family signal and of the
 * dashboard's evidence panel. Occurrences of nested members that cover the same events are distinct
 * occurrences here; the evaluation's signal fires once per bar anyway.
 */
import { motifSessions } from '../discover/index.js';
import type { FamilyOccurrences } from '../evaluate/index.js';
import { findMotifOccurrences, type MotifFamily, type MotifResult } from '../motifs/index.js';
import { motifReadableName } from '../report/index.js';
import type { PipelineResult } from './run.js';

export interface RunFamilyOccurrences {
  family: MotifFamily;
  /** The representative's readable name (kinds along its path, or its kinds and edge count). */
  name: string;
  /** Completion time (UTC ms) and source file of each occurrence, in session order. */
  endT: number[];
  sourceFile: string[];
}

/** The run's families with their occurrences; [] when nothing was promoted. */
export function runFamilyOccurrences(
  result: Pick<PipelineResult, 'motifs' | 'discovered'>,
): RunFamilyOccurrences[] {
  const families = result.motifs.families ?? [];
  if (families.length === 0) return [];
  const byId = new Map<string, MotifResult>(result.motifs.results.map((r) => [r.id, r]));
  const members = families.flatMap((f) => f.members.map((id) => byId.get(id)!)).filter((m) => m);
  const familyOf = new Map<string, number>();
  families.forEach((f, k) => f.members.forEach((id) => familyOf.set(id, k)));
  const out: RunFamilyOccurrences[] = families.map((f) => {
    const rep = byId.get(f.representative);
    return {
      family: f,
      name: rep ? motifReadableName(rep.kinds, rep.edges) : f.representative,
      endT: [],
      sourceFile: [],
    };
  });
  const sessionById = new Map(result.discovered.map((d) => [d.session.id, d.session]));
  for (const o of findMotifOccurrences(motifSessions(result.discovered, 'dag'), members)) {
    const k = familyOf.get(o.motifId);
    const s = sessionById.get(o.sessionId);
    if (k === undefined || !s) continue;
    let end = -Infinity;
    for (const v of o.nodes) end = Math.max(end, s.events[v].t);
    out[k].endT.push(end);
    out[k].sourceFile.push(s.sourceFile);
  }
  return out;
}

/** The occurrences of one bar file's sessions, as evaluate's input. */
export function familyOccurrencesOf(all: readonly RunFamilyOccurrences[], file: string): FamilyOccurrences[] {
  return all.map((f) => ({
    family: f.family.id,
    name: f.name,
    endT: f.endT.filter((_, i) => f.sourceFile[i] === file),
  }));
}
