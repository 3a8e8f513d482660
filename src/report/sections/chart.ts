/**
 * The session chart: one interactive chart area (TradingView Lightweight Charts, Apache-2.0, inlined once in the
 * page from src/report/vendor) and a keyboard-usable session picker listing EVERY session, grouped by date
 * (`<optgroup>`) with one option per session type. The sessions travel as compact JSON in a
 * `<script type="application/json" id="chart-data">` block; the chart is drawn in the browser, offline.
 *
 * Per session:
 * - with bars (`run --bars`): candlesticks, a volume histogram underneath when any volume is > 0;
 * - without bars: the record's event prices as points joined by a thin line, labelled "record prices, not bars"
 *   (one point per distinct time: co-timed events share the point of the last of them);
 * - the session window's boundaries as two shaded bars (start and end) on a hidden scale;
 * - event markers, one colour per kind (the seven EVENT_KINDS), Expansion…Reversal above the bar, LiquidityTaken…
 *   Anchor below; events of one kind on one bar are combined into one marker with a count ("×3"), and markers on
 *   one bar stack (offset) instead of hiding each other;
 * - a session with neither events nor bars says so.
 *
 * The time axis is proportional: lightweight-charts spaces data points evenly, so gaps (a missing bar, minutes
 * between record events) are filled with whitespace points on the bar grid (records: a 1-minute grid).
 *
 * Times: lightweight-charts takes UTC seconds and formats them as UTC. We shift each session to its wall clock
 * (UTC seconds + the session's zone offset, recovered from the events' clocks as in ../clock.ts), so the axis and
 * crosshair read ET wall time. A session with no clocks takes the offset of another session on the same date (else
 * any session); with none at all the axis is UTC and the note says so.
 *
 * Client API (for other sections, e.g. the motif browser) — a stable contract:
 *
 *   window.dispatchEvent(new CustomEvent('ironforge:highlight', {
 *     detail: { sessionId: string, times: number[] /* UTC ms *\/, label: string, edges?: [number, number][] },
 *   }));
 *     → switches the chart (and the picker) to that session and marks each time with a distinct marker
 *       (magenta arrow, the label on the first); an unknown session leaves the chart and says so in its note.
 *       `edges` (event indices into the session's events, from → to): the DAG edges of the shown occurrence,
 *       drawn as magenta segments between the events' prices while the "DAG edges" box is checked.
 *   window.ironforgeChart.show(sessionId: string): boolean   — switch to a session (false: not in the page)
 *   window.ironforgeChart.state(): { sessionId, mode, bars, points, events, markers, highlighted, edges }
 *     — read-only snapshot for tests: mode 'candles' | 'points' | 'empty'; bars = candles drawn; points = record
 *       price points; events = events of the session; markers = event markers drawn (after combining);
 *       highlighted = highlight markers drawn (times that are finite numbers); edges = DAG edge segments drawn.
 *
 * Nothing here throws in the browser: a bad highlight or a drawing error is written to the chart's note.
 */
import { clockOffsetMs } from '../clock.js';
import { esc, inlineJson } from '../html.js';
import { kindLegend, panel, type SectionHtml } from '../layout.js';
import { KIND_COLORS, KIND_NAMES, checkKind } from '../palette.js';
import type { DashboardSession, SessionBars } from '../types.js';
import { LIGHTWEIGHT_CHARTS_JS, LIGHTWEIGHT_CHARTS_LICENSE } from '../vendor/lightweight-charts.generated.js';

/** Colour of the highlight markers (none of the kind colours). */
export const HIGHLIGHT_COLOR = '#C2185B';

