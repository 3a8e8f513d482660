import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TgatEncoder, createWeights, resolveConfig, wasmAvailable } from '../src/tgat/index.js';
import type { AttentionKernel, ConcreteKernelName } from '../src/tgat/index.js';
import { allocateKernelBuffers, attentionSession, resolveWeights } from '../src/tgat/encoder.js';
import { TsDenseBackend } from '../src/tgat/dense-backend.js';
import { allowedColumns, buildMask, isAllowed } from '../src/tgat/mask.js';
import { getKernel } from '../src/tgat/kernels/registry.js';
import { buildTileMap, TILE } from '../src/tgat/kernels/tiles.js';
import { HALF_TO_FLOAT, toHalf } from '../src/tgat/kernels/half-float.js';
import { buildTimeTables, relativeTimes, timeBiasAt } from '../src/tgat/time-encoding.js';
import { attentionTopM } from '../src/tgat/topm.js';
import { maxAbsDiff, tgatFixture, windowKnnDag } from './helpers/tgat-fixtures.js';

const c = resolveConfig({});
const weights = createWeights(c, 42);
const rw = resolveWeights(weights);

/** Layer-0 attention inputs of the real model for a fixture, in float32 and float64 (same values). */
function layerInputs(
  n: number,
  seed: number,
  opts: { dag?: boolean; self?: boolean; windowMs?: number | null } = {},
) {
  const f = tgatFixture(n, seed);
  const mask = buildMask(n, f.t, {
    windowMs: opts.windowMs ?? null,
    selfAttention: opts.self ?? true,
    dag: opts.dag ? windowKnnDag(f.t) : null,
  });
  const session = attentionSession(c, rw, n, f.t, mask);
  const dense = new TsDenseBackend(c, rw);
  const b32 = allocateKernelBuffers(c, n, 'float32');
  const b64 = allocateKernelBuffers(c, n, 'float64');
  dense.inputProjection(f.x, n);
  dense.qkv(0, n, b32.q, b32.k, b32.v);
  b64.q.set(b32.q);
  b64.k.set(b32.k);
  b64.v.set(b32.v);
  return { f, mask, session, b32, b64 };
}

function kernelsUnderTest(): AttentionKernel[] {
  const names: ConcreteKernelName[] = ['baseline', 'flash', 'block-sparse', 'time-bias-cache'];
  const out = names.map((n) => getKernel(n, 'ts'));
  if (wasmAvailable()) out.push(...names.map((n) => getKernel(n, 'wasm')));
  return out;
}

describe('attention kernels on identical inputs (attention output, one layer)', () => {
  const cases = [
    { n: 128, dag: false },
    { n: 300, dag: false, windowMs: 10 * 60_000 },
    { n: 257, dag: true },
    { n: 200, dag: false, self: false },
    { n: 200, dag: true, self: false },
  ];
  for (const cs of cases) {
    test(`float32 kernels vs reference: n=${cs.n} dag=${cs.dag} window=${cs.windowMs ?? 'none'} self=${cs.self ?? true}`, () => {
      const { session, b32, b64 } = layerInputs(cs.n, 31 + cs.n, cs);
      const ref = getKernel('reference');
      const refOut = new Float64Array(cs.n * 44);
      ref.run(ref.prepare(session), { ...b64, gamma: rw.layers[0].gamma, out: refOut });
      for (const k of kernelsUnderTest()) {
        const out = new Float32Array(cs.n * 44).fill(NaN);
        k.run(k.prepare(session), { ...b32, gamma: rw.layers[0].gamma, out });
        const err = maxAbsDiff(refOut, out);
        assert.ok(err <= 5e-7, `${k.name}/${k.backend}: attention output max-abs ${err}`);
      }
      if (cs.self === false) {
        // Rows with an empty mask give exactly 0, never NaN.
        for (let j = 0; j < cs.n; j++) {
          if (allowedColumns(session.mask, j).length > 0) continue;
          for (let d = 0; d < 44; d++) assert.equal(refOut[j * 44 + d], 0);
        }
      }
    });
  }

  test('two states of the same wasm kernel can be used alternately (state re-upload)', (t) => {
    if (!wasmAvailable()) return t.skip('wasm unavailable');
    const a = layerInputs(96, 5);
    const b = layerInputs(160, 6, { dag: true });
    const k = getKernel('time-bias-cache', 'wasm');
    const sa = k.prepare(a.session);
    const sb = k.prepare(b.session);
    const outA1 = new Float32Array(96 * 44);
    const outB = new Float32Array(160 * 44);
    const outA2 = new Float32Array(96 * 44);
    k.run(sa, { ...a.b32, gamma: rw.layers[0].gamma, out: outA1 });
    k.run(sb, { ...b.b32, gamma: rw.layers[0].gamma, out: outB });
    k.run(sa, { ...a.b32, gamma: rw.layers[0].gamma, out: outA2 });
    assert.deepEqual(outA2, outA1);
    const ts = getKernel('time-bias-cache', 'ts');
    const outBts = new Float32Array(160 * 44);
    ts.run(ts.prepare(b.session), { ...b.b32, gamma: rw.layers[0].gamma, out: outBts });
    assert.ok(maxAbsDiff(outB, outBts) <= 5e-7);
  });
});

