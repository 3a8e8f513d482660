/**
 * Motif table: each tested motif with its drawn shape, kinds, count, support, lift, p, q, bootstrap CI and
 * class; above it, class counts and a lift-versus-q scatter (log2 lift against −log10 q) to see at a glance
 * how many motifs are both over-represented and significant.
 */
import { axisStyle, renderChartSvg } from '../chart.js';
import { esc, fmtInt, fmtNum, fmtP } from '../html.js';
import { figure, kindChip, panel, tiles, type SectionHtml } from '../layout.js';
import { checkKind } from '../palette.js';
import { motifSvg, parseMotifEdges } from '../motif-svg.js';
import type { MotifRow } from '../types.js';

const CLASS_COLORS: Record<string, string> = {
  PROMOTE: '#1a7f37',
  'FLOOR-LIMITED': '#6f42c1',
  PARK: '#b7791f',
  DISCARD: '#8a94a6',
};

const CLASS_ORDER = ['PROMOTE', 'FLOOR-LIMITED', 'PARK', 'DISCARD'];

/** Distinct classes: PROMOTE, PARK, DISCARD first (when present), then any others sorted. */
function classesOf(motifs: readonly MotifRow[]): string[] {
  const present = new Set(motifs.map((m) => m.class));
  const known = CLASS_ORDER.filter((c) => present.has(c));
  const other = [...present].filter((c) => !CLASS_ORDER.includes(c)).sort();
  return [...known, ...other];
}

/** Colour of a motif class; unknown class names (any string) get a neutral blue. */
function classColor(cls: string): string {
  return Object.hasOwn(CLASS_COLORS, cls) ? CLASS_COLORS[cls] : '#4c6ef5';
}

function checkMotif(m: MotifRow, where: string): void {
  if (typeof m.id !== 'string') throw new Error(`dashboard: ${where}.id must be a string`);
  if (!(Number.isInteger(m.size) && m.size >= 1))
    throw new Error(`dashboard: ${where}.size = ${String(m.size)}, expected an integer ≥ 1`);
  if (m.kinds.length !== m.size)
    throw new Error(`dashboard: ${where}.kinds has ${m.kinds.length} entries, expected size = ${m.size}`);
  for (let i = 0; i < m.kinds.length; i++) checkKind(m.kinds[i], `${where}.kinds[${i}]`);
  for (const f of ['count', 'support', 'lift', 'p', 'q', 'ciLow', 'ciHigh'] as const)
    if (typeof m[f] !== 'number')
      throw new Error(`dashboard: ${where}.${f} must be a number, got ${typeof m[f]}`);
}

function classBadge(cls: string): string {
  const known = Object.hasOwn(CLASS_COLORS, cls) ? ` cls-${cls.toLowerCase()}` : '';
  return `<span class="badge${known}">${esc(cls)}</span>`;
}

function volcano(motifs: readonly MotifRow[]): string {
  const classes = classesOf(motifs);
  const qFloor = 1e-6;
  const point = (m: MotifRow): number[] => [
    Math.log2(Math.max(m.lift, 1e-3)),
    -Math.log10(Math.max(m.q, qFloor)),
  ];
  const idx = classes.map((c) => motifs.map((m, i) => ({ m, i })).filter((x) => x.m.class === c));
  return renderChartSvg({
    id: 'motif-volcano',
    width: 520,
    height: 300,
    label: 'Motif lift against FDR q',
    option: {
      grid: { left: 56, right: 20, top: 36, bottom: 46 },
      legend: { top: 4, textStyle: { fontSize: 11, color: '#3e4c59' }, itemWidth: 10, itemHeight: 10 },
      xAxis: { type: 'value', ...axisStyle('log2 lift', { nameGap: 28 }) },
      yAxis: { type: 'value', ...axisStyle('−log10 q', { nameGap: 34 }) },
      series: classes.map((c, k) => ({
        name: c,
        type: 'scatter' as const,
        data: idx[k].map((x) => point(x.m)),
        symbolSize: 7,
        itemStyle: { color: classColor(c), opacity: 0.85 },
        ...(k === 0
          ? {
              markLine: {
                silent: true,
                symbol: 'none',
                label: { show: false },
                lineStyle: { color: '#cbd2d9', type: 'dashed' as const },
                data: [{ xAxis: 1 }, { yAxis: 2 }],
              },
            }
          : {}),
      })),
    },
    tip: (s, d) => {
      const x = idx[s]?.[d];
      return x ? `${x.m.id} · lift ${fmtNum(x.m.lift)} · q ${fmtP(x.m.q)}` : undefined;
    },
  });
}

