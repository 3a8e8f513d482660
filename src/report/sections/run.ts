/** Run overview: key facts, versions and per-stage timings (table + bar chart). */
import { axisStyle, renderChartSvg } from '../chart.js';
import { esc, fmtInt, fmtMs } from '../html.js';
import { figure, panel, tiles, type SectionHtml } from '../layout.js';
import { ACCENT } from '../palette.js';
import type { RunInfo } from '../types.js';

function checkRun(run: RunInfo): void {
  if (!run || typeof run.title !== 'string') throw new Error('dashboard: run.title must be a string');
  run.timings?.forEach((t, i) => {
    if (typeof t.stage !== 'string') throw new Error(`dashboard: run.timings[${i}].stage must be a string`);
    if (!(Number.isFinite(t.ms) && t.ms >= 0))
      throw new Error(`dashboard: run.timings[${i}].ms = ${String(t.ms)}, expected a finite number ≥ 0`);
  });
}

function timingChart(timings: NonNullable<RunInfo['timings']>): string {
  const stages = timings.map((t) => t.stage);
  const height = 60 + 26 * timings.length;
  return renderChartSvg({
    id: 'run-timings',
    width: 440,
    height,
    label: 'Wall time per stage',
    option: {
      grid: { left: 80, right: 64, top: 8, bottom: 40 },
      xAxis: { type: 'value', ...axisStyle('seconds', { nameGap: 24 }) },
      yAxis: {
        type: 'category',
        data: stages,
        inverse: true,
        ...axisStyle('', { splitLine: { show: false } }),
      },
      series: [
        {
          type: 'bar',
          data: timings.map((t) => t.ms / 1000),
          barMaxWidth: 16,
          itemStyle: { color: ACCENT },
          label: {
            show: true,
            position: 'right',
            color: '#52606d',
            fontSize: 10,
            formatter: (p: { dataIndex: number }) => fmtMs(timings[p.dataIndex].ms),
          },
        },
      ],
    },
    tip: (_s, d) => `${timings[d].stage}: ${fmtMs(timings[d].ms)}`,
  });
}

/** The run section (always present: `run` is the one required field). */
export function runSection(run: RunInfo): SectionHtml {
  checkRun(run);
  const facts: { label: string; value: string }[] = [];
  if (run.instrument !== undefined) facts.push({ label: 'Instrument', value: run.instrument });
  if (run.dataRange !== undefined)
    facts.push({ label: 'Data range', value: `${run.dataRange.first} … ${run.dataRange.last}` });
  if (run.date !== undefined) facts.push({ label: 'Run', value: run.date });
  if (run.seed !== undefined) facts.push({ label: 'Seed', value: String(run.seed) });
  if (run.kernel !== undefined) facts.push({ label: 'Attention kernel', value: run.kernel });
  if (run.nullModel !== undefined || run.nulls !== undefined)
    facts.push({
      label: 'Null model',
      value: [run.nullModel, run.nulls !== undefined ? `${fmtInt(run.nulls)} nulls` : undefined]
        .filter((x) => x !== undefined)
        .join(' · '),
    });
  if (run.encoder !== undefined) facts.push({ label: 'Encoder', value: run.encoder });
  if (run.patternFeatures !== undefined)
    facts.push({ label: 'Pattern features', value: run.patternFeatures });
  if (run.inputFiles !== undefined) facts.push({ label: 'Input files', value: fmtInt(run.inputFiles) });
  if (run.timings && run.timings.length > 0)
    facts.push({ label: 'Total stage time', value: fmtMs(run.timings.reduce((a, t) => a + t.ms, 0)) });

  const blocks: string[] = [];
  const types = run.sessionsByType ? Object.keys(run.sessionsByType) : [];
  if (types.length > 0) {
    const rows = types.map(
      (k) =>
        `<tr><th scope="row">${esc(k)}</th><td class="num">${esc(fmtInt(run.sessionsByType![k]))}</td></tr>`,
    );
    blocks.push(
      `<div class="card"><h3>Sessions per type</h3><table class="kv">${rows.join('')}</table></div>`,
    );
  }
  if (run.inputFileList && run.inputFileList.length > 0) {
    const items = run.inputFileList.map((f) => `<li class="mono">${esc(f)}</li>`).join('');
    blocks.push(
      `<div class="card"><h3>Input files</h3><details class="files"><summary>${esc(fmtInt(run.inputFileList.length))} files</summary>` +
        `<ul class="files">${items}</ul></details></div>`,
    );
  }
  const versions = run.versions ? Object.keys(run.versions).sort() : [];
  if (versions.length > 0) {
    const rows = versions.map(
      (k) => `<tr><th scope="row">${esc(k)}</th><td class="mono">${esc(run.versions![k])}</td></tr>`,
    );
    blocks.push(`<div class="card"><h3>Versions</h3><table class="kv">${rows.join('')}</table></div>`);
  }
  if (run.timings && run.timings.length > 0) {
    const rows = run.timings.map(
      (t) => `<tr><th scope="row">${esc(t.stage)}</th><td class="num">${esc(fmtMs(t.ms))}</td></tr>`,
    );
    blocks.push(`<div class="card"><h3>Stage timings</h3><table class="kv">${rows.join('')}</table></div>`);
    blocks.push(
      `<div class="card chart-card"><h3>Wall time per stage</h3>${figure(timingChart(run.timings), '')}</div>`,
    );
  }
  if (run.notes && run.notes.length > 0)
    blocks.push(
      `<div class="card notes-card"><h3>Notes</h3><ul class="notes">${run.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></div>`,
    );

  return panel(
    'run',
    'Run',
    '',
    tiles(facts) + (blocks.length ? `<div class="run-grid">${blocks.join('')}</div>` : ''),
  );
}
