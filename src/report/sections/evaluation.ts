/**
 * "What happened next": the evaluation of a bar series (src/evaluate) — the headline and the walk-forward setup,
 * the top effect cells, forward-path small multiples (signal mean with its q10–q90 band against the matched
 * control), the session-range oracle against its baselines, and the skipped signals.
 *
 * `undefined` leaves the section out (no evaluation data given); `null` means the run has no evaluation (it ran on
 * enhanced records, not bars) and the section says so in one line.
 */
import type { EvaluationResult, EvaluationRow, OracleReport, SignalPath } from '../../evaluate/index.js';
import { axisStyle, renderChartSvg } from '../chart.js';
import { esc, fmtInt, fmtNum, fmtP, fmtPct } from '../html.js';
import { panel, tiles, type SectionHtml } from '../layout.js';
import { ACCENT, MUTED } from '../palette.js';

/** Rows in the top-effects table. */
export const EVAL_TABLE_ROWS = 15;
/** Signals drawn as forward-path small multiples. */
export const EVAL_MAX_PATHS = 6;

const ID = 'evaluation';
const TITLE = 'What happened next';
const CONTROL_COLOR = '#d68910';
const BAND_FILL = 'rgba(31,78,121,0.16)';

/** What each outcome measures (shown under the table for the outcomes present). */
const OUTCOME_DOCS: Record<string, string> = {
  ret: 'forward return, points',
  up: 'share of positive returns',
  mfe: 'max favourable (upward) excursion, points',
  mae: 'max adverse (downward) excursion, points',
  range: 'forward range, points',
  rv: 'realised volatility, points',
  next_swing_high: 'share whose next swing is a high',
  touch_up_1atr: 'share touching +1 ATR before −1 ATR',
  prev_high_first: "share touching the previous session's high before its low",
};

const NEEDS_BARS =
  `<p class="note eval-none">No evaluation in this run: the evaluation needs bars — ` +
  `<code>ironforge run --bars FILE</code> or <code>ironforge evaluate --bars FILE</code>.</p>`;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${fmtInt(n)} ${n === 1 ? one : many}`;
}

function capitalize(s: string): string {
  return s.length === 0 ? s : s[0].toUpperCase() + s.slice(1);
}

/** |effect| / SE, the ranking's tie-breaker (a zero SE with a non-zero effect ranks first). */
function tStat(r: EvaluationRow): number {
  const t = r.se > 0 ? Math.abs(r.effect) / r.se : r.effect !== 0 ? Infinity : 0;
  return Number.isNaN(t) ? 0 : t;
}

/** Tested cells, best first: q ascending, then |effect|/SE descending (stable, so ties keep the input order). */
export function rankEvaluationRows(rows: readonly EvaluationRow[]): EvaluationRow[] {
  return rows.filter((r) => r.tested).sort((a, b) => (a.q ?? 1) - (b.q ?? 1) || tStat(b) - tStat(a));
}

/** Minutes of a numeric horizon name ("30m" → 30), or null for close/session. */
function horizonMinutes(h: string): number | null {
  const m = /^(\d+(?:\.\d+)?)m$/.exec(h);
  return m ? Number(m[1]) : null;
}

function checkEvaluation(ev: EvaluationResult): void {
  if (typeof ev !== 'object' || ev.kind !== 'ironforge.evaluation')
    throw new Error(
      `dashboard: evaluation.kind = ${String((ev as { kind?: unknown } | null)?.kind)}, expected "ironforge.evaluation"`,
    );
  for (const field of ['rows', 'paths', 'skipped', 'folds'] as const)
    if (!Array.isArray(ev[field])) throw new Error(`dashboard: evaluation.${field} must be an array`);
  ev.paths.forEach((p, i) => {
    for (const k of ['n', 'mean', 'q10', 'q90', 'control'] as const)
      if (p[k].length !== p.horizons.length)
        throw new Error(
          `dashboard: evaluation.paths[${i}].${k} has length ${p[k].length}, expected ${p.horizons.length} (horizons)`,
        );
  });
}

function headlineBlock(ev: EvaluationResult): string {
  const wf = ev.walkForward;
  const level = Math.round(ev.settings.level * 100);
  const setup =
    `${plural(ev.days, 'trading day')} of bars (${plural(ev.sessions, 'session')}, ${fmtInt(ev.bars)} bars, ` +
    `from ${ev.source}); rolling-origin walk-forward by trading day in ${plural(ev.folds.length, 'fold')} — ` +
    `first training window ${plural(wf.minTrainDays, 'day')}, test blocks of ${plural(wf.testDays, 'day')}, ` +
    `embargo ${plural(wf.embargoDays, 'day')} — giving ${plural(ev.testDays, 'test day')}. ` +
    `Benjamini–Hochberg at q ≤ ${fmtNum(ev.headline.fdr)} over every tested cell (signal × horizon × outcome).`;
  const how =
    `Every effect is out of sample (measured on each fold's test days, with everything fitted on earlier days) and ` +
    `incremental over a matched control: the same outcome at other times of the same session type × time of day × ` +
    `recent volatility. Intervals are day-clustered ${level}% CIs (days resampled as a whole).`;
  return (
    `<div class="eval-headline"><p class="headline">${esc(capitalize(ev.headline.text))}.</p>` +
    `<p>${esc(setup)}</p><p>${esc(how)}</p></div>` +
    tiles([
      { label: 'Cells tested', value: fmtInt(ev.headline.tested) },
      {
        label: `Significant (q ≤ ${fmtNum(ev.headline.fdr)})`,
        value: fmtInt(ev.headline.significant),
        tone: ev.headline.significant > 0 ? 'good' : '',
      },
      { label: 'Median MDE ret@30m', value: fmtNum(ev.headline.medianMde30) },
      { label: 'Trading days', value: fmtInt(ev.days) },
      { label: 'Test days', value: fmtInt(ev.testDays) },
      { label: 'Folds', value: fmtInt(ev.folds.length) },
    ])
  );
}

