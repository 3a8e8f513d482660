// The calibrated confluence in the dashboard: the score is labelled descriptive; with a calibration built by the
// real chain (generated bars → causal sessions → scoreConfluence → labels from the bars → calibrateConfluence) the
// section shows the outcome, the reliability diagram and the Brier sentence; without one, the "needs bars" line.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildConfluenceInputs,
  calibrateConfluence,
  confluenceWindowLabels,
  scoreConfluence,
  type ConfluenceCalibration,
} from '../src/confluence/index.js';
import { barsToSessions } from '../src/detect/sessions.js';
import { evalSeriesFromBars } from '../src/evaluate/index.js';
import { renderDashboard, type ConfluenceCalibrationView } from '../src/report/index.js';
import { esc } from '../src/report/html.js';
import {
  CALIBRATION_NEEDS_BARS,
  brierSentence,
  confluenceSection,
} from '../src/report/sections/confluence.js';
import { Rng } from '../src/stats/random.js';
import { generateBars } from '../src/synthetic/index.js';
import { fakeDashboardData } from './report-fixtures.js';

const bars = generateBars(new Rng(1), 20 * 288, { timeframeMs: 300_000 });
const sessions = barsToSessions(bars);
const scored = scoreConfluence({ sessions: buildConfluenceInputs(sessions) });
const labels = confluenceWindowLabels(evalSeriesFromBars(bars, { detect: false }), scored.windows);
const BOOT = { replicates: 400 };
/** The real score on generated bars: no information is expected. */
const REAL: ConfluenceCalibration = calibrateConfluence(scored.windows, labels, { bootstrap: BOOT });
/** The same chain with a score that knows the size of the forward move (its rank, 0–100): it must beat the base rate. */
const sizes = [...labels.move]
  .filter(Number.isFinite)
  .map(Math.abs)
  .sort((a, b) => a - b);
const rankOf = (m: number): number => {
  let lo = 0;
  while (lo < sizes.length && sizes[lo] < m) lo++;
  return (100 * lo) / Math.max(1, sizes.length - 1);
};
const INFORMED: ConfluenceCalibration = calibrateConfluence(
  scored.windows.map((w, i) => ({
    ...w,
    score: Number.isFinite(labels.move[i]) ? rankOf(Math.abs(labels.move[i])) : null,
  })),
  labels,
  { bootstrap: BOOT },
);

const view = fakeDashboardData({ seed: 7, sessions: 3 }).confluence!;
const ZONE = 'ET';
const reliabilitySvg = (html: string): string | undefined =>
  /<svg class="chart"[^>]*data-chart="conf-rel-\d+"[\s\S]*?<\/svg>/.exec(html)?.[0];

