/**
 * The pooled embedding table: every event of every session as one row of a row-major n×dim Float32Array, with
 * the row's session, event index, time, kind and price. Patterns (clustering) and `similar` (nearest moments)
 * both work on it.
 *
 * It is built either from sessions plus their per-session embeddings (`embeddingTableFromSessions`) or from the
 * embeddings Parquet a run writes (`loadEmbeddingsTable`). The Parquet schema is fixed by
 * `embeddingTableColumns`: `session_id` string, `node_id` uint32 (event index in the session), `t` int64 (UTC
 * ms), `kind` uint8, `e0..e{dim-1}` float32. Writer and reader share these two functions so they cannot drift.
 */
import { matrixColumns, type Column, type ParquetTable } from '../core/index.js';
import type { EventKindName, Session } from '../session/index.js';
import { EVENT_KINDS, N_KINDS } from '../session/index.js';
import { wallClock } from './clock.js';

/** Default TGAT embedding width (SPEC §5: hidden 44). */
export const EMBEDDING_DIM = 44;

export interface EmbeddingTable {
  /** Rows. */
  n: number;
  /** Embedding width. */
  dim: number;
  /** Row-major n×dim. */
  vectors: Float32Array;
  /** Distinct session ids, in order of first appearance. */
  sessionIds: string[];
  /** Row → index into `sessionIds`. */
  sessionIndex: Int32Array;
  /** Row → index of the event in its session (`node_id`). */
  nodeId: Int32Array;
  /** Row → UTC epoch ms. */
  t: Float64Array;
  /** Row → event kind code 0..6. */
  kind: Uint8Array;
  /** Row → price; NaN where the source had none (the embeddings Parquet carries no price). */
  price: Float64Array;
  /** Session id → session date `YYYY-MM-DD`, where known (from sessions, or from a `_YYYY-MM-DD` id suffix). */
  sessionDates: Map<string, string>;
  /** IANA zone (or alias ET) the wall-clock views use. */
  zone: string;
}

const DATE_SUFFIX = /_(\d{4}-\d{2}-\d{2})$/;

/** The date encoded in a session id such as `NY_AM_2025-07-29`, or null. */
export function dateFromSessionId(id: string): string | null {
  const m = DATE_SUFFIX.exec(id);
  return m ? m[1] : null;
}

/**
 * Pools sessions and their embeddings (row i of `embeddings[s]` = event i of `sessions[s]`, width `dim`).
 * Throws when a session's embedding length is not events × dim, or a value is not finite.
 */
export function embeddingTableFromSessions(
  sessions: readonly Session[],
  embeddings: readonly Float32Array[],
  dim = EMBEDDING_DIM,
): EmbeddingTable {
  if (sessions.length !== embeddings.length)
    throw new Error(`embeddings: got ${embeddings.length} embedding arrays for ${sessions.length} sessions`);
  if (!Number.isInteger(dim) || dim < 1)
    throw new Error(`embeddings: dim must be a positive integer, got ${dim}`);
  let n = 0;
  const seen = new Set<string>();
  for (let s = 0; s < sessions.length; s++) {
    const ses = sessions[s];
    if (seen.has(ses.id)) throw new Error(`embeddings: session ${ses.id} appears twice`);
    seen.add(ses.id);
    const want = ses.events.length * dim;
    if (embeddings[s].length !== want)
      throw new Error(
        `embeddings: session ${ses.id} has ${ses.events.length} events × dim ${dim} = ${want} values, got ${embeddings[s].length}`,
      );
    n += ses.events.length;
  }
  const vectors = new Float32Array(n * dim);
  const sessionIndex = new Int32Array(n);
  const nodeId = new Int32Array(n);
  const t = new Float64Array(n);
  const kind = new Uint8Array(n);
  const price = new Float64Array(n);
  const sessionDates = new Map<string, string>();
  let row = 0;
  for (let s = 0; s < sessions.length; s++) {
    const ses = sessions[s];
    sessionDates.set(ses.id, ses.date);
    const emb = embeddings[s];
    for (let i = 0; i < emb.length; i++)
      if (!Number.isFinite(emb[i]))
        throw new Error(
          `embeddings: session ${ses.id} event ${Math.floor(i / dim)} dim ${i % dim} is ${emb[i]}`,
        );
    vectors.set(emb, row * dim);
    for (let i = 0; i < ses.events.length; i++, row++) {
      const e = ses.events[i];
      sessionIndex[row] = s;
      nodeId[row] = i;
      t[row] = e.t;
      kind[row] = e.kind;
      price[row] = e.price;
    }
  }
  const zone = sessions[0]?.timezone ?? 'America/New_York';
  return {
    n,
    dim,
    vectors,
    sessionIds: sessions.map((x) => x.id),
    sessionIndex,
    nodeId,
    t,
    kind,
    price,
    sessionDates,
    zone,
  };
}

