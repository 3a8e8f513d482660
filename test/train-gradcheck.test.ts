import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../src/stats/random.js';
import { resolveConfig } from '../src/tgat/config.js';
import { buildMask } from '../src/tgat/mask.js';
import { tgatFixture, windowKnnDag } from '../src/synthetic/index.js';
import { relativeTimes } from '../src/tgat/time-encoding.js';
import { TgatEncoder } from '../src/tgat/index.js';
import {
  type PreparedSession,
  adamState,
  adamStep,
  attentionEntropy,
  averagePrecision,
  backwardTrain,
  createLinkModel,
  forwardTrain,
  modelWeights,
  pairList,
  rocAuc,
  roundedModel,
  sampleTask,
  sessionLoss,
} from '../src/tgat/train/index.js';
import { decodeWeights, encodeWeights } from '../src/store/index.js';

const small = { inDim: 6, hidden: 8, heads: 2, layers: 2, ffnDim: 12, timeDim: 4, timeUnitMs: 60_000 };
const task = { targetFraction: 0.5, negatives: 2, dtMinMs: 60_000, dtMaxMs: 600_000 };

function fixtureSession(n: number, seed: number, inDim: number): PreparedSession {
  const f = tgatFixture(n, seed, inDim);
  return {
    id: `s${seed}`,
    date: '2025-07-29',
    n,
    x: f.x,
    t: f.t,
    dag: windowKnnDag(f.t, 2, 60_000, 600_000),
  };
}

describe('train: gradients', () => {
  test('analytic gradient of the link-prediction loss matches central finite differences (rel. err < 1e-4)', () => {
    const s = fixtureSession(14, 3, small.inDim);
    const model = createLinkModel(small, 7);
    // move γ, φ, β and the LayerNorm parameters off their symmetric init so every term is exercised
    const rng = new Rng(99);
    for (let i = 0; i < model.params.length; i++) model.params[i] += 0.05 * rng.normal();
    const c = model.config;
    const t = sampleTask(s, c, new Rng(5), task);
    assert.ok(t.label.length >= 6, `task has ${t.label.length} pairs`);
    const grad = new Float64Array(model.params.length);
    sessionLoss(model, s, t, 1 / t.label.length, grad);
    const loss = (): number => sessionLoss(model, s, t, 1 / t.label.length, null).loss;
    const h = 1e-6;
    let worst = 0;
    let worstAt = -1;
    let checked = 0;
    for (let i = 0; i < model.params.length; i++) {
      const keep = model.params[i];
      model.params[i] = keep + h;
      const up = loss();
      model.params[i] = keep - h;
      const down = loss();
      model.params[i] = keep;
      const fd = (up - down) / (2 * h);
      // relative error; below |g| = 1e-5 the central difference's rounding (~1e-10) dominates, so such
      // entries are held to an absolute error of 1e-9 instead
      const denom = Math.max(Math.abs(fd), Math.abs(grad[i]), 1e-5);
      const rel = Math.abs(fd - grad[i]) / denom;
      checked++;
      if (rel > worst) {
        worst = rel;
        worstAt = i;
      }
    }
    assert.equal(checked, model.params.length);
    assert.ok(worst < 1e-4, `max relative error ${worst} at parameter ${worstAt}`);
    // the time-encoding and γ gradients are non-trivial (the check above would pass vacuously at 0)
    for (const off of [model.enc.omega, model.enc.phi, model.enc.beta, model.enc.layers[1].gamma]) {
      assert.ok(Math.abs(grad[off]) > 1e-8, `gradient at ${off} is ${grad[off]}`);
    }
  });
});

describe('train: encoder backward under other masks', () => {
  for (const timeBias of [true, false]) {
    test(`causal 5-min window, no self-attention (empty rows), timeBias=${timeBias}: rel. err < 1e-4`, () => {
      const cfg = { ...small, windowMs: 300_000, selfAttention: false, timeBias };
      const model = createLinkModel(cfg, 11);
      const rng = new Rng(4);
      for (let i = 0; i < model.enc.size; i++) model.params[i] += 0.05 * rng.normal();
      const c = model.config;
      const f = tgatFixture(12, 8, c.inDim);
      const mask = buildMask(12, f.t, { windowMs: c.windowMs, selfAttention: false });
      const pairs = pairList(mask, relativeTimes(f.t, c.timeUnitMs));
      assert.equal(pairs.ptr[1] - pairs.ptr[0], 0, 'row 0 is empty');
      // loss = Σ r·z (a fixed random projection of the embeddings): tests the encoder backward on its own
      const r = Float64Array.from({ length: 12 * c.hidden }, () => rng.normal() / Math.sqrt(12 * c.hidden));
      const input = { n: 12, x: f.x, pairs };
      const loss = (): number => {
        const z = forwardTrain(c, model.enc, model.params, input).out;
        let s = 0;
        for (let i = 0; i < z.length; i++) s += r[i] * z[i];
        return s;
      };
      const grad = new Float64Array(model.params.length);
      backwardTrain(c, model.enc, model.params, forwardTrain(c, model.enc, model.params, input), r, grad);
      let worst = 0;
      for (let i = 0; i < model.enc.size; i++) {
        const keep = model.params[i];
        model.params[i] = keep + 1e-6;
        const up = loss();
        model.params[i] = keep - 1e-6;
        const down = loss();
        model.params[i] = keep;
        const fd = (up - down) / 2e-6;
        worst = Math.max(worst, Math.abs(fd - grad[i]) / Math.max(Math.abs(fd), Math.abs(grad[i]), 1e-5));
      }
      assert.ok(worst < 1e-4, `max relative error ${worst}`);
      const timeGrad = Math.abs(grad[model.enc.omega]) + Math.abs(grad[model.enc.layers[0].gamma]);
      if (timeBias) assert.ok(timeGrad > 0, 'time parameters get a gradient');
      else assert.equal(timeGrad, 0, 'time parameters get no gradient when the bias is off');
    });
  }
});

