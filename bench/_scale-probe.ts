import { mineMotifsDetailed } from '../src/motifs/mine.js';
import { dagMotifSessions } from '../src/pipeline/motif-input.js';
import { readSessions } from '../src/session/ingest.js';
const s = dagMotifSessions((await readSessions(['/work/main/data/sample/enhanced'])).sessions);
for (const nulls of [32, 256]) {
  const r = mineMotifsDetailed(s, { nulls, bootstrap: 100, sizes: [3,4,5] });
  console.log(nulls, r.testedMotifs, r.timing.observeMs.toFixed(0), r.timing.nulls.map(x=>x.ms.toFixed(0)));
}
