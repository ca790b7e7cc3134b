// Ports that answer with complete records — every optional field set, every list non-empty — so a
// test that calls each route sees every field an answer can carry (answers.int.test.ts).
import type { DeploymentRecord } from '../../release/index.js';
import { changeOf, signalOf } from '../../incidents/testing/scenarios.js';
import type { IncidentRecord, TimelineEntry } from '../../model/index.js';
import type { Review } from '../../reviews/index.js';
import type { ApiDeps, ReleasePort, SloView } from '../ports.js';
import type { RuleView, SilenceView, StakeholderUpdateView } from '../assurance-ports.js';

export const T0 = Date.UTC(2026, 10, 2, 14, 0, 0);
export const traceId = '0af7651916cd43dd8448eb211c80319c';

const deploy = { ...changeOf({ service: 'payment', timeMs: T0 - 60_000, version: 'v2.3', description: 'batch size 500' }), previousVersion: 'v2.2', commit: 'abc', environment: 'production', attributes: { team: 'pay' } };
const firing = signalOf('error-rate', { service: 'payment', route: 'POST /pay', version: 'v2.3', metric: 'm', peer: 'db', patternId: 'p1', pattern: 'payment failed <*>', fingerprint: 'f1' }, T0, { observed: 0.2, baseline: 0.001, score: 0.9 });
const recovered = { ...signalOf('latency', { service: 'payment' }, T0 + 1_000, { unit: 'ms', observed: Number.NaN }), status: 'recovered' as const, endedAtMs: T0 + 600_000 };

export const incidentRecord: IncidentRecord = {
  id: '7',
  title: 'Errors in payment after the v2.3 deploy',
  status: 'resolved',
  severity: 'high',
  severityReason: '20% of checkout requests failing',
  services: ['payment'],
  startedAtMs: T0,
  detectedAtMs: T0 + 30_000,
  acknowledgedAtMs: T0 + 60_000,
  mitigatedAtMs: T0 + 120_000,
  resolvedAtMs: T0 + 900_000,
  rootCauses: [{ service: 'payment', kind: 'bad-deploy', score: 0.92, explanation: 'v2.3 errs', evidence: ['a'], nextSteps: ['roll back'] }],
  impact: { entryRequests: 1000, entryFailed: 200, entrySlow: 10, affectedUsers: 40, totalUsers: 300, journeysHit: ['checkout'], durationMs: 900_000, entryServices: ['frontend'], usualFailedRatio: 0.001 },
  context: {
    assembledAtMs: T0 + 30_000,
    onsetMs: T0,
    before: { fromMs: T0 - 600_000, toMs: T0 },
    after: { fromMs: T0, toMs: T0 + 30_000 },
    affectedEndpoints: [],
    errorGroups: [],
    exampleTraces: [],
    logs: [],
    changes: [deploy],
    affectedUsers: { count: 40, total: 300, percent: 13.3, sample: ['u1'] },
    entry: { services: ['frontend'], requests: 1000, failed: 200, slow: 10, slowThresholdMs: 1000 },
    runbook: 'https://runbooks/payment',
    links: { traces: ['/api/v1/spans?service=payment'], logs: [], metrics: [] },
  },
  changes: [deploy],
  signals: [firing, recovered],
  similarIncidents: [{ incidentId: '3', similarity: 0.8, title: 'Payment errors', resolution: 'rolled back', openActionItems: ['Add a canary'] }],
  runbook: 'https://runbooks/payment',
  signature: { services: ['payment'], signalKinds: ['error-rate', 'latency'], fingerprints: ['f1'], templates: ['t1'], rootCause: 'payment:bad-deploy', rootCauseKind: 'bad-deploy' },
  resolution: { text: 'rolled back payment to v2.2', actor: 'ana', atMs: T0 + 900_000 },
};
const timeline: TimelineEntry[] = [
  { atMs: T0 + 30_000, kind: 'state', text: 'Opened' },
  { atMs: T0 + 900_000, kind: 'state', text: 'Resolved by ana', actor: 'ana', data: { status: 'resolved' } },
];

