// Incident rows written before records were typed hold the API's JSON view of the incident (ISO
// times, trimmed signals and changes). They are read as IncidentRecords here so every stored
// incident still loads; what the view left out reads as empty (a signal's evidence, window and
// p-value, a change's commit, environment, previous version and attributes) and a change's
// source, which the view did not keep, as 'api'. The API shows such a record exactly as before.
import type {
  ChangeEvent,
  ChangeKind,
  IncidentRecord,
  IncidentStatus,
  RootCause,
  Severity,
  Signal,
  SignalKind,
  SignalStatus,
  SignalSubject,
} from '../../model/index.js';

type Json = Record<string, unknown>;

/** The view had ISO `startedAt`; a typed record has `startedAtMs`. */
export function isLegacyIncidentView(body: Json): boolean {
  return typeof body.startedAt === 'string' && body.startedAtMs === undefined;
}

const ms = (iso: unknown): number => Date.parse(String(iso));
const optionalMs = (iso: unknown): number | undefined => (typeof iso === 'string' ? Date.parse(iso) : undefined);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const array = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

export function recordFromLegacyView(body: Json): IncidentRecord {
  const acknowledgedAtMs = optionalMs(body.acknowledgedAt);
  const mitigatedAtMs = optionalMs(body.mitigatedAt);
  const resolvedAtMs = optionalMs(body.resolvedAt);
  return {
    id: String(body.id),
    title: str(body.title),
    status: body.status as IncidentStatus,
    severity: body.severity as Severity,
    severityReason: str(body.severityReason),
    services: (body.services as string[] | undefined) ?? [],
    startedAtMs: ms(body.startedAt),
    detectedAtMs: ms(body.detectedAt),
    ...(acknowledgedAtMs !== undefined ? { acknowledgedAtMs } : {}),
    ...(mitigatedAtMs !== undefined ? { mitigatedAtMs } : {}),
    ...(resolvedAtMs !== undefined ? { resolvedAtMs } : {}),
    rootCauses: (body.rootCauses as RootCause[] | undefined) ?? [],
    ...(body.impact ? { impact: body.impact as IncidentRecord['impact'] } : {}),
    ...(body.context ? { context: body.context as IncidentRecord['context'] } : {}),
    changes: array(body.changes).map(changeOf),
    signals: array(body.signals).map(signalOf),
    similarIncidents: (body.similarIncidents as IncidentRecord['similarIncidents'] | undefined) ?? [],
    ...(typeof body.runbook === 'string' ? { runbook: body.runbook } : {}),
    signature: body.signature as IncidentRecord['signature'],
  };
}

function changeOf(c: Json): ChangeEvent {
  return {
    id: str(c.id),
    service: str(c.service),
    kind: c.kind as ChangeKind,
    timeMs: ms(c.time),
    version: str(c.version),
    previousVersion: '',
    environment: '',
    commit: '',
    description: str(c.description),
    source: 'api',
    attributes: {},
  };
}

function signalOf(s: Json): Signal {
  const id = str(s.id);
  const startedAtMs = ms(s.startedAt);
  const detectedAtMs = ms(s.detectedAt);
  const endedAtMs = optionalMs(s.endedAt);
  return {
    id,
    // An occurrence's id is `${key}@${startedAtMs}`.
    key: id.includes('@') ? id.slice(0, id.lastIndexOf('@')) : id,
    kind: s.kind as SignalKind,
    status: s.status as SignalStatus,
    subject: s.subject as SignalSubject,
    startedAtMs,
    detectedAtMs,
    ...(endedAtMs !== undefined ? { endedAtMs } : {}),
    window: { fromMs: startedAtMs, toMs: endedAtMs ?? detectedAtMs },
    // As stored (null where the number was NaN), so the view shows them as it did.
    observed: s.observed as number,
    baseline: s.baseline as number,
    unit: str(s.unit),
    pValue: Number.NaN,
    score: s.score as number,
    summary: str(s.summary),
    evidence: {},
  };
}
