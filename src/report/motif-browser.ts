/**
 * The motif browser: a capped selection of the tested motifs as one compact JSON block (columns as arrays), drawn
 * by a small inline script into a sortable, filterable, paged table. Each motif's shape is drawn client-side from
 * its kinds and edges (no per-row SVG in the file); selecting a motif lists where it occurs, and each occurrence
 * can be sent to the candlestick chart with the page-wide `ironforge:highlight` event.
 */
import { clockOffsetMs } from './clock.js';
import { inlineJson } from './html.js';
import { KIND_COLORS, KIND_NAMES } from './palette.js';
import type { MotifBrowserInfo, MotifOccurrenceRow, MotifRow } from './types.js';

/** Most motifs in the browser besides every PROMOTE and FLOOR-LIMITED one (those are always kept). */
export const MOTIF_BROWSER_CAP = 2000;
/** Most occurrences listed per motif. */
export const OCCURRENCES_PER_MOTIF = 200;
/** Occurrences every shown motif keeps (up to its count) before the budget is spent on the first ones. */
export const OCCURRENCES_MIN = 2;
/** Occurrences in the file at most, beyond OCCURRENCES_MIN per motif: topped up in the browser's order. */
export const OCCURRENCE_BUDGET = 5000;

export const CLASS_ORDER = ['PROMOTE', 'FLOOR-LIMITED', 'PARK', 'DISCARD'];
const KEEP_ALL = new Set(['PROMOTE', 'FLOOR-LIMITED']);

/** z for ranking: NaN/absent sort last. */
function rankZ(m: MotifRow): number {
  return typeof m.z === 'number' && !Number.isNaN(m.z) ? m.z : -Infinity;
}

/**
 * Indices (into `motifs`) the browser shows, in its default order: every PROMOTE and FLOOR-LIMITED motif (in the
 * given order), then the others by z descending (ties: given order), at most `cap` of those others.
 */
export function selectBrowserMotifs(motifs: readonly MotifRow[], cap = MOTIF_BROWSER_CAP): number[] {
  const keep: number[] = [];
  const rest: number[] = [];
  motifs.forEach((m, i) => (KEEP_ALL.has(m.class) ? keep : rest).push(i));
  keep.sort(
    (a, b) =>
      CLASS_ORDER.indexOf(motifs[a].class) - CLASS_ORDER.indexOf(motifs[b].class) ||
      rankZ(motifs[b]) - rankZ(motifs[a]) ||
      a - b,
  );
  rest.sort((a, b) => rankZ(motifs[b]) - rankZ(motifs[a]) || a - b);
  return keep.concat(rest.slice(0, Math.max(0, cap - keep.length)));
}

/** 4 significant digits; null for NaN/±Infinity (JSON has no NaN). */
function sig(v: number | null | undefined): number | null {
  if (v === null || v === undefined || !Number.isFinite(v)) return null;
  return Number(v.toPrecision(4));
}

export interface BrowserPayload {
  json: string;
  shown: number;
  occurrencesShown: number;
  /** Whether any shown motif has more occurrences than are listed. */
  occurrencesCapped: boolean;
}

