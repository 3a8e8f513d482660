/**
 * TGAT parameters: one Float32Array holding every tensor, plus a table of named views. A flat buffer keeps
 * save/load trivial and is what an optimiser (a later issue) will want for gradients of the same layout.
 *
 * Initialisation (seeded, default DEFAULT_SEED): each tensor k draws from its own stream `new Rng(deriveSeed(seed, k))`
 * (xoroshiro128+, src/stats/random.ts), so a tensor's values do not depend on the shapes of the others.
 * - weight matrices: Glorot-uniform U(±√(6/(fan_in + fan_out)));
 * - biases and LayerNorm shifts 0, LayerNorm gains 1;
 * - time encoding: ω_m = 1/10^(9·m/(d−1)) (TGAT's linspace(0, 9, d) init), φ_m = 0, β_m ~ U(±1/√d);
 * - per-head time-bias scales γ[l,h] = 1.
 */
import { Rng, deriveSeed } from '../stats/index.js';
import { type TgatConfig, ARCH_FIELDS, resolveConfig } from './config.js';
import { DEFAULT_SEED } from '../core/index.js';

export interface TensorSpec {
  name: string;
  shape: number[];
  /** Offset in floats into `TgatWeights.data`. */
  offset: number;
}

export interface TgatWeights {
  config: TgatConfig;
  data: Float32Array;
  tensors: TensorSpec[];
  /** Seed that produced the initial values, or null for weights loaded from elsewhere. */
  seed: number | null;
}

type InitRule = 'glorot' | 'zero' | 'one' | 'omega' | 'beta';

interface TensorPlan {
  name: string;
  shape: number[];
  init: InitRule;
}

