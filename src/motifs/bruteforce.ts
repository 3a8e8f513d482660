/**
 * Reference implementations for tests: exhaustive k-subset enumeration with a connectivity check, and
 * isomorphism by trying every node permutation. Exponential; for small graphs only.
 */
import type { Dag } from '../graph/index.js';
import { canonicalForm, formKey, pairCount, pairIndex, PERMUTATIONS } from './canonical.js';

/** Directed edge set of a Dag as "u,v" strings → label. */
function edgeMap(dag: Dag, labels?: Uint8Array): Map<string, number> {
  const m = new Map<string, number>();
  for (let e = 0; e < dag.src.length; e++) m.set(`${dag.src[e]},${dag.dst[e]}`, labels ? labels[e] : 0);
  return m;
}

/**
 * Every weakly connected induced subgraph of size k, found by testing all C(n, k) node subsets. Returns the
 * subsets (ascending node lists) and each one's canonical key (kinds + topology (+ labels)).
 */
export function bruteForceSubgraphs(
  dag: Dag,
  kind: Uint8Array,
  k: number,
  labels?: Uint8Array,
): { nodes: number[]; key: number }[] {
  const n = dag.n;
  const edges = edgeMap(dag, labels);
  const out: { nodes: number[]; key: number }[] = [];
  const cur: number[] = [];
  const rec = (start: number): void => {
    if (cur.length === k) {
      if (!connected(cur, edges)) return;
      const pairs = new Array<number>(pairCount(k)).fill(0);
      for (let p = 0; p < k; p++)
        for (let q = p + 1; q < k; q++) {
          const lab = edges.get(`${cur[p]},${cur[q]}`);
          if (lab !== undefined) pairs[pairIndex(p, q, k)] = 1 + lab;
        }
      const form = canonicalForm(
        k,
        cur.map((v) => kind[v]),
        pairs,
      );
      out.push({ nodes: cur.slice(), key: formKey(form) });
      return;
    }
    for (let v = start; v <= n - (k - cur.length); v++) {
      cur.push(v);
      rec(v + 1);
      cur.pop();
    }
  };
  rec(0);
  return out;
}

function connected(nodes: number[], edges: Map<string, number>): boolean {
  const seen = new Set<number>([nodes[0]]);
  const stack = [nodes[0]];
  while (stack.length) {
    const u = stack.pop() as number;
    for (const v of nodes)
      if (!seen.has(v) && (edges.has(`${u},${v}`) || edges.has(`${v},${u}`))) {
        seen.add(v);
        stack.push(v);
      }
  }
  return seen.size === nodes.length;
}

/** A small labeled digraph: kinds per node and a directed adjacency matrix (0 none, 1 + label edge). */
export interface SmallDigraph {
  kinds: number[];
  adj: number[][];
}

/** True when some permutation maps g onto h preserving kinds, edges, directions and labels. */
export function bruteIsomorphic(g: SmallDigraph, h: SmallDigraph): boolean {
  const s = g.kinds.length;
  if (h.kinds.length !== s) return false;
  const perms = PERMUTATIONS[s];
  for (let off = 0; off < perms.length; off += s) {
    let ok = true;
    for (let i = 0; i < s && ok; i++) if (g.kinds[i] !== h.kinds[perms[off + i]]) ok = false;
    for (let i = 0; i < s && ok; i++)
      for (let j = 0; j < s && ok; j++) if (g.adj[i][j] !== h.adj[perms[off + i]][perms[off + j]]) ok = false;
    if (ok) return true;
  }
  return false;
}
