import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderDashboard } from '../src/report/index.js';
import { clockAxis, clockOffsetMs } from '../src/report/clock.js';
import { esc, fmtNum } from '../src/report/html.js';
import { motifSvg, parseMotifEdges } from '../src/report/motif-svg.js';
import { KIND_COLORS } from '../src/report/palette.js';
import type { DashboardData } from '../src/report/types.js';
import { EVIL, fakeDashboardData } from './report-fixtures.js';
import { writeDashboard } from '../src/store/index.js';

const SECTION_IDS = ['run', 'chart', 'attention', 'motifs', 'patterns', 'confluence', 'validation', 'canary'];

function count(haystack: string, needle: string | RegExp): number {
  if (typeof needle === 'string') return haystack.split(needle).length - 1;
  return (
    haystack.match(
      new RegExp(needle.source, needle.flags.includes('g') ? needle.flags : needle.flags + 'g'),
    ) ?? []
  ).length;
}

/** The `<svg class="chart" …>…</svg>` elements of a page. */
function chartSvgs(html: string): string[] {
  return html.match(/<svg class="chart"[\s\S]*?<\/svg>/g) ?? [];
}

describe('report: renderDashboard', () => {
  const data = fakeDashboardData({ seed: 42, sessions: 4 });
  const html = renderDashboard(data);

  test('is one HTML document with every section, in the nav too', () => {
    assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
    assert.ok(html.trimEnd().endsWith('</html>'));
    for (const id of SECTION_IDS) {
      assert.equal(count(html, `<section class="panel" id="${id}">`), 1, `section ${id}`);
      assert.equal(count(html, `<a href="#${id}">`), 1, `nav link ${id}`);
    }
    assert.ok(html.includes('<title>ironforge run — NQ sample</title>'));
  });

  test('has one SVG chart per expected figure, each with drawn elements', () => {
    const charts = chartSvgs(html);
    // run timings 1 + attention 2×(heatmap + lag) + motifs 2 + patterns 4×2 + confluence 1 + 3 + canary 2
    // (the session chart is drawn in the browser: test/report-chart.test.ts)
    assert.equal(charts.length, 1 + 4 + 2 + 8 + 4 + 2);
    const ids = charts.map((c) => /data-chart="([^"]+)"/.exec(c)![1]);
    assert.equal(new Set(ids).size, ids.length, 'chart ids unique');
    for (const c of charts) {
      assert.ok(
        count(c, /<(path|rect) /) >= 3,
        `chart ${/data-chart="([^"]+)"/.exec(c)![1]} has drawn elements`,
      );
      assert.ok(!/zr\d+-/.test(c), 'ECharts instance prefixes replaced');
      assert.ok(!c.includes('ecmeta_'), 'ECharts metadata attributes removed');
      assert.ok(!c.includes('<style'), 'ECharts hover CSS removed');
    }
    // clip-path references resolve to ids defined in the same chart
    for (const c of charts) {
      for (const m of c.matchAll(/url\(#([^)]+)\)/g))
        assert.ok(c.includes(`id="${m[1]}"`), `clip ${m[1]} defined`);
    }
  });

  test('the chart section lists every session and carries every event in its JSON', () => {
    const json = JSON.parse(
      /<script type="application\/json" id="chart-data">(.*?)<\/script>/s.exec(html)![1],
    );
    assert.equal(json.s.length, data.sessions!.length);
    for (const s of data.sessions!) {
      const j = json.s.find((x: { id: string }) => x.id === s.id);
      assert.ok(j, `${s.id} in the chart data`);
      assert.deepEqual(
        j.e.k,
        s.events.map((e) => e.kind),
      );
      assert.ok(html.includes(`${esc(s.id)}`));
    }
    assert.deepEqual(json.colors, [...KIND_COLORS]);
    for (const name of [
      'Expansion',
      'Consolidation',
      'Retracement',
      'Reversal',
      'LiquidityTaken',
      'Redelivery',
      'Anchor',
    ])
      assert.ok(html.includes(`</i>${name}</span>`), `legend ${name}`);
  });

  test('motif browser carries each motif as compact JSON (shapes are drawn in the page, not in the file)', () => {
    assert.equal(count(html.replace(/<script[\s\S]*?<\/script>/g, ''), '<svg class="motif"'), 0);
    const json = /<script type="application\/json" id="motif-data">([\s\S]*?)<\/script>/.exec(html);
    assert.ok(json, 'motif data block');
    const d = JSON.parse(json[1]) as { m: { kinds: string[]; edges: string[] } };
    assert.equal(d.m.kinds.length, data.motifs!.length);
    for (const m of data.motifs!)
      assert.ok(d.m.kinds.includes(Array.from(m.kinds).join('')), `kinds of ${m.id}`);
  });

  test('omits sections without data', () => {
    const runOnly = renderDashboard({ run: { title: 'only run' } });
    for (const id of SECTION_IDS.slice(1)) assert.ok(!runOnly.includes(`id="${id}"`), `${id} omitted`);
    assert.equal(chartSvgs(runOnly).length, 0);
    const partial = renderDashboard({ run: { title: 't' }, canary: data.canary, sessions: [] });
    assert.ok(partial.includes('id="canary"'));
    assert.ok(!partial.includes('id="chart"'));
    assert.ok(!renderDashboard({ run: { title: 't' }, validation: {} }).includes('id="validation"'));
  });

  test('escapes every caller string (ids, titles, classes)', () => {
    const evil = renderDashboard(fakeDashboardData({ seed: 42, evil: true }));
    assert.ok(!evil.includes(EVIL), 'raw injection string absent');
    assert.ok(!evil.includes('<script>alert'), 'no injected script element');
    // the page script, the motif browser's script and JSON block, the chart's JSON block, library and client
    assert.equal(count(evil, '<script>'), 4, 'only the page, motif browser and chart scripts');
    assert.equal(count(evil, '<script'), 6, 'and the motif and chart data blocks');
    assert.ok(!/<\/script/i.test(/id="motif-data">([\s\S]*?)<\/script>/.exec(evil)![1]));
    assert.ok(evil.includes(esc(EVIL)), 'escaped text present');
    assert.ok(evil.includes(`<title>Run ${esc(EVIL)}</title>`));
    assert.equal(esc(`<a href="x">&'`), '&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
  });

  test('is deterministic: same data ⇒ same bytes; different data ⇒ different bytes', () => {
    assert.equal(renderDashboard(data), html);
    assert.equal(renderDashboard(fakeDashboardData({ seed: 42, sessions: 4 })), html);
    assert.notEqual(renderDashboard(fakeDashboardData({ seed: 43, sessions: 4 })), html);
  });

  test('references nothing outside the file', () => {
    // inline scripts are code (the vendored chart bundle is checked against its package in report-chart.test.ts)
    const markup = html.replace(/<script>[\s\S]*?<\/script>/g, '<script></script>');
    assert.ok(!/<(link|img|iframe|object|embed)\b/i.test(markup));
    assert.ok(!/\s(src|srcset)=/i.test(markup));
    assert.ok(!/@import|url\((?!#)/i.test(markup), 'no CSS imports or external urls');
    for (const m of markup.matchAll(/href="([^"]*)"/g)) assert.ok(m[1].startsWith('#'), `href ${m[1]}`);
    assert.ok(html.includes(`Content-Security-Policy" content="default-src 'none'`));
  });

  test('rejects bad input naming the field', () => {
    const bad = (mutate: (d: DashboardData) => void): DashboardData => {
      const d = fakeDashboardData({ seed: 7, sessions: 2 });
      mutate(d);
      return d;
    };
    assert.throws(
      () => renderDashboard(bad((d) => (d.sessions![0].events[3].kind = 9))),
      /sessions\[0\]\.events\[3\]\.kind = 9/,
    );
    assert.throws(
      () => renderDashboard(bad((d) => (d.sessions![1].dag = { src: [0], dst: [100000] }))),
      /sessions\[1\]\.dag edge 0 = 0→100000/,
    );
    assert.throws(
      () => renderDashboard(bad((d) => (d.attention![0].weight = new Float32Array(3)))),
      /attention\[0\]\.weight has length 3/,
    );
    assert.throws(
      () => renderDashboard(bad((d) => (d.motifs![2].edges = '0>9'))),
      /motifs\[2\]\.edges references node 9/,
    );
    assert.throws(
      () => renderDashboard(bad((d) => (d.confluence!.sessions[0].score = 140))),
      /confluence\.sessions\[0\]\.score = 140/,
    );
    assert.throws(
      () => renderDashboard(bad((d) => ((d.canary!.series![0].ms as (number | null)[])[0] = -1))),
      /series\[0\]\.ms\[0\] = -1/,
    );
    assert.throws(() => renderDashboard({} as DashboardData), /run is required/);
  });

  test('writeDashboard writes the rendered bytes atomically and leaves no temp file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ironforge-report-'));
    try {
      const path = join(dir, 'sub', 'dashboard.html');
      const returned = await writeDashboard(path, data);
      assert.equal(returned, html);
      assert.equal(await readFile(path, 'utf8'), html);
      await writeDashboard(path, { run: { title: 'second' } });
      assert.ok((await readFile(path, 'utf8')).includes('<title>second</title>'));
      assert.deepEqual(await readdir(join(dir, 'sub')), ['dashboard.html']);
      // A failing render leaves the previous file intact.
      await assert.rejects(
        writeDashboard(path, { run: { title: 'x', timings: [{ stage: 's', ms: -1 }] } }),
        /timings\[0\]\.ms/,
      );
      assert.ok((await readFile(path, 'utf8')).includes('<title>second</title>'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('report: helpers', () => {
  test('motif edges parse and validate', () => {
    assert.deepEqual(parseMotifEdges('0>1,0>2@3', 3, 'm'), [
      { from: 0, to: 1, label: '' },
      { from: 0, to: 2, label: '3' },
    ]);
    assert.deepEqual(parseMotifEdges([[1, 0]], 2, 'm'), [{ from: 1, to: 0, label: '' }]);
    assert.throws(() => parseMotifEdges('0-1', 2, 'm'), /"0-1"/);
    assert.throws(() => parseMotifEdges('1>1', 2, 'm'), /self-loop/);
    const svg = motifSvg([0, 3, 6], parseMotifEdges('0>1,0>2,2>1', 3, 'm'), 'm');
    assert.equal(count(svg, '<circle '), 3);
    assert.equal(count(svg, '<polygon '), 3);
    assert.ok(svg.includes(`fill="${KIND_COLORS[3]}"`));
    assert.equal(count(svg, '<path '), 1, 'only the long edge 0>2 is an arc; 2>1 is a neighbour line');
    assert.throws(() => motifSvg([0, 7], [], 'motifs[4]'), /motifs\[4\]\.kinds\[1\] = 7/);
  });

  test('clock axis recovers the session zone from the events (EDT and EST)', () => {
    const summer = Date.UTC(2025, 6, 29, 13, 30);
    assert.equal(clockOffsetMs([{ t: summer, clock: '09:30:00' }]), -4 * 3_600_000);
    const winter = Date.UTC(2025, 0, 15, 14, 30);
    assert.equal(clockOffsetMs([{ t: winter, clock: '09:30' }]), -5 * 3_600_000);
    assert.equal(clockOffsetMs([{ t: winter, clock: 'n/a' }]), null);
    const axis = clockAxis(-4 * 3_600_000, summer, summer + 2 * 3_600_000);
    assert.equal(axis.label(axis.toMinutes(summer)), '09:30');
    assert.equal(axis.step, 10);
    assert.equal(axis.label(axis.min), '09:30');
    // Asia session crossing midnight wraps the labels.
    const asia = Date.UTC(2025, 6, 29, 23, 0); // 19:00 ET
    const a2 = clockAxis(-4 * 3_600_000, asia, asia + 6 * 3_600_000);
    assert.equal(a2.label(a2.toMinutes(asia + 6 * 3_600_000)), '01:00');
  });

  test('numbers keep price precision and are locale-free', () => {
    assert.equal(fmtNum(23463.75), '23,463.75');
    assert.equal(fmtNum(23400), '23,400');
    assert.equal(fmtNum(-1234.5), '−1,234.5');
    assert.equal(fmtNum(0.012345), '0.01235');
    assert.equal(fmtNum(3.2e-7), '3.20e-7');
    assert.equal(fmtNum(null), '—');
  });
});
