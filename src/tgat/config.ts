/**
 * Architecture and masking settings of the TGAT encoder, with the defaults of SPEC stage 5
 * (2 layers, hidden 44, 4 heads × 11, input 45) and a validator that names the offending field.
 */

export interface TgatConfig {
  /** Node feature width (default 45). */
  inDim: number;
  /** Hidden width of every layer (default 44); must be divisible by `heads`. */
  hidden: number;
  /** Attention heads per layer (default 4, so 11 dims per head). */
  heads: number;
  /** Encoder layers (default 2). */
  layers: number;
  /** Inner width of the feed-forward block (default 88 = 2 × hidden). */
  ffnDim: number;
  /** Dimensions d of the functional time encoding cos(ω·Δt + φ) (default 8; ω starts at 1/10^linspace(0, 9, d)). */
  timeDim: number;
  /** Unit of Δt fed to the time encoding, in ms (default 1000: Δt in seconds). */
  timeUnitMs: number;
  /** Add the learned time bias γ[l,h]·Σ_m β_m cos(ω_m·Δt + φ_m) to every attention score (default true). */
  timeBias: boolean;
  /** Optional time window: node j attends to i only when t_j − t_i ≤ windowMs. null = no window. */
  windowMs: number | null;
  /** Node j may attend to itself (default true). With false, a row can be empty (first node, DAG roots). */
  selfAttention: boolean;
  /** Predecessors kept per node in the last-layer attention output (default 4). */
  topM: number;
  /** LayerNorm epsilon (default 1e-5). */
  layerNormEps: number;
}

export const DEFAULT_TGAT_CONFIG: Readonly<TgatConfig> = Object.freeze({
  inDim: 45,
  hidden: 44,
  heads: 4,
  layers: 2,
  ffnDim: 88,
  timeDim: 8,
  timeUnitMs: 1000,
  timeBias: true,
  windowMs: null,
  selfAttention: true,
  topM: 4,
  layerNormEps: 1e-5,
});

/** The fields that fix the shapes of the weights; a weights file must agree with the config on these. */
export const ARCH_FIELDS = ['inDim', 'hidden', 'heads', 'layers', 'ffnDim', 'timeDim'] as const;

/** Merge `partial` over the defaults and validate; throws an Error naming the field and value on bad input. */
export function resolveConfig(partial: Partial<TgatConfig> = {}): TgatConfig {
  for (const key of Object.keys(partial)) {
    if (!(key in DEFAULT_TGAT_CONFIG)) throw new Error(`TgatConfig: unknown field '${key}'`);
  }
  const c: TgatConfig = { ...DEFAULT_TGAT_CONFIG, ...partial };
  const positiveInt = (name: keyof TgatConfig, max = 1 << 16): void => {
    const v = c[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) {
      throw new Error(`TgatConfig.${name} must be an integer in [1, ${max}], got ${String(v)}`);
    }
  };
  positiveInt('inDim');
  positiveInt('hidden');
  positiveInt('heads');
  positiveInt('layers', 64);
  positiveInt('ffnDim');
  positiveInt('timeDim', 256);
  if (c.hidden % c.heads !== 0) {
    throw new Error(`TgatConfig.hidden (${c.hidden}) must be divisible by TgatConfig.heads (${c.heads})`);
  }
  if (!Number.isInteger(c.topM) || c.topM < 0 || c.topM > 1024) {
    throw new Error(`TgatConfig.topM must be an integer in [0, 1024], got ${String(c.topM)}`);
  }
  if (!(typeof c.timeUnitMs === 'number' && Number.isFinite(c.timeUnitMs) && c.timeUnitMs > 0)) {
    throw new Error(`TgatConfig.timeUnitMs must be a finite number > 0, got ${String(c.timeUnitMs)}`);
  }
  if (
    c.windowMs !== null &&
    !(typeof c.windowMs === 'number' && c.windowMs >= 0 && !Number.isNaN(c.windowMs))
  ) {
    throw new Error(`TgatConfig.windowMs must be null or a number ≥ 0, got ${String(c.windowMs)}`);
  }
  if (typeof c.timeBias !== 'boolean')
    throw new Error(`TgatConfig.timeBias must be a boolean, got ${String(c.timeBias)}`);
  if (typeof c.selfAttention !== 'boolean') {
    throw new Error(`TgatConfig.selfAttention must be a boolean, got ${String(c.selfAttention)}`);
  }
  if (!(typeof c.layerNormEps === 'number' && c.layerNormEps > 0 && c.layerNormEps < 1)) {
    throw new Error(`TgatConfig.layerNormEps must be in (0, 1), got ${String(c.layerNormEps)}`);
  }
  return c;
}

/** Width of one attention head. */
export function headDim(c: TgatConfig): number {
  return c.hidden / c.heads;
}