/** Check a session's fields (events, DAG indices, window, bars); returns its DAG edge count. */
export function checkSession(s: DashboardSession, where: string): number {
  if (typeof s.id !== 'string' || s.id === '')
    throw new Error(`dashboard: ${where}.id must be a non-empty string`);
  if (!Array.isArray(s.events)) throw new Error(`dashboard: ${where}.events must be an array`);
  s.events.forEach((e, i) => {
    if (!Number.isFinite(e.t))
      throw new Error(`dashboard: ${where}.events[${i}].t = ${String(e.t)}, expected UTC ms`);
    if (!Number.isFinite(e.price))
      throw new Error(
        `dashboard: ${where}.events[${i}].price = ${String(e.price)}, expected a finite number`,
      );
    checkKind(e.kind, `${where}.events[${i}].kind`);
  });
  if (s.window) {
    const { start, end } = s.window;
    if (!(Number.isFinite(start) && Number.isFinite(end) && start <= end))
      throw new Error(
        `dashboard: ${where}.window = ${String(start)}..${String(end)}, expected UTC ms with start ≤ end`,
      );
  }
  if (s.bars) checkBars(s.bars, `${where}.bars`);
  if (!s.dag) return 0;
  const { src, dst } = s.dag;
  if (src.length !== dst.length)
    throw new Error(`dashboard: ${where}.dag has src.length ${src.length} ≠ dst.length ${dst.length}`);
  const n = s.events.length;
  for (let k = 0; k < src.length; k++) {
    if (!(
      Number.isInteger(src[k]) &&
      src[k] >= 0 &&
      src[k] < n &&
      Number.isInteger(dst[k]) &&
      dst[k] >= 0 &&
      dst[k] < n
    ))
      throw new Error(
        `dashboard: ${where}.dag edge ${k} = ${src[k]}→${dst[k]}, expected indices in 0..${n - 1}`,
      );
  }
  return src.length;
}

function checkBars(b: SessionBars, where: string): void {
  const n = b.t.length;
  for (const key of ['o', 'h', 'l', 'c', 'v'] as const) {
    if (b[key].length !== n)
      throw new Error(`dashboard: ${where}.${key}.length = ${b[key].length}, expected ${n} (as t)`);
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(b.t[i]) || (i > 0 && !(b.t[i] > b.t[i - 1])))
      throw new Error(`dashboard: ${where}.t[${i}] = ${String(b.t[i])}, expected strictly increasing UTC ms`);
    for (const key of ['o', 'h', 'l', 'c'] as const)
      if (!Number.isFinite(b[key][i]))
        throw new Error(`dashboard: ${where}.${key}[${i}] = ${String(b[key][i])}, expected a finite price`);
    if (!(Number.isFinite(b.v[i]) && b.v[i] >= 0))
      throw new Error(`dashboard: ${where}.v[${i}] = ${String(b.v[i])}, expected a volume ≥ 0`);
  }
}

/** UTC ms → whole UTC seconds (the chart's time unit). */
const sec = (ms: number): number => Math.floor(ms / 1000);

/** One session in the page's JSON: times in UTC seconds, `off` the wall-clock offset in minutes (null: UTC). */
interface SessionJson {
  id: string;
  type: string;
  date: string;
  off: number | null;
  w: [number, number] | null;
  e: { t: number[]; k: number[]; p: number[] };
  b?: { t: number[]; o: number[]; h: number[]; l: number[]; c: number[]; v: number[] };
}

/** Wall-clock offsets (minutes) per session: its own clocks, else a same-date session's, else any session's. */
function offsets(sessions: readonly DashboardSession[]): (number | null)[] {
  const own = sessions.map((s) => {
    const ms = clockOffsetMs(s.events);
    return ms === null ? null : ms / 60_000;
  });
  const byDate = new Map<string, number>();
  sessions.forEach((s, i) => {
    const o = own[i];
    if (o !== null && !byDate.has(s.date)) byDate.set(s.date, o);
  });
  const any = own.find((o) => o !== null) ?? null;
  return own.map((o, i) => o ?? byDate.get(sessions[i].date) ?? any);
}

