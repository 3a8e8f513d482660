/** Training of the TGAT encoder by self-supervised temporal link prediction (float64 forward + backward, Adam). */
export { type AdamOptions, type AdamState, DEFAULT_ADAM, adamState, adamStep } from './adam.js';
export {
  type LinkTask,
  type PreparedSession,
  type TaskOptions,
  DEFAULT_TASK,
  prepareSessions,
  sampleTask,
} from './data.js';
export { averagePrecision, rocAuc } from './metrics.js';
export {
  type EncoderLayout,
  type ForwardCache,
  type PairList,
  type TrainInput,
  backwardTrain,
  encoderLayout,
  forwardTrain,
  pairList,
} from './model.js';
export {
  type ScorerLayout,
  bceWithLogit,
  initScorer,
  scoreBackward,
  scoreLogit,
  scorerLayout,
} from './scorer.js';
export {
  type EpochRecord,
  type EvalResult,
  type LinkModel,
  type TrainOptions,
  type TrainResult,
  DEFAULT_TRAIN,
  attentionEntropy,
  createLinkModel,
  evaluateCosine,
  evaluateModel,
  evaluateRecency,
  modelWeights,
  roundedModel,
  sessionLoss,
  trainLinkPrediction,
  validationTasks,
} from './trainer.js';
