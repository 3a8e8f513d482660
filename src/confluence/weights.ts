/**
 * Confluence configuration: component weights, window length and which higher-timeframe references count.
 *
 * Default weights are equal (1 each). Reason: nothing in the data calibrates one component against another
 * (the original's .30/.25/.20/.15/.10 had no derivation), so no component is preferred; a user with a reason
 * sets their own. Only ratios matter: the score divides by the sum of the weights of the available components.
 */

export const CONFLUENCE_COMPONENTS = ['motif', 'rarity', 'structure', 'htf'] as const;
export type ConfluenceComponent = (typeof CONFLUENCE_COMPONENTS)[number];

export type ConfluenceWeights = Record<ConfluenceComponent, number>;

export const DEFAULT_CONFLUENCE_WEIGHTS: Readonly<ConfluenceWeights> = Object.freeze({
  motif: 1,
  rarity: 1,
  structure: 1,
  htf: 1,
});

export type HtfReference = 'session' | 'previous';

export interface ConfluenceConfig {
  weights: ConfluenceWeights;
  /**
   * Window length in minutes (default 15: three M5 bars, the sample's timeframe, and a quarter hour of the
   * clock; windows are aligned to multiples of this length since the epoch, i.e. to ET quarter hours).
   */
  windowMinutes: number;
  /**
   * What a window's direction is compared with (default both), each known at the window's end: 'session' = the
   * session so far (open → last price before the window end; never the session's close), 'previous' = the
   * previous session's open→close direction (a session that ended by this one's start).
   */
  htfReferences: HtfReference[];
}

export const DEFAULT_CONFLUENCE_CONFIG: Readonly<ConfluenceConfig> = Object.freeze({
  weights: DEFAULT_CONFLUENCE_WEIGHTS,
  windowMinutes: 15,
  htfReferences: ['session', 'previous'] as HtfReference[],
});

/** Merges a partial config over the defaults and validates every field (errors name the field and value). */
export function resolveConfluenceConfig(
  partial: Partial<Omit<ConfluenceConfig, 'weights'>> & { weights?: Partial<ConfluenceWeights> } = {},
): ConfluenceConfig {
  const weights = { ...DEFAULT_CONFLUENCE_WEIGHTS, ...(partial.weights ?? {}) };
  for (const key of Object.keys(weights))
    if (!(CONFLUENCE_COMPONENTS as readonly string[]).includes(key))
      throw new Error(
        `confluence: unknown weight "${key}" (components: ${CONFLUENCE_COMPONENTS.join(', ')})`,
      );
  let sum = 0;
  for (const c of CONFLUENCE_COMPONENTS) {
    const w = weights[c];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0)
      throw new Error(`confluence: weights.${c} must be a finite number ≥ 0, got ${String(w)}`);
    sum += w;
  }
  if (!(sum > 0)) throw new Error('confluence: at least one weight must be > 0');
  const windowMinutes = partial.windowMinutes ?? DEFAULT_CONFLUENCE_CONFIG.windowMinutes;
  if (typeof windowMinutes !== 'number' || !Number.isFinite(windowMinutes) || windowMinutes <= 0)
    throw new Error(`confluence: windowMinutes must be a number > 0, got ${String(windowMinutes)}`);
  const htfReferences = partial.htfReferences ?? [...DEFAULT_CONFLUENCE_CONFIG.htfReferences];
  for (const r of htfReferences)
    if (r !== 'session' && r !== 'previous')
      throw new Error(`confluence: htfReferences entries must be 'session' or 'previous', got ${String(r)}`);
  return { weights, windowMinutes, htfReferences: [...new Set(htfReferences)] };
}

/** Parses `motif=1,rarity=0.5,...` (the CLI's --weights) into a partial weight record. */
export function parseWeights(text: string): Partial<ConfluenceWeights> {
  const out: Partial<ConfluenceWeights> = {};
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-z]+)\s*=\s*(.+)$/.exec(part);
    if (!m) throw new Error(`--weights: "${part}" is not name=value`);
    const [, name, value] = m;
    if (!(CONFLUENCE_COMPONENTS as readonly string[]).includes(name))
      throw new Error(
        `--weights: unknown component "${name}" (components: ${CONFLUENCE_COMPONENTS.join(', ')})`,
      );
    const v = Number(value);
    if (!Number.isFinite(v) || v < 0)
      throw new Error(`--weights: ${name} must be a finite number ≥ 0, got "${value}"`);
    out[name as ConfluenceComponent] = v;
  }
  return out;
}
