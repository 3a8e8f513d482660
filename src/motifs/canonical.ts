/**
 * Canonical motif identity for labeled DAGs of 3–5 nodes.
 *
 * A motif occurrence arrives in "raw" form: its nodes in ascending session index (a topological order, since
 * every DAG edge goes from a lower to a higher index), their kinds, and one pair code per upper-triangle pair
 * (p < q): 0 = no edge, 1 + label = edge p → q carrying that edge label (label 0 when edges are unlabeled).
 *
 * Canonical form: among all relabelings of the nodes that are topological orders (every edge goes from a
 * lower to a higher position), the one whose (kinds, pair codes) sequence is lexicographically smallest.
 * Isomorphic labeled DAGs have the same set of topological relabelings, hence the same minimum; and the form
 * determines the labeled DAG, so non-isomorphic ones differ. Sizes ≤ 5 make the 120-permutation scan cheap;
 * callers memoize raw → canonical anyway (src/motifs/catalog.ts).
 */

export const MIN_MOTIF_SIZE = 3;
export const MAX_MOTIF_SIZE = 5;
/** Kinds are 0..6 (src/session/types.ts); codes use base 8 in keys. */
export const KIND_BASE = 8;
/** Edge labels (e.g. the four edge intents) are 0..3; a pair code is 0 (no edge) or 1 + label. */
export const MAX_EDGE_LABELS = 4;
export const PAIR_BASE = MAX_EDGE_LABELS + 1;

/** Number of unordered pairs of s nodes. */
export function pairCount(s: number): number {
  return (s * (s - 1)) / 2;
}

/** Index of pair (p, q), p < q, in the row-major upper-triangle order (0,1),(0,2)…(0,s−1),(1,2)… */
export function pairIndex(p: number, q: number, s: number): number {
  return p * s - (p * (p + 1)) / 2 + (q - p - 1);
}

/** PAIR_P[s][k], PAIR_Q[s][k]: the endpoints of pair k among s nodes. */
export const PAIR_P: Int8Array[] = [];
export const PAIR_Q: Int8Array[] = [];
for (let s = 0; s <= MAX_MOTIF_SIZE; s++) {
  const P = new Int8Array(Math.max(0, pairCount(s)));
  const Q = new Int8Array(Math.max(0, pairCount(s)));
  for (let p = 0; p < s; p++)
    for (let q = p + 1; q < s; q++) {
      P[pairIndex(p, q, s)] = p;
      Q[pairIndex(p, q, s)] = q;
    }
  PAIR_P.push(P);
  PAIR_Q.push(Q);
}

/** All permutations of 0..s−1 in lexicographic order, flattened (s! rows of s entries). */
function permutations(s: number): Int8Array {
  const out: number[] = [];
  const cur: number[] = [];
  const used = new Array<boolean>(s).fill(false);
  const rec = (): void => {
    if (cur.length === s) {
      out.push(...cur);
      return;
    }
    for (let i = 0; i < s; i++) {
      if (used[i]) continue;
      used[i] = true;
      cur.push(i);
      rec();
      cur.pop();
      used[i] = false;
    }
  };
  rec();
  return Int8Array.from(out);
}

/** PERMUTATIONS[s]: precomputed permutation table for s = 0..5 (used for s = 3, 4, 5). */
export const PERMUTATIONS: Int8Array[] = Array.from({ length: MAX_MOTIF_SIZE + 1 }, (_, s) =>
  permutations(s),
);

/** A labeled DAG motif in canonical (or raw) form. */
export interface MotifForm {
  size: number;
  /** Kind of node p (0..6). */
  kinds: number[];
  /** Pair code per upper-triangle pair (see pairIndex): 0 none, 1 + label = edge p → q. */
  pairs: number[];
}

function checkForm(size: number, kinds: ArrayLike<number>, pairs: ArrayLike<number>): void {
  if (!Number.isInteger(size) || size < MIN_MOTIF_SIZE || size > MAX_MOTIF_SIZE)
    throw new Error(`motif size must be an integer in ${MIN_MOTIF_SIZE}..${MAX_MOTIF_SIZE}, got ${size}`);
  if (kinds.length !== size) throw new Error(`motif kinds: expected ${size} entries, got ${kinds.length}`);
  if (pairs.length !== pairCount(size))
    throw new Error(`motif pairs: expected ${pairCount(size)} entries, got ${pairs.length}`);
  for (let i = 0; i < size; i++)
    if (!Number.isInteger(kinds[i]) || kinds[i] < 0 || kinds[i] >= KIND_BASE - 1)
      throw new Error(`motif kinds[${i}] = ${kinds[i]} is not a kind code 0..6`);
  for (let i = 0; i < pairs.length; i++)
    if (!Number.isInteger(pairs[i]) || pairs[i] < 0 || pairs[i] >= PAIR_BASE)
      throw new Error(`motif pairs[${i}] = ${pairs[i]} is not a pair code 0..${PAIR_BASE - 1}`);
}

