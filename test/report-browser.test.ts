/**
 * The dashboard in a real browser: written to test-output/dashboard.html, opened from disk (file://) in headless
 * Chromium (playwright-core + the system's /usr/bin/chromium). Checks that every chart SVG draws visible
 * elements (with every session switcher option shown in turn), that the page logs no errors and fetches
 * nothing but its own file, that the layout fits the viewport, and saves a full-page screenshot to
 * test-output/dashboard.png. A missing Chromium FAILS the test (CI installs it) rather than skipping.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { DashboardData } from '../src/report/types.js';
import { writeFileAtomic } from '../src/io/atomic.js';
import { Rng } from '../src/stats/random.js';
import { realDashboardSessions, fakeDashboardData, topMAttention } from './report-fixtures.js';
import { writeDashboard } from '../src/store/index.js';
import { launchChromium, DEFAULT_CHROMIUM } from '../src/app/index.js';

const OUT_DIR = resolve('test-output');
const HTML = join(OUT_DIR, 'dashboard.html');
const PNG = join(OUT_DIR, 'dashboard.png');
const SAMPLE = resolve('data/sample/enhanced');
const REAL_FILES = [
  'enhanced_NY_AM_Lvl-1_2025_07_29.json',
  'enhanced_LONDON_Lvl-1_2025_07_25.json',
  'enhanced_ASIA_Lvl-1_2025_07_29.json',
];

/** Fake figures for every section, with real sample sessions (and their DAGs) for timelines and attention. */
async function dashboardData(): Promise<DashboardData> {
  const data = fakeDashboardData({ seed: 42, sessions: 4 });
  const sessions = await realDashboardSessions(SAMPLE, REAL_FILES);
  const rng = new Rng(42);
  return {
    ...data,
    run: {
      ...data.run,
      inputFiles: REAL_FILES.length,
      notes: ['Timelines: real NQ sample sessions; other figures: seeded fixture data.'],
    },
    sessions,
    attention: sessions.slice(0, 2).map((s) => topMAttention(s, 8, rng)),
  };
}

/**
 * Runs in the page: for each visible chart SVG, its size and how many drawn elements (path/rect/circle/polygon,
 * excluding ECharts' transparent background rect) have a non-empty bounding box.
 */
const MEASURE_VISIBLE_CHARTS = `(() => {
  const out = [];
  for (const svg of document.querySelectorAll('svg.chart, svg.motif')) {
    const box = svg.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue; // in a hidden pane
    let drawn = 0;
    for (const el of svg.querySelectorAll('path, rect, circle, polygon')) {
      if (el.parentElement && el.parentElement.tagName.toLowerCase() === 'clippath') continue;
      if (el.getAttribute('fill') === 'none' && !el.getAttribute('stroke')) continue;
      const b = el.getBoundingClientRect();
      if (b.width > 0 && b.height > 0) drawn++;
    }
    out.push({ id: svg.getAttribute('data-chart') || 'motif', kind: svg.getAttribute('class'), w: box.width, h: box.height, drawn });
  }
  return out;
})()`;

interface Measured {
  id: string;
  kind: string;
  w: number;
  h: number;
  drawn: number;
}

describe('report: dashboard in headless Chromium', () => {
  let browser: Browser | undefined;
  let page: Page;
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const requests: string[] = [];
  let chartIds: string[] = [];

  before(async () => {
    assert.ok(
      existsSync(DEFAULT_CHROMIUM),
      `Chromium is required for this test but ${DEFAULT_CHROMIUM} is missing: apt-get install -y chromium`,
    );
    await mkdir(OUT_DIR, { recursive: true });
    const html = await writeDashboard(HTML, await dashboardData());
    chartIds = [...html.matchAll(/<svg class="chart"[^>]*data-chart="([^"]+)"/g)].map((m) => m[1]);
    browser = await launchChromium(DEFAULT_CHROMIUM);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(HTML).href, { waitUntil: 'load' });
  });

  after(async () => {
    await browser?.close();
  });

  test('every chart draws visible elements, through every switcher option', async () => {
    assert.ok(chartIds.length >= 20, `expected the full dashboard, got ${chartIds.length} charts`);
    const seen = new Map<string, Measured>();
    const record = async (): Promise<void> => {
      for (const m of (await page.evaluate(MEASURE_VISIBLE_CHARTS)) as Measured[])
        if (m.kind === 'chart') seen.set(m.id, m);
    };
    await record();
    const groups = (await page.evaluate(
      `Array.from(document.querySelectorAll('select[data-group]')).map(s => [s.getAttribute('data-group'), s.options.length])`,
    )) as [string, number][];
    assert.deepEqual(groups.map((g) => g[0]).sort(), ['attention', 'confluence']);
    for (const [group, n] of groups) {
      for (let k = 0; k < n; k++) {
        await page.selectOption(`select[data-group="${group}"]`, String(k));
        const visible = (await page.evaluate(
          `Array.from(document.querySelectorAll('.pane[data-group="${group}"]')).filter(p => !p.hidden).map(p => p.getAttribute('data-key'))`,
        )) as string[];
        assert.deepEqual(visible, [String(k)], `${group}: only pane ${k} visible`);
        await record();
      }
    }
    assert.deepEqual([...seen.keys()].sort(), [...chartIds].sort(), 'every chart was shown and measured');
    for (const m of seen.values()) {
      assert.ok(m.w > 100 && m.h > 100, `chart ${m.id} is ${m.w}×${m.h}`);
      assert.ok(m.drawn >= 3, `chart ${m.id} has ${m.drawn} drawn elements with a non-empty box`);
    }
  });

  test('motif drawings render with a visible node per motif node', async () => {
    const motifs = (await page.evaluate(
      `Array.from(document.querySelectorAll('svg.motif')).map(s => Array.from(s.querySelectorAll('circle')).filter(c => { const b = c.getBoundingClientRect(); return b.width > 0 && b.height > 0; }).length)`,
    )) as number[];
    assert.ok(motifs.length > 0);
    for (const c of motifs) assert.ok(c >= 3 && c <= 5, `motif with ${c} visible nodes`);
  });

  test('no console or page errors, and no request other than file://', () => {
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(consoleErrors, []);
    assert.ok(requests.length >= 1);
    for (const url of requests) assert.ok(url.startsWith('file://'), `unexpected request ${url}`);
  });

  test('layout fits a 1280 px viewport and the screenshot is saved', async () => {
    await page.selectOption('select[data-group="attention"]', '0');
    await page.selectOption('select[data-group="confluence"]', '0');
    const scrollWidth = (await page.evaluate('document.documentElement.scrollWidth')) as number;
    assert.ok(scrollWidth <= 1280, `page is ${scrollWidth} px wide: horizontal overflow`);
    const png = await page.screenshot({ fullPage: true });
    assert.ok(png.length > 10_000);
    assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    await writeFileAtomic(PNG, png);
    assert.ok(existsSync(PNG));
  });
});
