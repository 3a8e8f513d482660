/**
 * The Evidence section (src/report/sections/evidence.ts, app/evidence-data.ts) from real stage output: sessions
 * with a planted LiquidityTaken → Redelivery rule mined against the null (PROMOTE motifs and a family), the
 * group-shuffle control mined beside them, and the family's forward path from evaluate on planted bars. Node side:
 * the JSON block and the empty states' text. Chromium side (skipped when /usr/bin/chromium is missing): the family
 * row with its real and control counts and its forward path drawn; the empty states; no console errors.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, DEFAULT_CHROMIUM } from '../src/app/index.js';
import { evidenceView, minDetectableLift } from '../src/app/evidence-data.js';
import type { PipelineResult } from '../src/app/run.js';
import { evalSeriesFromBars, evaluate, type EvaluationResult } from '../src/evaluate/index.js';
import { applyControl, mineMotifsDetailed, type MotifMiningRun } from '../src/motifs/index.js';
import { renderDashboard, type DashboardData, type MotifRow } from '../src/report/index.js';
import { Rng } from '../src/stats/index.js';
import { generatePlantedBars } from '../src/synthetic/index.js';
import { synthSessions } from './motifs-fixtures.js';

const MINE = { sizes: [3], nulls: 499, seed: 12, minSupport: 20, bootstrap: 300 };

function validationOf(real: MotifMiningRun, control: MotifMiningRun): PipelineResult['validation'] {
  const counts = (r: MotifMiningRun) => ({
    tested: r.testedMotifs,
    promote: r.results.filter((m) => m.class === 'PROMOTE').length,
    floorLimited: r.results.filter((m) => m.class === 'FLOOR-LIMITED').length,
  });
  return {
    kind: 'ironforge.validation',
    version: 1,
    status: 'skipped',
    seed: 12,
    alpha: 0.05,
    reason: 'synthetic sessions carry no dates (test fixture)',
    sessions: 30,
    days: 0,
    skipped: [],
    controls: {
      nullModel: real.nullModels.join(', '),
      real: counts(real),
      controls: [
        {
          control: 'group-shuffle',
          ...counts(control),
          promotedIds: control.results.filter((m) => m.class === 'PROMOTE').map((m) => m.id),
        },
      ],
    },
  } as unknown as PipelineResult['validation'];
}

/** The family's occurrences after a planted drift, as evaluate's family signal (id of the mined family). */
function familyEvaluation(family: string): EvaluationResult {
  const p = generatePlantedBars(new Rng(7), {
    days: 40,
    signalRatePerDay: 3,
    effect: { kind: 'drift', pointsPerBar: 2, bars: 30 },
  });
  const series = evalSeriesFromBars(p.bars, { detect: false, source: 'planted bars' });
  return evaluate(series, {
    horizons: [5, 15, 30, 60],
    outcomes: ['ret'],
    detectorSignals: false,
    baselines: false,
    oracle: false,
    motifFamilies: [{ family, endT: Array.from(p.signalBars, (b) => p.bars.t[b] + p.bars.timeframeMs) }],
    seed: 7,
    replicates: 99,
  });
}

function dataBlock(html: string): { f: { id: string; m: number; c: number[]; fw: unknown }[] } {
  const m = /<script type="application\/json" id="evidence-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'evidence data block present');
  return JSON.parse(m[1]);
}

