/**
 * The adjacency structure the subgraph enumerator walks: successor, predecessor and undirected neighbour
 * lists in CSR form, each row sorted ascending, built from a plain edge list by two stable counting-sort
 * passes (O(n + E), no comparison sort). A workspace is reused across null replicates: buffers only grow.
 */
export class EnumGraph {
  n = 0;
  nEdges = 0;
  /** Successors of u: succ[succPtr[u] .. succPtr[u+1]), ascending; succLabel aligned (0 when unlabeled). */
  succPtr = new Int32Array(1);
  succ = new Int32Array(0);
  succLabel = new Uint8Array(0);
  /** Predecessors of v: pred[predPtr[v] .. predPtr[v+1]), ascending. */
  predPtr = new Int32Array(1);
  pred = new Int32Array(0);
  /** Undirected neighbours (predecessors then successors, so ascending): nbr[nbrPtr[u] .. nbrPtr[u+1]). */
  nbrPtr = new Int32Array(1);
  nbr = new Int32Array(0);
  /** Largest undirected degree (sizes the enumerator's extension buffers). */
  maxDegree = 0;

  private tmpDst = new Int32Array(0);
  private tmpSrc = new Int32Array(0);
  private tmpLabel = new Uint8Array(0);

  /**
   * Load the graph with n nodes and edges src[e] → dst[e] (e < nEdges), which must satisfy src < dst
   * (the caller validates). `label` (optional) gives each edge's label; it stays attached to its edge.
   */
  load(n: number, src: Int32Array, dst: Int32Array, nEdges: number, label?: Uint8Array): this {
    this.n = n;
    this.nEdges = nEdges;
    if (this.succPtr.length < n + 1) {
      const cap = n + 1;
      this.succPtr = new Int32Array(cap);
      this.predPtr = new Int32Array(cap);
      this.nbrPtr = new Int32Array(cap);
    }
    if (this.succ.length < nEdges) {
      const cap = Math.max(nEdges, this.succ.length * 2);
      this.succ = new Int32Array(cap);
      this.succLabel = new Uint8Array(cap);
      this.pred = new Int32Array(cap);
      this.tmpDst = new Int32Array(cap);
      this.tmpSrc = new Int32Array(cap);
      this.tmpLabel = new Uint8Array(cap);
      this.nbr = new Int32Array(2 * cap);
    }
    const { succPtr, predPtr, nbrPtr, tmpDst, tmpSrc, tmpLabel, succ, succLabel, pred, nbr } = this;
    // Pass 1: stable counting sort by dst → (tmpSrc, tmpDst) ordered by dst. This also fills pred rows in
    // input order; pass 2 re-derives them sorted.
    predPtr.fill(0, 0, n + 1);
    for (let e = 0; e < nEdges; e++) predPtr[dst[e] + 1]++;
    for (let v = 0; v < n; v++) predPtr[v + 1] += predPtr[v];
    const fill = nbrPtr; // scratch cursor (rebuilt below)
    for (let v = 0; v < n; v++) fill[v] = predPtr[v];
    for (let e = 0; e < nEdges; e++) {
      const at = fill[dst[e]]++;
      tmpSrc[at] = src[e];
      tmpDst[at] = dst[e];
      tmpLabel[at] = label ? label[e] : 0;
    }
    // Pass 2: stable counting sort by src of the dst-sorted list → succ rows ascending in dst.
    succPtr.fill(0, 0, n + 1);
    for (let e = 0; e < nEdges; e++) succPtr[tmpSrc[e] + 1]++;
    for (let u = 0; u < n; u++) succPtr[u + 1] += succPtr[u];
    for (let u = 0; u < n; u++) fill[u] = succPtr[u];
    for (let e = 0; e < nEdges; e++) {
      const at = fill[tmpSrc[e]]++;
      succ[at] = tmpDst[e];
      succLabel[at] = tmpLabel[e];
    }
    // Pred rows sorted: walk edges in (src, dst) order and append src to its dst's row.
    for (let v = 0; v < n; v++) fill[v] = predPtr[v];
    for (let u = 0; u < n; u++) for (let e = succPtr[u]; e < succPtr[u + 1]; e++) pred[fill[succ[e]]++] = u;
    // Undirected rows: predecessors (all < u) then successors (all > u): ascending.
    let at = 0;
    let maxDeg = 0;
    for (let u = 0; u < n; u++) {
      nbrPtr[u] = at;
      for (let e = predPtr[u]; e < predPtr[u + 1]; e++) nbr[at++] = pred[e];
      for (let e = succPtr[u]; e < succPtr[u + 1]; e++) nbr[at++] = succ[e];
      if (at - nbrPtr[u] > maxDeg) maxDeg = at - nbrPtr[u];
    }
    nbrPtr[n] = at;
    this.maxDegree = maxDeg;
    return this;
  }

  /** Position of edge u → v (u < v) in succ/succLabel, or −1. Scans the shorter of succ(u) and pred(v). */
  edgeIndex(u: number, v: number): number {
    const s0 = this.succPtr[u];
    const s1 = this.succPtr[u + 1];
    const p0 = this.predPtr[v];
    const p1 = this.predPtr[v + 1];
    if (s1 - s0 <= p1 - p0) {
      for (let e = s0; e < s1; e++) {
        const w = this.succ[e];
        if (w === v) return e;
        if (w > v) return -1;
      }
      return -1;
    }
    for (let e = p0; e < p1; e++) {
      const w = this.pred[e];
      if (w === u) {
        // Found in pred(v); locate it in succ(u) for the label (rows are sorted: binary search).
        let lo = s0;
        let hi = s1 - 1;
        while (lo <= hi) {
          const mid = (lo + hi) >>> 1;
          const x = this.succ[mid];
          if (x === v) return mid;
          if (x < v) lo = mid + 1;
          else hi = mid - 1;
        }
        return -1;
      }
      if (w > u) return -1;
    }
    return -1;
  }

  /** True when the edge u → v (u < v) exists. */
  hasEdge(u: number, v: number): boolean {
    const s0 = this.succPtr[u];
    const s1 = this.succPtr[u + 1];
    const p0 = this.predPtr[v];
    const p1 = this.predPtr[v + 1];
    if (s1 - s0 <= p1 - p0) {
      for (let e = s0; e < s1; e++) {
        const w = this.succ[e];
        if (w >= v) return w === v;
      }
      return false;
    }
    for (let e = p0; e < p1; e++) {
      const w = this.pred[e];
      if (w >= u) return w === u;
    }
    return false;
  }
}