function effectsTable(ev: EvaluationResult): string {
  const ranked = rankEvaluationRows(ev.rows);
  const shown = ranked.slice(0, EVAL_TABLE_ROWS);
  const untested = ev.rows.length - ranked.length;
  const sigAll = ranked.filter((r) => r.significant).length;
  const level = Math.round(ev.settings.level * 100);
  const note =
    `${plural(ranked.length, 'cell')} tested, ${fmtInt(untested)} untested (below the minimum sample of ` +
    `${fmtInt(ev.settings.minOccurrences)} occurrences on ${plural(ev.settings.minDays, 'day')}, fixed before ` +
    `looking at outcomes); ${fmtInt(sigAll)} significant at q ≤ ${fmtNum(ev.settings.fdr)} counting the ` +
    `momentum/ATR baselines (the headline leaves them out). ` +
    (shown.length < ranked.length ? `Showing the top ${shown.length} by q, then |effect|/SE.` : '');
  if (shown.length === 0) return `<h3>Top effects</h3><p class="note">${esc(note)}</p>`;
  const rows = shown.map(
    (r) =>
      `<tr${r.significant ? ' class="row-sig"' : ''}><td class="mono id">${esc(r.signal)}</td>` +
      `<td class="mono">${esc(r.horizon)}</td><td class="mono">${esc(r.outcome)}</td>` +
      `<td class="num">${esc(fmtInt(r.n))}</td><td class="num">${esc(fmtInt(r.days))}</td>` +
      `<td class="num"><span class="strong">${esc(fmtNum(r.effect))}</span> ` +
      `<span class="ci">[${esc(fmtNum(r.ciLow))}, ${esc(fmtNum(r.ciHigh))}]</span></td>` +
      `<td class="num">${esc(fmtNum(r.baseline))}</td><td class="num">${esc(fmtP(r.q))}</td>` +
      `<td class="num">${esc(fmtNum(r.mde))}</td>` +
      `<td>${r.significant ? '<span class="badge cls-promote">significant</span>' : ''}</td></tr>`,
  );
  const outcomes = ev.outcomes.filter((o) => OUTCOME_DOCS[o] !== undefined);
  const legend = outcomes.length
    ? `<p class="note">${outcomes.map((o) => `<span class="mono">${esc(o)}</span> ${esc(OUTCOME_DOCS[o])}`).join(' · ')}. ` +
      `Effect = signal mean − control mean, with its ${level}% CI; MDE = the effect this cell could detect (5%, power 80%).</p>`
    : '';
  return (
    `<h3>Top effects</h3>` +
    `<div class="table-wrap"><table class="data"><thead><tr><th>Signal</th><th>Horizon</th><th>Outcome</th>` +
    `<th class="num">n</th><th class="num">Days</th><th class="num">Effect [${level}% CI]</th>` +
    `<th class="num">Baseline (control mean)</th><th class="num">q</th><th class="num">MDE</th><th></th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table></div>` +
    `<p class="note">${esc(note)}</p>${legend}`
  );
}

