/**
 * CLI driver for the stage-7 command tests (similar, score, validate), run as a child process:
 *   node --import tsx test/helpers/stage7-cli.ts <plain|inject> <command> [args…]
 * `plain` registers the commands as shipped; `inject` wires a seeded stand-in encoder (seed 5) and the stub
 * triplet miner. Exit codes follow src/cli/main.ts: 0 ok, 1 failure, 2 usage.
 */
import { Command, CommanderError } from 'commander';
import { UsageError } from '../../src/core/index.js';
import { makeScoreCommand } from '../../src/cli/commands/score.js';
import { makeSimilarCommand } from '../../src/cli/commands/similar.js';
import { makeValidateCommand } from '../../src/cli/commands/validate.js';
import { seededSessionEmbeddings } from './stage7-embeddings.js';
import { tripletMiner } from './stage7-stub-miner.js';

const [mode, ...args] = process.argv.slice(2);
// On the sample, RD3 and EX3 come out PROMOTE against the kind-shuffle null and AN_AN_EX does not.
const MOTIFS = { RD3: [5, 5, 5], EX3: [0, 0, 0], AN_AN_EX: [6, 6, 0] } as const;
const miner = tripletMiner(
  Object.fromEntries(Object.entries(MOTIFS).map(([k, v]) => [k, [...v]])) as Record<
    string,
    (0 | 1 | 2 | 3 | 4 | 5 | 6)[]
  >,
  199,
);
const encode = (ss: Parameters<typeof seededSessionEmbeddings>[0]) => seededSessionEmbeddings(ss, 5);

const program = new Command().exitOverride();
if (mode === 'inject') {
  makeSimilarCommand({ encode })(program);
  makeScoreCommand({
    encode,
    motifs: async (sessions, { seed }) => {
      const r = await miner(sessions, { seed });
      return {
        promotedIds: r.motifs.filter((m) => m.class === 'PROMOTE').map((m) => m.id),
        hits: r.hits ?? [],
      };
    },
  })(program);
  makeValidateCommand({ mine: miner })(program);
} else {
  makeSimilarCommand()(program);
  makeScoreCommand()(program);
  makeValidateCommand()(program);
}
try {
  await program.parseAsync(['node', 'ironforge', ...args]);
} catch (err) {
  if (err instanceof CommanderError) process.exitCode = err.exitCode === 0 ? 0 : 2;
  else if (err instanceof UsageError) {
    process.stderr.write(`ironforge: ${err.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`ironforge: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
