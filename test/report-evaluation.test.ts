import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, evalSeriesFromBars, type EvaluationResult } from '../src/evaluate/index.js';
import { renderDashboard } from '../src/report/index.js';
import { esc } from '../src/report/html.js';
import {
  EVAL_MAX_PATHS,
  EVAL_TABLE_ROWS,
  evaluationSection,
  pathSignals,
  rankEvaluationRows,
} from '../src/report/sections/evaluation.js';
import { Rng } from '../src/stats/index.js';
import { generateBars } from '../src/synthetic/index.js';
import { fakeDashboardData } from './report-fixtures.js';

/**
 * A real evaluation: 30 days of generated 5-minute bars through the causal detectors, every signal, horizon and
 * the oracle; three of the outcomes keep it well under a second (built once).
 */
const EV: EvaluationResult = evaluate(
  evalSeriesFromBars(generateBars(new Rng(1), 30 * 288, { timeframeMs: 300_000 })),
  { outcomes: ['ret', 'up', 'mfe'] },
);

function count(haystack: string, needle: string | RegExp): number {
  if (typeof needle === 'string') return haystack.split(needle).length - 1;
  return (haystack.match(new RegExp(needle.source, 'g')) ?? []).length;
}

function chartSvgs(html: string): string[] {
  return html.match(/<svg class="chart"[\s\S]*?<\/svg>/g) ?? [];
}

/** A deep copy with one signal renamed everywhere it appears. */
function renamed(ev: EvaluationResult, from: string, to: string): EvaluationResult {
  const copy = structuredClone(ev);
  const fix = (o: { signal: string }): void => {
    if (o.signal === from) o.signal = to;
  };
  copy.rows.forEach(fix);
  copy.paths.forEach(fix);
  copy.skipped.forEach(fix);
  copy.signals.forEach((s) => {
    if (s.name === from) s.name = to;
  });
  return copy;
}

