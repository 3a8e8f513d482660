/**
 * The non-attention steps of the encoder (input projection, Q/K/V projections, output projection + residual
 * + LayerNorm, feed-forward + residual + LayerNorm) behind one small interface with two implementations:
 * TypeScript (ops.ts) and WebAssembly SIMD (f64x2). Both accumulate in float64 and keep the residual stream
 * in float64; they perform the same operations in the same order, so they agree to the last bit or nearly.
 */
import { type TgatConfig, headDim } from './config.js';
import type { ResolvedWeights } from './encoder.js';
import type { FloatArray } from './kernels/types.js';
import { linear, linearResidualLayerNorm, projectHeads, relu } from './ops.js';
import { WasmArena } from './wasm/runtime.js';

export interface DenseBackend {
  readonly name: 'ts' | 'wasm';
  /** H⁰ = X·W_in + b_in. */
  inputProjection(x: Float32Array, n: number): void;
  /** Q (scaled by 1/√dh), K, V of layer l from the current H, head-major [heads][n][dh]. */
  qkv(l: number, n: number, q: FloatArray, k: FloatArray, v: FloatArray): void;
  /** H' = LN₁(H + A·W_o + b_o). */
  attentionOutput(l: number, n: number, attn: FloatArray): void;
  /** H = LN₂(H' + ReLU(H'·W₁ + b₁)·W₂ + b₂). */
  feedForward(l: number, n: number): void;
  /** Copy the current H (n×hidden) into dst. */
  output(n: number, dst: Float32Array | Float64Array): void;
}

/** TypeScript backend: float64 activations in JS arrays. */
export class TsDenseBackend implements DenseBackend {
  readonly name = 'ts';
  private h = new Float64Array(0);
  private h1 = new Float64Array(0);
  private mid = new Float64Array(0);
  private readonly acc: Float64Array;

  constructor(
    private readonly c: TgatConfig,
    private readonly w: ResolvedWeights,
  ) {
    this.acc = new Float64Array(Math.max(c.hidden, c.ffnDim, c.inDim));
  }

  private ensure(n: number): void {
    if (this.h.length >= n * this.c.hidden) return;
    this.h = new Float64Array(n * this.c.hidden);
    this.h1 = new Float64Array(n * this.c.hidden);
    this.mid = new Float64Array(n * this.c.ffnDim);
  }

  inputProjection(x: Float32Array, n: number): void {
    this.ensure(n);
    linear(x, n, this.c.inDim, this.w.Win, this.w.bin, this.c.hidden, this.h, this.acc);
  }

  qkv(l: number, n: number, q: FloatArray, k: FloatArray, v: FloatArray): void {
    const lw = this.w.layers[l];
    const H = this.c.hidden;
    projectHeads(this.h, n, H, lw.Wq, lw.bq, this.c.heads, 1 / Math.sqrt(headDim(this.c)), q, this.acc);
    projectHeads(this.h, n, H, lw.Wk, lw.bk, this.c.heads, 1, k, this.acc);
    projectHeads(this.h, n, H, lw.Wv, lw.bv, this.c.heads, 1, v, this.acc);
  }

  attentionOutput(l: number, n: number, attn: FloatArray): void {
    const lw = this.w.layers[l];
    const H = this.c.hidden;
    linearResidualLayerNorm(
      this.h,
      attn,
      n,
      H,
      lw.Wo,
      lw.bo,
      H,
      lw.ln1g,
      lw.ln1b,
      this.c.layerNormEps,
      this.h1,
      this.acc,
    );
  }

  feedForward(l: number, n: number): void {
    const lw = this.w.layers[l];
    const c = this.c;
    linear(this.h1, n, c.hidden, lw.W1, lw.b1, c.ffnDim, this.mid, this.acc);
    relu(this.mid, n * c.ffnDim);
    linearResidualLayerNorm(
      this.h1,
      this.mid,
      n,
      c.ffnDim,
      lw.W2,
      lw.b2,
      c.hidden,
      lw.ln2g,
      lw.ln2b,
      c.layerNormEps,
      this.h,
      this.acc,
    );
  }

  output(n: number, dst: Float32Array | Float64Array): void {
    dst.set(this.h.subarray(0, n * this.c.hidden));
  }
}

interface WasmLayerPtrs {
  Wq: number;
  bq: number;
  Wk: number;
  bk: number;
  Wv: number;
  bv: number;
  Wo: number;
  bo: number;
  ln1g: number;
  ln1b: number;
  W1: number;
  b1: number;
  W2: number;
  b2: number;
  ln2g: number;
  ln2b: number;
}

/**
 * WebAssembly backend: weights are copied once (as float64) into the instance; H, H' and the feed-forward
 * activations live in wasm memory; only Q/K/V (out) and the attention output (in) cross the boundary.
 */