describe('train: forward parity with the encoder', () => {
  test('training forward equals the reference kernel to 1e-12, and the float32 baseline/auto encoders to 1e-4, after save/load', () => {
    const c = resolveConfig({ timeUnitMs: 1000 });
    const f = tgatFixture(40, 11, c.inDim);
    const dag = windowKnnDag(f.t);
    const s: PreparedSession = { id: 'p', date: '2025-07-29', n: 40, x: f.x, t: f.t, dag };
    let model = createLinkModel(c, 3);
    // a few Adam steps so the weights are not the seeded ones
    const st = adamState(model.params.length);
    const tk = sampleTask(s, c, new Rng(1));
    for (let k = 0; k < 3; k++) {
      const g = new Float64Array(model.params.length);
      sessionLoss(model, s, tk, 1 / tk.label.length, g);
      adamStep(model.params, g, st, { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, clipNorm: null });
    }
    model = roundedModel(model);
    const w = decodeWeights(encodeWeights(modelWeights(model)));
    const mask = buildMask(40, f.t, { windowMs: c.windowMs, selfAttention: c.selfAttention, dag });
    const ours = forwardTrain(c, model.enc, model.params, {
      n: 40,
      x: f.x,
      pairs: pairList(mask, relativeTimes(f.t, c.timeUnitMs)),
    }).out;
    const enc = new TgatEncoder(w);
    const ref = enc.encode({ x: f.x, n: 40, inDim: c.inDim, t: f.t, dag }, 'reference', {
      out: new Float64Array(40 * c.hidden),
      topM: false,
    }).output;
    const base = enc.encode({ x: f.x, n: 40, inDim: c.inDim, t: f.t, dag }, 'baseline', {
      topM: false,
    }).output;
    const f32 = enc.encode({ x: f.x, n: 40, inDim: c.inDim, t: f.t, dag }, 'auto', { topM: false }).output;
    let dRef = 0;
    let d32 = 0;
    let dBase = 0;
    for (let i = 0; i < ours.length; i++) {
      dBase = Math.max(dBase, Math.abs(ours[i] - base[i]));
      dRef = Math.max(dRef, Math.abs(ours[i] - ref[i]));
      d32 = Math.max(d32, Math.abs(ours[i] - f32[i]));
    }
    assert.ok(dRef < 1e-12, `max |train − reference| = ${dRef}`);
    assert.ok(dBase < 1e-4, `max |train − baseline kernel| = ${dBase}`);
    assert.ok(d32 < 1e-4, `max |train − float32 encoder| = ${d32}`);
  });
});

describe('train: metrics', () => {
  test('average precision and AUC on a hand-computed example, with ties', () => {
    // scores desc: 0.9(1) 0.8(0) 0.7(1) 0.7(0) 0.1(1)
    const scores = [0.9, 0.8, 0.7, 0.7, 0.1];
    const labels = [1, 0, 1, 0, 1];
    // AP = 1/3·1 + 1/3·(2/4) + 1/3·(3/5)
    assert.ok(Math.abs(averagePrecision(scores, labels) - (1 + 0.5 + 0.6) / 3) < 1e-15);
    // pairs (pos, neg): 0.9>0.8 ✓, 0.9>0.7 ✓, 0.7<0.8 ✗, 0.7=0.7 ½, 0.1 ✗ ✗ → 2.5/6
    assert.ok(Math.abs(rocAuc(scores, labels) - 2.5 / 6) < 1e-15);
    assert.throws(() => rocAuc([1, 2], [1, 1]), /both classes/);
  });
});

describe('train: attention entropy', () => {
  test('is exactly 1 for uniform attention (Wq = 0, no time bias) and below 1 otherwise', () => {
    const s = fixtureSession(20, 5, small.inDim);
    const uniform = createLinkModel({ ...small, timeBias: false }, 2);
    for (const l of uniform.enc.layers) uniform.params.fill(0, l.Wq, l.Wq + small.hidden * small.hidden);
    const tk = sampleTask(s, uniform.config, new Rng(1), task);
    assert.ok(Math.abs(attentionEntropy(uniform, [s], [tk]) - 1) < 1e-12);
    const sharp = createLinkModel({ ...small, timeBias: false }, 2);
    for (const l of sharp.enc.layers)
      for (let i = 0; i < small.hidden * small.hidden; i++) sharp.params[l.Wq + i] *= 30;
    assert.ok(attentionEntropy(sharp, [s], [tk]) < 0.95);
  });
});
