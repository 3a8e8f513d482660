/**
 * The session chart section (src/report/sections/chart.ts): rendered with bars and without, every session in the
 * picker (grouped by date), JSON escaping, bad input, the vendored bundle matching the installed package, and in
 * headless Chromium: candles drawn for several sessions, the highlight event, no console errors, no requests.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { renderDashboard } from '../src/report/index.js';
import { chartSection } from '../src/report/sections/chart.js';
import type { DashboardData, DashboardSession } from '../src/report/types.js';
import {
  LIGHTWEIGHT_CHARTS_JS,
  LIGHTWEIGHT_CHARTS_SHA256,
  LIGHTWEIGHT_CHARTS_VERSION,
} from '../src/report/vendor/lightweight-charts.generated.js';
import { DEFAULT_CHROMIUM, launchChromium } from '../src/app/index.js';

const MIN = 60_000;
const EVIL = `</script><script>alert("x")</script>&'"\u2028`;

/** A session of `n` 5-minute bars from `start` (UTC ms) with events on some bars; EDT is UTC−4. */
function barSession(id: string, type: string, date: string, start: number, n: number): DashboardSession {
  const t: number[] = [];
  const o: number[] = [];
  const h: number[] = [];
  const l: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  let p = 23_000;
  for (let i = 0; i < n; i++) {
    const open = p;
    const close = p + (i % 3 === 0 ? -4 : 6);
    t.push(start + i * 5 * MIN);
    o.push(open);
    c.push(close);
    h.push(Math.max(open, close) + 2);
    l.push(Math.min(open, close) - 2);
    v.push(100 + i);
    p = close;
  }
  const clock = (ms: number): string => {
    const m = Math.floor((((ms - 4 * 60 * MIN) % 86_400_000) + 86_400_000) / MIN) % 1440;
    return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`;
  };
  const events = [0, 3, 3, 3, 7, Math.min(9, n - 1)].map((i, k) => ({
    t: t[i] + 60_000,
    clock: clock(t[i] + 60_000),
    kind: k === 2 || k === 3 ? 4 : k % 7,
    price: c[i],
    source: 'detector',
  }));
  return {
    id,
    type,
    date,
    events,
    window: { start, end: start + n * 5 * MIN },
    bars: { t, o, h, l, c, v },
  };
}

/** A session from a record: events only (no bars), with two co-timed events. */
function recordSession(id: string, type: string, date: string, start: number): DashboardSession {
  const ev = [0, 4, 4, 11, 20, 33].map((m, k) => {
    const t = start + m * MIN;
    const local = (((t - 4 * 60 * MIN) % 86_400_000) + 86_400_000) % 86_400_000;
    const mm = Math.floor(local / MIN);
    return {
      t,
      clock: `${String(Math.floor(mm / 60)).padStart(2, '0')}:${String(mm % 60).padStart(2, '0')}`,
      kind: k % 7,
      price: 23_100 + k * 3,
      source: 'price_movements',
    };
  });
  return { id, type, date, events: ev, window: { start, end: start + 40 * MIN } };
}

const D1 = Date.UTC(2025, 6, 29);
const D2 = Date.UTC(2025, 6, 30);
function chartData(): DashboardData {
  return {
    run: { title: 'chart test', clockZone: 'ET' },
    sessions: [
      barSession('NY_AM_2025-07-30', 'NY_AM', '2025-07-30', D2 + 13.5 * 60 * MIN, 24),
      barSession('NY_AM_2025-07-29', 'NY_AM', '2025-07-29', D1 + 13.5 * 60 * MIN, 30),
      barSession('LONDON_2025-07-29', 'LONDON', '2025-07-29', D1 + 6 * 60 * MIN, 12),
      recordSession('ASIA_2025-07-29', 'ASIA', '2025-07-29', D1 + 0.5 * 60 * MIN),
      { id: 'EMPTY_2025-07-30', type: 'LUNCH', date: '2025-07-30', events: [] },
    ],
  };
}

describe('report: session chart section', () => {
  test('with bars: the picker lists every session grouped by date; bars travel as compact JSON', () => {
    const data = chartData();
    const sec = chartSection(data.sessions, 'ET')!;
    assert.equal(sec.id, 'chart');
    const groups = [...sec.html.matchAll(/<optgroup label="([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(groups, ['2025-07-29', '2025-07-30']);
    const options = [...sec.html.matchAll(/<option value="(\d+)"[^>]*>([^<]*)<\/option>/g)];
    assert.equal(options.length, data.sessions!.length);
    for (const s of data.sessions!) assert.ok(sec.html.includes(s.id), `${s.id} missing from the picker`);
    // within a date, sessions follow their window start: LONDON before NY_AM, the record's ASIA first
    assert.match(options[0][2], /ASIA/);
    assert.match(options[1][2], /LONDON/);
    const json = JSON.parse(
      /<script type="application\/json" id="chart-data">(.*?)<\/script>/s.exec(sec.html)![1],
    );
    assert.equal(json.s.length, 5);
    const ny = json.s.find((s: { id: string }) => s.id === 'NY_AM_2025-07-29');
    assert.equal(ny.b.t.length, 30);
    assert.equal(ny.b.t[0], (D1 + 13.5 * 60 * MIN) / 1000, 'bar times are UTC seconds');
    assert.equal(ny.off, -240, 'ET offset in minutes from the events clocks');
    const empty = json.s.find((s: { id: string }) => s.id === 'EMPTY_2025-07-30');
    assert.equal(empty.off, -240, 'a session without clocks borrows its date’s offset');
    assert.equal(empty.b, undefined);
    assert.match(sec.html, /Candlesticks of each session/);
    assert.deepEqual(sec.scripts?.length, 2);
    assert.equal(sec.scripts![0], LIGHTWEIGHT_CHARTS_JS);
  });

  test('without bars: record prices as points, with the note on how to get candles', () => {
    const data = chartData();
    const sessions = data.sessions!.filter((s) => !s.bars);
    const html = renderDashboard({ ...data, sessions });
    assert.match(html, /id="chart"/);
    assert.match(html, /record prices, not bars/);
    assert.match(html, /ironforge run --bars FILE/);
    assert.ok(!/"b":\{/.test(html), 'no bars in the JSON');
  });

  test('the bundle is inlined exactly once; the CSP stays script-inline only; nothing references the network', () => {
    const html = renderDashboard(chartData());
    assert.equal(html.split(LIGHTWEIGHT_CHARTS_JS).length - 1, 1);
    assert.match(html, /script-src 'unsafe-inline'/);
    assert.ok(!/<script[^>]+src=/i.test(html));
    assert.ok(!/<link[^>]+href=/i.test(html));
  });

  test('JSON escaping: a hostile session id cannot close the script element', () => {
    const data = chartData();
    data.sessions![0].id = EVIL;
    data.sessions![0].type = EVIL;
    const html = renderDashboard(data);
    const block = /<script type="application\/json" id="chart-data">(.*?)<\/script>/s.exec(html)![1];
    assert.ok(!block.includes('<'), 'raw < inside the JSON block');
    assert.ok(!block.includes('\u2028'));
    const json = JSON.parse(block);
    assert.equal(json.s.find((s: { id: string }) => s.id === EVIL).id, EVIL);
    assert.ok(!html.includes('<script>alert'), 'unescaped id in the page');
  });

  test('bad input names the field; no sessions leaves the section out', () => {
    const bad = chartData();
    (bad.sessions![1].bars!.t as number[])[5] = Number.NaN;
    assert.throws(() => renderDashboard(bad), /sessions\[1\]\.bars\.t\[5\] = NaN/);
    const short = chartData();
    (short.sessions![0].bars!.v as number[]).pop();
    assert.throws(() => renderDashboard(short), /sessions\[0\]\.bars\.v\.length = 23, expected 24/);
    assert.equal(chartSection([], 'ET'), null);
    assert.ok(!renderDashboard({ run: { title: 't' } }).includes('id="chart"'));
    const onlyEmpty = renderDashboard({
      run: { title: 't' },
      sessions: [{ id: 'E', type: 'X', date: '2025-01-01', events: [] }],
    });
    assert.match(onlyEmpty, /id="chart"/);
  });

  test('the vendored bundle matches the installed lightweight-charts package', () => {
    const req = createRequire(import.meta.url);
    let pkgPath: string;
    try {
      pkgPath = req.resolve('lightweight-charts/package.json');
    } catch {
      assert.fail('lightweight-charts is not installed (npm install)');
    }
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string };
    assert.equal(LIGHTWEIGHT_CHARTS_VERSION, pkg.version, 'rerun node scripts/vendor-lightweight-charts.mjs');
    const src = readFileSync(
      join(dirname(pkgPath), 'dist/lightweight-charts.standalone.production.js'),
      'utf8',
    );
    assert.equal(LIGHTWEIGHT_CHARTS_SHA256, createHash('sha256').update(src).digest('hex'));
    assert.equal(LIGHTWEIGHT_CHARTS_JS, src);
  });
});

interface ChartState {
  sessionId: string | null;
  mode: string;
  bars: number;
  points: number;
  events: number;
  markers: number;
  highlighted: number;
  edges: number;
}

const CHROMIUM_SKIP = existsSync(DEFAULT_CHROMIUM)
  ? false
  : `Chromium is missing at ${DEFAULT_CHROMIUM} (apt-get install -y chromium)`;

describe('report: session chart in headless Chromium', { skip: CHROMIUM_SKIP }, () => {
  let browser: Browser | undefined;
  let page: Page;
  const errors: string[] = [];
  const requests: string[] = [];
  const file = resolve('test-output/chart.html');

  before(async () => {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, renderDashboard(chartData()));
    browser = await launchChromium(DEFAULT_CHROMIUM);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  });

  after(async () => {
    await browser?.close();
  });

  const state = (): Promise<ChartState> =>
    page.evaluate('window.ironforgeChart.state()') as Promise<ChartState>;
  /** Pixels in the chart's canvases with (about) the up-candle colour. */
  const upPixels = (): Promise<number> =>
    page.evaluate(`(() => {
      let n = 0;
      for (const cv of document.querySelectorAll('#chart-host canvas')) {
        if (!cv.width || !cv.height) continue;
        const copy = document.createElement('canvas');
        copy.width = cv.width;
        copy.height = cv.height;
        const ctx = copy.getContext('2d', { willReadFrequently: true });
        ctx.drawImage(cv, 0, 0); // read a copy: repeated reads of the chart's own canvas log a warning
        const d = ctx.getImageData(0, 0, cv.width, cv.height).data;
        for (let i = 0; i < d.length; i += 4)
          if (Math.abs(d[i] - 38) < 6 && Math.abs(d[i + 1] - 166) < 6 && Math.abs(d[i + 2] - 154) < 6 && d[i + 3] > 200) n++;
      }
      return n;
    })()`) as Promise<number>;

  test('picking sessions draws their candles (or points), with markers', async () => {
    assert.ok(
      ((await page.evaluate(`document.querySelectorAll('#chart-host canvas').length`)) as number) > 0,
      'no canvas',
    );
    const data = chartData();
    const expected = new Map(data.sessions!.map((s) => [s.id, s]));
    const values = (await page.evaluate(
      `[...document.querySelectorAll('#chart-session option')].map((o) => [o.value, o.textContent])`,
    )) as [string, string][];
    assert.equal(values.length, 5);
    let candleSessions = 0;
    for (const [value] of values) {
      await page.selectOption('#chart-session', value);
      await page.waitForTimeout(60);
      const st = await state();
      const s = expected.get(st.sessionId!)!;
      assert.ok(s, `unknown session ${st.sessionId}`);
      assert.equal(st.events, s.events.length);
      if (s.bars) {
        assert.equal(st.mode, 'candles');
        assert.equal(st.bars, s.bars.t.length);
        assert.ok(st.markers > 0 && st.markers < s.events.length, 'co-timed markers are combined');
        assert.ok((await upPixels()) > 20, `no candle pixels for ${s.id}`);
        candleSessions++;
      } else if (s.events.length) {
        assert.equal(st.mode, 'points');
        assert.equal(st.points, new Set(s.events.map((e) => Math.floor(e.t / 1000))).size);
        assert.match((await page.textContent('#chart-note')) ?? '', /record prices, not bars.*--bars FILE/i);
      } else {
        assert.equal(st.mode, 'empty');
        assert.match((await page.textContent('#chart-note')) ?? '', /no events and no bars/);
      }
    }
    assert.equal(candleSessions, 3);
  });

  test('the picker works from the keyboard', async () => {
    await page.selectOption('#chart-session', '0');
    const before = (await state()).sessionId;
    await page.focus('#chart-session');
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(60);
    assert.notEqual((await state()).sessionId, before);
  });

  test("'ironforge:highlight' switches the session and marks the times; show() and bad input do not throw", async () => {
    const s = chartData().sessions![1];
    const times = s.bars!.t as number[];
    await page.evaluate(
      `window.dispatchEvent(new CustomEvent('ironforge:highlight', { detail: {
        sessionId: ${JSON.stringify(s.id)}, times: [${times[2]}, ${times[10] + 1000}, ${times[20]}], label: 'motif M1' } }))`,
    );
    await page.waitForTimeout(60);
    let st = await state();
    assert.equal(st.sessionId, s.id);
    assert.equal(st.highlighted, 3);
    assert.equal(
      await page.inputValue('#chart-session'),
      String(
        await page.evaluate(
          `[...document.querySelectorAll('#chart-session option')].find((o) => o.textContent.includes(${JSON.stringify(s.id)})).value`,
        ),
      ),
    );
    assert.match((await page.textContent('#chart-note')) ?? '', /Highlighted: motif M1 \(3 times\)/);
    assert.equal(await page.evaluate(`window.ironforgeChart.show('ASIA_2025-07-29')`), true);
    st = await state();
    assert.equal(st.sessionId, 'ASIA_2025-07-29');
    assert.equal(st.highlighted, 0);
    assert.equal(await page.evaluate(`window.ironforgeChart.show('nope')`), false);
    await page.evaluate(
      `window.dispatchEvent(new CustomEvent('ironforge:highlight', { detail: { sessionId: 'nope', times: 'x' } }))`,
    );
    await page.evaluate(`window.dispatchEvent(new CustomEvent('ironforge:highlight'))`);
    assert.equal((await state()).sessionId, 'ASIA_2025-07-29');
    assert.match((await page.textContent('#chart-note')) ?? '', /not in this dashboard/);
  });

  test("a highlight's DAG edges are drawn as segments while the toggle is on (co-timed pairs skipped)", async () => {
    const s = chartData().sessions![1];
    const times = s.bars!.t as number[];
    const step = times[1] - times[0];
    const ev = s.events;
    const far = (a: number, b: number) => Math.abs(ev[b].t - ev[a].t) >= 2 * step;
    const pairs: [number, number][] = [];
    for (let j = 1; j < ev.length && pairs.length < 3; j++)
      if (far(0, j) && ev[j].t <= times[times.length - 1]) pairs.push([0, j]);
    assert.ok(pairs.length >= 2, 'fixture session has events on distinct bars');
    const detail = (edges: unknown) =>
      `window.dispatchEvent(new CustomEvent('ironforge:highlight', { detail: {
        sessionId: ${JSON.stringify(s.id)}, times: [${ev[0].t}], label: 'occ', edges: ${JSON.stringify(edges)} } }))`;
    await page.evaluate(detail([...pairs, [0, 0], [0, 99999], 'x']));
    await page.waitForTimeout(60);
    assert.equal((await state()).edges, pairs.length);
    assert.match(
      (await page.textContent('#chart-note')) ?? '',
      new RegExp(`${pairs.length} DAG edges drawn`),
    );
    await page.uncheck('#chart-edges');
    await page.waitForTimeout(60);
    assert.equal((await state()).edges, 0);
    assert.match((await page.textContent('#chart-note')) ?? '', /DAG edges hidden/);
    await page.check('#chart-edges');
    await page.waitForTimeout(60);
    assert.equal((await state()).edges, pairs.length, 'redrawn when the toggle is back on');
    await page.evaluate(detail([]));
    assert.equal((await state()).edges, 0);
  });

  test('no console errors and no requests beyond the file itself', () => {
    assert.deepEqual(errors, []);
    assert.deepEqual(
      requests.filter((u) => !u.startsWith('file://')),
      [],
    );
  });
});