/** The ret cells the forward paths are ranked and labelled by: those at the numeric horizon nearest 30 minutes. */
function refRetCells(ev: EvaluationResult): { horizon: string | null; cell: Map<string, EvaluationRow> } {
  const retRows = ev.rows.filter((r) => r.outcome === 'ret' && horizonMinutes(r.horizon) !== null);
  let horizon: string | null = null;
  for (const r of retRows) {
    const m = horizonMinutes(r.horizon)!;
    if (horizon === null || Math.abs(m - 30) < Math.abs(horizonMinutes(horizon)! - 30)) horizon = r.horizon;
  }
  const cell = new Map<string, EvaluationRow>();
  for (const r of retRows) if (r.horizon === horizon) cell.set(r.signal, r);
  return { horizon, cell };
}

/**
 * The signals to draw: those with a forward path, ranked by their ret cell nearest 30 minutes (significant
 * first, then q, then |effect|); baselines only when nothing else has a path.
 */
export function pathSignals(ev: EvaluationResult, max = EVAL_MAX_PATHS): SignalPath[] {
  const withPath = ev.paths.filter((p) => p.n.some((n) => n > 0));
  const { cell } = refRetCells(ev);
  const source = new Map<string, string>(ev.signals.map((s) => [s.name, s.source]));
  const isBaseline = (p: SignalPath): boolean =>
    (source.get(p.signal) ?? cell.get(p.signal)?.source) === 'baseline';
  const nonBaseline = withPath.filter((p) => !isBaseline(p));
  const pool = nonBaseline.length > 0 ? nonBaseline : withPath;
  const score = (p: SignalPath): [number, number, number] => {
    const r = cell.get(p.signal);
    if (!r) return [0, 2, 0];
    return [
      r.significant ? 1 : 0,
      r.tested ? (r.q ?? 1) : 1.5,
      Number.isFinite(r.effect) ? Math.abs(r.effect) : 0,
    ];
  };
  return pool
    .map((p) => ({ p, s: score(p) }))
    .sort((a, b) => b.s[0] - a.s[0] || a.s[1] - b.s[1] || b.s[2] - a.s[2])
    .slice(0, max)
    .map(({ p }) => p);
}

const finite = (v: number): boolean => Number.isFinite(v);

/** A y range with a round step shared by all small multiples (so they compare at a glance). */
function niceRange(values: number[]): { min: number; max: number; step: number } {
  let lo = Math.min(0, ...values);
  let hi = Math.max(0, ...values);
  if (!(hi > lo)) {
    lo -= 1;
    hi += 1;
  }
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? 10 * mag;
  return { min: Math.floor(lo / step) * step, max: Math.ceil(hi / step) * step, step };
}

