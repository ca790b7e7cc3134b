// The facts reviews and reports read, taken from the durable incident record (model/).
import type { IncidentRecord } from '../model/index.js';
import type { IncidentFacts } from './types.js';

export function factsOfRecord(r: IncidentRecord): IncidentFacts {
  const ctx = r.context;
  return {
    id: r.id,
    title: r.title,
    status: r.status,
    severity: r.severity,
    severityReason: r.severityReason,
    services: [...r.services],
    startedAtMs: r.startedAtMs,
    detectedAtMs: r.detectedAtMs,
    ...(r.acknowledgedAtMs !== undefined ? { acknowledgedAtMs: r.acknowledgedAtMs } : {}),
    ...(r.mitigatedAtMs !== undefined ? { mitigatedAtMs: r.mitigatedAtMs } : {}),
    ...(r.resolvedAtMs !== undefined ? { resolvedAtMs: r.resolvedAtMs } : {}),
    rootCauses: r.rootCauses.map((c) => ({ service: c.service, kind: c.kind, score: c.score, explanation: c.explanation, evidence: [...c.evidence] })),
    changes: r.changes.map((c) => ({
      service: c.service,
      kind: c.kind,
      ...(c.version ? { version: c.version } : {}),
      ...(c.description ? { description: c.description } : {}),
      timeMs: c.timeMs,
    })),
    ...(r.impact ? { impact: r.impact } : {}),
    ...(ctx
      ? {
          endpoints: ctx.affectedEndpoints.map((e) => ({ service: e.service, endpoint: e.endpoint, summary: e.summary })),
          errorGroups: ctx.errorGroups.map((g) => ({ service: g.service, message: g.message, count: g.count })),
          affectedUserSample: [...ctx.affectedUsers.sample],
        }
      : {}),
    signature: r.signature,
    ...(r.resolution?.text ? { resolution: r.resolution.text } : {}),
  };
}
