import { MinuteDetector } from './testing/minuteDetector.js';
import { simulateShop } from '../sim/index.js';
const MIN = 60000;
const START = Date.UTC(2026, 10, 24, 14, 0);
const faultAt = START + 32 * MIN;
const d = new MinuteDetector(START + 16 * MIN);
for (const b of simulateShop({ seed: Number(process.argv[3]), startMs: START, durationMs: 40 * MIN, rps: 6, faults: [{ name: process.argv[2]!, atMs: faultAt }] })) { d.observe(b); for (const c of b.changes) console.log('change', c.service, c.kind, c.version, c.previousVersion, (c.timeMs - faultAt) / 1000, c.description); }
for (const s of d.signals(START + 16 * MIN, START + 40 * MIN)) console.log(s.kind, JSON.stringify(s.subject), (s.startedAtMs - faultAt) / 1000, s.observed.toFixed(3), s.baseline.toFixed(3), JSON.stringify(s.change ?? {}));
