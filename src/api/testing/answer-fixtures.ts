// Ports that answer with complete records — every optional field set, every list non-empty — so a
// test that calls each route sees every field an answer can carry (answers.int.test.ts).
import type { ApiDeps, ReleasePort } from '../ports.js';
import {
  confidence,
  deploy,
  deployment,
  incidentRecord,
  item,
  judgement,
  review,
  rule,
  run,
  silence,
  slo,
  T0,
  timeline,
  traceId,
  update,
} from './answer-records.js';

export { T0, traceId };

/** Every port but the store, keys and audit (the test opens those for real). */
export function answerFixtures(): Omit<ApiDeps, 'store' | 'keys' | 'audit'> {
  return {
    clock: { mode: 'event', now: () => T0 + 60_000, watermarkMs: () => T0 },
    changes: { record: (input) => Promise.resolve({ ...deploy, service: input.service, kind: input.kind }) },
    incidents: {
      list: () => Promise.resolve({ incidents: [incidentRecord], nextCursor: 'next' }),
      get: (id) =>
        Promise.resolve(
          id === '7'
            ? {
                record: incidentRecord,
                timeline,
                tickets: [
                  {
                    id: 'T-1',
                    source: 'api',
                    title: 'cannot pay',
                    time: '2026-11-02T14:00:00.000Z',
                    service: 'payment',
                    customer: 'acme',
                    reasons: ['service'],
                    beforeDetection: true,
                  },
                ],
                resurfacedActionItems: [{ ...item, fromIncidentTitle: 'Payment errors', similarity: 0.8 }],
              }
            : undefined,
        ),
      transition: () => Promise.resolve(),
      note: () => Promise.resolve(),
    },
    selfMetrics: {
      apiAnswered: () => undefined,
      render: () => Promise.resolve({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body: 'vigil_up 1\n' }),
    },
    checks: {
      list: () => [
        {
          name: 'checkout',
          kind: 'http',
          service: 'payment',
          critical: true,
          smoke: true,
          everyMs: 10_000,
          status: 'failing',
          lastRun: { atMs: T0, ok: false, durationMs: 120, error: 'status 500', traceId },
        },
      ],
      has: () => true,
      runs: () =>
        Promise.resolve([
          {
            atMs: T0,
            ok: false,
            durationMs: 120.4,
            error: 'status 500',
            traceId,
            steps: [{ name: 'pay', ok: false }],
            details: { status: 500 },
          },
        ]),
      ping: () => true,
    },
    slos: { list: () => [slo], create: () => Promise.resolve(slo), remove: () => Promise.resolve() },
    silences: {
      list: () => [silence],
      get: () => silence,
      create: () => Promise.resolve(silence),
      expire: () => Promise.resolve(silence),
    },
    rules: { list: () => [rule], create: () => Promise.resolve(rule), remove: () => Promise.resolve() },
    confidence: { services: () => Promise.resolve([confidence]) },
    statusPage: {
      page: () =>
        Promise.resolve({
          title: 'Acme status',
          overall: 'outage',
          components: [{ name: 'Checkout', status: 'outage' }],
          incidents: [
            {
              id: '7',
              title: 'Checkout is failing',
              status: 'resolved',
              impact: 'outage',
              components: ['Checkout'],
              startedAtMs: T0,
              resolvedAtMs: T0 + 900_000,
              updates: [{ atMs: T0, status: 'acknowledged', text: 'We are on it.' }],
            },
          ],
        }),
      nowMs: () => T0,
      updates: () => Promise.resolve([update]),
      saveUpdate: () => Promise.resolve(update),
    },
    followUp: {
      review: () => Promise.resolve(review),
      editReview: () => Promise.resolve(review),
      addActionItem: () => Promise.resolve(item),
      updateActionItem: () => Promise.resolve(item),
      listActionItems: () => Promise.resolve([item]),
      reliability: () =>
        Promise.resolve({
          from: T0 - 86_400_000,
          to: T0,
          incidents: 1,
          bySeverity: { critical: 0, high: 1, medium: 0, low: 0 },
          byService: [{ service: 'payment', incidents: 1, repeats: 1 }],
          mttdSeconds: 30,
          mttaSeconds: 30,
          mttiSeconds: 10,
          mttrSeconds: 900,
          resolved: 1,
          repeatRate: 1,
          repeats: [
            {
              incidentId: '7',
              title: 'Errors in payment',
              repeatOf: { incidentId: '3', title: 'Payment errors', similarity: 0.8, resolvedAtMs: T0 - 86_400_000 },
            },
          ],
          actionItems: { total: 1, done: 0, open: 1, overdue: 0, completionRate: 0 },
          customerReportedFirst: 1,
          slos: [{ name: 'checkout-availability', service: 'payment', target: 0.999, attainment: 0.998, met: false }],
          confidence: [{ service: 'payment', level: 'low', score: 40, reasons: ['an open incident'] }],
          businessKpis: {
            declared: ['orders/min'],
            events: [
              {
                kind: 'incident',
                id: '7',
                title: 'Errors in payment',
                startMs: T0 - 3_600_000,
                endMs: T0 - 2_700_000,
                kpis: [
                  {
                    kpi: 'orders/min',
                    direction: 'drop-is-bad',
                    unit: 'orders',
                    perMinute: true,
                    before: 100,
                    worst: { timeMs: T0 - 3_300_000, value: 25 },
                    after: 98,
                    worstChange: -0.75,
                  },
                ],
              },
            ],
            leftOut: 0,
          },
          targets: {
            mttd: { target: 60, met: true },
            mtti: { target: 60, met: true },
            mttr: { target: 3600, met: true },
            repeatRate: { target: 0.1, met: false },
            actionItemCompletion: { target: 0.8, met: null },
          },
        }),
      recordTicket: () =>
        Promise.resolve({
          id: 'T-1',
          source: 'api',
          time: '2026-11-02T14:00:00.000Z',
          incidents: [{ incidentId: '7', score: 0.8, reasons: ['service payment'] }],
        }),
    },
    release: {
      record: (id) => (id === 'd1' ? deployment : undefined),
      report: () => '# Release report',
      judge: () => Promise.resolve(judgement),
      remediations: () =>
        Promise.resolve({
          actions: [
            {
              name: 'rollback-payment',
              service: 'payment',
              kind: 'rollback',
              auto: false,
              besideRootCause: { service: 'payment', kind: 'bad-deploy', score: 0.92 },
            },
          ],
          runs: [run],
        } as unknown as Awaited<ReturnType<ReleasePort['remediations']>>),
      runRemediation: () => Promise.resolve(run),
      confidenceOf: () => Promise.resolve(confidence),
    },
    serviceMap: {
      nodes: () => [
        { name: 'frontend', kind: 'service', versions: ['1.0.0'] },
        { name: 'pay', kind: 'database', versions: [] },
      ],
      edges: () =>
        [{ caller: 'frontend', callee: 'pay', calls: 10, errors: 1, p95Ms: 12, lastSeenMs: T0 }] as ReturnType<NonNullable<ApiDeps['serviceMap']>['edges']>,
      serviceStats: (s) =>
        s === 'frontend' ? { requests: 10, errors: 0, errorRate: 0, p95Ms: 20 } : { requests: 0, errors: 0, errorRate: Number.NaN, p95Ms: Number.NaN },
      isEntry: (s) => s === 'frontend',
    },
    status: () => ({
      reasons: ['the ingest queue is 90% full'],
      ingestQueue: {
        flushes: 3,
        rowsWritten: 30,
        queuedRows: 9,
        queuedBytes: 900,
        walBacklogRows: 9,
        walAppends: 4,
        walSegments: 1,
        walBytes: 4096,
        insertFailures: 0,
        quarantinedInserts: 0,
        quarantinedRows: 0,
      },
    }),
  };
}
