/**
 * The application layer: composes the pure stages and the I/O wing into the things a user runs — the whole
 * pipeline, discovery, motif miners for validation, stability studies, kernel tuning, the dashboard's data and
 * its screenshot. The CLI calls this; stages never import it. See README.md.
 */
export * from './run.js';
export * from './discover.js';
export * from './miner.js';
export * from './motif-input.js';
export * from './stability.js';
export * from './dashboard-data.js';
export * from './measure.js';
export * from './tune.js';
export * from './screenshot.js';
export * from './wasm-env.js';
export * from './paths.js';