/**
 * Canonical form of a labeled DAG given in raw form (nodes in any topological order; pairs as above).
 * Throws on a size outside 3..5 or malformed codes.
 */
export function canonicalForm(size: number, kinds: ArrayLike<number>, pairs: ArrayLike<number>): MotifForm {
  checkForm(size, kinds, pairs);
  const perms = PERMUTATIONS[size];
  const np = pairCount(size);
  const P = PAIR_P[size];
  const Q = PAIR_Q[size];
  let bestKinds: number[] | null = null;
  let bestPairs: number[] | null = null;
  const k = new Array<number>(size);
  const c = new Array<number>(np);
  for (let off = 0; off < perms.length; off += size) {
    // New position i holds old node perms[off + i].
    let topological = true;
    for (let pi = 0; pi < np && topological; pi++) {
      const a = perms[off + P[pi]];
      const b = perms[off + Q[pi]];
      if (a < b) c[pi] = pairs[pairIndex(a, b, size)];
      else {
        // Old edge b → a would run from new position Q[pi] back to P[pi]: not a topological relabeling.
        if (pairs[pairIndex(b, a, size)] !== 0) topological = false;
        c[pi] = 0;
      }
    }
    if (!topological) continue;
    for (let i = 0; i < size; i++) k[i] = kinds[perms[off + i]];
    if (bestKinds === null || bestPairs === null || compareForms(k, c, bestKinds, bestPairs) < 0) {
      bestKinds = k.slice();
      bestPairs = c.slice();
    }
  }
  // The identity permutation is topological for any raw form, so a best always exists.
  if (bestKinds === null || bestPairs === null)
    throw new Error(
      'canonicalForm: input is not in topological order (an edge runs from a later to an earlier node)',
    );
  return { size, kinds: bestKinds, pairs: bestPairs };
}

function compareForms(k1: number[], c1: number[], k2: number[], c2: number[]): number {
  for (let i = 0; i < k1.length; i++) if (k1[i] !== k2[i]) return k1[i] - k2[i];
  for (let i = 0; i < c1.length; i++) if (c1[i] !== c2[i]) return c1[i] - c2[i];
  return 0;
}

/**
 * Compact numeric key of a form: size, then the kinds (base 8) and pair codes (base 5) as digits, most
 * significant first. At most 5·8⁵·5¹⁰ < 2⁵³, so it is an exact float64 integer; injective per form.
 */
export function formKey(form: MotifForm): number {
  let key = form.size;
  for (let i = 0; i < form.size; i++) key = key * KIND_BASE + form.kinds[i];
  // Pad kinds to 5 digits and pairs to 10 so keys of different sizes never collide.
  for (let i = form.size; i < MAX_MOTIF_SIZE; i++) key = key * KIND_BASE;
  for (let i = 0; i < form.pairs.length; i++) key = key * PAIR_BASE + form.pairs[i];
  for (let i = form.pairs.length; i < pairCount(MAX_MOTIF_SIZE); i++) key = key * PAIR_BASE;
  return key;
}

/** Inverse of {@link formKey}. */
export function formFromKey(key: number): MotifForm {
  if (!Number.isSafeInteger(key) || key < 0)
    throw new Error(`motif key must be a non-negative safe integer, got ${key}`);
  let rest = key;
  const pairDigits: number[] = [];
  for (let i = 0; i < pairCount(MAX_MOTIF_SIZE); i++) {
    pairDigits.push(rest % PAIR_BASE);
    rest = Math.floor(rest / PAIR_BASE);
  }
  const kindDigits: number[] = [];
  for (let i = 0; i < MAX_MOTIF_SIZE; i++) {
    kindDigits.push(rest % KIND_BASE);
    rest = Math.floor(rest / KIND_BASE);
  }
  const size = rest;
  pairDigits.reverse();
  kindDigits.reverse();
  const form = { size, kinds: kindDigits.slice(0, size), pairs: pairDigits.slice(0, pairCount(size)) };
  checkForm(form.size, form.kinds, form.pairs);
  return form;
}

