/** Stage 9 — the self-contained HTML dashboard (rendering only: store/dashboard.ts writes it, app/screenshot.ts photographs it). */
export { renderDashboard, type DashboardOptions } from './dashboard.js';
export { motifSvg, parseMotifEdges, type MotifEdge } from './motif-svg.js';
export { selectBrowserMotifs, MOTIF_BROWSER_CAP, OCCURRENCES_PER_MOTIF } from './motif-browser.js';
export { preloadCharts, renderChartSvg, type ChartSpec } from './chart.js';
export { KIND_COLORS, KIND_NAMES } from './palette.js';
export { motifReadableName } from './motif-name.js';
export type * from './types.js';
export * from './dashboard.js';
export * from './types.js';