/** The browser's JSON (escaped for an inline script block) for `motifs[sel]`. */
export function browserPayload(
  motifs: readonly MotifRow[],
  sel: readonly number[],
  info: MotifBrowserInfo | undefined,
  extra: { tested: number; cap: number; zone: string },
): BrowserPayload {
  const classes = [...CLASS_ORDER];
  for (const i of sel) if (!classes.includes(motifs[i].class)) classes.push(motifs[i].class);
  const families: string[] = [];
  const pMethods = ['monte-carlo', 'tail', 'floor'];
  const idOverride: Record<number, string> = {};
  const col = {
    kinds: [] as string[],
    edges: [] as string[],
    cls: [] as number[],
    fam: [] as number[],
    pm: [] as number[],
    count: [] as number[],
    sup: [] as number[],
    lift: [] as (number | null)[],
    lo: [] as (number | null)[],
    hi: [] as (number | null)[],
    p: [] as (number | null)[],
    q: [] as (number | null)[],
    z: [] as (number | null)[],
    dn: [] as (number | null)[],
  };
  sel.forEach((mi, r) => {
    const m = motifs[mi];
    const kinds = Array.from(m.kinds).join('');
    const edges = typeof m.edges === 'string' ? m.edges : m.edges.map(([a, b]) => `${a}>${b}`).join(',');
    col.kinds.push(kinds);
    // unlabeled edges as digit pairs ("0>1,1>2" → "0112"): '>' would cost 6 bytes each once escaped
    col.edges.push(/^(\d>\d(,|$))*$/.test(edges) ? edges.replace(/[>,]/g, '') : edges);
    if (m.id !== `M${m.size}:kinds=${Array.from(m.kinds).join(',')}:edges=${edges}`) idOverride[r] = m.id;
    col.cls.push(classes.indexOf(m.class));
    let f = -1;
    if (m.family !== undefined) {
      f = families.indexOf(m.family);
      if (f < 0) f = families.push(m.family) - 1;
    }
    col.fam.push(f);
    let pm = -1;
    if (m.pMethod !== undefined) {
      pm = pMethods.indexOf(m.pMethod);
      if (pm < 0) pm = pMethods.push(m.pMethod) - 1;
    }
    col.pm.push(pm);
    col.count.push(m.count);
    col.sup.push(m.support);
    col.lift.push(sig(m.lift));
    col.lo.push(sig(m.ciLow));
    col.hi.push(sig(m.ciHigh));
    col.p.push(sig(m.p));
    col.q.push(sig(m.q));
    col.z.push(sig(m.z));
    col.dn.push(m.drawsNeeded ?? null);
  });

  // occurrences: grouped by shown motif, ordered by session (info order) then first event; capped
  const rowOf = new Map<string, number>();
  sel.forEach((mi, r) => rowOf.set(motifs[mi].id, r));
  const sessions = info?.sessions ?? [];
  const sessionIdx = new Map(sessions.map((s, i) => [s.id, i]));
  // Grouped and ordered first (by session, then first event), formatted after: only the occurrences the budget
  // keeps are copied and encoded — the info may list up to OCCURRENCES_PER_MOTIF for each of thousands of motifs.
  const byRow: { s: number; first: number; o: MotifOccurrenceRow }[][] = sel.map(() => []);
  for (const o of info?.occurrences ?? []) {
    const r = rowOf.get(o.motifId);
    const s = sessionIdx.get(o.sessionId);
    if (r === undefined || s === undefined) continue;
    let first = o.nodes.length > 0 ? o.nodes[0] : NaN; // the smallest event index: nodes[0] once sorted
    for (let k = 1; k < o.nodes.length; k++) if (o.nodes[k] < first) first = o.nodes[k];
    byRow[r].push({ s, first, o });
  }
  for (const list of byRow) list.sort((a, b) => a.s - b.s || a.first - b.first);
  const take = byRow.map((l) => Math.min(l.length, OCCURRENCES_MIN));
  let budget = OCCURRENCE_BUDGET;
  for (let r = 0; r < byRow.length && budget > 0; r++) {
    const more = Math.min(byRow[r].length, OCCURRENCES_PER_MOTIF) - take[r];
    if (more <= 0) continue;
    const add = Math.min(more, budget);
    take[r] += add;
    budget -= add;
  }
  const usedSessions = new Map<number, number>();
  const occ = {
    start: [0] as number[],
    s: [] as number[],
    n: [] as number[],
    total: [] as number[],
    e: [] as string[], // joined with ',' below: one string, not one JSON string per occurrence
  };
  let occurrencesCapped = false;
  byRow.forEach((list, r) => {
    occ.total.push(list.length);
    if (take[r] < list.length) occurrencesCapped = true;
    for (const { s, o } of list.slice(0, take[r])) {
      let si = usedSessions.get(s);
      if (si === undefined) {
        si = usedSessions.size;
        usedSessions.set(s, si);
      }
      const nodes = Array.from(o.nodes);
      const sorted = nodes.every((v, k) => k === 0 || v > nodes[k - 1]);
      // edges as digit pairs of positions (motifs have ≤ 9 nodes); positions refer to the ascending node order
      const edges =
        sorted && o.edges && Array.from(o.edges).every((v) => v >= 0 && v < nodes.length && v < 10)
          ? Array.from(o.edges).join('')
          : '';
      if (!sorted) nodes.sort((a, b) => a - b);
      occ.s.push(si);
      occ.e.push(edges);
      // first node absolute, then gaps: small numbers keep the JSON short
      nodes.forEach((v, k) => occ.n.push(k === 0 ? v : v - nodes[k - 1]));
    }
    occ.start.push(occ.s.length);
  });
  const sess = { id: [] as string[], date: [] as string[], t0: [] as number[], u: [] as number[] };
  const dt: number[][] = [];
  const off: (number | null)[] = [];
  for (const [orig] of usedSessions) {
    const s = sessions[orig];
    const t = Array.from(s.t);
    const t0 = t.length > 0 ? t[0] : 0;
    const u = t.every((x) => (x - t0) % 1000 === 0) ? 1000 : 1;
    sess.id.push(s.id);
    sess.date.push(s.date ?? '');
    sess.t0.push(t0);
    sess.u.push(u);
    dt.push(t.map((x) => (x - t0) / u));
    off.push(s.clocks ? clockOffsetMs(t.map((x, i) => ({ t: x, clock: s.clocks![i] ?? '' }))) : null);
  }
  const th = info?.thresholds ?? { promoteLift: 2, promoteQ: 0.01, promoteCiLow: 1.5 };
  const payload = {
    v: 1,
    kindNames: KIND_NAMES,
    kindColors: KIND_COLORS,
    classes,
    families,
    pMethods,
    tested: extra.tested,
    cap: extra.cap,
    occCap: OCCURRENCES_PER_MOTIF,
    zone: extra.zone,
    nullModel: info?.nullModel ?? null,
    thr: { lift: th.promoteLift, q: th.promoteQ, ci: th.promoteCiLow },
    ids: idOverride,
    m: col,
    s: { ...sess, dt, off },
    o: { ...occ, e: occ.e.join(',') },
  };
  return {
    json: inlineJson(payload),
    shown: sel.length,
    occurrencesShown: occ.s.length,
    occurrencesCapped,
  };
}

