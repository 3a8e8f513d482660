/** Motif mining (SPEC stage 6): enumeration, canonical IDs, null models, statistics, stability, table. */
export {
  canonicalForm,
  formKey,
  formFromKey,
  formId,
  parseFormId,
  formEdges,
  pairIndex,
  pairCount,
  rawPairCode,
  rawTopologyCodes,
  PERMUTATIONS,
  MIN_MOTIF_SIZE,
  MAX_MOTIF_SIZE,
  MAX_EDGE_LABELS,
  type MotifForm,
} from './canonical.js';
export { EnumGraph } from './graph.js';
export { SubgraphEnumerator, sizeMask, type OccurrenceSink } from './esu.js';
export { MotifCatalog, kindsCodeOf } from './catalog.js';
export { CountSink, StoreSink, countStored, type StoredOccurrences } from './count.js';
export { countMotifs, type ObservedMotifs } from './observe.js';
export {
  shuffleKinds,
  jitterSession,
  jitterBuffers,
  swapEdgeTargets,
  swapEdgeTargetsSameKind,
  edgesByTargetKind,
  groupStrata,
  groupsPermutable,
  sessionPhase,
  shuffleGroups,
  drawGroupPermutation,
  applyGroupPermutation,
  type JitterBuffers,
  type GroupStrata,
  type StrataKey,
  type EdgesByTargetKind,
} from './nulls.js';
export { applyControl, MOTIF_CONTROLS, type MotifControl, type ControlOptions } from './controls.js';
export { mineMotifs, mineMotifsDetailed, resolveMineOptions, type ResolvedMineOptions } from './mine.js';
export { attentionDagFromTopM, type AttentionDagOptions } from './attention.js';
export {
  motifStability,
  compareLiftRuns,
  type GraphVariant,
  type LiftRun,
  type StabilityReport,
  type StabilityRow,
  type StabilityOptions,
} from './stability.js';
export { motifTable, formatTopMotifs, describeMotif, type MotifTableColumns } from './table.js';
export { validateMotifDag, validateMotifSessions } from './validate.js';
export { bruteForceSubgraphs, bruteIsomorphic, type SmallDigraph } from './bruteforce.js';
export {
  NULL_MODELS,
  type MotifSession,
  type MineOptions,
  type MotifResult,
  type MotifMiningRun,
  type NullModelName,
  type NullModelOption,
  type MotifStatistic,
  type MotifFamily,
  type SkippedSession,
} from './types.js';
export { findMotifOccurrences, motifOccurrences, type MotifOccurrence } from './hits.js';
export * from './attention.js';
export * from './canonical.js';
export * from './catalog.js';
export * from './count.js';
export * from './families.js';
export * from './hits.js';
export * from './mine.js';
export * from './null-sums.js';
export * from './session-null.js';
export * from './stability.js';
export * from './table.js';
export * from './types.js';
