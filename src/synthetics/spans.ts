// A check run as telemetry: one root span for the run and one client span per request step, in
// the trace the run propagated, so the backend spans it caused hang under it in the waterfall.
// Marked `synthetic=true` so detectors and people can tell checks from customers.
import type { Span } from '../model/index.js';
import type { RunResult } from './result.js';

export const syntheticService = 'vigil-synthetics';

export function runSpans(run: RunResult, rootSpanId: string, checkService: string): Span[] {
  if (!run.traceId) return [];
  const base = {
    traceId: run.traceId,
    service: syntheticService,
    serviceVersion: '',
    environment: '',
    scopeName: 'vigil.synthetics',
    httpRoute: '',
    dbSystem: '',
    dbNamespace: '',
    dbOperation: '',
    userId: '',
    exceptionType: '',
    exceptionMessage: '',
    exceptionStacktrace: '',
    resourceAttributes: { 'service.name': syntheticService },
    events: [],
    links: [],
  };
  const root: Span = {
    ...base,
    spanId: rootSpanId,
    parentSpanId: '',
    name: `check ${run.name}`,
    kind: 'internal',
    startTimeMs: run.atMs,
    durationMs: run.durationMs,
    statusCode: run.ok ? 'ok' : 'error',
    statusMessage: run.ok ? '' : (run.error ?? 'failed'),
    httpMethod: '',
    httpStatusCode: 0,
    peerService: '',
    attributes: { synthetic: 'true', 'vigil.check.name': run.name, 'vigil.check.kind': run.kind, 'vigil.check.service': checkService },
  };
  const steps = run.steps
    .filter((s) => s.spanId)
    .map((s): Span => ({
      ...base,
      spanId: s.spanId!,
      parentSpanId: rootSpanId,
      name: s.name,
      kind: 'client',
      startTimeMs: s.startMs ?? run.atMs,
      durationMs: s.durationMs,
      statusCode: s.ok ? 'unset' : 'error',
      statusMessage: s.ok
        ? ''
        : (s.error ??
          s.assertions
            .filter((a) => !a.ok)
            .map((a) => `${a.assertion}: expected ${a.expected}, got ${a.actual}`)
            .join('; ')),
      httpMethod: /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) /.exec(s.name)?.[1] ?? '',
      httpStatusCode: s.status ?? 0,
      peerService: checkService,
      attributes: { synthetic: 'true', 'vigil.check.name': run.name, 'vigil.check.step': s.name },
    }));
  return [root, ...steps];
}
