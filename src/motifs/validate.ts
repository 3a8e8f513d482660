/** Input checks for motif mining, each failing with an Error that names the session, field and value. */
import { isAcyclic } from '../graph/index.js';
import type { Dag } from '../graph/index.js';
import { MAX_EDGE_LABELS } from './canonical.js';
import type { MotifSession } from './types.js';

/**
 * Check that `dag` is a usable motif graph over n nodes: CSR arrays of matching lengths, src sorted with a
 * consistent rowPtr, endpoints in range, no duplicate edge, every edge from a lower to a higher index.
 * A cycle (including a self-loop) is reported as such.
 */
export function validateMotifDag(dag: Dag, n: number, where = 'dag'): void {
  if (!dag || typeof dag !== 'object') throw new Error(`${where}: missing`);
  if (dag.n !== n) throw new Error(`${where}.n = ${dag.n} but the session has n = ${n} events`);
  const { src, dst, rowPtr } = dag;
  if (!(src instanceof Int32Array) || !(dst instanceof Int32Array) || !(rowPtr instanceof Int32Array))
    throw new Error(`${where}: src, dst and rowPtr must be Int32Array`);
  if (src.length !== dst.length)
    throw new Error(`${where}: src.length ${src.length} ≠ dst.length ${dst.length}`);
  if (rowPtr.length !== n + 1)
    throw new Error(`${where}.rowPtr.length = ${rowPtr.length}, expected n + 1 = ${n + 1}`);
  for (let e = 0; e < src.length; e++) {
    const s = src[e];
    const d = dst[e];
    if (s < 0 || s >= n || d < 0 || d >= n)
      throw new Error(`${where}: edge ${e} (${s} → ${d}) out of range 0..${n - 1}`);
  }
  let backward = -1;
  for (let e = 0; e < src.length; e++)
    if (src[e] >= dst[e]) {
      backward = e;
      break;
    }
  if (backward >= 0) {
    if (!isAcyclic({ n, src, dst }))
      throw new Error(
        `${where}: graph has a cycle (edge ${backward}: ${src[backward]} → ${dst[backward]}); motifs need a DAG`,
      );
    throw new Error(
      `${where}: edge ${backward} (${src[backward]} → ${dst[backward]}) goes from a higher to a lower index; ` +
        'motif mining needs edges i → j with i < j (nodes in time order)',
    );
  }
  if (rowPtr[0] !== 0 || rowPtr[n] !== src.length)
    throw new Error(`${where}.rowPtr must start at 0 and end at the edge count ${src.length}`);
  for (let u = 0; u < n; u++) {
    if (rowPtr[u + 1] < rowPtr[u]) throw new Error(`${where}.rowPtr decreases at ${u}`);
    for (let e = rowPtr[u]; e < rowPtr[u + 1]; e++) {
      if (src[e] !== u)
        throw new Error(`${where}: edge ${e} has src ${src[e]} but lies in row ${u} of rowPtr`);
      if (e > rowPtr[u] && dst[e] <= dst[e - 1])
        throw new Error(
          dst[e] === dst[e - 1]
            ? `${where}: duplicate edge ${u} → ${dst[e]} (edges ${e - 1} and ${e})`
            : `${where}: row ${u} is not sorted by dst (edge ${e})`,
        );
    }
  }
}

/** Validate a session set for mining. `labeled` requires edgeLabels on every session. */
export function validateMotifSessions(sessions: readonly MotifSession[], labeled: boolean): void {
  if (!Array.isArray(sessions)) throw new Error('sessions must be an array');
  if (sessions.length === 0)
    throw new Error('sessions: empty session set; motif mining needs at least one session');
  const seen = new Set<string>();
  sessions.forEach((s, i) => {
    const where = `session ${i} (${s?.id ?? '?'})`;
    if (typeof s.id !== 'string' || s.id === '') throw new Error(`${where}: id must be a non-empty string`);
    if (seen.has(s.id)) throw new Error(`${where}: duplicate session id "${s.id}"`);
    seen.add(s.id);
    if (!Number.isInteger(s.n) || s.n < 0) throw new Error(`${where}: n must be an integer ≥ 0, got ${s.n}`);
    if (!(s.t instanceof Float64Array) || s.t.length !== s.n)
      throw new Error(`${where}: t must be a Float64Array of length n = ${s.n}`);
    if (!(s.price instanceof Float64Array) || s.price.length !== s.n)
      throw new Error(`${where}: price must be a Float64Array of length n = ${s.n}`);
    if (!(s.kind instanceof Uint8Array) || s.kind.length !== s.n)
      throw new Error(`${where}: kind must be a Uint8Array of length n = ${s.n}`);
    for (let j = 0; j < s.n; j++) {
      if (s.kind[j] > 6) throw new Error(`${where}: kind[${j}] = ${s.kind[j]} is not a kind code 0..6`);
      if (!Number.isFinite(s.t[j])) throw new Error(`${where}: t[${j}] = ${s.t[j]} is not finite`);
      if (j > 0 && s.t[j] < s.t[j - 1]) throw new Error(`${where}: t is not sorted at index ${j}`);
    }
    validateMotifDag(s.dag, s.n, `${where}.dag`);
    if (labeled) {
      const lab = s.edgeLabels;
      if (!(lab instanceof Uint8Array) || lab.length !== s.dag.src.length)
        throw new Error(
          `${where}: edgeLabels must be a Uint8Array with one label per DAG edge (${s.dag.src.length})`,
        );
      for (let e = 0; e < lab.length; e++)
        if (lab[e] >= MAX_EDGE_LABELS)
          throw new Error(`${where}: edgeLabels[${e}] = ${lab[e]} is not in 0..${MAX_EDGE_LABELS - 1}`);
    }
  });
}
