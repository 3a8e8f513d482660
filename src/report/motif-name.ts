/**
 * A motif's readable name, the same rule as the motif browser's (motif-browser.ts `nameOf`): a simple path reads
 * its kinds in edge order ("LiquidityTaken → Redelivery → Retracement"); any other shape lists its kinds in
 * canonical order and its edge count.
 */
import { parseMotifEdges } from './motif-svg.js';
import { KIND_NAMES } from './palette.js';

export function motifReadableName(
  kinds: ArrayLike<number>,
  edges: string | ReadonlyArray<readonly [number, number]>,
): string {
  const n = kinds.length;
  const es = parseMotifEdges(edges, n, 'motif');
  const indeg = new Int32Array(n);
  const outdeg = new Int32Array(n);
  const next = new Int32Array(n).fill(-1);
  for (const e of es) {
    outdeg[e.from]++;
    indeg[e.to]++;
    next[e.from] = e.to;
  }
  let path = es.length === n - 1;
  let start = -1;
  for (let j = 0; j < n; j++) {
    if (indeg[j] > 1 || outdeg[j] > 1) path = false;
    if (indeg[j] === 0) {
      if (start >= 0) path = false;
      start = j;
    }
  }
  if (path && start >= 0) {
    const seq: string[] = [];
    for (let v = start; v >= 0 && seq.length <= n; v = next[v])
      seq.push(KIND_NAMES[kinds[v]] ?? String(kinds[v]));
    if (seq.length === n) return seq.join(' → ');
  }
  return `${Array.from(kinds, (k) => KIND_NAMES[k] ?? String(k)).join(', ')} · ${es.length} edges`;
}
