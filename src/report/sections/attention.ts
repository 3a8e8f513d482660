/**
 * Attention heatmap: for a chosen session, the top-m predecessor matrix (row-major n×m indices and weights)
 * drawn as a sparse n×n grid — row i is the attending event, column j the predecessor, colour the weight.
 * Only the kept n·m cells are drawn; everything else is blank (not zero-filled), so the sparsity is visible.
 */
import { axisStyle, renderChartSvg } from '../chart.js';
import { esc, fmtInt, fmtNum } from '../html.js';
import { figure, panel, switcher, type SectionHtml } from '../layout.js';
import type { AttentionView } from '../types.js';

interface Cell {
  row: number;
  col: number;
  w: number;
}

/** Validate a view and return its non-empty cells. */
export function attentionCells(v: AttentionView, where: string): Cell[] {
  if (typeof v.sessionId !== 'string') throw new Error(`dashboard: ${where}.sessionId must be a string`);
  if (!(Number.isInteger(v.n) && v.n >= 0))
    throw new Error(`dashboard: ${where}.n = ${String(v.n)}, expected an integer ≥ 0`);
  if (!(Number.isInteger(v.m) && v.m >= 1))
    throw new Error(`dashboard: ${where}.m = ${String(v.m)}, expected an integer ≥ 1`);
  if (v.index.length !== v.n * v.m)
    throw new Error(`dashboard: ${where}.index has length ${v.index.length}, expected n·m = ${v.n * v.m}`);
  if (v.weight.length !== v.n * v.m)
    throw new Error(`dashboard: ${where}.weight has length ${v.weight.length}, expected n·m = ${v.n * v.m}`);
  const cells: Cell[] = [];
  for (let i = 0; i < v.n; i++) {
    for (let s = 0; s < v.m; s++) {
      const j = v.index[i * v.m + s];
      if (j === -1) continue;
      if (!(Number.isInteger(j) && j >= 0 && j < v.n))
        throw new Error(
          `dashboard: ${where}.index[${i * v.m + s}] = ${String(j)}, expected −1 or 0..${v.n - 1}`,
        );
      const w = v.weight[i * v.m + s];
      if (!Number.isFinite(w))
        throw new Error(`dashboard: ${where}.weight[${i * v.m + s}] = ${String(w)} is not finite`);
      cells.push({ row: i, col: j, w });
    }
  }
  return cells;
}

/**
 * Upper end of the colour scale: the 98th percentile of the kept weights, so a few rows with one or two
 * predecessors (weight ≈ 1) do not wash out the rest; heavier cells share the darkest colour.
 */
export function colourScaleMax(cells: readonly Cell[]): number {
  if (cells.length === 0) return 1;
  const w = cells.map((c) => c.w).sort((a, b) => a - b);
  const q = w[Math.min(w.length - 1, Math.floor(0.98 * (w.length - 1)))];
  return q > 0 ? q : w[w.length - 1] > 0 ? w[w.length - 1] : 1;
}

function heatmapChart(v: AttentionView, cells: Cell[], index: number, zone: string): string {
  const clocks = v.clocks && v.clocks.length === v.n ? v.clocks : null;
  // axes in the session's wall clock (event i at clocks[i]); event numbers only when no clocks are given
  const cats = Array.from({ length: v.n }, (_, i) => (clocks ? clocks[i].slice(0, 5) : String(i)));
  const at = (i: number) => (clocks ? `${i} (${clocks[i]} ${zone})` : String(i));
  const vMax = colourScaleMax(cells);
  const labelEvery = Math.max(1, Math.ceil(v.n / 16));
  const size = 620;
  return renderChartSvg({
    id: `att-${index}`,
    width: size,
    height: size + 30,
    label: `Attention heatmap of session ${v.sessionId}`,
    option: {
      grid: { left: 62, right: 16, top: 16, bottom: 96 },
      xAxis: {
        type: 'category',
        data: cats,
        ...axisStyle(clocks ? `Predecessor event (key), ${zone}` : 'Predecessor event (key)', {
          nameGap: 28,
          splitLine: { show: false },
          axisTick: { show: false },
          axisLabel: { color: '#52606d', fontSize: 10, interval: labelEvery - 1 },
        }),
      },
      yAxis: {
        type: 'category',
        data: cats,
        inverse: true,
        ...axisStyle(clocks ? `Attending event (query), ${zone}` : 'Attending event (query)', {
          nameGap: 44,
          splitLine: { show: false },
          axisTick: { show: false },
          axisLabel: { color: '#52606d', fontSize: 10, interval: labelEvery - 1 },
        }),
      },
      visualMap: {
        type: 'continuous',
        min: 0,
        max: vMax,
        orient: 'horizontal',
        left: 'center',
        bottom: 8,
        itemWidth: 12,
        itemHeight: 220,
        text: [`≥ ${fmtNum(vMax)}`, '0'],
        textStyle: { color: '#52606d', fontSize: 10 },
        inRange: { color: ['#eef3fa', '#9ecae1', '#3182bd', '#08306b'] },
        calculable: false,
      },
      series: [
        {
          type: 'heatmap',
          data: cells.map((c) => [c.col, c.row, c.w]),
          progressive: 0,
        },
      ],
    },
    tip: (_s, d) => {
      const c = cells[d];
      return c ? `event ${at(c.row)} ← ${at(c.col)}: ${fmtNum(c.w)}` : undefined;
    },
  });
}

