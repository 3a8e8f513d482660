import { generateBars } from './src/detect/generate.js';
import { detectEvents } from './src/detect/detect.js';
import { DEFAULT_CALENDAR, segmentSessions } from './src/detect/calendar.js';
import { ZoneClock } from './src/detect/zone.js';
import { Rng } from './src/stats/random.js';
const bars = generateBars(new Rng(1), 1_000_000);
const seg = segmentSessions(bars, DEFAULT_CALENDAR, new ZoneClock('America/New_York'));
for (let k = 0; k < 6; k++) { const t0 = performance.now(); detectEvents(bars, { sessions: seg }); console.log(performance.now() - t0); }
