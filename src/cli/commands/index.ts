/** Every CLI command, in the order `ironforge --help` lists them. Add a command by adding its register here. */
import type { Command } from 'commander';
import { register as ablate } from './ablate.js';
import { register as buildGraph } from './build-graph.js';
import { register as canary } from './canary.js';
import { register as discover } from './discover.js';
import { register as doctor } from './doctor.js';
import { register as evaluate } from './evaluate.js';
import { register as ingest } from './ingest.js';
import { register as ingestBars } from './ingest-bars.js';
import { register as motifs } from './motifs.js';
import { register as prepShards } from './prep-shards.js';
import { register as run } from './run.js';
import { makeScoreCommand } from './score.js';
import { makeSimilarCommand } from './similar.js';
import { register as status } from './status.js';
import { register as train } from './train.js';
import { register as worker } from './worker.js';
import { registerTuneCommand } from './tune.js';
import { register as validate } from './validate.js';
import { discoverSessions } from '../../discover/index.js';

export type RegisterCommand = (program: Command) => void;

/** Embeddings for `similar` / `score` when no run directory is given: seeded TGAT, default kernel. */
const encode = (sessions: readonly import('../../session/types.js').Session[]) =>
  discoverSessions(sessions).map((d) => d.embeddings);

export const COMMANDS: RegisterCommand[] = [
  run,
  ingest,
  ingestBars,
  prepShards,
  buildGraph,
  discover,
  motifs,
  makeSimilarCommand({ encode }),
  makeScoreCommand({ encode }),
  validate,
  evaluate,
  ablate,
  train,
  canary,
  registerTuneCommand,
  worker,
  status,
  doctor,
];
