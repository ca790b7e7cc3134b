// Which version of each service is running, with rolling deploys: for ROLLOUT_MS after a deploy
// requests are served by a growing share of the new version, as a real rolling update does.

import type { SeededRandom } from './rng.js';

export const ROLLOUT_MS = 30_000;

interface Running {
  current: string;
  previous: string;
  rolloutStartMs: number;
}

export class VersionTracker {
  private readonly running = new Map<string, Running>();

  constructor(initial: Readonly<Record<string, string>>) {
    for (const [service, version] of Object.entries(initial)) {
      this.running.set(service, { current: version, previous: version, rolloutStartMs: -Infinity });
    }
  }

  current(service: string): string {
    return this.get(service).current;
  }

  /** The version serving one request at `timeMs` (mid-rollout, either one). */
  serving(service: string, timeMs: number, rng: SeededRandom): string {
    const r = this.get(service);
    const progress = (timeMs - r.rolloutStartMs) / ROLLOUT_MS;
    if (progress >= 1) return r.current;
    return rng.next() < progress ? r.current : r.previous;
  }

  /** Starts a rollout; returns the version it replaces. */
  deploy(service: string, version: string, timeMs: number): string {
    const r = this.get(service);
    const previous = r.current;
    this.running.set(service, { current: version, previous, rolloutStartMs: timeMs });
    return previous;
  }

  private get(service: string): Running {
    const r = this.running.get(service);
    if (!r) throw new Error(`no running version for ${service}`);
    return r;
  }
}

function bump(version: string, part: 1 | 2): string {
  const nums = version.split('.').map((p) => Number.parseInt(p, 10) || 0);
  while (nums.length < 3) nums.push(0);
  nums[part] = (nums[part] ?? 0) + 1;
  if (part === 1) nums[2] = 0;
  return nums.join('.');
}

export const nextMinor = (version: string): string => bump(version, 1);
export const nextPatch = (version: string): string => bump(version, 2);