export const BROWSER_CSS = `
.mb-controls{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:center;margin:14px 0 6px;font-size:13px;color:#3e4c59}
.mb-controls select,.mb-controls input{font:inherit;padding:3px 6px;border:1px solid #bcccdc;border-radius:4px;background:#fff}
.mb-controls input{min-width:220px}
.mb-count{color:#52606d;font-weight:600}
table.mb-table th button{font:inherit;font-weight:600;color:inherit;background:none;border:0;padding:0;cursor:pointer}
table.mb-table th button:focus-visible,table.mb-table tr:focus-visible{outline:2px solid #1f4e79;outline-offset:1px}
table.mb-table th[aria-sort=ascending] button::after{content:" ▲";font-size:9px}
table.mb-table th[aria-sort=descending] button::after{content:" ▼";font-size:9px}
table.mb-table tbody tr{cursor:pointer}
table.mb-table tbody tr.sel td{background:#e8f1fb}
table.mb-table td.name{min-width:240px}
table.mb-table td.name small{display:block;color:#7b8794;font-size:11px}
.badge.cls-floor-limited{background:#efe7fb;color:#6f42c1}
.mb-pager{display:flex;gap:10px;align-items:center;margin:8px 0;font-size:13px;color:#52606d}
.mb-pager button,.mb-jump{font:inherit;font-size:12px;padding:2px 10px;border:1px solid #bcccdc;border-radius:4px;background:#fff;cursor:pointer}
.mb-pager button:disabled{opacity:.45;cursor:default}
.mb-detail{border:1px solid #d9e2ec;border-radius:6px;padding:10px 14px;margin-top:10px;background:#fbfcfd}
.mb-detail h3{margin:0 0 4px}
.mb-detail .meta{color:#52606d;font-size:12px;margin:0 0 6px}
.mb-zero{border-left:4px solid #b7791f;background:#fffaf0;padding:6px 12px;margin:8px 0;color:#3e4c59}
`
  .trim()
  .replace(/\n/g, '');

