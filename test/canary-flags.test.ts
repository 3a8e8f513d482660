import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_FLAGS,
  FLAG_ENV,
  FlagError,
  enabledCompression,
  enabledDagBuilder,
  enabledKernel,
  flagsAsExports,
  parseFlags,
} from '../src/canary/flags.js';

describe('canary flags: parsing', () => {
  test('no env → the seed report’s recommended exports, all from defaults', () => {
    const { flags, source } = parseFlags({});
    assert.deepEqual(flags, { ...DEFAULT_FLAGS });
    assert.equal(flags.blockSparse, true);
    assert.equal(flags.flashAttention, 'conditional');
    assert.equal(flags.motifVarianceAlertThreshold, 0.045);
    assert.equal(flags.amp, false);
    for (const s of Object.values(source)) assert.equal(s, 'default');
  });

  test('booleans: true/false/1/0, case and spaces ignored, empty = unset', () => {
    const { flags, source } = parseFlags({
      IRONFORGE_ENABLE_BLOCK_SPARSE: 'FALSE',
      IRONFORGE_ENABLE_TIME_BIAS_CACHE: ' 0 ',
      IRONFORGE_ENABLE_ZSTD_COMPRESSION: 'false',
      IRONFORGE_ENABLE_TOPO_GENERATIONS: '0',
      IRONFORGE_MONITOR_MOTIF_STABILITY: 'False',
      IRONFORGE_ENABLE_AMP: 'TRUE',
      IRONFORGE_ENABLE_FP16: '1',
      IRONFORGE_ENABLE_FLASH_ATTENTION: '',
    });
    assert.equal(flags.blockSparse, false);
    assert.equal(flags.timeBiasCache, false);
    assert.equal(flags.zstd, false);
    assert.equal(flags.topoGenerations, false);
    assert.equal(flags.monitorMotifStability, false);
    assert.equal(flags.amp, true);
    assert.equal(flags.fp16, true);
    assert.equal(flags.flashAttention, 'conditional');
    assert.equal(source.blockSparse, 'env');
    assert.equal(source.flashAttention, 'default');
  });

  test('every boolean flag rejects a bad value with an error naming the variable and value', () => {
    for (const key of [
      'blockSparse',
      'timeBiasCache',
      'zstd',
      'topoGenerations',
      'monitorMotifStability',
      'amp',
      'fp16',
    ] as const) {
      const name = FLAG_ENV[key];
      assert.throws(
        () => parseFlags({ [name]: 'maybe' }),
        (e: unknown) => e instanceof FlagError && e.message.includes(name) && e.message.includes("'maybe'"),
        name,
      );
    }
  });

  test('flash: true | false | conditional, anything else is an error', () => {
    assert.equal(parseFlags({ IRONFORGE_ENABLE_FLASH_ATTENTION: 'true' }).flags.flashAttention, 'true');
    assert.equal(parseFlags({ IRONFORGE_ENABLE_FLASH_ATTENTION: '0' }).flags.flashAttention, 'false');
    assert.equal(
      parseFlags({ IRONFORGE_ENABLE_FLASH_ATTENTION: 'Conditional' }).flags.flashAttention,
      'conditional',
    );
    assert.throws(
      () => parseFlags({ IRONFORGE_ENABLE_FLASH_ATTENTION: 'sometimes' }),
      /IRONFORGE_ENABLE_FLASH_ATTENTION='sometimes'.*conditional/,
    );
  });

  test('alert threshold: a number in (0, 10]', () => {
    assert.equal(
      parseFlags({ IRONFORGE_MOTIF_VARIANCE_ALERT_THRESHOLD: '0.03' }).flags.motifVarianceAlertThreshold,
      0.03,
    );
    for (const bad of ['abc', '0', '-1', '11', 'NaN']) {
      assert.throws(
        () => parseFlags({ IRONFORGE_MOTIF_VARIANCE_ALERT_THRESHOLD: bad }),
        /IRONFORGE_MOTIF_VARIANCE_ALERT_THRESHOLD/,
        bad,
      );
    }
  });

  test('IRONFORGE_DAG_BUILDER (extension) names a builder and wins over topo generations', () => {
    assert.equal(enabledDagBuilder(parseFlags({}).flags), 'topo');
    assert.equal(
      enabledDagBuilder(parseFlags({ IRONFORGE_ENABLE_TOPO_GENERATIONS: 'false' }).flags),
      'baseline',
    );
    assert.equal(
      enabledDagBuilder(
        parseFlags({ IRONFORGE_DAG_BUILDER: 'vectorized', IRONFORGE_ENABLE_TOPO_GENERATIONS: 'true' }).flags,
      ),
      'vectorized',
    );
    assert.throws(() => parseFlags({ IRONFORGE_DAG_BUILDER: 'fast' }), /IRONFORGE_DAG_BUILDER='fast'/);
  });
});

