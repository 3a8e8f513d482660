/** The measured kernel table behind `--kernel auto` as a JSON file (`ironforge tune --out`). */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { type AutoTable, validateAutoTable } from '../tgat/index.js';

/** Write a table as JSON (atomically). */
export function writeAutoTable(path: string, table: AutoTable): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(table, null, 2) + '\n');
  renameSync(tmp, path);
}

/** Read and validate a table written by `writeAutoTable` / `ironforge tune`. */
export function loadAutoTable(path: string): AutoTable {
  let table: AutoTable;
  try {
    table = JSON.parse(readFileSync(path, 'utf8')) as AutoTable;
  } catch (e) {
    throw new Error(`auto table ${path}: ${(e as Error).message}`, { cause: e });
  }
  validateAutoTable(table);
  return table;
}