describe('mask', () => {
  test('window, causality, self and DAG predecessors', () => {
    const t = Float64Array.from([0, 1000, 61_000, 61_000, 200_000, 500_000]);
    const m = buildMask(6, t, { windowMs: 100_000, selfAttention: true });
    // row 4 (t = 200 s) sees events at t ≥ 100 s: only itself; row 3 sees 0..3 (ties included).
    assert.deepEqual(Array.from(m.lo), [0, 0, 0, 0, 4, 5]);
    assert.deepEqual(Array.from(allowedColumns(m, 3)), [0, 1, 2, 3]);
    assert.deepEqual(Array.from(allowedColumns(m, 4)), [4]);
    assert.equal(isAllowed(m, 4, 3), false);
    assert.equal(isAllowed(m, 3, 4), false);
    const dag = windowKnnDag(t, 2);
    const md = buildMask(6, t, { windowMs: null, selfAttention: false, dag });
    for (let j = 0; j < 6; j++) {
      const expect = [];
      for (let e = 0; e < dag.src.length; e++) if (dag.dst[e] === j) expect.push(dag.src[e]);
      assert.deepEqual(
        Array.from(allowedColumns(md, j)),
        expect.sort((a, b) => a - b),
      );
    }
    assert.equal(allowedColumns(md, 0).length, 0);
  });

  test('rejects malformed DAGs', () => {
    const t = Float64Array.from([0, 1, 2]);
    const base = {
      n: 3,
      rowPtr: new Int32Array(4),
      weight: new Float32Array(1),
      dtMinutes: new Float32Array(1),
    };
    assert.throws(
      () =>
        buildMask(3, t, {
          windowMs: null,
          selfAttention: true,
          dag: { ...base, src: Int32Array.of(2), dst: Int32Array.of(1) },
        }),
      /does not point forward/,
    );
    assert.throws(
      () =>
        buildMask(3, t, {
          windowMs: null,
          selfAttention: true,
          dag: { ...base, src: Int32Array.of(0), dst: Int32Array.of(5) },
        }),
      /out of range/,
    );
    assert.throws(
      () =>
        buildMask(3, t, {
          windowMs: null,
          selfAttention: true,
          dag: { ...base, n: 4, src: Int32Array.of(0), dst: Int32Array.of(1) },
        }),
      /dag\.n is 4/,
    );
  });

  test('tile map lists exactly the tiles holding an allowed pair', () => {
    const f = tgatFixture(200, 3);
    for (const mask of [
      buildMask(200, f.t, { windowMs: 20 * 60_000, selfAttention: true }),
      buildMask(200, f.t, { windowMs: null, selfAttention: false, dag: windowKnnDag(f.t) }),
    ]) {
      const map = buildTileMap(mask);
      for (let b = 0; b < map.rowBlocks; b++) {
        const listed = new Set(Array.from(map.tile.subarray(map.ptr[b], map.ptr[b + 1])));
        for (let cTile = 0; cTile <= b; cTile++) {
          let any = false;
          for (let j = b * TILE; j < Math.min(200, (b + 1) * TILE); j++) {
            for (let i = cTile * TILE; i < Math.min(200, (cTile + 1) * TILE); i++)
              if (isAllowed(mask, j, i)) any = true;
          }
          assert.equal(listed.has(cTile), any, `block ${b} tile ${cTile}`);
        }
      }
    }
  });
});

describe('time encoding', () => {
  test('ω starts at 1/10^linspace(0, 9, d) and φ at 0', () => {
    const omega = weights.data.subarray(0, c.timeDim);
    for (let m = 0; m < c.timeDim; m++) {
      assert.ok(Math.abs(omega[m] - 10 ** (-(9 * m) / (c.timeDim - 1))) <= 1e-7 * omega[m]);
    }
  });

  test('factorised tables reproduce Σ β cos(ωΔt + φ) within float32 rounding', () => {
    const f = tgatFixture(64, 11);
    const tRel = relativeTimes(f.t, c.timeUnitMs);
    const phi = Float64Array.from({ length: c.timeDim }, (_, m) => 0.3 * m - 1); // non-zero phases too
    const tables = buildTimeTables(tRel, rw.omega, phi, rw.beta);
    const d2 = 2 * c.timeDim;
    let worst = 0;
    for (let j = 0; j < 64; j++) {
      for (let i = 0; i <= j; i++) {
        let b = 0;
        for (let m = 0; m < d2; m++) b += tables.row[j * d2 + m] * tables.colT[m * 64 + i];
        worst = Math.max(worst, Math.abs(b - timeBiasAt(rw.omega, phi, rw.beta, tRel[j] - tRel[i])));
      }
    }
    assert.ok(worst < 3e-7, `worst ${worst}`);
  });
});

