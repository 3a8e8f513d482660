/**
 * The motif catalog: canonical motifs by dense index, plus the memo that turns a raw occurrence
 * (size, raw pair code, kinds in index order) into a motif index without re-canonicalizing.
 *
 * Two-level lookup, both direct typed-array tables in the hot path:
 * 1. topology slot: (size, raw pair code) → slot. Unlabeled raw codes are ≤ 10 bits, so this is a table of
 *    2^(s(s−1)/2) entries per size; labeled codes go through a Map (distinct topologies are few).
 * 2. per-slot memo over the kinds code Σ kind[p]·7^p (7^s entries, allocated when the slot is first used):
 *    motif index, −1 (not a catalogued motif), or −2 (not yet resolved).
 *
 * An *observing* catalog adds every new canonical motif. A *frozen* catalog (the motifs under test) answers
 * −1 for everything else and, at the slot level, rejects raw topologies that are not a relabeling of any
 * tested motif's topology — most null occurrences stop there.
 */
import {
  type MotifForm,
  formFromKey,
  formKey,
  pairCount,
  pairIndex,
  pairsFromRawCode,
  rawTopologyCodes,
  KIND_BASE,
  MAX_MOTIF_SIZE,
  PAIR_BASE,
  PAIR_P,
  PAIR_Q,
  PERMUTATIONS,
} from './canonical.js';
import { KeyIndexMap } from './keymap.js';

const UNRESOLVED = -2;
/** Kinds are 0..6: the memo indexes kinds codes in base 7 (7^5 = 16,807 entries per 5-node slot). */
export const MEMO_KINDS = 7;

/** KIND_WEIGHT[s][i]: the formKey place value of the kind at canonical position i (see formKey). */
const KIND_WEIGHT: Float64Array[] = Array.from({ length: MAX_MOTIF_SIZE + 1 }, (_, s) => {
  const w = new Float64Array(s);
  const pairScale = PAIR_BASE ** pairCount(MAX_MOTIF_SIZE);
  for (let i = 0; i < s; i++) w[i] = KIND_BASE ** (MAX_MOTIF_SIZE - 1 - i) * pairScale;
  return w;
});

export class MotifCatalog {
  readonly labeled: boolean;
  readonly frozen: boolean;
  /** Canonical numeric keys (formKey) by motif index. */
  readonly keys: number[] = [];
  private readonly indexByKey = new KeyIndexMap();
  /** Unlabeled: slotTable[size][rawCode] = slot, −1 irrelevant, −2 unseen. */
  private readonly slotTable: Int32Array[] = [];
  private readonly slotMap = new Map<number, number>();
  /** Allowed raw topology codes per size (frozen catalogs only). */
  private readonly allowed: Set<number>[] | null;
  readonly slotSize: number[] = [];
  readonly slotPairs: number[][] = [];
  /**
   * Per slot, the topological relabelings of its topology: candPerm[slot] holds nCand rows of `size` old
   * node indices; candBase[slot][c] is the relabeled pair vector's contribution to formKey (size digit and
   * pair digits), so a candidate's key is candBase + Σ kinds[perm[i]]·kindWeight[i].
   */
  private readonly candPerm: Int8Array[] = [];
  private readonly candBase: Float64Array[] = [];
  /** memo[slot][kindsCode] → motif index / −1 / −2; allocated on first use. */
  readonly memo: Int32Array[] = [];
  private readonly digits = new Int32Array(MAX_MOTIF_SIZE);

  private constructor(labeled: boolean, frozenForms: MotifForm[] | null) {
    this.labeled = labeled;
    this.frozen = frozenForms !== null;
    for (let s = 0; s <= MAX_MOTIF_SIZE; s++)
      this.slotTable.push(new Int32Array(labeled || s < 2 ? 0 : 1 << pairCount(s)).fill(UNRESOLVED));
    if (frozenForms) {
      this.allowed = Array.from({ length: MAX_MOTIF_SIZE + 1 }, () => new Set<number>());
      // Raw topologies are a property of the (labeled) topology alone: expand each distinct one once.
      const seenTopology = new Set<number>();
      for (const f of frozenForms) {
        this.add(formKey(f));
        const topoKey = formKey({ size: f.size, kinds: new Array<number>(f.size).fill(0), pairs: f.pairs });
        if (seenTopology.has(topoKey)) continue;
        seenTopology.add(topoKey);
        for (const code of rawTopologyCodes(f, labeled)) this.allowed[f.size].add(code);
      }
    } else this.allowed = null;
  }

  /** A catalog that grows with every motif it sees (for counting the observed data). */
  static observing(labeled: boolean): MotifCatalog {
    return new MotifCatalog(labeled, null);
  }

