/**
 * What the BullMQ coordinator costs per task (README "Beyond one machine"): the same discovery tasks — one
 * bundled-sample session each, so the work per task is small and the overhead shows — run by the serial
 * executor in this process and through the queue by one `worker` process, interleaved over --trials. Prints
 * min/median ms per task for each, their difference (the queue's overhead per task: encoding, Redis round
 * trips, the producer's polling) and the bytes a context and a task carry through Redis.
 *
 * It starts its own redis-server on --port (default 6391, not the tests' 6390) unless one answers there, and
 * uses a queue name of its own.
 *
 *   npm run bench -- queue [--trials 5] [--port 6391] [--json]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { readSessions } from '../src/store/sessions.js';
import {
  clearQueue,
  discoverSessionsParallel,
  encodeValue,
  ensureLocalRedis,
  queueExecutor,
  serialExecutor,
} from '../src/scale/index.js';
import { createWeights, DEFAULT_TGAT_CONFIG } from '../src/tgat/index.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const trials = Number(arg('trials') ?? 5);
const port = Number(arg('port') ?? 6391);
const json = process.argv.includes('--json');
const QUEUE = `ifg-bench-queue-${process.pid}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const sessions = (await readSessions(['data/sample/enhanced'])).sessions;
const redis = await ensureLocalRedis(port);
const address = { host: '127.0.0.1', port };
const workerPath = fileURLToPath(new URL('../src/scale/worker-process.js', import.meta.url));
let worker: ChildProcess | null = null;
try {
  await clearQueue(address, QUEUE);
  worker = spawn(process.execPath, [workerPath, '--redis', `127.0.0.1:${port}`, '--queue', QUEUE], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((ok, fail) => {
    worker!.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && ok());
    worker!.once('exit', () => fail(new Error('queue worker exited at start')));
  });
  const serial = serialExecutor();
  const perTask = { serial: [] as number[], queue: [] as number[] };
  for (let t = 0; t < trials + 1; t++) {
    // serial and queue alternate within a trial; the first trial warms both up and is not counted
    let t0 = performance.now();
    await discoverSessionsParallel(sessions, serial, { seed: 42, chunkSize: 1 });
    const s = (performance.now() - t0) / sessions.length;
    const q = queueExecutor({ redis: address, runId: `q${t}`, queue: QUEUE, pollMs: 20 });
    t0 = performance.now();
    try {
      await discoverSessionsParallel(sessions, q, { seed: 42, chunkSize: 1 });
    } finally {
      await q.close();
    }
    const qq = (performance.now() - t0) / sessions.length;
    if (t > 0) {
      perTask.serial.push(s);
      perTask.queue.push(qq);
    }
  }
  const weights = createWeights(DEFAULT_TGAT_CONFIG, 42);
  const contextBytes = encodeValue({ kind: 'discover', weights, kernel: 'auto' }).length;
  const taskBytes = median(
    sessions.map((s, i) => encodeValue({ kind: 'discover', first: i, sessions: [s] }).length),
  );
  const out = {
    machine: `${availableParallelism()} cores, Node ${process.versions.node}`,
    tasks: sessions.length,
    trials,
    serialMsPerTask: { min: Math.min(...perTask.serial), median: median(perTask.serial) },
    queueMsPerTask: { min: Math.min(...perTask.queue), median: median(perTask.queue) },
    overheadMsPerTask: median(perTask.queue) - median(perTask.serial),
    discoverContextBytes: contextBytes,
    medianTaskBytes: taskBytes,
  };
  if (json) console.log(JSON.stringify(out, null, 2));
  else {
    console.log(`machine: ${out.machine}; command: node ${process.argv.slice(1).join(' ')}`);
    console.log(
      `${out.tasks} discovery tasks of one session, ${trials} trials (interleaved): serial ` +
        `${out.serialMsPerTask.min.toFixed(2)} / ${out.serialMsPerTask.median.toFixed(2)} ms per task (min / median), ` +
        `queue with 1 worker process ${out.queueMsPerTask.min.toFixed(2)} / ${out.queueMsPerTask.median.toFixed(2)} ms`,
    );
    console.log(
      `queue overhead ≈ ${out.overheadMsPerTask.toFixed(2)} ms per task (median − median); context ` +
        `${(contextBytes / 1024).toFixed(0)} KiB once per call, a one-session task ${(taskBytes / 1024).toFixed(1)} KiB`,
    );
  }
} finally {
  worker?.kill('SIGTERM');
  await clearQueue(address, QUEUE).catch(() => undefined);
  await redis.stop();
}
