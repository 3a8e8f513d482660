/** `ironforge motifs`: mine 3–5 node motifs with null models and statistics; write motifs.parquet. */
import { join } from 'node:path';
import type { Command } from 'commander';
import type { MotifClass } from '../../stats/index.js';
import { formatTopMotifs } from '../../motifs/index.js';
import { mineMotifsDetailed } from '../../motifs/index.js';
import { NULL_MODELS, type NullModelOption } from '../../motifs/index.js';
import { applyControl, MOTIF_CONTROLS, type MotifControl } from '../../motifs/index.js';
import { kernelStability, seedStability, STABILITY_KERNELS } from '../../app/index.js';
import { motifColumns } from '../../store/index.js';
import { writeFileAtomic } from '../../io/index.js';
import { writeParquet } from '../../io/index.js';
import { type KernelName } from '../../tgat/index.js';
import {
  DEFAULT_KERNEL,
  DEFAULT_MOTIF_SIZES,
  DEFAULT_NULL_MODEL,
  DEFAULT_NULLS,
  DEFAULT_SEED,
  UsageError,
} from '../../core/index.js';
import { loadSessions, parseChoice, seedFlag, kernelFlag } from '../inputs.js';
import { parsePositiveInt, printJson, say } from '../output.js';
import { stageProgress } from '../progress.js';
import { nullsHint } from '../hints.js';
import { discoverSessions, dagMotifSessions, motifSessions, type MotifGraph } from '../../discover/index.js';

interface Opts {
  out: string;
  graph: MotifGraph;
  sizes: number[];
  nulls: number;
  nullModel: NullModelOption;
  seed: number;
  kernel: KernelName;
  top: number;
  stabilitySeeds?: number[];
  stabilityKernels?: boolean;
  stabilityRank: 'lift' | 'count' | 'z';
  control?: MotifControl;
  json?: boolean;
  quiet?: boolean;
}

function parseSizes(v: string): number[] {
  const sizes = v.split(',').map((x) => Number(x.trim()));
  for (const s of sizes)
    if (!Number.isInteger(s) || s < 3 || s > 5)
      throw new UsageError(`--sizes takes motif sizes 3, 4 or 5 (comma-separated); got "${v}"`);
  return [...new Set(sizes)].sort();
}

function parseSeedList(v: string): number[] {
  const seeds = v.split(',').map((x) => seedFlag(x.trim()));
  if (seeds.length < 2) throw new UsageError(`--stability-seeds needs at least two seeds; got "${v}"`);
  return seeds;
}

