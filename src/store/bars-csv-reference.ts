/**
 * The reference CSV bar reader: the whole file as one string, split into lines, each row parsed as text
 * (bar-columns.ts). This was the reader until the streaming byte reader (bars-csv.ts) replaced it; it is kept as
 * the oracle the streaming reader is tested against (test/store-bars-csv.test.ts) and as the peer
 * `npm run bench -- detect` measures it against. Not used on any production path.
 */
import { allocBars, type Bars, ProblemList, ZoneClock } from '../detect/index.js';
import { csvLayout, isBlank, parseCsvRowText } from './bar-columns.js';

/**
 * Parses CSV text into (unvalidated) bars. Throws naming the row for missing columns, wrong field counts, and
 * values that are not numbers or times.
 */
export function parseBarsCsvReference(
  text: string,
  opts: { tz?: string; source?: string; maxProblems?: number } = {},
): { bars: Bars; missingVolume: boolean } {
  const source = opts.source ?? '<csv>';
  const zone = new ZoneClock(opts.tz ?? 'America/New_York');
  const lines = text.split(/\r?\n/);
  let h = 0;
  while (h < lines.length && lines[h].trim() === '') h++;
  if (h >= lines.length) throw new Error(`${source}: empty file (no header line)`);
  const layout = csvLayout(lines[h].replace(/^\uFEFF/, ''), source, zone);
  let count = 0;
  for (let i = h + 1; i < lines.length; i++) if (!isBlank(lines[i])) count++;
  const bars = allocBars(count);
  const problems = new ProblemList(opts.maxProblems ?? 20);
  let k = 0;
  for (let i = h + 1; i < lines.length; i++) {
    if (isBlank(lines[i])) continue;
    parseCsvRowText(lines[i], i + 1, k + 1, k, layout, bars, problems);
    k++;
  }
  problems.throwIfAny(source);
  return { bars, missingVolume: layout.missingVolume };
}
