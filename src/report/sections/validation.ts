/** Temporal validation summary: key figures and, when given, the per-motif out-of-sample table. */
import { esc, fmtInt, fmtNum, fmtP, fmtPct } from '../html.js';
import { panel, tiles, type SectionHtml } from '../layout.js';
import { KIND_COLORS, KIND_NAMES } from '../palette.js';
import type { ValidationSummary } from '../types.js';

/** The kinds of a motif ID (`M3:kinds=0,2,5:edges=…`) by name, as coloured chips; '' when the ID has no kinds. */
function kindNames(id: string): string {
  const m = /:kinds=([0-9,]+)/.exec(id);
  if (!m) return '';
  return m[1]
    .split(',')
    .map(Number)
    .map((k) =>
      k < KIND_NAMES.length
        ? `<span class="kind-chip"><i style="background:${KIND_COLORS[k]}"></i>${esc(KIND_NAMES[k])}</span>`
        : esc(String(k)),
    )
    .join('');
}

/** The validation section, or null when nothing is given. */
export function validationSection(v: ValidationSummary | undefined): SectionHtml | null {
  if (!v) return null;
  const items: { label: string; value: string }[] = [];
  if (v.skipped !== undefined) items.push({ label: 'Skipped', value: v.skipped });
  if (v.split !== undefined) items.push({ label: 'Split', value: v.split });
  if (v.discoverySessions !== undefined)
    items.push({ label: 'Discovery sessions', value: fmtInt(v.discoverySessions) });
  if (v.holdoutSessions !== undefined)
    items.push({ label: 'Holdout sessions', value: fmtInt(v.holdoutSessions) });
  if (v.promoted !== undefined) items.push({ label: 'Promoted', value: fmtInt(v.promoted) });
  if (v.replicated !== undefined) items.push({ label: 'Replicated', value: fmtInt(v.replicated) });
  if (v.replicationRate !== undefined)
    items.push({ label: 'Replication rate', value: fmtPct(v.replicationRate) });
  if (v.parkReplicationRate !== undefined)
    items.push({ label: 'PARK replication (baseline)', value: fmtPct(v.parkReplicationRate) });
  if (v.discardReplicationRate !== undefined)
    items.push({ label: 'DISCARD replication (baseline)', value: fmtPct(v.discardReplicationRate) });
  for (const line of v.controls ?? []) items.push({ label: 'Negative control', value: line });
  if (v.meanHoldoutRecurrence !== undefined)
    items.push({ label: 'Mean holdout recurrence', value: fmtPct(v.meanHoldoutRecurrence) });
  if (v.medianHoldoutLift !== undefined)
    items.push({ label: 'Median holdout lift', value: fmtNum(v.medianHoldoutLift) });
  const motifs = v.motifs ?? [];
  const warnings = v.warnings ?? [];
  if (items.length === 0 && motifs.length === 0 && warnings.length === 0) return null;
  const notes = warnings.length
    ? `<ul class="notes">${warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`
    : '';
  let table = '';
  if (motifs.length > 0) {
    const rows = motifs.map((m, i) => {
      if (typeof m.id !== 'string') throw new Error(`dashboard: validation.motifs[${i}].id must be a string`);
      return (
        `<tr><td class="kinds">${kindNames(m.id)}</td><td class="mono id">${esc(m.id)}</td><td class="num">${esc(fmtNum(m.discoveryLift))}</td>` +
        `<td class="num">${esc(fmtP(m.discoveryQ ?? null))}</td><td class="num">${esc(fmtPct(m.holdoutRecurrence))}</td>` +
        `<td class="num">${esc(fmtNum(m.holdoutLift))}</td><td class="num">${esc(fmtP(m.holdoutP))}</td>` +
        `<td>${m.replicated ? '<span class="badge cls-promote">replicated</span>' : '<span class="badge">not replicated</span>'}</td></tr>`
      );
    });
    table =
      `<div class="table-wrap"><table class="data"><thead><tr><th>Kinds (node order)</th><th>Motif ID</th><th class="num">Discovery lift</th><th class="num">Discovery q</th>` +
      `<th class="num">Holdout recurrence</th><th class="num">Holdout lift</th><th class="num">Holdout p</th><th>Out of sample</th></tr></thead>` +
      `<tbody>${rows.join('')}</tbody></table></div>`;
  }
  return panel(
    'validation',
    'Validation',
    'Motifs promoted on earlier dates, re-tested out of sample on later dates against their null models.',
    tiles(items) + notes + table,
  );
}