function numericColumn(table: ParquetTable, name: string): ArrayLike<number> {
  const col = table.columns.find((c) => c.name === name);
  if (!col) throw new Error(`${table.source}: embeddings table has no column "${name}"`);
  if (col.type === 'string') throw new Error(`${table.source}: column "${name}" must be numeric, got string`);
  if (col.values instanceof BigInt64Array) return Float64Array.from(col.values, (v) => Number(v));
  return col.values as ArrayLike<number>;
}

/**
 * Builds the pooled table from one or more decoded embeddings Parquet tables (see the module comment for the
 * schema; `e*` columns are found by name and must be e0..e{dim-1} without gaps). Rows keep file order.
 * Throws, naming the source, column and row, on a missing column, a bad kind, a non-integer node id, a
 * duplicate (session_id, node_id) or a non-finite value.
 */
export function loadEmbeddingsTable(
  tables: ParquetTable | readonly ParquetTable[],
  opts: { zone?: string } = {},
): EmbeddingTable {
  const list = Array.isArray(tables) ? (tables as readonly ParquetTable[]) : [tables as ParquetTable];
  if (list.length === 0) throw new Error('embeddings: no tables given');
  let dim = -1;
  let n = 0;
  for (const tb of list) {
    let d = 0;
    while (tb.columns.some((c) => c.name === `e${d}`)) d++;
    const extra = tb.columns.filter((c) => /^e\d+$/.test(c.name) && Number(c.name.slice(1)) >= d);
    if (extra.length)
      throw new Error(
        `${tb.source}: embedding columns must be e0..e${d - 1} without gaps; found ${extra[0].name}`,
      );
    if (d === 0) throw new Error(`${tb.source}: embeddings table has no e0 column`);
    if (dim !== -1 && d !== dim)
      throw new Error(`${tb.source}: embedding width ${d} differs from ${dim} of the first table`);
    dim = d;
    n += tb.numRows;
  }
  const vectors = new Float32Array(n * dim);
  const sessionIndex = new Int32Array(n);
  const nodeId = new Int32Array(n);
  const t = new Float64Array(n);
  const kind = new Uint8Array(n);
  const price = new Float64Array(n).fill(NaN);
  const sessionIds: string[] = [];
  const sessionPos = new Map<string, number>();
  const seenNodes = new Set<string>();
  let row0 = 0;
  for (const tb of list) {
    const sid = tb.columns.find((c) => c.name === 'session_id');
    if (!sid) throw new Error(`${tb.source}: embeddings table has no column "session_id"`);
    if (sid.type !== 'string')
      throw new Error(`${tb.source}: column "session_id" must be string, got ${sid.type}`);
    const node = numericColumn(tb, 'node_id');
    const tt = numericColumn(tb, 't');
    const kk = numericColumn(tb, 'kind');
    const hasPrice = tb.columns.some((c) => c.name === 'price');
    const pp = hasPrice ? numericColumn(tb, 'price') : null;
    const ecols = Array.from({ length: dim }, (_, d) => numericColumn(tb, `e${d}`));
    for (let r = 0; r < tb.numRows; r++) {
      const row = row0 + r;
      const id = sid.values[r];
      let si = sessionPos.get(id);
      if (si === undefined) {
        si = sessionIds.length;
        sessionIds.push(id);
        sessionPos.set(id, si);
      }
      const nd = node[r];
      if (!Number.isInteger(nd) || nd < 0)
        throw new Error(`${tb.source}: node_id at row ${r} is ${nd}, expected an integer ≥ 0`);
      const key = `${id}\u0000${nd}`;
      if (seenNodes.has(key))
        throw new Error(`${tb.source}: duplicate (session_id, node_id) = (${id}, ${nd}) at row ${r}`);
      seenNodes.add(key);
      const k = kk[r];
      if (!Number.isInteger(k) || k < 0 || k >= N_KINDS)
        throw new Error(`${tb.source}: kind at row ${r} is ${k}, expected 0..${N_KINDS - 1}`);
      if (!Number.isFinite(tt[r])) throw new Error(`${tb.source}: t at row ${r} is ${tt[r]}`);
      sessionIndex[row] = si;
      nodeId[row] = nd;
      t[row] = tt[r];
      kind[row] = k;
      if (pp) price[row] = pp[r];
      for (let d = 0; d < dim; d++) {
        const v = ecols[d][r];
        if (!Number.isFinite(v)) throw new Error(`${tb.source}: e${d} at row ${r} is ${v}`);
        vectors[row * dim + d] = v;
      }
    }
    row0 += tb.numRows;
  }
  const sessionDates = new Map<string, string>();
  for (const id of sessionIds) {
    const d = dateFromSessionId(id);
    if (d) sessionDates.set(id, d);
  }
  return {
    n,
    dim,
    vectors,
    sessionIds,
    sessionIndex,
    nodeId,
    t,
    kind,
    price,
    sessionDates,
    zone: opts.zone ?? 'America/New_York',
  };
}