describe('binary16 storage', () => {
  test('round trip is exact for representable values and rounds to nearest even', () => {
    for (const v of [0, 1, -2, 0.5, 65504, 6.103515625e-5, 5.960464477539063e-8, -1.5]) {
      assert.equal(HALF_TO_FLOAT[toHalf(v)], v);
    }
    assert.equal(HALF_TO_FLOAT[toHalf(1 + 2 ** -11)], 1); // tie → even
    assert.equal(HALF_TO_FLOAT[toHalf(1 + 3 * 2 ** -11)], 1 + 2 ** -9);
    assert.equal(HALF_TO_FLOAT[toHalf(1e6)], Infinity);
  });
});

describe('last-layer attention read-out (top-m)', () => {
  test('matches a brute-force read-out of the reference weights, ties broken by index', () => {
    const { session, b64 } = layerInputs(40, 9, { dag: false });
    // Identical keys for columns 3, 5 and 7 → identical weights in every row that sees them.
    for (let h = 0; h < 4; h++) {
      for (let d = 0; d < 11; d++) {
        const k7 = b64.k[(h * 40 + 7) * 11 + d];
        b64.k[(h * 40 + 3) * 11 + d] = k7;
        b64.k[(h * 40 + 5) * 11 + d] = k7;
      }
    }
    // Flatten the bias to make the three columns tie exactly: no time bias.
    const gamma = new Float64Array(4);
    const top = attentionTopM(session, b64.q, b64.k, gamma, 4, true);
    for (let j = 0; j < 40; j++) {
      const cols = Array.from(allowedColumns(session.mask, j));
      const avg = new Map<number, number>();
      for (let h = 0; h < 4; h++) {
        const s = cols.map((i) => {
          let v = 0;
          for (let d = 0; d < 11; d++) v += b64.q[(h * 40 + j) * 11 + d] * b64.k[(h * 40 + i) * 11 + d];
          return v;
        });
        const mx = Math.max(...s);
        const e = s.map((v) => Math.exp(v - mx));
        const sum = e.reduce((a, b) => a + b, 0);
        cols.forEach((i, a) => avg.set(i, (avg.get(i) ?? 0) + e[a] / sum / 4));
      }
      const expect = cols
        .filter((i) => i !== j)
        .sort((a, b) => (avg.get(b) as number) - (avg.get(a) as number) || a - b)
        .slice(0, 4);
      const got = Array.from(top.index.subarray(j * 4, j * 4 + 4)).filter((i) => i >= 0);
      assert.deepEqual(got, expect, `row ${j}`);
      for (let r = 0; r < 4; r++) {
        const i = top.index[j * 4 + r];
        if (i < 0) assert.equal(top.weight[j * 4 + r], 0);
        else assert.ok(Math.abs(top.weight[j * 4 + r] - (avg.get(i) as number)) < 1e-7);
      }
    }
    // Row 39 sees 3, 5, 7 with equal weight: whenever two of them are listed, the smaller index comes first.
    assert.equal(top.index[0], -1, 'row 0 has no predecessor');
  });

  test('encodeSession returns −1-padded indices and weights that are probabilities', () => {
    const f = tgatFixture(64, 21);
    const enc = new TgatEncoder(weights);
    const r = enc.encode({ ...f, dag: windowKnnDag(f.t) }, 'auto');
    assert.equal(r.attentionTopM.index.length, 64 * c.topM);
    for (let j = 0; j < 64; j++) {
      let sum = 0;
      for (let a = 0; a < c.topM; a++) {
        const i = r.attentionTopM.index[j * c.topM + a];
        const w = r.attentionTopM.weight[j * c.topM + a];
        if (i < 0) assert.equal(w, 0);
        else {
          assert.ok(i < j, 'predecessors only');
          assert.ok(w > 0 && w <= 1);
          if (a > 0) assert.ok(w <= r.attentionTopM.weight[j * c.topM + a - 1]);
        }
        sum += w;
      }
      assert.ok(sum <= 1 + 1e-6);
    }
  });
});
