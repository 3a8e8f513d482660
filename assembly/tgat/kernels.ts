/* eslint-disable */
// AssemblyScript source of the WebAssembly SIMD backend of src/tgat (compiled by scripts/build-tgat-wasm.mjs
// into src/tgat/wasm/tgat-wasm.generated.ts). Not part of the tsc build: this is AssemblyScript, not TypeScript.
//
// Precision contract (same as the TypeScript kernels): values are stored as float32 or float64 as the caller
// lays them out, every dot product, softmax sum and weighted sum accumulates in float64 (f64x2 lanes).
// float32 arithmetic was measured to miss the 5e-7 parity bound (see src/tgat/kernels/types.ts).
//
// All pointers are byte offsets into this module's memory, laid out by src/tgat/wasm/runtime.ts.
//
// Argument passing: each attention kernel export takes one pointer to its descriptor, a struct in this
// memory written by `writeDesc` (src/tgat/wasm/runtime.ts). Its fields are declared once, in
// scripts/tgat-desc.mjs; desc.generated.ts holds the typed readers generated from that table
// (`AttnRowsDesc.gamma(desc)` is one f64 load at a fixed offset). The dense ops keep positional arguments.

import {
  AttnBaselineDesc,
  AttnDagDesc,
  AttnRowsDesc,
  BuildBiasCacheDesc,
  ConvertQKVDesc,
  DESC_LAYOUT_ID,
} from './desc.generated';

/** Online-softmax segment length (columns) of the row kernels. */
const SEG: i32 = 64;

export function heapBase(): usize {
  return __heap_base;
}

/** The id of the descriptor layout this module was compiled with (checked by the runtime at load). */
export function descLayoutId(): i32 {
  return DESC_LAYOUT_ID;
}

// ---------------------------------------------------------------------------------------------------------
// exp for four f32 lanes holding x ≤ 0: exp(x) = 2^k · 2^f with y = x·log2(e), k = round(y), f = y − k in
// [−½, ½], and 2^f from a degree-6 polynomial (least-squares minimax fit, relative error 1.6e-8, plus float32
// rounding). Rounding y costs a relative error ≈ 6e-8·|y| in exp(x), which only matters where exp(x) is tiny.
// Lanes below −126·ln2 (incl. −∞: masked entries) give exactly 0.
// Every step is one x86 instruction: `pmax` instead of `max` (no NaN/−0 fix-ups; inputs are never NaN), and
// k is rounded with the 1.5·2^23 trick (adding it leaves round(y) in the low mantissa bits) instead of
// nearest + trunc_sat (which V8 expands into saturation fix-ups).

// Constants live in a static table and are read with load32_splat (one vbroadcastss each): V8 11 does not
// hoist v128 constants out of loops and rebuilds each from an immediate every iteration (3 instructions).
const EXP_C = memory.data<f32>([
  1.44269504088896341, // log2(e)
  -126.0, // lowest exponent kept
  12582912.0, // 1.5·2^23 rounding magic
  1.534581242594868e-4, // c6 … c0 of 2^f on [−½, ½]
  1.3399930903688073e-3,
  9.618489071726799e-3,
  5.550328642129898e-2,
  2.4022646248340607e-1,
  6.931471824645996e-1,
  1.0,
]);
const EXP_BIAS = memory.data<i32>([127]);

function expf4(x: v128): v128 {
  const lowest = v128.load32_splat(EXP_C + 4);
  const y0 = f32x4.mul(x, v128.load32_splat(EXP_C));
  const valid = f32x4.ge(y0, lowest);
  const y = f32x4.pmax(y0, lowest);
  const magic = v128.load32_splat(EXP_C + 8);
  const t = f32x4.add(y, magic);
  const k = f32x4.sub(t, magic);
  const f = f32x4.sub(y, k);
  let p = v128.load32_splat(EXP_C + 12);
  p = f32x4.add(f32x4.mul(p, f), v128.load32_splat(EXP_C + 16));
  p = f32x4.add(f32x4.mul(p, f), v128.load32_splat(EXP_C + 20));
  p = f32x4.add(f32x4.mul(p, f), v128.load32_splat(EXP_C + 24));
  p = f32x4.add(f32x4.mul(p, f), v128.load32_splat(EXP_C + 28));
  p = f32x4.add(f32x4.mul(p, f), v128.load32_splat(EXP_C + 32));
  p = f32x4.add(f32x4.mul(p, f), v128.load32_splat(EXP_C + 36));
  // bits(t) = bits(1.5·2^23) + k, and bits(1.5·2^23) << 23 vanishes modulo 2^32: (bits(t) + 127) << 23 = 2^k.
  const scale = i32x4.shl(i32x4.add(t, v128.load32_splat(EXP_BIAS)), 23);
  return v128.and(f32x4.mul(p, scale), valid);
}

