/**
 * A throwaway Redis for tests and benches: reuse one already answering on 127.0.0.1:port, else start
 * `redis-server` there with persistence off, and stop only what was started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';

export interface LocalRedis {
  host: string;
  port: number;
  /** True when this call started the server (then `stop` ends it). */
  started: boolean;
  stop(): Promise<void>;
}

/** True when a Redis at host:port answers PING within `timeoutMs`. */
export function pingRedis(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host, port });
    let buf = '';
    const done = (ok: boolean) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('\r\n')) done(buf.startsWith('+PONG'));
    });
    sock.on('error', () => done(false));
  });
}

/** Why a Redis did not answer: `connection refused`, `timed out after 1000 ms`, `answered "-NOAUTH …"`, … */
export function probeRedis(
  port: number,
  host = '127.0.0.1',
  timeoutMs = 1000,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    const sock = createConnection({ host, port });
    let buf = '';
    let settled = false;
    const done = (r: { ok: true } | { ok: false; reason: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    const timer = setTimeout(
      () => done({ ok: false, reason: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      buf += d.toString();
      if (!buf.includes('\r\n')) return;
      if (buf.startsWith('+PONG')) done({ ok: true });
      else done({ ok: false, reason: `answered ${JSON.stringify(buf.split('\r\n')[0].slice(0, 80))}` });
    });
    sock.on('error', (e: NodeJS.ErrnoException) =>
      done({
        ok: false,
        reason:
          e.code === 'ECONNREFUSED'
            ? 'connection refused'
            : e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN'
              ? `unknown host ${host}`
              : `${e.code ?? e.message}`,
      }),
    );
  });
}

/** A Redis that cannot be reached: one line with the address and what to do (no stack, no retry spam). */
export class RedisUnreachableError extends Error {
  override name = 'RedisUnreachableError';
  constructor(
    readonly host: string,
    readonly port: number,
    readonly reason: string,
    flag = '--redis',
  ) {
    super(
      `cannot reach Redis: ${reason} (${flag}: ${host}:${port}); start one there ` +
        `(redis-server --port ${port}, or apt-get install -y redis-server) or point ${flag} at a running server`,
    );
  }
}

/** Throws RedisUnreachableError unless a Redis answers PING at host:port within `timeoutMs`. */
export async function assertRedisReachable(
  a: { host: string; port: number },
  timeoutMs = 2000,
  flag = '--redis',
): Promise<void> {
  const r = await probeRedis(a.port, a.host, timeoutMs);
  if (!r.ok) throw new RedisUnreachableError(a.host, a.port, r.reason, flag);
}

/** Ensure a Redis answers on 127.0.0.1:`port` (default 6390); starts `bin` when none does. */
export async function ensureLocalRedis(
  port = 6390,
  bin = 'redis-server',
  waitMs = 5000,
): Promise<LocalRedis> {
  const host = '127.0.0.1';
  if (await pingRedis(port, host)) return { host, port, started: false, stop: () => Promise.resolve() };
  const child: ChildProcess = spawn(
    bin,
    ['--port', String(port), '--bind', host, '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    { stdio: 'ignore' },
  );
  let exited = false;
  child.on('exit', () => (exited = true));
  const spawnError = new Promise<Error>((resolve) => child.on('error', resolve));
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    const err = await Promise.race([spawnError, new Promise<null>((r) => setTimeout(() => r(null), 50))]);
    if (err) throw new Error(`could not start ${bin}: ${err.message}`);
    if (exited) throw new Error(`${bin} exited at start (is port ${port} in use?)`);
    if (await pingRedis(port, host)) {
      return {
        host,
        port,
        started: true,
        stop: () =>
          new Promise<void>((resolve) => {
            if (exited) return resolve();
            const t = setTimeout(() => child.kill('SIGKILL'), 3000);
            child.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      };
    }
  }
  child.kill('SIGKILL');
  throw new Error(`${bin} did not answer on ${host}:${port} within ${waitMs} ms`);
}
