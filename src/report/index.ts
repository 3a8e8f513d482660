/** Stage 9 — the self-contained HTML dashboard (and optional PNG screenshot via headless Chromium). */
export { renderDashboard, writeDashboard, type DashboardOptions } from './dashboard.js';
export {
  screenshotDashboard,
  launchChromium,
  CHROMIUM_ARGS,
  DEFAULT_CHROMIUM,
  type ScreenshotOptions,
} from './screenshot.js';
export { motifSvg, parseMotifEdges, type MotifEdge } from './motif-svg.js';
export { renderChartSvg, type ChartSpec } from './chart.js';
export { KIND_COLORS, KIND_NAMES } from './palette.js';
export type * from './types.js';
