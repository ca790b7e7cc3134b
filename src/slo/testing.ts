// Test traffic for SLOs: entry spans at a steady rate per minute with a chosen error ratio or
// latency, so event-time tests and the benchmark state their scenario in numbers.
import type { Span } from '../model/index.js';
import { blankSpan } from '../model/testing/records.js';

export interface MinuteTraffic {
  service: string;
  route?: string;
  requests: number;
  errorRatio?: number;
  durationMs?: number;
  slowRatio?: number;
  slowMs?: number;
}

export function entrySpan(service: string, route: string, endMs: number, failed: boolean, durationMs = 20): Span {
  const [method, path] = route.includes(' ') ? route.split(' ', 2) : ['GET', route];
  return blankSpan({
    service,
    serviceVersion: '1.0.0',
    environment: 'test',
    traceId: '0'.repeat(32),
    spanId: '0'.repeat(16),
    parentSpanId: '',
    name: route,
    kind: 'server',
    startTimeMs: endMs - durationMs,
    durationMs,
    statusCode: failed ? 'error' : 'ok',
    statusMessage: '',
    scopeName: '',
    httpMethod: method ?? 'GET',
    httpRoute: path ?? route,
    httpStatusCode: failed ? 500 : 200,
  });
}

/** One minute of traffic starting at `minuteStartMs`, errors and slow requests spread evenly. */
export function minuteOfTraffic(t: MinuteTraffic, minuteStartMs: number): Span[] {
  const out: Span[] = [];
  const errors = Math.round(t.requests * (t.errorRatio ?? 0));
  const slow = Math.round(t.requests * (t.slowRatio ?? 0));
  for (let i = 0; i < t.requests; i++) {
    const endMs = minuteStartMs + Math.floor(((i + 0.5) * 60_000) / t.requests);
    const failed = errors > 0 && i % Math.max(1, Math.floor(t.requests / errors)) === 0 && i / Math.max(1, Math.floor(t.requests / errors)) < errors;
    const isSlow = slow > 0 && i % Math.max(1, Math.floor(t.requests / slow)) === 0 && i / Math.max(1, Math.floor(t.requests / slow)) < slow;
    out.push(entrySpan(t.service, t.route ?? 'GET /', endMs, failed, isSlow ? (t.slowMs ?? 2_000) : (t.durationMs ?? 20)));
  }
  return out;
}
