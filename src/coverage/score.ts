// The coverage score (pure): per-service checks, per-route checks and critical journeys, each
// worth points, with every missing point explained as a gap in plain language.
//
// Service weights (sum 100), by how much each blind spot costs when an incident starts there:
//   traces 20      server spans drive detection (RED), the dependency graph and root cause;
//   route 5        without http.route requests group by span name: endpoints merge ("GET") or
//                  split on ids ("GET /users/123"), so per-endpoint baselines are wrong;
//   correlation 15 logs sharing a trace id are what turns "errors went up" into a stack trace;
//   logs 10, metrics 10  log templates and saturation gauges (pools, memory) catch what RED misses;
//   errors 10      a 5xx not marked as an error on its span still counts in the error rate, but
//                  carries no exception or status message to group and explain the failures;
//   deploys 10     recorded deploys are the first root-cause suspect (inferred ones: half);
//   slo 10, synthetic 10  an objective tells severity apart from noise; a synthetic check detects
//                  an outage when no real traffic arrives. Not configurable yet: gaps until they are.
// Routes (100): http.route 20, error status 20, correlated logs 20, SLO 20, synthetic check 20.
// Journeys (100): traffic seen 40, SLO 30, synthetic check 30.
// Overall: the mean service score; with critical journeys configured, 70% services + 30% journeys,
// because journeys are what customers feel but every service is a place an incident can start.
import { endpointLabel, journeyMatches, targetCovers, targetCoversJourney, targetCoversService } from './targets.js';
import type {
  Check,
  CoverageFacts,
  CoverageGap,
  CoverageOptions,
  CoverageReport,
  CoverageTarget,
  JourneyCoverage,
  JourneyTarget,
  RouteCoverage,
  RouteFacts,
  ServiceCoverage,
  ServiceFacts,
} from './types.js';

export const serviceWeights = {
  traces: 20,
  httpRoute: 5,
  correlated: 15,
  logs: 10,
  metrics: 10,
  errorsInstrumented: 10,
  deploys: 10,
  slo: 10,
  synthetic: 10,
} as const;
export const routeWeights = {
  httpRoute: 20,
  errorsInstrumented: 20,
  correlatedLogs: 20,
  slo: 20,
  synthetic: 20,
} as const;
export const journeyWeights = { traffic: 40, slo: 30, synthetic: 30 } as const;
export const journeyShare = 0.3;
/** Requests that matched no route (404s) rightly carry no http.route, so 95% counts as complete. */
const httpRouteTarget = 0.95;

const n = (x: number): string => x.toLocaleString('en-US');
const credit = (c: Check): number => (c === 'yes' || c === 'unknown' ? 1 : c === 'partial' ? 0.5 : 0);
/** A share measured against the level that counts as complete: its check and its credit (0-1). */
function shareCheck(share: number | null, target: number): { check: Check; credit: number } {
  if (share === null || share === 0) return { check: 'no', credit: 0 };
  return { check: share >= target ? 'yes' : 'partial', credit: Math.min(1, share / target) };
}

function errorsCheck(f: { http5xx: number; http5xxUnmarked: number; errorSpans: number }): Check {
  if (f.http5xxUnmarked === 0) return f.errorSpans > 0 ? 'yes' : 'unknown';
  return f.http5xxUnmarked < f.http5xx || f.errorSpans > 0 ? 'partial' : 'no';
}

function targetCheck(targets: readonly CoverageTarget[], service: string, routes: readonly RouteFacts[]): Check {
  if (targets.some((t) => targetCoversService(t, service))) return 'yes';
  const own = routes.filter((r) => r.service === service);
  const covered = own.filter((r) => targets.some((t) => targetCovers(t, r))).length;
  if (covered === 0) return 'no';
  return covered === own.length ? 'yes' : 'partial';
}

/** The busiest HTTP endpoints of a service that carry no http.route, as examples in its gap. */
function unroutedExamples(service: string, routes: readonly RouteFacts[]): string {
  const names = routes
    .filter((r) => r.service === service && r.method !== '' && !r.hasHttpRoute)
    .sort((a, b) => b.requests - a.requests)
    .slice(0, 3)
    .map((r) => `"${r.route}"`);
  return names.length ? ` (e.g. ${names.join(', ')})` : '';
}