  /** A fixed catalog of exactly these motifs, in this order (for counting nulls). */
  static frozen(forms: MotifForm[], labeled: boolean): MotifCatalog {
    return new MotifCatalog(labeled, forms);
  }

  get size(): number {
    return this.keys.length;
  }

  /** Canonical form of motif `index` (decoded from its key). */
  form(index: number): MotifForm {
    return formFromKey(this.keys[index]);
  }

  /** Index of a canonical key, or −1. */
  indexOfKey(key: number): number {
    return this.indexByKey.get(key);
  }

  private add(key: number): number {
    const known = this.indexByKey.get(key);
    if (known >= 0) return known;
    const idx = this.keys.length;
    this.keys.push(key);
    this.indexByKey.set(key, idx);
    return idx;
  }

  /** Slot of a raw topology, or −1 when a frozen catalog has no motif with that topology. */
  slotOf(size: number, rawCode: number): number {
    if (!this.labeled) {
      const table = this.slotTable[size];
      const s = table[rawCode];
      if (s !== UNRESOLVED) return s;
      const slot = this.newSlot(size, rawCode);
      table[rawCode] = slot;
      return slot;
    }
    const mapKey = rawCode * 8 + size;
    const s = this.slotMap.get(mapKey);
    if (s !== undefined) return s;
    const slot = this.newSlot(size, rawCode);
    this.slotMap.set(mapKey, slot);
    return slot;
  }

  private newSlot(size: number, rawCode: number): number {
    if (this.allowed && !this.allowed[size].has(rawCode)) return -1;
    const slot = this.slotSize.length;
    this.slotSize.push(size);
    const pairs = pairsFromRawCode(rawCode, pairCount(size), this.labeled);
    this.slotPairs.push(pairs);
    this.memo.push(new Int32Array(MEMO_KINDS ** size).fill(UNRESOLVED));
    this.buildCandidates(size, pairs);
    return slot;
  }

  /** Topological relabelings of a raw topology and the pair part of their formKey (see canonicalForm). */
  private buildCandidates(size: number, pairs: number[]): void {
    const perms = PERMUTATIONS[size];
    const np = pairCount(size);
    const rows: number[] = [];
    const bases: number[] = [];
    const c = new Array<number>(np);
    for (let off = 0; off < perms.length; off += size) {
      let ok = true;
      for (let pi = 0; pi < np && ok; pi++) {
        const a = perms[off + PAIR_P[size][pi]];
        const b = perms[off + PAIR_Q[size][pi]];
        if (a < b) c[pi] = pairs[pairIndex(a, b, size)];
        else {
          if (pairs[pairIndex(b, a, size)] !== 0) ok = false;
          c[pi] = 0;
        }
      }
      if (!ok) continue;
      for (let i = 0; i < size; i++) rows.push(perms[off + i]);
      // formKey with all kinds 0: size and pair digits only.
      bases.push(formKey({ size, kinds: new Array<number>(size).fill(0), pairs: c }));
    }
    this.candPerm.push(Int8Array.from(rows));
    this.candBase.push(Float64Array.from(bases));
  }

  /**
   * Motif index of an occurrence in `slot` whose kinds code (Σ kind[p]·7^p, p in index order) is given;
   * −1 when a frozen catalog does not hold it. Memoized per (slot, kinds code).
   */
  resolve(slot: number, kindsCode: number): number {
    const memo = this.memo[slot];
    const hit = memo[kindsCode];
    if (hit !== UNRESOLVED) return hit;
    const key = this.canonicalKey(slot, kindsCode);
    const idx = this.frozen ? this.indexOfKey(key) : this.add(key);
    memo[kindsCode] = idx;
    return idx;
  }

  /** formKey of the canonical form of (slot topology, kinds code): the minimum over its candidates. */
  canonicalKey(slot: number, kindsCode: number): number {
    const size = this.slotSize[slot];
    const perm = this.candPerm[slot];
    const base = this.candBase[slot];
    const kindWeight = KIND_WEIGHT[size];
    const digit = this.digits;
    for (let p = 0, c = kindsCode; p < size; p++, c = (c / MEMO_KINDS) | 0) digit[p] = c % MEMO_KINDS;
    let best = Infinity;
    for (let c = 0, off = 0; c < base.length; c++, off += size) {
      let key = base[c];
      for (let i = 0; i < size; i++) key += digit[perm[off + i]] * kindWeight[i];
      if (key < best) best = key;
    }
    return best;
  }
}

/** Kinds code of nodes[0..size) for the memo: Σ kind[node_p]·7^p. */
export function kindsCodeOf(kind: Uint8Array, nodes: Int32Array, size: number): number {
  let c = 0;
  for (let p = size - 1; p >= 0; p--) c = c * MEMO_KINDS + kind[nodes[p]];
  return c;
}
