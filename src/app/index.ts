/**
 * The application layer: composes the pure stages, the I/O wing and the executors into the things a user
 * runs — the whole pipeline (serial or on workers), motif miners for validation, stability studies, kernel
 * tuning, the dashboard's data and its screenshot. The CLI calls this; stages never import it. See README.md.
 */
export * from './run.js';
export * from './run-scaled.js';
export * from './miner.js';
export * from './stability.js';
export * from './dashboard-data.js';
export * from './measure.js';
export * from './tune.js';
export * from './screenshot.js';
export * from './paths.js';
export * from './run-config.js';
export * from './run-preflight.js';
export * from './run-job.js';
export * from './score.js';
export * from './evaluate-bars.js';
export * from './encoder.js';
export * from './ablate.js';
export * from './run-cache.js';