/** The tensor list (names, shapes, init rules) for a config; the order is the storage order. */
export function tensorPlan(c: TgatConfig): TensorPlan[] {
  const d = c.timeDim;
  const plan: TensorPlan[] = [
    { name: 'time.omega', shape: [d], init: 'omega' },
    { name: 'time.phi', shape: [d], init: 'zero' },
    { name: 'time.beta', shape: [d], init: 'beta' },
    { name: 'input.W', shape: [c.inDim, c.hidden], init: 'glorot' },
    { name: 'input.b', shape: [c.hidden], init: 'zero' },
  ];
  for (let l = 0; l < c.layers; l++) {
    const p = `layer${l}.`;
    plan.push(
      { name: p + 'Wq', shape: [c.hidden, c.hidden], init: 'glorot' },
      { name: p + 'bq', shape: [c.hidden], init: 'zero' },
      { name: p + 'Wk', shape: [c.hidden, c.hidden], init: 'glorot' },
      { name: p + 'bk', shape: [c.hidden], init: 'zero' },
      { name: p + 'Wv', shape: [c.hidden, c.hidden], init: 'glorot' },
      { name: p + 'bv', shape: [c.hidden], init: 'zero' },
      { name: p + 'Wo', shape: [c.hidden, c.hidden], init: 'glorot' },
      { name: p + 'bo', shape: [c.hidden], init: 'zero' },
      { name: p + 'gamma', shape: [c.heads], init: 'one' },
      { name: p + 'ln1.g', shape: [c.hidden], init: 'one' },
      { name: p + 'ln1.b', shape: [c.hidden], init: 'zero' },
      { name: p + 'ffn.W1', shape: [c.hidden, c.ffnDim], init: 'glorot' },
      { name: p + 'ffn.b1', shape: [c.ffnDim], init: 'zero' },
      { name: p + 'ffn.W2', shape: [c.ffnDim, c.hidden], init: 'glorot' },
      { name: p + 'ffn.b2', shape: [c.hidden], init: 'zero' },
      { name: p + 'ln2.g', shape: [c.hidden], init: 'one' },
      { name: p + 'ln2.b', shape: [c.hidden], init: 'zero' },
    );
  }
  return plan;
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Lay out the tensors of `plan` in one zeroed buffer. */
export function allocateWeights(config: TgatConfig, seed: number | null): TgatWeights {
  const tensors: TensorSpec[] = [];
  let offset = 0;
  for (const t of tensorPlan(config)) {
    tensors.push({ name: t.name, shape: t.shape.slice(), offset });
    offset += size(t.shape);
  }
  return { config, data: new Float32Array(offset), tensors, seed };
}

/**
 * Seeded initial weights for `config` (merged over the defaults). Same config + seed ⇒ bit-identical buffer.
 */
export function createWeights(config: Partial<TgatConfig> = {}, seed = DEFAULT_SEED): TgatWeights {
  if (!Number.isInteger(seed)) throw new Error(`createWeights: seed must be an integer, got ${seed}`);
  const c = resolveConfig(config);
  const w = allocateWeights(c, seed);
  const plan = tensorPlan(c);
  plan.forEach((t, k) => {
    const view = tensor(w, t.name);
    const rng = new Rng(deriveSeed(seed, k));
    switch (t.init) {
      case 'glorot': {
        const [fanIn, fanOut] = t.shape;
        const a = Math.sqrt(6 / (fanIn + fanOut));
        for (let i = 0; i < view.length; i++) view[i] = rng.uniform(-a, a);
        break;
      }
      case 'zero':
        break;
      case 'one':
        view.fill(1);
        break;
      case 'omega': {
        const d = view.length;
        for (let m = 0; m < d; m++) view[m] = 1 / Math.pow(10, d === 1 ? 0 : (9 * m) / (d - 1));
        break;
      }
      case 'beta': {
        const a = 1 / Math.sqrt(view.length);
        for (let i = 0; i < view.length; i++) view[i] = rng.uniform(-a, a);
        break;
      }
    }
  });
  return w;
}

/** A view of one named tensor; throws when the name is unknown. */
export function tensor(w: TgatWeights, name: string): Float32Array {
  const spec = w.tensors.find((t) => t.name === name);
  if (!spec) throw new Error(`TGAT weights have no tensor '${name}'`);
  return w.data.subarray(spec.offset, spec.offset + size(spec.shape));
}

/**
 * Check that `w` has exactly the tensors and shapes `config` needs and only finite values; throws an Error
 * naming the first mismatch (used by loadWeights and by encodeSession).
 */
export function validateWeights(w: TgatWeights, config: TgatConfig): void {
  for (const f of ARCH_FIELDS) {
    if (w.config[f] !== config[f]) {
      throw new Error(`TGAT weights were made for ${f}=${w.config[f]}, but the config has ${f}=${config[f]}`);
    }
  }
  const plan = tensorPlan(config);
  if (w.tensors.length !== plan.length) {
    throw new Error(`TGAT weights have ${w.tensors.length} tensors, the config needs ${plan.length}`);
  }
  let expectOffset = 0;
  for (let k = 0; k < plan.length; k++) {
    const got = w.tensors[k];
    const want = plan[k];
    if (got.name !== want.name)
      throw new Error(`TGAT weights: tensor ${k} is '${got.name}', expected '${want.name}'`);
    if (got.shape.length !== want.shape.length || got.shape.some((v, i) => v !== want.shape[i])) {
      throw new Error(
        `TGAT weights: tensor '${got.name}' has shape [${got.shape}], the config needs [${want.shape}]`,
      );
    }
    if (got.offset !== expectOffset)
      throw new Error(`TGAT weights: tensor '${got.name}' has a bad offset ${got.offset}`);
    expectOffset += size(want.shape);
  }
  if (w.data.length !== expectOffset) {
    throw new Error(`TGAT weights: buffer holds ${w.data.length} floats, the tensors need ${expectOffset}`);
  }
  for (let i = 0; i < w.data.length; i++) {
    if (!Number.isFinite(w.data[i])) {
      const spec = w.tensors.find((t) => i >= t.offset && i < t.offset + size(t.shape));
      throw new Error(
        `TGAT weights: non-finite value ${w.data[i]} in tensor '${spec?.name}' at flat index ${i}`,
      );
    }
  }
}