describe('report: evidence at a glance', () => {
  let real: MotifMiningRun;
  let control: MotifMiningRun;
  let data: DashboardData;
  let emptyData: DashboardData;
  let html: string;
  let emptyHtml: string;
  before(() => {
    const sessions = synthSessions(1, 30, 40, { plant45: 0.9 });
    real = mineMotifsDetailed(sessions, MINE);
    control = mineMotifsDetailed(applyControl(sessions, 'group-shuffle', 12), MINE);
    const fam = real.families ?? [];
    assert.ok(fam.length > 0, 'the planted rule gives at least one PROMOTE family');
    const ev = evidenceView(
      { motifs: real, validation: validationOf(real, control) },
      familyEvaluation(fam[0].id),
    );
    data = { run: { title: 'evidence' }, evidence: ev };
    html = renderDashboard(data);
    // no planted rule: nothing promoted; a run without bars
    const plain = synthSessions(2, 12, 30);
    const none = mineMotifsDetailed(plain, { ...MINE, nulls: 99, minSupport: 6 });
    const noneControl = mineMotifsDetailed(applyControl(plain, 'group-shuffle', 12), {
      ...MINE,
      nulls: 99,
      minSupport: 6,
    });
    assert.equal(
      none.results.filter((r) => r.class === 'PROMOTE').length,
      0,
      'unplanted sessions promote nothing',
    );
    emptyData = {
      run: { title: 'evidence, empty' },
      evidence: evidenceView({ motifs: none, validation: validationOf(none, noneControl) }, null),
    };
    emptyHtml = renderDashboard(emptyData);
  });

  test('one row per family with real and control counts and the forward path, as compact JSON', () => {
    const d = dataBlock(html);
    const fam = real.families!;
    assert.equal(d.f.length, fam.length);
    const controlIds = new Set(control.results.filter((m) => m.class === 'PROMOTE').map((m) => m.id));
    fam.forEach((f, i) => {
      assert.equal(d.f[i].id, f.id);
      assert.equal(d.f[i].m, f.members.length);
      assert.deepEqual(d.f[i].c, [f.members.filter((id) => controlIds.has(id)).length]);
    });
    assert.ok(d.f[0].fw, 'the first family has a forward path');
    const markup = html.replace(/<script[\s\S]*?<\/script>/g, '');
    assert.ok(!/<svg class="ev-path"/.test(markup), 'no forward-path SVG in the file (drawn in the browser)');
    assert.match(html, /in-sample/);
  });

  test('empty states: 0 PROMOTE with the minimum detectable lift; no bars', () => {
    assert.match(emptyHtml, /0 PROMOTE under the [a-z-, ]+ null on this sample: nothing to show/);
    // lift / CI low: ratios 2 and 3 (NaN CI left out), median 2.5 → 1.5 × 2.5 = 3.75 (above the lift rule 2)
    const crafted = [
      { lift: 4, ciLow: 2 },
      { lift: 3, ciLow: 1 },
      { lift: 2, ciLow: NaN },
    ];
    assert.equal(minDetectableLift(crafted), 3.75);
    assert.equal(minDetectableLift([{ lift: 1.2, ciLow: 1.1 }]), 2, 'never below the lift rule');
    assert.equal(minDetectableLift([]), null);
    const mdl = emptyData.evidence!.minDetectableLift;
    assert.ok(mdl !== null && mdl >= 2, `minimum detectable lift ${mdl}`);
    assert.match(emptyHtml, /minimum detectable lift \d/);
    assert.match(emptyHtml, /No bars in this run: run with <code>--bars FILE<\/code> to see forward paths/);
    assert.ok(!emptyHtml.includes('id="evidence-data"'), 'no family rows when nothing was promoted');
  });

  describe(
    'in Chromium',
    { skip: existsSync(DEFAULT_CHROMIUM) ? false : `${DEFAULT_CHROMIUM} is missing` },
    () => {
      let browser: Browser | undefined;
      let page: Page;
      const errors: string[] = [];
      before(async () => {
        const out = resolve('test-output');
        await mkdir(out, { recursive: true });
        await writeFile(join(out, 'evidence.html'), html);
        await writeFile(join(out, 'evidence-empty.html'), emptyHtml);
        browser = await launchChromium(DEFAULT_CHROMIUM);
        page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        page.on('console', (m) => {
          if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
        });
        page.on('pageerror', (e) => errors.push(String(e)));
      });
      after(async () => {
        await browser?.close();
      });

      test('the family row shows its real and control PROMOTE counts and draws its forward path', async () => {
        await page.goto(pathToFileURL(resolve('test-output/evidence.html')).href, { waitUntil: 'load' });
        const fam = real.families!;
        const rows = (await page.evaluate(`Array.from(document.querySelectorAll('#ev-body tr')).map(r => ({
          id: r.getAttribute('data-family'),
          real: r.querySelector('.ev-real').textContent,
          control: Array.from(r.querySelectorAll('.ev-control')).map(c => c.textContent),
          paths: r.querySelectorAll('svg.ev-path path').length,
          text: r.textContent,
        }))`)) as { id: string; real: string; control: string[]; paths: number; text: string }[];
        assert.equal(rows.length, Math.min(fam.length, 20));
        const controlIds = new Set(control.results.filter((m) => m.class === 'PROMOTE').map((m) => m.id));
        assert.equal(rows[0].id, fam[0].id);
        assert.equal(rows[0].real, String(fam[0].members.length));
        assert.deepEqual(rows[0].control, [String(fam[0].members.filter((id) => controlIds.has(id)).length)]);
        assert.equal(rows[0].paths, 2, 'family mean and matched control lines');
        assert.match(rows[0].text, /ret@30m/);
        await page.setViewportSize({ width: 420, height: 800 });
        const sw = (await page.evaluate('document.documentElement.scrollWidth')) as number;
        assert.ok(sw <= 420, `page scrolls sideways at 420 px: ${sw}`);
        await page.setViewportSize({ width: 1280, height: 900 });
        assert.match((await page.textContent('#evidence')) ?? '', /PROMOTE on the group-shuffle control/);
        assert.deepEqual(errors, []);
      });

      test('the empty states say what is missing and nothing throws', async () => {
        await page.goto(pathToFileURL(resolve('test-output/evidence-empty.html')).href, {
          waitUntil: 'load',
        });
        const text = (await page.textContent('#evidence')) ?? '';
        assert.match(text, /0 PROMOTE under the .* null on this sample: nothing to show/);
        assert.match(text, /No bars in this run: run with --bars FILE to see forward paths/);
        assert.deepEqual(errors, []);
      });
    },
  );
});