/** Directed edges (p, q, label) of a form, in pair order. */
export function formEdges(form: MotifForm): { from: number; to: number; label: number }[] {
  const out: { from: number; to: number; label: number }[] = [];
  for (let k = 0; k < form.pairs.length; k++)
    if (form.pairs[k] !== 0)
      out.push({ from: PAIR_P[form.size][k], to: PAIR_Q[form.size][k], label: form.pairs[k] - 1 });
  return out;
}

/**
 * Readable motif ID, e.g. `M4:kinds=0,0,4,5:edges=0>1,0>2,2>3`. With edge labels each edge carries
 * `@label`: `M3:kinds=4,5,6:edges=0>1@2,1>2@0`.
 */
export function formId(form: MotifForm, labeled = false): string {
  const edges = formEdges(form)
    .map((e) => `${e.from}>${e.to}${labeled ? `@${e.label}` : ''}`)
    .join(',');
  return `M${form.size}:kinds=${form.kinds.join(',')}:edges=${edges}`;
}

/** Parse a motif ID written by {@link formId} back into its form. Throws on a malformed ID. */
export function parseFormId(id: string): MotifForm {
  const m = /^M([0-9]):kinds=([0-9,]*):edges=([0-9>@,]*)$/.exec(id);
  if (!m) throw new Error(`malformed motif id "${id}"`);
  const size = Number(m[1]);
  const kinds = m[2] === '' ? [] : m[2].split(',').map(Number);
  const pairs = new Array<number>(Math.max(0, pairCount(size))).fill(0);
  if (m[3] !== '') {
    for (const tok of m[3].split(',')) {
      const e = /^([0-9])>([0-9])(?:@([0-9]))?$/.exec(tok);
      if (!e) throw new Error(`malformed edge "${tok}" in motif id "${id}"`);
      const p = Number(e[1]);
      const q = Number(e[2]);
      if (!(p < q && q < size))
        throw new Error(`edge "${tok}" in motif id "${id}" must satisfy from < to < size`);
      pairs[pairIndex(p, q, size)] = 1 + (e[3] === undefined ? 0 : Number(e[3]));
    }
  }
  checkForm(size, kinds, pairs);
  return { size, kinds, pairs };
}

/**
 * Every raw pair code (ascending index order) that a topology can appear as: the pair-code vectors of all
 * topological relabelings of `form`, encoded with {@link rawPairCode}. Used to decide quickly whether an
 * occurrence could be an instance of a motif under test.
 */
export function rawTopologyCodes(form: MotifForm, labeled: boolean): number[] {
  const s = form.size;
  const perms = PERMUTATIONS[s];
  const np = pairCount(s);
  const out = new Set<number>();
  const c = new Array<number>(np);
  for (let off = 0; off < perms.length; off += s) {
    let ok = true;
    for (let pi = 0; pi < np && ok; pi++) {
      const a = perms[off + PAIR_P[s][pi]];
      const b = perms[off + PAIR_Q[s][pi]];
      if (a < b) c[pi] = form.pairs[pairIndex(a, b, s)];
      else {
        if (form.pairs[pairIndex(b, a, s)] !== 0) ok = false;
        c[pi] = 0;
      }
    }
    if (ok) out.add(rawPairCode(c, labeled));
  }
  return [...out];
}

/**
 * Integer code of a raw pair vector: unlabeled → bit k set when pair k has an edge (≤ 10 bits);
 * labeled → base-5 digits, pair 0 least significant (< 5¹⁰).
 */
export function rawPairCode(pairs: ArrayLike<number>, labeled: boolean): number {
  let code = 0;
  if (!labeled) {
    for (let k = 0; k < pairs.length; k++) if (pairs[k] !== 0) code |= 1 << k;
    return code;
  }
  for (let k = pairs.length - 1; k >= 0; k--) code = code * PAIR_BASE + pairs[k];
  return code;
}

/** Inverse of {@link rawPairCode} for `np` pairs. */
export function pairsFromRawCode(code: number, np: number, labeled: boolean): number[] {
  const out = new Array<number>(np);
  for (let k = 0; k < np; k++) {
    if (!labeled) out[k] = (code >>> k) & 1;
    else {
      out[k] = code % PAIR_BASE;
      code = Math.floor(code / PAIR_BASE);
    }
  }
  return out;
}
