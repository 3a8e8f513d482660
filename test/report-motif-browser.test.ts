/**
 * The motif browser (src/report/motif-browser.ts, sections/motifs.ts) from real mining output: a few sample
 * sessions mined with 50 nulls (so 0 PROMOTE and some FLOOR-LIMITED, as on the sample), occurrences from findMotifOccurrences. Node side:
 * the JSON block (selection, cap, escaping, occurrences), the "0 PROMOTE" line, the plot caption. Chromium side
 * (skipped when /usr/bin/chromium is missing): filters, sorting, paging and the `ironforge:highlight` event.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { dagMotifSessions } from '../src/discover/index.js';
import { findMotifOccurrences, mineMotifsDetailed, type MotifMiningRun } from '../src/motifs/index.js';
import { readSessionFile } from '../src/store/sessions.js';
import { renderDashboard, selectBrowserMotifs } from '../src/report/index.js';
import type { DashboardData, MotifBrowserInfo, MotifRow } from '../src/report/index.js';
import type { Session } from '../src/session/index.js';
import { launchChromium, DEFAULT_CHROMIUM } from '../src/app/index.js';

const SAMPLE = resolve('data/sample/enhanced');
// the first six sample sessions: with 50 nulls they give FLOOR-LIMITED motifs and 0 PROMOTE, as the sample does
const FILES = readdirSync(SAMPLE).sort().slice(0, 6);
const EVIL = '</script><script>alert(1)</script>&\u2028';

interface Payload {
  classes: string[];
  tested: number;
  m: { kinds: string[]; edges: string[]; cls: number[]; lift: (number | null)[]; count: number[] };
  ids: Record<string, string>;
  s: { id: string[] };
  o: { start: number[]; s: number[]; n: number[]; total: number[] };
}

function payloadOf(html: string): Payload {
  const m = /<script type="application\/json" id="motif-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'motif data block present');
  return JSON.parse(m[1]) as Payload;
}

async function fixture(): Promise<{ run: MotifMiningRun; data: DashboardData; sessions: Session[] }> {
  const sessions: Session[] = [];
  for (const f of FILES) sessions.push(await readSessionFile(join(SAMPLE, f)));
  const input = dagMotifSessions(sessions);
  const run = await mineMotifsDetailed(input, {
    nulls: 50,
    bootstrap: 50,
    sizes: [3, 4],
    minSupport: 2,
    seed: 42,
  });
  const motifs = run.results as MotifRow[];
  const chosen = selectBrowserMotifs(motifs).map((i) => run.results[i]);
  const info: MotifBrowserInfo = {
    nullModel: run.nullModels.join(', '),
    nulls: run.nulls,
    sessions: sessions.map((s) => ({
      id: s.id,
      date: s.date,
      t: s.events.map((e) => e.t),
      clocks: s.events.map((e) => e.clock),
    })),
    occurrences: findMotifOccurrences(input, chosen),
  };
  return { run, sessions, data: { run: { title: 'motif browser' }, motifs, motifBrowser: info } };
}

describe('report: motif browser', () => {
  let fx: Awaited<ReturnType<typeof fixture>>;
  let html: string;
  before(async () => {
    fx = await fixture();
    html = renderDashboard(fx.data);
  });

  test('renders real mining output as one compact JSON block, without per-row SVG', () => {
    const d = payloadOf(html);
    const motifs = fx.data.motifs!;
    assert.ok(motifs.length > 30, `mined ${motifs.length} motifs`);
    const sel = selectBrowserMotifs(motifs);
    assert.equal(d.m.kinds.length, sel.length);
    assert.equal(d.tested, motifs.length);
    sel.forEach((mi, r) => {
      assert.equal(d.m.kinds[r], Array.from(motifs[mi].kinds).join(''));
      assert.equal(d.classes[d.m.cls[r]], motifs[mi].class);
    });
    // every FLOOR-LIMITED / PROMOTE motif is kept
    const keep = motifs.filter((m) => m.class === 'PROMOTE' || m.class === 'FLOOR-LIMITED').length;
    assert.equal(sel.filter((i) => ['PROMOTE', 'FLOOR-LIMITED'].includes(motifs[i].class)).length, keep);
    assert.equal(html.replace(/<script[\s\S]*?<\/script>/g, '').match(/<svg class="motif"/g), null);
    // occurrences: every listed one points at a session, the totals match findMotifOccurrences = count
    assert.equal(d.o.start.length, sel.length + 1);
    sel.forEach((mi, r) => {
      assert.equal(d.o.total[r], motifs[mi].count, `occurrences of ${motifs[mi].id}`);
      assert.ok(d.o.start[r + 1] - d.o.start[r] <= 200);
      if (motifs[mi].count > 0) assert.ok(d.o.start[r + 1] > d.o.start[r], 'at least one listed');
    });
    for (const s of d.o.s) assert.ok(s >= 0 && s < d.s.id.length);
  });

  test('zero PROMOTE is said plainly, naming the null; the plot caption states every class rule', () => {
    assert.equal(fx.run.results.filter((r) => r.class === 'PROMOTE').length, 0);
    assert.ok(
      fx.run.results.some((r) => r.class === 'FLOOR-LIMITED'),
      'fixture has FLOOR-LIMITED motifs',
    );
    assert.match(html, /FLOOR-LIMITED motifs pass the lift and CI rules but cannot reach q &lt; 0\.01/);
    assert.match(html, /0 PROMOTE under the group-shuffle null<\/strong> \(see README Evidence\)/);
    // every rule of stats/classifyMotif: the DISCARD rules first, then PROMOTE's three
    assert.match(html, /DISCARD when q &gt; 0\.05 .*lift &lt; 1\.5 .*CI low of lift ≤ 1 \(hollow diamonds\)/);
    assert.match(html, /without a CI .* is at best PARK/);
    assert.match(html, /lift ≥ 2 .*q &lt; 0\.01 .*CI low ≥ 1\.5/);
    assert.match(html, /hollow triangles have CI low between 1 and 1\.5 or no CI/);
    const volcano = /<svg[^>]*data-chart="motif-volcano"[\s\S]*?<\/svg>/.exec(html)![0];
    assert.ok((volcano.match(/<path /g) ?? []).length > 20);
  });

  test('the cap keeps every FLOOR-LIMITED motif and fills up by z, and says so', () => {
    const motifs = fx.data.motifs!;
    const keep = motifs.filter((m) => m.class === 'PROMOTE' || m.class === 'FLOOR-LIMITED').length;
    const capped = renderDashboard(fx.data, { maxMotifRows: keep + 5 });
    const d = payloadOf(capped);
    assert.equal(d.m.kinds.length, keep + 5);
    assert.match(
      capped,
      new RegExp(`holds ${keep + 5} of ${motifs.length.toLocaleString('en-US')} tested motifs`),
    );
    const rest = selectBrowserMotifs(motifs, keep + 5).slice(keep);
    for (let k = 1; k < rest.length; k++) assert.ok((motifs[rest[k - 1]].z ?? 0) >= (motifs[rest[k]].z ?? 0));
  });

  test('escapes caller strings in the JSON block; bad and empty input', () => {
    const motifs = fx.data.motifs!.map((m, i) =>
      i === 0 ? { ...m, id: EVIL, class: EVIL, family: EVIL } : m,
    );
    const evil = renderDashboard({ ...fx.data, motifs });
    assert.ok(!evil.includes('<script>alert'), 'no injected script');
    const d = payloadOf(evil);
    assert.ok(Object.values(d.ids).includes(EVIL), 'id survives the round trip');
    assert.ok(d.classes.includes(EVIL));
    // no motifs: no section; no occurrences given: the table still renders
    assert.ok(!renderDashboard({ run: { title: 't' }, motifs: [] }).includes('id="motifs"'));
    const bare = renderDashboard({ run: { title: 't' }, motifs: fx.data.motifs });
    assert.equal(payloadOf(bare).o.s.length, 0);
    assert.match(bare, /Occurrences were not provided/);
    // a motif that occurs in none of the given sessions: total 0
    const noOcc = renderDashboard({
      ...fx.data,
      motifBrowser: { ...fx.data.motifBrowser, occurrences: [] },
    });
    assert.ok(payloadOf(noOcc).o.total.every((t) => t === 0));
  });

  describe(
    'in Chromium',
    { skip: existsSync(DEFAULT_CHROMIUM) ? false : `${DEFAULT_CHROMIUM} is missing` },
    () => {
      let browser: Browser | undefined;
      let page: Page;
      const errors: string[] = [];
      let d: Payload;
      const text = async (sel: string): Promise<string> => (await page.textContent(sel)) ?? '';
      const rows = async (): Promise<number[]> =>
        (await page.evaluate(
          `Array.from(document.querySelectorAll('#mb-body tr')).map(r => Number(r.getAttribute('data-i')))`,
        )) as number[];

      before(async () => {
        const out = resolve('test-output');
        await mkdir(out, { recursive: true });
        const file = join(out, 'motif-browser.html');
        await writeFile(file, html);
        d = payloadOf(html);
        browser = await launchChromium(DEFAULT_CHROMIUM);
        page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        page.on('console', (m) => {
          if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
        });
        page.on('pageerror', (e) => errors.push(String(e)));
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      });
      after(async () => {
        await browser?.close();
      });

      test('filters by class and by kind, with the row count shown', async () => {
        const n = d.m.kinds.length;
        assert.equal(
          await text('#mb-count'),
          `${n.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} motifs`,
        );
        for (const [ci, cls] of d.classes.entries()) {
          const expected = d.m.cls.filter((c) => c === ci).length;
          if (expected === 0) continue;
          await page.selectOption('#mb-class', String(ci));
          assert.equal(
            await text('#mb-count'),
            `${expected.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} motifs`,
            cls,
          );
          for (const i of await rows()) assert.equal(d.m.cls[i], ci);
        }
        await page.selectOption('#mb-class', '');
        const kind = 4; // LiquidityTaken
        await page.selectOption('#mb-kind', String(kind));
        const expected = d.m.kinds.filter((k) => k.includes(String(kind))).length;
        assert.equal(
          await text('#mb-count'),
          `${expected.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} motifs`,
        );
        await page.selectOption('#mb-kind', '');
      });

      test('sorts by a column (click, then again to reverse) and pages', async () => {
        await page.click('th[data-sort="lift"] button');
        assert.equal(await page.getAttribute('th[data-sort="lift"]', 'aria-sort'), 'descending');
        const lifts = (await rows()).map((i) => d.m.lift[i] ?? -Infinity);
        assert.equal(lifts.length, 25);
        for (let k = 1; k < lifts.length; k++) assert.ok(lifts[k - 1] >= lifts[k]);
        assert.equal(lifts[0], Math.max(...d.m.lift.map((x) => x ?? -Infinity)));
        await page.focus('th[data-sort="lift"] button');
        await page.keyboard.press('Enter');
        assert.equal(await page.getAttribute('th[data-sort="lift"]', 'aria-sort'), 'ascending');
        const up = (await rows()).map((i) => d.m.lift[i] ?? Infinity);
        for (let k = 1; k < up.length; k++) assert.ok(up[k - 1] <= up[k]);
        const pages = Math.ceil(d.m.kinds.length / 25);
        await page.click('#mb-next');
        assert.equal(await text('#mb-page'), `Page 2 of ${pages}`);
        assert.equal((await rows()).length, Math.min(25, d.m.kinds.length - 25));
        await page.click('#mb-prev');
        assert.equal(await text('#mb-page'), `Page 1 of ${pages}`);
      });

      test('selecting a motif lists its occurrences; “Show on chart” dispatches ironforge:highlight', async () => {
        const r = d.o.total.findIndex((t) => t > 1);
        assert.ok(r >= 0);
        const size = d.m.kinds[r].length;
        const pairs = d.m.edges[r].match(/\d\d/g)!.map((e) => `${e[0]}>${e[1]}`);
        const id = d.ids[r] ?? `M${size}:kinds=${d.m.kinds[r].split('').join(',')}:edges=${pairs.join(',')}`;
        await page.fill('#mb-search', id.toLowerCase());
        await page.evaluate(
          `window.__hl = []; window.addEventListener('ironforge:highlight', e => window.__hl.push(e.detail))`,
        );
        await page.click(`#mb-body tr[data-i="${r}"]`);
        const listed = d.o.start[r + 1] - d.o.start[r];
        assert.equal(await page.locator('#mb-detail .mb-jump').count(), listed);
        await page.locator('#mb-detail .mb-jump').first().click();
        const hl = (await page.evaluate('window.__hl')) as {
          sessionId: string;
          times: number[];
          label: string;
        }[];
        // selecting marks every listed occurrence in the first session (one time each); the button marks one
        assert.equal(hl.length, 2);
        const first = d.o.s[d.o.start[r]];
        let inFirst = 0;
        for (let o = d.o.start[r]; o < d.o.start[r + 1]; o++) if (d.o.s[o] === first) inFirst++;
        assert.equal(hl[0].sessionId, d.s.id[first]);
        assert.equal(hl[0].times.length, inFirst);
        assert.equal(hl[1].times.length, size);
        assert.equal(hl[1].sessionId, d.s.id[first]);
        const session = fx.sessions.find((s) => s.id === hl[1].sessionId)!;
        const times = new Set(session.events.map((e) => e.t));
        for (const t of [...hl[0].times, ...hl[1].times])
          assert.ok(times.has(t), `time ${t} is an event of ${session.id}`);
        assert.ok(hl[1].label.length > 0);
      });

      test('no console or page errors', () => {
        assert.deepEqual(errors, []);
      });
    },
  );
});
