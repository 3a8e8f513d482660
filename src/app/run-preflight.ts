/**
 * The checks of a run that touch the machine, done before any work (`executeRun` calls it first, the CLI
 * right after resolving the flags): bar files and `--canary` exist and read, the Redis of `--redis` answers.
 * Each failure is a UsageError in the CLI's style `<what> (<flag>: <value>)`, so a bad flag costs
 * milliseconds, not the minutes of pipeline before the step that would have tripped on it.
 */
import { access } from 'node:fs/promises';
import { constants } from 'node:fs';
import { usageError, UsageError } from '../core/index.js';
import { readCanaryJson } from '../store/index.js';
import { assertRedisReachable, parseRedisAddress, RedisUnreachableError } from '../scale/index.js';
import type { RunConfig } from './run-config.js';

/** Why `path` cannot be read, or null when it can. */
async function unreadable(path: string): Promise<string | null> {
  try {
    await access(path, constants.R_OK);
    return null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'not readable' : (code ?? 'unreadable');
  }
}

export async function preflightRunConfig(
  cfg: Pick<RunConfig, 'bars' | 'canaryFile' | 'redis'>,
  opts: { redisTimeoutMs?: number } = {},
): Promise<void> {
  for (const file of cfg.bars) {
    const why = await unreadable(file);
    if (why) throw usageError(`bar file: ${why}`, '--bars', file);
  }
  if (cfg.canaryFile) {
    try {
      await readCanaryJson(cfg.canaryFile);
    } catch (e) {
      const why = (await unreadable(cfg.canaryFile)) ?? (e as Error).message;
      throw usageError(`cannot read the canary results: ${why}`, '--canary', cfg.canaryFile);
    }
  }
  if (cfg.redis) {
    try {
      await assertRedisReachable(parseRedisAddress(cfg.redis), opts.redisTimeoutMs ?? 2000);
    } catch (e) {
      if (e instanceof RedisUnreachableError) throw new UsageError(e.message);
      throw usageError((e as Error).message, '--redis', cfg.redis);
    }
  }
}
