/** `ironforge doctor`: checks that this machine can run ironforge, each check with a pass/fail and a reason. */
import { access, mkdtemp, rm } from 'node:fs/promises';
import { constants } from 'node:fs';
import { cpus, freemem, tmpdir, totalmem } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Command } from 'commander';
import { wallClockToUtcMs } from '../../session/index.js';
import { decodeParquet, encodeParquet, parquetMetadataOf } from '../../io/index.js';
import { bundledSampleDir } from '../../app/index.js';
import { formatTable, printJson, say } from '../output.js';
import { parseRedisAddress, probeRedis } from '../../scale/index.js';
import { EXIT, escapeControl } from '../exit-codes.js';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** An optional extra (Chromium, Redis): missing is reported with what it enables, but doctor still passes. */
  optional?: boolean;
}

async function check(name: string, fn: () => Promise<string> | string, optional = false): Promise<Check> {
  try {
    return { name, ok: true, detail: await fn(), ...(optional ? { optional } : {}) };
  } catch (e) {
    return {
      name,
      ok: false,
      detail: e instanceof Error ? e.message : String(e),
      ...(optional ? { optional } : {}),
    };
  }
}

/** The first of `names` that is an executable on PATH or among `known` paths, or null. */
async function findExecutable(
  names: readonly string[],
  known: readonly string[] = [],
): Promise<string | null> {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const p of [...names.flatMap((n) => dirs.map((d) => join(d, n))), ...known]) {
    try {
      await access(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const CHROMIUM_KNOWN = ['/usr/bin/chromium', '/usr/lib/chromium/chromium', '/snap/bin/chromium'];

/** Optional extras: what they enable and how to install them (Debian/Ubuntu). */
export async function optionalChecks(redisAddress = '127.0.0.1:6379'): Promise<Check[]> {
  return Promise.all([
    check(
      'Chromium (optional)',
      async () => {
        const env = process.env.IRONFORGE_CHROMIUM ?? process.env.CHROMIUM_PATH;
        const found = env ?? (await findExecutable(CHROMIUM_NAMES, CHROMIUM_KNOWN));
        if (!found)
          throw new Error(
            'not found: dashboard screenshots and the browser tests are skipped; install: apt-get install -y chromium',
          );
        return `${found}: enables dashboard screenshots and the browser tests`;
      },
      true,
    ),
    check(
      'Redis (optional)',
      async () => {
        let a: { host: string; port: number };
        try {
          a = parseRedisAddress(redisAddress);
        } catch (e) {
          throw new Error(`${(e as Error).message} (--redis: ${redisAddress})`, { cause: e });
        }
        const probe = await probeRedis(a.port, a.host, 500);
        if (probe.ok)
          return `a server answers at ${a.host}:${a.port}: enables run --redis / worker and their tests`;
        const bin = await findExecutable(
          ['redis-server'],
          ['/usr/bin/redis-server', '/usr/local/bin/redis-server'],
        );
        if (bin)
          return `${bin} (no server at ${a.host}:${a.port}: ${probe.reason}): the Redis tests start their own; for run --redis start one`;
        throw new Error(
          `no server at ${a.host}:${a.port} (${probe.reason}) and no redis-server on PATH: run --redis, worker and the Redis tests are unavailable; install: apt-get install -y redis-server`,
        );
      },
      true,
    ),
  ]);
}

// Smallest module using a v128 instruction (i32x4.splat): validates only where WebAssembly SIMD is supported.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, 65, 0, 253, 17, 11,
]);

// The project's lib settings (ES2023, no DOM) do not declare the WebAssembly namespace.
const wasmValidate = (bytes: Uint8Array): boolean =>
  (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly.validate(
    bytes,
  );

export async function runChecks(opts: { redis?: string } = {}): Promise<Check[]> {
  const required = await Promise.all([
    check('node version ≥ 20.19', () => {
      const [maj, min] = process.versions.node.split('.').map(Number);
      if (maj < 20 || (maj === 20 && min < 19)) throw new Error(`node ${process.versions.node} is too old`);
      return `node ${process.versions.node}`;
    }),
    check('time zone data (ET DST)', () => {
      const summer = wallClockToUtcMs('2025-07-29', '12:00:00', 'ET');
      const winter = wallClockToUtcMs('2025-01-15', '12:00:00', 'ET');
      if (summer !== Date.UTC(2025, 6, 29, 16) || winter !== Date.UTC(2025, 0, 15, 17))
        throw new Error('America/New_York offsets are wrong: ICU time-zone data missing?');
      return 'America/New_York: EDT −4h, EST −5h';
    }),
    check('Parquet ZSTD round trip', async () => {
      const values = Float64Array.from({ length: 1000 }, (_, i) => i * 0.5);
      const bytes = encodeParquet([{ name: 'x', type: 'float64', values }], { compression: 'zstd' });
      const back = decodeParquet(bytes).columns[0].values as Float64Array;
      if (back.length !== values.length || back.some((v, i) => v !== values[i]))
        throw new Error('values differ after round trip');
      const meta = await parquetMetadataOf(bytes);
      if (!meta.codecs.includes('ZSTD')) throw new Error(`written with ${meta.codecs.join(', ')}, not ZSTD`);
      return `parquet-wasm, codec ${meta.codecs.join(', ')}, ${bytes.length} bytes`;
    }),
    check('WebAssembly SIMD', () => {
      if (!wasmValidate(SIMD_PROBE))
        throw new Error(
          'this runtime does not support WebAssembly SIMD (the pure TypeScript kernels still work)',
        );
      return 'supported';
    }),
    check('bundled sample data', async () => {
      const dir = bundledSampleDir();
      await access(dir, constants.R_OK);
      return dir;
    }),
    check('writable temp directory', async () => {
      const d = await mkdtemp(join(tmpdir(), 'ironforge-doctor-'));
      await rm(d, { recursive: true });
      return tmpdir();
    }),
    check('memory and cores', () => {
      const gb = (x: number) => (x / 2 ** 30).toFixed(1);
      if (totalmem() < 2 * 2 ** 30) throw new Error(`only ${gb(totalmem())} GiB RAM`);
      return `${cpus().length} cores, ${gb(totalmem())} GiB RAM (${gb(freemem())} GiB free)`;
    }),
  ]);
  return [...required, ...(await optionalChecks(opts.redis))];
}

export function register(program: Command): void {
  program
    .command('doctor')
    .description('check that this environment can run ironforge')
    .option('--json', 'machine-readable output')
    .option('--redis <host:port>', 'Redis address to look for', '127.0.0.1:6379')
    .action(async (opts: { json?: boolean; redis: string }) => {
      const checks = await runChecks({ redis: opts.redis });
      // a missing optional extra is said (with what to install), not a failure of this machine
      const ok = checks.every((c) => c.ok || c.optional);
      if (opts.json) printJson({ ok, checks });
      else
        say(
          formatTable(
            ['check', 'result', 'detail'],
            checks.map((c) => [
              c.name,
              c.ok ? 'ok' : c.optional ? 'missing' : 'FAIL',
              escapeControl(c.detail),
            ]),
          ),
        );
      if (!ok) process.exitCode = EXIT.FAILED;
    });
}
