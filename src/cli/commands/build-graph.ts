/** `ironforge build-graph`: temporal graph (four intents) and DAG per session, with counts. */
import type { Command } from 'commander';
import { buildDag, dagInputFromSession, DAG_BUILDERS, type DagBuilderName } from '../../graph/index.js';
import { buildTemporalGraph, countByIntent } from '../../graph/index.js';
import { DEFAULT_DAG_CONFIG, EDGE_INTENTS } from '../../graph/index.js';
import { UsageError } from '../../core/index.js';
import { loadSessions, parseChoice } from '../inputs.js';
import { formatTable, printJson, say } from '../output.js';

interface Opts {
  dagBuilder: DagBuilderName;
  k: number;
  dtMin: number;
  dtMax: number;
  json?: boolean;
}

const positive = (flag: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number; got "${v}"`);
  return n;
};

export function register(program: Command): void {
  program
    .command('build-graph')
    .description('build the temporal graph and the DAG of each session and report their sizes')
    .argument('<paths...>', 'session JSON files, directories or shard directories')
    .option(
      '--dag-builder <name>',
      DAG_BUILDERS.join(' | '),
      parseChoice('--dag-builder', DAG_BUILDERS),
      'vectorized',
    )
    .option('--k <n>', 'DAG successors per node', positive('--k'), DEFAULT_DAG_CONFIG.k)
    .option(
      '--dt-min <minutes>',
      'smallest DAG gap (minutes)',
      positive('--dt-min'),
      DEFAULT_DAG_CONFIG.dtMinMs / 60_000,
    )
    .option(
      '--dt-max <minutes>',
      'largest DAG gap (minutes)',
      positive('--dt-max'),
      DEFAULT_DAG_CONFIG.dtMaxMs / 60_000,
    )
    .option('--json', 'machine-readable output')
    .action(async (paths: string[], opts: Opts) => {
      if (!Number.isInteger(opts.k)) throw new UsageError(`--k must be an integer; got ${opts.k}`);
      if (opts.dtMin >= opts.dtMax)
        throw new UsageError(`--dt-min (${opts.dtMin}) must be below --dt-max (${opts.dtMax})`);
      const cfg = { k: opts.k, dtMinMs: opts.dtMin * 60_000, dtMaxMs: opts.dtMax * 60_000 };
      const { sessions, failures } = await loadSessions(paths);
      const rows = sessions.map((s) => {
        const g = buildTemporalGraph(s);
        const dag = buildDag(dagInputFromSession(s), cfg, opts.dagBuilder);
        return {
          session: s.id,
          nodes: s.events.length,
          edges: g.src.length,
          byIntent: countByIntent(g),
          dagEdges: dag.src.length,
        };
      });
      const totals = Object.fromEntries(
        EDGE_INTENTS.map((k) => [k, rows.reduce((a, r) => a + r.byIntent[k], 0)]),
      );
      const dagTotal = rows.reduce((a, r) => a + r.dagEdges, 0);
      if (opts.json)
        printJson({
          dagBuilder: opts.dagBuilder,
          dag: cfg,
          sessions: rows,
          totals: { ...totals, dagEdges: dagTotal },
          errors: failures,
        });
      else {
        say(
          formatTable(
            ['session', 'nodes', 'edges', ...EDGE_INTENTS, 'dag'],
            rows.map((r) => [
              r.session,
              r.nodes,
              r.edges,
              ...EDGE_INTENTS.map((k) => r.byIntent[k]),
              r.dagEdges,
            ]),
          ),
        );
        say(
          `\ntotals: ${EDGE_INTENTS.map((k) => `${k} ${totals[k]}`).join(', ')}, DAG edges ${dagTotal} (${opts.dagBuilder})`,
        );
      }
      if (failures.length) process.exitCode = 1;
    });
}
