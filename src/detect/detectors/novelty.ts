// Novelty gate shared by the new-exception and new-log-pattern detectors: something never seen
// before is signalled once it recurs (`recurMinCount` times within `recurWindowMs`), so a rare
// transient in steady traffic, even right after a harmless deploy, stays quiet. Whether a change of
// its service lined up is kept: the incident engine opens incidents only for release-linked ones.
import type { DetectorContext } from '../detector.js';

export interface NoveltyCandidate<E> {
  event: E;
  firstMs: number;
  count: number;
  releaseLinked: boolean;
}

export interface NoveltyState<E> {
  candidates: Record<string, NoveltyCandidate<E>>;
}

export interface NoveltyVerdict<E> {
  key: string;
  event: E;
  /** Occurrences counted since it was first seen. */
  count: number;
  /** True when a change of its service lined up with its first sighting. */
  releaseLinked: boolean;
}

/**
 * Feeds one bucket: `fresh` are the first sightings (after warm-up), `countOf` the bucket's
 * occurrences per key. Returns the novelties to signal now; keeps the rest as candidates.
 */
export function gateNovelty<E extends { service: string; timeMs: number }>(
  ctx: DetectorContext,
  state: NoveltyState<E>,
  fresh: ReadonlyArray<{ key: string; event: E }>,
  countOf: (key: string) => number,
): Array<NoveltyVerdict<E>> {
  const c = ctx.config.logs;
  const out: Array<NoveltyVerdict<E>> = [];
  const freshKeys = new Set<string>();
  for (const { key, event } of fresh) {
    freshKeys.add(key);
    const n = Math.max(1, countOf(key));
    const releaseLinked = ctx.changedRecently(event.service, event.timeMs);
    if (n >= c.recurMinCount) out.push({ key, event, count: n, releaseLinked });
    else state.candidates[key] = { event, firstMs: event.timeMs, count: n, releaseLinked };
  }
  for (const key of Object.keys(state.candidates)) {
    const candidate = state.candidates[key];
    if (!candidate || freshKeys.has(key)) continue;
    candidate.count += countOf(key);
    if (candidate.count >= c.recurMinCount) {
      out.push({ key, event: candidate.event, count: candidate.count, releaseLinked: candidate.releaseLinked });
      delete state.candidates[key];
    } else if (ctx.nowMs - candidate.firstMs > c.recurWindowMs) delete state.candidates[key];
  }
  return out;
}