export function scoreService(f: ServiceFacts, routes: readonly RouteFacts[], o: CoverageOptions, gaps: CoverageGap[]): ServiceCoverage {
  const s = f.service;
  const gap = (check: string, weight: number, text: string): void => {
    if (weight > 0) gaps.push({ service: s, check, weight: Math.round(weight * 10) / 10, text });
  };
  const traces: Check = f.serverSpans > 0 ? 'yes' : f.spans > 0 ? 'partial' : 'no';
  const routeShare = f.httpServerSpans > 0 ? f.httpServerSpansWithRoute / f.httpServerSpans : null;
  const route = routeShare === null ? { check: 'unknown' as Check, credit: 1 } : shareCheck(routeShare, httpRouteTarget);
  const logs: Check = f.logs > 0 ? 'yes' : 'no';
  const share = f.logs > 0 ? f.logsWithTraceId / f.logs : null;
  const correlation = shareCheck(share, o.correlationTarget ?? 0.9);
  const metrics: Check = f.metricPoints > 0 ? 'yes' : 'no';
  const errorsInstrumented: Check = f.spans === 0 ? 'no' : errorsCheck(f);
  const deploys: Check = f.deploysRecorded > 0 ? 'yes' : f.deploysInferred > 0 ? 'partial' : 'no';
  const slo = targetCheck(o.slos ?? [], s, routes);
  const synthetic = targetCheck(o.syntheticChecks ?? [], s, routes);
  const w = serviceWeights;
  const score =
    w.traces * credit(traces) +
    w.httpRoute * route.credit +
    w.correlated * correlation.credit +
    w.logs * credit(logs) +
    w.metrics * credit(metrics) +
    w.errorsInstrumented * credit(errorsInstrumented) +
    w.deploys * credit(deploys) +
    w.slo * credit(slo) +
    w.synthetic * credit(synthetic);

  if (traces === 'no')
    gap('traces', w.traces, `${s}: no traces (no spans in the window): its requests are not measured and it has no place in the dependency graph`);
  if (traces === 'partial')
    gap('traces', w.traces / 2, `${s}: no server spans (only ${n(f.spans)} client or internal spans): the requests it answers are not measured`);
  if (route.check === 'no')
    gap(
      'route',
      w.httpRoute,
      `${s}: no HTTP server span carries http.route (0 of ${n(f.httpServerSpans)}), so requests are grouped by span name${unroutedExamples(s, routes)}`,
    );
  else if (route.check === 'partial' && routeShare !== null)
    gap(
      'route',
      w.httpRoute * (1 - route.credit),
      `${s}: only ${Math.round(routeShare * 100)}% of HTTP server spans carry http.route (${n(f.httpServerSpansWithRoute)} of ${n(f.httpServerSpans)}); the rest are grouped by span name${unroutedExamples(s, routes)}`,
    );
  if (logs === 'no') gap('logs', w.logs + w.correlated, `${s}: no logs received (so none correlated with traces)`);
  else if (share === 0) gap('correlation', w.correlated, `${s}: no logs correlated with traces (0 of ${n(f.logs)} log lines carry a trace id)`);
  else if (share !== null && correlation.check === 'partial')
    gap(
      'correlation',
      w.correlated * (1 - correlation.credit),
      `${s}: only ${Math.round(share * 100)}% of logs carry a trace id (${n(f.logsWithTraceId)} of ${n(f.logs)} log lines)`,
    );
  if (metrics === 'no') gap('metrics', w.metrics, `${s}: no metrics received (pool, memory and runtime gauges are blind)`);
  if (errorsInstrumented === 'no' && f.spans > 0)
    gap(
      'errors',
      w.errorsInstrumented,
      `${s}: errors not instrumented: ${n(f.http5xxUnmarked)} requests answered 5xx without an error status or exception on the span`,
    );
  else if (errorsInstrumented === 'no') gap('errors', w.errorsInstrumented, `${s}: errors not instrumented (no spans)`);
  if (errorsInstrumented === 'partial')
    gap('errors', w.errorsInstrumented / 2, `${s}: ${n(f.http5xxUnmarked)} of ${n(f.http5xx)} requests that answered 5xx carry no error status or exception`);
  if (deploys === 'no') gap('deploys', w.deploys, `${s}: no deploy events known: record deploys from CI (POST /api/v1/deployments) or set service.version`);
  if (deploys === 'partial')
    gap(
      'deploys',
      w.deploys / 2,
      `${s}: deploys only inferred from service.version (${n(f.deploysInferred)} seen): record them from CI to get commit and description`,
    );
  if (slo === 'partial') gap('slo', w.slo / 2, `${s}: SLOs cover only some of its routes`);
  if (synthetic === 'partial') gap('synthetic', w.synthetic / 2, `${s}: synthetic checks cover only some of its routes`);
  // Missing SLOs and synthetic checks are listed by the caller, collapsed when no service has any.
  return {
    service: s,
    traces,
    httpRoute: route.check,
    httpRouteShare: routeShare,
    logs,
    logCorrelation: share,
    correlated: correlation.check,
    metrics,
    errorsInstrumented,
    deploys,
    slo,
    synthetic,
    score: Math.round(score * 10) / 10,
    facts: f,
  };
}

