/**
 * Session timelines: price versus session clock, one marker per event coloured by kind (fixed palette, legend
 * with the seven kind names), the price path as a thin line, and the DAG edges as thin translucent segments
 * (drawn as one path: ECharts' large `lines` mode, so thousands of edges stay light).
 */
import type { EChartsOption } from 'echarts';
import { axisStyle, renderChartSvg } from '../chart.js';
import { clockAxis, clockOffsetMs } from '../clock.js';
import { esc, fmtInt, fmtNum } from '../html.js';
import { panel, switcher, type SectionHtml } from '../layout.js';
import { KIND_COLORS, KIND_NAMES, checkKind } from '../palette.js';
import type { DashboardSession } from '../types.js';

/** Check a session's fields; returns its edge count. */
export function checkSession(s: DashboardSession, where: string): number {
  if (typeof s.id !== 'string' || s.id === '')
    throw new Error(`dashboard: ${where}.id must be a non-empty string`);
  if (!Array.isArray(s.events)) throw new Error(`dashboard: ${where}.events must be an array`);
  s.events.forEach((e, i) => {
    if (!Number.isFinite(e.t))
      throw new Error(`dashboard: ${where}.events[${i}].t = ${String(e.t)}, expected UTC ms`);
    if (!Number.isFinite(e.price))
      throw new Error(
        `dashboard: ${where}.events[${i}].price = ${String(e.price)}, expected a finite number`,
      );
    checkKind(e.kind, `${where}.events[${i}].kind`);
  });
  if (!s.dag) return 0;
  const { src, dst } = s.dag;
  if (src.length !== dst.length)
    throw new Error(`dashboard: ${where}.dag has src.length ${src.length} ≠ dst.length ${dst.length}`);
  const n = s.events.length;
  for (let k = 0; k < src.length; k++) {
    if (!(
      Number.isInteger(src[k]) &&
      src[k] >= 0 &&
      src[k] < n &&
      Number.isInteger(dst[k]) &&
      dst[k] >= 0 &&
      dst[k] < n
    ))
      throw new Error(
        `dashboard: ${where}.dag edge ${k} = ${src[k]}→${dst[k]}, expected indices in 0..${n - 1}`,
      );
  }
  return src.length;
}

function timelineChart(s: DashboardSession, index: number, zone: string): string {
  const ev = s.events;
  const offset = clockOffsetMs(ev);
  let tMin = Infinity;
  let tMax = -Infinity;
  for (const e of ev) {
    tMin = Math.min(tMin, e.t);
    tMax = Math.max(tMax, e.t);
  }
  const axis = clockAxis(offset, tMin, tMax);
  const xs = ev.map((e) => axis.toMinutes(e.t));
  const byKind: number[][] = KIND_NAMES.map(() => []);
  ev.forEach((e, i) => byKind[e.kind].push(i));
  const edgeData: { coords: number[][] }[] = [];
  if (s.dag) {
    for (let k = 0; k < s.dag.src.length; k++) {
      const a = s.dag.src[k];
      const b = s.dag.dst[k];
      edgeData.push({
        coords: [
          [xs[a], ev[a].price],
          [xs[b], ev[b].price],
        ],
      });
    }
  }
  const series: EChartsOption['series'] = [
    {
      name: 'Price path',
      type: 'line',
      data: ev.map((e, i) => [xs[i], e.price]),
      showSymbol: false,
      lineStyle: { color: '#52606d', width: 1.1, opacity: 0.8 },
      z: 1,
    },
    {
      name: 'DAG edge',
      type: 'lines',
      coordinateSystem: 'cartesian2d',
      large: true,
      largeThreshold: 0,
      data: edgeData,
      lineStyle: { color: '#8fa8c8', width: 0.7, opacity: 0.45 },
      z: 2,
    },
    ...KIND_NAMES.map((name, k) => ({
      name,
      type: 'scatter' as const,
      data: byKind[k].map((i) => [xs[i], ev[i].price]),
      symbol: k === 6 ? 'diamond' : 'circle',
      symbolSize: k === 6 ? 9 : 6,
      itemStyle: { color: KIND_COLORS[k], borderColor: '#ffffff', borderWidth: 0.6 },
      z: 3,
    })),
  ];
  const xName = axis.fromClock ? `Time (${zone})` : 'Time (UTC)';
  return renderChartSvg({
    id: `tl-${index}`,
    width: 1120,
    height: 380,
    label: `Timeline of session ${s.id}`,
    option: {
      grid: { left: 72, right: 24, top: 44, bottom: 52 },
      legend: {
        top: 6,
        left: 'center',
        itemWidth: 14,
        itemHeight: 8,
        textStyle: { fontSize: 11, color: '#3e4c59' },
        data: ['Price path', 'DAG edge', ...KIND_NAMES],
      },
      xAxis: {
        type: 'value',
        min: axis.min,
        max: axis.max,
        interval: axis.step,
        ...axisStyle(xName, {
          nameGap: 30,
          axisLabel: { color: '#52606d', fontSize: 10, formatter: axis.label },
        }),
      },
      yAxis: {
        type: 'value',
        scale: true, // nice bounds around the price range instead of starting at 0
        ...axisStyle('Price', {
          nameGap: 54,
          axisLabel: { color: '#52606d', fontSize: 10, formatter: (v: number) => fmtNum(v) },
        }),
      },
      series,
    },
    tip: (si, d) => {
      if (si < 2) return undefined;
      const i = byKind[si - 2][d];
      if (i === undefined) return undefined;
      const e = ev[i];
      return `#${i} ${e.clock} · ${KIND_NAMES[e.kind]} · ${fmtNum(e.price)} · ${e.source}`;
    },
  });
}

function kindCounts(s: DashboardSession): string {
  const counts = KIND_NAMES.map(() => 0);
  for (const e of s.events) counts[e.kind] += 1;
  return counts
    .map(
      (c, k) =>
        `<span class="kind-chip"><i style="background:${KIND_COLORS[k]}"></i>${esc(KIND_NAMES[k])} ${fmtInt(c)}</span>`,
    )
    .join('');
}

/** The timeline section, or null when no session has events. */
export function timelineSection(
  sessions: readonly DashboardSession[] | undefined,
  zone: string,
): SectionHtml | null {
  if (!sessions || sessions.length === 0) return null;
  const edgeCounts = sessions.map((s, i) => checkSession(s, `sessions[${i}]`));
  const choices = sessions
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.events.length > 0)
    .map(({ s, i }) => ({
      label: `${s.id} (${s.events.length} events)`,
      html:
        `<div class="pane-meta"><span class="mono strong">${esc(s.id)}</span><span>${esc(s.type)}</span>` +
        `<span>${esc(s.date)}</span><span>${fmtInt(s.events.length)} events</span>` +
        `<span>${s.dag ? `${fmtInt(edgeCounts[i])} DAG edges` : 'no DAG'}</span></div>` +
        `<div class="pane-kinds">${kindCounts(s)}</div>` +
        `<figure class="fig wide">${timelineChart(s, i, zone)}</figure>`,
    }));
  if (choices.length === 0) return null;
  return panel(
    'timeline',
    'Session timeline',
    'Price against the session clock. Each marker is one event, coloured by kind; thin grey segments are DAG edges. Hover a marker for its details.',
    switcher('timeline', 'Session', choices),
  );
}
