/**
 * Link-prediction training on the bundled sample with a date split: per-epoch time (min / median over the
 * epochs after a warm-up epoch) and the validation AP / AUC of the trained model vs the seeded untrained model
 * vs the recency baseline. Single thread.
 *
 *   npx tsx bench/train.ts [--epochs N] [--seed N] [--val-split YYYY-MM-DD] [--json]
 */
import { readSessions } from '../src/store/sessions.js';
import { temporalSplit } from '../src/validation/split.js';
import {
  attentionEntropy,
  evaluateCosine,
  evaluateModel,
  evaluateRecency,
  prepareSessions,
  roundedModel,
  trainLinkPrediction,
} from '../src/tgat/train/index.js';
import { applyWasmEnv } from '../src/tgat/wasm-env.js';

applyWasmEnv(process.env);

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const json = process.argv.includes('--json');
const epochs = Number(arg('--epochs', '30'));
const seed = Number(arg('--seed', '42'));
const splitDate = arg('--val-split', '2025-07-30');

const { sessions } = await readSessions(['data/sample/enhanced']);
const split = temporalSplit(sessions, { splitDate });
const train = prepareSessions(split.discovery);
const val = prepareSessions(split.holdout);
const t0 = performance.now();
const r = trainLinkPrediction(train, val, {
  clock: () => performance.now(),
  epochs,
  seed,
  onEpoch: (e) => {
    if (!json)
      console.error(
        `epoch ${e.epoch}: train loss ${e.trainLoss.toFixed(4)}  val loss ${e.val?.loss.toFixed(4)}  AP ${e.val?.ap.toFixed(4)}  AUC ${e.val?.auc.toFixed(4)}  ${(e.seconds ?? Number.NaN).toFixed(2)} s`,
      );
  },
});
const totalS = (performance.now() - t0) / 1000;
const trained = roundedModel(r.model);
const rows = {
  trained: evaluateModel(trained, val, r.valTasks),
  'trained (cosine)': evaluateCosine(trained, val, r.valTasks),
  untrained: evaluateModel(r.initial, val, r.valTasks),
  'untrained (cosine)': evaluateCosine(r.initial, val, r.valTasks),
  recency: evaluateRecency(val, r.valTasks),
};
const entropy = {
  trained: attentionEntropy(trained, val, r.valTasks),
  untrained: attentionEntropy(r.initial, val, r.valTasks),
};
const secs = r.history
  .slice(1)
  .map((h) => h.seconds ?? Number.NaN)
  .sort((a, b) => a - b);
const timing = {
  epochsRun: r.history.length,
  bestEpoch: r.bestEpoch,
  warmupEpochS: r.history[0].seconds ?? Number.NaN,
  minEpochS: secs[0] ?? r.history[0].seconds ?? Number.NaN,
  medianEpochS: secs.length ? secs[Math.floor(secs.length / 2)] : (r.history[0].seconds ?? Number.NaN),
  totalS,
};
const meta = {
  splitDate,
  trainSessions: train.length,
  valSessions: val.length,
  trainNodes: train.reduce((a, s) => a + s.n, 0),
  valPairs: rows.recency.pairs,
  valPositives: rows.recency.positives,
  seed,
};
if (json) {
  console.log(JSON.stringify({ meta, timing, rows, entropy }, null, 2));
} else {
  console.log(
    `split ${splitDate}: ${meta.trainSessions} train sessions (${meta.trainNodes} events), ${meta.valSessions} val sessions, ${meta.valPairs} val pairs (${meta.valPositives} positive)`,
  );
  console.log(
    `epochs run ${timing.epochsRun} (best ${timing.bestEpoch}); s/epoch warm-up ${timing.warmupEpochS.toFixed(3)}, min ${timing.minEpochS.toFixed(3)}, median ${timing.medianEpochS.toFixed(3)}; total ${totalS.toFixed(1)} s`,
  );
  console.log(
    `last-layer attention entropy (1 = uniform): trained ${entropy.trained.toFixed(3)}, untrained ${entropy.untrained.toFixed(3)}`,
  );
  console.log('model                 val AP   val AUC');
  for (const [name, e] of Object.entries(rows))
    console.log(`${name.padEnd(20)}  ${e.ap.toFixed(4)}   ${e.auc.toFixed(4)}`);
}