function sessionJson(s: DashboardSession, off: number | null): SessionJson {
  const out: SessionJson = {
    id: s.id,
    type: s.type,
    date: s.date,
    off,
    w: s.window ? [sec(s.window.start), sec(s.window.end)] : null,
    e: {
      t: s.events.map((e) => sec(e.t)),
      k: s.events.map((e) => e.kind),
      p: s.events.map((e) => e.price),
    },
  };
  const b = s.bars;
  if (b && b.t.length > 0) {
    out.b = {
      t: Array.from(b.t, sec),
      o: Array.from(b.o),
      h: Array.from(b.h),
      l: Array.from(b.l),
      c: Array.from(b.c),
      v: Array.from(b.v),
    };
  }
  return out;
}

/** Display order: by date, then window start (else first event), then type and id. */
function order(sessions: readonly DashboardSession[]): number[] {
  const start = (s: DashboardSession): number => s.window?.start ?? s.events[0]?.t ?? Infinity;
  return sessions
    .map((_, i) => i)
    .sort((a, b) => {
      const sa = sessions[a];
      const sb = sessions[b];
      if (sa.date !== sb.date) return sa.date < sb.date ? -1 : 1;
      const d = start(sa) - start(sb);
      if (d !== 0 && Number.isFinite(d)) return d;
      if (sa.type !== sb.type) return sa.type < sb.type ? -1 : 1;
      return sa.id < sb.id ? -1 : sa.id > sb.id ? 1 : a - b;
    });
}

function countLabel(s: DashboardSession): string {
  const nb = s.bars?.t.length ?? 0;
  const ne = s.events.length;
  if (nb > 0) return `${nb} bars, ${ne} events`;
  if (ne > 0) return `${ne} events, no bars`;
  return 'empty';
}

/** The picker: one optgroup per date, one option per session (its type; the id too when a type repeats). */
function picker(sessions: readonly DashboardSession[], initial: number): string {
  const groups = new Map<string, number[]>();
  sessions.forEach((s, i) => {
    const list = groups.get(s.date) ?? [];
    list.push(i);
    groups.set(s.date, list);
  });
  let html = '';
  for (const [date, list] of groups) {
    const typeCount = new Map<string, number>();
    for (const i of list) typeCount.set(sessions[i].type, (typeCount.get(sessions[i].type) ?? 0) + 1);
    html += `<optgroup label="${esc(date || 'no date')}">`;
    for (const i of list) {
      const s = sessions[i];
      const name = (typeCount.get(s.type) ?? 0) > 1 || !s.type ? s.id : `${s.type} · ${s.id}`;
      html +=
        `<option value="${i}"${i === initial ? ' selected' : ''}>` +
        `${esc(name)} (${esc(countLabel(s))})</option>`;
    }
    html += `</optgroup>`;
  }
  return html;
}

/** The section's CSS (appended to the page's style by renderDashboard). */
const CHART_CSS =
  '#chart .chart-host{position:relative;height:460px;border:1px solid #e4e7eb;border-radius:6px;margin-top:6px}' +
  '#chart .chart-readout{min-height:18px;margin-top:4px}' +
  '#chart .chart-note{margin:2px 0 0;color:#52606d;font-size:12px}' +
  '#chart .switch{flex-wrap:wrap}#chart .chart-edges{font-size:12px;color:#52606d}';

/**
 * The client: draws the selected session, wires the picker, the highlight event and `window.ironforgeChart`.
 * Plain ES2017 with no external references (runs from file://); never throws to the page.
 */
