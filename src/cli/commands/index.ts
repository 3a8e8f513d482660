/** Every CLI command, in the order `ironforge --help` lists them. Add a command by adding its register here. */
import type { Command } from 'commander';
import { register as buildGraph } from './build-graph.js';
import { register as doctor } from './doctor.js';
import { register as ingest } from './ingest.js';
import { register as ingestBars } from './ingest-bars.js';
import { register as prepShards } from './prep-shards.js';
import { register as status } from './status.js';

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [ingest, ingestBars, prepShards, buildGraph, status, doctor];
