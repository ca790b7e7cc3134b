// Complete records for the answers test: every optional field set, every list non-empty, so the
// routes shaping them show every field an answer can carry (answer-fixtures.ts serves them).
import type { DeploymentRecord } from '../../release/index.js';
import { changeOf, signalOf } from '../../incidents/testing/scenarios.js';
import type { IncidentRecord, TimelineEntry } from '../../model/index.js';
import type { Review } from '../../reviews/index.js';
import type { SloView } from '../ports.js';
import type { RuleView, SilenceView, StakeholderUpdateView } from '../assurance-ports.js';

export const T0 = Date.UTC(2026, 10, 2, 14, 0, 0);
export const traceId = '0af7651916cd43dd8448eb211c80319c';

export const deploy = {
  ...changeOf({ service: 'payment', timeMs: T0 - 60_000, version: 'v2.3', description: 'batch size 500' }),
  previousVersion: 'v2.2',
  commit: 'abc',
  environment: 'production',
  attributes: { team: 'pay' },
};
const firing = signalOf(
  'error-rate',
  {
    service: 'payment',
    route: 'POST /pay',
    version: 'v2.3',
    metric: 'm',
    peer: 'db',
    patternId: 'p1',
    pattern: 'payment failed <*>',
    fingerprint: 'f1',
  },
  T0,
  { observed: 0.2, baseline: 0.001, score: 0.9 },
);
const recovered = {
  ...signalOf('latency', { service: 'payment' }, T0 + 1_000, { unit: 'ms', observed: Number.NaN }),
  status: 'recovered' as const,
  endedAtMs: T0 + 600_000,
};

/** What the incident cost: every field set. */
export const incidentImpact: NonNullable<IncidentRecord['impact']> = {
  entryRequests: 1000,
  entryFailed: 200,
  entrySlow: 10,
  affectedUsers: 40,
  totalUsers: 300,
  journeysHit: ['checkout'],
  durationMs: 900_000,
  entryServices: ['frontend'],
  usualFailedRatio: 0.001,
};

/** The context assembled at detection: every field set. */
export const incidentContext: NonNullable<IncidentRecord['context']> = {
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
};

/** The resolved payment incident's own facts, which every incident view test starts from. */
export const resolvedPaymentIncident = {
  id: '7',
  title: 'Errors in payment after the v2.3 deploy',
  status: 'resolved',
  severity: 'high',
  severityReason: '20% of checkout requests failing',
  services: ['payment'],
  detectedAtMs: T0 + 30_000,
  acknowledgedAtMs: T0 + 60_000,
  resolvedAtMs: T0 + 900_000,
  rootCauses: [{ service: 'payment', kind: 'bad-deploy', score: 0.92, explanation: 'v2.3 errs', evidence: ['a'], nextSteps: ['roll back'] }],
  resolution: { text: 'rolled back payment to v2.2', actor: 'ana', atMs: T0 + 900_000 },
} satisfies Partial<IncidentRecord>;

export const incidentRecord: IncidentRecord = {
  ...resolvedPaymentIncident,
  startedAtMs: T0,
  mitigatedAtMs: T0 + 120_000,
  impact: incidentImpact,
  context: incidentContext,
  changes: [deploy],
  signals: [firing, recovered],
  similarIncidents: [
    {
      incidentId: '3',
      similarity: 0.8,
      title: 'Payment errors',
      resolution: 'rolled back',
      openActionItems: ['Add a canary'],
    },
  ],
  runbook: 'https://runbooks/payment',
  signature: {
    services: ['payment'],
    signalKinds: ['error-rate', 'latency'],
    fingerprints: ['f1'],
    templates: ['t1'],
    rootCause: 'payment:bad-deploy',
    rootCauseKind: 'bad-deploy',
  },
};
export const timeline: TimelineEntry[] = [
  { atMs: T0 + 30_000, kind: 'state', text: 'Opened' },
  { atMs: T0 + 900_000, kind: 'state', text: 'Resolved by ana', actor: 'ana', data: { status: 'resolved' } },
];

