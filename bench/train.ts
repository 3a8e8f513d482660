/**
 * Training and inference of the TGAT encoder on the bundled sample (data/sample/enhanced), single thread.
 *
 * 1. Per-epoch training time (min / median over the epochs after the first, warm-up, epoch; every epoch time
 *    includes the epoch's validation pass), side by side:
 *      link prediction        today's bench: trainLinkPrediction on a 2-way date split (--val-split), with the
 *                             validation AP / AUC of the trained model vs the seeded untrained model vs recency;
 *      link, 3-way folds      the same trainer on the train / validation folds of the next-kind split (the peer:
 *                             same sessions, so the ratio compares the tasks, not the data);
 *      next-kind              runNextKindExperiment (trainKindHead inside) with one seed: the 3-way date split of
 *                             `ironforge train` (train / validation / test = consecutive date blocks, 0.2 / 0.3).
 * 2. Inference: sessions/s of discoverSessions over every sample session (features → DAG → 2-layer encoder →
 *    top-m attention), seeded untrained weights on per-session standardized node features (today's default
 *    input) vs the shipped trained encoder (--weights, default data/weights/tgat-sample.bin) on the causal
 *    features scaled by its heads sidecar (`inputScaler`, as `run`/`discover` feed it). One untimed warm-up
 *    pass each, then --repeats (default 21) trials of each, interleaved, a forced GC (--expose-gc, which
 *    `npm run bench` passes) before each.
 * Ratios are medians of the same run. Information only, never asserted.
 *
 *   npm run bench -- train [--epochs N] [--patience N] [--seed N] [--val-split YYYY-MM-DD] [--repeats K]
 *                          [--kernel NAME] [--weights FILE] [--json]
 *   npx tsx bench/train.ts  (same options)
 */
import { cpus, loadavg } from 'node:os';
import { DEFAULT_SEED } from '../src/core/index.js';
import { discoverSessions } from '../src/discover/index.js';
import { headsPath, loadHeads, loadWeights } from '../src/store/index.js';
import { readSessions } from '../src/store/sessions.js';
import { createWeights, DEFAULT_TGAT_CONFIG, parseKernelName } from '../src/tgat/index.js';
import {
  attentionEntropy,
  DEFAULT_KIND_EXPERIMENT,
  evaluateCosine,
  evaluateModel,
  evaluateRecency,
  prepareSessions,
  roundedModel,
  runNextKindExperiment,
  splitDates3,
  trainLinkPrediction,
} from '../src/tgat/train/index.js';
import { applyWasmEnv } from '../src/tgat/wasm-env.js';
import { temporalSplit } from '../src/validation/split.js';

applyWasmEnv(process.env);

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const json = process.argv.includes('--json');
const epochs = Number(arg('--epochs', '30'));
const patience = Number(arg('--patience', '5'));
const seed = Number(arg('--seed', '42'));
const splitDate = arg('--val-split', '2025-07-30');
const repeats = Number(arg('--repeats', '21'));
const kernel = parseKernelName(arg('--kernel', 'auto'), '--kernel');
const weightsFile = arg('--weights', 'data/weights/tgat-sample.bin');
if (!Number.isInteger(repeats) || repeats < 1)
  throw new Error(`--repeats must be a positive integer, got ${arg('--repeats', '')}`);

const gc = (globalThis as { gc?: () => void }).gc;
const log = (s: string): void => {
  if (!json) console.log(s);
};

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Per-epoch seconds → warm-up (first epoch) and min / median over the rest (the first alone when only one). */
function epochStats(seconds: readonly (number | null)[]) {
  const s = seconds.map((x) => x ?? Number.NaN);
  const rest = s.length > 1 ? s.slice(1) : s;
  return { epochs: s.length, warmupS: s[0], minS: Math.min(...rest), medianS: median(rest) };
}

const { sessions } = await readSessions(['data/sample/enhanced']);
const nEvents = sessions.reduce((a, s) => a + s.events.length, 0);
const cpuModel = cpus()[0]?.model ?? 'unknown cpu';
const load0 = loadavg()[0];
const command = `npm run bench -- train ${process.argv.slice(2).join(' ')}`.trimEnd();
log(
  `# train bench — ${cpuModel}, ${cpus().length} cores (single thread), node ${process.version}, load ${load0.toFixed(2)}`,
);
log(`# ${command}`);
log(
  `# data/sample/enhanced: ${sessions.length} sessions, ${nEvents} events; epochs ≤ ${epochs}, patience ${patience}, seed ${seed}; ` +
    `inference: ${repeats} repeats, kernel ${kernel}, a forced GC before each${gc ? '' : ' (NOT available: run with --expose-gc)'}`,
);

