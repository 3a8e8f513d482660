/**
 * Confluence: the descriptive 0–100 score per session (bar chart) and, for a chosen session, per time window
 * (line over the session clock); null scores are gaps, not zeros. The score is a weighted mean of causal
 * components, not a probability, and is labelled "descriptive" wherever it is shown.
 *
 * Below it, the calibrated confluence (src/confluence calibrate.ts) per bar file: the stated outcome, the
 * reliability diagram of the walk-forward probability, its Brier score against the base rate (climatology) with the
 * day-clustered CI of the improvement in one plain sentence, and the test windows, days and folds. Without a
 * calibration (a run on records, not bars) one line says the calibrated score needs bars.
 */
import { axisStyle, renderChartSvg } from '../chart.js';
import { clockAxis, clockOffsetMs } from '../clock.js';
import { esc, fmtInt, fmtNum, fmtPct } from '../html.js';
import { figure, panel, switcher, tiles, type SectionHtml } from '../layout.js';
import { ACCENT, MUTED } from '../palette.js';
import type { ConfluenceCalibrationView, ConfluenceView, ConfluenceWindowPoint } from '../types.js';

/** The line shown when the run has no calibrated confluence. */
export const CALIBRATION_NEEDS_BARS =
  `<p class="note conf-cal-none">No calibrated confluence in this run: the calibrated score (a walk-forward ` +
  `probability of a stated outcome) needs bars — <code>ironforge run --bars FILE</code>. The score above is ` +
  `descriptive only.</p>`;

const DIAGONAL_COLOR = '#9aa5b1';
const BASE_RATE_COLOR = '#d68910';

function checkScore(v: number | null, where: string): void {
  if (v !== null && !(Number.isFinite(v) && v >= 0 && v <= 100))
    throw new Error(`dashboard: ${where} = ${String(v)}, expected null or a number in 0..100`);
}

function sessionBars(rows: ConfluenceView['sessions']): string {
  const width = Math.max(560, Math.min(1120, 140 + rows.length * 26));
  // Rotated category labels need room below the plot in proportion to the longest session id.
  const longest = Math.max(...rows.map((r) => r.sessionId.length), 1);
  const bottom = Math.min(160, 30 + Math.ceil(longest * 5));
  return renderChartSvg({
    id: 'conf-sessions',
    width,
    height: 220 + bottom,
    label: 'Descriptive confluence score per session (0–100)',
    option: {
      grid: { left: 56, right: 16, top: 16, bottom },
      xAxis: {
        type: 'category',
        data: rows.map((r) => r.sessionId),
        ...axisStyle('', {
          axisTick: { show: false },
          splitLine: { show: false },
          axisLabel: { color: '#52606d', fontSize: 9, rotate: 55, interval: 0 },
        }),
      },
      yAxis: {
        type: 'value',
        min: 0,
        max: 100,
        interval: 20,
        ...axisStyle('Score (descriptive)', { nameGap: 34 }),
      },
      series: [
        { type: 'bar', data: rows.map((r) => r.score), barMaxWidth: 26, itemStyle: { color: ACCENT } },
      ],
    },
    tip: (_s, d) =>
      rows[d] ? `${rows[d].sessionId}: ${fmtNum(rows[d].score)} (descriptive score)` : undefined,
  });
}

function windowLine(sessionId: string, points: ConfluenceWindowPoint[], index: number, zone: string): string {
  const offset = clockOffsetMs(points.map((p) => ({ t: p.start, clock: p.clock })));
  let tMin = Infinity;
  let tMax = -Infinity;
  for (const p of points) {
    tMin = Math.min(tMin, p.start);
    tMax = Math.max(tMax, p.start);
  }
  const axis = clockAxis(offset, tMin, tMax);
  return renderChartSvg({
    id: `conf-w-${index}`,
    width: 1120,
    height: 280,
    label: `Descriptive confluence score per window, session ${sessionId}`,
    option: {
      grid: { left: 56, right: 24, top: 20, bottom: 46 },
      xAxis: {
        type: 'value',
        min: axis.min,
        max: axis.max,
        interval: axis.step,
        ...axisStyle(axis.fromClock ? `Window start (${zone})` : 'Window start (UTC)', {
          nameGap: 28,
          axisLabel: { color: '#52606d', fontSize: 10, formatter: axis.label },
        }),
      },
      yAxis: {
        type: 'value',
        min: 0,
        max: 100,
        interval: 20,
        ...axisStyle('Score (descriptive)', { nameGap: 34 }),
      },
      series: [
        {
          type: 'line',
          data: points.map((p) => [axis.toMinutes(p.start), p.score]),
          connectNulls: false,
          symbol: 'circle',
          symbolSize: 5,
          lineStyle: { color: ACCENT, width: 1.6 },
          itemStyle: { color: ACCENT },
          areaStyle: { color: 'rgba(31,78,121,0.08)' },
        },
      ],
    },
    tip: (_s, d) =>
      points[d] ? `${points[d].clock}: ${fmtNum(points[d].score)} (descriptive score)` : undefined,
  });
}

