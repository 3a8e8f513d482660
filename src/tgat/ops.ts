/**
 * The dense building blocks of the encoder, one function per step so that a backward pass can be added next
 * to each (training is a later issue). Inputs and outputs are float32 or float64 arrays; every dot product
 * accumulates in float64 (a JS number) and is rounded once when stored, which is what keeps the float32
 * pipeline within 5e-7 of the float64 reference.
 */
import type { FloatArray } from './kernels/types.js';

/** out[n×outDim] = x[n×inDim] · W[inDim×outDim] + b. `acc` is a float64 scratch row of ≥ outDim. */
export function linear(
  x: FloatArray,
  n: number,
  inDim: number,
  W: Float32Array,
  b: Float32Array,
  outDim: number,
  out: FloatArray,
  acc: Float64Array,
): void {
  for (let r = 0; r < n; r++) {
    for (let o = 0; o < outDim; o++) acc[o] = b[o];
    const xr = r * inDim;
    for (let c = 0; c < inDim; c++) {
      const xv = x[xr + c];
      if (xv === 0) continue;
      const wr = c * outDim;
      for (let o = 0; o < outDim; o++) acc[o] += xv * W[wr + o];
    }
    const orow = r * outDim;
    for (let o = 0; o < outDim; o++) out[orow + o] = acc[o];
  }
}

/**
 * Project x[n×dim] with W[dim×dim] + b into head-major layout out[heads][n][dh], multiplied by `scale`
 * (1/√dh for queries, 1 for keys and values).
 */
export function projectHeads(
  x: FloatArray,
  n: number,
  dim: number,
  W: Float32Array,
  b: Float32Array,
  heads: number,
  scale: number,
  out: FloatArray,
  acc: Float64Array,
): void {
  const dh = dim / heads;
  for (let r = 0; r < n; r++) {
    for (let o = 0; o < dim; o++) acc[o] = b[o];
    const xr = r * dim;
    for (let c = 0; c < dim; c++) {
      const xv = x[xr + c];
      if (xv === 0) continue;
      const wr = c * dim;
      for (let o = 0; o < dim; o++) acc[o] += xv * W[wr + o];
    }
    for (let h = 0; h < heads; h++) {
      const dst = (h * n + r) * dh;
      for (let d = 0; d < dh; d++) out[dst + d] = acc[h * dh + d] * scale;
    }
  }
}

/**
 * out = LayerNorm(res + (y·W + b)) row-wise with gain g and shift beta: the attention output projection
 * and the feed-forward second layer both end this way (post-LN residual block).
 */
export function linearResidualLayerNorm(
  res: FloatArray,
  y: FloatArray,
  n: number,
  inDim: number,
  W: Float32Array,
  b: Float32Array,
  dim: number,
  g: Float32Array,
  shift: Float32Array,
  eps: number,
  out: FloatArray,
  acc: Float64Array,
): void {
  for (let r = 0; r < n; r++) {
    for (let o = 0; o < dim; o++) acc[o] = b[o];
    const yr = r * inDim;
    for (let c = 0; c < inDim; c++) {
      const yv = y[yr + c];
      if (yv === 0) continue;
      const wr = c * dim;
      for (let o = 0; o < dim; o++) acc[o] += yv * W[wr + o];
    }
    const rr = r * dim;
    let mean = 0;
    for (let o = 0; o < dim; o++) {
      acc[o] += res[rr + o];
      mean += acc[o];
    }
    mean /= dim;
    let variance = 0;
    for (let o = 0; o < dim; o++) {
      const c = acc[o] - mean;
      variance += c * c;
    }
    variance /= dim;
    const inv = 1 / Math.sqrt(variance + eps);
    for (let o = 0; o < dim; o++) out[rr + o] = (acc[o] - mean) * inv * g[o] + shift[o];
  }
}

/** In-place ReLU. */
export function relu(x: FloatArray, len: number): void {
  for (let i = 0; i < len; i++) if (x[i] < 0) x[i] = 0;
}
