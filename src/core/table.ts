/**
 * Typed column tables: the in-memory shape of every tabular output (shards, embeddings, motifs, patterns,
 * scores). Pure data and helpers; `io/parquet.ts` encodes and decodes them as Parquet.
 *
 * - `int64` columns are `Float64Array` of safe integers by default (or `BigInt64Array` when asked for).
 * - `bool` columns are `Uint8Array` of 0/1.
 */
/** The column types a table may hold. */
export type ColumnType = 'uint8' | 'uint32' | 'int32' | 'int64' | 'float32' | 'float64' | 'string' | 'bool';

/** The in-memory array for each column type (see the module comment for int64 and bool). */
export interface ColumnValuesByType {
  uint8: Uint8Array;
  uint32: Uint32Array;
  int32: Int32Array;
  int64: Float64Array | BigInt64Array;
  float32: Float32Array;
  float64: Float64Array;
  string: string[];
  bool: Uint8Array;
}

/** One named, typed column. `Column` (no argument) is the union over all types, discriminated by `type`. */
export type Column<T extends ColumnType = ColumnType> = T extends ColumnType
  ? { name: string; type: T; values: ColumnValuesByType[T] }
  : never;

/** A decoded table. `source` names where it came from (a path, or '<bytes>'); error messages use it. */
export interface ParquetTable {
  source: string;
  numRows: number;
  columns: Column[];
  metadata: Record<string, string>;
}

/**
 * Splits a row-major rows × dim matrix into float32 columns named `<prefix>0` … `<prefix>{dim−1}` (the
 * shard feature columns f0…, e0… and the embedding columns): the one place a matrix becomes Parquet columns.
 */
export function matrixColumns(prefix: string, data: ArrayLike<number>, rows: number, dim: number): Column[] {
  const cols: Column[] = [];
  for (let j = 0; j < dim; j++) {
    const values = new Float32Array(rows);
    for (let r = 0; r < rows; r++) values[r] = data[r * dim + j];
    cols.push({ name: `${prefix}${j}`, type: 'float32', values });
  }
  return cols;
}

/**
 * The column `name` of `table`, checked to be of type `type`. Errors name the table's source, the column and
 * the actual type.
 */
export function getColumn<T extends ColumnType>(
  table: ParquetTable,
  name: string,
  type: T,
): ColumnValuesByType[T] {
  const col = table.columns.find((c) => c.name === name);
  if (col === undefined) throw new Error(`parquet: ${table.source} has no column '${name}'`);
  if (col.type !== type)
    throw new Error(`parquet: ${table.source}: column '${name}' is ${col.type}, expected ${type}`);
  return col.values as ColumnValuesByType[T];
}
