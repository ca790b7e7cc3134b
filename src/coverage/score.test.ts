// The coverage score: what each missing piece of instrumentation costs, and that every lost point
// is explained by a gap naming the service, the check and the counts behind it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCoverageReport } from './format.js';
import { buildCoverageReport, serviceWeights } from './score.js';
import { journeyFromText, journeyMatches } from './targets.js';
import type { CoverageFacts, CoverageOptions, RouteFacts, ServiceFacts } from './types.js';

const window = { fromMs: 1_764_000_000_000, toMs: 1_764_003_600_000 };

/** A service that sends everything: routed, marked server spans, traced logs, metrics, recorded deploys. */
function service(name: string, o: Partial<ServiceFacts> = {}): ServiceFacts {
  return {
    service: name,
    serverSpans: 1000,
    spans: 3000,
    httpServerSpans: 1000,
    httpServerSpansWithRoute: 1000,
    http5xx: 20,
    http5xxUnmarked: 0,
    errorSpans: 25,
    logs: 500,
    logsWithTraceId: 500,
    metricPoints: 4000,
    deploysRecorded: 2,
    deploysInferred: 0,
    ...o,
  };
}

function route(svc: string, method: string, path: string, o: Partial<RouteFacts> = {}): RouteFacts {
  return {
    service: svc,
    method,
    route: path,
    hasHttpRoute: true,
    requests: 500,
    http5xx: 10,
    http5xxUnmarked: 0,
    errorSpans: 10,
    correlatedLogs: 200,
    ...o,
  };
}

const facts = (services: ServiceFacts[], routes: RouteFacts[]): CoverageFacts => ({ ...window, services, routes });
const fullyConfigured: CoverageOptions = {
  slos: [{ service: 'checkout' }],
  syntheticChecks: [
    { service: 'checkout', route: 'POST /checkout' },
    { service: 'checkout', route: 'GET /cart' },
  ],
};
const checkoutRoutes = [route('checkout', 'POST', '/checkout'), route('checkout', 'GET', '/cart')];

