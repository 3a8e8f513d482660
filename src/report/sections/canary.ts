/**
 * Canary section: verdict, gate table (gate, measured value, comparator, threshold, pass/fail/skipped) and
 * performance charts — time against L per kernel / configuration, log-scale y by default.
 */
import { axisStyle, renderChartSvg } from '../chart.js';
import { esc, fmtNum } from '../html.js';
import { figure, panel, type SectionHtml } from '../layout.js';
import { SERIES_COLORS } from '../palette.js';
import type { CanaryFigures, CanaryPerfChart } from '../types.js';

function fmtValue(v: number | string | null, unit?: string): string {
  if (v === null) return '—';
  const text = typeof v === 'number' ? fmtNum(v) : v;
  return unit ? `${text} ${unit}` : text;
}

function gateTable(c: CanaryFigures): string {
  const rows = c.gates.map((g, i) => {
    if (typeof g.name !== 'string') throw new Error(`dashboard: canary.gates[${i}].name must be a string`);
    if (g.pass !== true && g.pass !== false && g.pass !== null)
      throw new Error(`dashboard: canary.gates[${i}].pass = ${String(g.pass)}, expected true, false or null`);
    const status =
      g.pass === null
        ? '<span class="badge">skipped</span>'
        : g.pass
          ? '<span class="badge pass">PASS</span>'
          : '<span class="badge fail">FAIL</span>';
    return (
      `<tr class="${g.pass === false ? 'row-fail' : ''}"><td>${esc(g.name)}</td><td class="num">${esc(fmtValue(g.value, g.unit))}</td>` +
      `<td class="num">${esc(g.comparator ?? '')} ${esc(fmtValue(g.threshold, g.unit))}</td><td>${status}</td>` +
      `<td class="note">${esc(g.note ?? '')}</td></tr>`
    );
  });
  return (
    `<div class="table-wrap"><table class="data gates"><thead><tr><th>Gate</th><th class="num">Measured</th><th class="num">Threshold</th>` +
    `<th>Result</th><th>Note</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`
  );
}

function perfChart(chart: CanaryPerfChart, index: number): string {
  const logY = chart.logY ?? true;
  let lo = Infinity;
  let hi = -Infinity;
  const allL = new Set<number>();
  chart.series.forEach((s, si) => {
    if (s.L.length !== s.ms.length)
      throw new Error(
        `dashboard: canary chart "${chart.title}" series[${si}] has ${s.L.length} L values but ${s.ms.length} times`,
      );
    for (let i = 0; i < s.L.length; i++) {
      if (!(Number.isFinite(s.L[i]) && s.L[i] > 0))
        throw new Error(
          `dashboard: canary chart "${chart.title}" series[${si}].L[${i}] = ${String(s.L[i])}, expected > 0`,
        );
      allL.add(s.L[i]);
      const v = s.ms[i];
      if (v === null) continue;
      if (!(Number.isFinite(v) && v >= 0) || (logY && v <= 0))
        throw new Error(
          `dashboard: canary chart "${chart.title}" series[${si}].ms[${i}] = ${String(v)}, expected ${logY ? '> 0 (log axis)' : '≥ 0'}`,
        );
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  });
  const Ls = [...allL].sort((a, b) => a - b);
  const logX = Ls.length > 1 && Ls[Ls.length - 1] / Ls[0] >= 4;
  const yAxis =
    logY && Number.isFinite(lo)
      ? {
          type: 'log' as const,
          logBase: 10,
          min: 10 ** Math.floor(Math.log10(lo)),
          max: 10 ** Math.ceil(Math.log10(hi) + 1e-9),
        }
      : { type: 'value' as const, min: 0 };
  return renderChartSvg({
    id: `canary-${index}`,
    width: 540,
    height: 330,
    label: chart.title,
    option: {
      title: {
        text: chart.title,
        left: 'center',
        top: 4,
        textStyle: { fontSize: 13, fontWeight: 600, color: '#1f2933' },
      },
      grid: { left: 64, right: 20, top: 62, bottom: 48 },
      legend: { top: 28, textStyle: { fontSize: 11, color: '#3e4c59' }, itemWidth: 14, itemHeight: 8 },
      xAxis: logX
        ? {
            type: 'log',
            logBase: 2,
            min: Ls[0],
            max: Ls[Ls.length - 1],
            ...axisStyle(chart.xLabel ?? 'L (events)', { nameGap: 28 }),
          }
        : { type: 'value', ...axisStyle(chart.xLabel ?? 'L (events)', { nameGap: 28 }) },
      yAxis: {
        ...yAxis,
        ...axisStyle(chart.yLabel ?? (logY ? 'ms (median, log scale)' : 'ms (median)'), {
          nameGap: 48,
          axisLabel: { color: '#52606d', fontSize: 10, formatter: (v: number) => fmtNum(v) },
        }),
      },
      series: chart.series.map((s, si) => ({
        name: s.name,
        type: 'line' as const,
        data: Array.from(s.L, (L, i) => [L, s.ms[i]]),
        connectNulls: false,
        symbol: 'circle',
        symbolSize: 6,
        lineStyle: { width: 1.8, color: SERIES_COLORS[si % SERIES_COLORS.length] },
        itemStyle: { color: SERIES_COLORS[si % SERIES_COLORS.length] },
      })),
    },
    tip: (si, d) => {
      const s = chart.series[si];
      if (!s || d >= s.L.length) return undefined;
      return `${s.name} @ L=${s.L[d]}: ${fmtNum(s.ms[d])} ms`;
    },
  });
}

/** The canary section, or null when no canary figures are given. */
export function canarySection(c: CanaryFigures | undefined): SectionHtml | null {
  if (!c) return null;
  const charts: CanaryPerfChart[] = [];
  if (c.series && c.series.length > 0)
    charts.push({ title: 'Attention kernels: time vs L', series: c.series });
  for (const ch of c.charts ?? []) if (ch.series.length > 0) charts.push(ch);
  if (c.gates.length === 0 && charts.length === 0) return null;
  const failed = c.gates.filter((g) => g.pass === false).length;
  const verdict =
    c.verdict !== undefined ? c.verdict : c.gates.length > 0 ? (failed === 0 ? 'PASS' : 'FAIL') : '';
  const tone = /fail/i.test(verdict) ? 'fail' : /pass/i.test(verdict) ? 'pass' : '';
  const head =
    verdict !== ''
      ? `<p class="verdict"><span class="badge big ${tone}">${esc(verdict)}</span> ` +
        `<span>${c.gates.length} gates, ${failed} failed</span></p>`
      : '';
  const notes =
    c.notes && c.notes.length
      ? `<ul class="notes">${c.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`
      : '';
  const chartHtml = charts.length
    ? `<div class="grid-2">${charts.map((ch, i) => figure(perfChart(ch, i), '')).join('')}</div>`
    : '';
  return panel(
    'canary',
    'Canary',
    'Release benchmark: gates and measured performance (median of repeated trials).',
    head + (c.gates.length ? gateTable(c) : '') + chartHtml + notes,
  );
}
