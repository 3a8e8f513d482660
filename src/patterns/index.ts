/** Patterns (clusters of event embeddings across sessions) and nearest-moment search. */
export {
  EMBEDDING_DIM,
  attachSessionPrices,
  dateFromSessionId,
  embeddingTableColumns,
  embeddingTableFromSessions,
  loadEmbeddingsTable,
  rowsBySession,
  type EmbeddingTable,
  type EventRef,
  eventRefOf,
} from './embeddings.js';
export {
  kmeans,
  kmeansPlusPlusSeeds,
  nearestCentroid,
  type KMeansOptions,
  type KMeansResult,
} from './kmeans.js';
export {
  pairwiseDistances,
  silhouette,
  silhouetteFromDistances,
  type SilhouetteResult,
} from './silhouette.js';
export { chooseK, subsampleRows, type ChooseKOptions, type ChooseKResult, type KScore } from './select-k.js';
export {
  assignToPatterns,
  buildPatterns,
  l2NormalizeRows,
  patternAssignmentColumns,
  patternColumns,
  patternsBySession,
  type Normalization,
  type Pattern,
  type PatternExample,
  type PatternOptions,
  type PatternSet,
} from './patterns.js';
export {
  cosineDistancesTo,
  findMoment,
  resolveQueryTime,
  rowNorms,
  similarMoments,
  type MomentRef,
  type SimilarMoment,
  type SimilarOptions,
  type SimilarResult,
} from './similar.js';
export { wallClock, type WallClock } from './clock.js';
export * from './clock.js';
export * from './embeddings.js';
export * from './patterns.js';
export * from './similar.js';
export * from './position-leakage.js';
