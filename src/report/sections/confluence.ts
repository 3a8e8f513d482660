/**
 * Confluence: the 0–100 score per session (bar chart) and, for a chosen session, the score per time window
 * (line over the session clock). Null scores are gaps, not zeros.
 */
import { axisStyle, renderChartSvg } from '../chart.js';
import { clockAxis, clockOffsetMs } from '../clock.js';
import { esc, fmtNum } from '../html.js';
import { figure, panel, switcher, type SectionHtml } from '../layout.js';
import { ACCENT } from '../palette.js';
import type { ConfluenceView, ConfluenceWindowPoint } from '../types.js';

function checkScore(v: number | null, where: string): void {
  if (v !== null && !(Number.isFinite(v) && v >= 0 && v <= 100))
    throw new Error(`dashboard: ${where} = ${String(v)}, expected null or a number in 0..100`);
}

function sessionBars(rows: ConfluenceView['sessions']): string {
  const width = Math.max(560, Math.min(1120, 140 + rows.length * 26));
  // Rotated category labels need room below the plot in proportion to the longest session id.
  const longest = Math.max(...rows.map((r) => r.sessionId.length), 1);
  const bottom = Math.min(160, 30 + Math.ceil(longest * 5));
  return renderChartSvg({
    id: 'conf-sessions',
    width,
    height: 220 + bottom,
    label: 'Confluence score per session',
    option: {
      grid: { left: 56, right: 16, top: 16, bottom },
      xAxis: {
        type: 'category',
        data: rows.map((r) => r.sessionId),
        ...axisStyle('', {
          axisTick: { show: false },
          splitLine: { show: false },
          axisLabel: { color: '#52606d', fontSize: 9, rotate: 55, interval: 0 },
        }),
      },
      yAxis: { type: 'value', min: 0, max: 100, interval: 20, ...axisStyle('Score', { nameGap: 34 }) },
      series: [
        { type: 'bar', data: rows.map((r) => r.score), barMaxWidth: 26, itemStyle: { color: ACCENT } },
      ],
    },
    tip: (_s, d) => (rows[d] ? `${rows[d].sessionId}: ${fmtNum(rows[d].score)}` : undefined),
  });
}

function windowLine(sessionId: string, points: ConfluenceWindowPoint[], index: number, zone: string): string {
  const offset = clockOffsetMs(points.map((p) => ({ t: p.start, clock: p.clock })));
  let tMin = Infinity;
  let tMax = -Infinity;
  for (const p of points) {
    tMin = Math.min(tMin, p.start);
    tMax = Math.max(tMax, p.start);
  }
  const axis = clockAxis(offset, tMin, tMax);
  return renderChartSvg({
    id: `conf-w-${index}`,
    width: 1120,
    height: 280,
    label: `Confluence score per window, session ${sessionId}`,
    option: {
      grid: { left: 56, right: 24, top: 20, bottom: 46 },
      xAxis: {
        type: 'value',
        min: axis.min,
        max: axis.max,
        interval: axis.step,
        ...axisStyle(axis.fromClock ? `Window start (${zone})` : 'Window start (UTC)', {
          nameGap: 28,
          axisLabel: { color: '#52606d', fontSize: 10, formatter: axis.label },
        }),
      },
      yAxis: { type: 'value', min: 0, max: 100, interval: 20, ...axisStyle('Score', { nameGap: 34 }) },
      series: [
        {
          type: 'line',
          data: points.map((p) => [axis.toMinutes(p.start), p.score]),
          connectNulls: false,
          symbol: 'circle',
          symbolSize: 5,
          lineStyle: { color: ACCENT, width: 1.6 },
          itemStyle: { color: ACCENT },
          areaStyle: { color: 'rgba(31,78,121,0.08)' },
        },
      ],
    },
    tip: (_s, d) => (points[d] ? `${points[d].clock}: ${fmtNum(points[d].score)}` : undefined),
  });
}

/** The confluence section, or null when there are no scores. */
export function confluenceSection(view: ConfluenceView | undefined, zone: string): SectionHtml | null {
  if (!view || (view.sessions.length === 0 && (!view.windows || view.windows.length === 0))) return null;
  view.sessions.forEach((r, i) => checkScore(r.score, `confluence.sessions[${i}].score`));
  const parts: string[] = [];
  const top: string[] = [];
  if (view.sessions.length > 0)
    top.push(figure(sessionBars(view.sessions), 'Score per session (0–100); a gap means not scored.'));
  if (view.weights && Object.keys(view.weights).length > 0) {
    const keys = Object.keys(view.weights).sort();
    top.push(
      `<div class="card"><h3>Component weights</h3><table class="kv">` +
        keys
          .map(
            (k) =>
              `<tr><th scope="row">${esc(k)}</th><td class="num">${esc(fmtNum(view.weights![k]))}</td></tr>`,
          )
          .join('') +
        `</table></div>`,
    );
  }
  if (top.length > 0) parts.push(`<div class="split">${top.join('')}</div>`);
  const bySession = new Map<string, ConfluenceWindowPoint[]>();
  view.windows?.forEach((w, i) => {
    checkScore(w.score, `confluence.windows[${i}].score`);
    if (!Number.isFinite(w.start))
      throw new Error(`dashboard: confluence.windows[${i}].start = ${String(w.start)}, expected UTC ms`);
    const list = bySession.get(w.sessionId) ?? [];
    list.push(w);
    bySession.set(w.sessionId, list);
  });
  if (bySession.size > 0) {
    const choices = [...bySession.entries()].map(([id, pts], i) => {
      const sorted = [...pts].sort((a, b) => a.start - b.start);
      return {
        label: id,
        html: `<div class="pane-meta"><span class="mono strong">${esc(id)}</span><span>${sorted.length} windows</span></div>${figure(windowLine(id, sorted, i, zone), '')}`,
      };
    });
    parts.push(`<h3>Score per time window</h3>${switcher('confluence', 'Session', choices)}`);
  }
  return panel(
    'confluence',
    'Confluence',
    'A 0–100 score combining the configured components; higher means more independent signals line up.',
    parts.join(''),
  );
}
