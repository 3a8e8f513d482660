/**
 * "Evidence at a glance": one row per motif family — PROMOTE members on the real data against what each negative
 * control (mined beside it with the same options) promotes of the same motifs, the representative's bootstrap CI of
 * lift, replication on the validation holdout, and the forward path of the family's occurrences against its matched
 * control (src/evaluate `motif:<family>`). The rows travel as compact JSON and a small inline script draws the table
 * and each forward path (inline SVG built in the browser; nothing per row in the file but numbers).
 *
 * Honest empty states: 0 PROMOTE says so with the minimum detectable lift; a run without bars says how to get
 * forward paths; a family without test-day firings says so in its row.
 */
import { esc, fmtInt, fmtNum, inlineJson } from '../html.js';
import { panel, tiles, type SectionHtml } from '../layout.js';
import type { EvidenceView } from '../types.js';

/** Family rows per page of the evidence table. */
export const EVIDENCE_PAGE = 20;

/** 4 significant digits; null for non-finite (JSON has no NaN). */
function sig(v: number | null | undefined): number | null {
  return v === null || v === undefined || !Number.isFinite(v) ? null : Number(v.toPrecision(4));
}
const sigs = (a: readonly number[]): (number | null)[] => a.map(sig);

function payload(ev: EvidenceView): string {
  return inlineJson({
    page: EVIDENCE_PAGE,
    controls: ev.controls.map((c) => c.control),
    evaluation: ev.evaluation,
    f: ev.families.map((f) => ({
      id: f.family,
      name: f.name,
      rep: f.representative,
      m: f.members,
      sup: f.support,
      c: f.controls.map((c) => c.alsoPromoted),
      lift: sig(f.lift),
      q: sig(f.q),
      lo: sig(f.ciLow),
      hi: sig(f.ciHigh),
      rep2: f.replication ? [f.replication.promotedInDiscovery, f.replication.replicated] : null,
      fw: f.forward
        ? {
            occ: f.forward.occurrences,
            fire: f.forward.firings,
            h: f.forward.horizons,
            mean: sigs(f.forward.mean),
            ctl: sigs(f.forward.control),
            q10: sigs(f.forward.q10),
            q90: sigs(f.forward.q90),
            n: f.forward.n,
            r30: f.forward.ret30
              ? {
                  e: sig(f.forward.ret30.effect),
                  lo: sig(f.forward.ret30.ciLow),
                  hi: sig(f.forward.ret30.ciHigh),
                  q: sig(f.forward.ret30.q),
                  t: f.forward.ret30.tested,
                  n: f.forward.ret30.n,
                  d: f.forward.ret30.days,
                }
              : null,
          }
        : null,
    })),
  });
}

export const EVIDENCE_CSS = `
.ev-empty{padding:10px 12px;border-left:3px solid #b7791f;background:#fffaf0;margin:10px 0}
table.ev-table td{vertical-align:top}
table.ev-table td.ev-name{min-width:200px;max-width:320px}
table.ev-table td.ev-name .ev-browse{display:block;margin-top:4px;font-size:11px}
table.ev-table td.ev-forward{min-width:170px}
table.ev-table td.ev-forward div{font-size:11px;max-width:260px}
table.ev-table svg.ev-path{display:block}
.ev-pager{display:flex;gap:8px;align-items:center;margin-top:8px}
.ev-muted{color:#7b8794}
`;