describe('report: evaluation section', () => {
  const section = evaluationSection(EV)!;
  const html = section.html;

  test('the fixture is a real, non-trivial evaluation', () => {
    assert.ok(EV.headline.tested > EVAL_TABLE_ROWS);
    assert.ok(EV.paths.length > EVAL_MAX_PATHS);
    assert.ok(EV.oracle && EV.oracle.n > 0);
    assert.ok(EV.skipped.length > 0);
  });

  test('headline, walk-forward setup, BH level and the out-of-sample statement', () => {
    assert.equal(section.id, 'evaluation');
    assert.equal(section.title, 'What happened next');
    const head = /<p class="headline">([^<]*)<\/p>/.exec(html);
    assert.ok(head, 'headline paragraph');
    assert.equal(head![1].toLowerCase(), esc(EV.headline.text.toLowerCase()) + '.');
    assert.ok(html.includes(`${EV.days} trading days`));
    assert.ok(html.includes(`${EV.testDays} test days`));
    assert.ok(html.includes(`${EV.folds.length} folds`));
    assert.ok(html.includes(`q ≤ ${EV.headline.fdr}`));
    assert.ok(html.includes('out of sample'));
    assert.ok(html.includes('session type × time of day × recent volatility'));
    assert.ok(html.includes('day-clustered 95% CIs'));
  });

  test('top-effects table: 15 tested rows by q, significant ones marked, tested vs untested counts', () => {
    const table = /<h3>Top effects<\/h3><div class="table-wrap"><table class="data">([\s\S]*?)<\/table>/.exec(
      html,
    );
    assert.ok(table);
    const rows = table![1].match(/<tr[ >][\s\S]*?<\/tr>/g)!.slice(1); // minus the header
    assert.equal(rows.length, EVAL_TABLE_ROWS);
    const ranked = rankEvaluationRows(EV.rows).slice(0, EVAL_TABLE_ROWS);
    ranked.forEach((r, i) => {
      assert.ok(rows[i].includes(`>${esc(r.signal)}<`), `row ${i} signal`);
      assert.equal(rows[i].includes('class="row-sig"'), r.significant, `row ${i} marked`);
    });
    for (let i = 1; i < ranked.length; i++) assert.ok((ranked[i - 1].q ?? 1) <= (ranked[i].q ?? 1));
    for (const h of [
      'Signal',
      'Horizon',
      'Outcome',
      'n',
      'Days',
      'Effect [95% CI]',
      'Baseline (control mean)',
      'q',
      'MDE',
    ])
      assert.ok(table![1].includes(`>${h}</th>`), `column ${h}`);
    const tested = EV.rows.filter((r) => r.tested).length;
    assert.ok(
      html.includes(`${tested.toLocaleString('en-US')} cells tested, ${EV.rows.length - tested} untested`),
    );
  });

  test('one forward-path SVG per plotted signal, baselines left out, shared y scale', () => {
    const chosen = pathSignals(EV);
    assert.equal(chosen.length, EVAL_MAX_PATHS);
    assert.ok(chosen.every((p) => !p.signal.startsWith('baseline:')));
    const charts = chartSvgs(html);
    assert.equal(charts.length, chosen.length);
    charts.forEach((c, i) => {
      assert.ok(c.includes(`data-chart="eval-path-${i}"`));
      assert.ok(c.includes(esc(chosen[i].signal)), 'aria label names the signal');
      assert.equal(count(c, /<polygon [^>]*fill-opacity="0.16"/), 1, 'one q10–q90 band');
      assert.ok(count(c, /<path /) >= 3, 'control and mean lines drawn');
      assert.ok(c.includes('stroke-dasharray'), 'dashed control line');
      assert.ok(count(c, '<title>') >= 2, 'native tooltips on the path points');
    });
    assert.equal(count(html, '<article class="card eval-path">'), chosen.length);
    assert.ok(html.includes(`n = ${chosen[0].n[0]}`));
    // all panels share one y range
    const yLabels = charts.map((c) => (c.match(/text-anchor="end"[^>]*>[^<]*</g) ?? []).join('|'));
    assert.equal(new Set(yLabels).size, 1);
  });

  test('baselines are plotted only when nothing else has a path', () => {
    const onlyBaselines = structuredClone(EV);
    onlyBaselines.paths = EV.paths.filter((p) => p.signal.startsWith('baseline:'));
    const chosen = pathSignals(onlyBaselines);
    assert.ok(chosen.length > 0 && chosen.every((p) => p.signal.startsWith('baseline:')));
  });

  test('the session-range oracle: methods table, per-type coverage, skipped sessions', () => {
    const o = EV.oracle!;
    const table = /<table class="data eval-oracle">([\s\S]*?)<\/table>/.exec(html);
    assert.ok(table);
    const rows = table![1].match(/<tr[ >][\s\S]*?<\/tr>/g)!.slice(1);
    assert.equal(rows.length, o.methods.length);
    for (const m of ['oracle', 'prev-range', 'atr', 'type-median'])
      assert.ok(table![1].includes(`<td class="mono">${m}</td>`), m);
    assert.ok(table![1].includes(`nominal ${(o.nominal * 100).toFixed(1)}%`));
    assert.ok(rows[0].includes(`${(o.coverage * 100).toFixed(1)}%`));
    const types = /<table class="data compact eval-types">([\s\S]*?)<\/table>/.exec(html);
    assert.ok(types);
    for (const t of Object.keys(o.methods[0].byType)) assert.ok(types![1].includes(`>${t}<`), t);
    assert.ok(html.includes(`${o.skipped.length} sessions skipped`));
    assert.ok(html.includes('× no history: day YYYY-MM-DD is in the first fold'), 'reasons folded over days');
  });

  test('skipped signals in a collapsed list', () => {
    const details = /<details class="weights eval-skipped">([\s\S]*?)<\/details>/.exec(html);
    assert.ok(details);
    assert.equal(count(details![1], '<li>'), EV.skipped.length);
    assert.ok(details![1].includes(esc(EV.skipped[0].signal)));
  });

  test('without an evaluation: one line saying it needs bars; absent data omits the section', () => {
    const none = evaluationSection(null)!;
    assert.equal(none.id, 'evaluation');
    assert.ok(none.html.includes('needs bars'));
    assert.ok(none.html.includes('ironforge run --bars FILE'));
    assert.ok(none.html.includes('ironforge evaluate --bars FILE'));
    assert.equal(count(none.html, '<p'), 1, 'one line');
    assert.ok(!/<(svg|table|h3)/.test(none.html), 'nothing else');
    assert.equal(evaluationSection(undefined), null);
  });

  test('escapes signal names', () => {
    const target = pathSignals(EV)[0].signal;
    const evil = '<script>alert("x")</script>';
    const out = evaluationSection(renamed(EV, target, evil))!.html;
    assert.ok(!out.includes('<script'), 'no script element');
    assert.ok(out.includes(esc(evil)), 'escaped name shown');
    const skippedEvil = structuredClone(EV);
    skippedEvil.skipped[0].reason = '<img src=x onerror=alert(1)>';
    assert.ok(!evaluationSection(skippedEvil)!.html.includes('<img'));
  });

  test('rejects a value that is not an evaluation, naming the field', () => {
    assert.throws(
      () => evaluationSection({ ...EV, kind: 'x' } as unknown as EvaluationResult),
      /evaluation\.kind = x/,
    );
    const bad = structuredClone(EV);
    bad.paths[2].mean.pop();
    assert.throws(() => evaluationSection(bad), /evaluation\.paths\[2\]\.mean has length/);
  });

  test('the whole dashboard renders with and without the evaluation', () => {
    // the full fixture once with the evaluation (a full render takes ~0.7 s); without it, report-dashboard.test.ts
    const full = fakeDashboardData({ seed: 42, sessions: 1 });
    const light = { run: full.run, validation: full.validation, canary: full.canary };
    const withEv = renderDashboard({ ...full, evaluation: EV });
    const plain = renderDashboard(light);
    const withNull = renderDashboard({ ...light, evaluation: null });
    assert.ok(!plain.includes('id="evaluation"'), 'absent: section left out');
    for (const page of [withEv, withNull]) {
      assert.equal(count(page, '<section class="panel" id="evaluation">'), 1);
      assert.equal(count(page, '<a href="#evaluation">What happened next</a>'), 1);
      assert.ok(page.trimEnd().endsWith('</html>'));
    }
    // the evaluation section adds no script of its own (the other sections' scripts are theirs)
    const withoutEv = renderDashboard({ ...full, evaluation: undefined });
    assert.equal(count(withEv, '<script'), count(withoutEv, '<script'), 'the evaluation adds no script');
    assert.equal(count(withNull, '<script'), count(plain, '<script'));
    for (const id of [
      'run',
      'chart',
      'attention',
      'motifs',
      'patterns',
      'confluence',
      'validation',
      'canary',
    ])
      assert.equal(count(withEv, `<section class="panel" id="${id}">`), 1, `section ${id} still there`);
    assert.equal(chartSvgs(withNull).length, chartSvgs(plain).length);
    const evCharts = chartSvgs(withEv).filter((c) => c.includes('data-chart="eval-path-'));
    assert.equal(evCharts.length, pathSignals(EV).length);
    const ids = chartSvgs(withEv).map((c) => /data-chart="([^"]+)"/.exec(c)![1]);
    assert.equal(new Set(ids).size, ids.length, 'chart ids unique');
    // the section sits after validation, before canary, and the section is deterministic
    assert.ok(withEv.indexOf('id="validation"') < withEv.indexOf('id="evaluation"'));
    assert.ok(withEv.indexOf('id="evaluation"') < withEv.indexOf('id="canary"'));
    assert.ok(withEv.includes(html), 'the section as rendered alone');
    assert.equal(evaluationSection(EV)!.html, html, 'deterministic');
  });
});