const item = { id: 'a1', incidentId: '7', title: 'Alert on pool saturation', status: 'open' as const, owner: 'ana', due: '2026-12-24T23:59:59.999Z', overdue: false, createdAt: '2026-11-02T15:00:00.000Z', doneAt: '2026-11-03T15:00:00.000Z' };
const review = {
  incidentId: '7',
  metrics: { timeToDetectSeconds: 30, timeToAcknowledgeSeconds: 30, timeToIdentifySeconds: 10, timeToMitigateSeconds: 120, timeToResolveSeconds: 900 },
  repeatOf: { incidentId: '3', title: 'Payment errors', similarity: 0.8, resolvedAtMs: T0 - 86_400_000 },
  customerReportedFirst: true,
  actionItems: [item],
  resurfacedActionItems: [{ ...item, fromIncidentTitle: 'Payment errors' }],
  kpis: [],
  editedSections: ['lessons'],
  document: { title: 'Review of incident 7', subtitle: 'payment', sections: [] },
} as unknown as Review;

const slo: SloView = {
  name: 'checkout-availability',
  service: 'payment',
  route: 'POST /pay',
  objective: 'latency',
  target: 0.999,
  thresholdMs: 300,
  window: '30d',
  attainment: 0.9981234567,
  errorBudgetRemaining: -0.88123,
  burnRates: { '5m': 14.41234, '30m': 10, '1h': 12.1, '6h': 3, '3d': 1 },
  budgetExhaustedInMs: null,
  forecast: 'exhausted',
  alerts: [{ severity: 'page', longWindow: '1h', shortWindow: '5m', threshold: 14.4, longBurn: 15.12345, shortBurn: 20.5 }],
  status: 'breaching',
  requests: { good: 999, total: 1000 },
  source: 'api',
  version: 2,
};
const silence: SilenceView = { id: 's1', service: 'payment', kind: 'error-rate', startsAtMs: T0, endsAtMs: T0 + 3_600_000, expiredAtMs: T0 + 60_000, state: 'expired', comment: 'maintenance', createdBy: 'ana', createdAtMs: T0 };
const rule: RuleView = {
  name: 'pay-errors',
  service: 'payment',
  route: 'POST /pay',
  red: 'errorRate',
  kind: 'threshold',
  above: 0.05,
  below: 0,
  sensitivity: 4,
  direction: 'both',
  window: '5m',
  for: '0s',
  description: 'too many payment errors',
  source: 'api',
  status: { name: 'pay-errors', service: 'payment', state: 'firing', value: 0.2, baseline: 0.01, score: 6, since: T0 },
};
const update: StakeholderUpdateView = { id: 'u1', incidentId: '7', status: 'posted', incidentStatus: 'acknowledged', text: 'We are rolling back.', createdAtMs: T0, postedAtMs: T0 + 1, editedBy: 'ana', postedBy: 'ana' };
const confidence = { service: 'payment', level: 'low' as const, score: 40, reasons: ['an open incident'], factors: [{ factor: 'incident', points: -60, detail: 'incident 7' }] };
const evidence = { signal: 'error-rate' as const, route: 'POST /pay', baseline: 0.001, candidate: 0.2, change: 199, confidence: 0.99, unit: 'ratio' as const, failing: true, summary: 'errors up' };
const judgement = { verdict: 'pass' as const, score: 88, reasons: ['no test fails'], evidence: [evidence], canaryRequests: 500, baselineRequests: 5000, routes: [{ route: 'POST /pay', verdict: 'pass' as const, score: 88, canaryRequests: 50, baselineRequests: 500, reasons: ['no test fails'] }], worstRoute: 'POST /pay' };
const deployment = {
  deployment: { id: 'd1', service: 'payment', version: 'v2.3', previousVersion: 'v2.2', timeMs: T0 - 60_000 },
  windowEndMs: T0 + 1_800_000,
  verdict: { status: 'fail', decidedAtMs: T0, summary: 'errors up', evidence: [evidence] },
  mode: 'canary',
  findings: [],
  totals: { candidateRequests: 500, candidateErrors: 100, baselineRequests: 5000, baselineErrors: 5 },
} as unknown as DeploymentRecord;
const run = { id: 'r1', action: 'rollback-payment', kind: 'rollback' as const, service: 'payment', deploymentId: 'd1', incidentId: '7', trigger: 'approval' as const, actor: 'ana', startedAtMs: T0, attempts: 1, outcome: 'succeeded' as const, lastResult: '200', verification: 'recovered' as const };

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
            ? { record: incidentRecord, timeline, tickets: [{ id: 'T-1', source: 'api', title: 'cannot pay', time: '2026-11-02T14:00:00.000Z', service: 'payment', customer: 'acme', reasons: ['service'], beforeDetection: true }], resurfacedActionItems: [{ ...item, fromIncidentTitle: 'Payment errors', similarity: 0.8 }] }
            : undefined,
        ),
      transition: () => Promise.resolve(),
      note: () => Promise.resolve(),
    },
    selfMetrics: { apiAnswered: () => undefined, render: () => Promise.resolve({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body: 'vigil_up 1\n' }) },
    checks: {
      list: () => [{ name: 'checkout', kind: 'http', service: 'payment', critical: true, smoke: true, everyMs: 10_000, status: 'failing', lastRun: { atMs: T0, ok: false, durationMs: 120, error: 'status 500', traceId } }],
      has: () => true,
      runs: () => Promise.resolve([{ atMs: T0, ok: false, durationMs: 120.4, error: 'status 500', traceId, steps: [{ name: 'pay', ok: false }], details: { status: 500 } }]),
      ping: () => true,
    },
    slos: { list: () => [slo], create: () => Promise.resolve(slo), remove: () => Promise.resolve() },
    silences: { list: () => [silence], get: () => silence, create: () => Promise.resolve(silence), expire: () => Promise.resolve(silence) },
    rules: { list: () => [rule], create: () => Promise.resolve(rule), remove: () => Promise.resolve() },
    confidence: { services: () => Promise.resolve([confidence]) },
    statusPage: {
      page: () => Promise.resolve({ title: 'Acme status', overall: 'outage', components: [{ name: 'Checkout', status: 'outage' }], incidents: [{ id: '7', title: 'Checkout is failing', status: 'resolved', impact: 'outage', components: ['Checkout'], startedAtMs: T0, resolvedAtMs: T0 + 900_000, updates: [{ atMs: T0, status: 'acknowledged', text: 'We are on it.' }] }] }),
      nowMs: () => T0,
      updates: () => Promise.resolve([update]),
      saveUpdate: () => Promise.resolve(update),
    },
    followUp: {
      review: () => Promise.resolve(review),
      editReview: () => Promise.resolve(review),
      addActionItem: () => Promise.resolve(item),
      setActionItemStatus: () => Promise.resolve(item),
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
          repeats: [{ incidentId: '7', title: 'Errors in payment', repeatOf: { incidentId: '3', title: 'Payment errors', similarity: 0.8, resolvedAtMs: T0 - 86_400_000 } }],
          actionItems: { total: 1, done: 0, open: 1, overdue: 0, completionRate: 0 },
          customerReportedFirst: 1,
          slos: [{ name: 'checkout-availability', service: 'payment', target: 0.999, attainment: 0.998, met: false }],
          targets: { mttd: { target: 60, met: true }, mtti: { target: 60, met: true }, mttr: { target: 3600, met: true }, repeatRate: { target: 0.1, met: false }, actionItemCompletion: { target: 0.8, met: null } },
        }),
      recordTicket: () => Promise.resolve({ id: 'T-1', source: 'api', time: '2026-11-02T14:00:00.000Z', incidents: [{ incidentId: '7', score: 0.8, reasons: ['service payment'] }] }),
    },
    release: {
      record: (id) => (id === 'd1' ? deployment : undefined),
      report: () => '# Release report',
      judge: () => Promise.resolve(judgement),
      remediations: () => Promise.resolve({ actions: [{ name: 'rollback-payment', service: 'payment', kind: 'rollback', auto: false, besideRootCause: { service: 'payment', kind: 'bad-deploy', score: 0.92 } }], runs: [run] } as unknown as Awaited<ReturnType<ReleasePort['remediations']>>),
      runRemediation: () => Promise.resolve(run),
      confidenceOf: () => Promise.resolve(confidence),
    },
    serviceMap: {
      nodes: () => [{ name: 'frontend', kind: 'service', versions: ['1.0.0'] }, { name: 'pay', kind: 'database', versions: [] }],
      edges: () => [{ caller: 'frontend', callee: 'pay', calls: 10, errors: 1, p95Ms: 12, lastSeenMs: T0 }] as ReturnType<NonNullable<ApiDeps['serviceMap']>['edges']>,
      serviceStats: (s) => (s === 'frontend' ? { requests: 10, errors: 0, errorRate: 0, p95Ms: 20 } : { requests: 0, errors: 0, errorRate: Number.NaN, p95Ms: Number.NaN }),
      isEntry: (s) => s === 'frontend',
    },
    status: () => ({ reasons: ['the ingest queue is 90% full'], ingestQueue: { queuedRows: 9 } }),
  };
}