/** Client: the table rows and the forward-path sparklines, from #evidence-data. */
export const EVIDENCE_SCRIPT = `(function(){
var node=document.getElementById('evidence-data');if(!node)return;
var D=JSON.parse(node.textContent),body=document.getElementById('ev-body'),page=0;
var prev=document.getElementById('ev-prev'),next=document.getElementById('ev-next'),lab=document.getElementById('ev-page');
function el(t,c,x){var e=document.createElement(t);if(c)e.className=c;if(x!==undefined)e.textContent=x;return e;}
function f(v){if(v===null||v===undefined)return '—';var a=Math.abs(v);return a>=100?v.toFixed(0):a>=10?v.toFixed(1):a>=1?v.toFixed(2):v.toPrecision(2);}
function fq(v){return v===null||v===undefined?'—':v<0.001?v.toExponential(1):v.toFixed(3);}
function path(fw){
  var W=150,H=56,L=4,R=4,T=4,B=12,h=fw.h,ys=[];
  // the y range fits the family's mean and its control (the q10–q90 band is clipped: it is far wider than their gap)
  for(var i=0;i<h.length;i++)[fw.mean[i],fw.ctl[i]].forEach(function(v){if(v!==null)ys.push(v);});
  ys.push(0);var lo=Math.min.apply(null,ys),hi=Math.max.apply(null,ys);if(hi===lo){hi+=1;lo-=1;}var pad=(hi-lo)*0.15;hi+=pad;lo-=pad;
  var x0=0,x1=h[h.length-1]||1;
  function X(v){return (L+(v-x0)/(x1-x0)*(W-L-R)).toFixed(1);}function Y(v){return (T+(hi-v)/(hi-lo)*(H-T-B)).toFixed(1);}
  function line(arr){var p='',m='M';for(var i=0;i<h.length;i++){if(arr[i]===null){m='M';continue;}p+=m+X(h[i])+' '+Y(arr[i]);m='L';}return p;}
  var band='';var up=[],dn=[];for(var i=0;i<h.length;i++)if(fw.q10[i]!==null&&fw.q90[i]!==null){up.push(X(h[i])+','+Y(fw.q90[i]));dn.unshift(X(h[i])+','+Y(fw.q10[i]));}
  if(up.length>1)band='<polygon points="'+up.concat(dn).join(' ')+'" fill="rgba(31,78,121,0.12)"/>';
  var s='<svg class="ev-path" width="'+W+'" height="'+H+'" viewBox="0 0 '+W+' '+H+'" overflow="hidden" role="img" aria-label="forward path: family mean against matched control">'+
    '<text x="'+L+'" y="10" font-size="9" fill="#7b8794">'+f(hi-pad)+'</text><text x="'+L+'" y="'+(H-B-1)+'" font-size="9" fill="#7b8794">'+f(lo+pad)+'</text>'+
    '<line x1="'+L+'" x2="'+(W-R)+'" y1="'+Y(0)+'" y2="'+Y(0)+'" stroke="#cbd2d9"/>'+band+
    '<path d="'+line(fw.ctl)+'" fill="none" stroke="#d68910" stroke-width="1.5" stroke-dasharray="3 2"/>'+
    '<path d="'+line(fw.mean)+'" fill="none" stroke="#1f4e79" stroke-width="1.8"/>'+
    '<text x="'+L+'" y="'+(H-1)+'" font-size="9" fill="#7b8794">0</text><text x="'+(W-R)+'" y="'+(H-1)+'" font-size="9" fill="#7b8794" text-anchor="end">'+x1+' min</text></svg>';
  return s;
}
function row(r){
  var tr=el('tr');tr.setAttribute('data-family',r.id);
  var td=el('td','ev-name');td.title='representative '+r.rep;var b=el('strong',null,r.id+' ');td.appendChild(b);td.appendChild(document.createTextNode(r.name));
  var go=el('button','ev-browse','Browse');go.type='button';go.title='Show this family in the motif browser';
  go.addEventListener('click',function(){var s=document.getElementById('mb-family');if(!s)return;s.value=r.id;s.dispatchEvent(new Event('change',{bubbles:true}));var m=document.getElementById('motif-browser');if(m)m.scrollIntoView();});
  td.appendChild(go);tr.appendChild(td);
  tr.appendChild(el('td','num ev-real',String(r.m)));
  r.c.forEach(function(n){tr.appendChild(el('td','num ev-control',String(n)));});
  tr.appendChild(el('td','num',f(r.lift)+' ['+f(r.lo)+', '+f(r.hi)+']'));
  tr.appendChild(el('td','num',fq(r.q)));
  tr.appendChild(el('td','num',r.rep2===null?'validation skipped':r.rep2[0]===0?'0 promoted on discovery':r.rep2[1]+' of '+r.rep2[0]));
  tr.appendChild(el('td','num',String(r.sup)));
  var fw=el('td','ev-forward');
  if(r.fw){fw.innerHTML=path(r.fw);var t=r.fw.r30;
    fw.appendChild(el('div','ev-muted',r.fw.occ+' occurrences, '+r.fw.fire+' firings'+(t?' · ret@30m '+f(t.e)+' ['+f(t.lo)+', '+f(t.hi)+'] pts, n '+t.n+' on '+t.d+' days, '+(t.t?'q '+fq(t.q):'untested (below the minimum sample)'):'')));}
  else fw.appendChild(el('span','ev-muted',D.evaluation==='no-bars'?'no bars in this run: run with --bars to see forward paths':D.evaluation==='failed'?'the evaluation of the bars failed (manifest outputs.evaluation.failed)':'no firing on the test days of the walk-forward: no forward path'));
  tr.appendChild(fw);return tr;
}
function draw(){
  var n=D.f.length,pages=Math.max(1,Math.ceil(n/D.page));if(page>=pages)page=pages-1;
  while(body.firstChild)body.removeChild(body.firstChild);
  D.f.slice(page*D.page,(page+1)*D.page).forEach(function(r){body.appendChild(row(r));});
  if(lab)lab.textContent='Families '+(n?page*D.page+1:0)+'–'+Math.min(n,(page+1)*D.page)+' of '+n;
  if(prev)prev.disabled=page===0;if(next)next.disabled=page>=pages-1;
}
if(prev)prev.addEventListener('click',function(){page--;draw();});
if(next)next.addEventListener('click',function(){page++;draw();});
draw();
})();`;

const capitalize = (t: string): string => (t ? t[0].toUpperCase() + t.slice(1) : t);

