/**
 * Float64 training forward and hand-written backward of the TGAT encoder. The forward performs the same
 * operations in the same order as the `reference` kernel + TypeScript dense backend (encoder.ts, ops.ts,
 * kernels/reference.ts), so with the same weights it reproduces `encodeSession(kernel: 'reference')` to
 * rounding; unlike them it keeps every activation the backward pass needs.
 *
 * Parameters live in one Float64Array with exactly the layout of `TgatWeights.data` (tensorPlan order), so a
 * trained vector converts to a weights file by rounding to float32.
 */
import { type TgatConfig, headDim } from '../config.js';
import type { AttentionMask } from '../mask.js';
import { allocateWeights } from '../weights.js';

/** Offsets (in floats) of every encoder tensor inside the flat parameter vector. */
export interface EncoderLayout {
  size: number;
  omega: number;
  phi: number;
  beta: number;
  Win: number;
  bin: number;
  layers: LayerOffsets[];
}

export interface LayerOffsets {
  Wq: number;
  bq: number;
  Wk: number;
  bk: number;
  Wv: number;
  bv: number;
  Wo: number;
  bo: number;
  gamma: number;
  ln1g: number;
  ln1b: number;
  W1: number;
  b1: number;
  W2: number;
  b2: number;
  ln2g: number;
  ln2b: number;
}

/** The encoder's tensor offsets for `c` (the same as `createWeights(c).tensors`). */
export function encoderLayout(c: TgatConfig): EncoderLayout {
  const w = allocateWeights(c, null);
  const at = (name: string): number => {
    const t = w.tensors.find((s) => s.name === name);
    if (!t) throw new Error(`encoderLayout: no tensor '${name}'`);
    return t.offset;
  };
  const layers: LayerOffsets[] = [];
  for (let l = 0; l < c.layers; l++) {
    const p = `layer${l}.`;
    layers.push({
      Wq: at(p + 'Wq'),
      bq: at(p + 'bq'),
      Wk: at(p + 'Wk'),
      bk: at(p + 'bk'),
      Wv: at(p + 'Wv'),
      bv: at(p + 'bv'),
      Wo: at(p + 'Wo'),
      bo: at(p + 'bo'),
      gamma: at(p + 'gamma'),
      ln1g: at(p + 'ln1.g'),
      ln1b: at(p + 'ln1.b'),
      W1: at(p + 'ffn.W1'),
      b1: at(p + 'ffn.b1'),
      W2: at(p + 'ffn.W2'),
      b2: at(p + 'ffn.b2'),
      ln2g: at(p + 'ln2.g'),
      ln2b: at(p + 'ln2.b'),
    });
  }
  return {
    size: w.data.length,
    omega: at('time.omega'),
    phi: at('time.phi'),
    beta: at('time.beta'),
    Win: at('input.W'),
    bin: at('input.b'),
    layers,
  };
}

/** Allowed (row, column) pairs of a mask as CSR, columns in the reference kernel's order (preds, then self). */
export interface PairList {
  ptr: Int32Array;
  col: Int32Array;
  /** Δt = tRel[j] − tRel[i] of each pair. */
  dt: Float64Array;
}

export function pairList(mask: AttentionMask, tRel: Float64Array): PairList {
  const n = mask.n;
  const ptr = new Int32Array(n + 1);
  const cols: number[] = [];
  for (let j = 0; j < n; j++) {
    if (mask.predPtr && mask.pred) {
      for (let p = mask.predPtr[j]; p < mask.predPtr[j + 1]; p++) cols.push(mask.pred[p]);
    } else {
      for (let i = mask.lo[j]; i < j; i++) cols.push(i);
    }
    if (mask.self) cols.push(j);
    ptr[j + 1] = cols.length;
  }
  const col = Int32Array.from(cols);
  const dt = new Float64Array(col.length);
  for (let j = 0; j < n; j++) for (let p = ptr[j]; p < ptr[j + 1]; p++) dt[p] = tRel[j] - tRel[col[p]];
  return { ptr, col, dt };
}

/** One session as the training forward sees it. */
export interface TrainInput {
  n: number;
  /** n × inDim features. */
  x: ArrayLike<number>;
  pairs: PairList;
}

interface LayerCache {
  hIn: Float64Array;
  q: Float64Array;
  k: Float64Array;
  v: Float64Array;
  /** Softmax weights, [heads][nnz]. */
  p: Float64Array;
  a: Float64Array;
  xhat1: Float64Array;
  inv1: Float64Array;
  h1: Float64Array;
  pre: Float64Array;
  m: Float64Array;
  xhat2: Float64Array;
  inv2: Float64Array;
}

/** Activations of one forward pass; `out` is the n × hidden embedding matrix. */
export interface ForwardCache {
  input: TrainInput;
  bias: Float64Array;
  layers: LayerCache[];
  out: Float64Array;
}

