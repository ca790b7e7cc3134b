// `vigil incidents` output for people: the table and the incident page, from API-shaped bodies.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clip, formatIncidentPage, formatIncidentTable, shortTime, type IncidentView } from './incident-page.js';

const base = 'http://127.0.0.1:8080';

const window = { fromMs: 0, toMs: 1 };
const noEntry = { services: [], requests: 0, failed: 0, slow: 0, slowThresholdMs: 1000 };
const context: NonNullable<IncidentView['context']> = {
  assembledAtMs: 1,
  onsetMs: 1,
  before: window,
  after: window,
  affectedEndpoints: [
    {
      service: 'payment-service',
      endpoint: 'POST /pay',
      before: { requests: 1000, errorRate: 0.001, p95Ms: 120 },
      after: { requests: 1204, errorRate: 0.152, p95Ms: 950 },
      summary: 'errors 0.10% → 15.2%, p95 120 → 950 ms (1,204 requests)',
    },
  ],
  errorGroups: [
    {
      service: 'payment-service',
      fingerprint: 'TimeoutError: pool timeout after <num> ms',
      exceptionType: 'TimeoutError',
      message: 'TimeoutError: pool timeout after 5000 ms',
      count: 412,
      sampleTraceId: 'abc123',
      firstSeenVersion: '1.4.2',
      firstSeenMs: 1,
    },
  ],
  exampleTraces: [
    {
      traceId: 'abc123',
      kind: 'failing',
      service: 'payment-service',
      endpoint: 'POST /pay',
      durationMs: 5012,
      startTimeMs: 1,
      label: 'failing: payment-service POST /pay 5,012 ms, pool timeout',
      url: '/api/v1/traces/abc123',
    },
  ],
  logs: [],
  changes: [],
  affectedUsers: { count: 37, total: 870, percent: 4.25, sample: [] },
  entry: noEntry,
  links: { traces: [], logs: [], metrics: [] },
};

function incident(over: Partial<IncidentView> = {}): IncidentView {
  return {
    id: '12',
    title: 'checkout errors after payment-service 1.4.2',
    status: 'acknowledged',
    severity: 'high',
    severityReason: '15% of checkout requests fail (usually 0.1%)',
    services: ['payment-service', 'checkout'],
    startedAt: '2026-12-06T04:00:05.120Z',
    detectedAt: '2026-12-06T04:01:10.000Z',
    acknowledgedAt: '2026-12-06T04:03:00.000Z',
    rootCauses: [
      {
        service: 'payment-service',
        kind: 'bad-deploy',
        score: 0.82,
        explanation: 'payment-service 1.4.2 went out 55 s before the errors began',
        evidence: ['errors 0.1% → 15.2% on POST /pay', 'pool wait p95 2 ms → 4,900 ms', 'only 1.4.2 pods fail', 'fourth', 'fifth evidence line'],
        nextSteps: ['roll back payment-service to 1.4.1'],
      },
      { service: 'payment-db', kind: 'saturation', score: 0.41, explanation: 'connections at the pool limit', evidence: ['active 50/50'], nextSteps: [] },
      { service: 'redis', kind: 'dependency-failure', score: 0.2, explanation: 'slower gets', evidence: [], nextSteps: [] },
      { service: 'email', kind: 'code-error', score: 0.05, explanation: 'the fourth cause', evidence: [], nextSteps: [] },
    ],
    impact: null,
    context,
    changes: [{ id: 'c1', service: 'payment-service', kind: 'deploy', time: '2026-12-06T04:00:00Z', version: '1.4.2', description: 'bump pool driver' }],
    signals: [],
    similarIncidents: [{ incidentId: '3', similarity: 0.9, title: 'pool exhaustion in payment-service', resolution: 'rolled back', openActionItems: [] }],
    runbook: 'https://wiki.example.com/runbooks/payment',
    signature: { services: [], signalKinds: [], fingerprints: [], templates: [], rootCause: '', rootCauseKind: '' },
    timeline: [
      { at: '2026-12-06T04:01:10Z', kind: 'signal', text: 'error rate of payment-service POST /pay 15.2% (usually 0.1%)' },
      { at: '2026-12-06T04:03:00Z', kind: 'state', text: 'acknowledged', actor: 'ann' },
    ],
    ...over,
  };
}

