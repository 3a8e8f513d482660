/**
 * The TGAT encoder forward pass, decomposed into steps (input projection → per layer: Q/K/V projections,
 * attention kernel, output projection + residual + LayerNorm, feed-forward + residual + LayerNorm) so that
 * backward passes can be added step by step later.
 *
 *   H⁰ = X·W_in + b_in
 *   for each layer l:  Q,K,V = H·W_{q,k,v} + b (split into heads; Q scaled by 1/√dh)
 *                      A = attention(Q, K, V; mask, γ_l·b(Δt))            ← the selectable kernel
 *                      H' = LN₁(H + A·W_o + b_o)
 *                      H  = LN₂(H' + ReLU(H'·W₁ + b₁)·W₂ + b₂)
 *
 * Buffers are allocated once per (encoder, capacity) and reused, so repeated calls allocate nothing but the
 * returned arrays and the kernel's per-session state.
 */
import { type TgatConfig, headDim } from './config.js';
import { type AttentionMask } from './mask.js';
import type { DenseBackend } from './dense-backend.js';
import { buildTimeTables, relativeTimes } from './time-encoding.js';
import type { AttentionKernel, AttentionSession, FloatArray, KernelState } from './kernels/types.js';
import { type TgatWeights, tensor } from './weights.js';

export interface LayerWeights {
  Wq: Float32Array;
  bq: Float32Array;
  Wk: Float32Array;
  bk: Float32Array;
  Wv: Float32Array;
  bv: Float32Array;
  Wo: Float32Array;
  bo: Float32Array;
  gamma: Float64Array;
  ln1g: Float32Array;
  ln1b: Float32Array;
  W1: Float32Array;
  b1: Float32Array;
  W2: Float32Array;
  b2: Float32Array;
  ln2g: Float32Array;
  ln2b: Float32Array;
}

export interface ResolvedWeights {
  omega: Float64Array;
  phi: Float64Array;
  beta: Float64Array;
  Win: Float32Array;
  bin: Float32Array;
  layers: LayerWeights[];
}

/** Named views of the flat weight buffer, resolved once. */
export function resolveWeights(w: TgatWeights): ResolvedWeights {
  const c = w.config;
  const layers: LayerWeights[] = [];
  for (let l = 0; l < c.layers; l++) {
    const t = (name: string): Float32Array => tensor(w, `layer${l}.${name}`);
    layers.push({
      Wq: t('Wq'),
      bq: t('bq'),
      Wk: t('Wk'),
      bk: t('bk'),
      Wv: t('Wv'),
      bv: t('bv'),
      Wo: t('Wo'),
      bo: t('bo'),
      gamma: Float64Array.from(t('gamma')),
      ln1g: t('ln1.g'),
      ln1b: t('ln1.b'),
      W1: t('ffn.W1'),
      b1: t('ffn.b1'),
      W2: t('ffn.W2'),
      b2: t('ffn.b2'),
      ln2g: t('ln2.g'),
      ln2b: t('ln2.b'),
    });
  }
  return {
    omega: Float64Array.from(tensor(w, 'time.omega')),
    phi: Float64Array.from(tensor(w, 'time.phi')),
    beta: Float64Array.from(tensor(w, 'time.beta')),
    Win: tensor(w, 'input.W'),
    bin: tensor(w, 'input.b'),
    layers,
  };
}

/** Kernel-facing buffers (q, k, v, attention output) in the kernel's precision, for up to `capacity` nodes. */
export interface KernelBuffers {
  capacity: number;
  precision: 'float32' | 'float64';
  q: FloatArray;
  k: FloatArray;
  v: FloatArray;
  attn: FloatArray;
}

export function allocateKernelBuffers(
  c: TgatConfig,
  capacity: number,
  precision: 'float32' | 'float64',
): KernelBuffers {
  const make = (len: number): FloatArray =>
    precision === 'float64' ? new Float64Array(len) : new Float32Array(len);
  const len = capacity * c.hidden;
  return { capacity, precision, q: make(len), k: make(len), v: make(len), attn: make(len) };
}

/** Build the per-session attention context (mask + time tables) shared by all layers and heads. */
export function attentionSession(
  c: TgatConfig,
  rw: ResolvedWeights,
  n: number,
  tMs: Float64Array,
  mask: AttentionMask,
): AttentionSession {
  const tRel = relativeTimes(tMs, c.timeUnitMs);
  return {
    n,
    heads: c.heads,
    headDim: headDim(c),
    mask,
    tRel,
    time: c.timeBias ? buildTimeTables(tRel, rw.omega, rw.phi, rw.beta) : null,
    omega: rw.omega,
    phi: rw.phi,
    beta: rw.beta,
  };
}

/** What the last layer exposes for the attention read-out (top-m predecessors). */
export interface LastLayer {
  q: FloatArray;
  k: FloatArray;
  gamma: Float64Array;
}

/**
 * Run the encoder on x[n×inDim] and write the embeddings (n×hidden) into `out`. Returns the last layer's
 * queries/keys (views into `buf`, valid until the next call) for the attention read-out.
 */
export function forward(
  c: TgatConfig,
  rw: ResolvedWeights,
  dense: DenseBackend,
  kernel: AttentionKernel,
  state: KernelState,
  x: Float32Array,
  n: number,
  buf: KernelBuffers,
  out: Float32Array | Float64Array,
): LastLayer {
  const len = n * c.hidden;
  const q = buf.q.subarray(0, len);
  const k = buf.k.subarray(0, len);
  const v = buf.v.subarray(0, len);
  const attn = buf.attn.subarray(0, len);
  dense.inputProjection(x, n);
  const noBias = new Float64Array(c.heads); // γ = 0 when the time bias is switched off
  let gamma: Float64Array = noBias;
  for (let l = 0; l < c.layers; l++) {
    gamma = c.timeBias ? rw.layers[l].gamma : noBias;
    dense.qkv(l, n, q, k, v);
    kernel.run(state, { q, k, v, gamma, out: attn });
    dense.attentionOutput(l, n, attn);
    dense.feedForward(l, n);
  }
  dense.output(n, out);
  return { q, k, gamma };
}
