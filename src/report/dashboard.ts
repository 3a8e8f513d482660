/**
 * The self-contained HTML dashboard of a run: one HTML string with inline CSS, inline SVG charts rendered in
 * Node (ECharts SSR), one small inline script for the session switchers, and the session chart (sections/chart.ts:
 * the vendored lightweight-charts bundle, inlined once, drawing the sessions' JSON in the browser). Nothing is fetched at view time
 * (no external scripts, styles, fonts or images), so the file works from disk and offline.
 *
 * Deterministic: the bytes depend only on `data` (no clock is read, chart ids are assigned by position).
 * Every caller-supplied string is HTML-escaped. Sections whose data is absent are omitted, and bad input
 * raises an Error naming the field and value.
 */
import { esc } from './html.js';
import type { SectionHtml } from './layout.js';
import { MOTIF_BROWSER_CAP } from './motif-browser.js';
import { PAGE_CSS, PAGE_SCRIPT } from './page.js';
import { attentionSection } from './sections/attention.js';
import { canarySection } from './sections/canary.js';
import { chartSection } from './sections/chart.js';
import { confluenceSection } from './sections/confluence.js';
import { evaluationSection } from './sections/evaluation.js';
import { evidenceSection } from './sections/evidence.js';
import { motifSection } from './sections/motifs.js';
import { patternSection } from './sections/patterns.js';
import { runSection } from './sections/run.js';
import { validationSection } from './sections/validation.js';
import type { DashboardData } from './types.js';

export interface DashboardOptions {
  /**
   * Most motifs in the motif browser besides every PROMOTE and FLOOR-LIMITED one (class counts use all).
   * Default MOTIF_BROWSER_CAP (2,000).
   */
  maxMotifRows?: number;
}

/** Render the dashboard as one HTML document string (same data ⇒ same bytes). */
export function renderDashboard(data: DashboardData, opts: DashboardOptions = {}): string {
  if (!data || typeof data !== 'object') throw new Error('dashboard: data must be an object');
  if (!data.run) throw new Error('dashboard: run is required (at least { title })');
  const maxMotifRows = opts.maxMotifRows ?? MOTIF_BROWSER_CAP;
  if (!(Number.isInteger(maxMotifRows) && maxMotifRows >= 1))
    throw new Error(`dashboard: maxMotifRows = ${String(maxMotifRows)}, expected an integer ≥ 1`);
  const zone = data.run.clockZone ?? 'ET';

  const sections: SectionHtml[] = [runSection(data.run)];
  const optional = [
    chartSection(data.sessions, zone),
    attentionSection(data.attention, zone),
    motifSection(data.motifs, maxMotifRows, data.motifBrowser, zone),
    evidenceSection(data.evidence),
    patternSection(data.patterns, zone),
    confluenceSection(data.confluence, zone, data.confluenceCalibration),
    validationSection(data.validation),
    evaluationSection(data.evaluation),
    canarySection(data.canary),
  ];
  for (const s of optional) if (s) sections.push(s);

  const css = sections.map((s) => s.css ?? '').join('');
  const scripts = [...new Set(sections.flatMap((s) => s.scripts ?? []))]; // each script once
  const nav = sections.map((s) => `<a href="#${esc(s.id)}">${esc(s.title)}</a>`).join('');
  const subtitle = [data.run.date, data.run.seed !== undefined ? `seed ${data.run.seed}` : undefined]
    .filter((x): x is string => x !== undefined)
    .join(' · ');
  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">` +
    `<meta name="generator" content="ironforge">` +
    `<title>${esc(data.run.title)}</title><style>${PAGE_CSS}${css}</style></head>\n<body>` +
    `<div class="topbar"><div class="topbar-inner"><span class="brand">ironforge<small>dashboard</small></span>` +
    `<nav>${nav}</nav></div></div>\n<main><div><h1>${esc(data.run.title)}</h1>` +
    (subtitle ? `<p class="subtitle">${esc(subtitle)}</p>` : '') +
    `</div>\n${sections.map((s) => s.html).join('\n')}\n</main>` +
    `<footer>Self-contained report: charts are static SVG rendered at build time, except the session chart, drawn in the page by the inlined TradingView Lightweight Charts library (Apache-2.0); no network access is needed to view it.</footer>\n` +
    scripts.map((js) => `<script>${js}</script>\n`).join('') +
    `<script>${PAGE_SCRIPT}</script>\n</body></html>\n`
  );
}