/**
 * Attention mass by lag (i − j, in events), summed over attending events and divided by their number. A key at
 * the same or a later index (possible when events share a timestamp) counts as lag 0.
 */
function lagChart(v: AttentionView, cells: Cell[], index: number): string {
  let maxLag = 1;
  for (const c of cells) maxLag = Math.max(maxLag, c.row - c.col);
  const shown = Math.min(maxLag, 40);
  const mass = new Array<number>(shown + 1).fill(0);
  const rows = new Set<number>();
  for (const c of cells) {
    rows.add(c.row);
    mass[Math.min(Math.max(c.row - c.col, 0), shown)] += c.w;
  }
  const perRow = mass.map((m) => m / Math.max(rows.size, 1));
  const labels = perRow.map((_, k) => (k === shown && maxLag > shown ? `≥${shown}` : String(k)));
  return renderChartSvg({
    id: `att-lag-${index}`,
    width: 440,
    height: 300,
    label: `Attention mass by lag, session ${v.sessionId}`,
    option: {
      grid: { left: 56, right: 12, top: 16, bottom: 48 },
      xAxis: {
        type: 'category',
        data: labels,
        ...axisStyle('Lag (events back)', {
          nameGap: 28,
          axisTick: { show: false },
          splitLine: { show: false },
        }),
      },
      yAxis: { type: 'value', ...axisStyle('Mean weight per event', { nameGap: 42 }) },
      series: [{ type: 'bar', data: perRow, barCategoryGap: '20%', itemStyle: { color: '#3182bd' } }],
    },
    tip: (_s, d) => `lag ${labels[d]}: ${fmtNum(perRow[d])}`,
  });
}

/** The attention section, or null when no view is given. */
export function attentionSection(
  views: readonly AttentionView[] | undefined,
  zone = 'ET',
): SectionHtml | null {
  if (!views || views.length === 0) return null;
  const choices = views.map((v, i) => {
    const cells = attentionCells(v, `attention[${i}]`);
    let rowsWithCells = 0;
    let sumW = 0;
    for (let r = 0, k = 0; r < v.n; r++) {
      let any = false;
      while (k < cells.length && cells[k].row === r) {
        any = true;
        sumW += cells[k].w;
        k++;
      }
      if (any) rowsWithCells++;
    }
    const meta =
      `<div class="pane-meta"><span class="mono strong">${esc(v.sessionId)}</span><span>${fmtInt(v.n)} events</span>` +
      `<span>top-${v.m} predecessors</span><span>${fmtInt(cells.length)} kept links</span>` +
      `<span>mean kept mass per attending event ${rowsWithCells ? fmtNum(sumW / rowsWithCells) : '—'}</span>` +
      (v.label ? `<span>${esc(v.label)}</span>` : '') +
      `</div>`;
    const body =
      v.n > 0 && cells.length > 0
        ? `<div class="att-grid">${figure(heatmapChart(v, cells, i, zone), '')}` +
          `${figure(lagChart(v, cells, i), 'How far back each event looks: kept attention weight by lag, averaged over attending events.')}</div>`
        : `<p class="empty">No attention links kept for this session.</p>`;
    return { label: `${v.sessionId} (${v.n} events)`, html: meta + body };
  });
  return panel(
    'attention',
    'Attention',
    'Each row is an event; coloured cells are the predecessors it attends to most (top-m by attention weight). Blank cells were not kept. ' +
      'Sessions shown: the largest that fit the page’s size budget; every session’s attention is in embeddings/attention.parquet of the run directory.',
    switcher('attention', 'Session', choices),
  );
}
