/**
 * Task heads sidecar: `<weights>.heads.json` beside a weights file. The weights format (weights.ts) holds the
 * encoder's tensors only and checks them against the config's tensor plan, so the next-kind head and the
 * causal-feature scaler the encoder was trained with live here, as JSON:
 * {format: 'ironforge-tgat-heads', version: 1, weightsFile, seed, hidden, features: {columns, mean, sd},
 *  kindHead: {classes: [kind names], W: hidden × classes row-major, b}}.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

const FORMAT = 'ironforge-tgat-heads';
const VERSION = 1;

export interface TgatHeads {
  format: typeof FORMAT;
  version: typeof VERSION;
  weightsFile: string;
  seed: number | null;
  hidden: number;
  features: { columns: string[]; mean: number[]; sd: number[] };
  kindHead: { classes: string[]; W: number[]; b: number[] };
}

/** The sidecar path of a weights file. */
export function headsPath(weightsPath: string): string {
  return `${weightsPath}.heads.json`;
}

export function makeHeads(
  weightsPath: string,
  h: Omit<TgatHeads, 'format' | 'version' | 'weightsFile'>,
): TgatHeads {
  return { format: FORMAT, version: VERSION, weightsFile: basename(weightsPath), ...h };
}

/** Write atomically (temp file + rename). */
export function saveHeads(path: string, h: TgatHeads): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(h));
  renameSync(tmp, path);
}

/** Parse and check a heads sidecar; `hidden` (the encoder's width) must match when given. Errors name `source`. */
export function decodeHeads(text: string, source: string, hidden?: number): TgatHeads {
  let h: TgatHeads;
  try {
    h = JSON.parse(text) as TgatHeads;
  } catch (e) {
    throw new Error(`${source}: not valid JSON (${(e as Error).message})`, { cause: e });
  }
  if (h === null || typeof h !== 'object') throw new Error(`${source}: expected a JSON object`);
  if (h.format !== FORMAT)
    throw new Error(`${source}: format is '${String(h.format)}', expected '${FORMAT}'`);
  if (h.version !== VERSION)
    throw new Error(`${source}: version ${String(h.version)} is not supported (expected ${VERSION})`);
  if (!Number.isInteger(h.hidden) || h.hidden < 1)
    throw new Error(`${source}: hidden is ${String(h.hidden)}`);
  if (hidden !== undefined && h.hidden !== hidden)
    throw new Error(`${source}: head width ${h.hidden} does not match the encoder's hidden ${hidden}`);
  const k = h.kindHead;
  if (!k || !Array.isArray(k.classes) || !Array.isArray(k.W) || !Array.isArray(k.b))
    throw new Error(`${source}: kindHead {classes, W, b} is missing`);
  if (k.W.length !== h.hidden * k.classes.length || k.b.length !== k.classes.length)
    throw new Error(
      `${source}: kindHead shape: W has ${k.W.length} values and b ${k.b.length}, expected ${h.hidden}×${k.classes.length} and ${k.classes.length}`,
    );
  const f = h.features;
  if (
    !f ||
    !Array.isArray(f.columns) ||
    f.mean?.length !== f.columns.length ||
    f.sd?.length !== f.columns.length
  )
    throw new Error(`${source}: features {columns, mean, sd} are missing or of different lengths`);
  return h;
}

export function loadHeads(path: string, hidden?: number): TgatHeads {
  return decodeHeads(readFileSync(path, 'utf8'), path, hidden);
}
