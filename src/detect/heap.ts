/**
 * A binary min-heap of (key, id) pairs in typed arrays; ties are broken by the smaller id, so pops are
 * deterministic. Used to track open levels: "all levels at or below this price" are the heap's top entries.
 * For a max-heap, push negated keys.
 */
export class MinHeap {
  size = 0;
  private keys: Float64Array;
  private ids: Int32Array;

  constructor(capacity = 64) {
    this.keys = new Float64Array(Math.max(4, capacity));
    this.ids = new Int32Array(Math.max(4, capacity));
  }

  private less(i: number, j: number): boolean {
    const a = this.keys[i];
    const b = this.keys[j];
    return a < b || (a === b && this.ids[i] < this.ids[j]);
  }

  private swap(i: number, j: number): void {
    const k = this.keys[i];
    this.keys[i] = this.keys[j];
    this.keys[j] = k;
    const d = this.ids[i];
    this.ids[i] = this.ids[j];
    this.ids[j] = d;
  }

  push(key: number, id: number): void {
    if (this.size === this.keys.length) {
      const k = new Float64Array(this.keys.length * 2);
      k.set(this.keys);
      this.keys = k;
      const d = new Int32Array(this.ids.length * 2);
      d.set(this.ids);
      this.ids = d;
    }
    let i = this.size++;
    this.keys[i] = key;
    this.ids[i] = id;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  /** Smallest key (Infinity when empty). */
  peekKey(): number {
    return this.size > 0 ? this.keys[0] : Infinity;
  }

  /** Removes the top entry and returns its id. The heap must not be empty. */
  pop(): number {
    const id = this.ids[0];
    const last = --this.size;
    if (last > 0) {
      this.keys[0] = this.keys[last];
      this.ids[0] = this.ids[last];
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < last && this.less(l, m)) m = l;
        if (r < last && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return id;
  }
}
