// A complete model Span from the fields a test or fixture cares about: every other field blank
// ('' / 0 / {} / []), so the many span builders of the tests share one list of the Span's fields.
import type { Span } from '../index.js';

export function blankSpan(fields: Partial<Span>): Span {
  return {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    name: '',
    kind: 'server',
    startTimeMs: 0,
    durationMs: 0,
    statusCode: 'unset',
    statusMessage: '',
    scopeName: '',
    service: '',
    serviceVersion: '',
    environment: '',
    httpMethod: '',
    httpRoute: '',
    httpStatusCode: 0,
    dbSystem: '',
    dbNamespace: '',
    dbOperation: '',
    peerService: '',
    userId: '',
    exceptionType: '',
    exceptionMessage: '',
    exceptionStacktrace: '',
    resourceAttributes: {},
    attributes: {},
    events: [],
    links: [],
    ...fields,
  };
}
