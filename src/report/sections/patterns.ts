/**
 * Pattern gallery: one card per embedding cluster with its size, kind mix (bar per kind), time-of-day profile
 * (bar per hour) and example events nearest to the centroid.
 */
import { axisStyle, renderChartSvg } from '../chart.js';
import { esc, fmtInt, fmtNum, fmtPct } from '../html.js';
import { kindChip, panel, type SectionHtml } from '../layout.js';
import { ACCENT, KIND_COLORS, KIND_NAMES, checkKind } from '../palette.js';
import type { PatternCard } from '../types.js';

const SHORT_KIND = ['Exp', 'Cons', 'Retr', 'Rev', 'Liq', 'Redel', 'Anch'];

function checkPattern(p: PatternCard, where: string): void {
  if (!Number.isInteger(p.id))
    throw new Error(`dashboard: ${where}.id = ${String(p.id)}, expected an integer`);
  if (p.kindCounts.length !== KIND_NAMES.length)
    throw new Error(
      `dashboard: ${where}.kindCounts has ${p.kindCounts.length} entries, expected ${KIND_NAMES.length}`,
    );
  if (p.hourHistogram.length !== 24)
    throw new Error(`dashboard: ${where}.hourHistogram has ${p.hourHistogram.length} entries, expected 24`);
  p.examples?.forEach((e, i) => checkKind(e.kind, `${where}.examples[${i}].kind`));
}

function kindBar(p: PatternCard, i: number): string {
  const counts = Array.from(p.kindCounts);
  return renderChartSvg({
    id: `pat-k-${i}`,
    width: 250,
    height: 150,
    label: `Kind mix of pattern ${p.id}`,
    option: {
      grid: { left: 34, right: 6, top: 10, bottom: 24 },
      xAxis: {
        type: 'category',
        data: SHORT_KIND,
        ...axisStyle('', {
          axisTick: { show: false },
          splitLine: { show: false },
          axisLabel: { color: '#52606d', fontSize: 9, interval: 0 },
        }),
      },
      yAxis: { type: 'value', minInterval: 1, ...axisStyle('') },
      series: [
        {
          type: 'bar',
          data: counts.map((c, k) => ({ value: c, itemStyle: { color: KIND_COLORS[k] } })),
          barMaxWidth: 22,
        },
      ],
    },
    tip: (_s, d) => `${KIND_NAMES[d]}: ${fmtInt(counts[d])}`,
  });
}

function hourBar(p: PatternCard, i: number): string {
  const hours = Array.from(p.hourHistogram);
  return renderChartSvg({
    id: `pat-h-${i}`,
    width: 250,
    height: 150,
    label: `Time-of-day profile of pattern ${p.id}`,
    option: {
      grid: { left: 34, right: 6, top: 10, bottom: 24 },
      xAxis: {
        type: 'category',
        data: hours.map((_, h) => String(h).padStart(2, '0')),
        ...axisStyle('', {
          axisTick: { show: false },
          splitLine: { show: false },
          axisLabel: { color: '#52606d', fontSize: 9, interval: 3 },
        }),
      },
      yAxis: { type: 'value', minInterval: 1, ...axisStyle('') },
      series: [{ type: 'bar', data: hours, barCategoryGap: '15%', itemStyle: { color: ACCENT } }],
    },
    tip: (_s, d) => `${String(d).padStart(2, '0')}:00–${String(d).padStart(2, '0')}:59: ${fmtInt(hours[d])}`,
  });
}

function examplesTable(p: PatternCard): string {
  if (!p.examples || p.examples.length === 0) return '';
  const rows = p.examples.map(
    (e) =>
      `<tr><td class="mono">${esc(e.sessionId)}</td><td class="mono">${esc(e.clock)}</td><td>${kindChip(e.kind)}</td>` +
      `<td class="num">${esc(fmtNum(e.price))}</td><td class="num">${e.distance === undefined ? '' : esc(fmtNum(e.distance))}</td></tr>`,
  );
  return (
    `<table class="data compact"><thead><tr><th>Session</th><th>Clock</th><th>Kind</th><th class="num">Price</th><th class="num">Dist.</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

/** The pattern gallery, or null when there are no patterns. */
export function patternSection(
  patterns: readonly PatternCard[] | undefined,
  zone: string,
): SectionHtml | null {
  if (!patterns || patterns.length === 0) return null;
  patterns.forEach((p, i) => checkPattern(p, `patterns[${i}]`));
  const cards = patterns.map((p, i) => {
    const meta = [
      `${fmtInt(p.size)} events`,
      p.share === undefined ? '' : `${fmtPct(p.share)} of all`,
      p.sessions === undefined ? '' : `${fmtInt(p.sessions)} sessions`,
      p.position === undefined
        ? ''
        : `r(position) = ${p.position.r === null ? '–' : p.position.r.toFixed(2)}${
            p.position.positionOnly ? ` — position-only (|r| ≥ ${p.position.threshold})` : ''
          }`,
    ].filter((s) => s !== '');
    return (
      `<article class="card pattern"><h3>Pattern ${esc(p.id)}</h3><p class="meta">${esc(meta.join(' · '))}</p>` +
      `<div class="mini-charts"><figure class="fig"><figcaption>Kind mix</figcaption>${kindBar(p, i)}</figure>` +
      `<figure class="fig"><figcaption>Time of day (${esc(zone)}, hour)</figcaption>${hourBar(p, i)}</figure></div>` +
      `${examplesTable(p)}</article>`
    );
  });
  return panel(
    'patterns',
    'Pattern gallery',
    'Clusters of event embeddings across sessions: what kinds they contain, when in the day they occur, and the events closest to each centroid.',
    `<div class="gallery">${cards.join('')}</div>`,
  );
}
