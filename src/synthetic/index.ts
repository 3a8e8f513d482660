/**
 * Seeded synthetic data, one file per kind: sessions (calibrated on real sessions, or loosely sample-shaped),
 * OHLCV bars, Parquet-shaped shards and TGAT fixtures. Pure: every generator takes an explicit seed or an Rng
 * and is deterministic given it. See README.md.
 */
export {
  calibrate,
  generateSession,
  empiricalQuantiles,
  randomSession,
  type Calibration,
  type SessionTemplate,
  type RandomSessionOptions,
} from './sessions.js';
export { sampleQuantiles } from './draw.js';
export { generateBars, DEFAULT_GENERATE_OPTIONS, type GenerateBarsOptions } from './bars.js';
export { syntheticShard, type SyntheticShardOptions } from './shards.js';
export { tgatFixture, windowKnnDag, T0, type TgatFixture } from './tgat.js';
export {
  generatePlantedBars,
  DEFAULT_PLANTED_MARKER,
  PLANTED_HORIZONS_MINUTES,
  type PlantedBars,
  type PlantedEffect,
  type PlantedExpectation,
  type PlantedMarker,
  type PlantedOptions,
  type PlantedTruth,
} from './planted.js';