/** xW + b for row-major x[n×inDim], W at `wOff` [inDim×outDim] of `p`, in ops.linear's order. */
function linearF(
  x: ArrayLike<number>,
  n: number,
  inDim: number,
  p: Float64Array,
  wOff: number,
  bOff: number,
  outDim: number,
  out: Float64Array,
): void {
  for (let r = 0; r < n; r++) {
    const orow = r * outDim;
    for (let o = 0; o < outDim; o++) out[orow + o] = p[bOff + o];
    const xr = r * inDim;
    for (let c = 0; c < inDim; c++) {
      const xv = x[xr + c];
      if (xv === 0) continue;
      const wr = wOff + c * outDim;
      for (let o = 0; o < outDim; o++) out[orow + o] += xv * p[wr + o];
    }
  }
}

/** dW += xᵀ·dy, db += Σ dy, and (when dx given) dx += dy·Wᵀ. */
function linearB(
  x: ArrayLike<number>,
  n: number,
  inDim: number,
  p: Float64Array,
  g: Float64Array,
  wOff: number,
  bOff: number,
  outDim: number,
  dy: Float64Array,
  dx: Float64Array | null,
): void {
  for (let r = 0; r < n; r++) {
    const yr = r * outDim;
    for (let o = 0; o < outDim; o++) g[bOff + o] += dy[yr + o];
    const xr = r * inDim;
    for (let c = 0; c < inDim; c++) {
      const xv = x[xr + c];
      const wr = wOff + c * outDim;
      let acc = 0;
      for (let o = 0; o < outDim; o++) {
        const d = dy[yr + o];
        g[wr + o] += xv * d;
        acc += d * p[wr + o];
      }
      if (dx) dx[xr + c] += acc;
    }
  }
}

/** In place: u ← LN(u)·g + b row-wise; keeps x̂ and 1/σ for the backward. */
function layerNormF(
  u: Float64Array,
  n: number,
  dim: number,
  p: Float64Array,
  gOff: number,
  bOff: number,
  eps: number,
  xhat: Float64Array,
  inv: Float64Array,
): void {
  for (let r = 0; r < n; r++) {
    const rr = r * dim;
    let mean = 0;
    for (let o = 0; o < dim; o++) mean += u[rr + o];
    mean /= dim;
    let variance = 0;
    for (let o = 0; o < dim; o++) {
      const c = u[rr + o] - mean;
      variance += c * c;
    }
    variance /= dim;
    const iv = 1 / Math.sqrt(variance + eps);
    inv[r] = iv;
    for (let o = 0; o < dim; o++) {
      xhat[rr + o] = (u[rr + o] - mean) * iv;
      u[rr + o] = (u[rr + o] - mean) * iv * p[gOff + o] + p[bOff + o];
    }
  }
}

/** Returns du (fresh array) from dy; accumulates dg, db. */
function layerNormB(
  dy: Float64Array,
  n: number,
  dim: number,
  p: Float64Array,
  g: Float64Array,
  gOff: number,
  bOff: number,
  xhat: Float64Array,
  inv: Float64Array,
): Float64Array {
  const du = new Float64Array(n * dim);
  for (let r = 0; r < n; r++) {
    const rr = r * dim;
    let m1 = 0;
    let m2 = 0;
    for (let o = 0; o < dim; o++) {
      const d = dy[rr + o];
      g[gOff + o] += d * xhat[rr + o];
      g[bOff + o] += d;
      const dx = d * p[gOff + o];
      m1 += dx;
      m2 += dx * xhat[rr + o];
    }
    m1 /= dim;
    m2 /= dim;
    for (let o = 0; o < dim; o++) {
      const dx = dy[rr + o] * p[gOff + o];
      du[rr + o] = inv[r] * (dx - m1 - xhat[rr + o] * m2);
    }
  }
  return du;
}

/** Head-major projection out[h][r][d] = scale·(xW + b)[r][h·dh + d]. */
function projectF(
  x: Float64Array,
  n: number,
  c: TgatConfig,
  p: Float64Array,
  wOff: number,
  bOff: number,
  scale: number,
  out: Float64Array,
  acc: Float64Array,
): void {
  const H = c.hidden;
  const dh = headDim(c);
  for (let r = 0; r < n; r++) {
    for (let o = 0; o < H; o++) acc[o] = p[bOff + o];
    const xr = r * H;
    for (let col = 0; col < H; col++) {
      const xv = x[xr + col];
      if (xv === 0) continue;
      const wr = wOff + col * H;
      for (let o = 0; o < H; o++) acc[o] += xv * p[wr + o];
    }
    for (let h = 0; h < c.heads; h++) {
      const dst = (h * n + r) * dh;
      for (let d = 0; d < dh; d++) out[dst + d] = acc[h * dh + d] * scale;
    }
  }
}

