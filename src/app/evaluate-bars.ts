/**
 * `ironforge evaluate` as a library call: read bar files (and a rule file), build each file's series (causal
 * detectors + sessions), evaluate it. One bad file never stops the others: it is reported in `failures` with
 * the file and the reason, and the rest go on.
 */
import { DEFAULT_BAR_ZONE } from '../core/index.js';
import {
  evalSeriesFromBars,
  evaluate,
  type EvaluateOptions,
  type EvaluationResult,
} from '../evaluate/index.js';
import { readBars, readRuleFile, readSessions } from '../store/index.js';
import type { Session } from '../session/index.js';

export interface EvaluateBarsConfig extends Omit<EvaluateOptions, 'rules' | 'tz' | 'records'> {
  files: readonly string[];
  tz?: string;
  /** Path of a rule file (rules.ts format). */
  rulesFile?: string | null;
  /** Enhanced session records (files or folders) whose events become signals (hindsight refused). */
  records?: readonly string[];
}

export interface EvaluateBarsReport {
  results: EvaluationResult[];
  failures: { file: string; error: string }[];
}

export async function evaluateBarFiles(
  cfg: EvaluateBarsConfig,
  onFile?: (file: string, index: number, total: number) => void,
): Promise<EvaluateBarsReport> {
  const tz = cfg.tz ?? DEFAULT_BAR_ZONE;
  const rules = cfg.rulesFile ? await readRuleFile(cfg.rulesFile) : undefined;
  let records: Session[] | undefined;
  const failures: EvaluateBarsReport['failures'] = [];
  if (cfg.records && cfg.records.length > 0) {
    const r = await readSessions([...cfg.records]);
    records = r.sessions;
    failures.push(...r.failures.map((f) => ({ file: f.file, error: f.error })));
  }
  const results: EvaluationResult[] = [];
  for (const [i, file] of cfg.files.entries()) {
    onFile?.(file, i, cfg.files.length);
    try {
      const { bars } = await readBars(file, { tz });
      const series = evalSeriesFromBars(bars, { tz, source: file });
      if (series.segments.count === 0)
        throw new Error('no bars fall inside any session window of the calendar');
      results.push(evaluate(series, { ...cfg, rules, tz, records }));
    } catch (e) {
      failures.push({
        file,
        error: (e as Error).message.startsWith(file)
          ? (e as Error).message
          : `${file}: ${(e as Error).message}`,
      });
    }
  }
  return { results, failures };
}