export function evidenceSection(ev: EvidenceView | undefined): SectionHtml | null {
  if (!ev) return null;
  const th = ev.thresholds;
  const ciUnit =
    ev.ciUnit === 'day'
      ? `trading days${ev.ciUnits !== undefined ? ` (${fmtInt(ev.ciUnits)})` : ''} resampled as wholes`
      : ev.ciUnit === 'session'
        ? `sessions${ev.ciUnits !== undefined ? ` (${fmtInt(ev.ciUnits)})` : ''} resampled`
        : 'the run’s resampling unit';
  const controlTiles = ev.controls.map((c) => ({
    label: `PROMOTE on the ${c.control} control`,
    value: fmtInt(c.promote),
    tone: (c.promote >= ev.realPromote && ev.realPromote > 0 ? 'bad' : '') as 'bad' | '',
  }));
  const head = tiles([
    { label: `PROMOTE on the real data (${ev.nullModel} null)`, value: fmtInt(ev.realPromote) },
    ...controlTiles,
    { label: 'Families', value: fmtInt(ev.families.length) },
    { label: 'Minimum detectable lift (CI rule)', value: fmtNum(ev.minDetectableLift) },
  ]);
  const mdl =
    ev.minDetectableLift === null
      ? 'no tested motif has a bootstrap CI, so no lift can pass the CI rule'
      : `minimum detectable lift ${fmtNum(ev.minDetectableLift)} by the CI rule (a motif with this run’s median relative CI width needs that lift for its CI low to reach ${fmtNum(th.promoteCiLow)}; at least ${fmtNum(th.promoteLift)}); it must also reach q < ${fmtNum(th.promoteQ)} over ${fmtInt(ev.tested)} tested motifs, which FLOOR-LIMITED motifs cannot with the null draws made`;
  const noBars =
    ev.evaluation === 'no-bars'
      ? `<p class="note ev-nobars">No bars in this run: run with <code>--bars FILE</code> to see forward paths.</p>`
      : ev.evaluation === 'failed'
        ? `<p class="note ev-nobars">The evaluation of the bars failed, so there are no forward paths (manifest <code>outputs.evaluation.failed</code> says why).</p>`
        : '';
  const controlsNote =
    ev.controls.length === 0
      ? 'No negative control was mined beside this run (run --controls).'
      : `Negative controls: ${ev.controls.map((c) => `${c.control} (${fmtInt(c.promote)} PROMOTE of ${fmtInt(c.tested)} tested)`).join('; ')} — the same mining on data whose real structure was destroyed; a sound pipeline promotes ~nothing there, so its count is the yardstick for the real one. Per family, the control columns count the family's motifs the control also promotes (a family the control promotes too is a recording-format artefact, not market structure).`;
  const method =
    `CI: the representative's (the member with the largest z) 95% bootstrap CI of lift, ${ciUnit}; members are nested variants of one pattern, not independent evidence, so no pooled figure is formed. ` +
    `Replication: of the family's motifs promoted on the validation's discovery period, how many replicated on the holdout (${ev.validation.text}).${ev.validation.rolling ? ` ${capitalize(ev.validation.rolling)}.` : ''} ` +
    `Forward path: mean forward return (points, blue) of the family's occurrences from t* — the close of the bar in which an occurrence's last event becomes knowable — against its matched control (orange dashed: the other bars of the same session type × time of day × recent volatility stratum), on the walk-forward test days; the shaded q10–q90 band of the family's returns is clipped to the plot, which spans the two lines and 0 (its range printed at the left). The forward path is not used in selection, but the families were discovered on these same sessions: they are in-sample.`;
  const empty =
    ev.realPromote === 0
      ? `<p class="ev-empty"><strong>0 PROMOTE under the ${esc(ev.nullModel)} null on this sample: nothing to show</strong>; ${esc(mdl)}.</p>`
      : '';
  const controlHeads = ev.controls.map((c) => `<th class="num">PROMOTE (${esc(c.control)})</th>`).join('');
  const table =
    ev.families.length === 0
      ? ''
      : `<div class="table-wrap"><table class="data ev-table" id="evidence-table"><thead><tr><th>Family</th>` +
        `<th class="num">PROMOTE (real)</th>${controlHeads}<th class="num">Lift [95% CI]</th><th class="num">q</th>` +
        `<th class="num">Holdout replication</th><th class="num">Sessions</th><th>Forward return vs matched control</th></tr></thead>` +
        `<tbody id="ev-body"></tbody></table></div>` +
        `<div class="ev-pager"><button type="button" id="ev-prev">‹ Previous</button><span id="ev-page" aria-live="polite"></span>` +
        `<button type="button" id="ev-next">Next ›</button></div>` +
        `<noscript><p class="note">The evidence table needs JavaScript; the figures are in motifs/, reports/validation.json and reports/evaluation.json of the run directory.</p></noscript>` +
        `<script type="application/json" id="evidence-data">${payload(ev)}</script>`;
  const section = panel(
    'evidence',
    'Evidence',
    'Per motif family: real against control PROMOTE counts, the CI of lift, replication across periods and what price did next.',
    head +
      empty +
      noBars +
      `<p class="note">${esc(controlsNote)}</p>` +
      (ev.families.length > 0 ? `<p class="note">${esc(method)}</p>` : '') +
      table,
  );
  return {
    ...section,
    css: EVIDENCE_CSS,
    scripts: ev.families.length > 0 ? [EVIDENCE_SCRIPT] : [],
  };
}
