/**
 * The evaluation's files: `evaluation.parquet` (one row per signal × horizon × outcome cell of every evaluated
 * bar file) and `evaluation.json` (the full results: settings, folds, rows, forward paths, oracle, skipped), and
 * the user's rule file (JSON, checked by evaluate/ parseRules; errors name the file, the rule and the field).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Column, UsageError } from '../core/index.js';
import { type EvaluationResult, parseRules, type Rule, RuleError } from '../evaluate/index.js';
import { writeFileAtomic, writeParquet } from '../io/index.js';

export const EVALUATION_PARQUET = 'evaluation.parquet';
export const EVALUATION_JSON = 'evaluation.json';

/** What evaluation.json holds: one evaluation per bar file. */
export interface EvaluationSet {
  kind: 'ironforge.evaluation-set';
  version: 1;
  evaluations: EvaluationResult[];
}

const nan = (v: number | null) => (v === null ? NaN : v);

/** Parquet columns of every row of every evaluation (null p/q/mde of untested cells are NaN). */
export function evaluationColumns(results: readonly EvaluationResult[]): Column[] {
  const rows = results.flatMap((r) => r.rows.map((row) => ({ ...row, file: r.source })));
  const f = (pick: (r: (typeof rows)[number]) => number): Float64Array => Float64Array.from(rows, pick);
  return [
    { name: 'source', type: 'string', values: rows.map((r) => r.file) },
    { name: 'signal', type: 'string', values: rows.map((r) => r.signal) },
    { name: 'signal_source', type: 'string', values: rows.map((r) => r.source) },
    { name: 'horizon', type: 'string', values: rows.map((r) => r.horizon) },
    { name: 'outcome', type: 'string', values: rows.map((r) => r.outcome) },
    { name: 'n', type: 'int64', values: f((r) => r.n) },
    { name: 'days', type: 'int64', values: f((r) => r.days) },
    { name: 'signal_mean', type: 'float64', values: f((r) => r.signalMean) },
    { name: 'baseline', type: 'float64', values: f((r) => r.baseline) },
    { name: 'effect', type: 'float64', values: f((r) => r.effect) },
    { name: 'ci_low', type: 'float64', values: f((r) => r.ciLow) },
    { name: 'ci_high', type: 'float64', values: f((r) => r.ciHigh) },
    { name: 'se', type: 'float64', values: f((r) => r.se) },
    { name: 'p', type: 'float64', values: f((r) => nan(r.p)) },
    { name: 'q', type: 'float64', values: f((r) => nan(r.q)) },
    { name: 'mde', type: 'float64', values: f((r) => nan(r.mde)) },
    { name: 'tested', type: 'bool', values: Uint8Array.from(rows, (r) => (r.tested ? 1 : 0)) },
    { name: 'significant', type: 'bool', values: Uint8Array.from(rows, (r) => (r.significant ? 1 : 0)) },
  ];
}

/** evaluation.json text: stable key order, NaN written as null. */
export function evaluationJson(results: readonly EvaluationResult[]): string {
  const set: EvaluationSet = { kind: 'ironforge.evaluation-set', version: 1, evaluations: [...results] };
  return `${JSON.stringify(set, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}

/** Writes both files into `dir` (atomically each). */
export async function writeEvaluation(dir: string, results: readonly EvaluationResult[]): Promise<string[]> {
  const parquet = join(dir, EVALUATION_PARQUET);
  const json = join(dir, EVALUATION_JSON);
  await writeParquet(parquet, evaluationColumns(results));
  await writeFileAtomic(json, evaluationJson(results));
  return [parquet, json];
}

/** Reads and checks a rule file. Errors name the file (unreadable, not JSON, or the rule and field). */
export async function readRuleFile(path: string): Promise<Rule[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(
      `${path}: cannot read the rule file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  try {
    return parseRules(value, path);
  } catch (e) {
    throw e instanceof RuleError ? new UsageError(e.message) : e;
  }
}
