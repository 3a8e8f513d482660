/**
 * Evaluation-stage benchmark (src/evaluate): what the event study, the outcome table and the session-range oracle
 * cost on seeded generated one-minute bars (`generateBars`, 24 h a day, New York calendar), single thread.
 *
 * 1. Phases on --bars N bars (default 1,000,000 ≈ 694 days), each piece called on its own so the split is honest:
 *      bars → series       evalSeriesFromBars: session split + trading days (sessions only), then with detectors
 *      outcome table       outcomeTable, the default horizons (5, 15, 30, 60 min, close, session)
 *      signals             eventSignals (one signal per detector label and kind)
 *      event study         eventStudy with those signals and the fold-fitted baselines, as evaluate() calls it
 *      evaluate            evaluate(series, {oracle: false}) = outcome table + signals + event study + headline
 *      oracle              sessionRangeOracle with evaluate()'s options
 *    Throughput: signals evaluated (inTest > 0) × horizons per second of evaluate(), and cells (rows) per second.
 * 2. Peers measured in the same run, with the ratio:
 *      the path outcomes (5, 15, 30, 60 min, close) by outcomeTable against a naive float64 per-bar loop written
 *      here (one forward scan per bar and horizon; parity checked: fround(naive) must equal the table's float32);
 *      the event study with every signal against the same study restricted to one signal (label:swing_high, no
 *      baselines): what the per-fold fixed work costs against the per-signal work.
 * 3. One year of one-minute bars (350,000 ≈ 243 days of 24 h): detectors + evaluate() with the oracle, wall and
 *    CPU seconds, against the target of 60 s on one core (information, never an assertion).
 * Warm-up: every piece once on a 30-day series first. Each trial starts after a forced GC (--expose-gc, which
 * `npm run bench` passes). min and median over --repeats trials.
 *
 *   npm run bench -- evaluate [--bars N] [--repeats K] [--year] [--quick] [--json]
 *     --year   only the year run;  --quick  100,000 bars and a 100,000-bar "year" (smoke check, no verdict)
 */
import { cpus, loadavg } from 'node:os';
import { DEFAULT_EVAL_HORIZONS, DEFAULT_ORACLE_COVERAGE, DEFAULT_ORACLE_MINUTES } from '../src/core/index.js';
import type { Bars, SessionSegments } from '../src/detect/index.js';
import {
  baselineSignals,
  evalSeriesFromBars,
  evaluate,
  type EvalSeries,
  eventSignals,
  eventStudy,
  type EvaluationResult,
  type FoldContext,
  type Horizon,
  outcomeTable,
  resolveEffectOptions,
  sessionRangeOracle,
  type Signal,
} from '../src/evaluate/index.js';
import { Rng } from '../src/stats/index.js';
import { generateBars } from '../src/synthetic/index.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const has = (name: string): boolean => process.argv.includes(name);

const asJson = has('--json');
const quick = has('--quick');
const yearOnly = has('--year');
const nBars = quick ? 100_000 : Number(arg('--bars') ?? 1_000_000);
const repeats = Number(arg('--repeats') ?? 3);
const YEAR_BARS = quick ? 100_000 : 350_000;
const YEAR_TARGET_S = 60;
const SEED = 20250729;
const MINUTE = 60_000;
if (!Number.isInteger(nBars) || nBars < 20_000)
  throw new Error(
    `--bars must be an integer ≥ 20000 (≈ 14 days, enough for walk-forward folds), got ${arg('--bars')}`,
  );
if (!Number.isInteger(repeats) || repeats < 1)
  throw new Error(`--repeats must be a positive integer, got ${arg('--repeats')}`);

const gc = (globalThis as { gc?: () => void }).gc;
const log = (s: string): void => {
  if (!asJson) process.stdout.write(s + '\n');
};