function pathChart(p: SignalPath, i: number, y: { min: number; max: number; step: number }): string {
  // Entry is at minute 0 with return 0 by definition (returns are measured from the entry price).
  const xs = [0, ...p.horizons];
  const ok = [true, ...p.horizons.map((_, j) => p.n[j] > 0)];
  const val = (arr: number[], j: number): number | null =>
    j === 0 ? 0 : ok[j] && finite(arr[j - 1]) ? arr[j - 1] : null;
  // The band is one polygon over the leading run of horizons that have outcomes: q90 forward, q10 back.
  const band: [number, number][] = [];
  let run = 0;
  while (run < xs.length && val(p.q10, run) !== null && val(p.q90, run) !== null) run++;
  for (let j = 0; j < run; j++) band.push([xs[j], val(p.q90, j)!]);
  for (let j = run - 1; j >= 0; j--) band.push([xs[j], val(p.q10, j)!]);
  const xMax = xs[xs.length - 1];
  return renderChartSvg({
    id: `eval-path-${i}`,
    width: 540,
    height: 230,
    label: `Mean forward return path after ${p.signal}, with its q10–q90 band and the matched control`,
    option: {
      grid: { left: 48, right: 12, top: 12, bottom: 38 },
      xAxis: {
        type: 'value',
        min: 0,
        max: xMax,
        ...axisStyle('Minutes after entry', {
          nameGap: 24,
          splitLine: { show: false },
          axisLabel: { color: MUTED, fontSize: 10, customValues: xs },
          axisTick: { lineStyle: { color: '#9aa5b1' }, customValues: xs },
        }),
      },
      yAxis: {
        type: 'value',
        min: y.min,
        max: y.max,
        interval: y.step,
        ...axisStyle('Points', { nameGap: 36 }),
      },
      series: [
        {
          type: 'custom',
          silent: true,
          data: band.length > 2 ? [[0, 0]] : [],
          renderItem: (_params, api) => ({
            type: 'polygon',
            shape: { points: band.map((pt) => api.coord(pt)) },
            style: { fill: BAND_FILL },
          }),
          z: 1,
        },
        {
          type: 'line',
          data: xs.map((x, j) => [x, val(p.control, j)]),
          connectNulls: false,
          symbol: 'circle',
          symbolSize: 4,
          lineStyle: { color: CONTROL_COLOR, width: 1.4, type: 'dashed' },
          itemStyle: { color: CONTROL_COLOR },
          z: 2,
        },
        {
          type: 'line',
          data: xs.map((x, j) => [x, val(p.mean, j)]),
          connectNulls: false,
          symbol: 'circle',
          symbolSize: 6,
          lineStyle: { color: ACCENT, width: 2 },
          itemStyle: { color: ACCENT },
          z: 3,
        },
      ],
    },
    tip: (s, d) => {
      if (d === 0 || s === 0) return undefined;
      const j = d - 1;
      if (!ok[d]) return undefined;
      return s === 1
        ? `matched control, ${xs[d]} min: ${fmtNum(p.control[j])} points`
        : `${p.signal}, ${xs[d]} min: mean ${fmtNum(p.mean[j])} points (n = ${fmtInt(p.n[j])}), ` +
            `q10–q90 [${fmtNum(p.q10[j])}, ${fmtNum(p.q90[j])}]`;
    },
  });
}