export const CHART_SCRIPT = `
(function(){
  'use strict';
  var dataEl = document.getElementById('chart-data');
  var host = document.getElementById('chart-host');
  var sel = document.getElementById('chart-session');
  var note = document.getElementById('chart-note');
  var readout = document.getElementById('chart-readout');
  if (!dataEl || !host || !sel || !note) return;
  var D = JSON.parse(dataEl.textContent);
  var S = D.s;
  var st = { sessionId: null, mode: 'empty', bars: 0, points: 0, events: 0, markers: 0, highlighted: 0, edges: 0 };
  function snapshot(){ var o = {}; for (var k in st) o[k] = st[k]; return o; }
  function indexOf(id){ for (var i = 0; i < S.length; i++) if (S[i].id === id) return i; return -1; }
  window.ironforgeChart = { show: function(id){ return showId(id, null); }, state: snapshot };
  var LW = window.LightweightCharts;
  if (!LW) { note.textContent = 'The chart library did not load: the chart cannot be drawn.'; return; }
  var UP = '#26a69a', DOWN = '#ef5350';
  var chart = LW.createChart(host, {
    autoSize: true,
    layout: { background: { color: '#ffffff' }, textColor: '#3e4c59', fontSize: 11 },
    grid: { vertLines: { color: '#f0f2f5' }, horzLines: { color: '#f0f2f5' } },
    rightPriceScale: { borderColor: '#d9e2ec' },
    timeScale: { borderColor: '#d9e2ec', timeVisible: true, secondsVisible: false },
    localization: { dateFormat: 'yyyy-MM-dd' }
  });
  var candles = chart.addSeries(LW.CandlestickSeries, { upColor: UP, downColor: DOWN, borderVisible: false,
    wickUpColor: UP, wickDownColor: DOWN });
  var line = chart.addSeries(LW.LineSeries, { color: '#7b8794', lineWidth: 1, pointMarkersVisible: true,
    pointMarkersRadius: 3, lastValueVisible: false, priceLineVisible: false, title: 'record prices, not bars' });
  var vol = chart.addSeries(LW.HistogramSeries, { priceScaleId: 'vol', priceFormat: { type: 'volume' },
    lastValueVisible: false, priceLineVisible: false });
  chart.priceScale('vol').applyOptions({ scaleMargins: { top: 0.82, bottom: 0 } });
  var win = chart.addSeries(LW.HistogramSeries, { priceScaleId: 'win', color: 'rgba(16,42,67,0.16)',
    lastValueVisible: false, priceLineVisible: false, crosshairMarkerVisible: false });
  chart.priceScale('win').applyOptions({ scaleMargins: { top: 0, bottom: 0 }, visible: false });
  var candleMarks = LW.createSeriesMarkers(candles, []);
  var lineMarks = LW.createSeriesMarkers(line, []);
  var cur = { i: -1, times: [], evAt: {}, off: 0, hl: null };
  // DAG edges of a shown occurrence: one two-point line series each (a pool, reused; at most MAX_EDGES)
  var edgeBox = document.getElementById('chart-edges'), edgeLines = [], MAX_EDGES = 24;
  function clearEdges(){ edgeLines.forEach(function(l){ l.setData([]); }); }
  function drawEdges(s, off, edges){
    var drawn = 0;
    for (var q = 0; q < edges.length && drawn < MAX_EDGES; q++) {
      var a = edges[q][0], b = edges[q][1];
      if (!(a >= 0 && b >= 0 && a < s.e.t.length && b < s.e.t.length)) continue;
      var ta = snap(s.e.t[a] + off), tb = snap(s.e.t[b] + off);
      if (ta === tb) continue; // co-timed events: no segment to draw
      var p0 = ta < tb ? { time: ta, value: s.e.p[a] } : { time: tb, value: s.e.p[b] };
      var p1 = ta < tb ? { time: tb, value: s.e.p[b] } : { time: ta, value: s.e.p[a] };
      if (!edgeLines[drawn]) edgeLines[drawn] = chart.addSeries(LW.LineSeries, { color: D.hl, lineWidth: 2,
        lastValueVisible: false, priceLineVisible: false, crosshairMarkerVisible: false });
      edgeLines[drawn].setData([p0, p1]);
      drawn++;
    }
    return drawn;
  }

  function pad(n){ return (n < 10 ? '0' : '') + n; }
  function clock(t){ var d = ((t % 86400) + 86400) % 86400;
    return pad(Math.floor(d / 3600)) + ':' + pad(Math.floor(d / 60) % 60); }
  function fmt(v){ return typeof v === 'number' && isFinite(v) ? String(Math.round(v * 100) / 100) : '—'; }
  /** Index of the last chart time ≤ t in the sorted cur.times (0 when t is before them). */
  /**
   * Whitespace points that make the time axis proportional (lightweight-charts spaces data points evenly): one per
   * step across lo..hi where no data point is, merged into the sorted data. Skipped beyond 4000 slots.
   */
  function withGaps(data, step, lo, hi){
    if (!(step > 0) || (hi - lo) / step > 4000) return data;
    var out = [], j = 0, start = Math.floor(lo / step) * step;
    for (var g = start; g <= hi; g += step) {
      while (j < data.length && data[j].time < g) out.push(data[j++]);
      if (j < data.length && data[j].time === g) out.push(data[j++]);
      else out.push({ time: g });
    }
    while (j < data.length) out.push(data[j++]);
    return out;
  }
  /** The smallest positive spacing of sorted times (the bar length), else 60 s. */
  function spacing(times){ var m = Infinity;
    for (var q = 1; q < times.length; q++) { var d = times[q] - times[q - 1]; if (d > 0 && d < m) m = d; }
    return isFinite(m) ? m : 60; }
  function snap(t){ var a = cur.times, lo = 0, hi = a.length - 1, r = 0;
    while (lo <= hi) { var m = (lo + hi) >> 1; if (a[m] <= t) { r = m; lo = m + 1; } else hi = m - 1; }
    return a[r]; }

  function render(i, hl){
    var s = S[i];
    cur.i = i;
    var off = s.off === null ? 0 : s.off * 60;
    cur.off = off;
    var zone = s.off === null ? 'UTC' : D.zone;
    candles.setData([]); line.setData([]); vol.setData([]); win.setData([]);
    candleMarks.setMarkers([]); lineMarks.setMarkers([]);
    var e = s.e, b = s.b, n = e.t.length, times = [], k;
    var mode = b && b.t.length ? 'candles' : n ? 'points' : 'empty';
    var lo = Infinity, hi = -Infinity;
    if (s.w) { lo = s.w[0] + off; hi = s.w[1] + off; }
    st = { sessionId: s.id, mode: mode, bars: 0, points: 0, events: n, markers: 0, highlighted: 0, edges: 0 };
    clearEdges();
    cur.hl = hl || null;
    var msg = '';
    if (mode === 'candles') {
      var cd = [], vd = [], anyVol = false;
      for (k = 0; k < b.t.length; k++) {
        var t = b.t[k] + off; times.push(t);
        cd.push({ time: t, open: b.o[k], high: b.h[k], low: b.l[k], close: b.c[k] });
        if (b.v[k] > 0) anyVol = true;
        vd.push({ time: t, value: b.v[k], color: b.c[k] >= b.o[k] ? 'rgba(38,166,154,0.45)' : 'rgba(239,83,80,0.45)' });
      }
      var step = spacing(times);
      lo = Math.min(lo, times[0]); hi = Math.max(hi, times[times.length - 1]);
      candles.setData(withGaps(cd, step, lo, hi));
      if (anyVol) vol.setData(withGaps(vd, step, lo, hi));
      st.bars = cd.length;
      msg = cd.length + ' bars' + (anyVol ? ' with volume' : ' (no volume)') + ', ' + n + ' events.';
    } else if (mode === 'points') {
      var pts = [];
      for (k = 0; k < n; k++) {
        var tp = e.t[k] + off;
        if (pts.length && pts[pts.length - 1].time === tp) pts[pts.length - 1].value = e.p[k];
        else { pts.push({ time: tp, value: e.p[k] }); times.push(tp); }
      }
      lo = Math.min(lo, times[0]); hi = Math.max(hi, times[times.length - 1]);
      line.setData(withGaps(pts, 60, lo, hi));
      st.points = pts.length;
      msg = 'Record prices, not bars: each point is an event price from the session record (' + n +
        ' events). For candles, run ironforge run --bars FILE.';
    } else {
      msg = 'This session has no events and no bars: nothing to draw.';
    }
    cur.times = times;
    cur.evAt = {};
    if (mode !== 'empty') {
      if (s.w) {
        var ws = s.w[0] + off, we = s.w[1] + off;
        win.setData(we > ws ? [{ time: ws, value: 1 }, { time: we, value: 1 }] : [{ time: ws, value: 1 }]);
      }
      var groups = {}, keys = [];
      for (k = 0; k < n; k++) {
        var at = snap(e.t[k] + off), key = at + ':' + e.k[k];
        if (!groups[key]) { groups[key] = { time: at, kind: e.k[k], count: 0 }; keys.push(key); }
        groups[key].count++;
        (cur.evAt[at] = cur.evAt[at] || []).push(e.k[k]);
      }
      var marks = keys.map(function(key){ var g = groups[key]; return {
        time: g.time, position: g.kind <= 3 ? 'aboveBar' : 'belowBar', color: D.colors[g.kind],
        shape: g.kind === 6 ? 'square' : 'circle', size: 1, text: g.count > 1 ? '\\u00d7' + g.count : '',
        id: 'k' + key }; });
      st.markers = marks.length;
      var hls = [];
      if (hl) {
        var label = hl.label;
        hl.times.forEach(function(ms){
          if (typeof ms !== 'number' || !isFinite(ms)) return;
          hls.push({ time: snap(Math.floor(ms / 1000) + off), position: 'aboveBar', color: D.hl, shape: 'arrowDown',
            size: 2, text: hls.length === 0 ? label : '', id: 'h' + hls.length });
        });
        st.highlighted = hls.length;
        var ne = Array.isArray(hl.edges) ? hl.edges.length : 0;
        if (ne && edgeBox && edgeBox.checked) st.edges = drawEdges(s, off, hl.edges);
        msg = 'Highlighted: ' + label + ' (' + hls.length + (hls.length === 1 ? ' time' : ' times') +
          (ne ? (edgeBox && edgeBox.checked ? ', ' + st.edges + ' DAG edge' + (st.edges === 1 ? '' : 's') + ' drawn' : ', DAG edges hidden') : '') +
          '). ' + msg;
      }
      var all = marks.concat(hls).sort(function(x, y){ return x.time - y.time; });
      (mode === 'candles' ? candleMarks : lineMarks).setMarkers(all);
      chart.timeScale().fitContent();
    }
    note.textContent = s.id + ' · times in ' + zone + '. ' + msg;
    if (readout) readout.textContent = '';
  }

  function safeRender(i, hl){
    try { render(i, hl); } catch (err) { note.textContent = 'The chart could not draw ' + S[i].id + ': ' + err; }
  }
  function showId(id, hl){
    var i = indexOf(id);
    if (i < 0) {
      note.textContent = 'Session ' + String(id) + ' is not in this dashboard.';
      return false;
    }
    sel.value = String(i);
    safeRender(i, hl);
    return true;
  }
  sel.addEventListener('change', function(){ safeRender(Number(sel.value), null); });
  if (edgeBox) edgeBox.addEventListener('change', function(){ if (cur.i >= 0) safeRender(cur.i, cur.hl); });
  window.addEventListener('ironforge:highlight', function(ev){
    var d = (ev && ev.detail) || {};
    var times = Array.isArray(d.times) ? d.times : [];
    var label = typeof d.label === 'string' && d.label ? d.label : 'highlight';
    var edges = Array.isArray(d.edges) ? d.edges.filter(function(x){ return Array.isArray(x) && x.length === 2; }) : [];
    if (showId(d.sessionId, { times: times, label: label, edges: edges })) {
      var panel = document.getElementById('chart');
      if (panel && panel.scrollIntoView) panel.scrollIntoView({ block: 'nearest' });
    }
  });
  chart.subscribeCrosshairMove(function(p){
    if (!readout) return;
    if (!p || p.time === undefined || cur.i < 0) { readout.textContent = ''; return; }
    var parts = [clock(p.time) + ' ' + (S[cur.i].off === null ? 'UTC' : D.zone)];
    var bar = p.seriesData && p.seriesData.get(candles);
    if (bar && bar.open !== undefined) {
      parts.push('O ' + fmt(bar.open) + '  H ' + fmt(bar.high) + '  L ' + fmt(bar.low) + '  C ' + fmt(bar.close));
      var vb = p.seriesData.get(vol); if (vb && vb.value !== undefined) parts.push('V ' + fmt(vb.value));
    }
    var pt = p.seriesData && p.seriesData.get(line);
    if (pt && pt.value !== undefined) parts.push('price ' + fmt(pt.value));
    var ks = cur.evAt[p.time];
    if (ks) { var c = {}; ks.forEach(function(k){ c[k] = (c[k] || 0) + 1; });
      parts.push(Object.keys(c).map(function(k){ return D.kinds[k] + (c[k] > 1 ? ' \\u00d7' + c[k] : ''); }).join(', ')); }
    readout.textContent = parts.join(' · ');
  });
  safeRender(Number(sel.value) || 0, null);
})();
`.trim();