function sizeByClass(motifs: readonly MotifRow[]): string {
  const classes = classesOf(motifs);
  const sizes = [...new Set(motifs.map((m) => m.size))].sort((a, b) => a - b);
  const counts = classes.map((c) =>
    sizes.map((z) => motifs.filter((m) => m.class === c && m.size === z).length),
  );
  return renderChartSvg({
    id: 'motif-sizes',
    width: 520,
    height: 300,
    label: 'Motifs by size and class',
    option: {
      grid: { left: 56, right: 20, top: 36, bottom: 46 },
      legend: { top: 4, textStyle: { fontSize: 11, color: '#3e4c59' }, itemWidth: 10, itemHeight: 10 },
      xAxis: {
        type: 'category',
        data: sizes.map((z) => `${z} nodes`),
        ...axisStyle('Motif size', { nameGap: 28, axisTick: { show: false }, splitLine: { show: false } }),
      },
      yAxis: { type: 'value', minInterval: 1, ...axisStyle('Motifs', { nameGap: 34 }) },
      series: classes.map((c, k) => ({
        name: c,
        type: 'bar' as const,
        stack: 'all',
        data: counts[k],
        barMaxWidth: 48,
        itemStyle: { color: classColor(c) },
      })),
    },
    tip: (s, d) =>
      classes[s] === undefined ? undefined : `${sizes[d]} nodes, ${classes[s]}: ${counts[s][d]}`,
  });
}

/** The motif section, or null when there are no motifs. `maxRows` caps the table (the chart shows all). */
export function motifSection(motifs: readonly MotifRow[] | undefined, maxRows: number): SectionHtml | null {
  if (!motifs || motifs.length === 0) return null;
  motifs.forEach((m, i) => checkMotif(m, `motifs[${i}]`));
  const counts = new Map<string, number>();
  for (const m of motifs) counts.set(m.class, (counts.get(m.class) ?? 0) + 1);
  const classTiles = [{ label: 'Motifs tested', value: fmtInt(motifs.length) }].concat(
    classesOf(motifs).map((c) => ({ label: c, value: fmtInt(counts.get(c)!) })),
  );
  const shown = motifs.slice(0, maxRows);
  const rows = shown.map((m, i) => {
    const edges = parseMotifEdges(m.edges, m.size, `motifs[${i}]`);
    const kinds = Array.from(m.kinds, (k) => kindChip(k)).join('');
    return (
      `<tr><td class="shape">${motifSvg(m.kinds, edges, `motifs[${i}]`)}</td>` +
      `<td class="mono id">${esc(m.id)}</td><td class="num">${m.size}</td><td class="kinds">${kinds}</td>` +
      `<td class="num">${fmtInt(m.count)}</td><td class="num">${fmtInt(m.support)}</td>` +
      `<td class="num strong">${esc(fmtNum(m.lift))}</td><td class="num">${esc(fmtP(m.p))}</td>` +
      `<td class="num">${esc(fmtP(m.q))}</td><td class="num nowrap">${esc(fmtNum(m.ciLow))} – ${esc(fmtNum(m.ciHigh))}</td>` +
      `<td>${classBadge(m.class)}</td></tr>`
    );
  });
  const note =
    shown.length < motifs.length
      ? `<p class="note">Showing the first ${shown.length} of ${motifs.length} motifs (in the order given).</p>`
      : '';
  const table =
    `<div class="table-wrap"><table class="data motifs"><thead><tr><th>Shape</th><th>ID</th><th class="num">Size</th><th>Kinds</th>` +
    `<th class="num">Count</th><th class="num">Support</th><th class="num">Lift</th><th class="num">p</th><th class="num">q</th>` +
    `<th class="num">95% CI of lift</th><th>Class</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table></div>`;
  return panel(
    'motifs',
    'Motifs',
    'Connected sub-DAGs of 3–5 events with their statistics against the null models. Shapes: nodes left to right in canonical order, coloured by kind; arrows are DAG edges.',
    tiles(classTiles) +
      `<div class="grid-2">${figure(volcano(motifs), 'Lift against FDR q; dashed lines at lift = 2 and q = 0.01.')}` +
      `${figure(sizeByClass(motifs), 'Tested motifs per size, stacked by class.')}</div>${note}${table}`,
  );
}
