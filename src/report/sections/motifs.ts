/**
 * Motif section: class counts, a lift-versus-q plot that shows every PROMOTE rule (lift, q and bootstrap CI low),
 * motifs per size and class, and the motif browser (src/report/motif-browser.ts): a capped selection of the tested
 * motifs as compact JSON, drawn client-side into a sortable, filterable, paged table with each motif's occurrences.
 */
import { axisStyle, renderChartSvg } from '../chart.js';
import { esc, fmtInt, fmtNum, fmtP } from '../html.js';
import { figure, panel, tiles, type SectionHtml } from '../layout.js';
import { checkKind } from '../palette.js';
import { parseMotifEdges } from '../motif-svg.js';
import {
  BROWSER_CSS,
  BROWSER_SCRIPT,
  CLASS_ORDER,
  OCCURRENCE_BUDGET,
  OCCURRENCES_MIN,
  OCCURRENCES_PER_MOTIF,
  browserPayload,
  selectBrowserMotifs,
} from '../motif-browser.js';
import type { MotifBrowserInfo, MotifRow } from '../types.js';

/**
 * Most points in the lift-versus-q plot (every PROMOTE and FLOOR-LIMITED motif up to 3/4 of it, then an even
 * sample by z). Each point is ~200 bytes of SVG: 400 points ≈ 80 KB.
 */
export const VOLCANO_POINTS = 400;

const CLASS_COLORS: Record<string, string> = {
  PROMOTE: '#1a7f37',
  'FLOOR-LIMITED': '#6f42c1',
  PARK: '#b7791f',
  DISCARD: '#8a94a6',
};

/** Distinct classes: PROMOTE, FLOOR-LIMITED, PARK, DISCARD first (when present), then any others sorted. */
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

type Thresholds = Required<NonNullable<MotifBrowserInfo['thresholds']>>;
/** The class rules (src/stats DEFAULT_THRESHOLDS, classifyMotif) when the caller gives none. */
const DEFAULT_RULES: Thresholds = {
  promoteLift: 2,
  promoteQ: 0.01,
  promoteCiLow: 1.5,
  discardLift: 1.5,
  discardQ: 0.05,
  discardCiLow: 1,
};

/** `k` of `list` evenly spaced (all when k ≥ length), in list order. */
function evenSample(list: readonly number[], k: number): number[] {
  if (list.length <= k) return [...list];
  const step = list.length / k;
  return Array.from({ length: k }, (_, j) => list[Math.floor(j * step)]);
}

/**
 * Points of the plot: every PROMOTE / FLOOR-LIMITED motif, then an even sample of the others ranked by z. When
 * PROMOTE and FLOOR-LIMITED alone are more than 3/4 of `cap` (a large run: thousands), they are an even sample by
 * z too (each class keeps its share), so the SVG stays small; the browser and the evidence table list them all.
 */
function volcanoSample(motifs: readonly MotifRow[], cap: number): number[] {
  const order = selectBrowserMotifs(motifs, motifs.length);
  const isKept = (i: number) => motifs[i].class === 'PROMOTE' || motifs[i].class === 'FLOOR-LIMITED';
  let keep = order.filter(isKept);
  const keptCap = Math.floor((cap * 3) / 4);
  if (keep.length > keptCap) {
    const promote = keep.filter((i) => motifs[i].class === 'PROMOTE');
    const floor = keep.filter((i) => motifs[i].class !== 'PROMOTE');
    const kp = Math.max(1, Math.round((keptCap * promote.length) / keep.length));
    keep = evenSample(promote, kp).concat(evenSample(floor, keptCap - Math.min(kp, promote.length)));
  }
  const rest = order.filter((i) => !isKept(i));
  return keep.concat(evenSample(rest, Math.max(0, cap - keep.length)));
}

