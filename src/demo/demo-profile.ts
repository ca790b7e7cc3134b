// The demo's detection profile, written as vigil.yaml into the demo's data directory. The engine's
// defaults suit production (a series is judged after 10 minutes, baselines are trusted after an
// hour); a newcomer should see the seed fault caught within minutes of `vigil demo`, so the demo's
// Vigil judges after 90 s of traffic and trusts its baselines after 4 minutes.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { DetectionConfigInput } from '../detect/index.js';

/**
 * Only what differs from the defaults. Cold baselines stay guarded the usual way (stricter alpha
 * and larger effect sizes until `warmupMs`), just over minutes instead of an hour.
 */
export const demoDetectionProfile: DetectionConfigInput = {
  minHistoryMs: 90_000,
  // The volume gate's "active in 30 buckets" (5 minutes) is the production rule for telling steady
  // traffic from a one-off burst; the demo's routes are busy from the first second, so 90 s of
  // active buckets (as its history rule) is enough there.
  minActiveBuckets: 9,
  warmupMs: 4 * 60_000,
  // Rate baselines (requests, log patterns) start from zero and close the gap by half per
  // half-life: at the production 15 min they would still read a fraction of the true rate when
  // judging starts, and every log pattern would look like a spike. The demo's day also lasts an
  // hour, so its rates follow a compressed cycle that a 2-minute half-life tracks.
  rateHalfLifeMs: 2 * 60_000,
  // The seasonal profile learns 15-minute slots of a 24-hour day; the demo's days are an hour long.
  seasonalWeight: 0,
  logs: { warmupMs: 2 * 60_000 },
};

const HEADER = `# Written by \`vigil demo\`: the demo detection profile. Production defaults wait 10 minutes before
# judging a series and an hour before trusting a baseline; the demo judges after 90 s, trusts its
# baselines after 4 minutes and lets rates follow its one-hour days, so the seed fault is caught
# within minutes of starting. Edit to experiment (\`vigil demo --data\` this directory again keeps
# your edits); delete it to get the profile back. Every key of vigil.yaml is accepted here.
`;

/** Writes DIR/vigil.yaml with the demo profile unless one is there already; returns its path. */
export function ensureDemoConfig(dataDir: string): { path: string; written: boolean } {
  const path = join(dataDir, 'vigil.yaml');
  if (existsSync(path)) return { path, written: false };
  writeFileSync(path, HEADER + stringify({ detect: demoDetectionProfile }));
  return { path, written: true };
}