/**
 * The chart section, or null when there are no sessions. `zone` labels the wall clock (e.g. "ET").
 * Returns the section with its scripts: the library bundle, then the client (emitted once, at the page's end).
 */
export function chartSection(
  sessions: readonly DashboardSession[] | undefined,
  zone: string,
): SectionHtml | null {
  if (!sessions || sessions.length === 0) return null;
  sessions.forEach((s, i) => checkSession(s, `sessions[${i}]`));
  if (/<\/script|<!--/i.test(LIGHTWEIGHT_CHARTS_JS))
    throw new Error('dashboard: the vendored chart bundle contains "</script" or "<!--"; regenerate it');
  const ord = order(sessions);
  const sorted = ord.map((i) => sessions[i]);
  const offs = offsets(sorted);
  const json = {
    zone,
    kinds: KIND_NAMES,
    colors: KIND_COLORS,
    hl: HIGHLIGHT_COLOR,
    s: sorted.map((s, i) => sessionJson(s, offs[i])),
  };
  const firstDrawable = sorted.findIndex((s) => (s.bars?.t.length ?? 0) > 0 || s.events.length > 0);
  const initial = Math.max(0, firstDrawable);
  const anyBars = sorted.some((s) => (s.bars?.t.length ?? 0) > 0);
  const intro = anyBars
    ? `Candlesticks of each session's bars (volume underneath), with its events as markers coloured by kind. Times are ${zone} wall clock.`
    : `This run has no bars, so each session shows its record's event prices as points ("record prices, not bars"), with the events as markers coloured by kind. For candles, run: ironforge run --bars FILE. Times are ${zone} wall clock.`;
  const legend =
    kindLegend().replace(
      /<\/div>$/,
      `<span class="kind-chip"><i style="background:${HIGHLIGHT_COLOR};border-radius:0"></i>highlight</span>` +
        `<span class="kind-chip"><i style="background:rgba(16,42,67,.25);border-radius:0"></i>session window start / end</span></div>`,
    ) +
    `<p class="note">Markers: Expansion to Reversal above the bar, LiquidityTaken to Anchor below; ×n = n events of one kind on one bar.</p>`;
  const body =
    `<div class="switch"><label for="chart-session">Session</label>` +
    `<select id="chart-session">${picker(sorted, initial)}</select>` +
    `<span class="switch-count">${sorted.length} sessions</span>` +
    `<label class="chart-edges"><input type="checkbox" id="chart-edges" checked> DAG edges of a shown motif occurrence</label></div>` +
    `<p id="chart-note" class="chart-note" aria-live="polite"></p>` +
    `<div id="chart-host" class="chart-host" role="img" aria-label="Chart of the selected session"></div>` +
    `<div id="chart-readout" class="chart-readout note mono"></div>` +
    legend +
    `<noscript><p class="note">The chart is drawn by JavaScript; enable it to see the sessions.</p></noscript>` +
    `<p class="note">Chart library: ${esc(LIGHTWEIGHT_CHARTS_LICENSE)}.</p>` +
    `<script type="application/json" id="chart-data">${inlineJson(json)}</script>`;
  return {
    ...panel('chart', 'Chart', intro, body),
    css: CHART_CSS,
    scripts: [LIGHTWEIGHT_CHARTS_JS, CHART_SCRIPT],
  };
}