describe('coverage score', () => {
  it('scores a fully instrumented service with SLO and synthetic checks 100, with no gaps', () => {
    const r = buildCoverageReport(facts([service('checkout')], checkoutRoutes), fullyConfigured);
    const s = r.services[0]!;
    assert.equal(s.score, 100);
    assert.deepEqual(
      [s.traces, s.httpRoute, s.correlated, s.errorsInstrumented, s.deploys, s.slo, s.synthetic],
      ['yes', 'yes', 'yes', 'yes', 'yes', 'yes', 'yes'],
    );
    assert.equal(r.score, 100);
    assert.deepEqual(r.gaps, []);
    assert.ok(r.routes.every((e) => e.score === 100));
  });

  it('without SLOs and synthetic checks configured, loses exactly their points and says "no SLO configured"', () => {
    const r = buildCoverageReport(facts([service('checkout')], checkoutRoutes), { slos: [], syntheticChecks: [] });
    assert.equal(r.services[0]!.score, 100 - serviceWeights.slo - serviceWeights.synthetic);
    assert.deepEqual(
      r.gaps.map((g) => [g.check, g.text]),
      [
        ['slo', 'checkout: no SLO configured'],
        ['synthetic', 'checkout: no synthetic check configured'],
      ],
    );
  });

  it('collapses the missing-SLO gap into one line when no service has one', () => {
    const r = buildCoverageReport(facts([service('a'), service('b'), service('c')], []));
    const slo = r.gaps.filter((g) => g.check === 'slo');
    assert.deepEqual(
      slo.map((g) => g.text),
      ['no SLO configured (none of the 3 services has one)'],
    );
  });

  it('lists a service whose logs carry no trace id, and charges the correlation weight', () => {
    const r = buildCoverageReport(facts([service('checkout', { logs: 800, logsWithTraceId: 0 })], checkoutRoutes), fullyConfigured);
    const s = r.services[0]!;
    assert.equal(s.correlated, 'no');
    assert.equal(s.score, 100 - serviceWeights.correlated);
    assert.deepEqual(r.gaps, [
      {
        service: 'checkout',
        check: 'correlation',
        weight: 15,
        text: 'checkout: no logs correlated with traces (0 of 800 log lines carry a trace id)',
      },
    ]);
  });

  it('gives partial credit for partly correlated logs, in proportion to the share', () => {
    const r = buildCoverageReport(facts([service('checkout', { logs: 1000, logsWithTraceId: 450 })], checkoutRoutes), fullyConfigured);
    const s = r.services[0]!;
    assert.equal(s.correlated, 'partial');
    assert.equal(s.logCorrelation, 0.45);
    // 45% against the 90% target earns half of the 15 points.
    assert.equal(s.score, 92.5);
    assert.equal(r.gaps[0]!.text, 'checkout: only 45% of logs carry a trace id (450 of 1,000 log lines)');
    assert.equal(r.gaps[0]!.weight, 7.5);
  });

  it('lists a service without logs at all as missing logs and correlation, not twice', () => {
    const r = buildCoverageReport(facts([service('checkout', { logs: 0, logsWithTraceId: 0 })], checkoutRoutes), fullyConfigured);
    assert.deepEqual(
      r.gaps.map((g) => [g.check, g.weight]),
      [['logs', serviceWeights.logs + serviceWeights.correlated]],
    );
    assert.equal(r.services[0]!.logCorrelation, null);
  });

  it('lists HTTP spans without http.route with example span names, and marks those routes', () => {
    const routes = [
      route('users', 'GET', 'GET /users/123', { hasHttpRoute: false, requests: 40 }),
      route('users', 'GET', 'GET /users/456', { hasHttpRoute: false, requests: 30 }),
      route('users', '', 'orders.process', { hasHttpRoute: false, requests: 300 }),
    ];
    const r = buildCoverageReport(facts([service('users', { httpServerSpans: 70, httpServerSpansWithRoute: 0 })], routes), {
      slos: [{ service: 'users' }],
      syntheticChecks: [{ service: 'users' }],
    });
    assert.equal(r.services[0]!.httpRoute, 'no');
    assert.equal(r.services[0]!.score, 100 - serviceWeights.httpRoute);
    assert.deepEqual(r.gaps, [
      {
        service: 'users',
        check: 'route',
        weight: 5,
        text: 'users: no HTTP server span carries http.route (0 of 70), so requests are grouped by span name (e.g. "GET /users/123", "GET /users/456")',
      },
    ]);
    // A consumer has no HTTP method: no http.route is expected of it.
    assert.deepEqual(
      r.routes.map((e) => [e.endpoint, e.httpRoute]),
      [
        ['orders.process', 'unknown'],
        ['GET /users/123', 'no'],
        ['GET /users/456', 'no'],
      ],
    );
  });

  it('counts 95% of requests with http.route as complete (404s match no route)', () => {
    const r = buildCoverageReport(facts([service('checkout', { httpServerSpans: 1000, httpServerSpansWithRoute: 960 })], checkoutRoutes), fullyConfigured);
    assert.equal(r.services[0]!.httpRoute, 'yes');
    assert.deepEqual(r.gaps, []);
  });

  it('lists a service whose 5xx responses carry no error status or exception', () => {
    const unmarked = service('payment', { http5xx: 30, http5xxUnmarked: 30, errorSpans: 0 });
    const r = buildCoverageReport(facts([unmarked], []), {
      slos: [{ service: 'payment' }],
      syntheticChecks: [{ service: 'payment' }],
    });
    assert.equal(r.services[0]!.errorsInstrumented, 'no');
    assert.equal(r.services[0]!.score, 100 - serviceWeights.errorsInstrumented);
    assert.deepEqual(r.gaps, [
      {
        service: 'payment',
        check: 'errors',
        weight: 10,
        text: 'payment: errors not instrumented: 30 requests answered 5xx without an error status or exception on the span',
      },
    ]);
  });

  it('gives half the error points when only some 5xx responses are unmarked', () => {
    const r = buildCoverageReport(facts([service('payment', { http5xx: 30, http5xxUnmarked: 12 })], []), {
      slos: [{ service: 'payment' }],
      syntheticChecks: [{ service: 'payment' }],
    });
    assert.equal(r.services[0]!.errorsInstrumented, 'partial');
    assert.equal(r.gaps[0]!.text, 'payment: 12 of 30 requests that answered 5xx carry no error status or exception');
    assert.equal(r.services[0]!.score, 95);
  });

  it('does not charge a service that answered no 5xx and recorded no errors (nothing to judge)', () => {
    const r = buildCoverageReport(facts([service('catalog', { http5xx: 0, errorSpans: 0 })], []), {
      slos: [{ service: 'catalog' }],
      syntheticChecks: [{ service: 'catalog' }],
    });
    assert.equal(r.services[0]!.errorsInstrumented, 'unknown');
    assert.equal(r.services[0]!.score, 100);
  });

  it('charges a service with client spans only half the trace points, and one with none all of them', () => {
    const clientOnly = service('worker', {
      serverSpans: 0,
      spans: 50,
      httpServerSpans: 0,
      httpServerSpansWithRoute: 0,
      http5xx: 0,
      errorSpans: 1,
    });
    const logsOnly = service('cron', {
      serverSpans: 0,
      spans: 0,
      httpServerSpans: 0,
      httpServerSpansWithRoute: 0,
      http5xx: 0,
      errorSpans: 0,
    });
    const r = buildCoverageReport(facts([clientOnly, logsOnly], []));
    const [cron, worker] = r.services;
    assert.equal(worker!.traces, 'partial');
    assert.equal(cron!.traces, 'no');
    assert.ok(r.gaps.some((g) => g.service === 'worker' && g.check === 'traces' && g.weight === serviceWeights.traces / 2));
    assert.ok(r.gaps.some((g) => g.service === 'cron' && g.check === 'traces' && g.weight === serviceWeights.traces));
    assert.ok(worker!.score > cron!.score);
  });

  it('marks recorded deploys complete and inferred ones half', () => {
    const r = buildCoverageReport(facts([service('a', { deploysRecorded: 0, deploysInferred: 3 }), service('b', { deploysRecorded: 0 })], []));
    const [a, b] = r.services;
    assert.equal(a!.deploys, 'partial');
    assert.equal(b!.deploys, 'no');
    assert.equal(a!.score - b!.score, serviceWeights.deploys / 2);
  });
});