/** Sum of four f32 lanes, in float64. */
function hsum4(v: v128): f64 {
  const lo = f64x2.promote_low_f32x4(v);
  const hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  const s = f64x2.add(lo, hi);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

// ---------------------------------------------------------------------------------------------------------
// Layout conversion: q, k, v float32 [heads][n][dh] → q64 float64 [heads][n][dh], kt float64 [heads][dh][ld]
// and vt float32 [heads][dh][ld] (keys along the fast axis, so consecutive keys load as one vector).
// Columns n..ld−1 are zero.

export function convertQKV(desc: usize): void {
  const n = ConvertQKVDesc.n(desc);
  const heads = ConvertQKVDesc.heads(desc);
  const dh = ConvertQKVDesc.dh(desc);
  const ld = ConvertQKVDesc.ld(desc);
  const q32 = ConvertQKVDesc.q32(desc);
  const k32 = ConvertQKVDesc.k32(desc);
  const v32 = ConvertQKVDesc.v32(desc);
  const q64 = ConvertQKVDesc.q64(desc);
  const kt = ConvertQKVDesc.kt(desc);
  const vt = ConvertQKVDesc.vt(desc);
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < n; i++) {
      const src = ((h * n + i) * dh) << 2;
      const dq = q64 + (((h * n + i) * dh) << 3);
      for (let d = 0; d < dh; d++) {
        const at = (h * dh + d) * ld + i;
        store<f64>(dq + (d << 3), <f64>load<f32>(q32 + src + (d << 2)));
        store<f64>(kt + (at << 3), <f64>load<f32>(k32 + src + (d << 2)));
        store<f32>(vt + (at << 2), load<f32>(v32 + src + (d << 2)));
      }
    }
    for (let d = 0; d < dh; d++) {
      for (let i = n; i < ld; i++) {
        const at = (h * dh + d) * ld + i;
        store<f64>(kt + (at << 3), 0.0);
        store<f32>(vt + (at << 2), 0);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Shared pieces of the row kernels.

/**
 * Softmax weights of a scored segment: p = exp(s − m) (f32 lanes) into segP, returns Σp (accumulated in
 * float64).
 * cnt4 is the segment length rounded up to a multiple of 4 (padding lanes hold −∞).
 */
function segmentWeights(segS: usize, segP: usize, cnt4: i32, m: f64): f64 {
  const mv = f64x2.splat(m);
  let l2 = f64x2.splat(0);
  for (let t = 0; t < cnt4; t += 4) {
    const a = f32x4.demote_f64x2_zero(f64x2.sub(v128.load(segS + (t << 3)), mv));
    const b = f32x4.demote_f64x2_zero(f64x2.sub(v128.load(segS + (t << 3) + 16), mv));
    const p = expf4(v128.shuffle<f32>(a, b, 0, 1, 4, 5));
    v128.store(segP + (t << 2), p);
    l2 = f64x2.add(l2, sumPairs(p));
  }
  return f64x2.extract_lane(l2, 0) + f64x2.extract_lane(l2, 1);
}

/** (p0 + p2, p1 + p3) in float64: the softmax denominator accumulates in float64. Summing it in float32
 * lanes (16 terms per lane) was measured to add up to 1.8e-7 to the output error on some inputs. */
function sumPairs(p: v128): v128 {
  return f64x2.add(f64x2.promote_low_f32x4(p), f64x2.promote_low_f32x4(v128.shuffle<f32>(p, p, 2, 3, 0, 1)));
}

/**
 * acc[d] (float64) += Σ_t p[t]·vt[d][c0 + t] for d < dh: f32 products summed in four f32 lanes over the
 * segment (≤ 64 columns, so ≤ 16 terms per lane), then added in float64.
 */
function segmentValues(segP: usize, cnt4: i32, vt: usize, ld: i32, c0: i32, dh: i32, acc: usize): void {
  const vbase = vt + (c0 << 2);
  const row = ld << 2;
  let d = 0;
  for (; d + 4 <= dh; d += 4) {
    let x0 = f32x4.splat(0);
    let x1 = f32x4.splat(0);
    let x2 = f32x4.splat(0);
    let x3 = f32x4.splat(0);
    const r0 = vbase + d * row;
    const r1 = r0 + row;
    const r2 = r1 + row;
    const r3 = r2 + row;
    for (let t = 0; t < cnt4; t += 4) {
      const p = v128.load(segP + (t << 2));
      const o = t << 2;
      x0 = f32x4.add(x0, f32x4.mul(p, v128.load(r0 + o)));
      x1 = f32x4.add(x1, f32x4.mul(p, v128.load(r1 + o)));
      x2 = f32x4.add(x2, f32x4.mul(p, v128.load(r2 + o)));
      x3 = f32x4.add(x3, f32x4.mul(p, v128.load(r3 + o)));
    }
    const a = acc + (d << 3);
    store<f64>(a, load<f64>(a) + hsum4(x0));
    store<f64>(a + 8, load<f64>(a + 8) + hsum4(x1));
    store<f64>(a + 16, load<f64>(a + 16) + hsum4(x2));
    store<f64>(a + 24, load<f64>(a + 24) + hsum4(x3));
  }
  for (; d < dh; d++) {
    let x0 = f32x4.splat(0);
    const r0 = vbase + d * row;
    for (let t = 0; t < cnt4; t += 4) {
      x0 = f32x4.add(x0, f32x4.mul(v128.load(segP + (t << 2)), v128.load(r0 + (t << 2))));
    }
    const a = acc + (d << 3);
    store<f64>(a, load<f64>(a) + hsum4(x0));
  }
}

/** segS[t] = q·k[c0 + t] for t < cnt4 (generic head width, four keys per step). */
function scoreSegment(qj: usize, dh: i32, kt0: usize, ld: i32, cnt4: i32, segS: usize): void {
  for (let t = 0; t < cnt4; t += 4) {
    const off = t << 3;
    let s0 = f64x2.splat(0.0);
    let s1 = f64x2.splat(0.0);
    for (let d = 0; d < dh; d++) {
      const qd = v128.load64_splat(qj + (d << 3));
      const kp = kt0 + ((d * ld) << 3) + off;
      s0 = f64x2.add(s0, f64x2.mul(qd, v128.load(kp)));
      s1 = f64x2.add(s1, f64x2.mul(qd, v128.load(kp + 16)));
    }
    v128.store(segS + off, s0);
    v128.store(segS + off + 16, s1);
  }
}

/** segS[t] = q·k[c0 + t] for head width 11 with the query splatted in 11 registers, two keys per step. */
function scoreSegment11(
  kt0: usize,
  kRow: usize,
  cnt4: i32,
  segS: usize,
  q0: v128,
  q1: v128,
  q2: v128,
  q3: v128,
  q4: v128,
  q5: v128,
  q6: v128,
  q7: v128,
  q8: v128,
  q9: v128,
  q10: v128,
): void {
  for (let t = 0; t < cnt4; t += 2) {
    let kp = kt0 + (t << 3);
    let s = f64x2.mul(q0, v128.load(kp));
    kp += kRow;
    s = f64x2.add(s, f64x2.mul(q1, v128.load(kp)));
    kp += kRow;
    s = f64x2.add(s, f64x2.mul(q2, v128.load(kp)));
    kp += kRow;
    s = f64x2.add(s, f64x2.mul(q3, v128.load(kp)));
    kp += kRow;
    s = f64x2.add(s, f64x2.mul(q4, v128.load(kp)));
    kp += kRow;
    s = f64x2.add(s, f64x2.mul(q5, v128.load(kp)));
    kp += kRow;
    s = f64x2.add(s, f64x2.mul(q6, v128.load(kp)));
    kp += kRow;
    s = f64x2.add(s, f64x2.mul(q7, v128.load(kp)));
    kp += kRow;
    s = f64x2.add(s, f64x2.mul(q8, v128.load(kp)));
    kp += kRow;
    s = f64x2.add(s, f64x2.mul(q9, v128.load(kp)));
    kp += kRow;
    s = f64x2.add(s, f64x2.mul(q10, v128.load(kp)));
    v128.store(segS + (t << 3), s);
  }
}

/**
 * γ·b(t_j − t_i) for the four columns i..i+3 in float32 lanes: Σ_u rb[u]·colT[u][i..i+3] with rb the
 * γ-scaled row factors (float32). The bias only shifts scores by O(1); float32 arithmetic here was measured
 * not to move the parity (see the precision note in src/tgat/kernels/types.ts).
 */
function factorBias4(rb: usize, colT: usize, ld: i32, i: i32, d2: i32): v128 {
  let b = f32x4.splat(0);
  const off = i << 2;
  for (let u = 0; u < d2; u++) {
    b = f32x4.add(b, f32x4.mul(v128.load32_splat(rb + (u << 2)), v128.load(colT + ((u * ld) << 2) + off)));
  }
  return b;
}

// ---------------------------------------------------------------------------------------------------------
// Row kernel for causal/window masks (contiguous allowed columns), one head, four keys per step.
//   flash = 0: visit only the allowed span [lo_j, hi_j] (block-sparse / time-bias-cache traversal);
//   flash = 1: visit columns 0..j and mask element-wise (flash traversal); stamp ≠ 0 adds the DAG test.
// Bias: cache ≠ 0 → γ·cache[rowOff[j] + (i − lo_j)] (float32, packed); else d2 > 0 → factor form
// Σ_m γ·rowTab[j][m]·colT[m][i]; else none. Scores are float64; weights and the weighted sum as above.

export function attnRows(desc: usize): void {
  const n = AttnRowsDesc.n(desc);
  const dh = AttnRowsDesc.dh(desc);
  const ld = AttnRowsDesc.ld(desc);
  const q = AttnRowsDesc.q(desc);
  const kt = AttnRowsDesc.kt(desc);
  const vt = AttnRowsDesc.vt(desc);
  const lo = AttnRowsDesc.lo(desc);
  const self = AttnRowsDesc.self(desc);
  const flash = AttnRowsDesc.flash(desc);
  const stamp = AttnRowsDesc.stamp(desc);
  const predPtr = AttnRowsDesc.predPtr(desc);
  const pred = AttnRowsDesc.pred(desc);
  const d2 = AttnRowsDesc.d2(desc);
  const gamma = AttnRowsDesc.gamma(desc);
  const rowTab = AttnRowsDesc.rowTab(desc);
  const colT = AttnRowsDesc.colT(desc);
  const cache = AttnRowsDesc.cache(desc);
  const rowOff = AttnRowsDesc.rowOff(desc);
  const out = AttnRowsDesc.out(desc);
  const width = AttnRowsDesc.width(desc);
  const segS = AttnRowsDesc.segS(desc);
  const segP = AttnRowsDesc.segP(desc);
  const acc = AttnRowsDesc.acc(desc);
  const rb = AttnRowsDesc.rb(desc);
  const negInf = f64x2.splat(-Infinity);
  const lane01 = f64x2.replace_lane(f64x2.splat(0.0), 1, 1.0);
  const lane23 = f64x2.add(lane01, f64x2.splat(2.0));
  const gv = f64x2.splat(gamma);
  const kRow = ld << 3;
  for (let j = 0; j < n; j++) {
    const loJ = load<i32>(lo + (j << 2));
    const hiEx = self ? j + 1 : j;
    if (stamp != 0) {
      const p1 = load<i32>(predPtr + ((j + 1) << 2));
      for (let p = load<i32>(predPtr + (j << 2)); p < p1; p++)
        store<i32>(stamp + (load<i32>(pred + (p << 2)) << 2), j + 1);
    }
    const a0 = flash ? 0 : loJ;
    const e0 = flash ? j + 1 : hiEx;
    for (let d = 0; d < dh; d++) store<f64>(acc + (d << 3), 0.0);
    let m: f64 = -Infinity;
    let l: f64 = 0;
    if (cache == 0 && d2 > 0) {
      for (let t = 0; t < d2; t++)
        store<f32>(rb + (t << 2), <f32>(gamma * <f64>load<f32>(rowTab + ((j * d2 + t) << 2))));
    }
    const qj = q + ((j * dh) << 3);
    const q0 = v128.load64_splat(qj),
      q1 = v128.load64_splat(qj + 8),
      q2 = v128.load64_splat(qj + 16);
    const q3 = v128.load64_splat(qj + 24),
      q4 = v128.load64_splat(qj + 32),
      q5 = v128.load64_splat(qj + 40);
    const q6 = v128.load64_splat(qj + 48),
      q7 = v128.load64_splat(qj + 56),
      q8 = v128.load64_splat(qj + 64);
    const q9 = v128.load64_splat(qj + 72),
      q10 = v128.load64_splat(qj + 80);
    const cacheRow = cache != 0 ? cache + ((load<i32>(rowOff + (j << 2)) - loJ) << 2) : 0;
    const jp1 = j + 1;
    for (let c0 = a0; c0 < e0; c0 += SEG) {
      const c1 = min(c0 + SEG, e0);
      const cnt = c1 - c0;
      const cnt4 = (cnt + 3) & ~3;
      // Valid lanes: lowB ≤ i < highB.
      const lowB = flash ? loJ : c0;
      const highB = flash ? min(c1, hiEx) : c1;
      const lowV = f64x2.splat(<f64>lowB);
      const highV = f64x2.splat(<f64>highB);
      let vmax = negInf;
      // Pass 1: raw scores q·k for the segment (float64), two keys per step for the default head width
      // (the query then stays in registers with no spills: measured ~1.7× faster than four keys per step).
      if (dh == 11) {
        scoreSegment11(kt + (c0 << 3), kRow, cnt4, segS, q0, q1, q2, q3, q4, q5, q6, q7, q8, q9, q10);
      } else {
        scoreSegment(qj, dh, kt + (c0 << 3), ld, cnt4, segS);
      }
      // Pass 2: time bias, mask, running max.
      for (let t = 0; t < cnt4; t += 4) {
        const i = c0 + t;
        let s0 = v128.load(segS + (t << 3));
        let s1 = v128.load(segS + (t << 3) + 16);
        if (cache != 0) {
          const b4 = v128.load(cacheRow + (i << 2));
          s0 = f64x2.add(s0, f64x2.mul(gv, f64x2.promote_low_f32x4(b4)));
          s1 = f64x2.add(s1, f64x2.mul(gv, f64x2.promote_low_f32x4(v128.shuffle<f32>(b4, b4, 2, 3, 0, 1))));
        } else if (d2 > 0) {
          const b4 = factorBias4(rb, colT, ld, i, d2);
          s0 = f64x2.add(s0, f64x2.promote_low_f32x4(b4));
          s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(b4, b4, 2, 3, 0, 1)));
        }
        if (flash || t + 4 > cnt) {
          const fi = f64x2.splat(<f64>i);
          const idx0 = f64x2.add(fi, lane01);
          const idx1 = f64x2.add(fi, lane23);
          let ok0 = v128.and(f64x2.ge(idx0, lowV), f64x2.lt(idx0, highV));
          let ok1 = v128.and(f64x2.ge(idx1, lowV), f64x2.lt(idx1, highV));
          if (stamp != 0) {
            ok0 = v128.and(
              ok0,
              i64x2.replace_lane(
                i64x2.splat(dagOk(stamp, i, j, jp1, self, n)),
                1,
                dagOk(stamp, i + 1, j, jp1, self, n),
              ),
            );
            ok1 = v128.and(
              ok1,
              i64x2.replace_lane(
                i64x2.splat(dagOk(stamp, i + 2, j, jp1, self, n)),
                1,
                dagOk(stamp, i + 3, j, jp1, self, n),
              ),
            );
          }
          s0 = v128.bitselect(s0, negInf, ok0);
          s1 = v128.bitselect(s1, negInf, ok1);
        }
        v128.store(segS + (t << 3), s0);
        v128.store(segS + (t << 3) + 16, s1);
        vmax = f64x2.pmax(vmax, f64x2.pmax(s0, s1));
      }
      const segMax = max(f64x2.extract_lane(vmax, 0), f64x2.extract_lane(vmax, 1));
      if (segMax == -Infinity) continue;
      if (segMax > m) {
        const scale = Math.exp(m - segMax);
        l *= scale;
        for (let d = 0; d < dh; d++) store<f64>(acc + (d << 3), load<f64>(acc + (d << 3)) * scale);
        m = segMax;
      }
      l += segmentWeights(segS, segP, cnt4, m);
      segmentValues(segP, cnt4, vt, ld, c0, dh, acc);
    }
    const o = out + ((j * width) << 2);
    for (let d = 0; d < dh; d++) {
      store<f32>(o + (d << 2), l > 0 ? <f32>(load<f64>(acc + (d << 3)) / l) : <f32>0);
    }
  }
}

/** −1 (all bits) when column i is an allowed DAG column of row j (stamped predecessor, or the diagonal). */
function dagOk(stamp: usize, i: i32, j: i32, jp1: i32, self: i32, n: i32): i64 {
  if (i >= n) return 0;
  return load<i32>(stamp + (i << 2)) == jp1 || (self != 0 && i == j) ? -1 : 0;
}

// ---------------------------------------------------------------------------------------------------------
// Row kernel for DAG masks, one head: row j visits its predecessors (CSR, ascending) and itself. Rows hold
// a handful of columns, so this is scalar float64.

export function attnDag(desc: usize): void {
  const n = AttnDagDesc.n(desc);
  const dh = AttnDagDesc.dh(desc);
  const ld = AttnDagDesc.ld(desc);
  const q = AttnDagDesc.q(desc);
  const kt = AttnDagDesc.kt(desc);
  const vt = AttnDagDesc.vt(desc);
  const predPtr = AttnDagDesc.predPtr(desc);
  const pred = AttnDagDesc.pred(desc);
  const self = AttnDagDesc.self(desc);
  const d2 = AttnDagDesc.d2(desc);
  const gamma = AttnDagDesc.gamma(desc);
  const rowTab = AttnDagDesc.rowTab(desc);
  const colT = AttnDagDesc.colT(desc);
  const cache = AttnDagDesc.cache(desc);
  const rowOff = AttnDagDesc.rowOff(desc);
  const out = AttnDagDesc.out(desc);
  const width = AttnDagDesc.width(desc);
  const seg = AttnDagDesc.seg(desc);
  const cols = AttnDagDesc.cols(desc);
  const accS = AttnDagDesc.accS(desc);
  for (let j = 0; j < n; j++) {
    const p0 = load<i32>(predPtr + (j << 2));
    const p1 = load<i32>(predPtr + ((j + 1) << 2));
    let count = 0;
    for (let p = p0; p < p1; p++) store<i32>(cols + (count++ << 2), load<i32>(pred + (p << 2)));
    if (self) store<i32>(cols + (count++ << 2), j);
    const o = out + ((j * width) << 2);
    if (count == 0) {
      for (let d = 0; d < dh; d++) store<f32>(o + (d << 2), 0);
      continue;
    }
    const qj = q + ((j * dh) << 3);
    const cacheRow = cache != 0 ? cache + (load<i32>(rowOff + (j << 2)) << 2) : 0;
    const rj = rowTab + ((j * d2) << 2);
    let m: f64 = -Infinity;
    for (let c = 0; c < count; c++) {
      const i = load<i32>(cols + (c << 2));
      let s: f64 = 0;
      for (let d = 0; d < dh; d++) s += load<f64>(qj + (d << 3)) * load<f64>(kt + ((d * ld + i) << 3));
      if (cache != 0) s += gamma * <f64>load<f32>(cacheRow + (c << 2));
      else if (d2 > 0) {
        let b: f64 = 0;
        for (let u = 0; u < d2; u++)
          b += <f64>load<f32>(rj + (u << 2)) * <f64>load<f32>(colT + ((u * ld + i) << 2));
        s += gamma * b;
      }
      store<f64>(seg + (c << 3), s);
      if (s > m) m = s;
    }
    let l: f64 = 0;
    for (let d = 0; d < dh; d++) store<f64>(accS + (d << 3), 0);
    for (let c = 0; c < count; c++) {
      const i = load<i32>(cols + (c << 2));
      const p = Math.exp(load<f64>(seg + (c << 3)) - m);
      l += p;
      for (let d = 0; d < dh; d++) {
        const a = accS + (d << 3);
        store<f64>(a, load<f64>(a) + p * <f64>load<f32>(vt + ((d * ld + i) << 2)));
      }
    }
    for (let d = 0; d < dh; d++) store<f32>(o + (d << 2), <f32>(load<f64>(accS + (d << 3)) / l));
  }
}

// ---------------------------------------------------------------------------------------------------------
// Baseline, one head: full n×n float32 score matrix S (row stride ld), mask after scoring, softmax in
// place, then P·V over all n columns (64-column blocks of f32 lane sums, added in float64).

export function attnBaseline(desc: usize): void {
  const n = AttnBaselineDesc.n(desc);
  const dh = AttnBaselineDesc.dh(desc);
  const ld = AttnBaselineDesc.ld(desc);
  const q = AttnBaselineDesc.q(desc);
  const kt = AttnBaselineDesc.kt(desc);
  const vt = AttnBaselineDesc.vt(desc);
  const lo = AttnBaselineDesc.lo(desc);
  const predPtr = AttnBaselineDesc.predPtr(desc);
  const pred = AttnBaselineDesc.pred(desc);
  const self = AttnBaselineDesc.self(desc);
  const stamp = AttnBaselineDesc.stamp(desc);
  const d2 = AttnBaselineDesc.d2(desc);
  const gamma = AttnBaselineDesc.gamma(desc);
  const rowTab = AttnBaselineDesc.rowTab(desc);
  const colT = AttnBaselineDesc.colT(desc);
  const out = AttnBaselineDesc.out(desc);
  const width = AttnBaselineDesc.width(desc);
  const S = AttnBaselineDesc.S(desc);
  const rb = AttnBaselineDesc.rb(desc);
  const acc = AttnBaselineDesc.acc(desc);
  const segS = AttnBaselineDesc.segS(desc);
  const n4 = (n + 3) & ~3;
  // 1. scores for every pair, in 64-key segments: q·k (float64, same scoring routines as the row kernels),
  //    plus the time bias, rounded once into the float32 matrix.
  const kRow = ld << 3;
  for (let j = 0; j < n; j++) {
    if (d2 > 0) {
      for (let t = 0; t < d2; t++)
        store<f32>(rb + (t << 2), <f32>(gamma * <f64>load<f32>(rowTab + ((j * d2 + t) << 2))));
    }
    const qj = q + ((j * dh) << 3);
    const q0 = v128.load64_splat(qj),
      q1 = v128.load64_splat(qj + 8),
      q2 = v128.load64_splat(qj + 16);
    const q3 = v128.load64_splat(qj + 24),
      q4 = v128.load64_splat(qj + 32),
      q5 = v128.load64_splat(qj + 40);
    const q6 = v128.load64_splat(qj + 48),
      q7 = v128.load64_splat(qj + 56),
      q8 = v128.load64_splat(qj + 64);
    const q9 = v128.load64_splat(qj + 72),
      q10 = v128.load64_splat(qj + 80);
    const srow = S + ((j * ld) << 2);
    for (let c0 = 0; c0 < n4; c0 += SEG) {
      const cnt4 = min(SEG, n4 - c0);
      if (dh == 11) {
        scoreSegment11(kt + (c0 << 3), kRow, cnt4, segS, q0, q1, q2, q3, q4, q5, q6, q7, q8, q9, q10);
      } else {
        scoreSegment(qj, dh, kt + (c0 << 3), ld, cnt4, segS);
      }
      for (let t = 0; t < cnt4; t += 4) {
        let s0 = v128.load(segS + (t << 3));
        let s1 = v128.load(segS + (t << 3) + 16);
        if (d2 > 0) {
          const b4 = factorBias4(rb, colT, ld, c0 + t, d2);
          s0 = f64x2.add(s0, f64x2.promote_low_f32x4(b4));
          s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(b4, b4, 2, 3, 0, 1)));
        }
        v128.store(
          srow + ((c0 + t) << 2),
          v128.shuffle<f32>(f32x4.demote_f64x2_zero(s0), f32x4.demote_f64x2_zero(s1), 0, 1, 4, 5),
        );
      }
    }
  }
  // 2.–4. per row: mask, softmax, P·V
  for (let j = 0; j < n; j++) {
    const srow = S + ((j * ld) << 2);
    if (predPtr != 0) {
      const p0 = load<i32>(predPtr + (j << 2));
      const p1 = load<i32>(predPtr + ((j + 1) << 2));
      for (let p = p0; p < p1; p++) store<i32>(stamp + (load<i32>(pred + (p << 2)) << 2), j + 1);
    }
    const loJ = load<i32>(lo + (j << 2));
    let m: f32 = -Infinity;
    for (let i = 0; i < n; i++) {
      let ok = i >= loJ && (i < j || (i == j && self != 0));
      if (ok && predPtr != 0 && i != j) ok = load<i32>(stamp + (i << 2)) == j + 1;
      const a = srow + (i << 2);
      if (!ok) store<f32>(a, -Infinity);
      else if (load<f32>(a) > m) m = load<f32>(a);
    }
    for (let i = n; i < n4; i++) store<f32>(srow + (i << 2), -Infinity);
    const o = out + ((j * width) << 2);
    if (m == -Infinity) {
      for (let d = 0; d < dh; d++) store<f32>(o + (d << 2), 0);
      continue;
    }
    const mv = f32x4.splat(m);
    let l2 = f64x2.splat(0);
    for (let t = 0; t < n4; t += 4) {
      const a = srow + (t << 2);
      const p = expf4(f32x4.sub(v128.load(a), mv));
      v128.store(a, p);
      l2 = f64x2.add(l2, sumPairs(p));
    }
    const l = f64x2.extract_lane(l2, 0) + f64x2.extract_lane(l2, 1);
    for (let d = 0; d < dh; d++) store<f64>(acc + (d << 3), 0.0);
    for (let i = 0; i < n4; i += SEG) {
      segmentValues(srow + (i << 2), min(SEG, n4 - i), vt, ld, i, dh, acc);
    }
    for (let d = 0; d < dh; d++) store<f32>(o + (d << 2), <f32>(load<f64>(acc + (d << 3)) / l));
  }
}