function volcano(motifs: readonly MotifRow[], shown: readonly number[], th: Thresholds): string {
  const classes = classesOf(shown.map((i) => motifs[i]));
  const qFloor = 1e-6;
  const ciFails = (m: MotifRow): boolean => !(m.ciLow >= th.promoteCiLow); // NaN (unavailable) fails too
  const ciDiscards = (m: MotifRow): boolean => m.ciLow <= th.discardCiLow; // NaN: unavailable, not a discard
  const idx = classes.map((c) => shown.filter((i) => motifs[i].class === c));
  return renderChartSvg({
    id: 'motif-volcano',
    width: 520,
    height: 300,
    label: 'Motif lift against FDR q',
    option: {
      grid: { left: 56, right: 20, top: 36, bottom: 46 },
      legend: { top: 4, textStyle: { fontSize: 11, color: '#3e4c59' }, itemWidth: 10, itemHeight: 10 },
      xAxis: { type: 'value', ...axisStyle('log2 lift', { nameGap: 28 }) },
      yAxis: {
        type: 'value',
        // always tall enough to show the q threshold line, even when no motif gets near it (0 PROMOTE)
        max: (v: { max: number }) => Math.max(Math.ceil(v.max), Math.ceil(-Math.log10(th.promoteQ)) + 1),
        ...axisStyle('−log10 q', { nameGap: 34 }),
      },
      series: classes.map((c, k) => ({
        name: c,
        type: 'scatter' as const,
        data: idx[k].map((i) => {
          const m = motifs[i];
          const value = [
            Number(Math.log2(Math.max(m.lift, 1e-3)).toFixed(3)),
            Number((-Math.log10(Math.max(m.q, qFloor))).toFixed(3)),
          ];
          return ciFails(m)
            ? {
                value,
                symbol: ciDiscards(m) ? 'diamond' : 'triangle',
                symbolSize: 7,
                itemStyle: { color: 'none', borderColor: classColor(c), borderWidth: 1.2 },
              }
            : { value };
        }),
        symbolSize: 7,
        itemStyle: { color: classColor(c), opacity: 0.85 },
        ...(k === 0
          ? {
              markLine: {
                silent: true,
                symbol: 'none',
                label: { show: false },
                lineStyle: { color: '#9aa5b1', type: 'dashed' as const },
                data: [
                  { xAxis: Math.log2(th.promoteLift) },
                  { yAxis: -Math.log10(th.promoteQ) },
                  // the DISCARD rules: lighter, dotted
                  {
                    xAxis: Math.log2(th.discardLift),
                    lineStyle: { color: '#c4cdd5', type: 'dotted' as const },
                  },
                  {
                    yAxis: -Math.log10(th.discardQ),
                    lineStyle: { color: '#c4cdd5', type: 'dotted' as const },
                  },
                ],
              },
            }
          : {}),
      })),
    },
    tip: (s, d) => {
      const i = idx[s]?.[d];
      if (i === undefined) return undefined;
      const m = motifs[i];
      return `${m.class} · lift ${fmtNum(m.lift)} [CI ${fmtNum(m.ciLow)}, ${fmtNum(m.ciHigh)}] · q ${fmtP(m.q)}`;
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

/**
 * The motif section, or null when there are no motifs. `maxRows` caps the browser's motifs beyond every PROMOTE
 * and FLOOR-LIMITED one; `info` adds the rules, the null model and the occurrences.
 */
export function motifSection(
  motifs: readonly MotifRow[] | undefined,
  maxRows: number,
  info?: MotifBrowserInfo,
  zone = 'ET',
): SectionHtml | null {
  if (!motifs || motifs.length === 0) return null;
  motifs.forEach((m, i) => checkMotif(m, `motifs[${i}]`));
  const th: Thresholds = { ...DEFAULT_RULES, ...info?.thresholds };
  const counts = new Map<string, number>();
  for (const m of motifs) counts.set(m.class, (counts.get(m.class) ?? 0) + 1);
  const classTiles = [{ label: 'Motifs tested', value: fmtInt(motifs.length) }].concat(
    classesOf(motifs).map((c) => ({ label: c, value: fmtInt(counts.get(c)!) })),
  );
  const nullName = info?.nullModel ?? 'reported';
  const zero =
    (counts.get('PROMOTE') ?? 0) === 0
      ? `<p class="mb-zero"><strong>0 PROMOTE under the ${esc(nullName)} null</strong> (see README Evidence)` +
        (counts.get('FLOOR-LIMITED')
          ? `: ${fmtInt(counts.get('FLOOR-LIMITED')!)} FLOOR-LIMITED motifs pass the lift and CI rules but cannot reach q &lt; ${esc(fmtNum(th.promoteQ))} with the null draws made` +
            (info?.nulls !== undefined ? ` (${fmtInt(info.nulls)} per model)` : '') +
            '; the browser lists them first, then the other motifs by z.'
          : '; the browser lists the motifs by z.') +
        `</p>`
      : '';

  const sel = selectBrowserMotifs(motifs, maxRows);
  sel.forEach((i) => parseMotifEdges(motifs[i].edges, motifs[i].size, `motifs[${i}]`));
  const payload = browserPayload(motifs, sel, info, { tested: motifs.length, cap: maxRows, zone });
  const plotted = volcanoSample(motifs, VOLCANO_POINTS);
  const keptTotal = (counts.get('PROMOTE') ?? 0) + (counts.get('FLOOR-LIMITED') ?? 0);
  const keptAllPlotted =
    plotted.filter((i) => motifs[i].class === 'PROMOTE' || motifs[i].class === 'FLOOR-LIMITED').length ===
    keptTotal;
  const keptAll = sel.filter(
    (i) => motifs[i].class === 'PROMOTE' || motifs[i].class === 'FLOOR-LIMITED',
  ).length;
  const selection =
    sel.length < motifs.length
      ? `The browser holds ${fmtInt(sel.length)} of ${fmtInt(motifs.length)} tested motifs: all ${fmtInt(keptAll)} PROMOTE and FLOOR-LIMITED, then the others by z (descending), at most ${fmtInt(maxRows)} in all.`
      : `The browser holds all ${fmtInt(motifs.length)} tested motifs.`;
  const occNote =
    info?.occurrences === undefined
      ? ' Occurrences were not provided for this page.'
      : ` Occurrences: ${fmtInt(payload.occurrencesShown)} in the file — at most ${OCCURRENCES_PER_MOTIF} per motif, at least ${OCCURRENCES_MIN} each (when it has them) and ${fmtInt(OCCURRENCE_BUDGET)} more in the browser's order.`;
  const volcanoCaption =
    `Each point a motif (${fmtInt(plotted.length)} of ${fmtInt(motifs.length)}: ${keptAllPlotted ? 'every PROMOTE and FLOOR-LIMITED' : `an even sample by z of the ${fmtInt(keptTotal)} PROMOTE and FLOOR-LIMITED (all are in the browser below)`}, the others an even sample by z), coloured by class. ` +
    `The class rules, in the order they apply: DISCARD when q > ${fmtNum(th.discardQ)} (below the dotted horizontal), lift < ${fmtNum(th.discardLift)} (left of the dotted vertical) ` +
    `or 95% CI low of lift ≤ ${fmtNum(th.discardCiLow)} (hollow diamonds); a motif without a CI (too few days to resample) is at best PARK. ` +
    `PROMOTE needs all three of lift ≥ ${fmtNum(th.promoteLift)} (right of the dashed vertical), q < ${fmtNum(th.promoteQ)} (above the dashed horizontal) ` +
    `and CI low ≥ ${fmtNum(th.promoteCiLow)} (filled circle); hollow triangles have CI low between ${fmtNum(th.discardCiLow)} and ${fmtNum(th.promoteCiLow)} or no CI, so they cannot PROMOTE wherever they lie. ` +
    `Everything else is PARK. FLOOR-LIMITED: lift and CI pass, q cannot with the null draws made (its p is only a bound).`;
  const sortTh = (key: string, label: string, num = false): string =>
    `<th${num ? ' class="num"' : ''} data-sort="${key}" aria-sort="none"><button type="button">${esc(label)}</button></th>`;
  const browser =
    `<h3>Motif browser</h3><p class="note">${esc(selection)}${esc(occNote)} Click a column to sort (again to reverse); click a row (or focus it and press Enter) to list where the motif occurs.</p>` +
    `<div class="mb" id="motif-browser"><div class="mb-controls">` +
    `<label>Class <select id="mb-class"><option value="">All</option></select></label>` +
    `<label>Family <select id="mb-family"><option value="">All</option></select></label>` +
    `<label>Size <select id="mb-size"><option value="">All</option></select></label>` +
    `<label>Contains kind <select id="mb-kind"><option value="">Any</option></select></label>` +
    `<label>Search <input id="mb-search" type="search" placeholder="kind, id or family"></label>` +
    `<span class="mb-count" id="mb-count" aria-live="polite"></span></div>` +
    `<div class="table-wrap"><table class="data mb-table"><thead><tr><th>Shape</th>` +
    sortTh('name', 'Motif') +
    sortTh('family', 'Family') +
    sortTh('size', 'Size', true) +
    sortTh('cls', 'Class') +
    sortTh('sup', 'Support', true) +
    sortTh('count', 'Count', true) +
    sortTh('lift', 'Lift [95% CI]', true) +
    sortTh('p', 'p (method)', true) +
    sortTh('q', 'q', true) +
    sortTh('z', 'z', true) +
    `</tr></thead><tbody id="mb-body"></tbody></table></div>` +
    `<div class="mb-pager"><button type="button" id="mb-prev">‹ Previous</button><span id="mb-page"></span>` +
    `<button type="button" id="mb-next">Next ›</button></div>` +
    `<div class="mb-detail" id="mb-detail" hidden></div></div>` +
    `<noscript><p class="note">The motif browser needs JavaScript; the motifs are in motifs/ of the run directory.</p></noscript>` +
    `<script type="application/json" id="motif-data">${payload.json}</script>` +
    `<style>${BROWSER_CSS}</style><script>${BROWSER_SCRIPT}</script>`;
  return panel(
    'motifs',
    'Motifs',
    'Connected sub-DAGs of 3–5 events with their statistics against the null models. Shapes: nodes left to right in canonical order, coloured by kind; arrows are DAG edges.',
    tiles(classTiles) +
      zero +
      `<div class="grid-2">${figure(volcano(motifs, plotted, th), volcanoCaption)}` +
      `${figure(sizeByClass(motifs), 'Tested motifs per size, stacked by class.')}</div>${browser}`,
  );
}
