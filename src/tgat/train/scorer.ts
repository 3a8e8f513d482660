/**
 * Link scorer of temporal link prediction (TGAT's MergeLayer): logit(u → v) = w₂·ReLU(W₁·[z_u; z_v] + b₁) + b₂,
 * with binary cross-entropy on the logit. Parameters sit in a flat Float64Array after the encoder's.
 */
import { Rng, deriveSeed } from '../../stats/index.js';
import { STREAMS } from '../../core/index.js';

export interface ScorerLayout {
  /** Embedding width (hidden of the encoder). */
  dim: number;
  /** Inner width. */
  inner: number;
  W1: number;
  b1: number;
  w2: number;
  b2: number;
  size: number;
}

/** Layout of a scorer starting at float offset `start`. */
export function scorerLayout(dim: number, inner: number, start: number): ScorerLayout {
  const W1 = start;
  const b1 = W1 + 2 * dim * inner;
  const w2 = b1 + inner;
  const b2 = w2 + inner;
  return { dim, inner, W1, b1, w2, b2, size: b2 + 1 - start };
}

/** Seeded Glorot-uniform init of the scorer (biases 0). */
export function initScorer(s: ScorerLayout, p: Float64Array, seed: number): void {
  const rng = new Rng(deriveSeed(seed, STREAMS.trainScorer));
  const a1 = Math.sqrt(6 / (2 * s.dim + s.inner));
  for (let i = 0; i < 2 * s.dim * s.inner; i++) p[s.W1 + i] = rng.uniform(-a1, a1);
  const a2 = Math.sqrt(6 / (s.inner + 1));
  for (let i = 0; i < s.inner; i++) p[s.w2 + i] = rng.uniform(-a2, a2);
  for (let i = 0; i < s.inner; i++) p[s.b1 + i] = 0;
  p[s.b2] = 0;
}

/** Logit of the pair (u, v) given embeddings z (n × dim); `hid` receives the inner pre-activations. */
export function scoreLogit(
  s: ScorerLayout,
  p: Float64Array,
  z: ArrayLike<number>,
  u: number,
  v: number,
  hid: Float64Array,
): number {
  const D = s.dim;
  const I = s.inner;
  for (let o = 0; o < I; o++) hid[o] = p[s.b1 + o];
  for (let c = 0; c < 2 * D; c++) {
    const zv = c < D ? z[u * D + c] : z[v * D + c - D];
    const wr = s.W1 + c * I;
    for (let o = 0; o < I; o++) hid[o] += zv * p[wr + o];
  }
  let logit = p[s.b2];
  for (let o = 0; o < I; o++) if (hid[o] > 0) logit += hid[o] * p[s.w2 + o];
  return logit;
}

/** Backward of scoreLogit for dL/dlogit = `dl`: accumulates scorer gradients and dz rows of u and v. */
export function scoreBackward(
  s: ScorerLayout,
  p: Float64Array,
  g: Float64Array,
  z: ArrayLike<number>,
  u: number,
  v: number,
  hid: Float64Array,
  dl: number,
  dz: Float64Array,
): void {
  const D = s.dim;
  const I = s.inner;
  g[s.b2] += dl;
  const dh = new Float64Array(I);
  for (let o = 0; o < I; o++) {
    if (hid[o] > 0) {
      g[s.w2 + o] += dl * hid[o];
      dh[o] = dl * p[s.w2 + o];
      g[s.b1 + o] += dh[o];
    }
  }
  for (let c = 0; c < 2 * D; c++) {
    const zi = c < D ? u * D + c : v * D + c - D;
    const zv = z[zi];
    const wr = s.W1 + c * I;
    let acc = 0;
    for (let o = 0; o < I; o++) {
      g[wr + o] += zv * dh[o];
      acc += dh[o] * p[wr + o];
    }
    dz[zi] += acc;
  }
}

/** Binary cross-entropy of a logit against label y ∈ {0, 1} (stable softplus form) and its derivative. */
export function bceWithLogit(logit: number, y: number): { loss: number; dLogit: number } {
  const softplus = logit > 0 ? logit + Math.log1p(Math.exp(-logit)) : Math.log1p(Math.exp(logit));
  const sig = 1 / (1 + Math.exp(-logit));
  return { loss: softplus - y * logit, dLogit: sig - y };
}
