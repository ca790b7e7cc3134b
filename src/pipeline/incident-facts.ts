// The compact rows a history query extracts (store/queries/incident-history.ts) as the facts the
// reliability report and ticket correlation read.
import type { RootCauseKind, Severity } from '../model/index.js';
import type { IncidentSignature } from '../model/index.js';
import type { IncidentFacts } from '../reviews/index.js';
import type { IncidentHistoryRow } from '../store/index.js';

const severities = new Set(['critical', 'high', 'medium', 'low']);
const statuses = new Set(['triggered', 'acknowledged', 'mitigated', 'resolved']);

export function factsOfHistoryRow(r: IncidentHistoryRow): IncidentFacts {
  let signature: IncidentSignature | undefined;
  try {
    signature = r.signature ? (JSON.parse(r.signature) as IncidentSignature) : undefined;
  } catch {
    signature = undefined;
  }
  const at = (ms: number): number | undefined => (ms >= 0 ? ms : undefined);
  const acknowledgedAtMs = at(r.acknowledgedAtMs);
  const mitigatedAtMs = at(r.mitigatedAtMs);
  const resolvedAtMs = at(r.resolvedAtMs);
  return {
    id: r.id,
    title: r.title,
    status: (statuses.has(r.status) ? r.status : 'triggered') as IncidentFacts['status'],
    severity: (severities.has(r.severity) ? r.severity : 'low') as Severity,
    services: r.services,
    startedAtMs: r.startedAtMs,
    detectedAtMs: at(r.detectedAtMs) ?? r.startedAtMs,
    ...(acknowledgedAtMs !== undefined ? { acknowledgedAtMs } : {}),
    ...(mitigatedAtMs !== undefined ? { mitigatedAtMs } : {}),
    ...(resolvedAtMs !== undefined ? { resolvedAtMs } : {}),
    rootCauses: r.topCauseService ? [{ service: r.topCauseService, kind: r.topCauseKind as RootCauseKind, score: 0, explanation: '', evidence: [] }] : [],
    changes: [],
    endpoints: r.endpoints.map(([service, endpoint]) => ({ service, endpoint })),
    errorGroups: r.errorMessages.map((message) => ({ service: '', message, count: 0 })),
    affectedUserSample: r.userSample,
    ...(signature ? { signature } : {}),
    ...(r.resolution ? { resolution: r.resolution } : {}),
  };
}
