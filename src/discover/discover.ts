/**
 * Discovery of one batch of sessions: features → DAG → TGAT embeddings and last-layer attention. Pure
 * computation over typed arrays (no files); the `discover` and `run` commands write the results.
 */
import { N_NODE_FEATURES, nodeFeatures } from '../features/index.js';
import { buildDag, dagInputFromSession, type DagBuilderName } from '../graph/index.js';
import { DEFAULT_DAG_CONFIG, type Dag, type DagConfig } from '../graph/index.js';
import type { Session } from '../session/index.js';
import {
  type ConcreteKernelName,
  createWeights,
  DEFAULT_TGAT_CONFIG,
  TgatEncoder,
  type AttentionTopM,
  type KernelName,
  type TgatConfig,
  type TgatWeights,
  encoderInput,
  type FeatureScaler,
  causalRawFeatures,
} from '../tgat/index.js';
import { DEFAULT_SEED } from '../core/index.js';

export interface DiscoverOptions {
  kernel?: KernelName;
  /** Seed of the weight initialisation when no weights are given (default DEFAULT_SEED). */
  seed?: number;
  weights?: TgatWeights;
  config?: Partial<TgatConfig>;
  dagConfig?: DagConfig;
  dagBuilder?: DagBuilderName;
  /** Attend along DAG edges (default true); false = causal attention over all earlier events. */
  dagMask?: boolean;
  /**
   * The causal-feature scaler an encoder was trained with (its heads sidecar, `ironforge train`): the encoder
   * then sees the same input as in training (causal columns scaled by the training means and sds, the others 0)
   * instead of the per-session standardised node features.
   */
  inputScaler?: FeatureScaler;
  onSession?: (done: number, total: number) => void;
}

export interface DiscoveredSession {
  session: Session;
  /** Standardized node features, n × inDim. */
  x: Float32Array;
  dag: Dag;
  /** n × hidden. */
  embeddings: Float32Array;
  attention: AttentionTopM;
  /** The kernel that ran for this session (after resolving `auto`). */
  kernel: ConcreteKernelName;
}

/** The encoder input of a trained encoder: causal columns, scaled as in training (see `inputScaler`). */
function scaledFeatures(
  session: Session,
  scaler: FeatureScaler,
): { data: Float32Array; n: number; d: number } {
  const k = causalRawFeatures(session); // features only: the DAG is built below, once
  return { data: encoderInput(k, scaler), n: k.n, d: N_NODE_FEATURES };
}

export function discoverSessions(
  sessions: readonly Session[],
  opts: DiscoverOptions = {},
): DiscoveredSession[] {
  const config = { ...DEFAULT_TGAT_CONFIG, ...(opts.weights?.config ?? {}), ...(opts.config ?? {}) };
  const weights = opts.weights ?? createWeights(config, opts.seed ?? DEFAULT_SEED);
  const encoder = new TgatEncoder(weights, { config: opts.config });
  const kernel = opts.kernel ?? 'auto';
  const out: DiscoveredSession[] = [];
  sessions.forEach((session, i) => {
    const features = opts.inputScaler ? scaledFeatures(session, opts.inputScaler) : nodeFeatures(session);
    const dag = buildDag(
      dagInputFromSession(session),
      opts.dagConfig ?? DEFAULT_DAG_CONFIG,
      opts.dagBuilder ?? 'vectorized',
    );
    const t = Float64Array.from(session.events, (e) => e.t);
    const r = encoder.encode(
      { x: features.data, n: features.n, inDim: features.d, t, dag: opts.dagMask === false ? null : dag },
      kernel,
    );
    out.push({
      session,
      x: features.data,
      dag,
      embeddings: r.embeddings,
      attention: r.attentionTopM,
      kernel: r.kernel,
    });
    opts.onSession?.(i + 1, sessions.length);
  });
  return out;
}