interface Timing {
  /** Wall ms per trial, in trial order. */
  ms: number[];
  /** CPU ms (user + system, all threads of the process: GC helpers included) per trial. */
  cpuMs: number[];
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs `fn` `k` times after a forced GC each; returns the timings and the last result. */
function time<T>(fn: () => T, k = repeats): Timing & { last: T } {
  const ms: number[] = [];
  const cpuMs: number[] = [];
  let last!: T;
  for (let i = 0; i < k; i++) {
    gc?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    last = fn();
    ms.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuMs.push((c.user + c.system) / 1000);
  }
  return { ms, cpuMs, last };
}

// ---------------------------------------------------------------------------------------------------------------
// The pieces, called as evaluate() calls them.

const HORIZONS: readonly Horizon[] = DEFAULT_EVAL_HORIZONS;
const PATH_HORIZONS: readonly Horizon[] = HORIZONS.filter((h) => h !== 'session');

function studyInputs(series: EvalSeries) {
  const opts = resolveEffectOptions(series, {});
  const foldSignals = (ctx: FoldContext): Signal[] =>
    baselineSignals(series.bars, ctx.recentVol, ctx.volCuts[1]);
  const oracleOpts = {
    minutes: DEFAULT_ORACLE_MINUTES,
    coverage: DEFAULT_ORACLE_COVERAGE,
    walkForward: opts.walkForward,
  };
  return { opts, foldSignals, oracleOpts };
}

/**
 * The naive reference of the path outcomes: for every bar and horizon, one plain forward scan from the entry bar
 * to the exit, float64 out (one array per outcome × horizon, `ret up mfe mae range rv` per horizon). Same
 * convention as outcomes.ts (entry = next bar's open in the same session; as-of exit; NaN beyond the session).
 */
function naivePathOutcomes(bars: Bars, seg: SessionSegments, horizons: readonly Horizon[]): Float64Array[] {
  const { n, t, open, high, low, close } = bars;
  const tf = bars.timeframeMs;
  const out: Float64Array[] = [];
  for (const h of horizons) {
    const ret = new Float64Array(n).fill(NaN);
    const up = new Float64Array(n).fill(NaN);
    const mfe = new Float64Array(n).fill(NaN);
    const mae = new Float64Array(n).fill(NaN);
    const range = new Float64Array(n).fill(NaN);
    const rv = new Float64Array(n).fill(NaN);
    for (let b = 0; b + 1 < n; b++) {
      const s = seg.sessionOfBar[b];
      if (s < 0 || seg.sessionOfBar[b + 1] !== s) continue;
      const entryT = t[b + 1];
      const exitT = h === 'close' ? seg.windowEnd[s] : entryT + (h as number) * MINUTE;
      if (exitT > seg.windowEnd[s]) continue;
      const px = open[b + 1];
      let hi = -Infinity;
      let lo = Infinity;
      let ss = 0;
      let prev = px;
      let j = -1;
      for (let k = b + 1; k < n && seg.sessionOfBar[k] === s && t[k] + tf <= exitT; k++) {
        hi = Math.max(hi, high[k]);
        lo = Math.min(lo, low[k]);
        ss += (close[k] - prev) ** 2;
        prev = close[k];
        j = k;
      }
      if (j < 0) continue;
      ret[b] = close[j] - px;
      up[b] = ret[b] > 0 ? 1 : 0;
      mfe[b] = hi - px;
      mae[b] = px - lo;
      range[b] = hi - lo;
      rv[b] = Math.sqrt(ss);
    }
    out.push(ret, up, mfe, mae, range, rv);
  }
  return out;
}

/** Values where fround(naive) differs from the table's float32 (NaN = NaN). */
function parityMismatches(
  naive: readonly Float64Array[],
  table: readonly { values: Float32Array }[],
): number {
  if (naive.length !== table.length) return Infinity;
  let bad = 0;
  naive.forEach((v, c) => {
    const w = table[c].values;
    for (let b = 0; b < v.length; b++) if (!Object.is(Math.fround(v[b]), w[b])) bad++;
  });
  return bad;
}

// ---------------------------------------------------------------------------------------------------------------

interface Row {
  phase: string;
  minMs: number;
  medianMs: number;
  /** Work units per second from the min and the median (bars/s unless `unit` says otherwise). */
  perSecMin: number;
  perSecMedian: number;
  /** Median CPU ms of the process over the trials (the host is shared: wall > CPU means waiting for a core). */
  cpuMedianMs: number;
  unit: string;
  note: string;
}

function row(phase: string, tm: Timing, units: number, unit: string, note = ''): Row {
  const min = Math.min(...tm.ms);
  const med = median(tm.ms);
  return {
    phase,
    minMs: min,
    medianMs: med,
    perSecMin: units / (min / 1000),
    perSecMedian: units / (med / 1000),
    cpuMedianMs: median(tm.cpuMs),
    unit,
    note,
  };
}

function fmtRate(x: number): string {
  return x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e4 ? `${(x / 1e3).toFixed(0)}k` : x.toFixed(1);
}

function printRows(rows: readonly Row[]): void {
  const header = ['phase', 'min ms', 'median ms', 'cpu ms', 'per s (min)', 'per s (median)', 'unit', 'note'];
  const table = rows.map((r) => [
    r.phase,
    r.minMs.toFixed(0),
    r.medianMs.toFixed(0),
    r.cpuMedianMs.toFixed(0),
    fmtRate(r.perSecMin),
    fmtRate(r.perSecMedian),
    r.unit,
    r.note,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...table.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r
      .map((x, c) => (c === 0 || c >= 6 ? x.padEnd(widths[c]) : x.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  log(line(header));
  log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of table) log(line(r));
}

const cpuModel = cpus()[0]?.model ?? 'unknown cpu';
const load0 = loadavg()[0];
const command = `npm run bench -- evaluate ${process.argv.slice(2).join(' ')}`.trimEnd();
log(
  `# evaluate bench — ${cpuModel}, ${cpus().length} cores (the benchmark is single-threaded), node ${process.version}, load ${load0.toFixed(2)}`,
);
log(`# ${command}`);
log(
  `# repeats ${repeats}, a forced GC before each${gc ? '' : ' (NOT available: run with --expose-gc)'}; warm-up: every piece once on 30 days of bars; cpu ms = median process CPU time (wall > CPU: waiting for a core)`,
);

// Warm-up on a small series: the same functions get compiled before any timed run.
{
  const wb = generateBars(new Rng(SEED - 1), 30 * 1440, { timeframeMs: MINUTE });
  const ws = evalSeriesFromBars(wb, { source: 'generated' });
  const { opts, foldSignals, oracleOpts } = studyInputs(ws);
  const wt = outcomeTable(ws.bars, ws.segments, ws.events, { horizons: HORIZONS });
  eventStudy(ws, wt, eventSignals(ws.events!), opts, foldSignals);
  naivePathOutcomes(ws.bars, ws.segments, PATH_HORIZONS);
  evaluate(ws, { oracle: false });
  sessionRangeOracle(ws, oracleOpts);
}

const report: Record<string, unknown> = {
  bench: 'evaluate',
  node: process.version,
  cpu: cpuModel,
  cores: cpus().length,
  command,
  repeats,
  loadStart: load0,
};

if (!yearOnly) {
  const bars = generateBars(new Rng(SEED), nBars, { timeframeMs: MINUTE });
  const tSessions = time(() => evalSeriesFromBars(bars, { detect: false, source: 'generated' }));
  const tSeries = time(() => evalSeriesFromBars(bars, { source: 'generated' }));
  const series = tSeries.last;
  const seg = series.segments;
  const { opts, foldSignals, oracleOpts } = studyInputs(series);
  const tTable = time(() => outcomeTable(bars, seg, series.events, { horizons: HORIZONS }));
  const table = tTable.last;
  const tSignals = time(() => eventSignals(series.events!));
  const signals = tSignals.last;
  const tStudy = time(() => eventStudy(series, table, signals, opts, foldSignals));
  const tEval = time(() => evaluate(series, { oracle: false }));
  const res: EvaluationResult = tEval.last;
  const tOracle = time(() => sessionRangeOracle(series, oracleOpts));

  // peers
  const tPathTable = time(() => outcomeTable(bars, seg, series.events, { horizons: PATH_HORIZONS }));
  const tNaive = time(() => naivePathOutcomes(bars, seg, PATH_HORIZONS));
  const mismatches = parityMismatches(tNaive.last, tPathTable.last.columns);
  const one = signals.find((s) => s.name === 'label:swing_high') ?? signals[0];
  const tOne = time(() => eventStudy(series, table, [one], opts));

  const evaluated = res.signals.filter((s) => s.inTest > 0).length;
  const baselinesEvaluated = res.signals.filter((s) => s.inTest > 0 && s.source === 'baseline').length;
  const neverInTest = res.signals.filter((s) => s.inTest === 0).map((s) => s.name);
  const H = res.horizons.length;
  const cells = res.rows.length;
  const study = tStudy.last;
  if (study.rows.length !== cells)
    log(
      `! eventStudy gave ${study.rows.length} rows, evaluate ${cells}: the split does not match evaluate()`,
    );
  const oneEvaluated = tOne.last.signals.filter((s) => s.inTest > 0).length;
  const n = nBars;
  const rows: Row[] = [
    row(
      'bars → series (sessions only)',
      tSessions,
      n,
      'bars',
      `${seg.count} sessions, ${series.days.length} days`,
    ),
    row('bars → series (sessions + detectors)', tSeries, n, 'bars', `${series.events!.n} events`),
    row('outcome table (6 horizons)', tTable, n, 'bars', `${table.columns.length} columns`),
    row(
      'signals (detector labels, kinds)',
      tSignals,
      n,
      'bars',
      `${signals.length} signals, ${neverInTest.length} never on an eligible test bar`,
    ),
    row(
      'event study (eventStudy)',
      tStudy,
      evaluated * H,
      'signal×horizon',
      `${evaluated} signals (${baselinesEvaluated} baselines) × ${H} horizons, ${res.folds.length} folds`,
    ),
    row(
      'evaluate (oracle: false)',
      tEval,
      evaluated * H,
      'signal×horizon',
      'table + signals + study + headline',
    ),
    row('  same, cells', tEval, cells, 'cells', `${cells} rows (signal × horizon × outcome)`),
    row(
      'oracle (sessionRangeOracle)',
      tOracle,
      seg.count,
      'sessions',
      `${tOracle.last.n} predicted, ${tOracle.last.folds} folds`,
    ),
  ];
  const peers: Row[] = [
    row(
      'outcome table, path outcomes (5 horizons)',
      tPathTable,
      n,
      'bars',
      `${tPathTable.last.columns.length} columns, float32`,
    ),
    row(
      'naive float64 per-bar loop, same outcomes',
      tNaive,
      n,
      'bars',
      mismatches === 0 ? 'parity: every value equal (fround)' : `PARITY: ${mismatches} values differ`,
    ),
    row('event study, all signals', tStudy, evaluated, 'signals', `${evaluated} signals + baselines`),
    row(`event study, 1 signal (${one.name})`, tOne, oneEvaluated, 'signals', 'no baselines'),
  ];
  const naiveRatio = median(tNaive.ms) / median(tPathTable.ms);
  const signalRatio = median(tStudy.ms) / median(tOne.ms);
  const perSignalMs = (median(tStudy.ms) - median(tOne.ms)) / Math.max(1, evaluated - oneEvaluated);

  log('');
  log(
    `## phases — ${n.toLocaleString('en-US')} generated 1-minute bars (${series.days.length} days, ${seg.count} sessions), 1 thread`,
  );
  printRows(rows);
  log('');
  log(
    `throughput: ${fmtRate(rows[5].perSecMin)} signal×horizon/s (min time) / ${fmtRate(rows[5].perSecMedian)} (median), ` +
      `${fmtRate(rows[6].perSecMin)} / ${fmtRate(rows[6].perSecMedian)} cells/s — ${evaluated} signals × ${H} horizons, ${cells} cells, evaluate() time`,
  );
  if (neverInTest.length > 0)
    log(`not evaluable (no firing on an eligible test bar): ${neverInTest.join(', ')}`);
  log('');
  log('## peers (same run)');
  printRows(peers);
  log('');
  log(
    `ratio naive / outcomeTable (median): ${naiveRatio.toFixed(2)}×` +
      `${naiveRatio > 1 ? ' (outcomeTable faster)' : ' (the naive loop is faster)'}`,
  );
  log(
    `ratio all signals / 1 signal (median): ${signalRatio.toFixed(1)}× for ${evaluated} vs ${oneEvaluated} signal(s): ` +
      `≈ ${perSignalMs.toFixed(0)} ms per extra signal, ${median(tOne.ms).toFixed(0)} ms for the first (fixed per-fold work included)`,
  );
  report.phases = {
    bars: n,
    days: series.days.length,
    sessions: seg.count,
    rows,
    signals: evaluated,
    horizons: H,
    cells,
  };
  report.peers = { rows: peers, naiveRatio, signalRatio, perSignalMs, parityMismatches: mismatches };
}

// --- one year of one-minute bars: detectors + the whole evaluate() with the oracle -----------------------------
{
  const bars = generateBars(new Rng(SEED + 1), YEAR_BARS, { timeframeMs: MINUTE });
  const tm = time(() => evaluate(evalSeriesFromBars(bars, { source: 'generated' })));
  const res = tm.last;
  const minS = Math.min(...tm.ms) / 1000;
  const medS = median(tm.ms) / 1000;
  const cpuMedS = median(tm.cpuMs) / 1000;
  const meets = medS < YEAR_TARGET_S;
  log('');
  log(
    `## ${quick ? 'quick "year" (smoke check)' : 'one year'}: ${YEAR_BARS.toLocaleString('en-US')} 1-minute bars ` +
      `(${res.days} days, ${res.sessions} sessions): detectors + evaluate() with the oracle, 1 thread`,
  );
  log(
    `wall ${minS.toFixed(1)} s min / ${medS.toFixed(1)} s median; CPU ${cpuMedS.toFixed(1)} s median (process, GC threads included); ` +
      `${res.signals.filter((s) => s.inTest > 0).length} signals, ${res.rows.length} cells, oracle n = ${res.oracle?.n ?? 0}`,
  );
  log(
    quick
      ? `target < ${YEAR_TARGET_S} s on one core: not judged (--quick is not a year)`
      : `target < ${YEAR_TARGET_S} s on one core: ${meets ? 'met' : 'NOT met'} (median ${medS.toFixed(1)} s, ${(medS / YEAR_TARGET_S).toFixed(2)} of the budget)`,
  );
  report.year = {
    bars: YEAR_BARS,
    days: res.days,
    sessions: res.sessions,
    ms: tm.ms,
    cpuMs: tm.cpuMs,
    minS,
    medianS: medS,
    targetS: YEAR_TARGET_S,
    meetsTarget: quick ? null : meets,
  };
}

const maxRssMb = process.resourceUsage().maxRSS / 1024;
const load1 = loadavg()[0];
log('');
log(
  `# peak RSS ${maxRssMb.toFixed(0)} MB; load average ${load0.toFixed(2)} at start, ${load1.toFixed(2)} at end`,
);
report.maxRssMb = maxRssMb;
report.loadEnd = load1;
if (asJson) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
