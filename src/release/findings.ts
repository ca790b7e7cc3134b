// What a deploy's verdict weighs beside the sequential tests: routes that went quiet in the new
// version (evidence, not a fail) and the detectors' and synthetics' signals about it (a new
// exception in the new version or a failed critical smoke check fails it; a new log template is evidence).
import type { Signal } from '../model/index.js';
import { pct, routeShares, type RouteComparison } from './comparison.js';
import type { Evidence, ReleaseFinding } from './types.js';

/** Routes that carry far less of the new version's traffic than of the old one's: a route that broke or moved (evidence, not a fail). */
export function quietRoutes(routes: readonly RouteComparison[]): Evidence[] {
  const candidateTotal = routes.reduce((sum, r) => sum + r.candidate.requests, 0);
  const out: Evidence[] = [];
  for (const s of routeShares(routes)) {
    const expected = s.baseline * candidateTotal;
    const seen = s.candidate * candidateTotal;
    // At least 20 requests expected and under half of them seen, by more than 3 standard deviations.
    if (s.baseline < 0.05 || expected < 20 || seen >= expected / 2 || expected - seen < 3 * Math.sqrt(expected)) continue;
    out.push({
      signal: 'throughput-share',
      route: s.route,
      baseline: s.baseline,
      candidate: s.candidate,
      change: s.baseline > 0 ? s.candidate / s.baseline - 1 : 0,
      confidence: 0.99,
      unit: 'share',
      failing: false,
      summary: `${s.route} carries ${pct(s.candidate)} of the new version's requests against ${pct(s.baseline)} of the old one's`,
    });
  }
  return out;
}

export function findingOf(s: Signal, version: string): ReleaseFinding | undefined {
  const base = { service: s.subject.service, atMs: s.detectedAtMs, sinceMs: s.startedAtMs, confidence: Math.max(0, Math.min(1, s.score)) };
  if (s.kind === 'new-exception' && s.subject.version === version) {
    return {
      ...base,
      signal: 'new-exception',
      version,
      subject: s.subject.fingerprint ?? s.key,
      failing: true,
      summary: `new exception in ${version}: ${s.summary}`,
    };
  }
  if (s.kind === 'new-log-pattern' && s.subject.version === version) {
    return {
      ...base,
      signal: 'new-log-template',
      version,
      subject: s.subject.pattern ?? s.subject.patternId ?? s.key,
      failing: false,
      summary: `new log template in ${version}: ${s.subject.pattern ?? s.summary}`,
    };
  }
  if (s.kind === 'synthetic-failure') {
    const critical = s.evidence.critical === 'yes';
    const check = String(s.evidence.check ?? s.subject.route ?? s.key);
    return {
      ...base,
      signal: 'smoke',
      subject: check,
      failing: critical,
      confidence: critical ? 1 : base.confidence,
      summary: `${critical ? 'critical ' : ''}smoke check "${check}" failed: ${String(s.evidence.reason ?? s.summary)}`,
    };
  }
  return undefined;
}