/**
 * Client script (plain ES2015, no external references). Reads `#motif-data`, renders `#mb-body`, the pager and
 * `#mb-detail`; user strings go through textContent, only numbers and fixed colours through innerHTML.
 */
export const BROWSER_SCRIPT = `
(function(){
var root=document.getElementById('motif-browser');var dataEl=document.getElementById('motif-data');
if(!root||!dataEl)return;
var D=JSON.parse(dataEl.textContent);var M=D.m;var N=M.cls.length;var PER=25;
var KN=D.kindNames,KC=D.kindColors;
function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;if(text!==undefined)e.textContent=text;return e;}
function fmt(v){if(v===null||v===undefined)return '—';if(v===0)return '0';var a=Math.abs(v);if(a<1e-3||a>=1e9)return v.toExponential(2);return String(Number(v.toPrecision(4)));}
function fmtP(v){if(v===null||v===undefined)return '—';if(v===0)return '0';if(v<1e-3)return v.toExponential(2);return v.toPrecision(3);}
function int(v){return String(v).replace(/\\B(?=(\\d{3})+(?!\\d))/g,',');}
var kinds=[],edges=[],names=[],ids=[],search=[];
for(var i=0;i<N;i++){
  var k=M.kinds[i].split('').map(Number);kinds.push(k);
  var e0=M.edges[i],es=[];
  if(e0.indexOf('>')>=0)es=e0.split(',').map(function(t){var m=/^(\\d+)>(\\d+)/.exec(t);return [Number(m[1]),Number(m[2])];});
  else for(var j=0;j+1<e0.length;j+=2)es.push([Number(e0[j]),Number(e0[j+1])]);
  edges.push(es);
  ids.push(D.ids[i]!==undefined?D.ids[i]:'M'+k.length+':kinds='+k.join(',')+':edges='+(e0.indexOf('>')>=0?e0:es.map(function(e){return e[0]+'>'+e[1];}).join(',')));
  names.push(nameOf(k,es));
  search.push((names[i]+' '+ids[i]+' '+(M.fam[i]>=0?D.families[M.fam[i]]:'')).toLowerCase());
}
function nameOf(k,es){
  var n=k.length,indeg=[],outdeg=[],next=[];for(var j=0;j<n;j++){indeg.push(0);outdeg.push(0);next.push(-1);}
  es.forEach(function(e){outdeg[e[0]]++;indeg[e[1]]++;next[e[0]]=e[1];});
  var path=es.length===n-1,start=-1;
  for(j=0;j<n;j++){if(indeg[j]>1||outdeg[j]>1)path=false;if(indeg[j]===0){if(start>=0)path=false;start=j;}}
  if(path&&start>=0){var seq=[],v=start;while(v>=0&&seq.length<=n){seq.push(KN[k[v]]);v=next[v];}if(seq.length===n)return seq.join(' → ');}
  return k.map(function(x){return KN[x];}).join(', ')+' · '+es.length+' edges';
}
function shape(i){
  var k=kinds[i],n=k.length,W=14+(n-1)*22,H=36,cy=18,s='';
  function x(j){return 7+j*22;}
  edges[i].forEach(function(e){
    var x1=x(e[0]),x2=x(e[1]),span=Math.abs(e[1]-e[0]),dir=e[1]>e[0]?1:-1,tx,ty,ang;
    if(span===1){s+='<line x1="'+x1+'" y1="'+cy+'" x2="'+x2+'" y2="'+cy+'" stroke="#9aa5b1"/>';tx=x2-dir*6;ty=cy;ang=dir>0?0:Math.PI;}
    else{var h=(dir>0?-1:1)*(4+span*3),mx=(x1+x2)/2;s+='<path d="M'+x1+' '+cy+'Q'+mx+' '+(cy+2*h)+' '+x2+' '+cy+'" fill="none" stroke="#9aa5b1"/>';
      ang=Math.atan2(-2*h,x2-mx);tx=x2-6*Math.cos(ang);ty=cy-6*Math.sin(ang);}
    var c=Math.cos(ang),sn=Math.sin(ang);
    s+='<polygon points="'+tx.toFixed(1)+','+ty.toFixed(1)+' '+(tx-5*c+3*sn).toFixed(1)+','+(ty-5*sn-3*c).toFixed(1)+' '+(tx-5*c-3*sn).toFixed(1)+','+(ty-5*sn+3*c).toFixed(1)+'" fill="#7b8794"/>';
  });
  for(var j=0;j<n;j++)s+='<circle cx="'+x(j)+'" cy="'+cy+'" r="5" fill="'+KC[k[j]]+'"/>';
  return '<svg class="motif" width="'+W+'" height="'+H+'" viewBox="0 0 '+W+' '+H+'" aria-hidden="true">'+s+'</svg>';
}
var COLS={name:function(i){return names[i];},family:function(i){return M.fam[i]>=0?D.families[M.fam[i]]:'';},size:function(i){return kinds[i].length;},
  cls:function(i){return M.cls[i];},sup:function(i){return M.sup[i];},count:function(i){return M.count[i];},lift:function(i){return M.lift[i];},
  p:function(i){return M.p[i];},q:function(i){return M.q[i];},z:function(i){return M.z[i];},rank:function(i){return i;}};
var st={sort:'rank',dir:1,page:0,sel:-1,view:[]};
var q=function(id){return document.getElementById(id);};
var fCls=q('mb-class'),fFam=q('mb-family'),fSize=q('mb-size'),fKind=q('mb-kind'),fText=q('mb-search');
function opt(sel,value,label){var o=el('option',null,label);o.value=value;sel.appendChild(o);}
D.classes.forEach(function(c,ci){var n=M.cls.filter(function(x){return x===ci;}).length;if(n>0)opt(fCls,String(ci),c+' ('+n+')');});
D.families.forEach(function(f,fi){opt(fFam,String(fi),f);});if(D.families.length===0)fFam.disabled=true;
var sizes={};kinds.forEach(function(k){sizes[k.length]=1;});Object.keys(sizes).map(Number).sort().forEach(function(z){opt(fSize,String(z),z+' nodes');});
KN.forEach(function(name,ki){opt(fKind,String(ki),name);});
function apply(){
  var c=fCls.value,f=fFam.value,z=fSize.value,kd=fKind.value,t=fText.value.trim().toLowerCase(),out=[];
  for(var i=0;i<N;i++){
    if(c!==''&&M.cls[i]!==Number(c))continue;
    if(f!==''&&M.fam[i]!==Number(f))continue;
    if(z!==''&&kinds[i].length!==Number(z))continue;
    if(kd!==''&&kinds[i].indexOf(Number(kd))<0)continue;
    if(t&&search[i].indexOf(t)<0)continue;
    out.push(i);
  }
  var key=COLS[st.sort],dir=st.dir;
  out.sort(function(a,b){var x=key(a),y=key(b);
    if(x===y)return a-b;if(x===null||x===undefined)return 1;if(y===null||y===undefined)return -1;
    return (x<y?-1:1)*dir;});
  st.view=out;var pages=Math.max(1,Math.ceil(out.length/PER));if(st.page>=pages)st.page=pages-1;render();
}
function render(){
  var body=q('mb-body');body.textContent='';var v=st.view,from=st.page*PER,to=Math.min(v.length,from+PER);
  for(var r=from;r<to;r++){var i=v[r],tr=el('tr');tr.tabIndex=0;tr.setAttribute('data-i',String(i));if(i===st.sel)tr.className='sel';
    var td=el('td','shape');td.innerHTML=shape(i);tr.appendChild(td);
    td=el('td','name',names[i]);td.appendChild(el('small','mono',ids[i]));tr.appendChild(td);
    tr.appendChild(el('td',null,COLS.family(i)||'—'));
    tr.appendChild(el('td','num',String(kinds[i].length)));
    td=el('td');var cn=D.classes[M.cls[i]];td.appendChild(el('span','badge cls-'+cn.toLowerCase().replace(/[^a-z0-9-]/g,''),cn));tr.appendChild(td);
    tr.appendChild(el('td','num',int(M.sup[i])));tr.appendChild(el('td','num',int(M.count[i])));
    td=el('td','num nowrap');td.appendChild(el('span','strong',fmt(M.lift[i])));td.appendChild(el('span','ci',' ['+fmt(M.lo[i])+', '+fmt(M.hi[i])+']'));tr.appendChild(td);
    tr.appendChild(el('td','num nowrap',fmtP(M.p[i])+(M.pm[i]>=0?' ('+D.pMethods[M.pm[i]]+')':'')));
    tr.appendChild(el('td','num',fmtP(M.q[i])));tr.appendChild(el('td','num',fmt(M.z[i])));
    body.appendChild(tr);}
  q('mb-count').textContent=int(v.length)+' of '+int(N)+' motifs'+(D.tested>N?' (of '+int(D.tested)+' tested)':'');
  var pages=Math.max(1,Math.ceil(v.length/PER));
  q('mb-page').textContent='Page '+(st.page+1)+' of '+pages;
  q('mb-prev').disabled=st.page<=0;q('mb-next').disabled=st.page>=pages-1;
  Array.prototype.forEach.call(root.querySelectorAll('th[data-sort]'),function(th){
    th.setAttribute('aria-sort',th.getAttribute('data-sort')===st.sort?(st.dir>0?'ascending':'descending'):'none');});
}
function clock(t,si){var off=D.s.off[si];var d=86400000;var x=((t+(off===null?0:off))%d+d)%d;var s=Math.floor(x/1000);
  function p2(n){return (n<10?'0':'')+n;}return p2(Math.floor(s/3600))+':'+p2(Math.floor(s/60)%60)+':'+p2(s%60);}
function occTimes(i,o){var si=D.o.s[o],t=[];
  var nodes=occFlat(i)[o-D.o.start[i]];for(var j=0;j<nodes.length;j++)t.push(D.s.t0[si]+D.s.dt[si][nodes[j]]*D.s.u[si]);return t;}
var flatCache={},nodeStart=[0];
for(i=0;i<N;i++)nodeStart.push(nodeStart[i]+(D.o.start[i+1]-D.o.start[i])*kinds[i].length);
function occFlat(i){if(flatCache[i])return flatCache[i];var n=kinds[i].length,out=[],pos=nodeStart[i];
  for(var o=D.o.start[i];o<D.o.start[i+1];o++){var a=[],v=0;for(var j=0;j<n;j++){v=j===0?D.o.n[pos]:v+D.o.n[pos];a.push(v);pos++;}out.push(a);}
  flatCache[i]=out;return out;}
var occE=typeof D.o.e==='string'&&D.o.e.length?D.o.e.split(','):[];
function occEdges(i,o){var nodes=occFlat(i)[o-D.o.start[i]],e=occE[o]||'',out=[];
  for(var j=0;j+1<e.length;j+=2)out.push([nodes[Number(e[j])],nodes[Number(e[j+1])]]);return out;}
function jump(i,o){var si=D.o.s[o];var sid=D.s.id[si];var times=occTimes(i,o);
  window.dispatchEvent(new CustomEvent('ironforge:highlight',{detail:{sessionId:sid,times:times,label:names[i],edges:occEdges(i,o)}}));
  var target=document.getElementById('chart')||document.getElementById('timeline');if(target&&target.scrollIntoView)target.scrollIntoView({block:'start'});}
// every listed occurrence of motif i in session si, one mark each (at its first event)
function showAll(i,si){var t=[];for(var o=D.o.start[i];o<D.o.start[i+1];o++){if(D.o.s[o]===si)t.push(occTimes(i,o)[0]);}
  window.dispatchEvent(new CustomEvent('ironforge:highlight',{detail:{sessionId:D.s.id[si],times:t,label:names[i]+' ×'+t.length}}));return t.length;}
function select(i){
  st.sel=i;render();var box=q('mb-detail');box.textContent='';box.hidden=false;
  box.appendChild(el('h3',null,names[i]));
  var meta=D.classes[M.cls[i]]+' · '+kinds[i].length+' nodes · '+edges[i].length+' edges · support '+int(M.sup[i])+' · count '+int(M.count[i])+' · lift '+fmt(M.lift[i])+' ['+fmt(M.lo[i])+', '+fmt(M.hi[i])+'] · p '+fmtP(M.p[i])+(M.pm[i]>=0?' ('+D.pMethods[M.pm[i]]+')':'')+' · q '+fmtP(M.q[i])+(M.dn[i]!==null?' · null draws needed '+int(M.dn[i]):'');
  box.appendChild(el('p','meta',meta));box.appendChild(el('p','meta mono',ids[i]));
  var list=occFlat(i),total=D.o.total[i];
  if(total===0){box.appendChild(el('p','empty','No occurrences of this motif in the sessions of this run'+(D.s.id.length?'':' (occurrences were not computed)')+'.'));return;}
  box.appendChild(el('p','meta',(list.length<total?'Showing '+int(list.length)+' of '+int(total)+' occurrences (at most '+D.occCap+' per motif are kept in the file).':int(total)+' occurrences.')+' “Show on chart” highlights the events on the session chart.'));
  var si0=D.o.s[D.o.start[i]],nIn=showAll(i,si0);
  box.appendChild(el('p','meta','Marked on the chart: the '+int(nIn)+' listed occurrence'+(nIn===1?'':'s')+' in '+D.s.id[si0]+' (one mark each, at its first event).'));
  var tbl=el('table','data compact mb-occ'),head=el('tr');['Session','Date','First … last ('+D.zone+')','Events',''].forEach(function(h){head.appendChild(el('th',null,h));});
  var th=el('thead');th.appendChild(head);tbl.appendChild(th);var tb=el('tbody');
  list.forEach(function(nodes,r){var o=D.o.start[i]+r,si=D.o.s[o],t=occTimes(i,o),tr=el('tr');
    tr.appendChild(el('td','mono',D.s.id[si]));tr.appendChild(el('td',null,D.s.date[si]));
    tr.appendChild(el('td','nowrap',clock(t[0],si)+' … '+clock(t[t.length-1],si)));
    tr.appendChild(el('td','mono',nodes.map(function(v){return '#'+v;}).join(' ')));
    var td=el('td'),b=el('button','mb-jump','Show on chart');b.type='button';b.setAttribute('data-o',String(o));
    b.addEventListener('click',function(){jump(i,o);});td.appendChild(b);tr.appendChild(td);tb.appendChild(tr);});
  tbl.appendChild(tb);var wrap=el('div','table-wrap');wrap.appendChild(tbl);box.appendChild(wrap);
}
[fCls,fFam,fSize,fKind].forEach(function(s){s.addEventListener('change',function(){st.page=0;apply();});});
fText.addEventListener('input',function(){st.page=0;apply();});
q('mb-prev').addEventListener('click',function(){if(st.page>0){st.page--;render();}});
q('mb-next').addEventListener('click',function(){st.page++;var pages=Math.ceil(st.view.length/PER);if(st.page>=pages)st.page=Math.max(0,pages-1);render();});
Array.prototype.forEach.call(root.querySelectorAll('th[data-sort] button'),function(b){
  b.addEventListener('click',function(){var k=b.parentNode.getAttribute('data-sort');
    if(st.sort===k)st.dir=-st.dir;else{st.sort=k;st.dir=(k==='name'||k==='family'||k==='cls'||k==='size'||k==='p'||k==='q')?1:-1;}st.page=0;apply();});});
var body=q('mb-body');
body.addEventListener('click',function(e){var tr=e.target.closest('tr[data-i]');if(tr)select(Number(tr.getAttribute('data-i')));});
body.addEventListener('keydown',function(e){if(e.key!=='Enter'&&e.key!==' ')return;var tr=e.target.closest('tr[data-i]');if(tr){e.preventDefault();select(Number(tr.getAttribute('data-i')));}});
apply();
})();
`.trim();
