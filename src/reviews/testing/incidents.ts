// Hand-made incidents for the review, recurrence and report tests.
import type { IncidentSignature, TimelineEntry } from '../../model/index.js';
import type { ActionItem, IncidentFacts } from '../types.js';

/** 2026-11-02T09:00:00Z */
export const T0 = 1_793_610_000_000;
export const MIN = 60_000;
export const DAY = 86_400_000;

export function signature(over: Partial<IncidentSignature> = {}): IncidentSignature {
  return {
    services: ['checkout', 'payment'],
    signalKinds: ['error-rate'],
    fingerprints: [],
    templates: [],
    rootCause: 'payment:bad-deploy',
    rootCauseKind: 'bad-deploy',
    ...over,
  };
}

export function incident(over: Partial<IncidentFacts> & { id: string }): IncidentFacts {
  return {
    title: `incident ${over.id}`,
    status: 'resolved',
    severity: 'high',
    services: ['checkout', 'payment'],
    startedAtMs: T0,
    detectedAtMs: T0 + MIN,
    resolvedAtMs: T0 + 20 * MIN,
    rootCauses: [
      {
        service: 'payment',
        kind: 'bad-deploy',
        score: 0.9,
        explanation: 'payment 2.3.0 deployed 1 min before errors rose',
        evidence: ['errors only on 2.3.0'],
      },
    ],
    changes: [{ service: 'payment', kind: 'deploy', version: '2.3.0', timeMs: T0 - MIN }],
    signature: signature(),
    ...over,
  };
}

export function item(over: Partial<ActionItem> & { id: string; incidentId: string }): ActionItem {
  return { title: `do ${over.id}`, status: 'open', createdAtMs: T0, ...over };
}

export function timelineOf(i: IncidentFacts, extra: TimelineEntry[] = []): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    { atMs: i.detectedAtMs, kind: 'signal', text: 'error rate of payment POST /pay 0.1% → 12%' },
    { atMs: i.detectedAtMs, kind: 'state', text: `Opened: ${i.title}`, actor: 'vigil', data: { status: 'triggered' } },
    ...extra,
  ];
  return entries.sort((a, b) => a.atMs - b.atMs);
}