describe('formatIncidentPage', () => {
  it('reads top-down: title, severity and why, status, services, causes with evidence, context, timeline, links', () => {
    const page = formatIncidentPage(incident(), base);
    const order = [
      '#12  checkout errors after payment-service 1.4.2',
      '  Severity  high — 15% of checkout requests fail (usually 0.1%)',
      '  Status    acknowledged (started 2026-12-06 04:00:05Z, detected 2026-12-06 04:01:10Z, acknowledged 2026-12-06 04:03:00Z)',
      '  Services  payment-service, checkout',
      '  Users     37 affected (4.3%)',
      'Likely causes',
      '  1. payment-service — bad-deploy (score 0.82)',
      '     payment-service 1.4.2 went out 55 s before the errors began',
      '     • errors 0.1% → 15.2% on POST /pay',
      '     next: roll back payment-service to 1.4.1',
      '  2. payment-db — saturation (score 0.41)',
      'Affected endpoints',
      '  payment-service POST /pay: errors 0.10% → 15.2%, p95 120 → 950 ms (1,204 requests)',
      'Errors',
      '  412× TimeoutError: pool timeout after 5000 ms (payment-service)',
      'Changes',
      '  2026-12-06 04:00:00Z  deploy payment-service 1.4.2 — bump pool driver',
      'Example traces',
      `    ${base}/traces/abc123`,
      'Similar past incidents',
      '  #3 pool exhaustion in payment-service — fixed by: rolled back',
      'Timeline',
      '  2026-12-06 04:01:10Z  signal       error rate of payment-service POST /pay 15.2% (usually 0.1%)',
      '  2026-12-06 04:03:00Z  state        acknowledged (ann)',
      'Links',
      `  incident  ${base}/incidents/12`,
      '  runbook   https://wiki.example.com/runbooks/payment',
      `  service   ${base}/services/payment-service`,
    ];
    let at = -1;
    for (const line of order) {
      const next = page.split('\n').indexOf(line, at + 1);
      assert.ok(next > at, `"${line}" missing or out of order in:\n${page}`);
      at = next;
    }
    // The top three causes, four pieces of evidence each: the rest is in --json.
    assert.ok(!page.includes('the fourth cause'));
    assert.ok(!page.includes('fifth evidence line'));
    assert.ok(!page.includes('{'), 'no JSON on the page');
  });

  it('an incident fresh from the engine, without context or causes yet, still prints', () => {
    const page = formatIncidentPage(
      incident({
        rootCauses: [],
        context: null,
        changes: [],
        similarIncidents: [],
        runbook: null,
        timeline: [],
        acknowledgedAt: undefined,
        status: 'triggered',
        services: [],
      }),
      base,
    );
    assert.match(page, /^ {2}Status {4}triggered \(started .*, detected .*\)$/m);
    assert.match(page, /^ {2}Services {2}—$/m);
    assert.ok(!page.includes('Likely causes'));
    assert.ok(!page.includes('Timeline'));
    assert.match(page, /incident {2}http:\/\/127\.0\.0\.1:8080\/incidents\/12/);
  });

  it("a timeline entry that links a trace (a failing synthetic check's run) gives the trace's URL under it", () => {
    const traceId = 'ab'.repeat(16);
    const page = formatIncidentPage(
      incident({
        timeline: [{ at: '2026-12-06T04:01:10Z', kind: 'signal', text: 'Synthetic check "checkout" failing', data: { signalId: 's1', traceId } }],
      }),
      base,
    );
    assert.match(page, new RegExp(`Synthetic check "checkout" failing\n {4}http://127\\.0\\.0\\.1:8080/traces/${traceId}$`, 'm'));
  });

  it('a long timeline keeps how it began and where it stands, and says how many entries it left out', () => {
    const timeline = Array.from({ length: 60 }, (_, n) => ({
      at: new Date(Date.UTC(2026, 11, 6, 4, n)).toISOString(),
      kind: 'signal' as const,
      text: `entry ${n}`,
    }));
    const page = formatIncidentPage(incident({ timeline }), base);
    for (const n of [0, 4, 40, 59]) assert.match(page, new RegExp(`entry ${n}$`, 'm'));
    for (const n of [5, 39]) assert.doesNotMatch(page, new RegExp(`entry ${n}$`, 'm'));
    assert.match(page, /… 35 more entries \(--json shows them all\)/);
  });
});

describe('formatIncidentTable', () => {
  it('aligns id, severity, status, detection time, services and title under a header', () => {
    const table = formatIncidentTable([
      { id: '12', title: 'checkout errors', status: 'triggered', severity: 'high', services: ['payment-service'], detectedAt: '2026-12-06T04:01:10.000Z' },
      { id: '9', title: 'slow search', status: 'acknowledged', severity: 'low', services: ['search', 'catalog'], detectedAt: '2026-12-05T22:00:00Z' },
    ]);
    assert.equal(
      table,
      [
        'ID   SEVERITY  STATUS        DETECTED              SERVICES         TITLE',
        '#12  high      triggered     2026-12-06 04:01:10Z  payment-service  checkout errors',
        '#9   low       acknowledged  2026-12-05 22:00:00Z  search,catalog   slow search',
      ].join('\n'),
    );
    assert.equal(formatIncidentTable([]), 'no incidents');
  });

  it('cuts long service lists by characters, never inside an emoji', () => {
    const services = ['🔥'.repeat(40)];
    const row =
      formatIncidentTable([{ id: '1', title: 't', status: 'triggered', severity: 'low', services, detectedAt: '2026-12-06T00:00:00Z' }]).split('\n')[1] ?? '';
    assert.ok(row.includes(`${'🔥'.repeat(31)}…`), row);
    assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(row), 'no lone high surrogate');
    assert.equal(clip('ab🔥cd', 4), 'ab🔥…');
    assert.equal(shortTime('not a time'), 'not a time');
  });
});
