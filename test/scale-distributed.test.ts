/**
 * Distributed mode on BullMQ/Redis: 2 worker processes give the serial bytes; a worker killed with SIGKILL
 * mid-job loses nothing (its job is retried, each task has exactly one result); a run stopped part-way resumes
 * under the same runId. Starts its own redis-server on 127.0.0.1:6390 unless one answers there, and removes
 * its queue, workers and server afterwards, also on failure.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { mineMotifsDetailed } from '../src/motifs/mine.js';
import type { MineOptions } from '../src/motifs/types.js';
import { discoverSessions } from '../src/discover/discover.js';
import { dagMotifSessions } from '../src/discover/motif-input.js';
import { embeddingColumns, attentionColumns, motifColumns } from '../src/store/run-tables.js';
import {
  clearQueue,
  discoverSessionsParallel,
  ensureLocalRedis,
  mineMotifsParallel,
  queueExecutor,
  type LocalRedis,
} from '../src/scale/index.js';
import { readSessions } from '../src/store/sessions.js';
import type { Session } from '../src/session/types.js';
import { encodeParquet } from '../src/io/parquet.js';

const PORT = 6390;
const QUEUE = `ifg-test-${process.pid}`;
const MINE: MineOptions & { nulls: number; batchSize: number } = {
  sizes: [3, 4],
  nulls: 40,
  batchSize: 4,
  bootstrap: 100,
  seed: 3,
};
const hasRedis =
  spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0 ||
  'redis-server not installed (apt-get install -y redis-server)';

const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const WORKER = fileURLToPath(new URL(`../src/scale/worker-process${ext}`, import.meta.url));

interface SpawnedWorker {
  child: ChildProcess;
  lines: string[];
  waitFor(re: RegExp, ms: number): Promise<string>;
}

const children: ChildProcess[] = [];

function startWorker(extra: string[] = []): Promise<SpawnedWorker> {
  const args = [...(ext === '.ts' ? ['--import', 'tsx'] : []), WORKER, '--redis', `127.0.0.1:${PORT}`];
  const child = spawn(process.execPath, [...args, '--queue', QUEUE, ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  let buf = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      lines.push(line);
      for (const w of waiters.splice(0))
        if (w.re.test(line)) w.resolve(line);
        else waiters.push(w);
    }
  });
  const w: SpawnedWorker = {
    child,
    lines,
    waitFor: (re, ms) =>
      new Promise((resolve, reject) => {
        const hit = lines.find((l) => re.test(l));
        if (hit) return resolve(hit);
        const t = setTimeout(
          () => reject(new Error(`worker: no line ${re} within ${ms} ms; stderr: ${stderr}`)),
          ms,
        );
        waiters.push({
          re,
          resolve: (l) => {
            clearTimeout(t);
            resolve(l);
          },
        });
      }),
  };
  return w.waitFor(/^ready$/, 20_000).then(() => w);
}

function killAll(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

async function completedCount(): Promise<number> {
  const q = new Queue(QUEUE, { connection: { host: '127.0.0.1', port: PORT, maxRetriesPerRequest: null } });
  try {
    return (await q.getJobCounts('completed')).completed;
  } finally {
    await q.close();
  }
}

const motifBytes = (r: { results: Parameters<typeof motifColumns>[0] }) =>
  encodeParquet(motifColumns(r.results));

describe('scale: distributed mode (BullMQ on a local Redis)', { skip: hasRedis !== true && hasRedis }, () => {
  let redis: LocalRedis | null = null;
  let sessions: Session[] = [];
  const redisAddr = { host: '127.0.0.1', port: PORT };
  before(async () => {
    redis = await ensureLocalRedis(PORT);
    await clearQueue(redisAddr, QUEUE);
    sessions = (await readSessions(['data/sample/enhanced'])).sessions.slice(0, 8);
  });
  after(async () => {
    killAll();
    try {
      await clearQueue(redisAddr, QUEUE);
    } finally {
      await redis?.stop();
    }
  });

  test('2 worker processes: embeddings, attention and motif Parquet bytes equal serial', async () => {
    const workers = await Promise.all([startWorker(), startWorker()]);
    const exec = queueExecutor({ redis: redisAddr, runId: 'equal', queue: QUEUE, timeoutMs: 60_000 });
    try {
      const serialD = discoverSessions(sessions, { seed: 9 });
      const distD = await discoverSessionsParallel(sessions, exec, { seed: 9, chunkSize: 2 });
      assert.deepEqual(encodeParquet(embeddingColumns(distD)), encodeParquet(embeddingColumns(serialD)));
      assert.deepEqual(encodeParquet(attentionColumns(distD)), encodeParquet(attentionColumns(serialD)));
      const ms = dagMotifSessions(sessions);
      const serialM = mineMotifsDetailed(ms, { ...MINE, nullModel: 'all' });
      const distM = await mineMotifsParallel(ms, exec, { ...MINE, nullModel: 'all' });
      assert.ok(serialM.testedMotifs > 0);
      assert.deepEqual(motifBytes(distM), motifBytes(serialM));
      // Both processes took part.
      for (const w of workers)
        assert.ok(
          w.lines.some((l) => l.startsWith('done ')),
          'each worker ran jobs',
        );
    } finally {
      await exec.close();
      for (const w of workers) w.child.kill('SIGTERM');
      await clearQueue(redisAddr, QUEUE);
    }
  });

  test('kill -9 of a worker mid-job loses nothing and duplicates nothing', async () => {
    const slow = ['--delay-ms', '250', '--lock-ms', '1000'];
    const [victim, survivor] = await Promise.all([startWorker(slow), startWorker(slow)]);
    const ms = dagMotifSessions(sessions);
    const serial = mineMotifsDetailed(ms, MINE);
    const exec = queueExecutor({ redis: redisAddr, runId: 'kill', queue: QUEUE, timeoutMs: 60_000 });
    try {
      const running = mineMotifsParallel(ms, exec, MINE);
      const started = await victim.waitFor(/^start /, 20_000);
      victim.child.kill('SIGKILL');
      const killedJob = started.slice('start '.length);
      const dist = await running;
      assert.ok(!victim.lines.includes(`done ${killedJob}`), 'the victim died before finishing its job');
      assert.ok(survivor.lines.includes(`done ${killedJob}`), 'the survivor re-ran the killed job');
      assert.deepEqual(motifBytes(dist), motifBytes(serial));
      assert.equal(await completedCount(), MINE.nulls / MINE.batchSize, 'one completed job per task');
    } finally {
      await exec.close();
      survivor.child.kill('SIGTERM');
      await clearQueue(redisAddr, QUEUE);
    }
  });

  test('a run stopped part-way resumes under the same runId with the serial result', async () => {
    const ms = dagMotifSessions(sessions);
    const serial = mineMotifsDetailed(ms, MINE);
    const first = await startWorker(['--delay-ms', '150', '--lock-ms', '1000']);
    const exec1 = queueExecutor({
      redis: redisAddr,
      runId: 'resume',
      queue: QUEUE,
      timeoutMs: 3000,
      pollMs: 50,
    });
    const stopped = assert.rejects(mineMotifsParallel(ms, exec1, MINE), /unfinished after 3000 ms/);
    // A second start means the first job was marked completed (concurrency 1), so some work is saved.
    for (let i = 0; i < 400 && first.lines.filter((l) => l.startsWith('start ')).length < 2; i++)
      await new Promise((r) => setTimeout(r, 50));
    first.child.kill('SIGKILL');
    await stopped;
    await exec1.close();
    const doneBefore = await completedCount();
    assert.ok(
      doneBefore > 0 && doneBefore < MINE.nulls / MINE.batchSize,
      `part done before resume: ${doneBefore}`,
    );
    const second = await startWorker(['--lock-ms', '1000']);
    const exec2 = queueExecutor({ redis: redisAddr, runId: 'resume', queue: QUEUE, timeoutMs: 60_000 });
    try {
      const dist = await mineMotifsParallel(ms, exec2, MINE);
      assert.deepEqual(motifBytes(dist), motifBytes(serial));
      assert.equal(await completedCount(), MINE.nulls / MINE.batchSize);
      const rerun = second.lines.filter((l) => l.startsWith('done ')).length;
      assert.ok(
        rerun <= MINE.nulls / MINE.batchSize - doneBefore + 1,
        `resume re-ran only unfinished jobs (${rerun})`,
      );
    } finally {
      await exec2.close();
      second.child.kill('SIGTERM');
    }
  });

  test('resuming with different inputs under the same runId is refused', async () => {
    const ms = dagMotifSessions(sessions);
    const exec = queueExecutor({ redis: redisAddr, runId: 'resume', queue: QUEUE, timeoutMs: 500 });
    try {
      await assert.rejects(mineMotifsParallel(ms, exec, { ...MINE, seed: 4 }), /different inputs/);
    } finally {
      await exec.close();
    }
  });
});
