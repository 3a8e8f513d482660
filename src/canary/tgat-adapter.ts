/**
 * The canary's one doorway to the TGAT stage: encode a session with a named kernel (one `TgatEncoder`, so
 * buffers are reused between calls as in a batch run), the kernel's declared workspace, and the top-m
 * attention index. The rest of the canary depends only on this interface.
 */
import type { Dag } from '../graph/index.js';
import { attentionSession, resolveWeights } from '../tgat/index.js';
import { KERNEL_NAMES, TgatEncoder, buildMask, createWeights, type KernelName } from '../tgat/index.js';

export interface EncodeOutput {
  /** n × hidden, row-major (float64 for `reference`, unrounded). */
  embeddings: Float32Array | Float64Array;
  hidden: number;
  /** n × topM last-layer top predecessors (−1 padded). */
  topIndex: Int32Array | null;
  topM: number;
  /** The concrete kernel that ran (differs from the requested one for `auto`). */
  kernel: string;
}

export interface TgatRunner {
  /** Every selectable kernel name, `reference` and `auto` included. */
  kernelNames: readonly string[];
  /** Whether attention is masked by the DAG (node j attends to its DAG predecessors and itself). */
  dagMask: boolean;
  encode(kernel: string, x: Float32Array, n: number, inDim: number, t: Float64Array, dag: Dag): EncodeOutput;
  /** Bytes the kernel declares its per-session workspace needs (kernel.workspaceBytes). */
  workspaceBytes(kernel: string, n: number, t: Float64Array, dag: Dag): number | null;
}

/**
 * A runner with the default TGAT config and weights seeded by `seed`. With `dagMask` (the pipeline's
 * setting) the DAG passed to `encode` masks attention; without it attention is causal over all earlier events.
 */
export function createTgatRunner(seed: number, opts: { dagMask: boolean } = { dagMask: true }): TgatRunner {
  const weights = createWeights({}, seed);
  const encoder = new TgatEncoder(weights);
  const c = encoder.config;
  const rw = resolveWeights(weights);
  const kernelOf = (k: string): KernelName => {
    if (!(KERNEL_NAMES as readonly string[]).includes(k))
      throw new Error(`unknown TGAT kernel "${k}"; expected one of ${KERNEL_NAMES.join(', ')}`);
    return k as KernelName;
  };
  return {
    kernelNames: KERNEL_NAMES,
    dagMask: opts.dagMask,
    encode(kernel, x, n, inDim, t, dag) {
      const out = kernel === 'reference' ? new Float64Array(n * c.hidden) : undefined;
      const r = encoder.encode({ x, n, inDim, t, dag: opts.dagMask ? dag : null }, kernelOf(kernel), { out });
      return {
        embeddings: r.output,
        hidden: c.hidden,
        topIndex: r.attentionTopM.index,
        topM: r.attentionTopM.m,
        kernel: r.kernel,
      };
    },
    workspaceBytes(kernel, n, t, dag) {
      const k = encoder.kernelFor(kernelOf(kernel), n, opts.dagMask);
      const mask = buildMask(n, t, {
        windowMs: c.windowMs,
        selfAttention: c.selfAttention,
        dag: opts.dagMask ? dag : null,
      });
      return k.workspaceBytes(attentionSession(c, rw, n, t, mask));
    },
  };
}