type Calibration = ConfluenceCalibrationView['calibration'];

function plural(n: number, one: string, many = `${one}s`): string {
  return `${fmtInt(n)} ${n === 1 ? one : many}`;
}

/** A Brier score or difference: 4 decimals (they live in 0..0.25 and differ in the 3rd–4th); tiny ones scientific. */
export function fmtBrier(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v === 0 || Math.abs(v) >= 5e-5 ? v.toFixed(4) : v.toExponential(1);
}

const isShare = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;

function checkCalibration(v: ConfluenceCalibrationView, i: number): void {
  const at = `confluenceCalibration[${i}]`;
  const c = v?.calibration;
  if (!c || typeof c !== 'object') throw new Error(`dashboard: ${at}.calibration must be an object`);
  if (!Array.isArray(c.reliability))
    throw new Error(`dashboard: ${at}.calibration.reliability must be an array`);
  if (!Array.isArray(c.folds)) throw new Error(`dashboard: ${at}.calibration.folds must be an array`);
  if (!c.brier || typeof c.brier !== 'object')
    throw new Error(`dashboard: ${at}.calibration.brier must be an object`);
  c.reliability.forEach((b, j) => {
    if (!(Number.isInteger(b.n) && b.n >= 0))
      throw new Error(
        `dashboard: ${at}.calibration.reliability[${j}].n = ${String(b.n)}, expected an integer ≥ 0`,
      );
    if (b.n === 0) return;
    for (const k of ['meanPredicted', 'observed'] as const)
      if (!isShare(b[k]))
        throw new Error(
          `dashboard: ${at}.calibration.reliability[${j}].${k} = ${String(b[k])}, expected a number in 0..1`,
        );
  });
}

/** The bins drawn: those with windows (empty bins are skipped). */
function filledBins(c: Calibration): Calibration['reliability'] {
  return c.reliability.filter((b) => b.n > 0 && b.meanPredicted !== null && b.observed !== null);
}

/** Reliability diagram: observed frequency against mean predicted probability per bin, marker area ∝ n. */
function reliabilityChart(c: Calibration, index: number): string {
  const bins = filledBins(c);
  const maxN = Math.max(1, ...bins.map((b) => b.n));
  const rate = c.brier.observedRate;
  const ticks = { color: MUTED, fontSize: 10, formatter: (v: number) => fmtNum(v) };
  return renderChartSvg({
    id: `conf-rel-${index}`,
    width: 520,
    height: 440,
    label:
      'Reliability diagram of the calibrated confluence: observed frequency against mean predicted probability',
    option: {
      grid: { left: 64, right: 24, top: 16, bottom: 52 },
      xAxis: {
        type: 'value',
        min: 0,
        max: 1,
        interval: 0.1,
        ...axisStyle('Mean predicted probability (bin)', { nameGap: 30, axisLabel: ticks }),
      },
      yAxis: {
        type: 'value',
        min: 0,
        max: 1,
        interval: 0.1,
        ...axisStyle('Observed frequency', { nameGap: 40, axisLabel: ticks }),
      },
      series: [
        {
          type: 'line',
          silent: true,
          data: [
            [0, 0],
            [1, 1],
          ],
          symbol: 'none',
          lineStyle: { color: DIAGONAL_COLOR, width: 1.2, type: 'dashed' },
          z: 1,
        },
        {
          type: 'line',
          silent: true,
          data:
            rate !== null && isShare(rate)
              ? [
                  [0, rate],
                  [1, rate],
                ]
              : [],
          symbol: 'none',
          lineStyle: { color: BASE_RATE_COLOR, width: 1.2, type: 'dotted' },
          z: 1,
        },
        {
          type: 'scatter',
          data: bins.map((b) => [b.meanPredicted!, b.observed!, b.n]),
          symbolSize: (v: number[]) => 6 + 18 * Math.sqrt(v[2] / maxN),
          itemStyle: { color: ACCENT, opacity: 0.85 },
          label: {
            show: true,
            position: 'right',
            color: MUTED,
            fontSize: 10,
            formatter: (p: { value?: unknown }) => `n=${fmtInt((p.value as number[])[2])}`,
          },
          z: 3,
        },
      ],
    },
    tip: (s, d) => {
      const b = bins[d];
      if (s !== 2 || !b) return undefined;
      return (
        `predicted ${fmtNum(b.lo)}–${fmtNum(b.hi)}: ${plural(b.n, 'window')}, mean predicted ` +
        `${fmtNum(b.meanPredicted)}, observed ${fmtNum(b.observed)}`
      );
    },
  });
}