describe('canary flags: the enabled configuration', () => {
  test('defaults run time-bias-cache (the TGAT stage’s own precedence) and the measured Parquet choice', () => {
    const f = parseFlags({}).flags;
    assert.equal(enabledKernel(f, 100), 'time-bias-cache');
    assert.equal(enabledKernel(f, 1000), 'time-bias-cache');
    assert.equal(enabledCompression(f), 'auto');
  });

  test('ZSTD flag: true | false | 1 | 0 | auto, anything else names the variable, value and choices', () => {
    assert.equal(enabledCompression(parseFlags({ IRONFORGE_ENABLE_ZSTD_COMPRESSION: 'TRUE' }).flags), 'zstd');
    assert.equal(enabledCompression(parseFlags({ IRONFORGE_ENABLE_ZSTD_COMPRESSION: '0' }).flags), 'none');
    assert.equal(
      enabledCompression(parseFlags({ IRONFORGE_ENABLE_ZSTD_COMPRESSION: ' Auto ' }).flags),
      'auto',
    );
    assert.throws(
      () => parseFlags({ IRONFORGE_ENABLE_ZSTD_COMPRESSION: 'fast' }),
      (e: unknown) =>
        e instanceof FlagError &&
        /IRONFORGE_ENABLE_ZSTD_COMPRESSION='fast'.*true, false, 1, 0 or auto/.test(e.message),
    );
  });

  test('flash=conditional alone: flash below 512 events, baseline from 512 on', () => {
    const f = parseFlags({
      IRONFORGE_ENABLE_BLOCK_SPARSE: 'false',
      IRONFORGE_ENABLE_TIME_BIAS_CACHE: 'false',
    }).flags;
    assert.equal(enabledKernel(f, 511), 'flash');
    assert.equal(enabledKernel(f, 512), 'baseline');
  });

  test('AMP or FP16 select half; everything off selects baseline and no compression', () => {
    assert.equal(enabledKernel(parseFlags({ IRONFORGE_ENABLE_FP16: 'true' }).flags, 64), 'half');
    const off = parseFlags({
      IRONFORGE_ENABLE_BLOCK_SPARSE: 'false',
      IRONFORGE_ENABLE_TIME_BIAS_CACHE: 'false',
      IRONFORGE_ENABLE_FLASH_ATTENTION: 'false',
      IRONFORGE_ENABLE_ZSTD_COMPRESSION: 'false',
    }).flags;
    assert.equal(enabledKernel(off, 64), 'baseline');
    assert.equal(enabledCompression(off), 'none');
  });

  test('block sparse alone selects block-sparse', () => {
    assert.equal(
      enabledKernel(
        parseFlags({ IRONFORGE_ENABLE_TIME_BIAS_CACHE: 'false', IRONFORGE_ENABLE_FLASH_ATTENTION: 'false' })
          .flags,
        300,
      ),
      'block-sparse',
    );
  });

  test('exports round-trip through the parser', () => {
    const f = parseFlags({
      IRONFORGE_ENABLE_AMP: '1',
      IRONFORGE_ENABLE_FLASH_ATTENTION: 'false',
      IRONFORGE_DAG_BUILDER: 'sparse',
    }).flags;
    const env = Object.fromEntries(
      flagsAsExports(f).map((l) => l.replace(/^export /, '').split('=') as [string, string]),
    );
    assert.deepEqual(parseFlags(env).flags, f);
  });
});