describe('report: calibrated confluence', () => {
  test('the fixture calibrations are real and predict test windows', () => {
    for (const c of [REAL, INFORMED]) {
      assert.ok(c.brier.n > 50, `${c.brier.n} labelled test windows`);
      assert.ok(c.brier.days >= 3, `${c.brier.days} test days`);
      assert.ok(c.folds.length > 1);
    }
    const imp = INFORMED.brier.improvement!;
    assert.ok(imp.low !== null && imp.low > 0, `informed score CI [${imp.low}, ${imp.high}]`);
  });

  test('the score is labelled descriptive wherever it is shown', () => {
    const html = confluenceSection(view, ZONE, null)!.html;
    assert.match(html, /A descriptive 0–100 score/);
    assert.match(html, /not a probability/);
    assert.ok(html.includes('Descriptive score per session (0–100)'));
    assert.ok(html.includes('Descriptive score per time window'));
    assert.ok(html.includes('aria-label="Descriptive confluence score per session (0–100)"'));
    assert.ok(html.includes('aria-label="Descriptive confluence score per window, session '));
    assert.ok(html.includes('>Score (descriptive)</text>'));
  });

  test('without a calibration: one line saying the calibrated score needs bars', () => {
    for (const cal of [undefined, null, []]) {
      const html = confluenceSection(view, ZONE, cal)!.html;
      assert.ok(html.includes(CALIBRATION_NEEDS_BARS));
      assert.ok(html.includes('<code>ironforge run --bars FILE</code>'));
      assert.equal(reliabilitySvg(html), undefined);
      assert.ok(!html.includes('conf-cal-sentence'));
    }
  });

  test('with a calibration: outcome, reliability diagram, Brier sentence, test windows, days and folds', () => {
    const cal: ConfluenceCalibrationView[] = [{ source: 'bars/nq.csv', calibration: REAL }];
    const html = confluenceSection(view, ZONE, cal)!.html;
    assert.ok(!html.includes(CALIBRATION_NEEDS_BARS));
    assert.ok(html.includes(esc(REAL.outcomeDoc)));
    assert.ok(html.includes('bars/nq.csv'));
    const svg = reliabilitySvg(html);
    assert.ok(svg, 'reliability SVG present');
    assert.ok(svg.includes('>Mean predicted probability (bin)</text>'));
    assert.ok(svg.includes('>Observed frequency</text>'));
    const filled = REAL.reliability.filter((b) => b.n > 0);
    assert.ok(filled.length >= 1 && filled.length < REAL.reliability.length, 'some bins empty');
    // one tooltip per drawn (non-empty) bin, its n as the point label
    assert.equal((svg.match(/<title>predicted /g) ?? []).length, filled.length);
    for (const b of filled) assert.ok(svg.includes(`>n=${b.n}</text>`), `label n=${b.n}`);
    const sentence = brierSentence(REAL);
    assert.ok(html.includes(esc(sentence)));
    const imp = REAL.brier.improvement!;
    if (imp.low !== null && imp.high !== null && imp.low <= 0 && imp.high >= 0)
      assert.match(sentence, /^No evidence the score carries information/);
    assert.ok(
      html.includes(
        `<div class="tile-label">Test windows</div><div class="tile-value">${REAL.brier.n}</div>`,
      ),
    );
    assert.ok(
      html.includes(
        `<div class="tile-label">Test days</div><div class="tile-value">${REAL.brier.days}</div>`,
      ),
    );
    assert.ok(
      html.includes(`<div class="tile-label">Folds</div><div class="tile-value">${REAL.folds.length}</div>`),
    );
  });

  test('the sentence: beats the base rate when the CI is above 0, no evidence when it includes 0', () => {
    assert.match(brierSentence(INFORMED), /^The calibrated score beats the base rate by /);
    const straddle = structuredClone(INFORMED);
    straddle.brier.improvement = { estimate: 0.001, low: -0.002, high: 0.004, level: 0.95 };
    assert.match(brierSentence(straddle), /^No evidence the score carries information: .*includes 0/);
    const worse = structuredClone(INFORMED);
    worse.brier.improvement = { estimate: -0.01, low: -0.02, high: -0.001, level: 0.95 };
    assert.match(brierSentence(worse), /does worse than the base rate by 0\.0100 .*no evidence/);
    const noCi = structuredClone(INFORMED);
    noCi.brier.improvement = { estimate: 0.01, low: null, high: null, level: 0.95 };
    assert.match(brierSentence(noCi), /too few days for a day-clustered interval, so no evidence/);
  });

  test('the whole page: one pane per bar file, deterministic', () => {
    const data = {
      run: { title: 'calibrated confluence' },
      confluence: view,
      confluenceCalibration: [
        { source: 'a.csv', calibration: REAL },
        { source: 'b.csv', calibration: INFORMED },
      ],
    };
    const html = renderDashboard(data);
    assert.equal(html, renderDashboard(data));
    assert.ok(html.includes('<select data-group="confluence-cal">'));
    assert.equal((html.match(/data-chart="conf-rel-\d+"/g) ?? []).length, 2);
    assert.ok(html.includes(esc(brierSentence(INFORMED))));
  });

  test('bad reliability input is refused naming the field', () => {
    const bad = structuredClone(REAL);
    const j = bad.reliability.findIndex((b) => b.n > 0);
    bad.reliability[j].observed = 1.5;
    assert.throws(
      () => confluenceSection(view, ZONE, [{ source: 'x', calibration: bad }]),
      new RegExp(`confluenceCalibration\\[0\\]\\.calibration\\.reliability\\[${j}\\]\\.observed = 1\\.5`),
    );
  });
});
