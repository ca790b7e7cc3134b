// Span builders for the rca tests and benchmark: complete model Spans from the few fields a
// scenario cares about, with deterministic ids from a seeded counter.

import type { Span } from '../../model/index.js';
import { blankSpan } from '../../model/testing/records.js';

export function makeSpan(fields: Partial<Span> & Pick<Span, 'service' | 'traceId' | 'spanId' | 'startTimeMs'>): Span {
  return blankSpan({
    serviceVersion: '1.0.0',
    environment: 'prod',
    parentSpanId: '',
    name: 'op',
    kind: 'server',
    durationMs: 10,
    statusCode: 'unset',
    statusMessage: '',
    scopeName: 'test',
    httpMethod: '',
    httpRoute: '',
    httpStatusCode: 0,
    ...fields,
  });
}

/** Hex ids from a counter: stable across runs, unique within one generator. */
export function idGenerator(prefix = 0): { trace(): string; span(): string } {
  let n = prefix * 1_000_000;
  return {
    trace: () => (++n).toString(16).padStart(32, '0'),
    span: () => (++n).toString(16).padStart(16, '0'),
  };
}
