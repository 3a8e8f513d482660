/**
 * The page shell: inline CSS (system fonts only, nothing fetched) and the one small inline script that drives
 * the session switchers. Kept as constants so the output bytes depend only on the data.
 */
import { FONT_STACK } from './palette.js';

export const PAGE_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#f4f6f8;color:#1f2933;font:14px/1.5 ${FONT_STACK};}
.mono,code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace;font-size:12px}
.topbar{position:sticky;top:0;z-index:5;background:#102a43;color:#f0f4f8;box-shadow:0 1px 3px rgba(0,0,0,.25)}
.topbar-inner{max-width:1240px;margin:0 auto;padding:10px 24px;display:flex;align-items:center;gap:24px;flex-wrap:wrap}
.brand{font-weight:700;letter-spacing:.02em;font-size:15px}
.brand small{font-weight:400;color:#9fb3c8;margin-left:8px}
.topbar nav{display:flex;gap:4px;flex-wrap:wrap}
.topbar nav a{color:#d9e2ec;text-decoration:none;padding:4px 10px;border-radius:4px;font-size:13px}
.topbar nav a:hover{background:#243b53;color:#fff}
main{max-width:1240px;margin:0 auto;padding:20px 24px 48px;display:flex;flex-direction:column;gap:20px}
h1{font-size:22px;margin:4px 0 0;font-weight:650;letter-spacing:-.01em}
.subtitle{color:#52606d;margin:2px 0 0}
.panel{background:#fff;border:1px solid #e1e5ea;border-radius:8px;padding:18px 22px 20px;box-shadow:0 1px 2px rgba(16,42,67,.04)}
.panel-head{margin-bottom:12px}
.panel h2{font-size:17px;margin:0;font-weight:650}
.panel h3{font-size:14px;margin:14px 0 8px;font-weight:600;color:#243b53}
.intro{margin:4px 0 0;color:#52606d;max-width:900px}
.tiles{display:flex;flex-wrap:wrap;gap:10px;margin:4px 0 8px}
.tile{background:#f7f9fb;border:1px solid #e4e7eb;border-radius:6px;padding:8px 14px;min-width:130px}
.tile-label{font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:#7b8794}
.tile-value{font-size:18px;font-weight:600;font-variant-numeric:tabular-nums}
.grid-2{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:16px;align-items:start}
.run-grid{display:grid;grid-template-columns:minmax(200px,1fr) minmax(200px,1fr) minmax(440px,1.6fr);gap:14px;align-items:start;margin-top:6px}
.run-grid .notes-card{grid-column:1/-1}
.card{border:1px solid #e4e7eb;border-radius:6px;padding:12px 14px;background:#fff}
.card h3{margin-top:0}
.split{display:flex;gap:18px;flex-wrap:wrap;align-items:flex-start}
.split.top{justify-content:space-between}
.fig{margin:0}
.fig figcaption{font-size:12px;color:#7b8794;margin:2px 0 4px}
svg.chart{display:block;max-width:100%;height:auto}
.table-wrap{overflow-x:auto;margin-top:8px}
table{border-collapse:collapse}
table.kv th{font-weight:500;color:#52606d;text-align:left;padding:3px 16px 3px 0;white-space:nowrap}
table.kv td{padding:3px 0}
table.data{width:100%;font-size:13px;font-variant-numeric:tabular-nums}
table.data th{text-align:left;font-weight:600;color:#3e4c59;border-bottom:2px solid #d9e2ec;padding:6px 10px;white-space:nowrap;background:#f7f9fb}
table.data td{border-bottom:1px solid #eef0f3;padding:5px 10px;vertical-align:middle}
table.data tbody tr:hover{background:#f7fafc}
table.data.compact{font-size:12px;margin-top:8px}
table.data.compact td,table.data.compact th{padding:3px 5px}
.pattern table.data.compact{font-size:11px;width:100%}
.pattern table.data.compact td:first-child{white-space:nowrap}
.pattern table.data.compact .mono{font-size:11px}
td.num,th.num,table.data th.num{text-align:right;white-space:nowrap}
td.id{max-width:300px;word-break:break-all;color:#334e68}
td.shape{width:1%;padding:4px 10px}
td.kinds{min-width:180px}
.nowrap{white-space:nowrap}
.strong{font-weight:600}
.note,.empty{color:#7b8794;font-size:12px}
.kind-chip{display:inline-flex;align-items:center;gap:4px;font-size:11px;color:#3e4c59;margin:1px 8px 1px 0;white-space:nowrap}
.kind-chip i{display:inline-block;width:9px;height:9px;border-radius:50%}
.kind-legend{margin:4px 0}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:11px;font-weight:600;background:#e4e7eb;color:#3e4c59;letter-spacing:.03em}
.badge.cls-promote,.badge.pass{background:#dcf5e3;color:#1a7f37}
.badge.cls-park{background:#fdf3d8;color:#8d5d0b}
.badge.cls-discard{background:#eef0f3;color:#7b8794}
.badge.fail{background:#fde2e1;color:#b42318}
.badge.big{font-size:14px;padding:3px 14px}
.verdict{display:flex;align-items:center;gap:10px;margin:0 0 6px;color:#52606d}
tr.row-fail td{background:#fff8f7}
.switch{display:flex;align-items:center;gap:12px;margin:0 0 10px;font-size:13px;color:#3e4c59}
.switch select{font:inherit;padding:4px 8px;border:1px solid #bcccdc;border-radius:4px;background:#fff;min-width:260px}
.switch-count{color:#9aa5b1;font-size:12px}
.pane-meta{display:flex;flex-wrap:wrap;gap:6px 18px;font-size:12px;color:#52606d;margin-bottom:4px}
.pane-kinds{margin-bottom:4px}
.gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(540px,1fr));gap:14px}
.pattern h3{margin:0}
.pattern .meta{margin:0 0 6px;color:#7b8794;font-size:12px}
.mini-charts{display:flex;flex-wrap:wrap;gap:4px 12px}
#canary .grid-2{margin-top:16px}
.att-grid{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
ul.notes{margin:4px 0 0;padding-left:18px;color:#52606d;font-size:13px}
details.weights{margin-top:12px}
details.weights summary{cursor:pointer;color:#334e68;font-weight:600;font-size:13px}
.eval-headline{border-left:4px solid #1f4e79;background:#f5f8fb;border-radius:0 6px 6px 0;padding:10px 16px;margin:4px 0 10px}
.eval-headline p{margin:2px 0;color:#3e4c59;max-width:1040px}
.eval-headline p.headline{font-size:17px;font-weight:650;color:#102a43;margin-bottom:6px}
.path-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(380px,1fr));gap:14px;margin-top:6px}
.eval-path h3{margin:0;font-size:13px;word-break:break-all}
.eval-path .meta{margin:0 0 4px;color:#7b8794;font-size:12px}
tr.row-sig td{background:#f3fbf5}
.ci{color:#7b8794;font-size:12px}
table.eval-oracle td.note{max-width:420px}
footer{max-width:1240px;margin:0 auto;padding:0 24px 32px;color:#9aa5b1;font-size:12px}
@media print{.topbar{position:static}.panel{break-inside:avoid}}
.panel,main>div:first-child{scroll-margin-top:64px}
.topbar nav a:focus-visible{outline:2px solid #9fb3c8;outline-offset:1px;background:#243b53;color:#fff}
main>*,.panel,.card,.fig,.pane,.grid-2>*,.run-grid>*,.gallery>*,.path-grid>*,.att-grid>*,.split>*{min-width:0;max-width:100%}
.card{overflow-x:auto}
details.files summary{cursor:pointer;color:#334e68}
ul.files{margin:6px 0 0;padding-left:18px;max-height:240px;overflow:auto;word-break:break-all}
@media (max-width:1100px){.run-grid{grid-template-columns:repeat(auto-fit,minmax(min(260px,100%),1fr))}}
@media (max-width:700px){
.topbar-inner{padding:6px 12px;gap:4px 12px;flex-wrap:nowrap;flex-direction:column;align-items:stretch}
.topbar nav{flex-wrap:nowrap;overflow-x:auto;scrollbar-width:thin}
.topbar nav a{white-space:nowrap}
.panel,main>div:first-child{scroll-margin-top:84px}
main{padding:12px 10px 32px;gap:14px}
.panel{padding:12px 12px 14px}
.grid-2,.gallery,.path-grid{grid-template-columns:minmax(0,1fr)}
.run-grid{grid-template-columns:minmax(0,1fr)}
.switch{flex-wrap:wrap}
.switch select{min-width:0;max-width:100%}
.tile{min-width:0;flex:1 1 140px}
td.id{max-width:160px}
footer{padding:0 12px 24px}
}
`
  .trim()
  .replace(/\n/g, '');

/**
 * Switcher script: each `select[data-group]` shows the pane of its group whose data-key equals its value.
 * Written in ES5 style with no external references so it runs from file:// with no network.
 */
export const PAGE_SCRIPT = `
(function(){
  var selects = document.querySelectorAll('select[data-group]');
  Array.prototype.forEach.call(selects, function(sel){
    function show(){
      var g = sel.getAttribute('data-group');
      var panes = document.querySelectorAll('.pane[data-group="' + g + '"]');
      Array.prototype.forEach.call(panes, function(p){ p.hidden = p.getAttribute('data-key') !== sel.value; });
    }
    sel.addEventListener('change', show);
    show();
  });
})();
`.trim();