export const item = {
  id: 'a1',
  incidentId: '7',
  title: 'Alert on pool saturation',
  status: 'open' as const,
  owner: 'ana',
  due: '2026-12-24T23:59:59.999Z',
  overdue: false,
  createdAt: '2026-11-02T15:00:00.000Z',
  doneAt: '2026-11-03T15:00:00.000Z',
};
export const review = {
  incidentId: '7',
  metrics: {
    timeToDetectSeconds: 30,
    timeToAcknowledgeSeconds: 30,
    timeToIdentifySeconds: 10,
    timeToMitigateSeconds: 120,
    timeToResolveSeconds: 900,
  },
  repeatOf: { incidentId: '3', title: 'Payment errors', similarity: 0.8, resolvedAtMs: T0 - 86_400_000 },
  customerReportedFirst: true,
  actionItems: [item],
  resurfacedActionItems: [{ ...item, fromIncidentTitle: 'Payment errors' }],
  kpis: [],
  editedSections: ['lessons'],
  document: { title: 'Review of incident 7', subtitle: 'payment', sections: [] },
} as unknown as Review;

export const slo: SloView = {
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
export const silence: SilenceView = {
  id: 's1',
  service: 'payment',
  kind: 'error-rate',
  startsAtMs: T0,
  endsAtMs: T0 + 3_600_000,
  expiredAtMs: T0 + 60_000,
  state: 'expired',
  comment: 'maintenance',
  createdBy: 'ana',
  createdAtMs: T0,
};
export const rule: RuleView = {
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
export const update: StakeholderUpdateView = {
  id: 'u1',
  incidentId: '7',
  status: 'posted',
  incidentStatus: 'acknowledged',
  text: 'We are rolling back.',
  createdAtMs: T0,
  postedAtMs: T0 + 1,
  editedBy: 'ana',
  postedBy: 'ana',
};
export const confidence = {
  service: 'payment',
  level: 'low' as const,
  score: 40,
  reasons: ['an open incident'],
  factors: [{ factor: 'incident', points: -60, detail: 'incident 7' }],
};
const evidence = {
  signal: 'error-rate' as const,
  route: 'POST /pay',
  baseline: 0.001,
  candidate: 0.2,
  change: 199,
  confidence: 0.99,
  unit: 'ratio' as const,
  failing: true,
  summary: 'errors up',
};
export const judgement = {
  verdict: 'pass' as const,
  score: 88,
  reasons: ['no test fails'],
  evidence: [evidence],
  canaryRequests: 500,
  baselineRequests: 5000,
  routes: [
    {
      route: 'POST /pay',
      verdict: 'pass' as const,
      score: 88,
      canaryRequests: 50,
      baselineRequests: 500,
      reasons: ['no test fails'],
    },
  ],
  worstRoute: 'POST /pay',
};
export const deployment = {
  deployment: { id: 'd1', service: 'payment', version: 'v2.3', previousVersion: 'v2.2', timeMs: T0 - 60_000 },
  windowEndMs: T0 + 1_800_000,
  verdict: { status: 'fail', decidedAtMs: T0, summary: 'errors up', evidence: [evidence] },
  mode: 'canary',
  findings: [],
  totals: { candidateRequests: 500, candidateErrors: 100, baselineRequests: 5000, baselineErrors: 5 },
} as unknown as DeploymentRecord;
export const run = {
  id: 'r1',
  action: 'rollback-payment',
  kind: 'rollback' as const,
  service: 'payment',
  deploymentId: 'd1',
  incidentId: '7',
  trigger: 'approval' as const,
  actor: 'ana',
  startedAtMs: T0,
  attempts: 1,
  outcome: 'succeeded' as const,
  lastResult: '200',
  verification: 'recovered' as const,
};
