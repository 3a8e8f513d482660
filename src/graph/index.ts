/** Graph stage: the temporal graph (four intents) and the session DAG (four interchangeable builders). */
export * from './types.js';
export * from './causal.js';
export * from './dag.js';
export * from './temporal.js';