export function register(program: Command): void {
  program
    .command('motifs')
    .description(
      'mine labeled 3–5 node motifs on the DAG or the attention DAG, with nulls, lift, p, q and CI',
    )
    .argument('<paths...>', 'session JSON files, directories or shard directories')
    .requiredOption('--out <dir>', 'output directory (motifs.parquet, motifs.json)')
    .option('--graph <g>', 'dag | attention', parseChoice('--graph', ['dag', 'attention'] as const), 'dag')
    .option('--sizes <list>', 'motif sizes', parseSizes, [...DEFAULT_MOTIF_SIZES])
    .option('--nulls <n>', 'null replicates per null model', parsePositiveInt('--nulls'), DEFAULT_NULLS)
    .option(
      '--null-model <m>',
      `${NULL_MODELS.join(' | ')} | all`,
      parseChoice('--null-model', [...NULL_MODELS, 'all'] as const),
      DEFAULT_NULL_MODEL,
    )
    .option(
      '--control <c>',
      `negative control: transform the input before mining (${MOTIF_CONTROLS.join(' | ')})`,
      parseChoice('--control', MOTIF_CONTROLS),
    )
    .option('--seed <n>', 'seed of nulls, bootstrap, controls and TGAT weights', seedFlag, DEFAULT_SEED)
    .option('--kernel <name>', 'attention kernel for --graph attention', kernelFlag, DEFAULT_KERNEL)
    .option('--top <n>', 'motifs to print', parsePositiveInt('--top'), 15)
    .option(
      '--stability-seeds <list>',
      'also rerun with these seeds and report the top-10 |Δlift|',
      parseSeedList,
    )
    .option(
      '--stability-kernels',
      `also rerun on the attention DAG of every kernel (${STABILITY_KERNELS.join(', ')}) and report the top-10 |Δlift|`,
    )
    .option(
      '--stability-rank <by>',
      'which top-10 the stability report follows: lift | count | z',
      parseChoice('--stability-rank', ['lift', 'count', 'z'] as const),
      'lift',
    )
    .option('--json', 'machine-readable output')
    .option('--quiet', 'no progress on stderr')
    .action(async (paths: string[], opts: Opts) => {
      if (opts.control && opts.graph !== 'dag')
        throw new UsageError(
          `--control ${opts.control} needs --graph dag: an attention graph is built from the real kinds and order, ` +
            'so a control would have to re-run discovery on the transformed sessions',
        );
      if (opts.control && (opts.stabilitySeeds || opts.stabilityKernels))
        throw new UsageError('--control cannot be combined with --stability-seeds or --stability-kernels');
      const { sessions, failures } = await loadSessions(paths);
      const mineOpts = {
        sizes: opts.sizes,
        nulls: opts.nulls,
        nullModel: opts.nullModel,
        seed: opts.seed,
        graphKind: opts.graph,
      };
      const progress = stageProgress({ quiet: opts.quiet });
      const real =
        opts.graph === 'dag'
          ? dagMotifSessions(sessions)
          : motifSessions(
              discoverSessions(sessions, {
                kernel: opts.kernel,
                seed: opts.seed,
                onSession: (d, n) => progress.update('discover', d, n),
              }),
              'attention',
            );
      const input = opts.control ? applyControl(real, opts.control, opts.seed) : real;
      const run = mineMotifsDetailed(input, {
        ...mineOpts,
        clock: () => performance.now(),
        onProgress: (p) => progress.update(`nulls (${p.model})`, p.done, p.total),
      });
      progress.stop();
      await writeParquet(join(opts.out, 'motifs.parquet'), motifColumns(run.results));
      const stability: Record<string, unknown> = {};
      if (opts.stabilitySeeds) {
        const t0 = performance.now();
        const r = seedStability(sessions, opts.graph, {
          ...mineOpts,
          seeds: opts.stabilitySeeds,
          rankBy: opts.stabilityRank,
          discover: { kernel: opts.kernel, seed: opts.seed },
        });
        stability.seeds = { ...r, ms: performance.now() - t0 };
      }
      if (opts.stabilityKernels) {
        const t0 = performance.now();
        const r = kernelStability(sessions, {
          ...mineOpts,
          rankBy: opts.stabilityRank,
          discover: { seed: opts.seed },
        });
        stability.kernels = { ...r, ms: performance.now() - t0 };
      }
      const byClass = Object.fromEntries(
        (['PROMOTE', 'FLOOR-LIMITED', 'PARK', 'DISCARD'] as const).map((c) => [
          c,
          run.results.filter((r) => r.class === c).length,
        ]),
      ) as Record<MotifClass, number>;
      const summary = {
        tested: run.testedMotifs,
        promote: byClass.PROMOTE,
        park: byClass.PARK,
        discard: byClass.DISCARD,
        floorLimited: byClass['FLOOR-LIMITED'],
        families: run.families?.length ?? 0,
        nullModel: opts.nullModel,
        pValues: Object.fromEntries(
          (['monte-carlo', 'tail', 'floor'] as const).map((m) => [
            m,
            run.results.filter((r) => r.pMethod === m).length,
          ]),
        ),
        ci: { unit: run.ciUnit ?? null, units: run.ciUnits ?? null, exact: run.ciExact ?? null },
        notes: run.notes ?? [],
        familyList: run.families ?? [],
        control: opts.control ?? null,
        skippedSessions: run.skippedSessions ?? [],
        sessions: sessions.length,
        graph: opts.graph,
        sizes: opts.sizes,
        nulls: run.nulls,
        nullModels: run.nullModels,
        seed: run.seed,
        observedMotifs: run.observedMotifs,
        testedMotifs: run.testedMotifs,
        byClass,
        timing: run.timing,
        stability,
        errors: failures,
      };
      await writeFileAtomic(
        join(opts.out, 'motifs.json'),
        JSON.stringify({ ...summary, motifs: run.results }, null, 2) + '\n',
      );
      if (opts.json) printJson({ ...summary, top: run.results.slice(0, opts.top) });
      else {
        say(formatTopMotifs(run.results, { top: opts.top }));
        say(
          `\n${summary.testedMotifs} motifs tested of ${summary.observedMotifs} observed on ${sessions.length} sessions (${opts.graph}); ` +
            `PROMOTE ${summary.promote} in ${summary.families} families, FLOOR-LIMITED ${summary.floorLimited}, PARK ${summary.park}, DISCARD ${summary.discard}; ${run.nulls} nulls (${run.nullModels.join(', ')}) → ${opts.out}/motifs.parquet`,
        );
        for (const note of summary.notes) say(`note: ${note}`);
        const hint = nullsHint(run.results, run.nulls);
        if (hint) say(hint);
        if (opts.control) say(`negative control: ${opts.control} (input transformed before mining)`);
        if (summary.skippedSessions.length)
          say(
            `${summary.skippedSessions.length} session × null pairs could not be permuted (replicate = observed): ` +
              summary.skippedSessions.map((k) => `${k.session} (${k.model})`).join(', '),
          );
        for (const [what, r] of Object.entries(stability) as [
          string,
          {
            maxDeltaLift: number;
            runs: string[];
            ms: number;
            agreement: { promoteJaccard: number | null; topOverlap: number | null; promoted: number[] };
          },
        ][]) {
          const a = r.agreement;
          const j = a.promoteJaccard === null ? 'n/a (no PROMOTE in any run)' : a.promoteJaccard.toFixed(3);
          say(
            `stability across ${what} (${r.runs.length} runs): PROMOTE Jaccard ${j} (PROMOTE per run ${a.promoted.join('/')}), ` +
              `top-10 overlap by z ${a.topOverlap === null ? 'n/a' : a.topOverlap.toFixed(2)}; top-10 max |Δlift| = ${r.maxDeltaLift.toFixed(4)} (${(r.ms / 1000).toFixed(1)} s)`,
          );
        }
      }
      if (failures.length) process.exitCode = 1;
    });
}