/** The plain sentence on whether the calibrated score beats the base rate. */
export function brierSentence(c: Calibration): string {
  const b = c.brier;
  const imp = b.improvement;
  if (b.n === 0 || !imp)
    return (
      'No test window has both a calibrated probability and a known outcome, so there is no evidence the score ' +
      'carries information.'
    );
  const level = `${Math.round(imp.level * 100)}%`;
  const brier =
    `Brier score ${fmtBrier(b.model)} for the calibrated probability against ${fmtBrier(b.climatology)} for the ` +
    `base rate`;
  if (imp.low === null || imp.high === null)
    return (
      `${brier} (improvement ${fmtBrier(imp.estimate)}), on ${plural(b.days, 'test day')}: too few days for a ` +
      `day-clustered interval, so no evidence the score carries information.`
    );
  const ci = `${level} CI [${fmtBrier(imp.low)}, ${fmtBrier(imp.high)}], days resampled as a whole`;
  if (imp.low > 0)
    return (
      `The calibrated score beats the base rate by ${fmtBrier(imp.estimate)} in Brier score (${ci}; skill ` +
      `${fmtPct(b.skill)}): ${brier}.`
    );
  if (imp.high < 0)
    return (
      `The calibrated score does worse than the base rate by ${fmtBrier(-imp.estimate)} in Brier score (${ci}): ` +
      `${brier}; no evidence the score carries information.`
    );
  return (
    `No evidence the score carries information: the Brier improvement over the base rate is ` +
    `${fmtBrier(imp.estimate)} (${ci}), an interval that includes 0; ${brier}.`
  );
}

function calibrationPane(v: ConfluenceCalibrationView, index: number): string {
  const c = v.calibration;
  const b = c.brier;
  const wf = c.walkForward;
  const skipped = c.folds.filter((f) => f.skipped !== null);
  const predicted = c.folds.reduce((a, f) => a + f.nTest, 0);
  const imp = b.improvement;
  const level = imp ? `${Math.round(imp.level * 100)}%` : '';
  const setup =
    `${c.method === 'logistic' ? 'Logistic' : 'Isotonic'} calibration of the descriptive score, rolling-origin ` +
    `walk-forward by trading day in ${plural(c.folds.length, 'fold')} (first training window ` +
    `${plural(wf.minTrainDays, 'day')}, test blocks of ${plural(wf.testDays, 'day')}, embargo ` +
    `${plural(wf.embargoDays, 'day')}): the outcome threshold, the calibrator and the base rate are fitted on each ` +
    `fold's training days only. ${plural(predicted, 'test window')} predicted; ${plural(b.n, 'test window')} ` +
    `with a known outcome on ${plural(b.days, 'test day')} (observed rate ${fmtPct(b.observedRate)}).` +
    (skipped.length > 0
      ? ` ${plural(skipped.length, 'fold')} fitted nothing: ${skipped
          .slice(0, 3)
          .map((f) => f.skipped)
          .join('; ')}${skipped.length > 3 ? '; …' : ''}.`
      : '');
  const bins = filledBins(c);
  const chart =
    bins.length > 0
      ? figure(
          reliabilityChart(c, index),
          `Reliability: one point per bin of predicted probability (${plural(c.reliability.length, 'bin')}, ` +
            `${plural(c.reliability.length - bins.length, 'empty bin')} left out), at the bin's mean predicted ` +
            `probability and its observed frequency; marker size and label = windows in the bin. Dashed: the ` +
            `diagonal (perfect calibration); dotted: the outcome's observed rate on these test windows.`,
        )
      : `<p class="note">No test window to draw a reliability diagram from.</p>`;
  return (
    `<div class="pane-meta"><span>from</span><span class="mono strong">${esc(v.source)}</span></div>` +
    `<p><span class="strong">Outcome:</span> ${esc(c.outcomeDoc)}.</p>` +
    `<p class="headline conf-cal-sentence">${esc(brierSentence(c))}</p>` +
    tiles([
      { label: 'Brier, calibrated', value: fmtBrier(b.model) },
      { label: 'Brier, base rate', value: fmtBrier(b.climatology) },
      {
        label: imp ? `Improvement [${level} CI]` : 'Improvement',
        value: imp ? `${fmtBrier(imp.estimate)} [${fmtBrier(imp.low)}, ${fmtBrier(imp.high)}]` : '—',
        tone: imp && imp.low !== null && imp.low > 0 ? 'good' : '',
      },
      { label: 'Test windows', value: fmtInt(b.n) },
      { label: 'Test days', value: fmtInt(b.days) },
      { label: 'Folds', value: fmtInt(c.folds.length) },
    ]) +
    chart +
    `<p class="note">${esc(setup)}</p>`
  );
}