/** Convert head-major d[h][r][d] to row-major, times `scale`. */
function headsToRows(d: Float64Array, n: number, heads: number, dh: number, scale: number): Float64Array {
  const out = new Float64Array(n * heads * dh);
  for (let h = 0; h < heads; h++)
    for (let r = 0; r < n; r++)
      for (let e = 0; e < dh; e++) out[r * heads * dh + h * dh + e] = d[(h * n + r) * dh + e] * scale;
  return out;
}

/** b(Δt) = Σ_m β_m cos(ω_m Δt + φ_m) per pair, in timeBiasAt's order. */
function pairBias(c: TgatConfig, lay: EncoderLayout, p: Float64Array, pairs: PairList): Float64Array {
  const bias = new Float64Array(pairs.col.length);
  if (!c.timeBias) return bias;
  const d = c.timeDim;
  for (let e = 0; e < bias.length; e++) {
    let s = 0;
    for (let m = 0; m < d; m++)
      s += p[lay.beta + m] * Math.cos(p[lay.omega + m] * pairs.dt[e] + p[lay.phi + m]);
    bias[e] = s;
  }
  return bias;
}

/** The encoder forward in float64, keeping activations. */
export function forwardTrain(
  c: TgatConfig,
  lay: EncoderLayout,
  p: Float64Array,
  input: TrainInput,
): ForwardCache {
  const { n, pairs } = input;
  const H = c.hidden;
  const F = c.ffnDim;
  const dh = headDim(c);
  const nnz = pairs.col.length;
  const bias = pairBias(c, lay, p, pairs);
  const acc = new Float64Array(H);
  const scores = new Float64Array(n);
  let h = new Float64Array(n * H);
  linearF(input.x, n, c.inDim, p, lay.Win, lay.bin, H, h);
  const layers: LayerCache[] = [];
  for (let l = 0; l < c.layers; l++) {
    const o = lay.layers[l];
    const q = new Float64Array(n * H);
    const k = new Float64Array(n * H);
    const v = new Float64Array(n * H);
    projectF(h, n, c, p, o.Wq, o.bq, 1 / Math.sqrt(dh), q, acc);
    projectF(h, n, c, p, o.Wk, o.bk, 1, k, acc);
    projectF(h, n, c, p, o.Wv, o.bv, 1, v, acc);
    const prob = new Float64Array(c.heads * nnz);
    const a = new Float64Array(n * H);
    for (let hd = 0; hd < c.heads; hd++) {
      const base = hd * n * dh;
      const gamma = c.timeBias ? p[o.gamma + hd] : 0;
      for (let j = 0; j < n; j++) {
        const p0 = pairs.ptr[j];
        const count = pairs.ptr[j + 1] - p0;
        const orow = j * H + hd * dh;
        if (count === 0) continue; // output row stays 0, as in the kernels
        let max = -Infinity;
        for (let e = 0; e < count; e++) {
          const i = pairs.col[p0 + e];
          let s = 0;
          for (let d = 0; d < dh; d++) s += q[base + j * dh + d] * k[base + i * dh + d];
          if (c.timeBias) s += gamma * bias[p0 + e];
          scores[e] = s;
          if (s > max) max = s;
        }
        let sum = 0;
        for (let e = 0; e < count; e++) {
          const ex = Math.exp(scores[e] - max);
          scores[e] = ex;
          sum += ex;
        }
        for (let d = 0; d < dh; d++) {
          let ac = 0;
          for (let e = 0; e < count; e++) ac += scores[e] * v[base + pairs.col[p0 + e] * dh + d];
          a[orow + d] = ac / sum;
        }
        for (let e = 0; e < count; e++) prob[hd * nnz + p0 + e] = scores[e] / sum;
      }
    }
    // H' = LN1(H + A·Wo + bo)
    const h1 = new Float64Array(n * H);
    linearF(a, n, H, p, o.Wo, o.bo, H, h1);
    for (let r = 0; r < n * H; r++) h1[r] += h[r];
    const xhat1 = new Float64Array(n * H);
    const inv1 = new Float64Array(n);
    layerNormF(h1, n, H, p, o.ln1g, o.ln1b, c.layerNormEps, xhat1, inv1);
    // H = LN2(H' + ReLU(H'·W1 + b1)·W2 + b2)
    const pre = new Float64Array(n * F);
    linearF(h1, n, H, p, o.W1, o.b1, F, pre);
    const m = new Float64Array(n * F);
    for (let r = 0; r < n * F; r++) m[r] = pre[r] < 0 ? 0 : pre[r];
    const h2 = new Float64Array(n * H);
    linearF(m, n, F, p, o.W2, o.b2, H, h2);
    for (let r = 0; r < n * H; r++) h2[r] += h1[r];
    const xhat2 = new Float64Array(n * H);
    const inv2 = new Float64Array(n);
    layerNormF(h2, n, H, p, o.ln2g, o.ln2b, c.layerNormEps, xhat2, inv2);
    layers.push({ hIn: h, q, k, v, p: prob, a, xhat1, inv1, h1, pre, m, xhat2, inv2 });
    h = h2;
  }
  return { input, bias, layers, out: h };
}