export function scoreRoute(r: RouteFacts, o: CoverageOptions, critical: boolean): RouteCoverage {
  const covers = (targets: readonly CoverageTarget[] | undefined): Check => ((targets ?? []).some((t) => targetCovers(t, r)) ? 'yes' : 'no');
  // Consumers and RPC servers have no HTTP method and rightly no http.route.
  const httpRoute: Check = r.hasHttpRoute ? 'yes' : r.method ? 'no' : 'unknown';
  const correlatedLogs: Check = r.correlatedLogs > 0 ? 'yes' : 'no';
  const errorsInstrumented = errorsCheck(r);
  const slo = covers(o.slos);
  const synthetic = covers(o.syntheticChecks);
  const w = routeWeights;
  const score =
    w.httpRoute * credit(httpRoute) +
    w.errorsInstrumented * credit(errorsInstrumented) +
    w.correlatedLogs * credit(correlatedLogs) +
    w.slo * credit(slo) +
    w.synthetic * credit(synthetic);
  // Without http.route the span name usually holds the method already ("GET /users/123").
  const endpoint = r.hasHttpRoute ? endpointLabel(r) : r.route;
  return {
    service: r.service,
    endpoint,
    requests: r.requests,
    httpRoute,
    correlatedLogs,
    errorsInstrumented,
    slo,
    synthetic,
    critical,
    score,
  };
}

export function scoreJourney(journey: JourneyTarget, routes: readonly RouteFacts[], o: CoverageOptions, gaps: CoverageGap[]): JourneyCoverage {
  const hit = routes.filter((r) => journeyMatches(journey, r));
  const traffic: Check = hit.some((r) => r.requests > 0) ? 'yes' : 'no';
  const covers = (targets: readonly CoverageTarget[] | undefined): Check => ((targets ?? []).some((t) => targetCoversJourney(t, journey, hit)) ? 'yes' : 'no');
  const slo = covers(o.slos);
  const synthetic = covers(o.syntheticChecks);
  const w = journeyWeights;
  const score = w.traffic * credit(traffic) + w.slo * credit(slo) + w.synthetic * credit(synthetic);
  const label = `critical journey "${journey.name}"`;
  const service = hit[0]?.service ?? journey.service ?? '';
  if (traffic === 'no')
    gaps.push({
      service,
      check: 'journey',
      weight: w.traffic,
      text: `${label}: no matching requests in the window (check its service and route, and that the service is traced)`,
    });
  if (slo === 'no') gaps.push({ service, check: 'slo', weight: w.slo, text: `${label}: no SLO configured` });
  if (synthetic === 'no') gaps.push({ service, check: 'synthetic', weight: w.synthetic, text: `${label}: no synthetic check configured` });
  return {
    journey: journey.name,
    endpoints: hit.map((r) => `${r.service} ${r.hasHttpRoute ? endpointLabel(r) : r.route}`),
    traffic,
    slo,
    synthetic,
    score,
  };
}

/** The whole report from the measured facts and the optional configuration. */
export function buildCoverageReport(facts: CoverageFacts, options: CoverageOptions = {}): CoverageReport {
  const gaps: CoverageGap[] = [];
  const services = [...facts.services].sort((a, b) => a.service.localeCompare(b.service)).map((f) => scoreService(f, facts.routes, options, gaps));
  const configured = options.criticalJourneys ?? [];
  const journeys = configured.map((j) => scoreJourney(j, facts.routes, options, gaps));
  const critical = (r: RouteFacts): boolean => configured.some((j) => journeyMatches(j, r));
  const routes = [...facts.routes]
    .sort((a, b) => a.service.localeCompare(b.service) || b.requests - a.requests)
    .map((r) => scoreRoute(r, options, critical(r)));
  collapsedTargetGaps(services, 'slo', 'SLO', serviceWeights.slo, gaps);
  collapsedTargetGaps(services, 'synthetic', 'synthetic check', serviceWeights.synthetic, gaps);

  const serviceMean = services.length ? services.reduce((a, s) => a + s.score, 0) / services.length : 0;
  const journeyMean = journeys.length ? journeys.reduce((a, j) => a + j.score, 0) / journeys.length : 0;
  const score = journeys.length ? (1 - journeyShare) * serviceMean + journeyShare * journeyMean : serviceMean;
  gaps.sort((a, b) => b.weight - a.weight || a.text.localeCompare(b.text));
  return { fromMs: facts.fromMs, toMs: facts.toMs, score: Math.round(score), services, routes, journeys, gaps };
}

/** "no SLO configured (none of the 7 services has one)" instead of seven identical lines. */
function collapsedTargetGaps(services: readonly ServiceCoverage[], check: 'slo' | 'synthetic', noun: string, weight: number, gaps: CoverageGap[]): void {
  const missing = services.filter((s) => s[check] === 'no');
  if (!missing.length) return;
  if (missing.length === services.length && services.length > 1) {
    gaps.push({
      service: '',
      check,
      weight,
      text: `no ${noun} configured (none of the ${services.length} services has one)`,
    });
    return;
  }
  for (const s of missing) gaps.push({ service: s.service, check, weight, text: `${s.service}: no ${noun} configured` });
}
