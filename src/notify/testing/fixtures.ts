// Seeded incident fixtures for notification tests: the seed case of issue 5 (a payment-service
// deploy exhausts its database pool) with root causes and context, varied by a seed.
import type { IncidentSummary, RootCause } from '../../model/index.js';
import { seededRandom } from '../backoff.js';
import { buildIncidentMessage, type ContextHighlights, type NotificationEvent, type IncidentMessage } from '../message.js';

export const fixtureStartMs = Date.UTC(2026, 0, 15, 9, 0, 0);

export function fixtureIncident(seed = 1, overrides: Partial<IncidentSummary> = {}): IncidentSummary {
  const rnd = seededRandom(seed);
  const id = `inc-${seed}-${Math.floor(rnd() * 1e6).toString(36)}`;
  return {
    id,
    title: 'payment-service errors 15% after deploy v2.4.1',
    status: 'triggered',
    severity: 'high',
    severityReason: `${(12 + rnd() * 6).toFixed(1)}% of checkout requests fail for ${300 + Math.floor(rnd() * 200)} users`,
    services: ['payment-service', 'checkout', 'frontend'],
    startedAtMs: fixtureStartMs,
    detectedAtMs: fixtureStartMs + 70_000,
    ...overrides,
  };
}

export function fixtureRootCauses(): RootCause[] {
  return [
    {
      service: 'payment-db',
      kind: 'saturation',
      score: 0.62,
      explanation: 'connection pool of payment-service at 100% (baseline 35%)',
      evidence: ['pool.usage 1.0'],
      nextSteps: ['raise the pool size'],
    },
    {
      service: 'payment-service',
      kind: 'bad-deploy',
      score: 0.91,
      explanation: 'v2.4.1 deployed 2 min before onset raised batch size 50 → 500',
      evidence: ['deploy v2.4.1'],
      nextSteps: ['roll back to v2.4.0'],
    },
  ];
}

export function fixtureContext(): ContextHighlights {
  return {
    affectedUsers: { count: 412, percent: 7.3 },
    endpoints: [{ service: 'payment-service', route: 'POST /payments', summary: 'errors 0.1% → 15%' }],
    errorGroups: [
      { message: 'connection timeout acquiring pool connection', count: 1840, service: 'payment-service' },
      { message: 'upstream 503 from payment-service', count: 920, service: 'checkout' },
    ],
    exampleTraces: [
      { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', label: 'failing' },
      { traceId: '00f067aa0ba902b700f067aa0ba902b7', label: 'healthy' },
    ],
    changes: [{ service: 'payment-service', kind: 'deploy', version: 'v2.4.1', description: 'batch size 50 → 500', atMs: fixtureStartMs - 120_000 }],
    runbookUrl: 'https://runbooks.example.com/payment-service/pool',
    similarIncidents: [],
  };
}

export function fixtureMessage(event: NotificationEvent = 'opened', seq = 1, seed = 1, actor?: string): IncidentMessage {
  return buildIncidentMessage({
    event,
    seq,
    atMs: fixtureStartMs + 70_000 + seq * 1000,
    incident: fixtureIncident(seed, event === 'resolved' ? { status: 'resolved', resolvedAtMs: fixtureStartMs + 3_600_000 } : {}),
    rootCauses: fixtureRootCauses(),
    context: fixtureContext(),
    baseUrl: 'https://vigil.example.com',
    ...(actor ? { actor } : {}),
  });
}
