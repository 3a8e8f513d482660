/** Seeded stand-in embeddings for stage-7 tests: standard normal values, seeded per session id. */
import { mkdtemp } from './tmp.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSessions } from '../../src/store/sessions.js';
import type { Session } from '../../src/session/types.js';
import { Rng, deriveSeed } from '../../src/stats/random.js';
import { embeddingTableColumns, embeddingTableFromSessions } from '../../src/patterns/embeddings.js';
import { writeParquet } from '../../src/io/parquet.js';

function hashId(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** Row i = event i, width `dim`; the same session id and seed always give the same values. */
export function seededSessionEmbeddings(
  sessions: readonly Session[],
  seed: number,
  dim = 44,
): Float32Array[] {
  return sessions.map((s) => {
    const rng = new Rng(deriveSeed(seed, hashId(s.id)));
    return Float32Array.from({ length: s.events.length * dim }, () => rng.normal());
  });
}

/**
 * Writes seeded embeddings (seed 5, as the stage7-cli driver's encoder) of the sample as one embeddings Parquet
 * file (what `similar --run FILE` / `score --run FILE` read; real run directories are tested in run.test.ts).
 */
export async function writeSampleEmbeddings(sampleDir = 'data/sample/enhanced'): Promise<string> {
  const { sessions } = await readSessions([sampleDir]);
  const emb = seededSessionEmbeddings(sessions, 5);
  const dir = await mkdtemp(join(tmpdir(), 'ifg-stage7-'));
  const file = join(dir, 'embeddings.parquet');
  await writeParquet(file, embeddingTableColumns(embeddingTableFromSessions(sessions, emb, 44)));
  return file;
}