describe('critical journeys', () => {
  const routes = [route('frontend', 'POST', '/api/checkout'), route('frontend', 'GET', '/'), route('auth', 'POST', '/login')];

  it('covers a journey with traffic, an SLO and a synthetic check, and marks its routes critical', () => {
    const options: CoverageOptions = {
      criticalJourneys: [{ name: 'checkout' }],
      slos: [{ service: 'frontend', route: 'POST /api/checkout' }],
      syntheticChecks: [{ name: 'checkout' }],
    };
    const r = buildCoverageReport(facts([service('frontend'), service('auth')], routes), options);
    assert.deepEqual(r.journeys, [
      {
        journey: 'checkout',
        endpoints: ['frontend POST /api/checkout'],
        traffic: 'yes',
        slo: 'yes',
        synthetic: 'yes',
        score: 100,
      },
    ]);
    assert.deepEqual(
      r.routes.filter((e) => e.critical).map((e) => e.endpoint),
      ['POST /api/checkout'],
    );
    assert.ok(!r.gaps.some((g) => g.text.includes('critical journey')));
  });

  it('lists a journey that matches no traffic and has no SLO or synthetic check', () => {
    const r = buildCoverageReport(facts([service('frontend')], routes), {
      criticalJourneys: [{ name: 'refund', service: 'payments', route: '/refund' }],
    });
    const j = r.journeys[0]!;
    assert.deepEqual([j.traffic, j.slo, j.synthetic, j.score, j.endpoints], ['no', 'no', 'no', 0, []]);
    assert.deepEqual(
      r.gaps.filter((g) => g.text.startsWith('critical journey')).map((g) => [g.service, g.check, g.weight]),
      [
        ['payments', 'journey', 40],
        ['payments', 'slo', 30],
        ['payments', 'synthetic', 30],
      ],
    );
  });

  it('weighs journeys 30% of the overall score', () => {
    const covered = buildCoverageReport(facts([service('frontend')], routes), {
      criticalJourneys: [{ name: 'checkout' }],
    });
    // Services score 80 (no SLO, no synthetic); the journey has traffic only: 40.
    assert.equal(covered.services[0]!.score, 80);
    assert.equal(covered.journeys[0]!.score, 40);
    assert.equal(covered.score, Math.round(0.7 * 80 + 0.3 * 40));
  });

  it('matches journeys the way the incident engine does: by service, by route within the endpoint, or by name', () => {
    const checkout = { service: 'frontend', method: 'POST', route: '/api/checkout' };
    assert.ok(journeyMatches({ name: 'checkout' }, checkout));
    assert.ok(journeyMatches({ name: 'Checkout' }, checkout));
    assert.ok(journeyMatches({ name: 'frontend' }, checkout), 'a name equal to the service');
    assert.ok(journeyMatches({ name: 'x', service: 'frontend' }, checkout), 'a service alone covers all its endpoints');
    assert.ok(journeyMatches({ name: 'x', route: 'POST /api/checkout' }, checkout));
    assert.ok(!journeyMatches({ name: 'x', route: 'GET /api/checkout' }, checkout));
    assert.ok(!journeyMatches({ name: 'checkout', service: 'auth' }, checkout));
    assert.ok(!journeyMatches({ name: 'login' }, checkout));
  });

  it('reads journeys typed as text: service, method and path; a path; or a plain name', () => {
    assert.deepEqual(journeyFromText('frontend POST /checkout'), {
      name: 'frontend POST /checkout',
      service: 'frontend',
      route: 'POST /checkout',
    });
    assert.deepEqual(journeyFromText('POST /checkout'), { name: 'POST /checkout', route: 'POST /checkout' });
    assert.deepEqual(journeyFromText(' /checkout '), { name: '/checkout', route: '/checkout' });
    assert.deepEqual(journeyFromText('checkout flow'), { name: 'checkout flow' });
  });
});

describe('coverage report as text', () => {
  it('prints the score and the gaps, most costly first', () => {
    const r = buildCoverageReport(facts([service('payment', { metricPoints: 0, logs: 100, logsWithTraceId: 0 })], []));
    const text = formatCoverageReport(r);
    const lines = text.split('\n');
    assert.ok(lines.includes(`score: ${r.score}/100`));
    const gapLines = lines.filter((l) => l.startsWith('  - '));
    assert.deepEqual(gapLines, [
      '  - payment: no logs correlated with traces (0 of 100 log lines carry a trace id)',
      '  - payment: no metrics received (pool, memory and runtime gauges are blind)',
      '  - payment: no SLO configured',
      '  - payment: no synthetic check configured',
    ]);
  });
});