/** Backpropagate dOut (n × hidden, gradient of the loss w.r.t. the embeddings) into `grad` (accumulates). */
export function backwardTrain(
  c: TgatConfig,
  lay: EncoderLayout,
  p: Float64Array,
  cache: ForwardCache,
  dOut: Float64Array,
  grad: Float64Array,
): void {
  const { n, pairs } = cache.input;
  const H = c.hidden;
  const F = c.ffnDim;
  const dh = headDim(c);
  const nnz = pairs.col.length;
  const dBias = new Float64Array(nnz);
  let dH = dOut;
  for (let l = c.layers - 1; l >= 0; l--) {
    const o = lay.layers[l];
    const L = cache.layers[l];
    // feed-forward block
    const dU2 = layerNormB(dH, n, H, p, grad, o.ln2g, o.ln2b, L.xhat2, L.inv2);
    const dH1 = Float64Array.from(dU2);
    const dM = new Float64Array(n * F);
    linearB(L.m, n, F, p, grad, o.W2, o.b2, H, dU2, dM);
    for (let r = 0; r < n * F; r++) if (!(L.pre[r] > 0)) dM[r] = 0;
    linearB(L.h1, n, H, p, grad, o.W1, o.b1, F, dM, dH1);
    // attention output block
    const dU1 = layerNormB(dH1, n, H, p, grad, o.ln1g, o.ln1b, L.xhat1, L.inv1);
    const dHin = Float64Array.from(dU1);
    const dA = new Float64Array(n * H);
    linearB(L.a, n, H, p, grad, o.Wo, o.bo, H, dU1, dA);
    // attention
    const dq = new Float64Array(n * H);
    const dk = new Float64Array(n * H);
    const dv = new Float64Array(n * H);
    const ds = new Float64Array(n);
    for (let hd = 0; hd < c.heads; hd++) {
      const base = hd * n * dh;
      const gamma = c.timeBias ? p[o.gamma + hd] : 0;
      let dGamma = 0;
      for (let j = 0; j < n; j++) {
        const p0 = pairs.ptr[j];
        const count = pairs.ptr[j + 1] - p0;
        if (count === 0) continue;
        const arow = j * H + hd * dh;
        let dot = 0;
        for (let e = 0; e < count; e++) {
          const i = pairs.col[p0 + e];
          const pr = L.p[hd * nnz + p0 + e];
          let dp = 0;
          for (let d = 0; d < dh; d++) {
            dp += dA[arow + d] * L.v[base + i * dh + d];
            dv[base + i * dh + d] += pr * dA[arow + d];
          }
          ds[e] = dp;
          dot += pr * dp;
        }
        for (let e = 0; e < count; e++) {
          const i = pairs.col[p0 + e];
          const g = L.p[hd * nnz + p0 + e] * (ds[e] - dot);
          for (let d = 0; d < dh; d++) {
            dq[base + j * dh + d] += g * L.k[base + i * dh + d];
            dk[base + i * dh + d] += g * L.q[base + j * dh + d];
          }
          if (c.timeBias) {
            dGamma += g * cache.bias[p0 + e];
            dBias[p0 + e] += g * gamma;
          }
        }
      }
      if (c.timeBias) grad[o.gamma + hd] += dGamma;
    }
    linearB(L.hIn, n, H, p, grad, o.Wq, o.bq, H, headsToRows(dq, n, c.heads, dh, 1 / Math.sqrt(dh)), dHin);
    linearB(L.hIn, n, H, p, grad, o.Wk, o.bk, H, headsToRows(dk, n, c.heads, dh, 1), dHin);
    linearB(L.hIn, n, H, p, grad, o.Wv, o.bv, H, headsToRows(dv, n, c.heads, dh, 1), dHin);
    dH = dHin;
  }
  linearB(cache.input.x, n, c.inDim, p, grad, lay.Win, lay.bin, H, dH, null);
  if (c.timeBias) {
    const d = c.timeDim;
    for (let e = 0; e < nnz; e++) {
      const g = dBias[e];
      if (g === 0) continue;
      const dt = pairs.dt[e];
      for (let m = 0; m < d; m++) {
        const arg = p[lay.omega + m] * dt + p[lay.phi + m];
        const gs = g * p[lay.beta + m] * Math.sin(arg);
        grad[lay.beta + m] += g * Math.cos(arg);
        grad[lay.omega + m] -= gs * dt;
        grad[lay.phi + m] -= gs;
      }
    }
  }
}
