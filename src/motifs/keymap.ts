/**
 * Open-addressing hash map from exact float64 integer keys (motif keys, < 2^53) to int32 values, on typed
 * arrays: no boxing of the keys and no per-entry objects, unlike a JS Map with non-Smi number keys.
 * Linear probing, load factor ≤ 1/2, NaN marks an empty slot. No deletion (never needed).
 */
export class KeyIndexMap {
  private keys: Float64Array;
  private values: Int32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    let cap = 16;
    while (cap < 2 * capacity) cap *= 2;
    this.keys = new Float64Array(cap).fill(NaN);
    this.values = new Int32Array(cap);
    this.mask = cap - 1;
  }

  private static hash(key: number): number {
    const lo = key >>> 0;
    const hi = (key / 4294967296) | 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    h = Math.imul(h, 0xc2b2ae35);
    return h ^ (h >>> 13);
  }

  /** Value of `key`, or −1. */
  get(key: number): number {
    const { keys, mask } = this;
    let i = KeyIndexMap.hash(key) & mask;
    for (;;) {
      const k = keys[i];
      if (k === key) return this.values[i];
      if (k !== k) return -1; // NaN: empty
      i = (i + 1) & mask;
    }
  }

  /** Set `key` → `value` (value ≥ 0). */
  set(key: number, value: number): void {
    if (2 * (this.size + 1) > this.keys.length) this.grow();
    const { keys, mask } = this;
    let i = KeyIndexMap.hash(key) & mask;
    for (;;) {
      const k = keys[i];
      if (k === key) {
        this.values[i] = value;
        return;
      }
      if (k !== k) {
        keys[i] = key;
        this.values[i] = value;
        this.size++;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.keys = new Float64Array(oldKeys.length * 2).fill(NaN);
    this.values = new Int32Array(oldKeys.length * 2);
    this.mask = this.keys.length - 1;
    this.size = 0;
    for (let i = 0; i < oldKeys.length; i++)
      if (oldKeys[i] === oldKeys[i]) this.set(oldKeys[i], oldValues[i]);
  }
}
