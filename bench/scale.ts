/**
 * Throughput of parallel execution: discovery (sessions/s) and motif null replicates (nulls/s) on the bundled
 * sample, run in this thread (serial), on 1 and 2 worker threads, and distributed over 2 local `worker`
 * processes on BullMQ/Redis (127.0.0.1:6390, started here when needed). Every configuration's output bytes are
 * checked against the serial ones. Min and median over --trials after --warmup.
 *
 *   npx tsx bench/scale.ts [--json] [--trials 3] [--warmup 1] [--nulls 200] [--sizes 3,4,5] [--no-queue]
 *                          [--model kind-shuffle|edge-swap|time-jitter]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { mineMotifsDetailed } from '../src/motifs/mine.js';
import { discoverSessions } from '../src/discover/discover.js';
import { dagMotifSessions } from '../src/discover/motif-input.js';
import { embeddingColumns, motifColumns } from '../src/store/run-tables.js';
import {
  clearQueue,
  discoverSessionsParallel,
  ensureLocalRedis,
  mineMotifsParallel,
  queueExecutor,
  serialExecutor,
  threadPoolExecutor,
  type ScaleExecutor,
} from '../src/scale/index.js';
import { readSessions } from '../src/store/sessions.js';
import { encodeParquet } from '../src/io/parquet.js';
import { applyWasmEnv } from '../src/tgat/wasm-env.js';

applyWasmEnv(process.env);

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const json = process.argv.includes('--json');
const trials = Number(arg('trials') ?? 3);
const warmup = Number(arg('warmup') ?? 1);
const nulls = Number(arg('nulls') ?? 200);
const sizes = (arg('sizes') ?? '3,4,5').split(',').map(Number);
const useQueue = !process.argv.includes('--no-queue');
const model = (arg('model') ?? 'kind-shuffle') as 'kind-shuffle' | 'edge-swap' | 'time-jitter';
const PORT = 6390;
const QUEUE = `ifg-bench-${process.pid}`;

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const sessions = (await readSessions(['data/sample/enhanced'])).sessions;
  const motifSessions = dagMotifSessions(sessions);
  const mine = { sizes, nulls, seed: 42, bootstrap: 200, nullModel: model, clock: () => performance.now() };
  const refEmb = encodeParquet(embeddingColumns(discoverSessions(sessions, { seed: 42 })));
  const refMotif = encodeParquet(motifColumns(mineMotifsDetailed(motifSessions, mine).results));

  const children: ChildProcess[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const configs: { name: string; make: () => Promise<ScaleExecutor> }[] = [
    { name: 'serial (this thread)', make: () => Promise.resolve(serialExecutor()) },
    { name: 'threads ×1', make: () => Promise.resolve(threadPoolExecutor(1)) },
    { name: 'threads ×2', make: () => Promise.resolve(threadPoolExecutor(2)) },
  ];
  if (useQueue) {
    const redis = await ensureLocalRedis(PORT);
    cleanups.push(() => redis.stop());
    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    const worker = fileURLToPath(new URL(`../src/scale/worker-process${ext}`, import.meta.url));
    configs.push({
      name: 'queue, 2 processes',
      make: async () => {
        await clearQueue({ host: '127.0.0.1', port: PORT }, QUEUE);
        for (let i = 0; i < 2; i++) {
          const c = spawn(
            process.execPath,
            [
              ...(ext === '.ts' ? ['--import', 'tsx'] : []),
              worker,
              '--redis',
              `127.0.0.1:${PORT}`,
              '--queue',
              QUEUE,
            ],
            { stdio: ['ignore', 'pipe', 'inherit'] },
          );
          children.push(c);
          await new Promise<void>((resolve, reject) => {
            c.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
            c.once('exit', () => reject(new Error('queue worker exited at start')));
          });
        }
        let run = 0;
        // A fresh runId per trial: a repeated one would resume (reuse results) instead of recomputing.
        const inner = () =>
          queueExecutor({ redis: { host: '127.0.0.1', port: PORT }, runId: `b${run++}`, queue: QUEUE });
        return {
          name: 'queue',
          run: async (id, ctx, tasks) => {
            const e = inner();
            try {
              return await e.run(id, ctx, tasks);
            } finally {
              await e.close();
            }
          },
          close: async () => {
            for (const c of children.splice(0)) c.kill('SIGTERM');
            await clearQueue({ host: '127.0.0.1', port: PORT }, QUEUE);
          },
        };
      },
    });
  }

  const rows: Record<string, string | number | boolean>[] = [];
  try {
    for (const cfg of configs) {
      const exec = await cfg.make();
      const workers = cfg.name.includes('×1') ? 1 : 2;
      try {
        const disc: number[] = [];
        const nul: number[] = [];
        let identical = true;
        for (let t = 0; t < warmup + trials; t++) {
          const t0 = performance.now();
          const d = await discoverSessionsParallel(sessions, exec, { seed: 42, workers });
          const t1 = performance.now();
          const m = await mineMotifsParallel(motifSessions, exec, mine);
          const nullMs = m.timing.nulls.reduce((a, x) => a + (x.ms ?? 0), 0);
          identical &&=
            sameBytes(encodeParquet(embeddingColumns(d)), refEmb) &&
            sameBytes(encodeParquet(motifColumns(m.results)), refMotif);
          if (t >= warmup) {
            disc.push(t1 - t0);
            nul.push(nullMs);
          }
        }
        rows.push({
          config: cfg.name,
          discoverMinMs: Math.min(...disc),
          discoverMedianMs: median(disc),
          sessionsPerSecond: sessions.length / (median(disc) / 1000),
          nullsMinMs: Math.min(...nul),
          nullsMedianMs: median(nul),
          nullsPerSecond: nulls / (median(nul) / 1000),
          identical,
        });
      } finally {
        await exec.close();
      }
    }
  } finally {
    for (const c of children) c.kill('SIGKILL');
    for (const f of cleanups) await f();
  }
  if (json) {
    console.log(
      JSON.stringify(
        { sessions: sessions.length, nulls, sizes, cores: availableParallelism(), rows },
        null,
        2,
      ),
    );
    return;
  }
  console.log(
    `${sessions.length} sessions; nulls ${nulls} ${model}, sizes ${sizes.join(',')}; ${availableParallelism()} cores; ` +
      `${trials} trials after ${warmup} warm-up`,
  );
  const f = (x: number | string | boolean, w: number) =>
    String(typeof x === 'number' ? x.toFixed(1) : x).padStart(w);
  console.log(
    `${'config'.padEnd(22)}${f('disc min ms', 12)}${f('disc med ms', 12)}${f('sessions/s', 11)}` +
      `${f('null min ms', 12)}${f('null med ms', 12)}${f('nulls/s', 9)}${f('identical', 10)}`,
  );
  for (const r of rows)
    console.log(
      `${String(r.config).padEnd(22)}${f(r.discoverMinMs, 12)}${f(r.discoverMedianMs, 12)}${f(r.sessionsPerSecond, 11)}` +
        `${f(r.nullsMinMs, 12)}${f(r.nullsMedianMs, 12)}${f(r.nullsPerSecond, 9)}${f(r.identical, 10)}`,
    );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
