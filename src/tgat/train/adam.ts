/** Adam (Kingma & Ba 2015) over one flat float64 parameter vector, with optional global-norm clipping. */

export interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Rescale the gradient to this global L2 norm when it is larger (null = off). */
  clipNorm: number | null;
}

export const DEFAULT_ADAM: Readonly<AdamOptions> = Object.freeze({
  lr: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  clipNorm: 5,
});

export interface AdamState {
  m: Float64Array;
  v: Float64Array;
  step: number;
}

export function adamState(size: number): AdamState {
  return { m: new Float64Array(size), v: new Float64Array(size), step: 0 };
}

/** One Adam step: updates `params` in place from `grad` (which is left unchanged). Returns the gradient norm. */
export function adamStep(
  params: Float64Array,
  grad: Float64Array,
  st: AdamState,
  o: AdamOptions = DEFAULT_ADAM,
): number {
  if (grad.length !== params.length || st.m.length !== params.length) {
    throw new Error(`adamStep: params (${params.length}), grad (${grad.length}) and state sizes differ`);
  }
  let sq = 0;
  for (let i = 0; i < grad.length; i++) sq += grad[i] * grad[i];
  const norm = Math.sqrt(sq);
  if (!Number.isFinite(norm)) throw new Error(`adamStep: gradient norm is ${norm}`);
  const scale = o.clipNorm !== null && norm > o.clipNorm ? o.clipNorm / norm : 1;
  st.step++;
  const bc1 = 1 - Math.pow(o.beta1, st.step);
  const bc2 = 1 - Math.pow(o.beta2, st.step);
  for (let i = 0; i < params.length; i++) {
    const g = grad[i] * scale;
    st.m[i] = o.beta1 * st.m[i] + (1 - o.beta1) * g;
    st.v[i] = o.beta2 * st.v[i] + (1 - o.beta2) * g * g;
    params[i] -= (o.lr * (st.m[i] / bc1)) / (Math.sqrt(st.v[i] / bc2) + o.eps);
  }
  return norm;
}