function pathGallery(ev: EvaluationResult): string {
  const chosen = pathSignals(ev);
  if (chosen.length === 0)
    return `<h3>Forward paths</h3><p class="note">No signal has a forward-return path on the test days.</p>`;
  const values = chosen.flatMap((p) =>
    p.horizons.flatMap((_, j) => (p.n[j] > 0 ? [p.mean[j], p.q10[j], p.q90[j], p.control[j]] : [])),
  );
  const y = niceRange(values.filter(finite));
  const { horizon, cell } = refRetCells(ev);
  const cards = chosen.map((p, i) => {
    const nLine = p.horizons.map((h, j) => `${fmtInt(p.n[j])} at ${h} min`).join(' · ');
    const r = cell.get(p.signal);
    const eff = r
      ? `ret@${horizon} effect ${fmtNum(r.effect)} [${fmtNum(r.ciLow)}, ${fmtNum(r.ciHigh)}], q ${fmtP(r.q)}`
      : '';
    return (
      `<article class="card eval-path"><h3 class="mono">${esc(p.signal)}</h3>` +
      `<p class="meta">n = ${esc(nLine)}${eff ? `<br>${esc(eff)}` : ''}</p>` +
      `<figure class="fig">${pathChart(p, i, y)}</figure></article>`
    );
  });
  const legend =
    `<div class="kind-legend"><span class="kind-chip"><i style="background:${ACCENT}"></i>signal mean</span>` +
    `<span class="kind-chip"><i style="background:${BAND_FILL};border:1px solid ${ACCENT}"></i>q10–q90 of the signal's returns</span>` +
    `<span class="kind-chip"><i style="background:${CONTROL_COLOR}"></i>matched control mean (dashed)</span></div>`;
  return (
    `<h3>Forward paths</h3><p class="note">Mean forward return after entry (points, from the entry price) on the ` +
    `test days, for up to ${EVAL_MAX_PATHS} signals — the most significant or largest ret effects at ` +
    `${esc(horizon ?? '30m')}${includesBaseline(chosen, ev) ? '' : ', baselines left out'}; all panels share ` +
    `the y scale.</p>` +
    legend +
    `<div class="path-grid">${cards.join('')}</div>`
  );
}

function includesBaseline(chosen: SignalPath[], ev: EvaluationResult): boolean {
  const baseline = new Set(ev.signals.filter((s) => s.source === 'baseline').map((s) => s.name));
  return chosen.some((p) => baseline.has(p.signal));
}

/** Skip reasons with their day stamps folded, so "no history: day … " of many days counts as one reason. */
function reasonCounts(skipped: { reason: string }[]): { reason: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const s of skipped) {
    const key = s.reason.replace(/\d{4}-\d{2}-\d{2}/g, 'YYYY-MM-DD');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
}