// ---------------------------------------------------------------------------------------------------------
// Dense layers (float64). W is [inDim][outDim] row-major.

export function linear(x: usize, n: i32, inDim: i32, W: usize, b: usize, outDim: i32, out: usize): void {
  const stride = outDim << 3;
  const xs = inDim << 3;
  let r = 0;
  // 4 rows × 4 outputs per block: per input column, 4 splats + 2 loads of W feed 8 multiply-adds
  // (14 live vectors, no spills). Each output is still b + Σ_c x·W in order c = 0, 1, …: same bits as the
  // one-row loop below and as ops.ts.
  if ((outDim & 3) == 0) {
    for (; r + 4 <= n; r += 4) {
      const x0 = x + ((r * inDim) << 3);
      for (let o = 0; o < outDim; o += 4) {
        const bo = b + (o << 3);
        let a00 = v128.load(bo);
        let a01 = v128.load(bo + 16);
        let a10 = a00;
        let a11 = a01;
        let a20 = a00;
        let a21 = a01;
        let a30 = a00;
        let a31 = a01;
        let w = W + (o << 3);
        let xp = x0;
        for (let c = 0; c < inDim; c++) {
          const w0 = v128.load(w);
          const w1 = v128.load(w + 16);
          const v0 = v128.load64_splat(xp);
          const v1 = v128.load64_splat(xp + xs);
          const v2 = v128.load64_splat(xp + 2 * xs);
          const v3 = v128.load64_splat(xp + 3 * xs);
          a00 = f64x2.add(a00, f64x2.mul(v0, w0));
          a01 = f64x2.add(a01, f64x2.mul(v0, w1));
          a10 = f64x2.add(a10, f64x2.mul(v1, w0));
          a11 = f64x2.add(a11, f64x2.mul(v1, w1));
          a20 = f64x2.add(a20, f64x2.mul(v2, w0));
          a21 = f64x2.add(a21, f64x2.mul(v2, w1));
          a30 = f64x2.add(a30, f64x2.mul(v3, w0));
          a31 = f64x2.add(a31, f64x2.mul(v3, w1));
          w += stride;
          xp += 8;
        }
        const po = out + ((r * outDim + o) << 3);
        v128.store(po, a00);
        v128.store(po + 16, a01);
        v128.store(po + stride, a10);
        v128.store(po + stride + 16, a11);
        v128.store(po + 2 * stride, a20);
        v128.store(po + 2 * stride + 16, a21);
        v128.store(po + 3 * stride, a30);
        v128.store(po + 3 * stride + 16, a31);
      }
    }
  }
  for (; r < n; r++) {
    const xr = x + ((r * inDim) << 3);
    const orow = out + ((r * outDim) << 3);
    let o = 0;
    for (; o + 8 <= outDim; o += 8) {
      let a0 = v128.load(b + (o << 3));
      let a1 = v128.load(b + ((o + 2) << 3));
      let a2 = v128.load(b + ((o + 4) << 3));
      let a3 = v128.load(b + ((o + 6) << 3));
      let w = W + (o << 3);
      const stride = outDim << 3;
      for (let c = 0; c < inDim; c++) {
        const xv = v128.load64_splat(xr + (c << 3));
        a0 = f64x2.add(a0, f64x2.mul(xv, v128.load(w)));
        a1 = f64x2.add(a1, f64x2.mul(xv, v128.load(w + 16)));
        a2 = f64x2.add(a2, f64x2.mul(xv, v128.load(w + 32)));
        a3 = f64x2.add(a3, f64x2.mul(xv, v128.load(w + 48)));
        w += stride;
      }
      const po = orow + (o << 3);
      v128.store(po, a0);
      v128.store(po + 16, a1);
      v128.store(po + 32, a2);
      v128.store(po + 48, a3);
    }
    for (; o + 2 <= outDim; o += 2) {
      let a0 = v128.load(b + (o << 3));
      let w = W + (o << 3);
      const stride = outDim << 3;
      for (let c = 0; c < inDim; c++) {
        a0 = f64x2.add(a0, f64x2.mul(v128.load64_splat(xr + (c << 3)), v128.load(w)));
        w += stride;
      }
      v128.store(orow + (o << 3), a0);
    }
    for (; o < outDim; o++) {
      let a: f64 = load<f64>(b + (o << 3));
      for (let c = 0; c < inDim; c++) a += load<f64>(xr + (c << 3)) * load<f64>(W + ((c * outDim + o) << 3));
      store<f64>(orow + (o << 3), a);
    }
  }
}

