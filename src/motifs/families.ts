/**
 * Families of PROMOTE motifs (EVIDENCE §4: overlapping occurrences are not independent findings). Nested
 * variants — a 3-node chain, the 4-node chain around it, a 5-node motif around that — are one finding.
 *
 * Relation: two PROMOTE motifs A (size s) and B (size s + 1) are related when A's canonical form is the
 * canonical form of a connected induced subgraph of B obtained by deleting one node of B. Families are the
 * connected components of that relation among PROMOTE motifs (union–find); motifs of other classes never join
 * and never bridge two PROMOTE motifs. Pure.
 */
import {
  canonicalForm,
  formFromKey,
  formKey,
  pairIndex,
  MIN_MOTIF_SIZE,
  type MotifForm,
} from './canonical.js';
import type { MotifFamily, MotifResult, MotifStatistic } from './types.js';

/**
 * Canonical keys of the connected induced sub-motifs of `form` with one node deleted (none below
 * MIN_MOTIF_SIZE). Node order stays topological after a deletion, so the remaining pairs are a raw form.
 */
export function oneNodeSubMotifKeys(form: MotifForm): number[] {
  const s = form.size;
  if (s - 1 < MIN_MOTIF_SIZE) return [];
  const out = new Set<number>();
  for (let del = 0; del < s; del++) {
    const keep: number[] = [];
    for (let v = 0; v < s; v++) if (v !== del) keep.push(v);
    const n = s - 1;
    const kinds = keep.map((v) => form.kinds[v]);
    const pairs = new Array<number>((n * (n - 1)) / 2).fill(0);
    const adj: number[][] = Array.from({ length: n }, () => []);
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const code = form.pairs[pairIndex(keep[p], keep[q], s)];
        pairs[pairIndex(p, q, n)] = code;
        if (code !== 0) {
          adj[p].push(q);
          adj[q].push(p);
        }
      }
    if (!connected(adj)) continue;
    out.add(formKey(canonicalForm(n, kinds, pairs)));
  }
  return [...out];
}

function connected(adj: number[][]): boolean {
  const seen = new Array<boolean>(adj.length).fill(false);
  const stack = [0];
  seen[0] = true;
  let count = 1;
  while (stack.length) {
    const v = stack.pop()!;
    for (const w of adj[v])
      if (!seen[w]) {
        seen[w] = true;
        count++;
        stack.push(w);
      }
  }
  return count === adj.length;
}

function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Representative order: larger z first, then smaller size, then id. */
function repOrder(a: MotifResult, b: MotifResult): number {
  const za = Number.isNaN(a.z) ? -Infinity : a.z;
  const zb = Number.isNaN(b.z) ? -Infinity : b.z;
  if (za !== zb) return za > zb ? -1 : 1;
  return a.size - b.size || byId(a.id, b.id);
}

/**
 * Families of the PROMOTE motifs of `results` (see the module comment), ordered by representative z
 * (descending), then representative id, and numbered F1, F2, …. `statistic` is the run's tested statistic
 * (count = occurrences, support = sessions); every family figure that comes from z or lift refers to it.
 */
export function motifFamilies(results: readonly MotifResult[], statistic: MotifStatistic): MotifFamily[] {
  const promoted = results.filter((r) => r.class === 'PROMOTE');
  const index = new Map<number, number>();
  promoted.forEach((r, i) => index.set(r.key, i));
  const parent = Int32Array.from(promoted, (_, i) => i);
  promoted.forEach((r, i) => {
    for (const sub of oneNodeSubMotifKeys(formFromKey(r.key))) {
      const j = index.get(sub);
      if (j === undefined) continue;
      const a = find(parent, i);
      const b = find(parent, j);
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  });
  const groups = new Map<number, MotifResult[]>();
  promoted.forEach((r, i) => {
    const root = find(parent, i);
    const g = groups.get(root);
    if (g) g.push(r);
    else groups.set(root, [r]);
  });
  const fams = [...groups.values()].map((members) => {
    const rep = members.slice().sort(repOrder)[0];
    const ordered = members.slice().sort((a, b) => a.size - b.size || byId(a.id, b.id));
    const sessions = new Set<string>();
    for (const m of members) {
      // members are PROMOTE: they carry their session list under either MineOptions.sessionLists
      if (!m.sessions) throw new Error(`families: PROMOTE motif ${m.id} has no session list`);
      for (const s of m.sessions) sessions.add(s);
    }
    return { rep, ordered, support: sessions.size };
  });
  fams.sort((a, b) => repOrder(a.rep, b.rep));
  return fams.map((f, i) => ({
    id: `F${i + 1}`,
    representative: f.rep.id,
    members: f.ordered.map((m) => m.id),
    sizes: f.ordered.map((m) => m.size),
    statistic,
    z: f.rep.z,
    lift: f.rep.lift,
    count: f.rep.count,
    support: f.support,
  }));
}

/**
 * Copies of `results` with `family` set on every PROMOTE motif (undefined elsewhere), and the families.
 */
export function assignFamilies(
  results: readonly MotifResult[],
  statistic: MotifStatistic,
): { results: MotifResult[]; families: MotifFamily[] } {
  const families = motifFamilies(results, statistic);
  const familyOf = new Map<string, string>();
  for (const f of families) for (const m of f.members) familyOf.set(m, f.id);
  return {
    results: results.map((r) => {
      const out: MotifResult = { ...r };
      delete out.family;
      const f = familyOf.get(r.id);
      if (f !== undefined) out.family = f;
      return out;
    }),
    families,
  };
}
