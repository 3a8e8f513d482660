/**
 * Discovery: one session's features → DAG → TGAT embeddings and attention, and the adapters from a discovered
 * session to motif mining (its DAG, or the attention DAG). Pure; composes the features, graph, tgat and motifs
 * stages. See README.md.
 */
export * from './discover.js';
export * from './motif-input.js';