function oracleBlock(o: OracleReport | null): string {
  if (!o)
    return `<h3>Session-range oracle</h3><p class="note">The session-range oracle was left out of this evaluation.</p>`;
  const cut =
    o.cut.minutes !== undefined
      ? `${fmtNum(o.cut.minutes)} minutes into each session`
      : `${fmtPct(o.cut.fraction ?? NaN)} of the way through each session`;
  const lead =
    `At ${cut}, predict its final range with a ${fmtPct(o.nominal)} interval (split conformal, calibrated ` +
    `walk-forward on earlier days, ${plural(o.folds, 'fold')}): the oracle covered ${fmtPct(o.coverage)} ± ` +
    `${fmtPct(o.coverageSE)} (day-clustered SE) of ${plural(o.n, 'test session')} against ${fmtPct(o.nominal)} ` +
    `nominal, mean width ${fmtNum(o.meanWidth)} points, median absolute error ${fmtNum(o.medianAbsError)} points.`;
  const methods = o.methods.length > 0 ? o.methods : [];
  const methodRows = methods.map(
    (m) =>
      `<tr${m.method === 'oracle' ? ' class="row-sig"' : ''}><td class="mono">${esc(m.method)}</td>` +
      `<td class="num">${esc(fmtInt(m.n))}</td>` +
      `<td class="num">${esc(fmtPct(m.coverage))} <span class="ci">± ${esc(fmtPct(m.coverageSE))}</span></td>` +
      `<td class="num">${esc(fmtNum(m.meanWidth))}</td><td class="num">${esc(fmtNum(m.medianAbsError))}</td>` +
      `<td class="num">${esc(fmtInt(m.missing))}</td><td class="note">${esc(m.doc)}</td></tr>`,
  );
  const methodTable = methods.length
    ? `<div class="table-wrap"><table class="data eval-oracle"><thead><tr><th>Method</th><th class="num">n</th>` +
      `<th class="num">Coverage ± SE (nominal ${esc(fmtPct(o.nominal))})</th><th class="num">Mean width</th>` +
      `<th class="num">Median abs. error</th><th class="num">Missing</th><th>Predicts from</th></tr></thead>` +
      `<tbody>${methodRows.join('')}</tbody></table></div>`
    : '';
  // per session type: coverage of every method, in the oracle's type order
  const types: string[] = [];
  for (const m of methods) for (const t of Object.keys(m.byType)) if (!types.includes(t)) types.push(t);
  const typeTable = types.length
    ? `<div class="table-wrap"><table class="data compact eval-types"><thead><tr><th>Session type</th>` +
      `<th class="num">n</th>${methods.map((m) => `<th class="num">${esc(m.method)} coverage</th>`).join('')}` +
      `<th class="num">oracle mean width</th></tr></thead><tbody>` +
      types
        .map((t) => {
          const own = methods[0].byType[t];
          return (
            `<tr><td class="mono">${esc(t)}</td><td class="num">${esc(fmtInt(own?.n))}</td>` +
            methods
              .map((m) => {
                const s = m.byType[t];
                return `<td class="num">${s ? `${esc(fmtPct(s.coverage))} <span class="ci">± ${esc(fmtPct(s.coverageSE))}</span>` : '—'}</td>`;
              })
              .join('') +
            `<td class="num">${esc(fmtNum(own?.meanWidth))}</td></tr>`
          );
        })
        .join('') +
      `</tbody></table></div>`
    : '';
  const hl = o.highLow;
  const extra =
    `Final high covered ${fmtPct(hl.coverageHigh)} (mean width ${fmtNum(hl.meanWidthHigh)}), final low ` +
    `${fmtPct(hl.coverageLow)} (mean width ${fmtNum(hl.meanWidthLow)}); calibration pool: own session type ` +
    `${fmtInt(o.calibrationPools.type)}, all types ${fmtInt(o.calibrationPools.all)}.`;
  const reasons = reasonCounts(o.skipped);
  const skippedLine =
    o.skipped.length === 0
      ? 'No session was skipped.'
      : `${plural(o.skipped.length, 'session')} skipped — ` +
        reasons
          .slice(0, 3)
          .map((r) => `${fmtInt(r.count)} × ${r.reason}`)
          .join('; ') +
        (reasons.length > 3 ? `; ${plural(reasons.length - 3, 'other reason')}` : '') +
        '.';
  return (
    `<h3>Session-range oracle</h3><p>${esc(lead)}</p>${methodTable}` +
    (typeTable ? `<h3>Coverage by session type</h3>${typeTable}` : '') +
    `<p class="note">${esc(extra)}</p><p class="note">${esc(skippedLine)}</p>`
  );
}

function skippedBlock(ev: EvaluationResult): string {
  if (ev.skipped.length === 0) return `<p class="note">No signal was skipped.</p>`;
  const items = ev.skipped.map(
    (s) =>
      `<li><span class="mono">${esc(s.signal)}</span> — ${esc(s.reason)}` +
      (s.detail !== undefined ? ` <span class="mono">(${esc(s.detail)})</span>` : '') +
      `</li>`,
  );
  return (
    `<details class="weights eval-skipped"><summary>Skipped signals (${esc(fmtInt(ev.skipped.length))})</summary>` +
    `<ul class="notes">${items.join('')}</ul></details>`
  );
}

/** The evaluation section: null when no evaluation data is given, the "needs bars" line for `null`. */
export function evaluationSection(ev: EvaluationResult | null | undefined): SectionHtml | null {
  if (ev === undefined) return null;
  if (ev === null) return panel(ID, TITLE, '', NEEDS_BARS);
  checkEvaluation(ev);
  return panel(
    ID,
    TITLE,
    'An event study on the bars: what price did after each causal signal, against a matched control, out of sample.',
    headlineBlock(ev) + effectsTable(ev) + pathGallery(ev) + oracleBlock(ev.oracle) + skippedBlock(ev),
  );
}
