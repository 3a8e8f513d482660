/**
 * A motif drawn as a tiny inline SVG: nodes left → right in canonical index order, filled by event kind; edges
 * as arrows. Edges between neighbours are straight; longer forward edges arc above the row and backward edges
 * (q < p, possible in a canonical order that is not topological) arc below, with the arc height growing with the
 * span so arcs do not overlap. Arrowheads are drawn as small triangles (no <marker> ids to collide on the page).
 */
import { esc } from './html.js';
import { KIND_COLORS, KIND_NAMES, checkKind } from './palette.js';

export interface MotifEdge {
  from: number;
  to: number;
  /** Edge label from the canonical ID (e.g. an intent code), "" when unlabeled. */
  label: string;
}

/** Parse canonical edges `p>q,p>q@label` (or explicit pairs) and check every index against `size`. */
export function parseMotifEdges(
  edges: string | ReadonlyArray<readonly [number, number]>,
  size: number,
  where: string,
): MotifEdge[] {
  const out: MotifEdge[] = [];
  if (typeof edges === 'string') {
    for (const part of edges.split(',')) {
      const token = part.trim();
      if (token === '') continue;
      const m = /^(\d+)>(\d+)(?:@(.*))?$/.exec(token);
      if (!m) throw new Error(`dashboard: ${where}.edges has "${token}", expected "p>q" or "p>q@label"`);
      out.push({ from: Number(m[1]), to: Number(m[2]), label: m[3] ?? '' });
    }
  } else {
    for (const pair of edges) out.push({ from: pair[0], to: pair[1], label: '' });
  }
  for (const e of out) {
    for (const v of [e.from, e.to])
      if (!(Number.isInteger(v) && v >= 0 && v < size))
        throw new Error(`dashboard: ${where}.edges references node ${v}, expected 0..${size - 1}`);
    if (e.from === e.to) throw new Error(`dashboard: ${where}.edges has a self-loop on node ${e.from}`);
  }
  return out;
}

const R = 7; // node radius
const GAP = 30; // centre distance between neighbours
const PAD = 10;
const ARC = 9; // arc height per unit of span beyond 1

const r2 = (v: number): string => (Math.round(v * 100) / 100).toString();

function arrowHead(tipX: number, tipY: number, dirX: number, dirY: number): string {
  const len = Math.hypot(dirX, dirY) || 1;
  const ux = dirX / len;
  const uy = dirY / len;
  const back = 6;
  const half = 3;
  const bx = tipX - ux * back;
  const by = tipY - uy * back;
  const p1 = `${r2(bx - uy * half)},${r2(by + ux * half)}`;
  const p2 = `${r2(bx + uy * half)},${r2(by - ux * half)}`;
  return `<polygon points="${r2(tipX)},${r2(tipY)} ${p1} ${p2}" fill="#52606d"/>`;
}

/** The motif as an `<svg>` string (kinds: kind code per node; edges already parsed). */
export function motifSvg(kinds: ArrayLike<number>, edges: readonly MotifEdge[], where: string): string {
  const n = kinds.length;
  if (n < 1) throw new Error(`dashboard: ${where}.kinds is empty`);
  const spans = edges.map((e) => Math.abs(e.to - e.from));
  const maxUp = Math.max(0, ...edges.filter((e) => e.to > e.from).map((e) => e.to - e.from - 1));
  const maxDown = Math.max(0, ...edges.filter((e) => e.to < e.from).map((e) => e.from - e.to - 1));
  const cy = PAD + R + maxUp * ARC + (maxUp > 0 ? 4 : 0);
  const width = 2 * PAD + 2 * R + (n - 1) * GAP;
  const height = cy + R + PAD + maxDown * ARC + (maxDown > 0 ? 4 : 0);
  const x = (i: number): number => PAD + R + i * GAP;
  const parts: string[] = [];
  edges.forEach((e, k) => {
    const x1 = x(e.from);
    const x2 = x(e.to);
    const dir = Math.sign(x2 - x1);
    const title = `<title>${esc(`${e.from} → ${e.to}${e.label ? ` @${e.label}` : ''}`)}</title>`;
    if (spans[k] === 1) {
      const sx = x1 + dir * R;
      const tx = x2 - dir * R;
      parts.push(
        `<g><line x1="${r2(sx)}" y1="${r2(cy)}" x2="${r2(tx - dir * 5)}" y2="${r2(cy)}" stroke="#52606d" stroke-width="1.3"/>` +
          `${arrowHead(tx, cy, dir, 0)}${title}</g>`,
      );
      return;
    }
    // Quadratic arc: control point above (forward) or below (backward) the midpoint.
    const h = (spans[k] - 1) * ARC + 12;
    const cxp = (x1 + x2) / 2;
    const cyp = dir > 0 ? cy - 2 * h : cy + 2 * h;
    const startDir = [cxp - x1, cyp - cy];
    const endDir = [x2 - cxp, cy - cyp];
    const sl = Math.hypot(startDir[0], startDir[1]);
    const el = Math.hypot(endDir[0], endDir[1]);
    const sx = x1 + (startDir[0] / sl) * R;
    const sy = cy + (startDir[1] / sl) * R;
    const tx = x2 - (endDir[0] / el) * R;
    const ty = cy - (endDir[1] / el) * R;
    // Stop the stroke short of the tip so the line does not poke through the arrowhead.
    const lx = tx - (endDir[0] / el) * 5;
    const ly = ty - (endDir[1] / el) * 5;
    parts.push(
      `<g><path d="M${r2(sx)} ${r2(sy)}Q${r2(cxp)} ${r2(cyp)} ${r2(lx)} ${r2(ly)}" fill="none" stroke="#52606d" stroke-width="1.3"/>` +
        `${arrowHead(tx, ty, endDir[0], endDir[1])}${title}</g>`,
    );
  });
  for (let i = 0; i < n; i++) {
    const kind = checkKind(kinds[i], `${where}.kinds[${i}]`);
    parts.push(
      `<circle cx="${r2(x(i))}" cy="${r2(cy)}" r="${R}" fill="${KIND_COLORS[kind]}" stroke="#ffffff" stroke-width="1.5">` +
        `<title>${i}: ${esc(KIND_NAMES[kind])}</title></circle>`,
    );
  }
  return (
    `<svg class="motif" xmlns="http://www.w3.org/2000/svg" width="${r2(width)}" height="${r2(height)}" ` +
    `viewBox="0 0 ${r2(width)} ${r2(height)}" role="img" aria-label="motif drawing">${parts.join('')}</svg>`
  );
}