describe('report: weight at scale', () => {
  test('thousands of PROMOTE motifs: the lift-vs-q plot samples ≤ 400 points and says so; the browser keeps them all', () => {
    const motifs: MotifRow[] = [];
    for (let i = 0; i < 5000; i++) {
      const promote = i < 3000;
      const a = i % 7;
      const b = (i >> 3) % 7;
      motifs.push({
        id: `M3:kinds=${a},${b},${(a + b) % 7}:edges=0>1,1>2#${i}`,
        size: 3,
        kinds: [a, b, (a + b) % 7],
        edges: '0>1,1>2',
        count: 50 + (i % 40),
        support: 10 + (i % 9),
        lift: promote ? 2.5 + (i % 13) / 10 : 1 + (i % 5) / 10,
        p: 0.001,
        q: promote ? 0.001 : 0.5,
        ciLow: promote ? 1.8 : 0.8,
        ciHigh: promote ? 3.5 : 1.4,
        class: promote ? 'PROMOTE' : 'DISCARD',
        z: promote ? 10 - i / 1000 : 1 - i / 10000,
      });
    }
    const html = renderDashboard({ run: { title: 'scale' }, motifs });
    const volcano = /<svg[^>]*data-chart="motif-volcano"[\s\S]*?<\/svg>/.exec(html)![0];
    assert.ok(volcano.length < 200_000, `volcano SVG ${volcano.length} bytes`);
    assert.match(html, /400 of 5,000: an even sample by z of the 3,000 PROMOTE and FLOOR-LIMITED/);
    const m = /<script type="application\/json" id="motif-data">([\s\S]*?)<\/script>/.exec(html)!;
    const d = JSON.parse(m[1]) as { m: { cls: number[] }; classes: string[] };
    const promoteCode = d.classes.indexOf('PROMOTE');
    assert.equal(
      d.m.cls.filter((c) => c === promoteCode).length,
      3000,
      'the browser holds every PROMOTE motif',
    );
  });
});
