/**
 * `ironforge ablate` as a library call: read one bar file (and optionally trained TGAT weights), run the
 * feature-set ablation on outcomes (evaluate/ `ablateBars`: hand features vs untrained vs trained TGAT
 * embeddings, walk-forward by trading day). Errors name the file.
 */
import { DEFAULT_BAR_ZONE } from '../core/index.js';
import { ablateBars, type AblationOptions, type AblationResult } from '../evaluate/index.js';
import { loadWeights, readBars } from '../store/index.js';

export interface AblateBarsConfig extends Omit<AblationOptions, 'trainedWeights' | 'outcomeOverride'> {
  file: string;
  /** Trained weights file (store/ weights format); without it the `tgat_trained` set is left out. */
  weightsFile?: string | null;
}

export interface AblateBarsReport extends AblationResult {
  source: string;
  weightsFile: string | null;
}

export async function ablateBarFile(cfg: AblateBarsConfig): Promise<AblateBarsReport> {
  const tz = cfg.tz ?? DEFAULT_BAR_ZONE;
  const { bars } = await readBars(cfg.file, { tz });
  let trainedWeights = null;
  if (cfg.weightsFile) {
    try {
      trainedWeights = loadWeights(cfg.weightsFile);
    } catch (e) {
      const m = (e as Error).message;
      throw new Error(m.includes(cfg.weightsFile) ? m : `${cfg.weightsFile}: ${m}`, { cause: e });
    }
  }
  let r: AblationResult;
  try {
    r = ablateBars(bars, { ...cfg, tz, trainedWeights });
  } catch (e) {
    throw new Error(`${cfg.file}: ${(e as Error).message}`, { cause: e });
  }
  return { source: cfg.file, weightsFile: cfg.weightsFile ?? null, ...r };
}
