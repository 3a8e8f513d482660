/**
 * The dashboard's "Evidence at a glance" (report/ EvidenceView) from one run: per motif family, its PROMOTE count
 * on the real data against what the negative controls promote of the same motifs, the representative's
 * day-clustered CI, its members' replication on the validation holdout, and the forward path of its occurrences
 * against the matched control from the run's evaluation (`motif:<family>` signals; in-sample families).
 */
import type { EvaluationResult } from '../evaluate/index.js';
import { familySignalName } from '../evaluate/index.js';
import type { MotifResult } from '../motifs/index.js';
import { motifReadableName, type EvidenceView, type FamilyForwardPath } from '../report/index.js';
import { DEFAULT_THRESHOLDS, median } from '../stats/index.js';
import type { PipelineResult } from './run.js';

/**
 * Minimum detectable lift: a motif with the median relative CI width of this run (lift / CI low over the tested
 * motifs with a positive CI low) needs lift ≥ promoteCiLow × that ratio for its CI low to pass; never below the
 * lift rule. Null when no tested motif has a CI.
 */
export function minDetectableLift(results: readonly Pick<MotifResult, 'lift' | 'ciLow'>[]): number | null {
  const ratios = results
    .filter((r) => Number.isFinite(r.ciLow) && r.ciLow > 0 && Number.isFinite(r.lift))
    .map((r) => r.lift / r.ciLow);
  const m = median(ratios);
  return m === null ? null : Math.max(DEFAULT_THRESHOLDS.promoteLift, DEFAULT_THRESHOLDS.promoteCiLow * m);
}

function forwardOf(ev: EvaluationResult, family: string): FamilyForwardPath | null {
  const signal = familySignalName(family);
  const info = ev.motifFamilies?.find((f) => f.family === family);
  const path = ev.paths.find((p) => p.signal === signal);
  if (!info || !path) return null;
  const row = ev.rows.find((r) => r.signal === signal && r.horizon === '30m' && r.outcome === 'ret');
  return {
    occurrences: info.occurrences,
    firings: info.firings,
    horizons: path.horizons,
    mean: path.mean,
    control: path.control,
    q10: path.q10,
    q90: path.q90,
    n: path.n,
    ...(row
      ? {
          ret30: {
            effect: row.effect,
            ciLow: row.ciLow,
            ciHigh: row.ciHigh,
            q: row.q,
            tested: row.tested,
            n: row.n,
            days: row.days,
          },
        }
      : {}),
  };
}

/**
 * `evaluation`: the run's evaluation of its (first) bar file; null when the run has no bars; undefined when the
 * evaluation failed.
 */
export function evidenceView(
  result: Pick<PipelineResult, 'motifs' | 'validation'>,
  evaluation: EvaluationResult | null | undefined,
): EvidenceView {
  const run = result.motifs;
  const byId = new Map(run.results.map((r) => [r.id, r]));
  const v = result.validation;
  const controls = v.controls?.controls ?? [];
  const replicatedOf = new Map<string, boolean>(
    v.status === 'done' ? v.motifs.map((m) => [m.id, m.holdout.replicated]) : [],
  );
  const families = (run.families ?? []).map((f) => {
    const rep = byId.get(f.representative)!;
    const inDiscovery = f.members.filter((id) => replicatedOf.has(id));
    return {
      family: f.id,
      name: motifReadableName(rep.kinds, rep.edges),
      representative: f.representative,
      members: f.members.length,
      support: f.support,
      controls: controls.map((c) => {
        const ids = new Set(c.promotedIds ?? []);
        return { control: c.control, alsoPromoted: f.members.filter((id) => ids.has(id)).length };
      }),
      lift: rep.lift,
      q: rep.q,
      ciLow: rep.ciLow,
      ciHigh: rep.ciHigh,
      replication:
        v.status === 'done'
          ? {
              promotedInDiscovery: inDiscovery.length,
              replicated: inDiscovery.filter((id) => replicatedOf.get(id)).length,
            }
          : null,
      forward: evaluation ? forwardOf(evaluation, f.id) : null,
    };
  });
  const rolling =
    v.status === 'done' && v.rolling
      ? v.rolling.status === 'done'
        ? `rolling origin (${v.rolling.folds.length} folds, one holdout day each): ${v.rolling.pooled.PROMOTE.replicated} of ${v.rolling.pooled.PROMOTE.tested} fold-promoted motifs replicated on their day`
        : `rolling origin skipped: ${v.rolling.reason}`
      : 'rolling origin not run (ironforge validate --rolling)';
  return {
    nullModel: run.nullModels.join(', '),
    tested: run.testedMotifs,
    realPromote: run.results.filter((r) => r.class === 'PROMOTE').length,
    controls: controls.map((c) => ({ control: c.control, tested: c.tested, promote: c.promote })),
    ...(run.ciUnit ? { ciUnit: run.ciUnit } : {}),
    ...(run.ciUnits !== undefined ? { ciUnits: run.ciUnits } : {}),
    families,
    thresholds: {
      promoteLift: DEFAULT_THRESHOLDS.promoteLift,
      promoteQ: DEFAULT_THRESHOLDS.promoteQ,
      promoteCiLow: DEFAULT_THRESHOLDS.promoteCiLow,
    },
    minDetectableLift: minDetectableLift(run.results),
    evaluation: evaluation === null ? 'no-bars' : evaluation === undefined ? 'failed' : 'present',
    validation:
      v.status === 'done'
        ? {
            status: 'done',
            text: `discovery ${v.split.discoveryDates[0]} … ${v.split.discoveryDates.at(-1)}, holdout from ${v.split.splitDate} (${v.holdout.sessions} sessions)`,
            rolling,
          }
        : { status: 'skipped', text: v.reason },
  };
}
