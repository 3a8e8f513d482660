/**
 * Server-side chart rendering: an ECharts option becomes a static inline SVG string (ECharts' SSR renderer in
 * plain Node, no DOM, no canvas), then is post-processed so that many charts can live in one HTML page and the
 * bytes are reproducible:
 *
 * - ECharts numbers its zrender instances process-wide (`zr0-`, `zr1-`, …) and uses that prefix for clip-path /
 *   gradient ids, so the same chart rendered twice would differ and two charts could collide. Every `zrN-`
 *   prefix is replaced by the caller's chart id.
 * - The `<style>` block (hover rules for ECharts' own client runtime, which the page does not load) and the
 *   class attributes that point into it are removed.
 * - Data elements carry `ecmeta_series_index` / `ecmeta_data_index` (and `ecmeta_ssr_type="chart"`; legend
 *   items carry the same attributes with another type); where the caller provides a tooltip text for a data
 *   element's (series, data) pair, a `<title>` child is inserted (the browser's native tooltip, no script), then
 *   the ecmeta attributes are dropped.
 */
import { createRequire } from 'node:module';
import type { EChartsOption } from 'echarts';
import { esc } from './html.js';
import { FONT_STACK, INK, MUTED } from './palette.js';

// ECharts is loaded on first use (or by preloadCharts): loading it took ~0.6 s of CPU, which every command paid at
// start-up, before any work; `run` loads it while the worker threads count motif nulls, when this thread is idle.
const requireLazily = createRequire(import.meta.url);
let echartsLib: typeof import('echarts') | null = null;
const echarts = (): typeof import('echarts') =>
  (echartsLib ??= requireLazily('echarts') as typeof import('echarts'));

/** Load the chart library now (a later renderChartSvg then starts at once). */
export function preloadCharts(): void {
  echarts();
}

export interface ChartSpec {
  /** Unique id within the page ([A-Za-z0-9-]); becomes the prefix of the SVG's internal ids. */
  id: string;
  width: number;
  height: number;
  option: EChartsOption;
  /** Accessible name of the chart (aria-label). */
  label: string;
  /** Tooltip text for a data element, or undefined for none. */
  tip?: (seriesIndex: number, dataIndex: number) => string | undefined;
}

const BASE_OPTION: EChartsOption = {
  animation: false,
  backgroundColor: 'transparent',
  textStyle: { fontFamily: FONT_STACK, color: INK, fontSize: 11 },
};

/** Axis defaults for a readable research look: muted labels, light split lines. */
export function axisStyle(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    nameLocation: 'middle',
    nameTextStyle: { color: MUTED, fontSize: 11 },
    axisLabel: { color: MUTED, fontSize: 10 },
    axisLine: { lineStyle: { color: '#9aa5b1' } },
    axisTick: { lineStyle: { color: '#9aa5b1' } },
    splitLine: { lineStyle: { color: '#eef0f3' } },
    ...extra,
  };
}

const ECMETA =
  /<(path|rect|circle|text)( [^>]*?) ecmeta_series_index="(\d+)" ecmeta_data_index="(\d+)"([^>]*)>/g;

/** Render `spec` to a standalone `<svg>` element string (deterministic for the same spec). */
export function renderChartSvg(spec: ChartSpec): string {
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(spec.id))
    throw new Error(`chart id "${spec.id}" must match [A-Za-z][A-Za-z0-9-]*`);
  if (!(spec.width > 0 && spec.height > 0))
    throw new Error(`chart ${spec.id}: width/height must be positive, got ${spec.width}×${spec.height}`);
  const chart = echarts().init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: spec.width,
    height: spec.height,
  });
  let svg: string;
  try {
    chart.setOption({ ...BASE_OPTION, ...spec.option });
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  svg = svg.replace(/<style[^>]*>[\s\S]*?<\/style>\s*/g, '');
  svg = svg.replace(/ class="zr\d+-cls-\d+"/g, '');
  svg = svg.replace(/zr\d+-/g, `${spec.id}-`);
  svg = svg.replace(ECMETA, (_m, tag: string, before: string, s: string, d: string, after: string) => {
    const isData = / ecmeta_ssr_type="chart"/.test(after); // legend items carry ecmeta too
    const rest = after.replace(/ ecmeta_ssr_type="[^"]*"/, '');
    const open = `<${tag}${before}${rest}>`;
    const text = isData ? spec.tip?.(Number(s), Number(d)) : undefined;
    return text === undefined ? open : `${open}<title>${esc(text)}</title>`;
  });
  svg = svg.replace(/ ecmeta_[a-z_]+="[^"]*"/g, '');
  svg = svg.replace(
    /^<svg /,
    `<svg class="chart" role="img" aria-label="${esc(spec.label)}" data-chart="${spec.id}" `,
  );
  return svg;
}