// ---- 1a. link prediction, 2-way date split (today's bench) ----------------------------------------------------
const split = temporalSplit(sessions, { splitDate });
const train = prepareSessions(split.discovery);
const val = prepareSessions(split.holdout);
const t0 = performance.now();
const r = trainLinkPrediction(train, val, {
  clock: () => performance.now(),
  epochs,
  patience,
  seed,
  onEpoch: (e) => {
    if (!json)
      console.error(
        `link epoch ${e.epoch}: train loss ${e.trainLoss.toFixed(4)}  val loss ${e.val?.loss.toFixed(4)}  AP ${e.val?.ap.toFixed(4)}  AUC ${e.val?.auc.toFixed(4)}  ${(e.seconds ?? Number.NaN).toFixed(2)} s`,
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
const linkStats = epochStats(r.history.map((h) => h.seconds));
const timing = {
  epochsRun: r.history.length,
  bestEpoch: r.bestEpoch,
  warmupEpochS: linkStats.warmupS,
  minEpochS: linkStats.minS,
  medianEpochS: linkStats.medianS,
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

// ---- 1b. the 3-way split of `ironforge train`: link prediction on its folds, then next-kind --------------------
const split3 = splitDates3(
  sessions.map((s) => s.date),
  DEFAULT_KIND_EXPERIMENT.valFraction,
  DEFAULT_KIND_EXPERIMENT.testFraction,
);
const on = (dates: readonly string[]) => sessions.filter((s) => dates.includes(s.date));
const train3 = prepareSessions(on(split3.train));
const val3 = prepareSessions(on(split3.validation));
const r3 = trainLinkPrediction(train3, val3, {
  clock: () => performance.now(),
  epochs,
  patience,
  seed,
});
const link3Stats = epochStats(r3.history.map((h) => h.seconds));

const kindSeconds: (number | null)[] = [];
const kt0 = performance.now();
const kind = runNextKindExperiment(sessions, {
  seeds: [seed],
  epochs,
  patience,
  clock: () => performance.now(),
  onEpoch: (_s, e) => {
    kindSeconds.push(e.seconds);
    if (!json)
      console.error(
        `next-kind epoch ${e.epoch}: train CE ${e.trainLoss.toFixed(4)}  val log-loss ${e.valLogLoss.toFixed(4)}  val acc ${e.valAccuracy.toFixed(4)}  ${(e.seconds ?? Number.NaN).toFixed(2)} s`,
      );
  },
});
const kindTotalS = (performance.now() - kt0) / 1000;
const kindStats = epochStats(kindSeconds);
const kindTrainEvents = train3.reduce((a, s) => a + s.n, 0);

// ---- 2. inference: discoverSessions, untrained vs the shipped trained encoder ----------------------------------
const shipped = loadWeights(weightsFile);
const heads = loadHeads(headsPath(weightsFile), shipped.config.hidden);
const untrainedWeights = createWeights({ ...DEFAULT_TGAT_CONFIG, ...shipped.config }, DEFAULT_SEED);
const configs = [
  {
    name: `untrained (seed ${DEFAULT_SEED}), standardized node features`,
    run: () => discoverSessions(sessions, { weights: untrainedWeights, kernel }),
  },
  {
    name: `trained ${weightsFile}, causal features + its scaler`,
    run: () => discoverSessions(sessions, { weights: shipped, kernel, inputScaler: heads.features }),
  },
];
// warm-up (compile, wasm instantiation, caches), then the trials interleaved (A B A B …) so that load drifts
// on the shared machine fall on both configurations alike
const warm = configs.map((c) => c.run());
const trialMs = configs.map(() => [] as number[]);
for (let i = 0; i < repeats; i++)
  configs.forEach((c, k) => {
    gc?.();
    const a = performance.now();
    c.run();
    trialMs[k].push(performance.now() - a);
  });
const inference = configs.map((c, k) => {
  const ms = trialMs[k];
  const minMs = Math.min(...ms);
  const medianMs = median(ms);
  return {
    name: c.name,
    ms,
    minMs,
    medianMs,
    sessionsPerSecMin: sessions.length / (minMs / 1000),
    sessionsPerSecMedian: sessions.length / (medianMs / 1000),
    kernels: [...new Set(warm[k].map((d) => d.kernel))],
  };
});
const inferenceRatio = inference[1].medianMs / inference[0].medianMs;

// ---- report -----------------------------------------------------------------------------------------------------
const perEpoch = [
  {
    name: `link prediction, split ${splitDate}`,
    folds: `train ${split.discovery.length} / val ${split.holdout.length} sessions`,
    trainEvents: meta.trainNodes,
    ...linkStats,
  },
  {
    name: 'link prediction, 3-way folds',
    folds: `train ${train3.length} / val ${val3.length} sessions`,
    trainEvents: kindTrainEvents,
    ...link3Stats,
  },
  {
    name: 'next-kind (ironforge train)',
    folds: `train ${kind.sessions.train} / val ${kind.sessions.validation} sessions`,
    trainEvents: kindTrainEvents,
    ...kindStats,
  },
];
const kindVsLink = kindStats.medianS / link3Stats.medianS;
const maxRssMb = process.resourceUsage().maxRSS / 1024;
const load1 = loadavg()[0];

if (json) {
  console.log(
    JSON.stringify(
      {
        bench: 'train',
        node: process.version,
        cpu: cpuModel,
        cores: cpus().length,
        command,
        loadStart: load0,
        loadEnd: load1,
        maxRssMb,
        meta,
        timing,
        rows,
        entropy,
        split3,
        perEpoch,
        kindVsLinkMedian: kindVsLink,
        nextKind: {
          totalS: kindTotalS,
          bestEpoch: kind.perSeed[0]?.bestEpoch ?? null,
          examples: kind.examples,
          testLogLoss: kind.perSeed[0]?.testLogLoss ?? null,
          bestBaseline: kind.bestBaseline,
        },
        inference: { sessions: sessions.length, events: nEvents, kernel, repeats, rows: inference },
        inferenceRatio,
      },
      null,
      2,
    ),
  );
} else {
  log('');
  log(
    `split ${splitDate}: ${meta.trainSessions} train sessions (${meta.trainNodes} events), ${meta.valSessions} val sessions, ${meta.valPairs} val pairs (${meta.valPositives} positive)`,
  );
  log(
    `epochs run ${timing.epochsRun} (best ${timing.bestEpoch}); s/epoch warm-up ${timing.warmupEpochS.toFixed(3)}, min ${timing.minEpochS.toFixed(3)}, median ${timing.medianEpochS.toFixed(3)}; total ${totalS.toFixed(1)} s`,
  );
  log(
    `last-layer attention entropy (1 = uniform): trained ${entropy.trained.toFixed(3)}, untrained ${entropy.untrained.toFixed(3)}`,
  );
  log('model                 val AP   val AUC');
  for (const [name, e] of Object.entries(rows))
    log(`${name.padEnd(20)}  ${e.ap.toFixed(4)}   ${e.auc.toFixed(4)}`);
  log('');
  log(
    `3-way split (ironforge train): train ${split3.train.join(', ')} · validation ${split3.validation.join(', ')} · test ${split3.test.join(', ')}; ` +
      `next-kind examples ${kind.examples.train} / ${kind.examples.validation} / ${kind.examples.test}, best epoch ${kind.perSeed[0]?.bestEpoch ?? '–'}, ` +
      `test log-loss ${kind.perSeed[0]?.testLogLoss.toFixed(4) ?? '–'} (best baseline ${kind.bestBaseline ?? '–'}), ${kindTotalS.toFixed(1)} s with baselines`,
  );
  log('');
  log('## per epoch / inference');
  const table: string[][] = [
    ['configuration', 'data', 'epochs', 'warm-up s', 'min s', 'median s', 'ms / train event (median)'],
    ...perEpoch.map((p) => [
      p.name,
      `${p.folds}, ${p.trainEvents} train events`,
      String(p.epochs),
      p.warmupS.toFixed(3),
      p.minS.toFixed(3),
      p.medianS.toFixed(3),
      ((p.medianS * 1000) / p.trainEvents).toFixed(3),
    ]),
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  const line = (row: string[]) =>
    row
      .map((x, c) => (c < 2 ? x.padEnd(widths[c]) : x.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  log(line(table[0]));
  log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table.slice(1)) log(line(row));
  log(`ratio next-kind / link prediction on the same folds (median s/epoch): ${kindVsLink.toFixed(2)}×`);
  log('');
  const inf: string[][] = [
    [
      'inference (discoverSessions)',
      'min ms',
      'median ms',
      'sessions/s (min)',
      'sessions/s (median)',
      'kernel',
    ],
    ...inference.map((x) => [
      x.name,
      x.minMs.toFixed(1),
      x.medianMs.toFixed(1),
      x.sessionsPerSecMin.toFixed(1),
      x.sessionsPerSecMedian.toFixed(1),
      `${kernel} → ${x.kernels.join(', ')}`,
    ]),
  ];
  const w2 = inf[0].map((_, c) => Math.max(...inf.map((row) => row[c].length)));
  const line2 = (row: string[]) =>
    row
      .map((x, c) => (c === 0 || c === 5 ? x.padEnd(w2[c]) : x.padStart(w2[c])))
      .join('  ')
      .trimEnd();
  log(line2(inf[0]));
  log(w2.map((w) => '-'.repeat(w)).join('  '));
  for (const row of inf.slice(1)) log(line2(row));
  log(
    `${sessions.length} sessions, ${nEvents} events, ${repeats} repeats; ratio trained / untrained (median time): ${inferenceRatio.toFixed(2)}×`,
  );
  log('');
  log(
    `# peak RSS ${maxRssMb.toFixed(0)} MB; load average ${load0.toFixed(2)} at start, ${load1.toFixed(2)} at end`,
  );
}