export class WasmDenseBackend implements DenseBackend {
  readonly name = 'wasm';
  private readonly arena = new WasmArena();
  private readonly Win: number;
  private readonly bin: number;
  private readonly layers: WasmLayerPtrs[];
  private readonly weightsTop: number;
  private cap = 0;
  private H = 0;
  private H1 = 0;
  private T = 0;
  private MID = 0;
  private X32 = 0;
  private OUT32 = 0;

  constructor(
    private readonly c: TgatConfig,
    w: ResolvedWeights,
  ) {
    const up = (a: ArrayLike<number>): number => {
      const p = this.arena.alloc(8 * a.length);
      this.arena.f64(p, a.length).set(a);
      return p;
    };
    this.Win = up(w.Win);
    this.bin = up(w.bin);
    this.layers = w.layers.map((lw) => ({
      Wq: up(lw.Wq),
      bq: up(lw.bq),
      Wk: up(lw.Wk),
      bk: up(lw.bk),
      Wv: up(lw.Wv),
      bv: up(lw.bv),
      Wo: up(lw.Wo),
      bo: up(lw.bo),
      ln1g: up(lw.ln1g),
      ln1b: up(lw.ln1b),
      W1: up(lw.W1),
      b1: up(lw.b1),
      W2: up(lw.W2),
      b2: up(lw.b2),
      ln2g: up(lw.ln2g),
      ln2b: up(lw.ln2b),
    }));
    this.weightsTop = this.arena.mark();
  }

  private ensure(n: number): void {
    if (n <= this.cap) return;
    const c = this.c;
    const cap = Math.max(n, 2 * this.cap);
    this.arena.release(this.weightsTop);
    const wide = Math.max(c.hidden, c.ffnDim, c.inDim);
    this.H = this.arena.alloc(8 * cap * c.hidden);
    this.H1 = this.arena.alloc(8 * cap * c.hidden);
    this.T = this.arena.alloc(8 * cap * wide);
    this.MID = this.arena.alloc(8 * cap * c.ffnDim);
    this.X32 = this.arena.alloc(4 * cap * wide);
    this.OUT32 = this.arena.alloc(4 * cap * c.hidden);
    this.cap = cap;
  }

  inputProjection(x: Float32Array, n: number): void {
    this.ensure(n);
    const c = this.c;
    const ex = this.arena.ex;
    this.arena.f32(this.X32, n * c.inDim).set(x.subarray(0, n * c.inDim));
    ex.f32ToF64(this.X32, this.T, n * c.inDim);
    ex.linear(this.T, n, c.inDim, this.Win, this.bin, c.hidden, this.H);
  }

  qkv(l: number, n: number, q: FloatArray, k: FloatArray, v: FloatArray): void {
    const c = this.c;
    const ex = this.arena.ex;
    const lw = this.layers[l];
    const len = n * c.hidden;
    const scaleQ = 1 / Math.sqrt(headDim(c));
    const proj = (W: number, b: number, scale: number, dst: FloatArray): void => {
      ex.linear(this.H, n, c.hidden, W, b, c.hidden, this.T);
      ex.scatterHeads(this.T, n, c.hidden, c.heads, scale, this.OUT32);
      dst.set(this.arena.f32(this.OUT32, len));
    };
    proj(lw.Wq, lw.bq, scaleQ, q);
    proj(lw.Wk, lw.bk, 1, k);
    proj(lw.Wv, lw.bv, 1, v);
  }

  attentionOutput(l: number, n: number, attn: FloatArray): void {
    const c = this.c;
    const ex = this.arena.ex;
    const lw = this.layers[l];
    const len = n * c.hidden;
    this.arena.f32(this.X32, len).set(attn.subarray(0, len));
    ex.f32ToF64(this.X32, this.MID, len);
    ex.linear(this.MID, n, c.hidden, lw.Wo, lw.bo, c.hidden, this.T);
    ex.residualLayerNorm(this.T, this.H, n, c.hidden, lw.ln1g, lw.ln1b, c.layerNormEps, this.H1);
  }

  feedForward(l: number, n: number): void {
    const c = this.c;
    const ex = this.arena.ex;
    const lw = this.layers[l];
    ex.linear(this.H1, n, c.hidden, lw.W1, lw.b1, c.ffnDim, this.MID);
    ex.reluF64(this.MID, n * c.ffnDim);
    ex.linear(this.MID, n, c.ffnDim, lw.W2, lw.b2, c.hidden, this.T);
    ex.residualLayerNorm(this.T, this.H1, n, c.hidden, lw.ln2g, lw.ln2b, c.layerNormEps, this.H);
  }

  output(n: number, dst: Float32Array | Float64Array): void {
    dst.set(this.arena.f64(this.H, n * this.c.hidden));
  }
}