/**
 * The embeddings Parquet columns of a table (the schema `loadEmbeddingsTable` reads): session_id, node_id, t,
 * kind, e0..e{dim-1}. Price is not part of the schema (it lives in the shards); pass sessions to
 * `attachSessionPrices` after reading when it is wanted.
 */
export function embeddingTableColumns(table: EmbeddingTable): Column[] {
  const cols: Column[] = [
    {
      name: 'session_id',
      type: 'string',
      values: Array.from(table.sessionIndex, (s) => table.sessionIds[s]),
    },
    { name: 'node_id', type: 'uint32', values: Uint32Array.from(table.nodeId) },
    { name: 't', type: 'int64', values: Float64Array.from(table.t) },
    { name: 'kind', type: 'uint8', values: Uint8Array.from(table.kind) },
  ];
  return [...cols, ...matrixColumns('e', table.vectors, table.n, table.dim)];
}

/**
 * Fills `price` (and session dates) of a loaded table from the sessions it was computed on, matching rows by
 * (session_id, node_id). Sessions not in the table are ignored. Throws when a row's node id is outside its
 * session or its time differs from the event's (the embeddings were computed on different input).
 */
export function attachSessionPrices(table: EmbeddingTable, sessions: readonly Session[]): void {
  const byId = new Map(sessions.map((s) => [s.id, s]));
  for (let r = 0; r < table.n; r++) {
    const id = table.sessionIds[table.sessionIndex[r]];
    const ses = byId.get(id);
    if (!ses) continue;
    const e = ses.events[table.nodeId[r]];
    if (!e)
      throw new Error(
        `embeddings: node_id ${table.nodeId[r]} of ${id} is outside the session's ${ses.events.length} events`,
      );
    if (e.t !== table.t[r])
      throw new Error(
        `embeddings: ${id} node ${table.nodeId[r]} has t ${table.t[r]} but the session's event has t ${e.t}`,
      );
    table.price[r] = e.price;
  }
  for (const s of sessions) if (table.sessionIds.includes(s.id)) table.sessionDates.set(s.id, s.date);
}

/** Row ranges per session: `rowsOf[s]` = the rows of session s, ascending. */
export function rowsBySession(table: EmbeddingTable): Int32Array[] {
  const counts = new Int32Array(table.sessionIds.length);
  for (let r = 0; r < table.n; r++) counts[table.sessionIndex[r]]++;
  const out = Array.from(counts, (c) => new Int32Array(c));
  const fill = new Int32Array(table.sessionIds.length);
  for (let r = 0; r < table.n; r++) {
    const s = table.sessionIndex[r];
    out[s][fill[s]++] = r;
  }
  return out;
}

/** One row of an embedding table as a reader sees it: which event, when (epoch ms and wall clock), what. */
export interface EventRef {
  sessionId: string;
  nodeId: number;
  t: number;
  /** Wall clock in the table's zone, HH:MM:SS. */
  clock: string;
  kind: number;
  kindName: EventKindName;
  /** null where the table has no price for the row. */
  price: number | null;
}

/** The {@link EventRef} of row `row` (pattern examples and similar-moment results both show rows this way). */
export function eventRefOf(table: EmbeddingTable, row: number): EventRef {
  const kind = table.kind[row];
  return {
    sessionId: table.sessionIds[table.sessionIndex[row]],
    nodeId: table.nodeId[row],
    t: table.t[row],
    clock: wallClock(table.t[row], table.zone).clock,
    kind,
    kindName: EVENT_KINDS[kind],
    price: Number.isFinite(table.price[row]) ? table.price[row] : null,
  };
}
