/**
 * The dashboard's layout in headless Chromium (playwright-core + the system's chromium): at 420 px wide nothing
 * scrolls sideways (tables scroll in their own container, charts scale); a nav link leaves its section heading
 * visible below the sticky bar; the nav is reachable by keyboard; no console errors. Screenshots at 1400 and
 * 420 px go to test-output/ (ignored by git), and the time to first paint is printed. Skipped, with the reason,
 * where Chromium is not installed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { DashboardData } from '../src/report/types.js';
import { Rng } from '../src/stats/random.js';
import { realDashboardSessions, fakeDashboardData, topMAttention } from './report-fixtures.js';
import { writeDashboard } from '../src/store/index.js';
import { launchChromium, DEFAULT_CHROMIUM } from '../src/app/index.js';

const OUT_DIR = resolve('test-output', 'layout');
const HTML = join(OUT_DIR, 'dashboard.html');
const SAMPLE = resolve('data/sample/enhanced');
const REAL_FILES = ['enhanced_NY_AM_Lvl-1_2025_07_29.json', 'enhanced_LONDON_Lvl-1_2025_07_25.json'];
const NO_CHROMIUM = existsSync(DEFAULT_CHROMIUM)
  ? false
  : `Chromium not installed at ${DEFAULT_CHROMIUM} (apt-get install -y chromium)`;

/** Sample-like: fixture figures for every section, real sample sessions for the timeline and attention. */
async function sampleLikeData(): Promise<DashboardData> {
  const data = fakeDashboardData({ seed: 7, sessions: 4 });
  const sessions = await realDashboardSessions(SAMPLE, REAL_FILES);
  const rng = new Rng(7);
  return {
    ...data,
    run: {
      ...data.run,
      title: 'NQ 2025-07-25 … 2025-07-29',
      instrument: 'NQ',
      dataRange: { first: '2025-07-25', last: '2025-07-29' },
      sessionsByType: { LONDON: 1, NY_AM: 1 },
      inputFiles: REAL_FILES.length,
      inputFileList: REAL_FILES.map((f) => `data/sample/enhanced/${f}`),
      nullModel: 'group-shuffle',
      nulls: 50,
      encoder: 'seeded',
      patternFeatures: 'hand (k = 12)',
    },
    sessions,
    attention: sessions.map((s) => ({
      ...topMAttention(s, 8, rng),
      clocks: s.events.map((e) => e.clock),
    })),
  };
}

describe('report: dashboard layout (narrow and wide)', { skip: NO_CHROMIUM }, () => {
  let browser: Browser | undefined;
  let page: Page;
  const errors: string[] = [];

  before(async () => {
    await mkdir(OUT_DIR, { recursive: true });
    await writeDashboard(HTML, await sampleLikeData());
    browser = await launchChromium(DEFAULT_CHROMIUM);
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(pathToFileURL(HTML).href, { waitUntil: 'load' });
  });

  after(async () => {
    await browser?.close();
  });

  test('1400 px: screenshot, and the time to first paint is printed', async () => {
    const paints = (await page.evaluate(`new Promise((done) => requestAnimationFrame(() => setTimeout(() =>
      done(performance.getEntriesByType('paint').map((e) => [e.name, Math.round(e.startTime)])), 50)))`)) as [
      string,
      number,
    ][];
    console.log(`# first paint (1400 px, file://): ${paints.map(([n, t]) => `${n} ${t} ms`).join(', ')}`);
    assert.ok(paints.length > 0, 'the page reports paint entries');
    const w = (await page.evaluate('document.documentElement.scrollWidth')) as number;
    assert.ok(w <= 1400, `page is ${w} px wide at 1400`);
    await page.screenshot({ path: join(OUT_DIR, 'dashboard-1400.png'), fullPage: true });
  });

  test('a nav link leaves its section heading visible below the sticky bar (keyboard too)', async () => {
    const ids = (await page.evaluate(
      `Array.from(document.querySelectorAll('.topbar nav a')).map(a => a.getAttribute('href').slice(1))`,
    )) as string[];
    assert.ok(ids.length >= 5, `nav has ${ids.length} links`);
    for (const id of ids.slice(1)) {
      await page.click(`.topbar nav a[href="#${id}"]`);
      await page.waitForTimeout(50);
      const r = (await page.evaluate(`(() => {
        const bar = document.querySelector('.topbar').getBoundingClientRect();
        const h = document.querySelector('#${id} h2').getBoundingClientRect();
        const atEnd = Math.ceil(window.scrollY + window.innerHeight) >= document.documentElement.scrollHeight;
        return { bar: bar.bottom, top: h.top, bottom: h.bottom, atEnd };
      })()`)) as { bar: number; top: number; bottom: number; atEnd: boolean };
      assert.ok(r.top >= r.bar, `#${id}: heading top ${r.top} is under the sticky bar (bottom ${r.bar})`);
      assert.ok(r.atEnd || r.top <= r.bar + 80, `#${id}: heading at ${r.top}, far below the bar (${r.bar})`);
    }
    // keyboard: Tab reaches the first nav link, Enter follows it
    await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    let focused = '';
    for (let k = 0; k < 6 && !focused.startsWith('#'); k++) {
      await page.keyboard.press('Tab');
      focused = (await page.evaluate(
        `(document.activeElement && document.activeElement.closest('.topbar nav') && document.activeElement.getAttribute('href')) || ''`,
      )) as string;
    }
    assert.ok(focused.startsWith('#'), 'Tab reaches a nav link');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(50);
    const top = (await page.evaluate(
      `document.querySelector('${focused} h2').getBoundingClientRect().top`,
    )) as number;
    assert.ok(top >= 0 && top < 200, `Enter on ${focused} scrolls to its heading (top ${top})`);
  });

  test('420 px: no sideways scroll, every chart fits, screenshot', async () => {
    await page.setViewportSize({ width: 420, height: 900 });
    await page.evaluate('window.scrollTo(0, 0)');
    const over = (await page.evaluate(`(() => {
      const out = [];
      for (const el of document.querySelectorAll('main *, .topbar *')) {
        if (el.closest('.table-wrap, .topbar nav')) continue;
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > window.innerWidth + 0.5) out.push(el.tagName + '.' + (typeof el.className === 'string' ? el.className : '') + '#' + (el.id || el.getAttribute('data-chart') || '') + ' ' + Math.round(r.right));
      }
      return out.slice(0, 10);
    })()`)) as string[];
    const w = (await page.evaluate('document.documentElement.scrollWidth')) as number;
    assert.ok(w <= 420, `page is ${w} px wide at 420 (overflowing: ${over.join('; ')})`);
    const charts = (await page.evaluate(
      `Array.from(document.querySelectorAll('svg.chart')).map(s => s.getBoundingClientRect()).filter(b => b.width > 0).map(b => b.right)`,
    )) as number[];
    for (const right of charts) assert.ok(right <= 420, `a chart ends at ${right} px`);
    await page.screenshot({ path: join(OUT_DIR, 'dashboard-420.png'), fullPage: true });
  });

  test('no console errors', () => {
    assert.deepEqual(errors, []);
  });
});
