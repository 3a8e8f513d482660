/** Parallel and distributed execution of per-session discovery and motif null batches. */
export * from './tasks.js';
export * from './null-batch.js';
export * from './discover.js';
export * from './mine.js';
export * from './pool.js';
export * from './codec.js';
export * from './queue.js';
export * from './redis-server.js';
export * from './worker-process.js';
