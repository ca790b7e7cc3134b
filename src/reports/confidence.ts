// Production confidence per service at the end of a report's range: the facts the confidence
// judge reads (src/confidence), rebuilt as they stood then from the report's own inputs: incidents
// still open at the end, changes of the hour before it, the SLOs' attainment over the range and
// what watches the service. Release verdicts are not kept per past moment, so none is used.
import { judgeConfidence, type Confidence, type ServiceFacts, type SloFact } from '../confidence/index.js';
import type { IncidentFacts } from '../reviews/index.js';
import type { SloAttainment } from './reliability.js';

export interface EndOfRangeFacts {
  /** Services known at the end (telemetry in the day before it) and whether they sent spans. */
  services: ReadonlyArray<{ service: string; traced: boolean }>;
  changes: ReadonlyArray<{ service: string; kind: string; version?: string; timeMs: number; description?: string }>;
  /** Services a synthetic check watches. */
  checkedServices: readonly string[];
}

const HOUR = 3_600_000;

function statusAt(i: IncidentFacts, atMs: number): IncidentFacts['status'] {
  if (i.resolvedAtMs !== undefined && i.resolvedAtMs <= atMs) return 'resolved';
  if (i.mitigatedAtMs !== undefined && i.mitigatedAtMs <= atMs) return 'mitigated';
  if (i.acknowledgedAtMs !== undefined && i.acknowledgedAtMs <= atMs) return 'acknowledged';
  return 'triggered';
}

function sloFact(s: SloAttainment): SloFact | undefined {
  if (s.attainment === null) return undefined;
  const budget = 1 - s.target;
  const remaining = budget > 0 ? 1 - (1 - s.attainment) / budget : 1;
  return {
    name: s.name,
    status: s.attainment >= s.target ? (remaining < 0.25 ? 'warning' : 'ok') : 'breaching',
    errorBudgetRemaining: Math.round(remaining * 1000) / 1000,
    forecast: `${(s.attainment * 100).toFixed(3)}% over the report's range`,
  };
}

/** Each known service's confidence at `atMs`, by service name. */
export function confidenceAt(atMs: number, facts: EndOfRangeFacts, history: readonly IncidentFacts[], slos: readonly SloAttainment[]): Confidence[] {
  const byService = new Map<string, ServiceFacts>();
  const of = (service: string): ServiceFacts => {
    let f = byService.get(service);
    if (!f) byService.set(service, (f = { service, slos: [], openIncidents: [], changes: [], coverage: { traces: false, checks: false } }));
    return f;
  };
  for (const s of facts.services) of(s.service).coverage.traces = s.traced;
  const open = history.filter((i) => i.startedAtMs < atMs && statusAt(i, atMs) !== 'resolved');
  // A service an incident still open at the end involves is judged even without telemetry then.
  for (const i of open)
    for (const service of i.services) of(service).openIncidents.push({ id: i.id, severity: i.severity, status: statusAt(i, atMs), title: i.title });
  for (const s of slos) {
    const f = byService.get(s.service);
    const fact = sloFact(s);
    if (f && fact) f.slos.push(fact);
  }
  for (const c of facts.changes)
    if (c.timeMs <= atMs && c.timeMs > atMs - HOUR)
      byService.get(c.service)?.changes.push({
        kind: c.kind,
        timeMs: c.timeMs,
        ...(c.version ? { version: c.version } : {}),
        ...(c.description ? { description: c.description } : {}),
      });
  for (const service of facts.checkedServices) {
    const f = byService.get(service);
    if (f) f.coverage.checks = true;
  }
  return [...byService.values()].map((f) => judgeConfidence(f, atMs)).sort((a, b) => a.score - b.score || a.service.localeCompare(b.service));
}