/** The calibrated-confluence block: one pane per bar file, or the "needs bars" line. */
function calibrationBlock(cal: readonly ConfluenceCalibrationView[] | null | undefined): string {
  const head = `<h3>Calibrated probability (walk-forward)</h3>`;
  if (!cal || cal.length === 0) return head + CALIBRATION_NEEDS_BARS;
  cal.forEach((v, i) => checkCalibration(v, i));
  const legend =
    `<p class="note">The descriptive score turned into an out-of-sample probability of a stated outcome, ` +
    `scored against the base rate (climatology: the share of the outcome on each fold's training days).</p>`;
  if (cal.length === 1) return head + legend + calibrationPane(cal[0], 0);
  return (
    head +
    legend +
    switcher(
      'confluence-cal',
      'Bar file',
      cal.map((v, i) => ({ label: v.source, html: calibrationPane(v, i) })),
    )
  );
}

/**
 * The confluence section, or null when there are no scores. `calibration`: the calibrated confluence per bar
 * file; absent, null or empty → one line saying it needs bars.
 */
/** Sessions with a per-window chart (the most recent ones; the rest are named with where to find them). */
export const CONFLUENCE_WINDOW_SESSIONS = 20;

export function confluenceSection(
  view: ConfluenceView | undefined,
  zone: string,
  calibration?: readonly ConfluenceCalibrationView[] | null,
): SectionHtml | null {
  if (!view || (view.sessions.length === 0 && (!view.windows || view.windows.length === 0))) return null;
  view.sessions.forEach((r, i) => checkScore(r.score, `confluence.sessions[${i}].score`));
  const parts: string[] = [];
  const top: string[] = [];
  if (view.sessions.length > 0)
    top.push(
      figure(
        sessionBars(view.sessions),
        'Descriptive score per session (0–100): the weighted mean of the causal components, not a probability; ' +
          'a gap means not scored.',
      ),
    );
  if (view.weights && Object.keys(view.weights).length > 0) {
    const keys = Object.keys(view.weights).sort();
    top.push(
      `<div class="card"><h3>Component weights</h3><table class="kv">` +
        keys
          .map(
            (k) =>
              `<tr><th scope="row">${esc(k)}</th><td class="num">${esc(fmtNum(view.weights![k]))}</td></tr>`,
          )
          .join('') +
        `</table></div>`,
    );
  }
  if (top.length > 0) parts.push(`<div class="split">${top.join('')}</div>`);
  const bySession = new Map<string, ConfluenceWindowPoint[]>();
  view.windows?.forEach((w, i) => {
    checkScore(w.score, `confluence.windows[${i}].score`);
    if (!Number.isFinite(w.start))
      throw new Error(`dashboard: confluence.windows[${i}].start = ${String(w.start)}, expected UTC ms`);
    const list = bySession.get(w.sessionId) ?? [];
    list.push(w);
    bySession.set(w.sessionId, list);
  });
  if (bySession.size > 0) {
    // the most recent sessions (input order is time order); each chart is ~12 KB of SVG
    const all = [...bySession.entries()];
    const shown = all.slice(-CONFLUENCE_WINDOW_SESSIONS);
    const choices = shown.map(([id, pts], i) => {
      const sorted = [...pts].sort((a, b) => a.start - b.start);
      return {
        label: id,
        html: `<div class="pane-meta"><span class="mono strong">${esc(id)}</span><span>${sorted.length} windows</span></div>${figure(windowLine(id, sorted, i, zone), '')}`,
      };
    });
    const capNote =
      shown.length < all.length
        ? `<p class="note">Window charts of the ${fmtInt(shown.length)} most recent of ${fmtInt(all.length)} sessions; ` +
          `every session's windows are in confluence/windows.parquet of the run directory and in <code>ironforge score --run DIR</code>.</p>`
        : '';
    parts.push(
      `<h3>Descriptive score per time window</h3>${capNote}${switcher('confluence', 'Session', choices)}`,
    );
  }
  parts.push(calibrationBlock(calibration));
  return panel(
    'confluence',
    'Confluence',
    'A descriptive 0–100 score: the weighted mean of the configured causal components; higher means more ' +
      'independent signals line up. It is not a probability: for that, see the calibrated probability ' +
      '(walk-forward, needs bars) below.',
    parts.join(''),
  );
}
