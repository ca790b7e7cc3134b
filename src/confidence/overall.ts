// The one answer the home page leads with — "is it safe to stop watching?" — from every service's
// confidence: the weakest service decides, because one low service is reason enough to keep watching. Pure.
import type { Confidence, ConfidenceLevel } from './types.js';

export interface OverallConfidence {
  /** The lowest level of any service (low when no service is known: nothing vouches for anything). */
  level: ConfidenceLevel;
  safeToStopWatching: boolean;
  /** One plain sentence: yes, not yet or no, and which services hold it back with their first reason. */
  answer: string;
  counts: Record<ConfidenceLevel, number>;
}

const rank: Record<ConfidenceLevel, number> = { low: 0, medium: 1, high: 2 };
/** Services named in the answer; the rest are counted (the table below the answer lists them all). */
const namedAtMost = 3;

export function overallConfidence(services: readonly Confidence[]): OverallConfidence {
  const counts: Record<ConfidenceLevel, number> = { high: 0, medium: 0, low: 0 };
  for (const s of services) counts[s.level] += 1;
  if (!services.length)
    return {
      level: 'low',
      safeToStopWatching: false,
      answer: 'Not yet: no service has sent telemetry, so nothing vouches for production.',
      counts,
    };
  const level = services.reduce<ConfidenceLevel>((min, s) => (rank[s.level] < rank[min] ? s.level : min), 'high');
  if (level === 'high')
    return {
      level,
      safeToStopWatching: true,
      answer: `Yes: ${services.length === 1 ? `${services[0]!.service} is` : `all ${services.length} services are`} at high confidence.`,
      counts,
    };
  // The services holding it back, weakest first (by score within a level), each with its first reason.
  const holding = services.filter((s) => s.level === level).sort((a, b) => a.score - b.score || a.service.localeCompare(b.service));
  const named = holding
    .slice(0, namedAtMost)
    .map((s) => `${s.service} (${s.reasons[0] ?? `score ${s.score}`})`)
    .join('; ');
  const more = holding.length > namedAtMost ? ` and ${holding.length - namedAtMost} more` : '';
  return {
    level,
    safeToStopWatching: false,
    answer: `${level === 'low' ? 'No, keep watching' : 'Not yet'}: ${named}${more}.`,
    counts,
  };
}
