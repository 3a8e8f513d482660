/**
 * Which TGAT encoder a run uses, decided once and recorded in the manifest:
 *
 *   1. `--weights FILE`                     the user's file;
 *   2. the shipped weights                  data/weights/tgat-sample.bin, trained on the bundled sample, with
 *                                           its provenance (data hash, seed, command, metrics) beside it;
 *   3. seeded weights                       createWeights(config, seed): untrained.
 *
 * A file that cannot be used (missing, another model shape or format version) is not fatal for a run: it falls
 * back to the next choice and says why (`fallback`), which the CLI prints and the manifest keeps.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { headsPath, loadHeads, loadWeights } from '../store/index.js';
import type { FeatureScaler, TgatWeights } from '../tgat/index.js';
import { packageRoot } from './paths.js';

export const SHIPPED_WEIGHTS = join('data', 'weights', 'tgat-sample.bin');
export const SHIPPED_PROVENANCE = join('data', 'weights', 'tgat-sample.provenance.json');

export interface EncoderChoice {
  source: 'file' | 'shipped' | 'seeded';
  /** The weights file used (null for seeded). */
  file: string | null;
  /** The shipped file's provenance JSON (null otherwise or when absent). */
  provenance: unknown;
  /** Why an earlier choice was not used (null when the first applicable one was). */
  fallback: string | null;
  weights: TgatWeights | undefined;
  /** The causal-feature scaler from the weights' heads sidecar (`ironforge train`); undefined without one. */
  inputScaler: FeatureScaler | undefined;
  /** Whether the weights' recorded test result beat the best baseline (provenance `beatsBestBaseline`). */
  earnedItsPlace: boolean;
}

function tryLoad(
  path: string,
): { weights: TgatWeights; scaler: FeatureScaler | undefined } | { error: string } {
  try {
    const weights = loadWeights(path);
    // an encoder trained by `ironforge train` saw scaled causal features: feed it the same (its sidecar)
    const scaler = existsSync(headsPath(path))
      ? loadHeads(headsPath(path), weights.config.hidden).features
      : undefined;
    return { weights, scaler };
  } catch (e) {
    const msg =
      (e as NodeJS.ErrnoException).code === 'ENOENT' ? `${path}: no such file` : (e as Error).message;
    return { error: msg };
  }
}

/** The encoder for a run with `weightsFile` (null: the default). `seed` names the seeded fallback. */
export function chooseEncoder(weightsFile: string | null, seed: number, root = packageRoot()): EncoderChoice {
  const reasons: string[] = [];
  if (weightsFile) {
    const r = tryLoad(weightsFile);
    if ('weights' in r)
      return {
        source: 'file',
        file: weightsFile,
        provenance: null,
        fallback: null,
        weights: r.weights,
        inputScaler: r.scaler,
        earnedItsPlace: false,
      };
    reasons.push(`--weights ${r.error}`);
  }
  const shipped = join(root, SHIPPED_WEIGHTS);
  if (existsSync(shipped)) {
    const r = tryLoad(shipped);
    if ('weights' in r) {
      let provenance: unknown = null;
      try {
        provenance = JSON.parse(readFileSync(join(root, SHIPPED_PROVENANCE), 'utf8'));
      } catch {
        reasons.push(`${SHIPPED_PROVENANCE}: missing or not JSON (the shipped weights are used without it)`);
      }
      return {
        source: 'shipped',
        file: SHIPPED_WEIGHTS,
        provenance,
        fallback: reasons.length > 0 ? reasons.join('; ') : null,
        weights: r.weights,
        inputScaler: r.scaler,
        earnedItsPlace: (provenance as { beatsBestBaseline?: unknown } | null)?.beatsBestBaseline === true,
      };
    }
    reasons.push(`shipped ${r.error}`);
  } else reasons.push(`no shipped weights at ${SHIPPED_WEIGHTS}`);
  return {
    source: 'seeded',
    file: null,
    provenance: null,
    fallback:
      weightsFile || reasons.length > 1 ? `${reasons.join('; ')}; using seeded weights (${seed})` : null,
    weights: undefined,
    inputScaler: undefined,
    earnedItsPlace: false,
  };
}