/** out = LayerNorm(res + y) row-wise (gain g, shift sh); y, res, out float64 [n][dim]; out may alias y. */
export function residualLayerNorm(
  y: usize,
  res: usize,
  n: i32,
  dim: i32,
  g: usize,
  sh: usize,
  eps: f64,
  out: usize,
): void {
  for (let r = 0; r < n; r++) {
    const base = (r * dim) << 3;
    let mean: f64 = 0;
    for (let o = 0; o < dim; o++) {
      const v = load<f64>(y + base + (o << 3)) + load<f64>(res + base + (o << 3));
      store<f64>(out + base + (o << 3), v);
      mean += v;
    }
    mean /= <f64>dim;
    let variance: f64 = 0;
    for (let o = 0; o < dim; o++) {
      const c = load<f64>(out + base + (o << 3)) - mean;
      variance += c * c;
    }
    variance /= <f64>dim;
    const inv = 1.0 / Math.sqrt(variance + eps);
    for (let o = 0; o < dim; o++) {
      const a = out + base + (o << 3);
      store<f64>(a, (load<f64>(a) - mean) * inv * load<f64>(g + (o << 3)) + load<f64>(sh + (o << 3)));
    }
  }
}

export function reluF64(x: usize, len: i32): void {
  const zero = f64x2.splat(0.0);
  let i = 0;
  for (; i + 2 <= len; i += 2) {
    const a = x + (i << 3);
    v128.store(a, f64x2.pmax(v128.load(a), zero));
  }
  for (; i < len; i++) {
    const a = x + (i << 3);
    if (load<f64>(a) < 0) store<f64>(a, 0);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Time-bias cache: b(t_j − t_i) (no γ) for every allowed pair, packed row after row in ascending column
// order (rowOff[j] is row j's first pair), float32. predPtr = 0 → causal/window spans [lo_j, hi_j].

export function buildBiasCache(desc: usize): void {
  const n = BuildBiasCacheDesc.n(desc);
  const ld = BuildBiasCacheDesc.ld(desc);
  const lo = BuildBiasCacheDesc.lo(desc);
  const predPtr = BuildBiasCacheDesc.predPtr(desc);
  const pred = BuildBiasCacheDesc.pred(desc);
  const self = BuildBiasCacheDesc.self(desc);
  const d2 = BuildBiasCacheDesc.d2(desc);
  const rowTab = BuildBiasCacheDesc.rowTab(desc);
  const colT = BuildBiasCacheDesc.colT(desc);
  const rowOff = BuildBiasCacheDesc.rowOff(desc);
  const cache = BuildBiasCacheDesc.cache(desc);
  const rb = BuildBiasCacheDesc.rb(desc);
  for (let j = 0; j < n; j++) {
    const rj = rowTab + ((j * d2) << 2);
    let c = cache + (load<i32>(rowOff + (j << 2)) << 2);
    if (predPtr != 0) {
      const p0 = load<i32>(predPtr + (j << 2));
      const p1 = load<i32>(predPtr + ((j + 1) << 2));
      for (let p = p0; p <= p1; p++) {
        let i: i32 = 0;
        if (p < p1) i = load<i32>(pred + (p << 2));
        else if (self) i = j;
        else break;
        let b: f32 = 0;
        for (let u = 0; u < d2; u++) b += load<f32>(rj + (u << 2)) * load<f32>(colT + ((u * ld + i) << 2));
        store<f32>(c, b);
        c += 4;
      }
    } else {
      for (let u = 0; u < d2; u++) store<f32>(rb + (u << 2), load<f32>(rj + (u << 2)));
      const a = load<i32>(lo + (j << 2));
      const e = self ? j + 1 : j;
      // four floats per step; a span that is not a multiple of 4 spills into the next row's first slots,
      // which that row then overwrites (the cache has 4 floats of padding after the last row).
      for (let i = a; i < e; i += 4) {
        v128.store(c, factorBias4(rb, colT, ld, i, d2));
        c += 16;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Layout helpers for the dense path.

/** out32[h][r][d] = scale · x[r][h·dh + d] (float64 → float32, head-major). */
export function scatterHeads(x: usize, n: i32, dim: i32, heads: i32, scale: f64, out32: usize): void {
  const dh = dim / heads;
  for (let r = 0; r < n; r++) {
    for (let h = 0; h < heads; h++) {
      const src = x + ((r * dim + h * dh) << 3);
      const dst = out32 + (((h * n + r) * dh) << 2);
      for (let d = 0; d < dh; d++) store<f32>(dst + (d << 2), <f32>(load<f64>(src + (d << 3)) * scale));
    }
  }
}

export function f32ToF64(src: usize, dst: usize, len: i32): void {
  for (let i = 0; i < len; i++) store<f64>(dst + (i << 3), <f64>load<f32>(src + (i << 2)));
}

// ---------------------------------------------------------------------------------------------------------
// Machine calibration for the bench's FLOP-rate column: the best multiply-add rate this runtime's SIMD
// reaches on L1-resident data (8 independent accumulators, so neither latency nor memory limits it).
// Returns a checksum so the work cannot be optimised away; each call does 2·lanes·len·reps flops.

export function peakF64(buf: usize, len: i32, reps: i32): f64 {
  let a0 = f64x2.splat(0),
    a1 = f64x2.splat(0),
    a2 = f64x2.splat(0),
    a3 = f64x2.splat(0);
  let a4 = f64x2.splat(0),
    a5 = f64x2.splat(0),
    a6 = f64x2.splat(0),
    a7 = f64x2.splat(0);
  const c = f64x2.splat(1.0000001);
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < len; i += 16) {
      const p = buf + (i << 3);
      a0 = f64x2.add(a0, f64x2.mul(c, v128.load(p)));
      a1 = f64x2.add(a1, f64x2.mul(c, v128.load(p + 16)));
      a2 = f64x2.add(a2, f64x2.mul(c, v128.load(p + 32)));
      a3 = f64x2.add(a3, f64x2.mul(c, v128.load(p + 48)));
      a4 = f64x2.add(a4, f64x2.mul(c, v128.load(p + 64)));
      a5 = f64x2.add(a5, f64x2.mul(c, v128.load(p + 80)));
      a6 = f64x2.add(a6, f64x2.mul(c, v128.load(p + 96)));
      a7 = f64x2.add(a7, f64x2.mul(c, v128.load(p + 112)));
    }
  }
  const s = f64x2.add(
    f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3)),
    f64x2.add(f64x2.add(a4, a5), f64x2.add(a6, a7)),
  );
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

export function peakF32(buf: usize, len: i32, reps: i32): f64 {
  let a0 = f32x4.splat(0),
    a1 = f32x4.splat(0),
    a2 = f32x4.splat(0),
    a3 = f32x4.splat(0);
  let a4 = f32x4.splat(0),
    a5 = f32x4.splat(0),
    a6 = f32x4.splat(0),
    a7 = f32x4.splat(0);
  const c = f32x4.splat(1.0000001);
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < len; i += 32) {
      const p = buf + (i << 2);
      a0 = f32x4.add(a0, f32x4.mul(c, v128.load(p)));
      a1 = f32x4.add(a1, f32x4.mul(c, v128.load(p + 16)));
      a2 = f32x4.add(a2, f32x4.mul(c, v128.load(p + 32)));
      a3 = f32x4.add(a3, f32x4.mul(c, v128.load(p + 48)));
      a4 = f32x4.add(a4, f32x4.mul(c, v128.load(p + 64)));
      a5 = f32x4.add(a5, f32x4.mul(c, v128.load(p + 80)));
      a6 = f32x4.add(a6, f32x4.mul(c, v128.load(p + 96)));
      a7 = f32x4.add(a7, f32x4.mul(c, v128.load(p + 112)));
    }
  }
  const s = f32x4.add(
    f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)),
    f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)),
  );
  return hsum4(s);
}
